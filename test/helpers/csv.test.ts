// readCSV against independent parses of the bundled CSV files, and its error reports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpenDataError, numericColumn, parseCSV, readCSV } from '../../kernel-helpers/src';

const events = path.join(__dirname, '..', '..', 'data', 'events');

/** The test's own reading of a plain CSV file (no quotes in these files): header + rows of strings. */
function splitCSV(file: string): { header: string[]; rows: string[][] } {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map(l => l.replace(/\r$/, ''))
    .filter(l => l !== '');
  return { header: lines[0].split(','), rows: lines.slice(1).map(l => l.split(',')) };
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-csv-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tempFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

function caught(fn: () => unknown): OpenDataError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OpenDataError);
    return err as OpenDataError;
  }
  throw new Error('expected an OpenDataError');
}

describe('readCSV on the bundled event files', () => {
  test('Zmumu.csv: columns, types and every M value', () => {
    const file = path.join(events, 'Zmumu.csv');
    const { header, rows } = splitCSV(file);
    const table = readCSV(file);
    expect(table.numRows).toBe(rows.length);
    expect(table.numRows).toBe(2304);
    expect(table.schema.fields.map(f => f.name)).toEqual(header);
    const type = (name: string) => String(table.schema.fields.find(f => f.name === name)?.type);
    expect(type('Type')).toBe('Utf8');
    expect(type('Run')).toBe('Int32');
    expect(type('Q1')).toBe('Int32');
    expect(type('M')).toBe('Float64');

    const mIndex = header.indexOf('M');
    const expected = rows.map(r => parseFloat(r[mIndex]));
    const m = table.getChild('M')!.toArray() as Float64Array;
    expect(Array.from(m)).toEqual(expected);
    expect(m.reduce((s, x) => s + x, 0)).toBeCloseTo(
      expected.reduce((s, x) => s + x, 0),
      6
    );
    expect(table.getChild('Type')!.get(0)).toBe(rows[0][header.indexOf('Type')]);
  });

  test('Zmumu_Run2011A.csv: CRLF line ends, integer and float columns', () => {
    const file = path.join(events, 'Zmumu_Run2011A.csv');
    expect(fs.readFileSync(file, 'utf8')).toContain('\r\n');
    const { header, rows } = splitCSV(file);
    const table = readCSV(file);
    expect(table.numRows).toBe(rows.length);
    expect(table.schema.fields.map(f => f.name)).toEqual(header); // no '\r' left in the last name
    const event = table.getChild('Event')!;
    expect(String(event.type)).toBe('Int32');
    const eventIndex = header.indexOf('Event');
    expect(Array.from(event.toArray() as Int32Array)).toEqual(
      rows.map(r => parseInt(r[eventIndex], 10))
    );
    // The Event sum exceeds 2^31: summing must not wrap.
    const sum = rows.reduce((s, r) => s + parseInt(r[eventIndex], 10), 0);
    expect(sum).toBeGreaterThan(2 ** 31);
    expect(numericColumn(table, 'Event').reduce((s, x) => s + x, 0)).toBe(sum);
    const iso2 = table.getChild('iso2')!.toArray() as Float64Array;
    expect(iso2[iso2.length - 1]).toBe(parseFloat(rows[rows.length - 1][header.indexOf('iso2')]));
  });

  test('2e2mu_2011.csv: a negative Event number (32-bit overflow upstream) is kept', () => {
    const file = path.join(events, '2e2mu_2011.csv');
    const { header, rows } = splitCSV(file);
    const negative = rows.map(r => parseInt(r[header.indexOf('Event')], 10)).filter(e => e < 0);
    expect(negative.length).toBeGreaterThan(0);
    const read = Array.from(readCSV(file).getChild('Event')!.toArray() as Int32Array);
    expect(read.filter(e => e < 0)).toEqual(negative);
  });
});

describe('CSV syntax', () => {
  test('missing final newline, CRLF, quoted fields with "" and newlines, nulls', () => {
    const file = tempFile(
      'quoted.csv',
      'id,name,x\r\n1,"say ""hi""",1.5\r\n2,"two\nlines",\r\n3,,nan\r\n4,"",-inf'
    );
    const table = readCSV(file);
    expect(table.numRows).toBe(4);
    expect(table.getChild('name')!.toArray()).toEqual(['say "hi"', 'two\nlines', null, '']);
    const x = numericColumn(table, 'x');
    expect(Array.from(x)).toEqual([1.5, NaN, NaN, -Infinity]);
    expect(table.getChild('x')!.nullCount).toBe(1);
    expect(Array.from(table.getChild('id')!.toArray() as Int32Array)).toEqual([1, 2, 3, 4]);
  });

  test('a text column with a null keeps every later value when the columns grow', () => {
    // Regression: growing the columns past 1024 rows left a text column's validity bitmap at its
    // old size, so every later value read as null.
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},${i === 2 ? '' : `w${i}`}`);
    const table = parseCSV('n,word\n' + rows.join('\n'));
    const word = table.getChild('word')!;
    expect(word.nullCount).toBe(1);
    expect(word.get(2)).toBeNull();
    expect(word.get(1024)).toBe('w1024');
    expect(word.get(2999)).toBe('w2999');
  });

  test('type inference: Int32, Float64 beyond 32 bits, Float64, Utf8', () => {
    const table = parseCSV('small,big,real,text\n1,2147483648,1,a\n-2147483648,1,2.5e3,2\n');
    expect(table.schema.fields.map(f => String(f.type))).toEqual([
      'Int32',
      'Float64',
      'Float64',
      'Utf8'
    ]);
    expect(table.getChild('big')!.get(0)).toBe(2147483648);
    expect(table.getChild('small')!.get(1)).toBe(-2147483648);
  });

  test('blank lines are skipped; a header-only file has no rows', () => {
    expect(parseCSV('a,b\n\n1,2\n\n').numRows).toBe(1);
    expect(parseCSV('a,b\n').numRows).toBe(0);
  });
});

describe('CSV errors', () => {
  test('a ragged row names the file and its line', () => {
    const file = tempFile('ragged.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n');
    const err = caught(() => readCSV(file));
    expect(err.code).toBe('E_FORMAT');
    expect(err.message).toContain(file);
    expect(err.message).toContain('line 4');
    expect(err.message).toMatch(/expected 3 fields.*found 2/);
  });

  test('line numbers count newlines inside quoted fields', () => {
    const err = caught(() => parseCSV('a,b\n"x\ny",1\n2\n', { source: 'q.csv' }));
    expect(err.message).toBe('q.csv: line 4: expected 2 fields (as in the header), found 1');
  });

  test('an unterminated quote names the line where it opens', () => {
    const err = caught(() => parseCSV('a,b\n1,2\n3,"4\n5,6\n', { source: 'u.csv' }));
    expect(err.code).toBe('E_FORMAT');
    expect(err.message).toBe('u.csv: line 3: unterminated quoted field');
  });

  test('missing file, empty file, duplicate column names', () => {
    const missing = path.join(tmp, 'missing.csv');
    const notFound = caught(() => readCSV(missing));
    expect(notFound.code).toBe('E_NOT_FOUND');
    expect(notFound.message).toContain(missing);
    expect(caught(() => readCSV(tempFile('empty.csv', ''))).code).toBe('E_FORMAT');
    expect(caught(() => parseCSV('a,a\n1,2\n')).message).toContain('duplicate column name "a"');
  });

  test('numericColumn: unknown and non-numeric columns', () => {
    const table = parseCSV('a,s\n1,x\n');
    expect(caught(() => numericColumn(table, 'nope', 'f.csv')).code).toBe('E_NOT_FOUND');
    expect(caught(() => numericColumn(table, 's', 'f.csv')).code).toBe('E_FORMAT');
  });
});
