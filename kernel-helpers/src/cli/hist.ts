import { Hist1D } from '../core/histogram';
import { numericColumn } from '../node/columns';
import { readTableFile } from '../node/table-file';
import { CommandIO, RegisterCommand, positiveInteger, range, writeJSON } from './io';

interface HistOptions {
  column: string;
  bins: number;
  range: [number, number];
  weight?: string;
  json?: boolean;
}

function hist(file: string, options: HistOptions, { out }: CommandIO): void {
  const table = readTableFile(file); // CSV or Arrow IPC
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

export const registerHist: RegisterCommand = (program, io) => {
  program
    .command('hist')
    .description('histogram a numeric column of a CSV file (ROOT convention: x >= HI is overflow)')
    .argument('<file>', 'a CSV (with a header row) or Arrow IPC (.arrow/.feather/.arrows) file')
    .requiredOption('--column <name>', 'the column to histogram')
    .requiredOption('--bins <n>', 'number of uniform bins', positiveInteger)
    .requiredOption('--range <lo,hi>', 'histogram range, e.g. 60,120', range)
    .option('--weight <column>', 'a column of per-row weights')
    .option(
      '--json',
      'machine-readable output: {"edges", "counts", "underflow", "overflow", "entries", "sum_weights"}'
    )
    .action((file: string, options: HistOptions) => hist(file, options, io));
};
