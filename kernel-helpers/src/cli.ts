// The `opendata` command line: what the JupyterLab panel does, from a terminal (DESIGN.md lists the
// contract). Exit codes: 0 ok, 1 error (one line on stderr), 2 bad usage.
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { OpenDataError } from './core/errors';
import { Hist1D } from './core/histogram';
import { searchSnapshot } from './core/catalog-search';
import { loadCatalogIndex } from './node/catalog-file';
import { numericColumn } from './node/columns';
import { readCSV } from './node/csv';

type Output = (text: string) => void;

interface SearchOptions {
  page: number;
  size: number;
  json?: boolean;
}

interface HistOptions {
  column: string;
  bins: number;
  range: [number, number];
  weight?: string;
  json?: boolean;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a positive integer.');
  }
  return n;
}

function range(value: string): [number, number] {
  const parts = value.split(',');
  const [lo, hi] = parts.map(p => (p.trim() === '' ? NaN : Number(p)));
  if (parts.length !== 2 || !Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
    throw new InvalidArgumentError('expected LO,HI with finite numbers and LO < HI (e.g. 60,120).');
  }
  return [lo, hi];
}

function writeJSON(out: Output, value: unknown): void {
  out(JSON.stringify(value) + '\n');
}

function search(query: string | undefined, options: SearchOptions, out: Output): void {
  const index = loadCatalogIndex();
  const result = searchSnapshot(index, { query, page: options.page, size: options.size });
  if (options.json) {
    writeJSON(out, {
      total: result.total,
      hits: result.hits.map(h => ({
        recid: h.recid,
        title: h.title,
        doi: h.doi || null,
        experiment: h.experiment,
        type: h.type
      })),
      facets: {}
    });
    return;
  }
  const pages = Math.max(1, Math.ceil(result.total / result.size));
  out(`${result.total} records (page ${result.page} of ${pages}, ${result.size} per page)\n`);
  for (const h of result.hits) {
    const doi = h.doi ? `  doi:${h.doi}` : '';
    out(`${h.recid.padStart(6)}  [${h.experiment.join(', ')}] ${h.title}${doi}\n`);
  }
}

function readTable(file: string) {
  if (!fs.existsSync(file)) throw new OpenDataError('E_NOT_FOUND', `${file}: no such file`);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return readCSV(file);
  throw new OpenDataError(
    'E_UNSUPPORTED',
    `${file}: only CSV files can be read for now (got "${ext || 'no extension'}")`
  );
}

function hist(file: string, options: HistOptions, out: Output): void {
  const table = readTable(file);
  const values = numericColumn(table, options.column, file);
  const weights =
    options.weight === undefined ? undefined : numericColumn(table, options.weight, file);
  const h = new Hist1D(options.bins, options.range[0], options.range[1]).fill(values, weights);
  if (options.json) {
    writeJSON(out, h.toJSON());
    return;
  }
  const edges = h.edges;
  const peak = Math.max(...h.counts, 0);
  out(`${file}: ${options.column}, ${h.bins} bins in [${h.lo}, ${h.hi})\n`);
  for (let i = 0; i < h.bins; i++) {
    const bar = peak > 0 ? '#'.repeat(Math.round((40 * h.counts[i]) / peak)) : '';
    out(
      `[${String(edges[i]).padStart(10)}, ${String(edges[i + 1]).padStart(10)})  ${String(h.counts[i]).padStart(10)}  ${bar}\n`
    );
  }
  out(
    `underflow ${h.underflow}  overflow ${h.overflow}  entries ${h.entries}  sum of weights ${h.sumWeights}\n`
  );
}

/** Commands of DESIGN.md that are declared for --help but not built yet. */
const PLANNED: [string, string][] = [
  ['record <recid>', "a record's metadata, as the portal has it"],
  ['files <recid>', "a record's files (--expand file indexes, --protocol http|xrootd, --filter-*)"],
  ['cite <recid>', 'a citation: --format text|bibtex|csl-json|ris'],
  ['download <recid-or-uri>', 'download files into --dir, with --verify (adler32) and --retries'],
  ['inspect <file>', 'what a ROOT, CSV or Arrow file holds: trees, branches, objects, columns'],
  [
    'read <file>',
    'columns or branches as JSON (--columns A,B | --tree T --branches A,B, --entries START-STOP)'
  ],
  ['object <file> <name>', 'a stored histogram or graph'],
  ['hepdata <file>', 'the tables of a HEPData submission']
];

export function createProgram(out: Output, err: Output): Command {
  const program = new Command('opendata')
    .description(
      'CERN Open Data from the terminal: search the catalog, inspect and histogram event files.'
    )
    .configureOutput({ writeOut: out, writeErr: err })
    .exitOverride()
    .showSuggestionAfterError();

  program
    .command('search')
    .description(
      'search the bundled catalog snapshot (for now QUERY matches a substring of the title)'
    )
    .argument('[query]', 'text to look for in record titles')
    .option('--page <n>', 'page number, from 1', positiveInteger, 1)
    .option('--size <n>', 'records per page', positiveInteger, 20)
    .option('--json', 'machine-readable output: {"total", "hits", "facets"}')
    .action((query: string | undefined, options: SearchOptions) => search(query, options, out));

  program
    .command('hist')
    .description('histogram a numeric column of a CSV file (ROOT convention: x >= HI is overflow)')
    .argument('<file>', 'a .csv file with a header row')
    .requiredOption('--column <name>', 'the column to histogram')
    .requiredOption('--bins <n>', 'number of uniform bins', positiveInteger)
    .requiredOption('--range <lo,hi>', 'histogram range, e.g. 60,120', range)
    .option('--weight <column>', 'a column of per-row weights')
    .option(
      '--json',
      'machine-readable output: {"edges", "counts", "underflow", "overflow", "entries", "sum_weights"}'
    )
    .action((file: string, options: HistOptions) => hist(file, options, out));

  for (const [usage, description] of PLANNED) {
    const name = usage.split(' ')[0];
    program
      .command(usage)
      .description(`${description} (not implemented yet)`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new OpenDataError('E_UNSUPPORTED', `${name}: not implemented yet`);
      });
  }

  program.addHelpText(
    'after',
    [
      '',
      'Every command takes --json. Errors print one line to stderr and exit 1; bad usage exits 2.',
      '',
      'Examples:',
      '  opendata search higgs --size 5',
      '  opendata hist data/events/Zmumu.csv --column M --bins 60 --range 60,120 --json'
    ].join('\n')
  );
  return program;
}

/** Runs the CLI and returns the exit code (the caller sets it, so piped output is flushed). */
export async function main(
  argv: string[] = process.argv,
  out: Output = text => process.stdout.write(text),
  err: Output = text => process.stderr.write(text)
): Promise<number> {
  const program = createProgram(out, err);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed why
    const usage = e instanceof OpenDataError && e.code === 'E_USAGE';
    const message = e instanceof Error ? e.message : String(e);
    err(`opendata: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return usage ? 2 : 1;
  }
}
