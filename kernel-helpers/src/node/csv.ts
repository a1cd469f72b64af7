import {
  Data,
  DataType,
  Field,
  Float64,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData
} from 'apache-arrow';
import { OpenDataError } from '../core/errors';
import { readFileOrThrow } from './read-file';

export interface ReadCSVOptions {
  /** Field separator, one character (default `,`). */
  delimiter?: string;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Spellings of non-finite values that numeric writers (C printf, numpy, ROOT) produce.
const SPECIAL: Record<string, number> = {
  nan: NaN,
  '+nan': NaN,
  '-nan': NaN,
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity
};

/**
 * Reads a CSV file with a header row into an Arrow table. Each column gets the narrowest type that
 * holds all its values: Int32 (integers within 32 bits), Float64 (other numbers, nan/inf included),
 * else Utf8. Empty unquoted fields are nulls; a quoted `""` is an empty string. CRLF or LF line
 * ends, quoted fields with `""` escapes and embedded newlines, blank lines skipped.
 */
export function readCSV(file: string, options: ReadCSVOptions = {}): Table {
  const text = readFileOrThrow(file, 'CSV file').toString('utf8');
  return parseCSV(text, { ...options, source: file });
}

/** parseCSV's options: `source` names the input in error messages (a file path for readCSV). */
export interface ParseCSVOptions extends ReadCSVOptions {
  source?: string;
}

/** Parses CSV text (see readCSV). */
export function parseCSV(text: string, options: ParseCSVOptions = {}): Table {
  const source = options.source ?? 'CSV text';
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new OpenDataError(
      'E_USAGE',
      `CSV delimiter must be one character other than a quote or newline (got ${JSON.stringify(delimiter)})`
    );
  }
  // Filled by the record callback (the first record is the header).
  const parsed: { header: string[] | null; columns: (string | null)[][]; rows: number } = {
    header: null,
    columns: [],
    rows: 0
  };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // UTF-8 byte order mark
  forEachRecord(body, delimiter.charCodeAt(0), source, (fields, line) => {
    const header = parsed.header;
    if (header === null) {
      parsed.header = fields.map(f => f ?? '');
      checkHeader(parsed.header, source);
      parsed.columns = parsed.header.map(() => []);
      return;
    }
    if (fields.length !== header.length) {
      throw new OpenDataError(
        'E_FORMAT',
        `${source}: line ${line}: expected ${header.length} fields (as in the header), found ${fields.length}`
      );
    }
    for (let j = 0; j < fields.length; j++) parsed.columns[j].push(fields[j]);
    parsed.rows++;
  });
  const { header: names, columns, rows } = parsed;
  if (names === null) throw new OpenDataError('E_FORMAT', `${source}: empty, no header row`);
  const children = columns.map(values => columnData(values));
  const fields = children.map((data, j) => new Field(names[j], data.type, true));
  const struct = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children });
  return new Table(new RecordBatch(new Schema(fields), struct));
}

function checkHeader(header: string[], source: string): void {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) {
      throw new OpenDataError('E_FORMAT', `${source}: line 1: duplicate column name "${name}"`);
    }
    seen.add(name);
  }
}

/**
 * Calls `onRecord(fields, line)` for each record; `line` is the 1-based line where the record
 * starts. Unquoted empty fields are null. Blank lines are skipped.
 */
function forEachRecord(
  text: string,
  delim: number,
  source: string,
  onRecord: (fields: (string | null)[], line: number) => void
): void {
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const recordLine = line;
    const fields: (string | null)[] = [];
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const openLine = line;
        let value = '';
        let chunk = ++i;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            throw new OpenDataError(
              'E_FORMAT',
              `${source}: line ${openLine}: unterminated quoted field`
            );
          }
          for (let k = text.indexOf('\n', i); k >= 0 && k < q; k = text.indexOf('\n', k + 1)) {
            line++;
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(chunk, q + 1); // "" is one quote
            i = chunk = q + 2;
          } else {
            value += text.slice(chunk, q);
            i = q + 1;
            break;
          }
        }
        const c = text.charCodeAt(i);
        if (i < n && c !== delim && c !== CR && c !== LF) {
          throw new OpenDataError(
            'E_FORMAT',
            `${source}: line ${line}: unexpected character after a closing quote`
          );
        }
        fields.push(value);
      } else {
        let j = i;
        for (; j < n; j++) {
          const c = text.charCodeAt(j);
          if (c === delim || c === CR || c === LF) break;
        }
        fields.push(j === i ? null : text.slice(i, j));
        i = j;
      }
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === delim) {
        i++;
        continue; // a delimiter at the very end of the text leaves one more (empty) field
      }
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      break;
    }
    if (fields.length === 1 && fields[0] === null) continue; // blank line
    onRecord(fields, recordLine);
  }
}

enum Kind {
  Int,
  Float,
  Text
}

function inferKind(values: (string | null)[]): Kind {
  let kind = Kind.Int;
  let sawValue = false;
  for (const v of values) {
    if (v === null) continue;
    sawValue = true;
    const t = v.trim();
    if (kind === Kind.Int && INT_RE.test(t)) {
      const x = Number(t);
      if (x > 2147483647 || x < -2147483648) kind = Kind.Float;
    } else if (FLOAT_RE.test(t) || t.toLowerCase() in SPECIAL) {
      kind = Kind.Float;
    } else {
      return Kind.Text;
    }
  }
  return sawValue ? kind : Kind.Float; // an all-empty column reads as missing numbers
}

function toNumber(v: string): number {
  const t = v.trim();
  const special = SPECIAL[t.toLowerCase()];
  return special !== undefined ? special : Number(t);
}

/** Validity bitmap (LSB first) and null count; no bitmap when nothing is null. */
function validity(values: (string | null)[]): { nullCount: number; nullBitmap?: Uint8Array } {
  let nullCount = 0;
  for (const v of values) if (v === null) nullCount++;
  if (nullCount === 0) return { nullCount };
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => {
    if (v !== null) nullBitmap[i >> 3] |= 1 << (i & 7);
  });
  return { nullCount, nullBitmap };
}

function columnData(values: (string | null)[]): Data<DataType> {
  const length = values.length;
  const valid = validity(values);
  const kind = inferKind(values);
  if (kind === Kind.Text) {
    const valueOffsets = new Int32Array(length + 1);
    let bytes = 0;
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (v !== null) bytes += Buffer.byteLength(v, 'utf8');
      valueOffsets[i + 1] = bytes;
    }
    const data = Buffer.from(values.map(v => v ?? '').join(''), 'utf8');
    return makeData({ type: new Utf8(), length, ...valid, valueOffsets, data });
  }
  const data = kind === Kind.Int ? new Int32Array(length) : new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v !== null) data[i] = toNumber(v);
  }
  return kind === Kind.Int
    ? makeData({ type: new Int32(), length, ...valid, data: data as Int32Array })
    : makeData({ type: new Float64(), length, ...valid, data: data as Float64Array });
}
