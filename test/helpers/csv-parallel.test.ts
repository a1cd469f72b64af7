// readCSV on several threads: the file in pieces cut at line starts, one record batch per piece.
// Every case is checked against the one-thread read of the same file (itself checked against
// pandas in csv-columns.test.ts) and against values computed here from the text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Table } from 'apache-arrow';
import { numericColumn, readCSV } from '../../kernel-helpers/src';
import { sharedPath } from '../support/shared-data';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-csv-parallel-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Every column as JSON-able values, whatever the batches. */
function contents(t: Table): unknown {
  return t.schema.fields.map(f => {
    const c = t.getChild(f.name)!;
    return [
      f.name,
      String(f.type),
      c.nullCount,
      Array.from({ length: c.length }, (_, i) => c.get(i))
    ];
  });
}

/** Small pieces: many per file. */
const pieces = { threads: 2, chunkBytes: 4096, minPieceBytes: 4096 };

test('Zmumu_Run2011A repeated 3x: the same columns on 1 and 2 threads, in several batches', () => {
  const source = fs.readFileSync(sharedPath('events', 'csv', 'Zmumu_Run2011A.csv'));
  const headerEnd = source.indexOf('\n') + 1;
  const body = source.subarray(headerEnd);
  const file = write('z3.csv', Buffer.concat([source.subarray(0, headerEnd), body, body, body]));
  const lines = body
    .toString('latin1')
    .split('\r\n')
    .filter(l => l !== '');
  const one = readCSV(file, { threads: 1 });
  const two = readCSV(file, pieces);
  expect(one.batches.length).toBe(1);
  expect(two.batches.length).toBeGreaterThan(4);
  expect(two.numRows).toBe(3 * lines.length);
  expect(contents(two)).toEqual(contents(one));
  // pt1 of the last record, from the text itself
  const last = lines[lines.length - 1].split(',');
  const pt1 = numericColumn(two, 'pt1');
  expect(pt1[pt1.length - 1]).toBe(Number(last[2]));
});

test('quoted fields with newlines across piece starts: the same table as on one thread', () => {
  // Line starts inside quoted fields: a piece starting there is detected and the file is read
  // on one thread instead; the result must not differ.
  const row = (i: number) =>
    `${i},"a ""quoted"" note\nwith a newline ${i}\n,${i}",${(i * 0.25).toFixed(2)}\r\n`;
  const text = 'id,note,x\r\n' + Array.from({ length: 3000 }, (_, i) => row(i)).join('');
  const file = write('quoted.csv', text);
  const two = readCSV(file, pieces);
  expect(contents(two)).toEqual(contents(readCSV(file, { threads: 1 })));
  expect(two.getChild('note')!.get(2999)).toBe('a "quoted" note\nwith a newline 2999\n,2999');
  expect(two.numRows).toBe(3000);
});

describe('column types over all pieces', () => {
  const n = 40000;
  const build = (cell: (i: number) => string) =>
    'i,v\n' + Array.from({ length: n }, (_, i) => `${i},${cell(i)}`).join('\n') + '\n';

  test('integers early, one float late: Float64 in every batch, integers exact', () => {
    const file = write(
      'late-float.csv',
      build(i => (i === n - 5 ? '2.5' : String(i * 3)))
    );
    const t = readCSV(file, pieces);
    expect(t.batches.length).toBeGreaterThan(2);
    expect(String(t.getChild('v')!.type)).toBe('Float64');
    const v = numericColumn(t, 'v');
    expect(v[n - 5]).toBe(2.5);
    expect(v[n - 6]).toBe((n - 6) * 3);
    expect(v[0]).toBe(0);
  });

  test('numbers early, text late: Utf8 as written in every batch', () => {
    const file = write(
      'late-text.csv',
      build(i => (i === n - 1 ? 'n/a' : (i / 4).toString()))
    );
    const t = readCSV(file, pieces);
    expect(String(t.getChild('v')!.type)).toBe('Utf8');
    expect(t.getChild('v')!.get(3)).toBe('0.75');
    expect(t.getChild('v')!.get(n - 1)).toBe('n/a');
    expect(String(t.getChild('i')!.type)).toBe('Int32');
    expect(contents(t)).toEqual(contents(readCSV(file, { threads: 1 })));
  });

  test("a piece of nothing but empty fields takes the others' type, as nulls", () => {
    const file = write(
      'null-run.csv',
      build(i => (i >= 10000 && i < 30000 ? '' : `${i}.5`))
    );
    const t = readCSV(file, pieces);
    const v = t.getChild('v')!;
    expect(String(v.type)).toBe('Float64');
    expect(v.nullCount).toBe(20000);
    expect(v.get(15000)).toBeNull();
    expect(v.get(30000)).toBe(30000.5);
    expect(contents(t)).toEqual(contents(readCSV(file, { threads: 1 })));
  });
});

test('a ragged row in a late piece names its line, as on one thread', () => {
  const lines = Array.from({ length: 60000 }, (_, i) => `${i},${i * 2}`);
  lines[57321] = '1,2,3';
  const file = write('ragged.csv', 'a,b\r\n' + lines.join('\r\n'));
  expect(() => readCSV(file, pieces)).toThrow(
    `${file}: line 57323: expected 2 fields (as in the header), found 3`
  );
});

test('a header longer than a chunk is read whole before the pieces', () => {
  // Regression: the header reader stopped after the first chunk when the header needed more.
  const file = sharedPath('events', 'csv', '4mu_2012.csv');
  const tiny = readCSV(file, { threads: 2, chunkBytes: 3, minPieceBytes: 4096 });
  expect(tiny.schema.fields.map(f => f.name)).toEqual(
    fs.readFileSync(file, 'utf8').split('\n')[0].trim().split(',')
  );
  expect(contents(tiny)).toEqual(contents(readCSV(file, { threads: 1 })));
});

test('threads and minPieceBytes must be positive integers', () => {
  const file = sharedPath('events', 'csv', '4e_2011.csv');
  expect(() => readCSV(file, { threads: 0 })).toThrow('CSV threads must be a positive integer');
  expect(() => readCSV(file, { minPieceBytes: 0.5 })).toThrow(
    'CSV minPieceBytes must be a positive integer'
  );
});
