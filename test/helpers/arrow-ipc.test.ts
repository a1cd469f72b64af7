// Arrow IPC read and write, checked through pyarrow: the real derived .arrow files read as pyarrow
// reads them; tables we write (file and stream) read back in pyarrow/pandas with the same values.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Table } from 'apache-arrow';
import {
  OpenDataError,
  describeTableFile,
  numericColumn,
  readArrowFile,
  readCSV,
  readTableFile,
  writeArrowFile
} from '../../kernel-helpers/src';
import { python } from '../support/python';
import { sharedPath } from '../support/shared-data';

const ARROW_FILES = ['Zmumu_Run2011A.derived.arrow', 'uproot-Zmumu.derived.arrow'].map(f =>
  sharedPath('events', 'derived', f)
);

interface PyColumn {
  name: string;
  type: string;
  values: unknown[];
}

/** pyarrow's reading of IPC files (file or stream framing): names, types and values. */
function pyarrowRead(files: string[]): { rows: number; columns: PyColumn[] }[] {
  return python(
    `
import json, sys
import pyarrow as pa, pyarrow.ipc as ipc
out = []
for f in sys.argv[1:]:
    with open(f, 'rb') as fh:
        head = fh.read(6)
    t = (ipc.open_file(f) if head == b'ARROW1' else ipc.open_stream(f)).read_all()
    out.append({'rows': t.num_rows, 'columns': [
        {'name': n, 'type': str(t.schema.field(n).type), 'values': t.column(n).to_pylist()}
        for n in t.column_names]})
print(json.dumps(out))
`,
    files
  );
}

function jsValues(table: Table, name: string): unknown[] {
  const column = table.getChild(name)!;
  return Array.from({ length: column.length }, (_, i) => column.get(i));
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-arrow-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the real derived .arrow files read as pyarrow reads them', () => {
  const truth = pyarrowRead(ARROW_FILES);
  ARROW_FILES.forEach((file, k) => {
    const table = readArrowFile(file);
    expect(table.numRows).toBe(truth[k].rows);
    expect(table.schema.fields.map(f => f.name)).toEqual(truth[k].columns.map(c => c.name));
    for (const col of truth[k].columns) {
      expect({ file, name: col.name, values: jsValues(table, col.name) }).toEqual({
        file,
        name: col.name,
        values: col.values
      });
    }
  });
});

test('the Arrow copy of Zmumu_Run2011A.csv holds what our CSV reader reads from the CSV', () => {
  const fromArrow = readArrowFile(ARROW_FILES[0]);
  const fromCSV = readCSV(sharedPath('events', 'csv', 'Zmumu_Run2011A.csv'));
  for (const f of fromCSV.schema.fields) {
    expect(Array.from(numericColumn(fromArrow, f.name))).toEqual(
      Array.from(numericColumn(fromCSV, f.name))
    );
  }
});

test.each(['file', 'stream'] as const)(
  'a table we write as an IPC %s reads back in pyarrow and pandas with every value',
  format => {
    const source = readCSV(sharedPath('events', 'derived', 'uproot-Zmumu.derived.csv'));
    const file = path.join(tmp, `zmumu.${format === 'file' ? 'arrow' : 'arrows'}`);
    writeArrowFile(file, source, format);
    expect(fs.readdirSync(tmp).filter(f => f.includes('.partial'))).toEqual([]);
    const [back] = pyarrowRead([file]);
    expect(back.rows).toBe(source.numRows);
    for (const col of back.columns) {
      expect(col.type).toBe(
        { Int32: 'int32', Float64: 'double', Utf8: 'string' }[
          String(source.getChild(col.name)!.type)
        ]
      );
      expect(col.values).toEqual(jsValues(source, col.name));
    }
    // pandas sees the same frame as pandas.read_csv of the CSV
    const same = python<boolean>(
      `
import sys, json
import pandas as pd, pyarrow.ipc as ipc, pyarrow as pa
f, csv, fmt = sys.argv[1:]
t = (ipc.open_file(f) if fmt == 'file' else ipc.open_stream(f)).read_all()
a = t.to_pandas()
b = pd.read_csv(csv)
print(json.dumps(bool(a.equals(b.astype(a.dtypes.to_dict())))))
`,
      [file, sharedPath('events', 'derived', 'uproot-Zmumu.derived.csv'), format]
    );
    expect(same).toBe(true);
    // and we read our own output back
    const again = readTableFile(file);
    expect(again.numRows).toBe(source.numRows);
    expect(Array.from(numericColumn(again, 'M'))).toEqual(Array.from(numericColumn(source, 'M')));
  }
);

test('describeTableFile: format, column types and rows of CSV and Arrow files', () => {
  const d = describeTableFile(ARROW_FILES[1]);
  expect(d.format).toBe('arrow');
  expect(d.rows).toBe(2304);
  expect(d.columns.find(c => c.name === 'M')).toEqual({ name: 'M', type: 'Float64' });
  const c = describeTableFile(sharedPath('events', 'csv', '4mu_2011.csv'));
  expect(c.format).toBe('csv');
  expect(c.columns[0]).toEqual({ name: 'Run', type: 'Int32' });
});

test('not Arrow: a clear E_FORMAT naming the file; unknown formats are E_UNSUPPORTED', () => {
  const bad = path.join(tmp, 'bad.arrow');
  fs.writeFileSync(bad, 'ARROW1\0\0 this is not a flatbuffer at all');
  expect(() => readTableFile(bad)).toThrow(OpenDataError);
  expect(() => readTableFile(bad)).toThrow(`${bad}: not a readable Arrow IPC file or stream`);
  const truncated = path.join(tmp, 'truncated.arrow');
  const bytes = fs.readFileSync(ARROW_FILES[1]);
  fs.writeFileSync(truncated, bytes.subarray(0, bytes.length >> 1));
  expect(() => readTableFile(truncated)).toThrow(OpenDataError);
  const text = path.join(tmp, 'notes.txt');
  fs.writeFileSync(text, 'hello');
  try {
    readTableFile(text);
    throw new Error('expected an error');
  } catch (err) {
    expect((err as OpenDataError).code).toBe('E_UNSUPPORTED');
  }
});

test('pyarrow-written int64, bool, float32 and null values read as numbers exactly', () => {
  const file = path.join(tmp, 'types.arrow');
  const truth = python<Record<string, (number | null)[]>>(
    `
import json, sys
import pyarrow as pa, pyarrow.ipc as ipc
t = pa.table({
  'event': pa.array([2**53 - 1, -5, None, 7], pa.int64()),
  'pass': pa.array([True, False, None, True]),
  'w': pa.array([0.1, None, 2.5, -1e30], pa.float32()),
})
with ipc.new_file(sys.argv[1], t.schema) as w:
    w.write_table(t)
to_num = lambda v: None if v is None else float(v)
print(json.dumps({n: [to_num(v) for v in t.column(n).cast(pa.float64()).to_pylist()] for n in t.column_names}))
`,
    [file]
  );
  const table = readArrowFile(file);
  for (const name of ['event', 'pass', 'w']) {
    expect(Array.from(numericColumn(table, name), v => (Number.isNaN(v) ? null : v))).toEqual(
      truth[name]
    );
  }
});
