// The dimuon analysis and the jagged physics helpers on the bundled NanoAOD files, against
// uproot + awkward + numpy reading the same files: events selected, histogram counts, object
// counts, leading-pair and all-pair invariant masses. Our side runs in a child process on the
// compiled dist/ (jest's module system cannot load jsroot's ES modules, as in root.test.ts); the
// jagged() paths for chunked columns and null lists are checked in-process on pyarrow's files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  countPerEvent,
  eventsWithAtLeast,
  eventsWithExactly,
  jagged,
  leadingPairMass,
  pairMasses,
  readArrowFile,
  sumPerEvent
} from '../../kernel-helpers/src';
import { python } from '../support/python';
import { REPO_ROOT, sharedPath } from '../support/shared-data';

const FILES = ['nanoAOD_2015_CMS_Open_Data_ttbar.root', 'coffea-nano_dimuon.root'];
const DIST = path.join(REPO_ROOT, 'kernel-helpers', 'dist', 'index.js');

interface Result {
  events: number;
  selected: number;
  hist: number[];
  masses: number[];
  muons: number[];
  twoMuons: number[];
  fourJets: number[];
  oneOrTwoMuons?: number[];
  lead: (number | null)[];
  pairCounts: number[];
  pairs: (number | null)[];
}

/** Our analysis of each file, in a child process on dist/. */
function ours(files: string[]): Record<string, Result> {
  const script = `
const od = require(${JSON.stringify(DIST)});
(async () => {
  const out = {};
  for (const file of process.argv.slice(1)) {
    const f = await od.openROOT(file);
    const t = await f.tree('Events');
    const names = ['Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass', 'Muon_charge', 'Jet_pt', 'Jet_eta', 'Jet_phi', 'Jet_mass'];
    const table = await t.read(names);
    const c = {};
    for (const n of names) c[n] = od.jagged(table.getChild(n), n);
    const muons = { pt: c.Muon_pt, eta: c.Muon_eta, phi: c.Muon_phi, mass: c.Muon_mass };
    const jets = { pt: c.Jet_pt, eta: c.Jet_eta, phi: c.Jet_phi, mass: c.Jet_mass };
    // the README's dimuon example
    const twoOpposite = od.maskAnd(
      od.eventsWithExactly(c.Muon_pt, 2),
      od.maskWhere(od.sumPerEvent(c.Muon_charge), q => q === 0)
    );
    const masses = od.applyMask(od.leadingPairMass(muons, twoOpposite), twoOpposite);
    const h = new od.Hist1D(60, 60, 120).fill(masses);
    const pairs = od.pairMasses(jets);
    const nan = x => (Number.isNaN(x) ? null : x);
    out[file] = {
      events: t.entries,
      selected: masses.length,
      hist: Array.from(h.counts),
      masses: Array.from(masses),
      muons: Array.from(od.countPerEvent(c.Muon_pt)),
      twoMuons: Array.from(od.eventsWithExactly(c.Muon_pt, 2)),
      fourJets: Array.from(od.eventsWithAtLeast(c.Jet_pt, 4)),
      oneOrTwoMuons: Array.from(
        od.maskOr(od.eventsWithExactly(c.Muon_pt, 1), od.eventsWithExactly(c.Muon_pt, 2))
      ),
      lead: Array.from(od.leadingPairMass(muons), nan),
      pairCounts: Array.from(od.countPerEvent(pairs)),
      pairs: Array.from(pairs.values, nan)
    };
    await f.close();
  }
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
`;
  const r = spawnSync(process.execPath, ['-e', script, ...files], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024
  });
  if (r.status !== 0) throw new Error(`our analysis failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The same with uproot + awkward + numpy: the independent truth. */
function peer(files: string[]): Record<string, Result> {
  return python(
    `
import json, sys
import awkward as ak, numpy as np, uproot
out = {}
def p4(a, prefix):
    pt, eta, phi, m = (ak.values_astype(a[prefix + k], np.float64) for k in ('pt', 'eta', 'phi', 'mass'))
    px, py, pz = pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)
    return ak.zip({'e': np.sqrt(px**2 + py**2 + pz**2 + m**2), 'px': px, 'py': py, 'pz': pz})
def mass(a, b):
    m2 = (a.e + b.e)**2 - (a.px + b.px)**2 - (a.py + b.py)**2 - (a.pz + b.pz)**2
    return np.sign(m2) * np.sqrt(np.abs(m2))  # ROOT's convention for m2 < 0
for f in sys.argv[1:]:
    t = uproot.open(f)['Events']
    a = t.arrays(filter_name=['Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass', 'Muon_charge', 'Jet_pt', 'Jet_eta', 'Jet_phi', 'Jet_mass'])
    n = ak.num(a.Muon_pt)
    two = (n == 2) & (ak.sum(a.Muon_charge, axis=1) == 0)
    mu = p4(a, 'Muon_')
    pair = ak.combinations(mu, 2)
    lead = ak.firsts(mass(pair['0'], pair['1']))
    sel = ak.to_numpy(lead[two])
    counts, _ = np.histogram(sel, bins=60, range=(60, 120))
    # numpy's last bin is closed, ROOT's is not
    counts[-1] -= int(np.sum(sel == 120))
    jets = ak.combinations(p4(a, 'Jet_'), 2)
    jm = mass(jets['0'], jets['1'])
    out[f] = {
        'events': int(t.num_entries), 'selected': int(ak.sum(two)), 'hist': counts.tolist(),
        'masses': sel.tolist(), 'muons': n.tolist(), 'twoMuons': ak.to_numpy(n == 2).astype(int).tolist(),
        'fourJets': ak.to_numpy(ak.num(a.Jet_pt) >= 4).astype(int).tolist(),
        'lead': ak.to_list(lead), 'pairCounts': ak.num(jm).tolist(),
        'pairs': ak.to_list(ak.flatten(jm)),
    }
print(json.dumps(out))
`,
    files
  );
}

/** Equal within `rel` relative (or 1e-9 absolute near zero); nulls (NaN) in the same places. */
function expectClose(got: (number | null)[], want: (number | null)[], rel: number, what: string) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (w === null || g === null) {
      if (w !== g) throw new Error(`${what}[${i}]: ${g} instead of ${w}`);
      continue;
    }
    if (!(Math.abs(g - w) <= Math.max(rel * Math.abs(w), 1e-9))) {
      throw new Error(`${what}[${i}]: ${g} instead of ${w}`);
    }
  }
}

describe('the dimuon analysis on the bundled NanoAOD files vs uproot + awkward + numpy', () => {
  const files = FILES.map(f => sharedPath('events', 'root', f));
  let got: Record<string, Result>;
  let want: Record<string, Result>;
  beforeAll(() => {
    got = ours(files);
    want = peer(files);
  });

  test.each(FILES)('%s: events selected and the histogram counts', name => {
    const file = sharedPath('events', 'root', name);
    const [g, w] = [got[file], want[file]];
    expect(g.events).toBe(w.events);
    expect(g.selected).toBe(w.selected);
    expect(g.hist).toEqual(w.hist);
    expectClose(g.masses, w.masses, 1e-12, `${name} masses`);
  });

  test('the dimuon file holds selected events (the comparison is not vacuous)', () => {
    // the ttbar file has one two-muon event, of equal charges
    const w = want[sharedPath('events', 'root', 'coffea-nano_dimuon.root')];
    expect(w.selected).toBe(14);
    expect(w.hist.reduce((a, b) => a + b)).toBeGreaterThan(0);
  });

  test.each(FILES)('%s: object counts and event masks', name => {
    const file = sharedPath('events', 'root', name);
    const [g, w] = [got[file], want[file]];
    expect(g.muons).toEqual(w.muons);
    expect(g.twoMuons).toEqual(w.twoMuons);
    expect(g.fourJets).toEqual(w.fourJets);
    expect(g.oneOrTwoMuons).toEqual(w.muons.map(n => (n === 1 || n === 2 ? 1 : 0)));
  });

  test.each(FILES)(
    '%s: leading-pair and all-pair invariant masses (awkward combinations)',
    name => {
      const file = sharedPath('events', 'root', name);
      const [g, w] = [got[file], want[file]];
      expectClose(g.lead, w.lead, 1e-12, `${name} leading muon pair`);
      expect(g.pairCounts).toEqual(w.pairCounts);
      expect(g.pairs.length).toBeGreaterThan(100);
      // light jet pairs lose digits to E² − p² cancelling
      expectClose(g.pairs, w.pairs, 1e-9, `${name} jet pairs`);
    }
  );
});

describe('jagged() on chunked columns and null lists (pyarrow files)', () => {
  let tmp: string;
  let truth: Record<string, { counts: number[]; sums: number[]; flat: (number | null)[] }>;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-jagged-nulls-'));
    // Muon_pt of the ttbar file in three record batches, as float32, as int16 and as a large
    // list; and a copy with null lists and null values (pyarrow's own writer).
    truth = python(
      `
import json, sys
import pyarrow as pa, pyarrow.ipc as ipc, uproot, awkward as ak
src, out = sys.argv[1:]
pt = ak.to_arrow(uproot.open(src)['Events']['Muon_pt'].array(), extensionarray=False)
n = len(pt)
valid = pa.array([i % 7 != 3 for i in range(n)])
nulls = pa.ListArray.from_arrays(pt.offsets, pa.array([None if k % 5 == 0 else v for k, v in enumerate(pt.values.to_pylist())], pa.float32()), mask=pa.compute.invert(valid))
cols = {
    'f32': pt,
    'i16': pa.compute.cast(pt, pa.list_(pa.int16()), safe=False),
    'large': pt.cast(pa.large_list(pa.float64())),
    'nulls': nulls,
}
table = pa.table(cols)
with ipc.new_file(out, table.schema) as w:
    for b in table.to_batches(max_chunksize=n // 3 + 1):
        w.write_batch(b)
res = {}
for k, c in cols.items():
    lists = c.to_pylist()
    res[k] = {'counts': [len(x) if x is not None else 0 for x in lists],
              'sums': [sum(v for v in x if v is not None) if x is not None else 0 for x in lists],
              'flat': [v for x in lists if x is not None for v in x]}
print(json.dumps(res))
`,
      [
        sharedPath('events', 'root', 'nanoAOD_2015_CMS_Open_Data_ttbar.root'),
        path.join(tmp, 'pt.arrow')
      ]
    );
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test.each(['f32', 'i16', 'large', 'nulls'])('%s: offsets, values and sums', name => {
    const table = readArrowFile(path.join(tmp, 'pt.arrow'));
    const column = table.getChild(name)!;
    expect(column.data.length).toBe(3);
    const j = jagged(column, name);
    const t = truth[name];
    expect(Array.from(countPerEvent(j))).toEqual(t.counts);
    expect(Array.from(j.values, x => (Number.isNaN(x) ? null : x))).toEqual(t.flat);
    // a slice across the chunks: its first and last chunks' offsets do not start at 0
    const part = jagged(column.slice(40, column.length - 40), name);
    const n = t.counts.length;
    expect(Array.from(countPerEvent(part))).toEqual(t.counts.slice(40, n - 40));
    const skipped = t.counts.slice(0, 40).reduce((a, b) => a + b, 0);
    expect(Array.from(part.values, x => (Number.isNaN(x) ? null : x))).toEqual(
      t.flat.slice(skipped, skipped + part.values.length)
    );
    expect(part.values.length).toBe(t.counts.slice(40, n - 40).reduce((a, b) => a + b, 0));
    if (name !== 'nulls') {
      const sums = sumPerEvent(j);
      t.sums.forEach((s, i) => expect(Math.abs(sums[i] - s)).toBeLessThan(1e-3 * (1 + s)));
    }
  });

  test('masks and pair masses on a collection whose columns disagree raise E_USAGE', () => {
    const table = readArrowFile(path.join(tmp, 'pt.arrow'));
    const pt = jagged(table.getChild('f32')!);
    const other = {
      offsets: pt.offsets.map(x => x * 2),
      values: new Float64Array(pt.values.length * 2)
    };
    expect(() => leadingPairMass({ pt, eta: pt, phi: other, mass: 0.105 })).toThrow(
      /pt and phi hold different numbers of objects per event/
    );
    expect(() => pairMasses({ pt, eta: other, phi: pt, mass: 0.105 })).toThrow(/pt and eta/);
    expect(() => leadingPairMass({ pt, eta: pt, phi: pt, mass: 0.105 }, new Uint8Array(3))).toThrow(
      /different lengths/
    );
    // outside the mask: NaN, inside: the unmasked value
    const all = leadingPairMass({ pt, eta: pt, phi: pt, mass: 0.105 });
    const first = all.findIndex(x => !Number.isNaN(x));
    expect(first).toBeGreaterThanOrEqual(0);
    for (const keep of [0, 1]) {
      const mask = new Uint8Array(all.length).fill(1 - keep);
      mask[first] = keep; // that event only, or every event but it
      const masked = leadingPairMass({ pt, eta: pt, phi: pt, mass: 0.105 }, mask);
      all.forEach((x, i) => expect(masked[i]).toBe(mask[i] ? x : NaN));
    }
    expect(eventsWithExactly(pt, 0).length).toBe(pt.offsets.length - 1);
    expect(eventsWithAtLeast(pt, 0).every(x => x === 1)).toBe(true);
  });
});
