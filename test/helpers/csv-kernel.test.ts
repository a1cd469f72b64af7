// The CSV reader's WebAssembly kernel against its JavaScript parser. Random records of fields that
// are numbers, or nearly: read from a file in chunks (where the kernel takes the records it can)
// they must equal the one-shot parse of the same bytes (the JavaScript parser alone), cell by
// cell with -0 and NaN told apart, errors included. Mutated real files (fuzz.test.ts) seldom give
// the kernel whole records of such fields; these do. More cases: OPENDATA_CSV_KERNEL_CASES=N.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Table } from 'apache-arrow';
import { OpenDataError, parseCSV, readCSV } from '../../kernel-helpers/src';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prng } = require('../../kernel-helpers/fuzz/mutate.js') as {
  prng: (seed: number) => () => number;
};

const CASES = Number(process.env.OPENDATA_CSV_KERNEL_CASES ?? 150);

/** Fields the kernel must leave to the JavaScript parser, or read exactly as it does. */
const ODD = [
  '',
  '-',
  '+',
  '.',
  '-.',
  '+5',
  '1e5',
  '1E-3',
  '2.5e+10',
  '-7e-300',
  '1e400',
  ' 3',
  '3 ',
  'nan',
  '-inf',
  '007',
  '-0',
  '-0.0',
  '0.',
  '.5',
  '-.25',
  'x',
  '1.2.3',
  '--1',
  '1-',
  '"4"',
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  '999999999999999',
  '9999999999999999',
  '9007199254740993',
  '12345678901234567890',
  '0.1234567890123456789',
  '123456789012.3456'
];

function digits(random: () => number, count: number): string {
  let s = '';
  for (let k = 0; k < count; k++) s += String(Math.floor(random() * 10));
  return s;
}

/** One field of a column that holds integers (style 0), decimals (1) or both (2). */
function field(random: () => number, style: number, oddRate: number): string {
  if (random() < oddRate) return ODD[Math.floor(random() * ODD.length)];
  const sign = random() < 0.4 ? '-' : '';
  const integer = style === 0 || (style === 2 && random() < 0.5);
  if (integer) return sign + digits(random, 1 + Math.floor(random() * 10));
  return (
    sign +
    digits(random, Math.floor(random() * 6)) +
    '.' +
    digits(random, Math.floor(random() * 13))
  );
}

function cells(t: Table): { types: string[]; columns: unknown[][] } {
  const names = t.schema.fields.map(f => f.name);
  return {
    types: t.schema.fields.map(f => String(f.type)),
    columns: names.map(name => {
      const c = t.getChild(name)!;
      return Array.from({ length: c.length }, (_, i) => c.get(i));
    })
  };
}

function read(fn: () => Table): { table: Table } | { error: string } {
  try {
    return { table: fn() };
  } catch (err) {
    if (err instanceof OpenDataError) return { error: `${err.code} ${err.message}` };
    throw err;
  }
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-csv-kernel-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test(`${CASES} random files of number-like fields: the kernel's reads equal the JavaScript parser's`, () => {
  const random = prng(4711);
  const file = path.join(tmp, 'numbers.csv');
  let kernelRows = 0;
  for (let k = 0; k < CASES; k++) {
    const columns = 1 + Math.floor(random() * 6);
    const styles = Array.from({ length: columns }, () => Math.floor(random() * 3));
    const oddRate = [0, 0.0005, 0.003, 0.03][k % 4];
    const delimiter = k % 5 === 4 ? ';' : ',';
    const newline = k % 3 === 2 ? '\r\n' : '\n';
    const rows = 200 + Math.floor(random() * 3000);
    const lines = [styles.map((_, j) => `c${j}`).join(delimiter)];
    for (let r = 0; r < rows; r++) {
      lines.push(styles.map(s => field(random, s, oddRate)).join(delimiter));
    }
    const text = lines.join(newline) + (random() < 0.5 ? newline : '');
    fs.writeFileSync(file, text);
    const chunkBytes = [4096, 65536, 1 << 18][k % 3];
    const what = `case ${k}: ${columns} columns, ${rows} rows, odd fields ${oddRate}, chunks ${chunkBytes}`;
    const kernel = read(() => readCSV(file, { delimiter, chunkBytes, threads: 1 }));
    const plain = read(() => parseCSV(text, { delimiter, source: file }));
    if ('error' in plain || 'error' in kernel) {
      expect({ what, kernel: 'error' in kernel && kernel.error }).toEqual({
        what,
        kernel: 'error' in plain && plain.error
      });
      continue;
    }
    const got = cells(kernel.table);
    const expected = cells(plain.table);
    expect({ what, types: got.types }).toEqual({ what, types: expected.types });
    got.columns.forEach((column, j) => {
      const differ = column.findIndex((v, i) => !Object.is(v, expected.columns[j][i]));
      const at =
        differ < 0 ? null : { row: differ, got: column[differ], want: expected.columns[j][differ] };
      expect({ what, column: j, at }).toEqual({ what, column: j, at: null });
    });
    kernelRows += kernel.table.numRows;
  }
  expect(kernelRows).toBeGreaterThan(CASES * 200 * 0.5);
});
