// `opendata object FILE NAME`: a stored histogram (TH1/TH2/TProfile) or graph of a ROOT file.
import type * as Root from '../node/root';
import { CommandIO, RegisterCommand, writeJSON } from './io';

// Loaded when the command runs, not when the CLI starts (see event-file.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rootReader = () => require('../node/root') as typeof Root;

interface ObjectOptions {
  json?: boolean;
  portal?: string;
}

async function object(file: string, name: string, options: ObjectOptions, { out }: CommandIO) {
  const root = await rootReader().openROOT(file, { portal: options.portal });
  try {
    const obj = await root.object(name);
    if (options.json) {
      writeJSON(out, obj);
      return;
    }
    out(`${file}: ${name} (${obj.class}) ${obj.title}\n`);
    if ('x' in obj) {
      out('x\ty\tex_low\tex_high\tey_low\tey_high\n');
      for (let i = 0; i < obj.x.length; i++) {
        out(
          [obj.x[i], obj.y[i], obj.ex_low[i], obj.ex_high[i], obj.ey_low[i], obj.ey_high[i]].join(
            '\t'
          ) + '\n'
        );
      }
    } else if ('y_edges' in obj) {
      out(
        `${obj.edges.length - 1} × ${obj.y_edges.length - 1} bins, x in [${obj.edges[0]}, ${obj.edges[obj.edges.length - 1]}), y in [${obj.y_edges[0]}, ${obj.y_edges[obj.y_edges.length - 1]})\n`
      );
      out(`underflow ${obj.underflow}  overflow ${obj.overflow}  entries ${obj.entries}\n`);
    } else {
      for (let i = 0; i < obj.counts.length; i++) {
        out(`[${obj.edges[i]}, ${obj.edges[i + 1]})\t${obj.counts[i]}\t± ${obj.errors[i]}\n`);
      }
      out(`underflow ${obj.underflow}  overflow ${obj.overflow}  entries ${obj.entries}\n`);
    }
  } finally {
    await root.close();
  }
}

export const registerObject: RegisterCommand = (program, io) => {
  program
    .command('object')
    .description('a stored histogram (TH1, TH2, TProfile) or graph (TGraph*) of a ROOT file')
    .argument('<file>', 'a .root file (path or URL)')
    .argument('<name>', 'the key, with its directory (e.g. "Expected limit 1lbb/Graph1D_y1")')
    .option('--portal <url>', 'where root://eospublic.cern.ch URIs are read from')
    .option(
      '--json',
      'machine-readable output: {"class", "edges", "counts", "underflow", "overflow", ...} or {"class", "x", "y", "ex_low", "ex_high", "ey_low", "ey_high"}'
    )
    .action((file: string, name: string, options: ObjectOptions) =>
      object(file, name, options, io)
    );
};
