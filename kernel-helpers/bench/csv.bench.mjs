// CSV → columns: readCSV vs pandas.read_csv on a ~100 MB CSV made by repeating the real rows of
// Zmumu_Run2011A.csv (CRLF, 14 numeric columns), with each side's peak memory.
import path from 'node:path';
import { repeatCSV, row, runNode, runPython, sharedPath } from './lib.mjs';

export async function run(ctx) {
  const source = sharedPath(ctx, 'events', 'csv', 'Zmumu_Run2011A.csv');
  const bytes = ctx.quick ? 20e6 : 100e6;
  const file = repeatCSV(source, path.join(ctx.tmp, 'zmumu-repeated.csv'), bytes);
  const mb = bytes / 1e6;
  // Each side: warm up on the original file, note the resident memory, then time one read of the
  // large file in the same process (its peak RSS is the read's), best of `runs` processes.
  const runs = ctx.quick ? 1 : 3;
  // Ours on every core (the default for a file this size) and on one thread, pandas on its one.
  const node = threads =>
    runNode(
      ctx,
      `
const { readCSV } = require(HELPERS);
const threads = ${threads} || require('node:os').availableParallelism();
// Warm-up reads of the real file: they start the worker threads (so the baseline holds them, as
// pandas' holds its import) and let V8 compile the parser and the wasm kernel with its optimising
// tiers, as a notebook's earlier reads would; pandas gets the same warm-up.
for (let k = 0; k < 5; k++) readCSV(${JSON.stringify(source)}, { threads });
global.gc?.();
const baseline = process.memoryUsage().rss / 1048576;
const t0 = process.hrtime.bigint();
const t = readCSV(${JSON.stringify(file)}, { threads });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
let raw = 0;
for (const f of t.schema.fields) {
  for (const d of t.getChild(f.name).data) {
    raw += d.values.byteLength + (d.valueOffsets ? d.valueOffsets.byteLength : 0) + (d.nullBitmap ? d.nullBitmap.byteLength : 0);
  }
}
_report({ seconds, rows: t.numRows, raw_mb: raw / 1048576, baseline_mb: baseline, threads });
`,
      'csv'
    );
  const ours = [];
  const single = [];
  const peer = [];
  for (let r = 0; r < runs; r++) {
    ours.push(await node(0));
    single.push(await node(1));
    peer.push(
      await runPython(
        ctx,
        `
import pandas as pd
for k in range(5):
    pd.read_csv(${JSON.stringify(source)})
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
df = pd.read_csv(${JSON.stringify(file)})
seconds = time.perf_counter() - t0
report({'seconds': seconds, 'rows': len(df), 'raw_mb': df.memory_usage(index=False).sum() / 1048576, 'baseline_mb': baseline})
`
      )
    );
  }
  const best = list => list.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const o = best(ours);
  const o1 = best(single);
  const p = best(peer);
  for (const x of [o, o1]) {
    if (x.rows !== p.rows) throw new Error(`row counts differ: ours ${x.rows}, pandas ${p.rows}`);
  }
  const peakOurs = Math.max(...ours.map(x => x.peak_rss_mb));
  const peakPeer = Math.max(...peer.map(x => x.peak_rss_mb));
  const baseOurs = Math.max(...ours.map(x => x.baseline_mb));
  const basePeer = Math.max(...peer.map(x => x.baseline_mb));
  // Memory beyond the warmed-up process, per MB of raw column data (ours: Int32/Float64 columns).
  const memOurs = (peakOurs - baseOurs) / o.raw_mb;
  const memPeer = (peakPeer - basePeer) / o.raw_mb;
  ctx.log(
    `csv: ${o.rows} rows, raw columns ${o.raw_mb.toFixed(1)} MB (pandas int64: ${p.raw_mb.toFixed(1)} MB); peak RSS ours ${peakOurs.toFixed(0)} MB (baseline ${baseOurs.toFixed(0)}), pandas ${peakPeer.toFixed(0)} MB (baseline ${basePeer.toFixed(0)})`
  );
  return [
    row(
      `CSV → columns ${mb} MB (${o.threads} threads)`,
      mb / o.seconds,
      'pandas.read_csv',
      mb / p.seconds,
      'MB/s',
      { peak_rss_mb: Math.round(peakOurs), peer_peak_rss_mb: Math.round(peakPeer), goal: '≥ 2' }
    ),
    row(
      `CSV → columns ${mb} MB (1 thread)`,
      mb / o1.seconds,
      'pandas.read_csv',
      mb / p.seconds,
      'MB/s',
      {
        peak_rss_mb: Math.round(Math.max(...single.map(x => x.peak_rss_mb))),
        peer_peak_rss_mb: Math.round(peakPeer)
      }
    ),
    row(
      `CSV → columns ${mb} MB (${o.threads} threads): memory above baseline`,
      memOurs,
      'pandas.read_csv',
      memPeer,
      '× raw column bytes',
      { higherIsBetter: false, raw_mb: Math.round(o.raw_mb), goal: '≤ 1.3' }
    )
  ];
}
