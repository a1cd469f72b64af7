import fs from 'node:fs';
import { Hist1D } from '../core/histogram';
import type * as DatasetRun from '../node/dataset-run';
import type { DatasetFile } from '../node/dataset-run';
import type * as DatasetProgress from '../node/dataset-progress';
import { OpenDataError } from '../core/errors';
import { histogramValues, type HistogramSource } from './event-file';
import {
  CommandIO,
  RegisterCommand,
  nonNegativeInteger,
  positiveInteger,
  range,
  writeJSON
} from './io';

// The dataset runner (worker processes, the ROOT reader) loads when a run starts, not with the CLI.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const datasetRun = () => require('../node/dataset-run') as typeof DatasetRun;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const datasetProgress = () => require('../node/dataset-progress') as typeof DatasetProgress;

interface HistOptions extends HistogramSource {
  bins: number;
  range: [number, number];
  json?: boolean;
  record?: string;
  filesFrom?: string;
  catalog?: string;
  cut?: string[];
  threads?: number;
  retries?: number;
  dryRun?: boolean;
  keepGoing?: boolean;
}

function printHistogram(out: (s: string) => void, title: string, h: Hist1D): void {
  const edges = h.edges;
  const peak = Math.max(...h.counts, 0);
  out(`${title}, ${h.bins} bins in [${h.lo}, ${h.hi})\n`);
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

async function hist(files: string[], options: HistOptions, io: CommandIO): Promise<void> {
  const many =
    files.length > 1 ||
    options.record !== undefined ||
    options.filesFrom !== undefined ||
    options.threads !== undefined ||
    options.dryRun ||
    options.keepGoing ||
    (options.cut?.length ?? 0) > 0;
  if (many) return histDataset(files, options, io);
  if (files.length === 0) {
    throw new OpenDataError(
      'E_USAGE',
      'hist: give a FILE, several files, --files-from or --record'
    );
  }
  const file = files[0];
  const { values, weights } = await histogramValues('hist', file, options);
  const h = new Hist1D(options.bins, options.range[0], options.range[1]).fill(values, weights);
  if (options.json) {
    writeJSON(io.out, h.toJSON());
    return;
  }
  printHistogram(io.out, `${file}: ${options.column ?? options.branch}`, h);
}

/** Many ROOT files (a record's, listed, or both) on worker processes, or a dry run on the first. */
async function histDataset(args: string[], o: HistOptions, { out, err }: CommandIO): Promise<void> {
  if (o.column !== undefined || !o.tree || !o.branch) {
    throw new OpenDataError(
      'E_USAGE',
      'hist over several files: give --tree T --branch B (ROOT files)'
    );
  }
  const run = datasetRun();
  const files: DatasetFile[] = [...args];
  if (o.filesFrom !== undefined) {
    const text =
      o.filesFrom === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(o.filesFrom, 'utf8');
    files.push(
      ...text
        .split(/\r?\n/)
        .map(l => l.trim())
        .filter(l => l !== '' && !l.startsWith('#'))
    );
  }
  if (o.record !== undefined) {
    files.push(...(await run.recordRootFiles(o.record, { catalog: o.catalog, portal: o.portal })));
  }
  const spec = {
    tree: o.tree,
    cuts: o.cut ?? [],
    histograms: [{ name: o.branch, branch: o.branch, bins: o.bins, range: o.range }],
    weight: o.weight
  };
  if (o.dryRun) {
    const e = await run.estimateDataset(files, spec, { portal: o.portal });
    if (o.json) {
      writeJSON(out, {
        file: e.file,
        seconds: e.seconds,
        entries: e.entries,
        bytes: e.bytes,
        bytes_per_second: e.bytesPerSecond,
        files: e.files,
        total_bytes: e.totalBytes,
        unknown_sizes: e.unknownSizes,
        threads: e.threads,
        dask: e.dask,
        histogram: e.result.histograms[o.branch].toJSON()
      });
      return;
    }
    const mb = (b: number) => (b / 1e6).toFixed(1);
    out(
      `dry run: ${e.file}: ${e.entries} entries, ${mb(e.bytes)} MB in ${e.seconds.toFixed(2)} s (${mb(e.bytesPerSecond)} MB/s on one thread)\n`
    );
    out(
      `whole set: ${e.files} files, ${mb(e.totalBytes)} MB${e.unknownSizes ? ` (${e.unknownSizes} sizes unknown, counted as the average)` : ''}\n`
    );
    for (const t of e.threads) {
      out(`  ${String(t.threads).padStart(4)} threads       ~${duration(t.seconds)}\n`);
    }
    for (const d of e.dask) {
      out(`  ${String(d.workers).padStart(4)} Dask workers  ~${duration(d.seconds)}\n`);
    }
    return;
  }
  const result = await run.runDataset(files, spec, {
    portal: o.portal,
    threads: o.threads,
    retries: o.retries,
    keepGoing: o.keepGoing,
    progress: process.stderr.isTTY
      ? datasetProgress().terminalDatasetProgress(process.stderr)
      : null
  });
  const h = result.histograms[o.branch];
  if (o.json) {
    writeJSON(out, {
      ...h.toJSON(),
      cutflow: result.cutflow,
      files: result.files.map(f => f.file),
      failed: result.failed,
      seconds: result.seconds,
      threads: result.threads
    });
    return;
  }
  printHistogram(out, `${result.files.length} files: ${o.branch}`, h);
  if (result.cutflow.length > 1) {
    for (const row of result.cutflow) out(`  ${String(row.events).padStart(10)}  ${row.cut}\n`);
  }
  out(
    `${result.entries} entries from ${result.files.length} files in ${result.seconds.toFixed(1)} s on ${result.threads} worker${result.threads === 1 ? '' : 's'}\n`
  );
  for (const f of result.failed) err(`left out: ${f.file}: ${f.error}\n`);
}

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const registerHist: RegisterCommand = (program, io) => {
  program
    .command('hist')
    .description(
      'histogram a column (CSV, Arrow) or a branch (ROOT) of a file or URL (ROOT convention: x >= HI is overflow); of many ROOT files (a record, a list) on worker processes'
    )
    .argument(
      '[files...]',
      'a CSV (with a header row), Arrow IPC (.arrow/.feather/.arrows) or ROOT file; several ROOT files are read by worker processes'
    )
    .option('--column <name>', 'the column to histogram (CSV)')
    .option('--tree <name>', 'the TTree of a ROOT file')
    .option('--branch <name>', 'the branch to histogram (ROOT; jagged branches are flattened)')
    .option('--portal <url>', 'where root://eospublic.cern.ch URIs are read from')
    .requiredOption('--bins <n>', 'number of uniform bins', positiveInteger)
    .requiredOption('--range <lo,hi>', 'histogram range, e.g. 60,120', range)
    .option('--weight <column>', 'a column (or branch) of per-row weights')
    .option(
      '--record <recid>',
      'every ROOT file of a record (file indexes expanded), read over HTTP'
    )
    .option('--catalog <dir>', 'a directory of portal record fixtures to find --record in')
    .option('--files-from <file>', 'a list of ROOT files or URLs, one a line (- for stdin)')
    .option(
      '--cut <expr>',
      'an event cut such as "nMuon >= 2" (repeatable; applied in order, a cut-flow)',
      collect
    )
    .option(
      '--threads <n>',
      'workers for many files, one core each (default: every core)',
      positiveInteger
    )
    .option(
      '--retries <n>',
      'attempts of a failed file after the first (default 2)',
      nonNegativeInteger
    )
    .option(
      '--keep-going',
      'leave out files that fail for good (named on stderr) instead of stopping'
    )
    .option(
      '--dry-run',
      'read the first file only and estimate the time for all on N threads / N Dask workers'
    )
    .option(
      '--json',
      'machine-readable output: {"edges", "counts", "underflow", "overflow", "entries", "sum_weights"} (+ "cutflow", "files", "failed" for many files)'
    )
    .action((files: string[], options: HistOptions) => hist(files, options, io));
};
