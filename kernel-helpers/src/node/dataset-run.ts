// A per-file analysis over many files (a record's, or a list of paths/URLs) on a pool of worker
// threads: each worker reads one file at a time in chunks (dataset-file.ts), the results add up
// here. A file that fails is tried again; one that fails for good stops the run, naming it, unless
// the caller asked to go on without it. The result says which files it covers.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { AnalysisResult, AnalysisSpec, normalizeSpec } from '../core/dataset-spec';
import { OpenDataError } from '../core/errors';
import { RecordFile, fileName, isRemoteUri } from '../core/record-files';
import { builtFile } from './built-file';
import {
  analyzeFile,
  chunkModule,
  type FileAnalysisOptions,
  type FileProgress
} from './dataset-file';
import { DatasetProgressListener, defaultDatasetProgress } from './dataset-progress';
import { DatasetWorker, acquireDatasetWorker, releaseDatasetWorker } from './dataset-workers';
import type { FileJob, WorkerReply } from './dataset-worker';
import { FileListOptions, listFiles } from './files';

/** A file of the run: a path or URL, or a record's file (its declared size feeds ETA and estimates). */
export type DatasetFile = string | { uri: string; size?: number | null };

export interface DatasetRunOptions extends FileAnalysisOptions {
  /** Workers, one core each (default: every core, at most the number of files). */
  threads?: number;
  /** Attempts of a failed file after the first (default 2). */
  retries?: number;
  /** Go on without the files that fail for good (listed in `failed`); default: stop and throw. */
  keepGoing?: boolean;
  /** Progress (files, events, MB/s, ETA); default: a notebook display or a terminal line; null: none. */
  progress?: DatasetProgressListener | null;
}

export interface FileOutcome {
  file: string;
  /** Entries read, bytes of the file and bytes read from it. */
  entries: number;
  size: number;
  bytesRead: number;
  attempts: number;
}

export interface FailedFile {
  file: string;
  error: string;
  attempts: number;
}

export interface DatasetResult {
  /** The merged histograms, keyed by name. */
  histograms: AnalysisResult['histograms'];
  cutflow: AnalysisResult['cutflow'];
  entries: number;
  /** The files the result covers, in the order given. */
  files: FileOutcome[];
  /** Files left out (only with keepGoing). */
  failed: FailedFile[];
  seconds: number;
  threads: number;
  /** Bytes of the covered files (their sizes) and bytes actually read from them. */
  bytes: number;
  bytesRead: number;
  /**
   * The largest peak resident memory of a worker (bytes): each is a process of its own on Node
   * (a thread on Deno, which reports its whole process; the caller's own when run in-process).
   */
  peakWorkerRss: number;
}

/** What the progress display is told as the run goes. */
export interface DatasetProgress {
  files: number;
  filesDone: number;
  filesFailed: number;
  entries: number;
  /** Bytes of the files, counting a file being read by the share of its entries read. */
  bytesDone: number;
  /** Sum of the known file sizes; null until every file's size is known. */
  bytesTotal: number | null;
  seconds: number;
  /** Set while a file waits to be tried again. */
  retrying?: { file: string; attempt: number; error: string };
  finished: boolean;
}

const MAX_THREADS = 16;

export function defaultDatasetThreads(files: number): number {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  return Math.max(1, Math.min(cores, MAX_THREADS, files));
}

function uriOf(f: DatasetFile): string {
  return typeof f === 'string' ? f : f.uri;
}

/** The size a file is known to have before it is opened: the record's, or a local file's. */
function knownSize(f: DatasetFile): number | null {
  if (typeof f !== 'string') return f.size ?? null;
  if (isRemoteUri(f)) return null;
  try {
    return fs.statSync(f.replace(/^file:\/\//, '')).size;
  } catch {
    return null; // reported when the file is read
  }
}

/** Every ROOT file of a record, file indexes expanded, as http(s) URLs of `portal` (with sizes). */
export async function recordRootFiles(
  record: string | number | object,
  options: FileListOptions = {}
): Promise<RecordFile[]> {
  const files = await listFiles(record, { ...options, expand: true, protocol: 'http' });
  const roots = files.filter(f => /\.root$/i.test(fileName(f.uri)));
  if (roots.length === 0) {
    throw new OpenDataError(
      'E_NOT_FOUND',
      `record ${String(record)}: no ROOT files among its ${files.length} files`
    );
  }
  return roots;
}

interface Slot {
  worker: DatasetWorker | null;
  busy: number | null;
}

/**
 * Runs `spec` over every file on `threads` worker threads and adds up the results. Throws
 * (E_NETWORK/E_FORMAT/…, naming the file and its error) when a file fails every attempt, unless
 * `keepGoing`; then the result lists it in `failed` and covers the others.
 */
export async function runDataset(
  files: DatasetFile[],
  spec: AnalysisSpec,
  options: DatasetRunOptions = {}
): Promise<DatasetResult> {
  normalizeSpec(spec); // a bad spec fails here, not in every worker
  if (spec.module !== undefined) {
    // Workers resolve it from the same working directory; an absolute path says which one.
    spec = { ...spec, module: path.resolve(spec.module) };
    chunkModule(spec); // a missing module or function fails here too
  }
  if (files.length === 0) throw new OpenDataError('E_USAGE', 'dataset run: no files given');
  const threads = Math.max(
    1,
    Math.min(options.threads ?? defaultDatasetThreads(files.length), files.length, MAX_THREADS)
  );
  const retries = options.retries ?? 2;
  const progress = options.progress === undefined ? defaultDatasetProgress() : options.progress;
  const fileOptions: FileAnalysisOptions = {
    portal: options.portal,
    step: options.step,
    requestRetries: options.requestRetries,
    retryDelayMs: options.retryDelayMs
  };
  const started = Date.now();
  const total = new AnalysisResult(spec);
  const outcomes: (FileOutcome | undefined)[] = new Array(files.length);
  const failed: FailedFile[] = [];
  const sizes: (number | null)[] = files.map(knownSize);
  const live = new Map<number, FileProgress>();
  const attempts = new Array<number>(files.length).fill(0);
  const queue: number[] = files.map((_, i) => i);
  let retrying: DatasetProgress['retrying'];
  let doneCount = 0;
  let peakWorkerRss = 0;
  let fatal: OpenDataError | null = null;

  const report = (finished = false) => {
    if (!progress) return;
    let bytesDone = 0;
    let entries = total.entries;
    outcomes.forEach(o => o && (bytesDone += o.size));
    for (const p of live.values()) {
      bytesDone += p.entries > 0 ? (p.size * p.done) / p.entries : 0;
      entries += p.done;
    }
    progress({
      files: files.length,
      filesDone: doneCount,
      filesFailed: failed.length,
      entries,
      bytesDone,
      bytesTotal: sizes.every(s => s !== null)
        ? sizes.reduce((a, s) => a + (s as number), 0)
        : null,
      seconds: (Date.now() - started) / 1000,
      retrying,
      finished
    });
  };

  const succeed = (i: number, state: AnalysisResult, size: number, bytesRead: number) => {
    live.delete(i);
    total.add(state);
    sizes[i] = size;
    outcomes[i] = {
      file: uriOf(files[i]),
      entries: state.entries,
      size,
      bytesRead,
      attempts: attempts[i]
    };
    doneCount++;
    report();
  };

  const fail = (i: number, error: string, code?: string) => {
    live.delete(i);
    const permanent = code === 'E_USAGE' || code === 'E_UNSUPPORTED';
    if (!permanent && attempts[i] <= retries) {
      retrying = { file: uriOf(files[i]), attempt: attempts[i], error };
      queue.push(i); // tried again after the files not yet tried
      report();
      return;
    }
    failed.push({ file: uriOf(files[i]), error, attempts: attempts[i] });
    report();
    if (!options.keepGoing && !fatal) {
      const name = uriOf(files[i]);
      fatal = new OpenDataError(
        (code as OpenDataError['code']) ?? 'E_FORMAT',
        `dataset run: ${name} failed after ${attempts[i]} attempt${attempts[i] === 1 ? '' : 's'}: ${error}` +
          ' (pass keepGoing / --keep-going to go on without it)'
      );
      (fatal as OpenDataError & { file?: string }).file = name;
    }
  };

  const script = builtFile('node', 'dataset-worker.js');
  if (script === null) {
    // No build to start workers from (sources run directly): the files one by one, here.
    for (let next = queue.shift(); next !== undefined && !fatal; next = queue.shift()) {
      const i = next;
      attempts[i]++;
      try {
        const r = await analyzeFile(uriOf(files[i]), spec, fileOptions, p => {
          live.set(i, p);
          report();
        });
        succeed(i, r.result, r.size, r.bytesRead);
      } catch (err) {
        fail(i, (err as Error).message ?? String(err), (err as OpenDataError).code);
      }
    }
  } else {
    await new Promise<void>(resolve => {
      const slots: Slot[] = Array.from({ length: threads }, () => ({ worker: null, busy: null }));
      let jobs = 0;
      const jobFile = new Map<number, number>();
      const finishIfDone = () => {
        if ((fatal || queue.length === 0) && slots.every(s => s.busy === null)) {
          for (const s of slots) {
            if (s.worker) releaseDatasetWorker(s.worker);
            s.worker = null;
          }
          resolve();
        }
      };
      const start = (slot: Slot) => {
        if (fatal) return finishIfDone();
        const i = queue.shift();
        if (i === undefined) return finishIfDone();
        if (!slot.worker) slot.worker = acquire(slot);
        attempts[i]++;
        const job = ++jobs;
        jobFile.set(job, i);
        slot.busy = job;
        const message: FileJob = { job, file: uriOf(files[i]), spec, options: fileOptions };
        slot.worker.post(message);
      };
      const acquire = (slot: Slot): DatasetWorker => {
        const worker = acquireDatasetWorker(script, {
          message: (reply: WorkerReply) => {
            const i = jobFile.get(reply.job);
            if (i === undefined || slot.busy !== reply.job) return;
            if (reply.kind === 'progress') {
              live.set(i, reply.progress);
              report();
              return;
            }
            slot.busy = null;
            jobFile.delete(reply.job);
            if (reply.kind === 'done') {
              peakWorkerRss = Math.max(peakWorkerRss, reply.maxRss);
              succeed(i, AnalysisResult.fromState(spec, reply.state), reply.size, reply.bytesRead);
            } else {
              fail(i, reply.error, reply.code);
            }
            start(slot);
          },
          lost: (why: string) => {
            if (slot.worker !== worker) return;
            slot.worker = null;
            const job = slot.busy;
            slot.busy = null;
            if (job !== null && jobFile.has(job)) {
              const i = jobFile.get(job)!;
              jobFile.delete(job);
              fail(i, `worker stopped: ${why}`);
            }
            start(slot);
          }
        });
        return worker;
      };
      for (const slot of slots) start(slot);
    });
  }
  report(true);
  if (fatal) throw fatal;
  const covered = outcomes.filter((o): o is FileOutcome => o !== undefined);
  return {
    histograms: total.histograms,
    cutflow: total.cutflow,
    entries: total.entries,
    files: covered,
    failed,
    seconds: (Date.now() - started) / 1000,
    threads: script === null ? 1 : threads,
    bytes: covered.reduce((s, o) => s + o.size, 0),
    bytesRead: covered.reduce((s, o) => s + o.bytesRead, 0),
    peakWorkerRss: script === null ? process.resourceUsage().maxRSS * 1024 : peakWorkerRss
  };
}

export interface DatasetEstimate {
  /** The file the dry run read, and what it measured. */
  file: string;
  seconds: number;
  entries: number;
  bytes: number;
  /** File bytes analysed per second on one thread. */
  bytesPerSecond: number;
  /** The whole set: files, bytes (declared sizes; files without one count as the average). */
  files: number;
  totalBytes: number;
  /** Sizes the record did not declare. */
  unknownSizes: number;
  /** Seconds for the whole set on N threads (this machine) and N Dask workers (one core each). */
  threads: { threads: number; seconds: number }[];
  dask: { workers: number; seconds: number }[];
  /** The dry run's histograms and cut-flow (one file). */
  result: AnalysisResult;
}

/**
 * A dry run on the first file (read here, on one thread) and an estimate for all of them: their
 * bytes (declared sizes) over the measured throughput, on N threads and on N Dask workers. Assumes
 * the per-file cost scales with bytes and that threads scale at `efficiency` (measured: see the bench).
 */
export async function estimateDataset(
  files: DatasetFile[],
  spec: AnalysisSpec,
  options: FileAnalysisOptions & { efficiency?: number } = {}
): Promise<DatasetEstimate> {
  normalizeSpec(spec);
  if (files.length === 0) throw new OpenDataError('E_USAGE', 'dry run: no files given');
  const first = uriOf(files[0]);
  // Timed cold (JIT, connections): the estimate errs on the slow side.
  const t0 = performance.now();
  const run = await analyzeFile(first, spec, options);
  const seconds = (performance.now() - t0) / 1000;
  const bytesPerSecond = run.size / Math.max(seconds, 1e-6);
  const declared = files.map((f, i) => (i === 0 ? run.size : knownSize(f)));
  const known = declared.filter((s): s is number => s !== null);
  const average = known.reduce((a, s) => a + s, 0) / known.length;
  const totalBytes = declared.reduce<number>((a, s) => a + (s ?? average), 0);
  const efficiency = options.efficiency ?? 0.85;
  const oneThread = totalBytes / bytesPerSecond;
  const counts = (list: number[]) => [
    ...new Set(list.map(n => Math.max(1, Math.min(n, files.length))))
  ];
  const cores = defaultDatasetThreads(Number.MAX_SAFE_INTEGER);
  return {
    file: first,
    seconds,
    entries: run.result.entries,
    bytes: run.size,
    bytesPerSecond,
    files: files.length,
    totalBytes,
    unknownSizes: declared.filter(s => s === null).length,
    threads: counts([1, 2, 4, cores]).map(n => ({
      threads: n,
      seconds: n === 1 ? oneThread : oneThread / (n * efficiency)
    })),
    // A Dask worker is a core of its own; its tasks read over the network like a thread does.
    dask: counts([8, 32, 128, 512]).map(n => ({
      workers: n,
      seconds: oneThread / (n * efficiency)
    })),
    result: run.result
  };
}
