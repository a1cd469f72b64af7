// Worker thread of a dataset run (dataset-run.ts): analyses the files it is sent, one at a time,
// posting progress after each chunk and the file's result (or its error) at the end.
import { parentPort } from 'node:worker_threads';
import type { AnalysisSpec, AnalysisState } from '../core/dataset-spec';
import { analyzeFile, type FileAnalysisOptions, type FileProgress } from './dataset-file';

export interface FileJob {
  job: number;
  file: string;
  spec: AnalysisSpec;
  options: FileAnalysisOptions;
}

export type WorkerReply =
  | { job: number; kind: 'progress'; progress: FileProgress }
  | { job: number; kind: 'done'; state: AnalysisState; size: number; bytesRead: number }
  | { job: number; kind: 'failed'; error: string; code?: string };

if (parentPort) {
  const port = parentPort;
  port.on('message', (job: FileJob) => {
    let last = 0;
    analyzeFile(job.file, job.spec, job.options, progress => {
      // At most ~10 progress messages a second per worker: the display needs no more.
      const now = Date.now();
      if (now - last < 100 && progress.done < progress.entries) return;
      last = now;
      port.postMessage({ job: job.job, kind: 'progress', progress } satisfies WorkerReply);
    }).then(
      ({ result, size, bytesRead }) =>
        port.postMessage({
          job: job.job,
          kind: 'done',
          state: result.toState(),
          size,
          bytesRead
        } satisfies WorkerReply),
      (err: unknown) =>
        port.postMessage({
          job: job.job,
          kind: 'failed',
          error: err instanceof Error ? err.message : String(err),
          code: (err as { code?: string })?.code
        } satisfies WorkerReply)
    );
  });
}
