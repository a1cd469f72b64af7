// Histogram fill of 10M doubles: Hist1D.fill vs numpy.histogram, same values, bins and range.
import fs from 'node:fs';
import path from 'node:path';
import { row, runNode, runPython } from './lib.mjs';

const BINS = 100;
const LO = 60;
const HI = 120;

/** 10M (1M quick) doubles: the real Zmumu invariant masses, repeated, as raw float64 bytes. */
function makeValues(ctx, n) {
  const csv = fs.readFileSync(path.join(ctx.root, 'data', 'events', 'Zmumu.csv'), 'utf8');
  const lines = csv.trim().split('\n');
  const m = lines[0].split(',').indexOf('M');
  const real = lines.slice(1).map(l => Number(l.split(',')[m]));
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = real[i % real.length];
  const file = path.join(ctx.tmp, 'hist-values.f64');
  fs.writeFileSync(file, values);
  return file;
}

export async function run(ctx) {
  const n = ctx.quick ? 1_000_000 : 10_000_000;
  const file = makeValues(ctx, n);
  const repeat = ctx.quick ? 3 : 7;
  const ours = await runNode(
    ctx,
    `
const fs = require('node:fs');
const { Hist1D } = require(HELPERS);
const buf = fs.readFileSync(${JSON.stringify(file)});
const values = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
let best = Infinity, h;
for (let r = 0; r <= ${repeat}; r++) {
  const t0 = process.hrtime.bigint();
  h = new Hist1D(${BINS}, ${LO}, ${HI}).fill(values);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r > 0) best = Math.min(best, s); // r = 0 warms up the JIT
}
_report({ seconds: best, inRange: h.sumWeights });
`,
    'hist'
  );
  const peer = await runPython(
    ctx,
    `
import numpy as np
values = np.fromfile(${JSON.stringify(file)}, dtype=np.float64)
best = float('inf')
for r in range(${repeat} + 1):
    t0 = time.perf_counter()
    counts, edges = np.histogram(values, bins=${BINS}, range=(${LO}, ${HI}))
    s = time.perf_counter() - t0
    if r > 0: best = min(best, s)
report({'seconds': best, 'inRange': float(counts.sum())})
`
  );
  // numpy's last bin is closed, ROOT's (ours) is not: the totals may differ by values exactly at HI.
  ctx.log(`hist: in-range sums ours ${ours.inRange}, numpy ${peer.inRange}`);
  const mps = s => n / s / 1e6;
  return [
    row(
      `hist fill ${n / 1e6}M doubles`,
      mps(ours.seconds),
      'numpy.histogram',
      mps(peer.seconds),
      'M values/s',
      {
        peak_rss_mb: Math.round(ours.peak_rss_mb),
        peer_peak_rss_mb: Math.round(peer.peak_rss_mb)
      }
    )
  ];
}
