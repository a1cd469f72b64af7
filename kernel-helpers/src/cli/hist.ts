import { Hist1D } from '../core/histogram';
import { histogramValues, type HistogramSource } from './event-file';
import { CommandIO, RegisterCommand, positiveInteger, range, writeJSON } from './io';

interface HistOptions extends HistogramSource {
  bins: number;
  range: [number, number];
  json?: boolean;
}

async function hist(file: string, options: HistOptions, { out }: CommandIO): Promise<void> {
  const { values, weights } = await histogramValues('hist', file, options);
  const h = new Hist1D(options.bins, options.range[0], options.range[1]).fill(values, weights);
  if (options.json) {
    writeJSON(out, h.toJSON());
    return;
  }
  const edges = h.edges;
  const peak = Math.max(...h.counts, 0);
  out(`${file}: ${options.column ?? options.branch}, ${h.bins} bins in [${h.lo}, ${h.hi})\n`);
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
    .description(
      'histogram a column (CSV, Arrow) or a branch (ROOT) of a file or URL (ROOT convention: x >= HI is overflow)'
    )
    .argument(
      '<file>',
      'a CSV (with a header row), Arrow IPC (.arrow/.feather/.arrows) or ROOT file'
    )
    .option('--column <name>', 'the column to histogram (CSV)')
    .option('--tree <name>', 'the TTree of a ROOT file')
    .option('--branch <name>', 'the branch to histogram (ROOT; jagged branches are flattened)')
    .option('--portal <url>', 'where root://eospublic.cern.ch URIs are read from')
    .requiredOption('--bins <n>', 'number of uniform bins', positiveInteger)
    .requiredOption('--range <lo,hi>', 'histogram range, e.g. 60,120', range)
    .option('--weight <column>', 'a column (or branch) of per-row weights')
    .option(
      '--json',
      'machine-readable output: {"edges", "counts", "underflow", "overflow", "entries", "sum_weights"}'
    )
    .action((file: string, options: HistOptions) => hist(file, options, io));
};
