// Whole datasets (issue 13): the same analysis over many files on 1 and 2 workers (runDataset: one
// process per worker, one core each), and side by side with uproot.dask on a dask.distributed LocalCluster of 2 workers
// (one thread each) over the same files. The files: 16 copies (8 with --quick) of a NanoAOD-like
// file written by test/support/repeat_events.py (the bundled sample's muons in a seeded random
// order, 1M events, zlib 1: nMuon, Muon_pt, Muon_eta), cached under build/bench/. The analysis:
// events with nMuon >= 2, histograms of their Muon_pt and Muon_eta (50 bins each).
// Rows: MB of files a second on 1 worker and on 2 (vs Dask on 2 workers; the start of workers and
// cluster excluded on both sides, as a notebook starts them once), and the scaling 2 / 1 against
// the 1.7x goal.
// Medians of alternating runs (the machine is shared: spreads are in the rows).
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { row, runNode, runPython, runProcess } from './lib.mjs';

const EVENTS = 1_000_000;

async function makeFiles(ctx, count) {
  const dir = path.join(ctx.root, 'build', 'bench', 'dataset');
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `muons-${EVENTS}.root`);
  if (!fs.existsSync(base)) {
    ctx.log(`dataset: writing ${EVENTS} events with uproot`);
    const tmp = `${base}.${process.pid}.tmp`;
    await runProcess(ctx.python, [
      path.join(ctx.root, 'test', 'support', 'repeat_events.py'),
      tmp,
      String(EVENTS)
    ]);
    fs.renameSync(tmp, base);
  }
  const files = [];
  for (let i = 0; i < count; i++) {
    const copy = path.join(dir, `muons-${String(i).padStart(2, '0')}.root`);
    if (!fs.existsSync(copy) || fs.statSync(copy).size !== fs.statSync(base).size) {
      fs.copyFileSync(base, copy);
    }
    files.push(copy);
  }
  return files;
}

const SPEC = {
  tree: 'Events',
  cuts: ['nMuon >= 2'],
  histograms: [
    { branch: 'Muon_pt', bins: 50, range: [0, 200] },
    { branch: 'Muon_eta', bins: 50, range: [-2.5, 2.5] }
  ]
};

/**
 * runDataset on 1 and 2 workers, `repeat` times each, alternating, in one process: after a first
 * run that starts the workers (excluded, as the Dask cluster's start is), as a notebook would run
 * it again. CPU: this process and its worker processes (from /proc: they are not reaped yet).
 */
function ours(ctx, files, repeat) {
  return runNode(
    ctx,
    `
const fs = require('node:fs');
const h = require(HELPERS);
const ticks = () => {
  // utime + stime of this process and of its children (the workers), in clock ticks (1/100 s)
  let sum = 0;
  for (const pid of fs.readdirSync('/proc').filter(d => /^[0-9]+$/.test(d))) {
    let stat;
    try { stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8'); } catch { continue; }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pid) === process.pid || Number(f[1]) === process.pid) sum += Number(f[11]) + Number(f[12]);
  }
  return sum;
};
const spec = ${JSON.stringify(SPEC)};
const files = ${JSON.stringify(files)};
await h.runDataset(files, spec, { threads: 2, progress: null });
const runs = { 1: [], 2: [] };
let peakWorkerRss = 0;
let pt = null;
for (let k = 0; k < ${repeat}; k++) {
  for (const threads of [1, 2]) {
    const t0 = performance.now();
    const c0 = ticks();
    const r = await h.runDataset(files, spec, { threads, progress: null });
    const seconds = (performance.now() - t0) / 1000;
    runs[threads].push({ seconds, cores: (ticks() - c0) / 100 / seconds, bytes: r.bytes, entries: r.entries });
    peakWorkerRss = Math.max(peakWorkerRss, r.peakWorkerRss);
    const counts = JSON.stringify(Array.from(r.histograms.Muon_pt.counts));
    if (pt !== null && counts !== pt) throw new Error('runs on 1 and 2 workers disagree');
    pt = counts;
  }
}
_report({ runs, peak_worker_rss_mb: peakWorkerRss / 1048576, pt: JSON.parse(pt) });
`,
    'dataset'
  );
}

function dask(ctx, files, repeat) {
  return runPython(
    ctx,
    `
import resource, dask, dask.array as da, dask_awkward as dak, numpy as np, uproot
from dask.distributed import Client, LocalCluster
if __name__ == "__main__":
    files = ${JSON.stringify(files)}
    client = Client(LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0"))
    times = []
    for k in range(${repeat} + 1):  # the first run (workers importing uproot) is not counted
        t0 = time.perf_counter()
        ev = uproot.dask({f: "Events" for f in files}, steps_per_file=1, open_files=False)
        sel = ev[ev.nMuon >= 2]
        pt = da.histogram(dak.to_dask_array(dak.flatten(sel.Muon_pt, axis=None)), bins=50, range=(0, 200))[0]
        eta = da.histogram(dak.to_dask_array(dak.flatten(sel.Muon_eta, axis=None)), bins=50, range=(-2.5, 2.5))[0]
        pt, eta = dask.compute(pt, eta)
        if k:
            times.append(time.perf_counter() - t0)
    peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    client.close()
    report({"seconds": sorted(times)[len(times) // 2], "all": times, "pt": pt.tolist(),
            "workers_peak_rss_mb": sum(peaks.values())})
`
  );
}

/** The machine's own ceiling right now: a pure CPU loop on 1 and on 2 worker threads. */
function cpuCeiling(ctx) {
  return runNode(
    ctx,
    `
const { Worker } = require('node:worker_threads');
const loop = "let x = 0; for (let i = 0; i < 2e8; i++) x += i % 7; require('node:worker_threads').parentPort.postMessage(x);";
const time = async n => {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => new Promise(done => {
    const w = new Worker(loop, { eval: true });
    w.on('message', () => { done(); void w.terminate(); });
  })));
  return performance.now() - t0;
};
await time(1);
const one = await time(1);
const two = await time(2);
_report({ scaling: (2 * one) / two });
`,
    'dataset-cpu'
  );
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(ctx) {
  const files = await makeFiles(ctx, ctx.quick ? 8 : 16);
  const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  const repeat = ctx.quick ? 2 : 5;
  ctx.log(`dataset: ${files.length} files, ${repeat} runs each on 1 and 2 workers (alternating)`);
  const measured = await ours(ctx, files, repeat);
  const one = measured.runs[1].map(r => r.seconds);
  const two = measured.runs[2].map(r => r.seconds);
  const cores1 = measured.runs[1].map(r => r.cores);
  const cores2 = measured.runs[2].map(r => r.cores);
  const check = { pt: measured.pt, entries: measured.runs[1][0].entries };
  // this process and each worker at its peak (the workers are processes of their own)
  const rss1 = measured.peak_rss_mb + measured.peak_worker_rss_mb;
  const rss2 = measured.peak_rss_mb + 2 * measured.peak_worker_rss_mb;
  const ceiling = await cpuCeiling(ctx);
  ctx.log(`dataset: uproot.dask on a LocalCluster of 2 workers`);
  const peer = await dask(ctx, files, repeat);
  if (JSON.stringify(peer.pt) !== JSON.stringify(check.pt)) {
    throw new Error('uproot.dask and runDataset disagree on the Muon_pt histogram');
  }
  const mb = bytes / 1e6;
  const spread = xs => xs.map(x => (mb / x).toFixed(1)).join(', ');
  const t1 = median(one);
  const t2 = median(two);
  const extra = { files: files.length, events: check.entries, file_mb: Number(mb.toFixed(1)) };
  return [
    row(
      `dataset: ${files.length} files on 1 worker (MB/s)`,
      mb / t1,
      'uproot.dask, 2 workers',
      mb / peer.seconds,
      'MB/s',
      {
        ...extra,
        runs: spread(one),
        peak_rss_mb: Math.round(rss1)
      }
    ),
    row(
      `dataset: ${files.length} files on 2 workers (MB/s)`,
      mb / t2,
      'uproot.dask, 2 workers',
      mb / peer.seconds,
      'MB/s',
      {
        ...extra,
        runs: spread(two),
        peer_runs: spread(peer.all),
        peak_rss_mb: Math.round(rss2),
        // the client and the two Dask workers at their peaks
        peer_peak_rss_mb: Math.round(peer.peak_rss_mb + peer.workers_peak_rss_mb)
      }
    ),
    row('dataset: scaling 2 workers / 1 worker', t1 / t2, 'goal', 1.7, 'x', {
      ...extra,
      // 2.0 on two idle cores; less when other processes share them
      cpu_loop_scaling: Number(ceiling.scaling.toFixed(2)),
      // CPU-seconds per second of each run, this process and its workers
      cores_1_worker: Number(median(cores1).toFixed(2)),
      cores_2_workers: Number(median(cores2).toFixed(2))
    })
  ];
}
