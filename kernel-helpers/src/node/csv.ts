import fs from 'node:fs';
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
import './table-display'; // tables show their head in notebooks
import { OpenDataError } from '../core/errors';
import {
  CHUNK_BYTES,
  CSVParser,
  ColumnBuilder,
  INT,
  TEXT,
  delimiterByte,
  feedFile
} from './csv-parser';
import {
  MIN_PIECE_BYTES,
  PARALLEL_MIN_BYTES,
  defaultThreads,
  readPieces,
  unifyKinds
} from './csv-parallel';
import { readFileOrThrow } from './read-file';

export interface ReadCSVOptions {
  /** Field separator, one character (default `,`). */
  delimiter?: string;
  /** Bytes read from the file per chunk (default 256 KiB); records may span chunks. */
  chunkBytes?: number;
  /**
   * Threads that parse the file (default: one per core for files of 16 MiB and more, else 1).
   * Each thread parses pieces of the file; the table then has one record batch per piece.
   */
  threads?: number;
  /**
   * Smallest piece of a parallel read, in bytes (default 2 MiB: smaller pieces cost more than
   * they share out). With `threads` given, even a small file is read in pieces of this size.
   */
  minPieceBytes?: number;
}

/** parseCSV's options: `source` names the input in error messages (a file path for readCSV). */
export interface ParseCSVOptions {
  delimiter?: string;
  source?: string;
}

/**
 * Reads a CSV file with a header row into an Arrow table. Each column gets the narrowest type that
 * holds all its values: Int32 (integers within 32 bits), Float64 (other numbers, nan/inf included),
 * else Utf8. Empty unquoted fields are nulls; a quoted `""` is an empty string. CRLF or LF line
 * ends, quoted fields with `""` escapes and embedded newlines, blank lines skipped.
 *
 * The file is parsed in chunks straight from its bytes into typed arrays sized from the first
 * chunk, so memory stays close to the columns' own size however large the file is. Large files
 * are cut into pieces at line starts and parsed on all cores (see csv-parallel.ts).
 */
export function readCSV(file: string, options: ReadCSVOptions = {}): Table {
  const delimiter = delimiterByte(options.delimiter);
  const chunk = positiveInteger('chunkBytes', options.chunkBytes ?? CHUNK_BYTES);
  const threads = positiveInteger('threads', options.threads ?? defaultThreads());
  const minPiece = positiveInteger('minPieceBytes', options.minPieceBytes ?? MIN_PIECE_BYTES);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    readFileOrThrow(file, 'CSV file'); // throws the usual E_NOT_FOUND naming the file
    throw new OpenDataError('E_NOT_FOUND', `${file}: cannot read CSV file`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) {
      // Opening a directory succeeds on Linux; only its first read would fail (EISDIR).
      throw new OpenDataError('E_NOT_FOUND', `${file}: cannot read CSV file: is a directory`);
    }
    const size = stat.size;
    const parallel = threads > 1 && (options.threads !== undefined || size >= PARALLEL_MIN_BYTES);
    if (parallel) {
      const table = readInPieces(fd, file, size, delimiter, chunk, threads, minPiece);
      if (table !== null) return table;
    }
    return parseTwice(file, delimiter, size, parser => feedFile(fd, parser, file, chunk));
  } finally {
    fs.closeSync(fd);
  }
}

/** A numeric option of readCSV, checked: E_USAGE naming it unless a positive integer. */
function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new OpenDataError('E_USAGE', `CSV ${name} must be a positive integer (got ${value})`);
  }
  return value;
}

/**
 * The parallel read: the header on this thread, then the records in pieces on `threads` threads.
 * A column found to hold text in some piece and numbers in another is read again as text, as on
 * one thread. Null when the pieces cannot be trusted (see readPieces): read on one thread then.
 */
function readInPieces(
  fd: number,
  file: string,
  size: number,
  delimiter: number,
  chunkBytes: number,
  threads: number,
  minPieceBytes: number
): Table | null {
  const head = new CSVParser({
    source: file,
    delimiter,
    inputBytes: size,
    textColumns: new Set(),
    limit: 0
  });
  feedFile(fd, head, file, chunkBytes);
  const header = head.header!;
  const textColumns = new Set<number>();
  for (let round = 0; round < 2; round++) {
    const pieces = readPieces({
      file,
      size,
      delimiter,
      header,
      dataStart: head.consumed,
      textColumns,
      threads,
      chunkBytes,
      minPieceBytes
    });
    if (pieces === null) return null;
    const later = unifyKinds(pieces, header.length);
    if (later.size === 0) {
      return tableOf(
        header,
        pieces.map(p => ({ cols: p.cols, rows: p.rows }))
      );
    }
    later.forEach(j => textColumns.add(j));
  }
  return null;
}

/** Parses CSV text or bytes (see readCSV). */
export function parseCSV(text: string | Uint8Array, options: ParseCSVOptions = {}): Table {
  const source = options.source ?? 'CSV text';
  const delimiter = delimiterByte(options.delimiter);
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return parseTwice(source, delimiter, bytes.length, parser =>
    parser.parse(bytes, bytes.length, true)
  );
}

/**
 * Runs the parser over the input; when a column that looked numeric turns out to hold text further
 * down, parses once more with that column read as text from the start (rare, and keeps the first
 * pass free of per-value strings).
 */
function parseTwice(
  source: string,
  delimiter: number,
  size: number,
  feed: (parser: CSVParser) => void
): Table {
  const options = { source, delimiter, inputBytes: size };
  let parser = new CSVParser({ ...options, textColumns: new Set() });
  feed(parser);
  if (parser.textLater.size > 0) {
    parser = new CSVParser({ ...options, textColumns: parser.textLater });
    feed(parser);
  }
  if (parser.header === null) {
    throw new OpenDataError('E_FORMAT', `${source}: empty, no header row`);
  }
  return tableOf(parser.header, [{ cols: parser.cols, rows: parser.rows }]);
}

/** A table of one record batch per part (all parts with the same column kinds). */
function tableOf(names: string[], parts: { cols: ColumnBuilder[]; rows: number }[]): Table {
  const filled = parts.filter(p => p.rows > 0);
  const batches = filled.length > 0 ? filled : parts.slice(0, 1);
  const first = batches[0].cols.map(col => columnData(col, 0));
  const fields = first.map((data, j) => new Field(names[j], data.type, true));
  const schema = new Schema(fields);
  const type = new Struct(fields);
  return new Table(
    schema,
    batches.map(({ cols, rows }) => {
      const children = cols.map(col => columnData(col, rows));
      return new RecordBatch(schema, makeData({ type, length: rows, nullCount: 0, children }));
    })
  );
}

function countNulls(valid: Uint8Array, length: number): number {
  let valids = 0;
  for (let r = 0; r < length; r++) valids += (valid[r >> 3] >> (r & 7)) & 1;
  return length - valids;
}

function columnData(col: ColumnBuilder, length: number): Data<DataType> {
  const nullCount = col.valid ? countNulls(col.valid, length) : 0;
  const nullBitmap = nullCount > 0 ? col.valid!.subarray(0, (length + 7) >> 3) : undefined;
  const validity = nullBitmap ? { nullCount, nullBitmap } : { nullCount: 0 };
  if (col.kind === TEXT) {
    const valueOffsets = col.offsets
      ? col.offsets.subarray(0, length + 1)
      : new Int32Array(length + 1);
    const data = col.bytes ? col.bytes.subarray(0, col.byteLength) : new Uint8Array(0);
    return makeData({ type: new Utf8(), length, ...validity, valueOffsets, data });
  }
  if (col.kind === INT) {
    return makeData({ type: new Int32(), length, ...validity, data: exact(col.ints!, length) });
  }
  const data = col.floats ? exact(col.floats, length) : new Float64Array(length); // all nulls
  return makeData({ type: new Float64(), length, ...validity, data });
}

/** The first `length` values: a view when the array is nearly full, else a right-sized copy. */
function exact<T extends Int32Array | Float64Array>(a: T, length: number): T {
  return (
    a.length - length > (length >> 4) + 1024 ? a.slice(0, length) : a.subarray(0, length)
  ) as T;
}
