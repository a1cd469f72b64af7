// NanoAOD jagged events: the helpers' ROOT reader and physics helpers vs uproot + awkward + numpy on
// a NanoAOD-like file the bench writes itself with uproot: the events of the bundled
// nanoAOD_2015_CMS_Open_Data_ttbar.root (200) and coffea-nano_dimuon.root (40) repeated (×1000:
// 240k events; the Muon, Electron and Jet collections, their counts and run/luminosityBlock/event:
// 131 branches; zlib level 1), and a copy with floats smeared by ±1e-3 so the baskets compress like
// real data rather than like repeats. Cached under build/bench/. Rows:
// - 10 jagged branches (Muon_pt/eta/phi/mass/charge, Jet_pt/eta/phi/mass/btagDeepB) and all 131
//   read warm (best of N in one process) vs tree.arrays(library="ak");
// - the dimuon analysis (exactly two opposite-charge muons, their invariant mass from
//   pt/eta/phi/mass, Hist1D(60, 60, 120)) as a whole process (start, imports, read, compute, fill;
//   median of alternating runs) vs uproot + awkward + numpy and vs uproot + vector + hist (the
//   Lorentz-vector and histogram libraries of Scikit-HEP), and its compute step alone.
// OPENDATA_BENCH_HELPERS=<path to another build's index.js> measures that build instead (old vs
// new in alternating runs).
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { helpersDist, row, runNode, runPython, sharedPath } from './lib.mjs';

const HELPERS = process.env.OPENDATA_BENCH_HELPERS
  ? path.resolve(process.env.OPENDATA_BENCH_HELPERS)
  : helpersDist;

const TEN = [
  'Muon_pt',
  'Muon_eta',
  'Muon_phi',
  'Muon_mass',
  'Muon_charge',
  'Jet_pt',
  'Jet_eta',
  'Jet_phi',
  'Jet_mass',
  'Jet_btagDeepB'
];

/** Writes (or reuses) the events of both files ×`times`, smeared or not; returns the path. */
async function makeNano(ctx, times, smear) {
  const dir = path.join(ctx.root, 'build', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `nanoaod-x${times}${smear ? '-smeared' : ''}.root`);
  if (fs.existsSync(out)) return out;
  const sources = ['nanoAOD_2015_CMS_Open_Data_ttbar.root', 'coffea-nano_dimuon.root'].map(f =>
    sharedPath(ctx, 'events', 'root', f)
  );
  ctx.log(`nanoaod: writing the NanoAOD events ×${times}${smear ? ' (smeared)' : ''} with uproot`);
  const tmp = `${out}.${process.pid}.tmp`;
  const written = runPython(
    ctx,
    `
import awkward as ak, numpy as np, uproot
sources = ${JSON.stringify(sources)}
trees = [uproot.open(s)['Events'] for s in sources]
# branches both files hold with the same type: the collections, their counts, the event ids
groups = ['Muon', 'Electron', 'Jet']
def same(k):
    return all(k in t for t in trees) and len({str(t[k].interpretation) for t in trees}) == 1
names = [k for k in trees[0].keys() if k.split('_')[0] in groups and '_' in k and same(k)]
events = [t.arrays(names + ['run', 'luminosityBlock', 'event'], library='ak') for t in trees]
block = ak.concatenate(events)
rng = np.random.default_rng(16)
def smear(a):
    flat = ak.flatten(a, axis=None) if a.ndim > 1 else ak.to_numpy(a)
    flat = np.asarray(flat)
    if flat.dtype.kind != 'f':
        return a
    noisy = (flat * (1 + rng.uniform(-1e-3, 1e-3, len(flat)))).astype(flat.dtype)
    return ak.unflatten(noisy, ak.num(a)) if a.ndim > 1 else noisy
def chunk(reps):
    b = ak.concatenate([block] * reps)
    cols = {'run': b['run'], 'luminosityBlock': b['luminosityBlock'], 'event': b['event']}
    for g in groups:
        fields = {k[len(g) + 1:]: b[k] for k in names if k.split('_')[0] == g}
        if ${smear ? 'True' : 'False'}:
            fields = {k: smear(v) for k, v in fields.items()}
        cols[g] = ak.zip(fields)
    return cols
times = ${times}
per = min(times, 100)  # baskets of up to 24k events, as NanoAOD's are of this order
with uproot.recreate(${JSON.stringify(tmp)}, compression=uproot.ZLIB(1)) as f:
    done = 0
    while done < times:
        n = min(per, times - done)
        c = chunk(n)
        if done == 0:
            tree = f.mktree('Events', c, initial_basket_capacity=200)
        else:
            tree.extend(c)
        done += n
    nb = tree.num_entries
report({'entries': nb})
`
  );
  try {
    await written;
  } catch (err) {
    fs.rmSync(tmp, { force: true }); // no half-written file left in the cache
    throw err;
  }
  fs.renameSync(tmp, out);
  return out;
}

/**
 * Column bytes of an Arrow table: every buffer of values and offsets, once (the branches of one
 * NanoAOD collection share their counter's offsets array).
 */
const ARROW_BYTES = `
const buffersOf = (d, seen) => { if (d.values) seen.add(d.values); if (d.valueOffsets) seen.add(d.valueOffsets); for (const c of d.children) buffersOf(c, seen); return seen; };
const tableBytes = t => { const seen = new Set(); for (const b of t.data) for (const c of b.children) buffersOf(c, seen); let n = 0; for (const a of seen) n += a.byteLength; return n; };
`;

function oursRead(file, branches, repeat) {
  return `
const { openROOT } = require(${JSON.stringify(HELPERS)});
${ARROW_BYTES}
const f = await openROOT(${JSON.stringify(file)});
const t = await f.tree('Events');
const branches = ${JSON.stringify(branches)} ?? undefined;
let best = Infinity, bytes = 0;
for (let r = 0; r <= ${repeat}; r++) {
  const t0 = process.hrtime.bigint();
  const table = await t.read(branches);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r > 0) best = Math.min(best, s);
  bytes = tableBytes(table);
}
await f.close();
_report({ seconds: best, bytes });
`;
}

function peerRead(file, branches, repeat) {
  return `
import uproot, awkward as ak
t = uproot.open(${JSON.stringify(file)})['Events']
branches = ${branches === null ? 'None' : JSON.stringify(branches)}
best = float('inf')
for r in range(${repeat} + 1):
    t0 = time.perf_counter()
    a = t.arrays(branches, library='ak', array_cache=None)
    s = time.perf_counter() - t0
    if r > 0: best = min(best, s)
report({'seconds': best, 'bytes': a.nbytes})
`;
}

/** One read in a fresh process: peak RSS against the RSS before reading (modules, file open). */
function oursMemory(file, branches) {
  return `
const { openROOT } = require(${JSON.stringify(HELPERS)});
const f = await openROOT(${JSON.stringify(file)});
const t = await f.tree('Events');
const before = process.memoryUsage().rss / 2 ** 20;
const table = await t.read(${JSON.stringify(branches)} ?? undefined);
_report({ before_mb: before, rows: table.numRows });
`;
}

function peerMemory(file, branches) {
  return `
import uproot, awkward as ak
t = uproot.open(${JSON.stringify(file)})['Events']
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
a = t.arrays(${branches === null ? 'None' : JSON.stringify(branches)}, library='ak', array_cache=None)
report({'before_mb': before, 'rows': len(a)})
`;
}

/**
 * The dimuon analysis with the helpers: events with exactly two muons of opposite charge, the
 * invariant mass of the two, histogrammed. Reports the read and compute times and the counts.
 */
function oursDimuon(file) {
  return `
const t00 = process.hrtime.bigint();
const od = require(${JSON.stringify(HELPERS)});
const f = await od.openROOT(${JSON.stringify(file)});
const t = await f.tree('Events');
const table = await t.read(['Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass', 'Muon_charge']);
const t1 = process.hrtime.bigint();
const muon = name => od.jagged(table.getChild(name), name);
const pt = muon('Muon_pt'), eta = muon('Muon_eta'), phi = muon('Muon_phi');
const mass = muon('Muon_mass'), charge = muon('Muon_charge');
let masses;
if (od.eventsWithExactly && od.leadingPairMass) {
  // the helpers' event selection and leading-pair mass (one pass each)
  const two = od.maskAnd(od.eventsWithExactly(pt, 2), od.maskWhere(od.sumPerEvent(charge), q => q === 0));
  masses = od.applyMask(od.leadingPairMass({ pt, eta, phi, mass }, two), two);
} else {
  const n = od.countPerEvent(pt);
  const q = od.sumPerEvent(charge);
  const two = od.maskWhere(n, (c, i) => c === 2 && q[i] === 0);
  const first = j => od.nthPerEvent(j, 0), second = j => od.nthPerEvent(j, 1);
  const m = od.invariantMassPtEtaPhiM(
    { pt: first(pt), eta: first(eta), phi: first(phi), mass: first(mass) },
    { pt: second(pt), eta: second(eta), phi: second(phi), mass: second(mass) }
  );
  masses = od.applyMask(m, two);
}
const h = new od.Hist1D(60, 60, 120).fill(masses);
const t2 = process.hrtime.bigint();
await f.close();
_report({
  read_s: Number(t1 - t00) / 1e9,
  compute_s: Number(t2 - t1) / 1e9,
  selected: masses.length,
  in_range: h.counts.reduce((a, b) => a + b, 0)
});
`;
}

function peerDimuon(file) {
  return `
t00 = time.perf_counter()
import uproot, awkward as ak, numpy as np
t = uproot.open(${JSON.stringify(file)})['Events']
mu = t.arrays(['Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass', 'Muon_charge'], library='ak')
t1 = time.perf_counter()
two = (ak.num(mu.Muon_pt) == 2) & (ak.sum(mu.Muon_charge, axis=1) == 0)
sel = mu[two]
def four(i):
    pt, eta, phi, m = (np.asarray(sel[k][:, i], dtype=np.float64) for k in ('Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass'))
    px, py, pz = pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)
    return np.sqrt(px**2 + py**2 + pz**2 + m**2), px, py, pz
a, b = four(0), four(1)
mass = np.sqrt((a[0] + b[0])**2 - (a[1] + b[1])**2 - (a[2] + b[2])**2 - (a[3] + b[3])**2)
counts, _ = np.histogram(mass, bins=60, range=(60, 120))
t2 = time.perf_counter()
report({'read_s': t1 - t00, 'compute_s': t2 - t1, 'selected': int(len(mass)), 'in_range': int(counts.sum())})
`;
}

/** The dimuon analysis as vector + hist write it: muons as Momentum4D records, (μ1 + μ2).mass. */
function vectorHistDimuon(file) {
  return `
t00 = time.perf_counter()
import uproot, awkward as ak, numpy as np, vector, hist
vector.register_awkward()
t = uproot.open(${JSON.stringify(file)})['Events']
mu = t.arrays(['Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass', 'Muon_charge'], library='ak')
t1 = time.perf_counter()
muons = ak.zip({'pt': mu.Muon_pt, 'eta': mu.Muon_eta, 'phi': mu.Muon_phi, 'mass': mu.Muon_mass, 'charge': mu.Muon_charge}, with_name='Momentum4D')
pairs = muons[(ak.num(muons) == 2) & (ak.sum(muons.charge, axis=1) == 0)]
mass = (pairs[:, 0] + pairs[:, 1]).mass
h = hist.Hist.new.Reg(60, 60, 120).Double().fill(ak.to_numpy(mass))
t2 = time.perf_counter()
report({'read_s': t1 - t00, 'compute_s': t2 - t1, 'selected': int(len(mass)), 'in_range': int(h.values().sum())})
`;
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = xs => `${Math.min(...xs).toPrecision(3)}–${Math.max(...xs).toPrecision(3)}`;

/** Wall time of a child process (start to exit) with its report. */
async function timed(fn) {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return { ...r, wall_s: Number(process.hrtime.bigint() - t0) / 1e9 };
}

export async function run(ctx) {
  const times = ctx.quick ? 20 : 1000;
  const repeat = ctx.quick ? 1 : 3;
  const runs = ctx.quick ? 1 : 5;
  const rows = [];
  for (const smear of [false, true]) {
    const file = await makeNano(ctx, times, smear);
    const label = `NanoAOD ×${times} (${(times * 240) / 1000}k events${smear ? ', smeared' : ''})`;
    for (const [what, branches] of [
      ['10 jagged branches', TEN],
      ['all branches', null]
    ]) {
      const ours = await runNode(ctx, oursRead(file, branches, repeat), 'nano-read');
      const peer = await runPython(ctx, peerRead(file, branches, repeat));
      const oursMem = await runNode(ctx, oursMemory(file, branches), 'nano-mem');
      const peerMem = await runPython(ctx, peerMemory(file, branches));
      const mbps = r => ours.bytes / r.seconds / 2 ** 20; // the same column bytes on both sides
      rows.push(
        row(
          `${label}: read ${what}`,
          mbps(ours),
          'uproot arrays(library="ak")',
          mbps(peer),
          'MB/s',
          {
            raw_mb: Math.round((ours.bytes / 2 ** 20) * 10) / 10,
            peer_raw_mb: Math.round((peer.bytes / 2 ** 20) * 10) / 10,
            // one read in a fresh process each: its peak, and what the read added to it
            peak_rss_mb: Math.round(oursMem.peak_rss_mb),
            peer_peak_rss_mb: Math.round(peerMem.peak_rss_mb),
            read_rss_mb: Math.round(oursMem.peak_rss_mb - oursMem.before_mb),
            peer_read_rss_mb: Math.round(peerMem.peak_rss_mb - peerMem.before_mb)
          }
        )
      );
    }
    // whole processes, alternating, so load on the shared machine hits both sides alike
    const o = [];
    const p = [];
    const v = [];
    for (let r = 0; r < runs; r++) {
      o.push(await timed(() => runNode(ctx, oursDimuon(file), 'nano-dimuon')));
      p.push(await timed(() => runPython(ctx, peerDimuon(file))));
      v.push(await timed(() => runPython(ctx, vectorHistDimuon(file))));
    }
    for (const [name, peer] of [
      ['uproot + awkward + numpy', p[0]],
      ['uproot + vector + hist', v[0]]
    ]) {
      if (o[0].selected !== peer.selected || o[0].in_range !== peer.in_range) {
        throw new Error(
          `dimuon counts differ: ours ${o[0].selected}/${o[0].in_range}, ${name} ${peer.selected}/${peer.in_range}`
        );
      }
    }
    const wall = xs => xs.map(x => x.wall_s);
    const compute = xs => xs.map(x => x.compute_s);
    rows.push(
      row(
        `${label}: dimuon analysis, whole process`,
        median(wall(o)),
        'uproot + awkward + numpy',
        median(wall(p)),
        's',
        {
          higherIsBetter: false,
          spread: spread(wall(o)),
          peer_spread: spread(wall(p)),
          selected: o[0].selected,
          peak_rss_mb: Math.round(Math.max(...o.map(x => x.peak_rss_mb))),
          peer_peak_rss_mb: Math.round(Math.max(...p.map(x => x.peak_rss_mb)))
        }
      ),
      row(
        `${label}: dimuon analysis, whole process (Scikit-HEP peer)`,
        median(wall(o)),
        'uproot + vector + hist',
        median(wall(v)),
        's',
        {
          higherIsBetter: false,
          spread: spread(wall(o)),
          peer_spread: spread(wall(v)),
          selected: o[0].selected,
          peak_rss_mb: Math.round(Math.max(...o.map(x => x.peak_rss_mb))),
          peer_peak_rss_mb: Math.round(Math.max(...v.map(x => x.peak_rss_mb)))
        }
      ),
      row(
        `${label}: dimuon analysis, compute after the read`,
        median(compute(o)),
        'awkward + numpy',
        median(compute(p)),
        's',
        { higherIsBetter: false, spread: spread(compute(o)), peer_spread: spread(compute(p)) }
      )
    );
  }
  return rows;
}
