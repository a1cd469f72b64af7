// A worker of a dataset run (dataset-run.ts): a child process of its own (on Node) or a worker
// thread (runtimes without fork's V8 options), analysing the files it is sent one at a time,
// posting progress after each chunk and the file's result (or its error) at the end.
import { parentPort } from 'node:worker_threads';
import type { AnalysisSpec, AnalysisState } from '../core/dataset-spec';
import { analyzeFile, type FileAnalysisOptions, type FileProgress } from './dataset-file';
import { inflateOnCallingThread } from './root/decompress';

export interface FileJob {
  job: number;
  file: string;
  spec: AnalysisSpec;
  options: FileAnalysisOptions;
}

export type WorkerReply =
  | { job: number; kind: 'progress'; progress: FileProgress }
  | {
      job: number;
      kind: 'done';
      state: AnalysisState;
      size: number;
      bytesRead: number;
      /** The worker's peak resident memory so far (bytes; a thread reports its whole process's). */
      maxRss: number;
    }
  | { job: number; kind: 'failed'; error: string; code?: string };

interface Channel {
  onJob(handle: (job: FileJob) => void): void;
  post(reply: WorkerReply): void;
}

function channel(): Channel | null {
  if (parentPort) {
    const port = parentPort;
    return { onJob: handle => port.on('message', handle), post: reply => port.postMessage(reply) };
  }
  if (process.send) {
    // the run's process went away (a kernel restarted, a CLI killed): nothing to report to
    process.on('disconnect', () => process.exit(0));
    return {
      onJob: handle => process.on('message', handle as (message: unknown) => void),
      post: reply => process.send!(reply)
    };
  }
  return null;
}

/**
 * ArrayBuffer bytes (live and garbage) past which a worker process collects. Without the
 * collector's helper threads (`--single-threaded-gc`), V8 frees ArrayBuffers only when a marking
 * driven by JavaScript allocation finishes, and the reader allocates little on the JavaScript heap:
 * buffers from HTTP reads and decoded baskets then pile up to 100–200 MB between collections.
 */
const GARBAGE_LIMIT = 64 * 1024 * 1024;
/** `gc` of a worker process (started with --expose-gc, dataset-workers.ts). */
const collect = (globalThis as { gc?: () => void }).gc;

const port = channel();
if (port) {
  // one worker per core already: inflating on libuv's pool would only add thread switches
  if (!parentPort) inflateOnCallingThread();
  port.onJob(job => {
    let last = 0;
    analyzeFile(job.file, job.spec, job.options, progress => {
      // after each chunk
      if (collect && process.memoryUsage().arrayBuffers > GARBAGE_LIMIT) collect();
      // At most ~10 progress messages a second per worker: the display needs no more.
      const now = Date.now();
      if (now - last < 100 && progress.done < progress.entries) return;
      last = now;
      port.post({ job: job.job, kind: 'progress', progress });
    }).then(
      ({ result, size, bytesRead }) =>
        port.post({
          job: job.job,
          kind: 'done',
          state: result.toState(),
          size,
          bytesRead,
          maxRss: process.resourceUsage().maxRSS * 1024
        }),
      (err: unknown) =>
        port.post({
          job: job.job,
          kind: 'failed',
          error: err instanceof Error ? err.message : String(err),
          code: (err as { code?: string })?.code
        })
    );
  });
}
