// Worker thread of the parallel CSV reader: takes pieces of a job until none are left and posts
// each piece's columns back (their buffers transferred, not copied). See csv-parallel.ts.
import fs from 'node:fs';
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { PieceJob, parsePiece, pieceBuffers } from './csv-piece';

export interface WorkerJob extends PieceJob {
  id: number;
  /** [next piece to take, pieces finished]: shared with the calling thread. */
  control: Int32Array;
}

export interface WorkerMessage {
  id: number;
  index: number;
  piece?: ReturnType<typeof parsePiece>;
  error?: string;
}

/** Where results go: the calling thread reads them synchronously (receiveMessageOnPort). */
const port = (workerData as { port: MessagePort } | null)?.port;

function run(job: WorkerJob, port: MessagePort): void {
  let fd = -1;
  try {
    for (;;) {
      const index = Atomics.add(job.control, 0, 1);
      if (index >= job.bounds.length) return;
      let message: WorkerMessage;
      let transfer: ArrayBuffer[] = [];
      try {
        if (fd < 0) fd = fs.openSync(job.file, 'r');
        const piece = parsePiece(fd, job, index);
        message = { id: job.id, index, piece };
        transfer = pieceBuffers(piece);
      } catch (err) {
        // The calling thread reads the whole file again itself and reports the error exactly.
        message = { id: job.id, index, error: String(err) };
      }
      port.postMessage(message, transfer);
      Atomics.add(job.control, 1, 1);
      Atomics.notify(job.control, 1);
    }
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

if (parentPort && port) {
  const results = port;
  parentPort.on('message', (job: WorkerJob) => run(job, results));
}
