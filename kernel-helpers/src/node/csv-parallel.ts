// The parallel CSV reader: a file is cut into pieces at line starts, the calling thread and a pool
// of worker threads take pieces until none are left, and the pieces become record batches of one
// table. readCSV stays synchronous: it blocks on a shared counter (Atomics.wait) and takes the
// workers' results with receiveMessageOnPort, so no event loop turn is needed.
import fs from 'node:fs';
import os from 'node:os';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { builtFile } from './built-file';
import { ColumnBuilder, FLOAT, INT, TEXT, UNKNOWN } from './csv-parser';
import { PieceResult, parsePiece } from './csv-piece';
import type { WorkerJob, WorkerMessage } from './csv-worker';

/** Below this size a file is read on the calling thread alone: threads would cost more. */
export const PARALLEL_MIN_BYTES = 16 << 20;
/** A piece is 1/(threads·PIECE_SHARE) of the bytes left. */
const PIECE_SHARE = 2;
export const MIN_PIECE_BYTES = 2 << 20;
const MAX_PIECE_BYTES = 64 << 20;
const MAX_THREADS = 16;
/** A worker that finishes no piece for this long is taken for dead; its pieces are read here. */
const STALL_MS = 60_000;

/** Threads to use when the caller does not say: every core. */
export function defaultThreads(): number {
  return Math.min(os.availableParallelism?.() ?? os.cpus().length, MAX_THREADS);
}

interface PoolWorker {
  worker: Worker;
  results: MessagePort;
}

let pool: PoolWorker[] = [];
let jobCount = 0;

/** `count` workers, started once and kept (unref'd: they never keep the process alive). */
function workers(count: number): PoolWorker[] | null {
  if (pool.length >= count) return pool.slice(0, count);
  const script = builtFile('node', 'csv-worker.js');
  if (script === null) return null;
  while (pool.length < count) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(script, { workerData: { port: port2 }, transferList: [port2] });
    worker.unref();
    port1.unref();
    const entry = { worker, results: port1 };
    // A worker that dies is dropped from the pool; the next read starts a new one.
    worker.on('exit', () => (pool = pool.filter(w => w !== entry)));
    worker.on('error', () => undefined);
    pool.push(entry);
  }
  return pool.slice(0, count);
}

function terminatePool(): void {
  for (const w of pool) void w.worker.terminate();
  pool = [];
}

export interface ParallelRead {
  file: string;
  size: number;
  delimiter: number;
  header: string[];
  /** Where the first record starts (after the header row). */
  dataStart: number;
  textColumns: ReadonlySet<number>;
  threads: number;
  /** Smallest piece (tests make it small to get many pieces of a small file). */
  minPieceBytes: number;
  chunkBytes?: number;
}

/**
 * Parses the file's records in pieces on `threads` threads. Returns the pieces in file order, or
 * null when the caller must read the file on one thread instead: a piece failed (the one-thread
 * read then reports the error with its exact line), or a piece started inside a quoted field
 * (a line start there is not a record start; the previous piece then ends elsewhere).
 */
export function readPieces(read: ParallelRead): PieceResult[] | null {
  const helpers = read.threads > 1 ? workers(read.threads - 1) : null;
  if (helpers === null) return null;
  // Guided pieces: each a share of what is left, so they shrink towards the end and the threads
  // finish together (the last pieces are small), with a floor against per-piece overhead.
  const minPiece = read.minPieceBytes;
  const bounds: number[] = [];
  for (let b = read.dataStart; b < read.size;) {
    bounds.push(b);
    const share = Math.ceil((read.size - b) / (read.threads * PIECE_SHARE));
    b += Math.min(Math.max(share, minPiece), MAX_PIECE_BYTES);
  }
  if (bounds.length < 2) return null;

  const control = new Int32Array(new SharedArrayBuffer(8)); // [next piece, pieces finished]
  const job: WorkerJob = {
    id: ++jobCount,
    file: read.file,
    delimiter: read.delimiter,
    header: read.header,
    textColumns: [...read.textColumns],
    bounds,
    chunkBytes: read.chunkBytes,
    control
  };
  for (const w of helpers) w.worker.postMessage(job);

  const pieces: (PieceResult | undefined)[] = new Array(bounds.length);
  let failed = false;
  const collect = (): void => {
    for (const w of helpers) {
      for (let m = receiveMessageOnPort(w.results); m; m = receiveMessageOnPort(w.results)) {
        const message = m.message as WorkerMessage;
        if (message.id !== job.id) continue; // left over from an earlier, abandoned read
        if (message.piece) pieces[message.index] = message.piece;
        else failed = true;
      }
    }
  };
  const fd = fs.openSync(read.file, 'r');
  try {
    // This thread takes pieces like the workers do.
    for (let index = Atomics.add(control, 0, 1); index < bounds.length && !failed;) {
      try {
        pieces[index] = parsePiece(fd, job, index);
      } catch {
        failed = true;
        break;
      }
      Atomics.add(control, 1, 1);
      index = Atomics.add(control, 0, 1);
    }
    let finished = Atomics.load(control, 1);
    let progressAt = Date.now();
    while (!failed && finished < bounds.length) {
      Atomics.wait(control, 1, finished, 1000);
      collect();
      const now = Atomics.load(control, 1);
      if (now !== finished) {
        finished = now;
        progressAt = Date.now();
      } else if (Date.now() - progressAt > STALL_MS) {
        terminatePool();
        break;
      }
    }
    if (failed) {
      Atomics.store(control, 0, bounds.length); // the workers take no more pieces of this read
      return null;
    }
    collect();
    // Pieces a dead worker had taken are read here.
    for (let index = 0; index < bounds.length; index++) {
      pieces[index] ??= parsePiece(fd, job, index);
    }
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
  const done = pieces as PieceResult[];
  for (let k = 1; k < done.length; k++) {
    if (done[k - 1].end !== done[k].start) return null;
  }
  return done;
}

/**
 * Gives each column one kind over all pieces: Int32 pieces widen to Float64 when another piece
 * holds floats, all-null pieces take the others' kind. Returns the columns that some piece found
 * to hold text while others hold numbers (to read again as text from the start); empty when done.
 */
export function unifyKinds(pieces: PieceResult[], columns: number): Set<number> {
  const text = new Set<number>();
  for (const piece of pieces) piece.textLater.forEach(j => text.add(j));
  const kinds: number[] = [];
  for (let j = 0; j < columns; j++) {
    const seen = new Set(pieces.map(piece => piece.cols[j].kind));
    if (seen.has(TEXT) && (seen.has(INT) || seen.has(FLOAT))) text.add(j);
    kinds.push(seen.has(TEXT) ? TEXT : seen.has(FLOAT) ? FLOAT : seen.has(INT) ? INT : UNKNOWN);
  }
  if (text.size > 0) return text;
  for (const piece of pieces) {
    piece.cols.forEach((col, j) => setKind(col, kinds[j], piece.rows));
  }
  return text;
}

function setKind(col: ColumnBuilder, kind: number, rows: number): void {
  if (col.kind === kind) return;
  if (col.kind === INT && kind === FLOAT) {
    col.floats = Float64Array.from(col.ints!.subarray(0, rows));
    col.ints = null;
  } else if (col.kind === UNKNOWN && kind === INT) {
    col.ints = new Int32Array(rows); // every row is null
  }
  col.kind = kind;
}
