// CSV → columns: readCSV vs pandas.read_csv on ~100 MB CSVs made by repeating real rows:
// Zmumu_Run2011A.csv (CRLF, 14 numeric columns; with each side's peak memory) and the bundled
// Zmumu.csv (a text column and 19 numeric ones). Ours on every core (the default for files this
// size) and on one thread; pandas on its one.
import path from 'node:path';
import { repeatCSV, row, runNode, runPython, sharedPath } from './lib.mjs';

export async function run(ctx) {
  const bytes = ctx.quick ? 20e6 : 100e6;
  const mb = bytes / 1e6;
  const numeric = await measure(ctx, sharedPath(ctx, 'events', 'csv', 'Zmumu_Run2011A.csv'), bytes);
  const labelled = await measure(ctx, path.join(ctx.root, 'data', 'events', 'Zmumu.csv'), bytes);
  const { ours, single, peer } = numeric;
  // Memory beyond the warmed-up process, per MB of raw column data (ours: Int32/Float64 columns).
  const memOurs = (ours.peak_rss_mb - ours.baseline_mb) / ours.raw_mb;
  const memPeer = (peer.peak_rss_mb - peer.baseline_mb) / ours.raw_mb;
  ctx.log(
    `csv: ${ours.rows} rows, raw columns ${ours.raw_mb.toFixed(1)} MB (pandas int64: ${peer.raw_mb.toFixed(1)} MB); peak RSS ours ${ours.peak_rss_mb.toFixed(0)} MB (baseline ${ours.baseline_mb.toFixed(0)}), pandas ${peer.peak_rss_mb.toFixed(0)} MB (baseline ${peer.baseline_mb.toFixed(0)})`
  );
  const speed = (label, r, p, extra = {}) =>
    row(
      `CSV → columns ${mb} MB, ${label}`,
      mb / r.seconds,
      'pandas.read_csv',
      mb / p.seconds,
      'MB/s',
      {
        peak_rss_mb: Math.round(r.peak_rss_mb),
        peer_peak_rss_mb: Math.round(p.peak_rss_mb),
        ...extra
      }
    );
  return [
    speed(`numeric (${ours.threads} threads)`, ours, peer, { goal: '≥ 2' }),
    speed('numeric (1 thread)', single, peer),
    speed(`with a text column (${labelled.ours.threads} threads)`, labelled.ours, labelled.peer),
    speed('with a text column (1 thread)', labelled.single, labelled.peer),
    row(
      `CSV → columns ${mb} MB, numeric (${ours.threads} threads): memory above baseline`,
      memOurs,
      'pandas.read_csv',
      memPeer,
      '× raw column bytes',
      { higherIsBetter: false, raw_mb: Math.round(ours.raw_mb), goal: '≤ 1.3' }
    )
  ];
}

/**
 * One source file repeated to `bytes`: each side warms up on the original file, notes its resident
 * memory, then times one read of the large file in the same process (its peak RSS is the read's).
 * Best of `runs` processes per side.
 */
async function measure(ctx, source, bytes) {
  const file = repeatCSV(source, path.join(ctx.tmp, `repeated-${path.basename(source)}`), bytes);
  const runs = ctx.quick ? 1 : 3;
  const node = threads =>
    runNode(
      ctx,
      `
const { readCSV } = require(HELPERS);
const threads = ${threads} || require('node:os').availableParallelism();
// Warm-up reads of the real file: they start the worker threads (small pieces, so that a file
// this small is read in parallel at all; the baseline then holds the threads, as pandas' holds
// its import) and let V8 compile the parser and the wasm kernel with its optimising tiers, as a
// notebook's earlier reads would; pandas gets the same warm-up.
for (let k = 0; k < 5; k++) readCSV(${JSON.stringify(source)}, { threads, minPieceBytes: 1 << 16 });
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
  const pandas = () =>
    runPython(
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
    );
  const all = { ours: [], single: [], peer: [] };
  for (let r = 0; r < runs; r++) {
    all.ours.push(await node(0));
    all.single.push(await node(1));
    all.peer.push(await pandas());
  }
  // The fastest run of each side, with the largest peak memory and baseline seen on that side.
  const best = list => ({
    ...list.reduce((a, b) => (b.seconds < a.seconds ? b : a)),
    peak_rss_mb: Math.max(...list.map(x => x.peak_rss_mb)),
    baseline_mb: Math.max(...list.map(x => x.baseline_mb))
  });
  const result = { ours: best(all.ours), single: best(all.single), peer: best(all.peer) };
  for (const side of [result.ours, result.single]) {
    if (side.rows !== result.peer.rows) {
      throw new Error(
        `${source}: row counts differ: ours ${side.rows}, pandas ${result.peer.rows}`
      );
    }
  }
  return result;
}
