// adler32 throughput over 256 MB (32 MB quick) of real ROOT bytes (uproot-issue79.root repeated):
// ours as download verification runs it (adler32Digest: the wasm SIMD kernel) vs Python's
// zlib.adler32 (C). Same bytes, same answer.
import fs from 'node:fs';
import path from 'node:path';
import { row, runNode, runPython, sharedPath } from './lib.mjs';

function makeFile(ctx, bytes) {
  const real = fs.readFileSync(sharedPath(ctx, 'events', 'root', 'uproot-issue79.root'));
  const file = path.join(ctx.tmp, 'checksum-input.bin');
  const fd = fs.openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; written += real.length) fs.writeSync(fd, real);
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

export async function run(ctx) {
  const file = makeFile(ctx, ctx.quick ? 32e6 : 256e6);
  const size = fs.statSync(file).size;
  const repeat = ctx.quick ? 2 : 5;
  const ours = await runNode(
    ctx,
    `
const fs = require('node:fs');
const { adler32Digest } = require(HELPERS);
const bytes = fs.readFileSync(${JSON.stringify(file)});
let best = Infinity, value;
for (let r = 0; r <= ${repeat}; r++) {
  const t0 = process.hrtime.bigint();
  const digest = adler32Digest();
  digest.update(bytes);
  value = parseInt(digest.hex(), 16);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r > 0) best = Math.min(best, s);
}
_report({ seconds: best, value });
`,
    'adler32'
  );
  const peer = await runPython(
    ctx,
    `
import zlib
data = open(${JSON.stringify(file)}, 'rb').read()
best = float('inf')
for r in range(${repeat} + 1):
    t0 = time.perf_counter()
    value = zlib.adler32(data)
    s = time.perf_counter() - t0
    if r > 0: best = min(best, s)
report({'seconds': best, 'value': value})
`
  );
  if (ours.value !== peer.value) {
    throw new Error(`adler32 differs: ours ${ours.value}, zlib ${peer.value}`);
  }
  const mbps = s => size / s / 1e6;
  return [
    row(
      `adler32 ${Math.round(size / 1e6)} MB`,
      mbps(ours.seconds),
      'zlib.adler32',
      mbps(peer.seconds),
      'MB/s',
      {
        peak_rss_mb: Math.round(ours.peak_rss_mb),
        peer_peak_rss_mb: Math.round(peer.peak_rss_mb)
      }
    )
  ];
}
