// What `inspect`, `read`, `hist` and `hepdata-export` share: telling ROOT files from table files
// (CSV, Arrow), parsing an entry range, reading the values to histogram.
import fs from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { OpenDataError } from '../core/errors';
import type * as Physics from '../core/physics';
import type * as Columns from '../node/columns';
import type * as ReadTable from '../node/read-table';
import type * as Root from '../node/root';

// The readers load when a command reads a file, not when the CLI starts (`opendata search` needs
// none of them; apache-arrow and jsroot alone take ~100 ms to load).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const physics = () => require('../core/physics') as typeof Physics;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const columns = () => require('../node/columns') as typeof Columns;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const readTables = () => require('../node/read-table') as typeof ReadTable;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rootReader = () => require('../node/root') as typeof Root;

/** A ROOT file by its extension (local or a URL, root:// included), or its magic bytes ("root"). */
export function isROOTFile(file: string): boolean {
  if (/\.root$/i.test(file)) return true;
  if (/^(https?|root):\/\//i.test(file)) return /\.root([?#]|$)/i.test(file);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(4);
      return fs.readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === 'root';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** `START-STOP` (0-based, STOP exclusive, either may be omitted) → [start, stop]. */
export function entryRange(value: string): [number | undefined, number | undefined] {
  const m = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(value);
  if (!m || (m[1] === '' && m[2] === '')) {
    throw new InvalidArgumentError('expected START-STOP (0-based, STOP exclusive), e.g. 0-100.');
  }
  const start = m[1] === '' ? undefined : Number(m[1]);
  const stop = m[2] === '' ? undefined : Number(m[2]);
  if (start !== undefined && stop !== undefined && stop < start) {
    throw new InvalidArgumentError('STOP must not be less than START.');
  }
  return [start, stop];
}

/** A comma-separated list of names. */
export function nameList(value: string): string[] {
  const names = value
    .split(',')
    .map(s => s.trim())
    .filter(s => s !== '');
  if (names.length === 0) throw new InvalidArgumentError('expected names separated by commas.');
  return names;
}

/** Where the values of a histogram come from: a table's column or a ROOT tree's branch. */
export interface HistogramSource {
  column?: string;
  tree?: string;
  branch?: string;
  weight?: string;
  portal?: string;
}

/**
 * The values (and weights) of `--column C` in a CSV/Arrow table, or of `--tree T --branch B` in a
 * ROOT file (jagged branches flattened); E_USAGE naming the command unless exactly one is given.
 */
export async function histogramValues(
  command: string,
  file: string,
  o: HistogramSource
): Promise<{ values: Float64Array; weights?: Float64Array }> {
  const fromROOT = o.tree !== undefined || o.branch !== undefined;
  if (fromROOT === (o.column !== undefined) || (fromROOT && !(o.tree && o.branch))) {
    throw new OpenDataError('E_USAGE', `${command}: give either --column C or --tree T --branch B`);
  }
  if (!fromROOT) {
    const table = await readTables().readTable(file, { download: { portal: o.portal } }); // CSV or Arrow IPC
    return {
      values: columns().numericColumn(table, o.column!, file),
      weights: o.weight === undefined ? undefined : columns().numericColumn(table, o.weight, file)
    };
  }
  const root = await rootReader().openROOT(file, { portal: o.portal });
  try {
    const tree = await root.tree(o.tree!);
    const names = [o.branch!, ...(o.weight === undefined ? [] : [o.weight])];
    const table = await tree.read(names);
    const what = (n: string) => `${file}: tree ${o.tree}, branch ${n}`;
    return {
      values: physics().flatNumbers(table.getChild(names[0])!, what(names[0])),
      weights:
        names[1] === undefined
          ? undefined
          : physics().flatNumbers(table.getChild(names[1])!, what(names[1]))
    };
  } finally {
    await root.close();
  }
}
