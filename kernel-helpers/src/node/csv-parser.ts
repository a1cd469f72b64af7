// The CSV state machine over bytes, without Arrow, so the parallel reader's worker threads load
// only this module. csv.ts turns its column builders into Arrow tables.
import fs from 'node:fs';
import { OpenDataError } from '../core/errors';
import { NumberKernel } from './csv-numbers';

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/**
 * Bytes read per chunk: large enough to amortise the syscalls, small enough that a chunk and the
 * kernel's output rows stay in the L2 cache (256 KiB read fastest here, 64 KiB to 1 MiB tried).
 */
export const CHUNK_BYTES = 1 << 18;

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
// Exact powers of ten: m·10^e and m/10^e are correctly rounded for m < 2^53 and e ≤ 22 (Clinger).
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

// Column kinds while parsing. SKIP: numeric so far but text further down (re-read as TEXT).
// Exported by name at the end of the list: TypeScript compiles uses of `export const` in this
// module to property loads from `exports`, too slow for the per-field loop.
const UNKNOWN = 0;
const INT = 1;
const FLOAT = 2;
const TEXT = 3;
const SKIP = 4;
export { UNKNOWN, INT, FLOAT, TEXT, SKIP };

export class ColumnBuilder {
  kind: number;
  ints: Int32Array | null = null;
  floats: Float64Array | null = null;
  offsets: Int32Array | null = null;
  bytes: Uint8Array | null = null;
  byteLength = 0;
  /** Validity bitmap (LSB first), allocated at the first null. */
  valid: Uint8Array | null = null;

  constructor(text: boolean) {
    this.kind = text ? TEXT : UNKNOWN;
  }
}

export function delimiterByte(delimiter = ','): number {
  const code = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || code === QUOTE || code === CR || code === LF || code > 0x7f) {
    throw new OpenDataError(
      'E_USAGE',
      `CSV delimiter must be one ASCII character other than a quote or newline (got ${JSON.stringify(delimiter)})`
    );
  }
  return code;
}

export interface CSVParserOptions {
  /** Source name for error messages (a file path for readCSV). */
  source: string;
  delimiter: number;
  /** Bytes the parser will see in all, to size the columns after the first chunk. */
  inputBytes: number;
  /** Columns read as text from the start (after a first pass found text in them). */
  textColumns: ReadonlySet<number>;
  /** Column names when the input has no header row (a piece of a file after its header). */
  header?: string[];
  /** Start no record at or after this many bytes of input (default: none). */
  limit?: number;
  /** Use the WebAssembly kernel for plain numbers when the build has it (default true). */
  fast?: boolean;
}

/**
 * The CSV state machine over bytes. `parse(buf, end, final)` consumes the complete records of
 * buf[0, end) and returns how many bytes it used; the caller passes the rest again with more input.
 * Values are written at the current row index, so re-parsing an unfinished record is harmless.
 */
export class CSVParser {
  header: string[] | null = null;
  /** Columns that need a second pass as text. */
  readonly textLater = new Set<number>();
  cols: ColumnBuilder[] = [];
  rows = 0;
  /** Bytes of input consumed: every record before this offset is complete. */
  consumed = 0;
  private capacity = 0;
  private line = 1;
  private sized = false;
  private readonly source: string;
  private readonly delim: number;
  private readonly inputBytes: number;
  private readonly textColumns: ReadonlySet<number>;
  private readonly limit: number;
  // The last number parsed by numberAt.
  private num = 0;
  private numIsInt = false;
  /** Every column is Int32, Float64 or text so far: records may take the kernel. */
  private kernelKinds = false;
  /** The columns' kinds, as the kernel reads them. */
  private kindCodes = new Uint8Array(0);
  /** The WebAssembly fast path: undefined until the header is known, null without one. */
  private kernel: NumberKernel | null | undefined;
  /** Records left to the general path before the kernel is tried again. */
  private kernelPause = 0;
  private readonly fast: boolean;

  constructor(options: CSVParserOptions) {
    this.source = options.source;
    this.delim = options.delimiter;
    this.inputBytes = options.inputBytes;
    this.textColumns = options.textColumns;
    this.limit = options.limit ?? Infinity;
    this.fast = options.fast ?? true;
    if (options.header) this.setHeader(options.header);
  }

  /** True once the parser has reached its limit: it wants no more input. */
  get done(): boolean {
    return this.header !== null && this.consumed >= this.limit;
  }

  parse(buf: Uint8Array, end: number, final: boolean): number {
    let i = 0;
    if (this.header === null) {
      i = this.parseHeader(buf, end, final);
      if (i < 0) return 0;
    }
    const delim = this.delim;
    const cols = this.cols;
    const ncols = cols.length;
    const stopAt = this.limit - this.consumed;
    const kernel = this.kernel && this.kernel.owns(buf) ? this.kernel : null;
    while (i < end && i < stopAt) {
      if (kernel !== null && this.kernelKinds) {
        if (this.kernelPause === 0) {
          i = this.kernelRecords(kernel, buf, i, Math.min(end, stopAt), end);
          if (i >= end || i >= stopAt) break;
        } else {
          this.kernelPause--;
        }
      }
      const recordStart = i;
      const recordLine = this.line;
      let c = buf[i];
      if (c === LF || c === CR) {
        // blank line
        if (c === CR && i + 1 === end && !final) break;
        i += c === CR && i + 1 < end && buf[i + 1] === LF ? 2 : 1;
        this.line++;
        continue;
      }
      const row = this.rows;
      if (row === this.capacity) this.grow(row + 1);
      let field = 0;
      let complete = false;
      for (;;) {
        // One field starting at i; p ends up at its terminator (delimiter, CR, LF or end).
        let p: number;
        const col = field < ncols ? cols[field] : null;
        const kind = col === null ? SKIP : col.kind;
        c = i < end ? buf[i] : -1;
        if (c === -1 && !final) break; // the input ends inside this record: wait for more
        if (c === QUOTE) {
          p = this.quotedField(buf, i, end, final, col, field, row);
        } else if (c === delim || c === CR || c === LF || c === -1) {
          p = i;
          if (col !== null && kind !== SKIP) setNull(col, row, this.capacity);
        } else if (kind === TEXT || kind === SKIP) {
          p = fieldEnd(buf, i, end, delim);
          if (kind === TEXT && (p < end || final)) storeText(col!, row, buf, i, p, false);
        } else {
          p = this.numberAt(buf, i, end);
          if (p >= 0 && (p < end || final)) {
            storeNumber(col!, row, this.num, this.numIsInt, this.capacity);
          } else {
            // Not a plain number (or cut by the chunk's end): find the field's end, judge its text.
            p = fieldEnd(buf, i, end, delim);
            if (p < end || final) this.storeOther(col!, field, row, buf, i, p);
          }
        }
        if (p < 0) break; // a quoted field runs past the input: wait for more
        field++;
        if (p >= end) {
          if (final) {
            i = p;
            complete = true;
          }
          break;
        }
        c = buf[p];
        if (c === delim) {
          i = p + 1;
          continue;
        }
        if (c === CR) {
          if (p + 1 === end && !final) break;
          i = p + 1 < end && buf[p + 1] === LF ? p + 2 : p + 1;
        } else {
          i = p + 1;
        }
        complete = true;
        break;
      }
      if (!complete) {
        this.line = recordLine;
        i = recordStart;
        break;
      }
      if (field !== ncols) {
        throw new OpenDataError(
          'E_FORMAT',
          `${this.source}: line ${recordLine}: expected ${ncols} fields (as in the header), found ${field}`
        );
      }
      this.line++;
      this.rows = row + 1;
      if (kernel !== null) this.noteKinds();
    }
    this.consumed += i;
    if (!this.sized && this.rows > 0 && !final) this.sizeFromSample();
    return i;
  }

  private setHeader(names: string[]): void {
    this.header = names;
    this.cols = names.map((_, j) => new ColumnBuilder(this.textColumns.has(j)));
    this.kindCodes = new Uint8Array(names.length);
    this.grow(1024);
  }

  /**
   * Records of plain numbers and unquoted text through the WebAssembly kernel, from i up to (at
   * most) stop, into the columns; returns where it stopped: the end, or a record it leaves to the
   * general path. A kernel that stops at once pauses for some records, so input it cannot read
   * (quotes, empty fields) costs little.
   */
  private kernelRecords(
    kernel: NumberKernel,
    buf: Uint8Array,
    i: number,
    stop: number,
    end: number
  ): number {
    const cols = this.cols;
    for (;;) {
      if (this.rows === this.capacity) this.grow(this.rows + 1);
      const room = Math.min(this.capacity - this.rows, NumberKernel.ROWS_PER_CALL);
      const n = kernel.parse(i, stop, end, this.kindCodes, room, this.delim);
      if (n === 0) {
        this.kernelPause = 64;
        return i;
      }
      const row = this.rows;
      for (let j = 0; j < cols.length; j++) {
        const col = cols[j];
        if (col.kind === INT) col.ints!.set(kernel.int32s(j, n), row);
        else if (col.kind === FLOAT) col.floats!.set(kernel.float64s(j, n), row);
        else appendTexts(col, row, buf, i, kernel.spans(j, n));
        if (col.valid !== null) markValidRange(col.valid, row, row + n);
      }
      this.rows = row + n;
      this.line += n; // records without quotes: one line each
      i += kernel.consumed;
      if (n < room || i >= stop) return i;
    }
  }

  /** After the general path: whether every column is of a kind the kernel reads. */
  private noteKinds(): void {
    let readable = true;
    for (let j = 0; j < this.cols.length; j++) {
      const kind = this.cols[j].kind;
      if (kind !== INT && kind !== FLOAT && kind !== TEXT) readable = false;
      this.kindCodes[j] = kind;
    }
    this.kernelKinds = readable;
  }

  /**
   * The buffer feedFile should read the next chunk into: the kernel's input when there is one
   * (the header is known by then), else null (any buffer will do).
   */
  chunkBuffer(length: number): Uint8Array | null {
    if (this.header === null) return null;
    if (this.kernel === undefined) {
      this.kernel = this.fast ? NumberKernel.acquire(this.cols.length, length) : null;
    }
    return this.kernel !== null && this.kernel.input.length === length ? this.kernel.input : null;
  }

  /** After the last input: hands the kernel on to the next parser of this thread. */
  finish(): void {
    if (this.kernel) NumberKernel.release(this.kernel);
    this.kernel = null;
  }

  /** Parses the header record; returns where the data starts, or -1 when it needs more input. */
  private parseHeader(buf: Uint8Array, end: number, final: boolean): number {
    let i = 0;
    if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      i = 3;
    } // UTF-8 BOM
    else if (end < 3 && !final) return -1;
    const names: string[] = [];
    // Skip leading blank lines, as for data records.
    while (i < end && (buf[i] === LF || buf[i] === CR)) {
      if (buf[i] === LF || i + 1 >= end || buf[i + 1] !== LF) this.line++;
      i++;
    }
    if (i >= end) {
      if (final) throw new OpenDataError('E_FORMAT', `${this.source}: empty, no header row`);
      return -1;
    }
    const firstLine = this.line;
    for (;;) {
      let p: number;
      if (buf[i] === QUOTE) {
        const close = this.closingQuote(buf, i, end, final);
        if (close < 0) {
          this.line = firstLine;
          return -1;
        }
        names.push(unquote(buf, i + 1, close));
        p = close + 1;
        this.checkAfterQuote(buf, p, end);
      } else {
        p = fieldEnd(buf, i, end, this.delim);
        names.push(Buffer.from(buf.buffer, buf.byteOffset + i, p - i).toString('utf8'));
      }
      if (p >= end) {
        if (!final) {
          this.line = firstLine;
          return -1;
        }
        i = p;
        break;
      }
      if (buf[p] === this.delim) {
        i = p + 1;
        continue;
      }
      if (buf[p] === CR && p + 1 === end && !final) {
        this.line = firstLine;
        return -1;
      }
      i = buf[p] === CR && p + 1 < end && buf[p + 1] === LF ? p + 2 : p + 1;
      break;
    }
    this.line++;
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) {
        throw new OpenDataError(
          'E_FORMAT',
          `${this.source}: line ${firstLine}: duplicate column name "${name}"`
        );
      }
      seen.add(name);
    }
    this.setHeader(names);
    return i;
  }

  /** Index of the quote closing the field opened at `open`, or -1 when the input ends first. */
  private closingQuote(buf: Uint8Array, open: number, end: number, final: boolean): number {
    const openLine = this.line;
    let p = open + 1;
    for (;;) {
      while (p < end && buf[p] !== QUOTE) {
        if (buf[p] === LF) this.line++;
        p++;
      }
      if (p >= end || (p + 1 === end && !final)) {
        if (final && p >= end) {
          throw new OpenDataError(
            'E_FORMAT',
            `${this.source}: line ${openLine}: unterminated quoted field`
          );
        }
        return -1;
      }
      if (p + 1 < end && buf[p + 1] === QUOTE) {
        p += 2; // "" is one quote
        continue;
      }
      return p;
    }
  }

  private checkAfterQuote(buf: Uint8Array, p: number, end: number): void {
    if (p < end) {
      const c = buf[p];
      if (c !== this.delim && c !== CR && c !== LF) {
        throw new OpenDataError(
          'E_FORMAT',
          `${this.source}: line ${this.line}: unexpected character after a closing quote`
        );
      }
    }
  }

  /** A quoted field: stores it and returns the index after its closing quote, or -1. */
  private quotedField(
    buf: Uint8Array,
    open: number,
    end: number,
    final: boolean,
    col: ColumnBuilder | null,
    index: number,
    row: number
  ): number {
    const close = this.closingQuote(buf, open, end, final);
    if (close < 0) return -1;
    const p = close + 1;
    this.checkAfterQuote(buf, p, end);
    if (col === null || col.kind === SKIP) return p;
    if (col.kind === TEXT) storeText(col, row, buf, open + 1, close, true);
    else this.judgeText(col, index, row, unquote(buf, open + 1, close));
    return p;
  }

  /** An unquoted field that is not a plain number: nan/inf, spaces around a number, or text. */
  private storeOther(
    col: ColumnBuilder,
    index: number,
    row: number,
    buf: Uint8Array,
    start: number,
    stop: number
  ): void {
    const text = Buffer.from(buf.buffer, buf.byteOffset + start, stop - start).toString('utf8');
    this.judgeText(col, index, row, text);
  }

  /** Stores a numeric-looking text in a numeric column, or marks the column as text. */
  private judgeText(col: ColumnBuilder, index: number, row: number, text: string): void {
    const t = text.trim();
    const special = SPECIAL[t.toLowerCase()];
    if (INT_RE.test(t)) {
      const x = Number(t);
      storeNumber(col, row, x, x <= 2147483647 && x >= -2147483648, this.capacity);
    } else if (FLOAT_RE.test(t)) {
      storeNumber(col, row, Number(t), false, this.capacity);
    } else if (special !== undefined) {
      storeNumber(col, row, special, false, this.capacity);
    } else if (col.kind === UNKNOWN) {
      // Nothing but nulls so far: the column is text from here on, no second pass needed.
      col.kind = TEXT;
      col.offsets = new Int32Array(this.capacity + 1);
      col.bytes = new Uint8Array(1024);
      const bytes = Buffer.from(text, 'utf8');
      storeText(col, row, bytes, 0, bytes.length, false);
    } else {
      col.kind = SKIP;
      col.ints = null;
      col.floats = null;
      this.textLater.add(index);
    }
  }

  /**
   * Parses a plain decimal number at buf[i..]: sets this.num / this.numIsInt and returns the index
   * of the byte after it when that byte ends the field; -1 when the field is something else (or
   * needs the exact slow path: more than 15 significant digits, or a large exponent).
   */
  private numberAt(buf: Uint8Array, i: number, end: number): number {
    let p = i;
    let c = buf[p];
    let negative = false;
    if (c === MINUS || c === PLUS) {
      negative = c === MINUS;
      if (++p >= end) return -1;
      c = buf[p];
    }
    // Mantissa digits, leading zeros included, as one integer; the point's position gives the scale.
    const first = p;
    let dot = -1;
    let m = 0;
    for (;;) {
      const d = (c - ZERO) >>> 0;
      if (d <= 9) {
        m = m * 10 + d;
      } else if (c === DOT && dot < 0) {
        dot = p;
      } else {
        break;
      }
      if (++p >= end) break;
      c = buf[p];
    }
    const digits = p - first - (dot < 0 ? 0 : 1);
    if (digits === 0) return -1;
    // Only above 15 digits (leading zeros included) can m have lost precision.
    if (digits > 15 && m > 9007199254740991) return -1;
    const fraction = dot < 0 ? -1 : p - dot - 1;
    let exp = fraction > 0 ? -fraction : 0;
    let isInt = fraction < 0;
    if (p < end && (c === LOWER_E || c === UPPER_E)) {
      isInt = false;
      if (++p >= end) return -1;
      c = buf[p];
      let expNegative = false;
      if (c === MINUS || c === PLUS) {
        expNegative = c === MINUS;
        if (++p >= end) return -1;
        c = buf[p];
      }
      let e = 0;
      const expStart = p;
      while (c >= ZERO && c <= ZERO + 9) {
        if (e < 100000) e = e * 10 + (c - ZERO);
        if (++p >= end) break;
        c = buf[p];
      }
      if (p === expStart) return -1;
      exp += expNegative ? -e : e;
    }
    if (p < end && c !== this.delim && c !== CR && c !== LF) return -1;
    let v: number;
    if (exp === 0 || m === 0) v = m;
    else if (exp > 0 && exp <= 22) v = m * POW10[exp];
    else if (exp < 0 && exp >= -22) v = m / POW10[-exp];
    else return -1;
    this.num = negative ? -v : v;
    this.numIsInt = isInt && (negative ? v <= 2147483648 : v <= 2147483647);
    return p; // at end: the caller decides (final input, or wait for more)
  }

  /** After the first chunk: size every column for the whole input, from the bytes per row so far. */
  private sizeFromSample(): void {
    this.sized = true;
    const estimate = Math.ceil((this.rows * this.inputBytes) / this.consumed) + 1024;
    if (estimate > this.capacity) this.grow(Math.ceil(estimate * 1.02));
  }

  private grow(atLeast: number): void {
    const capacity = Math.max(atLeast, Math.ceil(this.capacity * 1.25), 1024);
    for (const col of this.cols) {
      if (col.valid) col.valid = resized(col.valid, (capacity + 7) >> 3, true);
      if (col.kind === TEXT) {
        col.offsets = col.offsets
          ? resized(col.offsets, capacity + 1)
          : new Int32Array(capacity + 1);
        col.bytes ??= new Uint8Array(1024);
        continue;
      }
      if (col.ints) col.ints = resized(col.ints, capacity);
      if (col.floats) col.floats = resized(col.floats, capacity);
      if (col.offsets) col.offsets = resized(col.offsets, capacity + 1);
    }
    this.capacity = capacity;
  }
}

/** The end of an unquoted field: the first delimiter, CR or LF at or after i, or end. */
function fieldEnd(buf: Uint8Array, i: number, end: number, delim: number): number {
  let p = i;
  while (p < end) {
    const b = buf[p];
    if (b === delim || b === CR || b === LF) break;
    p++;
  }
  return p;
}

/**
 * Feeds a file to the parser chunk by chunk from byte `start`, carrying an incomplete last record
 * over, until the end of the file or until the parser is done (reached its limit).
 */
export function feedFile(
  fd: number,
  parser: CSVParser,
  file: string,
  chunkBytes: number,
  start = 0
): void {
  let buf: Uint8Array = Buffer.allocUnsafe(chunkBytes);
  let have = 0; // bytes of an unfinished record carried over at the start of buf
  let position = start;
  try {
    for (;;) {
      if (have === buf.length) {
        const bigger = new Uint8Array(buf.length * 2); // one record longer than a chunk
        bigger.set(buf.subarray(0, have));
        buf = bigger;
      } else {
        const fast = parser.chunkBuffer(buf.length);
        if (fast !== null && fast !== buf) {
          fast.set(buf.subarray(0, have));
          buf = fast;
        }
      }
      let got: number;
      try {
        got = fs.readSync(fd, buf, have, buf.length - have, position);
      } catch (err) {
        throw new OpenDataError('E_NOT_FOUND', `${file}: cannot read CSV file: ${err}`, {
          cause: err
        });
      }
      position += got;
      const end = have + got;
      const final = got === 0;
      const used = parser.parse(buf, end, final);
      if (final || parser.done) return;
      buf.copyWithin(0, used, end);
      have = end - used;
    }
  } finally {
    parser.finish();
  }
}

/**
 * A copy of `a` with room for `length` values. Unless `zeroed`, the room after a's values is not
 * cleared (zeroing is a pass over memory the parser is about to write anyway): the parser writes
 * every row it keeps, nulls included.
 */
function resized<T extends Int32Array | Float64Array | Uint8Array>(
  a: T,
  length: number,
  zeroed = false
): T {
  const Type = a.constructor as {
    new (n: number): T;
    new (buffer: ArrayBuffer, offset: number, length: number): T;
    BYTES_PER_ELEMENT: number;
  };
  const b = zeroed
    ? new Type(length)
    : new Type(Buffer.allocUnsafeSlow(length * Type.BYTES_PER_ELEMENT).buffer, 0, length);
  b.set(a.subarray(0, Math.min(a.length, length)));
  return b;
}

/** The text between a field's quotes, with `""` read as one quote. */
function unquote(buf: Uint8Array, start: number, stop: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, stop - start)
    .toString('utf8')
    .replace(/""/g, '"');
}

/** Every per-row array of a column has room for `capacity` rows (the parser grows them together). */
function setNull(col: ColumnBuilder, row: number, capacity: number): void {
  if (col.valid === null) {
    const valid = (col.valid = new Uint8Array((capacity + 7) >> 3));
    valid.fill(0xff, 0, row >> 3); // the rows so far were all valid
    for (let r = row & ~7; r < row; r++) valid[r >> 3] |= 1 << (r & 7);
  }
  col.valid[row >> 3] &= ~(1 << (row & 7));
  if (col.ints !== null) col.ints[row] = 0;
  else if (col.floats !== null) col.floats[row] = 0;
  if (col.kind === TEXT) {
    col.byteLength = col.offsets![row];
    col.offsets![row + 1] = col.byteLength;
  }
}

function markValid(col: ColumnBuilder, row: number): void {
  if (col.valid !== null) col.valid[row >> 3] |= 1 << (row & 7);
}

function markValidRange(valid: Uint8Array, from: number, to: number): void {
  for (let r = from; r < to; r++) valid[r >> 3] |= 1 << (r & 7);
}

/**
 * Text fields the kernel found, as (start, end) offsets from buf[base], appended to a text
 * column from `row` on. Byte by byte: the fields are short, shorter than a subarray costs.
 */
function appendTexts(
  col: ColumnBuilder,
  row: number,
  buf: Uint8Array,
  base: number,
  spans: Int32Array
): void {
  const offsets = col.offsets!;
  let at = offsets[row];
  let need = at;
  for (let k = 0; k < spans.length; k += 2) need += spans[k + 1] - spans[k];
  if (col.bytes!.length < need) {
    col.bytes = resized(col.bytes!, Math.max(need, col.bytes!.length * 1.5) | 0);
  }
  const bytes = col.bytes!;
  for (let k = 0, r = row + 1; k < spans.length; k += 2, r++) {
    for (let b = base + spans[k], stop = base + spans[k + 1]; b < stop; b++) bytes[at++] = buf[b];
    offsets[r] = at;
  }
  col.byteLength = at;
}

function storeNumber(
  col: ColumnBuilder,
  row: number,
  value: number,
  isInt: boolean,
  capacity: number
): void {
  let kind = col.kind;
  if (kind === UNKNOWN) {
    if (isInt) col.ints = new Int32Array(capacity);
    else col.floats = new Float64Array(capacity);
    kind = col.kind = isInt ? INT : FLOAT;
  }
  if (kind === INT) {
    if (isInt) {
      col.ints![row] = value;
    } else {
      col.floats = Float64Array.from(col.ints!); // widen once, keeping the rows so far
      col.ints = null;
      col.kind = FLOAT;
      col.floats[row] = value;
    }
  } else {
    col.floats![row] = value;
  }
  markValid(col, row);
}

function storeText(
  col: ColumnBuilder,
  row: number,
  src: Uint8Array,
  start: number,
  stop: number,
  quoted: boolean
): void {
  const offsets = col.offsets!;
  let at = offsets[row];
  const need = at + (stop - start);
  if (col.bytes!.length < need) {
    col.bytes = resized(col.bytes!, Math.max(need, col.bytes!.length * 1.5) | 0);
  }
  const bytes = col.bytes!;
  if (quoted) {
    for (let k = start; k < stop; k++) {
      const b = src[k];
      bytes[at++] = b;
      if (b === QUOTE) k++; // "" is one quote
    }
  } else {
    bytes.set(src.subarray(start, stop), at);
    at = need;
  }
  col.byteLength = at;
  offsets[row + 1] = at;
  markValid(col, row);
}
