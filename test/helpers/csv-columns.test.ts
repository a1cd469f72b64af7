// The chunked CSV reader against pandas.read_csv on every real CSV file, and its streaming edge
// cases: records across chunk boundaries, late type changes, exact numbers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataType, Table } from 'apache-arrow';
import { OpenDataError, numericColumn, parseCSV, readCSV } from '../../kernel-helpers/src';
import { python } from '../support/python';
import { sharedPath } from '../support/shared-data';

const CSV_FILES = [
  ...fs
    .readdirSync(sharedPath('events', 'csv'))
    .filter(f => f.endsWith('.csv'))
    .map(f => sharedPath('events', 'csv', f)),
  sharedPath('events', 'derived', 'uproot-Zmumu.derived.csv')
];

interface PandasColumn {
  name: string;
  dtype: string;
  values: (number | string | null)[];
}

/** pandas' reading of CSV files: per column its dtype and values (NaN as null). */
function pandasRead(files: string[]): PandasColumn[][] {
  return python<PandasColumn[][]>(
    `
import json, sys, math
import pandas as pd
out = []
for f in sys.argv[1:]:
    df = pd.read_csv(f)
    cols = []
    for name in df.columns:
        s = df[name]
        vals = [None if (isinstance(v, float) and math.isnan(v)) else v for v in s.tolist()]
        cols.append({'name': name, 'dtype': str(s.dtype), 'values': vals})
    out.append(cols)
print(json.dumps(out))
`,
    files
  );
}

function values(table: Table, name: string): (number | string | null)[] {
  const column = table.getChild(name)!;
  if (DataType.isInt(column.type) || DataType.isFloat(column.type)) {
    return Array.from(numericColumn(table, name), v => (Number.isNaN(v) ? null : v));
  }
  return Array.from({ length: column.length }, (_, i) => column.get(i) as string | null);
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-csv-columns-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// One thread (WebAssembly numbers and the JavaScript parser) and two threads (the file in
// pieces of at least 4 KiB, one record batch each) must both read what pandas reads.
test.each([1, 2])(
  'every real CSV file reads as pandas reads it on %i thread(s): names, kinds and every value',
  threads => {
    const truth = pandasRead(CSV_FILES);
    CSV_FILES.forEach((file, k) => {
      const table = readCSV(file, { threads, chunkBytes: 4096, minPieceBytes: 4096 });
      if (threads > 1 && fs.statSync(file).size > 64 * 1024) {
        expect(table.batches.length).toBeGreaterThan(1);
      }
      const expected = truth[k];
      expect(table.schema.fields.map(f => f.name)).toEqual(expected.map(c => c.name));
      for (const col of expected) {
        const type = String(table.getChild(col.name)!.type);
        if (col.dtype === 'int64') {
          expect(type).toBe('Int32');
        } // all these fit 32 bits
        else if (col.dtype === 'float64') expect(type).toBe('Float64');
        else expect(type).toBe('Utf8');
        expect({ file, name: col.name, values: values(table, col.name) }).toEqual({
          file,
          name: col.name,
          values: col.values
        });
      }
    });
  }
);

test('Zmumu_Run2011A repeated past many 256 KiB chunks: the same columns, every record once', () => {
  const source = fs.readFileSync(sharedPath('events', 'csv', 'Zmumu_Run2011A.csv'));
  const headerEnd = source.indexOf('\n') + 1;
  const body = source.subarray(headerEnd);
  const copies = 5; // ~5.5 MB: records straddle chunk boundaries at arbitrary places
  const file = path.join(tmp, 'repeated.csv');
  fs.writeFileSync(
    file,
    Buffer.concat([source.subarray(0, headerEnd), ...Array(copies).fill(body)])
  );
  const one = readCSV(sharedPath('events', 'csv', 'Zmumu_Run2011A.csv'));
  const many = readCSV(file);
  expect(many.numRows).toBe(one.numRows * copies);
  for (const name of ['Run', 'Event', 'pt1', 'iso2']) {
    const a = numericColumn(one, name);
    const b = numericColumn(many, name);
    for (let c = 0; c < copies; c++) {
      expect(Array.from(b.subarray(c * a.length, (c + 1) * a.length))).toEqual(Array.from(a));
    }
  }
});

test('Zmumu.csv (a text column) repeated: the WebAssembly path equals the JavaScript parse', () => {
  // readCSV from a file reads most records with the kernel (text spans and numbers); parseCSV of
  // the same bytes in memory reads all of them with the JavaScript parser.
  const source = fs.readFileSync(path.join(__dirname, '..', '..', 'data', 'events', 'Zmumu.csv'));
  const headerEnd = source.indexOf('\n') + 1;
  const records = source
    .subarray(headerEnd)
    .toString('utf8')
    .split('\n')
    .filter(l => l !== '');
  // Labels of every length 0..45 (multibyte UTF-8 too), an empty and a quoted one now and then.
  const labels = records.map((_, k) =>
    k % 97 === 0 ? '' : k % 89 === 0 ? '"q,""x"""' : 'μ'.repeat(k % 7) + 'x'.repeat(k % 40)
  );
  const lines = records.map((l, k) => l.replace(/^[A-Z]+,/, labels[k] + ','));
  const text = source.subarray(0, headerEnd).toString('utf8') + lines.join('\n') + '\n';
  const file = path.join(tmp, 'zmumu-labels.csv');
  fs.writeFileSync(file, text);
  const kernel = readCSV(file, { threads: 1, chunkBytes: 16384 });
  const js = parseCSV(text);
  for (const f of js.schema.fields) {
    expect({ name: f.name, values: values(kernel, f.name) }).toEqual({
      name: f.name,
      values: values(js, f.name)
    });
  }
  const type = kernel.getChild('Type')!;
  expect(String(type.type)).toBe('Utf8');
  expect(type.get(98)).toBe(labels[98]);
  expect(type.get(89)).toBe('q,"x"');
  expect(type.get(97)).toBeNull();
});

describe('records across chunk boundaries', () => {
  // Quoted fields with newlines and "" escapes, CRLF, nulls: one text parsed whole and from a file
  // read in 256 KiB chunks must agree, wherever the boundaries fall.
  const row = (i: number) =>
    `${i},"line one\r\nline ""two"" ${i}",${(i * 0.37).toFixed(3)},${i % 7 === 0 ? '' : i * 3}\r\n`;
  const text = 'id,note,x,n\r\n' + Array.from({ length: 50000 }, (_, i) => row(i)).join('');

  test('a > 2 MiB file equals the one-shot parse, every value', () => {
    expect(text.length).toBeGreaterThan(2 * (1 << 20));
    const file = path.join(tmp, 'quoted.csv');
    fs.writeFileSync(file, text);
    const streamed = readCSV(file);
    const whole = parseCSV(text);
    expect(streamed.numRows).toBe(50000);
    for (const name of ['id', 'note', 'x', 'n']) {
      expect(values(streamed, name)).toEqual(values(whole, name));
    }
    expect(streamed.getChild('note')!.get(12345)).toBe('line one\r\nline "two" 12345');
    expect(streamed.getChild('n')!.nullCount).toBe(Math.ceil(50000 / 7));
    // A null's slot in the raw values holds 0, not what the memory held before.
    const raw = streamed.getChild('n')!.data.flatMap(d => Array.from(d.values as Int32Array));
    expect(raw.filter((_, i) => i % 7 === 0).some(v => v !== 0)).toBe(false);
    expect(numericColumn(streamed, 'x')[49999]).toBe(Number((49999 * 0.37).toFixed(3)));
  });
});

describe('type inference over the whole file', () => {
  test('an integer column that meets a float far down becomes Float64 with every value kept', () => {
    const lines = Array.from({ length: 300000 }, (_, i) => `${i},${i - 150000}`);
    lines[299990] = '1.5,7';
    const t = parseCSV('a,b\n' + lines.join('\n'));
    expect(String(t.getChild('a')!.type)).toBe('Float64');
    expect(String(t.getChild('b')!.type)).toBe('Int32');
    const a = numericColumn(t, 'a');
    expect(a[299989]).toBe(299989);
    expect(a[299990]).toBe(1.5);
    expect(a[0]).toBe(0);
  });

  test('a numeric column that meets text far down is read again as text, values as written', () => {
    const file = path.join(tmp, 'late-text.csv');
    const lines = Array.from({ length: 200000 }, (_, i) => `${i},${(i / 8).toString()}`);
    lines[199999] = '199999,n/a';
    fs.writeFileSync(file, 'i,v\n' + lines.join('\n') + '\n');
    const t = readCSV(file);
    expect(String(t.getChild('v')!.type)).toBe('Utf8');
    expect(t.getChild('v')!.get(3)).toBe('0.375');
    expect(t.getChild('v')!.get(199999)).toBe('n/a');
    expect(String(t.getChild('i')!.type)).toBe('Int32');
  });

  test('numbers parse exactly as Number() does, the fast path and the slow one', () => {
    const samples = [
      '0',
      '-0.0',
      '+12',
      '3.14159265358979',
      '1.7976931348623157e308',
      '5e-324',
      '123456789012345678',
      '0.1',
      '0.30000000000000004',
      '1e22',
      '1e23',
      '-2147483648',
      '2147483647',
      '.5',
      '5.',
      '1E+2',
      '000123.4500'
    ];
    const t = parseCSV('x\n' + samples.join('\n'));
    expect(Array.from(numericColumn(t, 'x'))).toEqual(samples.map(Number));
    // random decimals with up to 17 significant digits
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const many = Array.from({ length: 20000 }, (_, i) =>
      (rand() * 10 ** ((i % 30) - 15)).toPrecision(1 + (i % 17))
    );
    const u = parseCSV('x\n' + many.join('\n'));
    expect(Array.from(numericColumn(u, 'x'))).toEqual(many.map(Number));
  });

  test('integers beyond 32 bits widen to Float64 exactly (Event sums stay exact)', () => {
    const t = parseCSV('e\n1\n4294967296\n-3\n');
    expect(String(t.getChild('e')!.type)).toBe('Float64');
    expect(Array.from(numericColumn(t, 'e'))).toEqual([1, 4294967296, -3]);
  });
});

describe('errors', () => {
  test('a ragged row deep in a large file names its line', () => {
    const file = path.join(tmp, 'ragged-large.csv');
    const lines = Array.from({ length: 250000 }, (_, i) => `${i},${i * 2}`);
    lines[234567] = '1,2,3';
    fs.writeFileSync(file, 'a,b\r\n' + lines.join('\r\n'));
    expect(() => readCSV(file)).toThrow(
      `${file}: line 234569: expected 2 fields (as in the header), found 3`
    );
  });

  test('a missing file and a directory are E_NOT_FOUND naming them', () => {
    for (const file of [path.join(tmp, 'nope.csv'), tmp]) {
      try {
        readCSV(file);
        throw new Error('expected an error');
      } catch (err) {
        expect(err).toBeInstanceOf(OpenDataError);
        expect((err as OpenDataError).code).toBe('E_NOT_FOUND');
        expect((err as Error).message).toContain(file);
      }
    }
  });
});
