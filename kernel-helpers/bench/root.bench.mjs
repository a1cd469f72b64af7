// ROOT flat branches → columns: the helpers' reader (jsroot metadata + own basket decoding into
// Arrow) vs uproot (tree.arrays(library="np")), on the real sample files and on a larger file
// written by uproot from the LHCb events repeated. Throughput in MB/s of uncompressed column
// bytes (best of N reads; uproot's array cache off so each read decodes); peak memory of one read
// per side in its own process.
import path from 'node:path';
import { row, runNode, runPython } from './lib.mjs';

/** Reads every branch of `tree` `repeat` times (after one warm-up) and reports the best time. */
function oursTiming(file, tree, repeat) {
  return `
const { openROOT } = require(HELPERS);
const f = await openROOT(${JSON.stringify(file)});
const t = await f.tree(${JSON.stringify(tree)});
let best = Infinity, bytes = 0;
for (let r = 0; r <= ${repeat}; r++) {
  const t0 = process.hrtime.bigint();
  const table = await t.read();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r > 0) best = Math.min(best, s);
  bytes = 0;
  for (const c of table.data) for (const d of c.children) bytes += d.values.byteLength;
}
await f.close();
_report({ seconds: best, bytes });
`;
}

/** One read in a fresh process: peak RSS against the RSS before reading (modules and file open). */
function oursMemory(file, tree) {
  return `
const { openROOT } = require(HELPERS);
const f = await openROOT(${JSON.stringify(file)});
const t = await f.tree(${JSON.stringify(tree)});
const before = process.memoryUsage().rss / 2 ** 20;
const table = await t.read();
let bytes = 0;
for (const c of table.data) for (const d of c.children) bytes += d.values.byteLength;
_report({ before_mb: before, raw_mb: bytes / 2 ** 20, rows: table.numRows });
`;
}

function peerTiming(file, tree, repeat) {
  return `
import uproot
t = uproot.open(${JSON.stringify(file)})[${JSON.stringify(tree)}]
best = float('inf')
for r in range(${repeat} + 1):
    t0 = time.perf_counter()
    arrays = t.arrays(library='np', array_cache=None)
    s = time.perf_counter() - t0
    if r > 0: best = min(best, s)
report({'seconds': best, 'bytes': sum(a.nbytes for a in arrays.values())})
`;
}

function peerMemory(file, tree) {
  return `
import uproot
t = uproot.open(${JSON.stringify(file)})[${JSON.stringify(tree)}]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
arrays = t.arrays(library='np', array_cache=None)
report({'before_mb': before, 'raw_mb': sum(a.nbytes for a in arrays.values()) / 2 ** 20})
`;
}

/** The LHCb tree repeated `times` into a new file by uproot (level 1 of `codec`: ZLIB or LZ4). */
async function makeLarge(ctx, times, codec = 'ZLIB') {
  const out = path.join(ctx.tmp, `lhcb-x${times}-${codec.toLowerCase()}.root`);
  const src = path.join(
    ctx.root,
    '..',
    'shared',
    'data',
    'events',
    'root',
    'lhcb-PhaseSpaceSimulation.root'
  );
  await runPython(
    ctx,
    `
import uproot
src = uproot.open(${JSON.stringify(src)})['PhaseSpaceTree'].arrays(library='np')
with uproot.recreate(${JSON.stringify(out)}, compression=uproot.${codec}(1)) as f:
    f.mktree('PhaseSpaceTree', {k: v.dtype for k, v in src.items()})
    for i in range(${times}):
        f['PhaseSpaceTree'].extend(src)
report({})
`
  );
  return out;
}

export async function run(ctx) {
  const data = path.join(ctx.root, '..', 'shared', 'data', 'events', 'root');
  // small files read in milliseconds: best of 20 on both sides (JIT and allocator warm)
  const repeat = ctx.quick ? 2 : 20;
  const times = ctx.quick ? 4 : 40;
  const inputs = [
    [
      'lhcb-PhaseSpaceSimulation.root (50k × 26 flat, zlib)',
      path.join(data, 'lhcb-PhaseSpaceSimulation.root'),
      'PhaseSpaceTree',
      repeat
    ],
    // LZ4 left its random floats as they were: one basket stored raw, one kept in the TTree
    [
      'uproot-issue79.root (1M floats, LZ4 file, baskets stored raw)',
      path.join(data, 'uproot-issue79.root'),
      'taus',
      repeat
    ]
  ];
  ctx.log(`root: writing the LHCb events ×${times} with uproot`);
  const large = await makeLarge(ctx, times);
  inputs.push([
    `LHCb events ×${times} (${times * 50}k × 26 flat, zlib, written by uproot)`,
    large,
    'PhaseSpaceTree',
    ctx.quick ? 1 : 3
  ]);
  // LZ4 baskets that are compressed (the columns ~3.5× the file): our decoder vs liblz4
  const lz4 = await makeLarge(ctx, times, 'LZ4');
  inputs.push([
    `LHCb events ×${times} (${times * 50}k × 26 flat, LZ4, written by uproot)`,
    lz4,
    'PhaseSpaceTree',
    ctx.quick ? 1 : 3
  ]);

  const rows = [];
  for (const [label, file, tree, n] of inputs) {
    const ours = await runNode(ctx, oursTiming(file, tree, n), 'root-time');
    const peer = await runPython(ctx, peerTiming(file, tree, n));
    const oursMem = await runNode(ctx, oursMemory(file, tree), 'root-mem');
    const peerMem = await runPython(ctx, peerMemory(file, tree));
    if (ours.bytes !== peer.bytes) {
      ctx.log(`root: ${label}: column bytes differ (ours ${ours.bytes}, uproot ${peer.bytes})`);
    }
    const mbps = r => r.bytes / r.seconds / 2 ** 20;
    rows.push(
      row(`ROOT read ${label}`, mbps(ours), 'uproot arrays(library="np")', mbps(peer), 'MB/s', {
        raw_mb: Math.round(oursMem.raw_mb * 10) / 10,
        peak_rss_mb: Math.round(oursMem.peak_rss_mb),
        peer_peak_rss_mb: Math.round(peerMem.peak_rss_mb),
        // what the read itself added on each side, against the raw column bytes
        read_rss_mb: Math.round(oursMem.peak_rss_mb - oursMem.before_mb),
        peer_read_rss_mb: Math.round(peerMem.peak_rss_mb - peerMem.before_mb)
      })
    );
  }
  return rows;
}
