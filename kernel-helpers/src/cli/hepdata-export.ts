import { OpenDataError } from '../core/errors';
import { Hist1D } from '../core/histogram';
import type * as HEPDataWrite from '../node/hepdata-write';
import { histogramValues, type HistogramSource } from './event-file';
import { CommandIO, RegisterCommand, positiveInteger, range, writeJSON } from './io';

// Loaded when the command runs, not when the CLI starts (see event-file.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hepdataWrite = () => require('../node/hepdata-write') as typeof HEPDataWrite;

interface ExportOptions extends HistogramSource {
  bins: number;
  range: [number, number];
  out: string;
  name?: string;
  description?: string;
  xName?: string;
  xUnits?: string;
  yName?: string;
  yUnits?: string;
  sqrtS?: number;
  doi?: string;
  singleFile?: boolean;
  overwrite?: boolean;
  json?: boolean;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new OpenDataError(
      'E_USAGE',
      `--sqrt-s: expected a positive number of GeV (got ${value})`
    );
  }
  return n;
}

async function hepdataExport(file: string, o: ExportOptions, { out }: CommandIO): Promise<void> {
  const { values: v, weights } = await histogramValues('hepdata-export', file, o);
  const h = new Hist1D(o.bins, o.range[0], o.range[1]).fill(v, weights);
  const quantity = o.column ?? o.branch!;
  const written = hepdataWrite().writeHEPData(
    o.out,
    [
      {
        source: h,
        meta: {
          name: o.name ?? quantity,
          description: o.description,
          x: { name: o.xName ?? quantity, units: o.xUnits },
          value: { name: o.yName ?? 'Entries', units: o.yUnits },
          sqrtS: o.sqrtS,
          doi: o.doi
        }
      }
    ],
    { doi: o.doi, singleFile: o.singleFile, overwrite: o.overwrite }
  );
  if (o.json) {
    writeJSON(out, { files: written, histogram: h.toJSON() });
    return;
  }
  for (const p of written) out(`${p}\n`);
}

export const registerHepdataExport: RegisterCommand = (program, io) => {
  program
    .command('hepdata-export')
    .description(
      'histogram a column (CSV, Arrow) or a branch (ROOT) and write it as a HEPData submission'
    )
    .argument('<file>', 'a CSV, Arrow IPC or ROOT file (or URL)')
    .option('--column <name>', 'the column to histogram (CSV, Arrow)')
    .option('--tree <name>', 'the TTree of a ROOT file')
    .option('--branch <name>', 'the branch to histogram (ROOT; jagged branches are flattened)')
    .option('--portal <url>', 'where root://eospublic.cern.ch URIs are read from')
    .requiredOption('--bins <n>', 'number of uniform bins', positiveInteger)
    .requiredOption('--range <lo,hi>', 'histogram range, e.g. 60,120', range)
    .option('--weight <column>', 'a column (or branch) of per-row weights')
    .requiredOption('--out <dir>', 'the submission directory (made when missing)')
    .option('--name <table>', "the table's name (default: the column or branch)")
    .option('--description <text>', "the table's description")
    .option('--x-name <name>', "the independent variable's name (default: the column or branch)")
    .option('--x-units <units>', "the independent variable's units, e.g. GEV")
    .option('--y-name <name>', "the dependent variable's name (default: Entries)")
    .option('--y-units <units>', "the dependent variable's units")
    .option(
      '--sqrt-s <gev>',
      'centre-of-mass energy in GeV (SQRT(S) and cmenergies)',
      positiveNumber
    )
    .option('--doi <doi>', "the dataset's DOI (a qualifier and the record's resource)")
    .option('--single-file', 'one submission.yaml with the table inline')
    .option('--overwrite', 'replace an earlier submission in --out')
    .option('--json', 'machine-readable output: {"files": [paths], "histogram": {hist --json}}')
    .action((file: string, options: ExportOptions) => hepdataExport(file, options, io));
};
