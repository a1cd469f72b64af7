// One piece of a CSV file parsed on its own: the unit of work of the parallel reader, done alike
// by the calling thread and by the worker threads (csv-worker.ts).
import fs from 'node:fs';
import { CHUNK_BYTES, CSVParser, ColumnBuilder, feedFile } from './csv-parser';

/** What a piece needs besides its byte range: the same for every piece of one read. */
export interface PieceJob {
  file: string;
  delimiter: number;
  header: string[];
  textColumns: number[];
  /** Nominal piece boundaries: piece k covers records starting in [bounds[k], bounds[k + 1]). */
  bounds: number[];
  /** Bytes read per chunk (default CHUNK_BYTES, 256 KiB). */
  chunkBytes?: number;
}

export interface PieceResult {
  index: number;
  /** Where the piece's first record starts: the byte after the first LF at or after its bound. */
  start: number;
  /** Where its last record ends; the next piece must start exactly here. */
  end: number;
  rows: number;
  cols: ColumnBuilder[];
  textLater: number[];
}

/**
 * Parses piece `index` of `job` from the open file `fd`. Piece 0 starts at bounds[0]; any other
 * piece at the first line start at or after its bound. A line start inside a quoted field would
 * be a wrong start: the caller detects it, as the previous piece then ends elsewhere.
 */
export function parsePiece(fd: number, job: PieceJob, index: number): PieceResult {
  const bound = job.bounds[index];
  const next = index + 1 < job.bounds.length ? job.bounds[index + 1] : Infinity;
  const start = index === 0 ? bound : lineStartFrom(fd, bound, job.file);
  const parser = new CSVParser({
    source: job.file,
    delimiter: job.delimiter,
    inputBytes: Number.isFinite(next) ? Math.max(next - start, 1) : fs.fstatSync(fd).size - start,
    textColumns: new Set(job.textColumns),
    header: job.header,
    limit: next - start
  });
  if (start < next) feedFile(fd, parser, job.file, job.chunkBytes ?? CHUNK_BYTES, start);
  return {
    index,
    start,
    end: start + parser.consumed,
    rows: parser.rows,
    cols: parser.cols,
    textLater: [...parser.textLater]
  };
}

/** The offset after the first LF at or after `bound - 1` (the end of the file when none). */
function lineStartFrom(fd: number, bound: number, file: string): number {
  const buf = Buffer.allocUnsafe(1 << 16);
  let position = bound - 1;
  for (;;) {
    const got = readAt(fd, buf, position, file);
    if (got === 0) return position;
    const lf = buf.subarray(0, got).indexOf(0x0a);
    if (lf >= 0) return position + lf + 1;
    position += got;
  }
}

function readAt(fd: number, buf: Buffer, position: number, file: string): number {
  try {
    return fs.readSync(fd, buf, 0, buf.length, position);
  } catch (err) {
    throw new Error(`${file}: cannot read CSV file: ${err}`);
  }
}

/** The buffers a piece's columns hold, to transfer (not copy) them to another thread. */
export function pieceBuffers(piece: PieceResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const col of piece.cols) {
    for (const a of [col.ints, col.floats, col.offsets, col.bytes, col.valid]) {
      if (a !== null && a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
    }
  }
  return [...buffers];
}
