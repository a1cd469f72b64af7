// The workers of dataset runs. On Node each is a child process: V8 takes its options per process,
// and `--single-threaded-gc` keeps a worker to one core (with its collector on helper threads a
// worker thread kept 1.3–1.5 cores busy, so two on two cores made only 1.3× one: bench `dataset`).
// A process also fails alone: a file that exhausts a worker's memory costs that worker, not the
// notebook's kernel. Runtimes without fork's V8 options (Deno) get worker threads.
// Workers outlive a run by IDLE_MS, as a Dask cluster outlives a computation: the next run in the
// notebook starts with warm workers. Idle ones do not keep the process alive.
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { FileJob, WorkerReply } from './dataset-worker';

export interface WorkerEvents {
  message(reply: WorkerReply): void;
  /** The worker stopped or failed to start; `why` says how. */
  lost(why: string): void;
}

export interface DatasetWorker {
  post(job: FileJob): void;
}

/**
 * V8 options of a worker process: its garbage collector on its own thread, and `gc()` for the
 * worker to collect when its buffers pass a bound (dataset-worker.ts).
 */
const WORKER_V8_OPTIONS = ['--single-threaded-gc', '--expose-gc'];
/** How long a worker waits for the next run before it stops. */
const IDLE_MS = 60_000;

interface PooledWorker extends DatasetWorker {
  /** What it was started with: a run with another script or environment needs other workers. */
  key: string;
  events: WorkerEvents | null;
  alive: boolean;
  idleTimer: NodeJS.Timeout | null;
  /** Whether it keeps the process alive (only while it works for a run). */
  ref(on: boolean): void;
  stop(): void;
}

const idle: PooledWorker[] = [];

function inDeno(): boolean {
  return typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
}

function spawn(script: string, key: string): PooledWorker {
  // The caller's environment as it is now (a CA file set at run time, as tests do).
  const env = { ...process.env };
  const worker: PooledWorker = {
    key,
    events: null,
    alive: true,
    idleTimer: null,
    post: () => undefined,
    ref: () => undefined,
    stop: () => undefined
  };
  const lose = (why: string) => {
    if (!worker.alive) return;
    worker.alive = false;
    const i = idle.indexOf(worker);
    if (i >= 0) idle.splice(i, 1);
    worker.events?.lost(why);
  };
  const onMessage = (reply: WorkerReply) => worker.events?.message(reply);
  if (inDeno()) {
    const thread = new Worker(script, { env });
    thread.on('message', onMessage);
    thread.on('error', err => lose(err.message));
    thread.on('exit', code => lose(`exit code ${code}`));
    worker.post = job => thread.postMessage(job);
    // optional chaining: runtimes' worker_threads do not all have them
    worker.ref = on => (on ? thread.ref?.() : thread.unref?.());
    worker.stop = () => {
      lose('stopped');
      void thread.terminate();
    };
    return worker;
  }
  const child = fork(script, [], {
    env,
    execArgv: WORKER_V8_OPTIONS,
    serialization: 'advanced',
    // what an analysis module prints reaches the caller's own streams (a notebook's output)
    stdio: ['ignore', 'pipe', 'pipe', 'ipc']
  });
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  child.on('message', message => onMessage(message as WorkerReply));
  child.on('error', err => lose(err.message));
  child.on('exit', (code, signal) => lose(signal ? `killed by ${signal}` : `exit code ${code}`));
  worker.post = job => {
    // a process that has just died reports the job as lost through 'exit'
    if (child.connected) child.send(job);
  };
  worker.ref = on => {
    for (const handle of [child, child.channel, child.stdout, child.stderr]) {
      const h = handle as { ref?: () => void; unref?: () => void } | null | undefined;
      if (on) h?.ref?.();
      else h?.unref?.();
    }
  };
  worker.stop = () => {
    lose('stopped');
    child.kill();
  };
  return worker;
}

/** A worker for a run: an idle one started the same way, or a new one. */
export function acquireDatasetWorker(script: string, events: WorkerEvents): DatasetWorker {
  const key = JSON.stringify([script, process.env]);
  const i = idle.findIndex(w => w.key === key);
  const worker = i >= 0 ? idle.splice(i, 1)[0] : spawn(script, key);
  if (worker.idleTimer) clearTimeout(worker.idleTimer);
  worker.idleTimer = null;
  worker.events = events;
  worker.ref(true);
  return worker;
}

/** The run is done with `worker`: it waits for the next run, not keeping the process alive. */
export function releaseDatasetWorker(worker: DatasetWorker): void {
  const w = worker as PooledWorker;
  w.events = null;
  if (!w.alive) return;
  w.ref(false);
  w.idleTimer = setTimeout(() => w.stop(), IDLE_MS);
  w.idleTimer.unref();
  idle.push(w);
}
