// compareHEPData against an independent computation: numpy histograms the bundled CMS samples,
// PyYAML reads the real HEPData tables of hepdata-validator's test data, and Python sums the
// error sources, merges bins, normalises and computes χ², pulls and the p-value (the χ² tail in
// closed form from math.erfc and lgamma: scipy is not in the dev venv).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  HEPDataCompareOptions,
  Hist1D,
  OpenDataError,
  chi2PValue,
  compareHEPData,
  comparisonFigure,
  numericColumn,
  readCSV,
  readHEPData
} from '../../kernel-helpers/src';
import { python } from '../support/python';
import { REPO_ROOT, sharedPath } from '../support/shared-data';

const TEST_DATA = sharedPath('hepdata', 'validator', 'test_data');
const EVENTS = path.join(REPO_ROOT, 'data', 'events');
const zmumu = readCSV(path.join(EVENTS, 'Zmumu_Run2011A.csv'));
const fourMu = readCSV(path.join(EVENTS, '4mu_2012.csv'));

// Python's side of every case: the table from its YAML, the histogram from the CSV by numpy.
const CLOSED_FORM = `
import json, math, sys

def closed_form_q(chi2, k):
    # P(chi2_k >= x) for integer k: a finite sum (even k) or erfc plus a finite sum (odd k).
    x = chi2 / 2.0
    if k % 2 == 0:
        return math.exp(-x) * sum(math.exp(i * math.log(x) - math.lgamma(i + 1)) if x > 0 else (1.0 if i == 0 else 0.0) for i in range(k // 2))
    s = math.erfc(math.sqrt(x))
    for i in range(1, (k - 1) // 2 + 1):
        s += math.exp(-x + (i - 0.5) * math.log(x) - math.lgamma(i + 0.5))
    return s
`;

const ORACLE = `${CLOSED_FORM}
import numpy as np, pandas as pd, yaml

def num(e, value):
    if e is None or e == '':
        return 0.0
    if isinstance(e, str) and e.strip().endswith('%'):
        return float(e.strip()[:-1]) / 100 * abs(value)
    return float(e)

def up_down(err, value):
    if 'symerror' in err:
        s = abs(num(err['symerror'], value)); return s, s
    p = num(err['asymerror'].get('plus'), value); m = num(err['asymerror'].get('minus'), value)
    if p * m > 0:
        return abs(p), abs(m)
    return max(p, m, 0.0), max(-p, -m, 0.0)

def chosen(label, sel):
    l = (label or '').strip().lower()
    return sel == 'all' or (sel == 'stat' and l.startswith('stat')) or (sel == 'sys' and l.startswith('sys'))

case = json.loads(sys.argv[1])
docs = [d for d in yaml.safe_load_all(open(case['file'])) if d]
doc = next(d for d in docs if case.get('table') is None or d.get('name') == case['table'])
bins = doc['independent_variables'][0]['values']
t_edges = np.array([bins[0]['low']] + [b['high'] for b in bins], dtype=float)
dep = doc['dependent_variables'][case.get('column', 0)]
t_val = np.array([float(p['value']) for p in dep['values']])
ud = [[up_down(e, float(p['value'])) for e in p.get('errors', []) if chosen(e.get('label'), case['errors'])] for p in dep['values']]
t_up2 = np.array([sum(u * u for u, d in x) for x in ud])
t_dn2 = np.array([sum(d * d for u, d in x) for x in ud])

df = pd.read_csv(case['csv'])
x = df[case['x']].to_numpy(dtype=float)
if case.get('transform') == 'tanh': x = np.tanh(x)
if case.get('transform') == 'tev': x = x / 1000
h_edges = np.array(case['h_edges'], dtype=float)
density = case['density']
if case['finer'] == 'histogram':
    # The histogram straight on the table's edges (numpy's, no merging of ours).
    edges = t_edges
    counts = np.histogram(x, bins=edges)[0].astype(float)
    v, up2, dn2 = t_val, t_up2, t_dn2
else:
    edges = h_edges
    counts = np.histogram(x, bins=edges)[0].astype(float)
    w = np.diff(t_edges)
    k = len(t_val) // (len(edges) - 1)
    ww = w if density else np.ones_like(w)
    W = np.diff(edges) if density else np.ones(len(edges) - 1)
    v = (t_val * ww).reshape(-1, k).sum(axis=1) / W
    up2 = (t_up2 * ww ** 2).reshape(-1, k).sum(axis=1) / W ** 2
    dn2 = (t_dn2 * ww ** 2).reshape(-1, k).sum(axis=1) / W ** 2
widths = np.diff(edges)
h = counts / widths if density else counts.copy()
herr2 = counts / widths ** 2 if density else counts.copy()
norm = case['norm']
if norm == 'table':
    f = (v * widths).sum() / counts.sum() if density else v.sum() / counts.sum()
elif norm == 'none':
    f = 1.0
else:
    f = norm['luminosity'] * norm['crossSection'] / norm['events']
h = h * f; herr2 = herr2 * f * f
s2 = np.where(h >= v, up2, dn2) + herr2
pulls = np.where(s2 > 0, (h - v) / np.sqrt(np.where(s2 > 0, s2, 1)), np.nan)
used = int((s2 > 0).sum())
chi2 = float(np.nansum(pulls ** 2))
ndf = used - (1 if norm == 'table' else 0)
print(json.dumps({'chi2': chi2, 'ndf': ndf, 'p': closed_form_q(chi2, ndf), 'factor': float(f),
  'pulls': [None if np.isnan(p) else float(p) for p in pulls], 'edges': edges.tolist(),
  'h': h.tolist(), 'v': v.tolist(), 'up': np.sqrt(up2).tolist(), 'down': np.sqrt(dn2).tolist()}))
`;

interface Truth {
  chi2: number;
  ndf: number;
  p: number;
  factor: number;
  pulls: (number | null)[];
  edges: number[];
  h: number[];
  v: number[];
  up: number[];
  down: number[];
}

function expectClose(actual: ArrayLike<number>, expected: (number | null)[], rel = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  Array.from(actual).forEach((a, i) => {
    const e = expected[i];
    if (e === null) expect(a).toBeNaN();
    else expect(Math.abs(a - e)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(e)));
  });
}

function check(
  result: ReturnType<typeof compareHEPData>,
  truth: Truth,
  finer: 'histogram' | 'table'
): void {
  expect(result.rebinned).toBe(finer);
  expectClose(result.edges, truth.edges);
  expectClose(result.data.values, truth.v);
  expectClose(result.data.errorsUp, truth.up);
  expectClose(result.data.errorsDown, truth.down);
  expectClose(result.histogram.values, truth.h);
  expect(result.normalization.factor).toBeCloseTo(truth.factor, 9);
  expectClose(result.pulls, truth.pulls);
  expect(result.ndf).toBe(truth.ndf);
  expectClose([result.chi2], [truth.chi2]);
  expectClose([result.pValue], [truth.p], 1e-9);
}

describe('compareHEPData on real HEPData tables and the bundled samples', () => {
  test('leading-lepton pT (ATLAS ZZ, three symmetric error sources) vs Zmumu pt1: histogram finer, merged; density; normalised to the table', () => {
    const file = path.join(TEST_DATA, 'TestHEPSubmission', 'data3.yaml');
    const [table] = readHEPData(file);
    const h = new Hist1D(30, 0, 600).fill(numericColumn(zmumu, 'pt1'));
    const result = compareHEPData(table, h, { density: true, normalize: 'table' });
    const truth = python<Truth>(ORACLE, [
      JSON.stringify({
        file,
        csv: path.join(EVENTS, 'Zmumu_Run2011A.csv'),
        x: 'pt1',
        h_edges: Array.from(h.edges),
        finer: 'histogram',
        density: true,
        norm: 'table',
        errors: 'all'
      })
    ]);
    check(result, truth, 'histogram');
    expect(result.edges).toEqual([0, 60, 100, 200, 600]);
    expect(result.errorsUsed).toEqual({
      selection: 'all',
      labels: ['stat', 'sys,detector', 'sys,background'],
      histogram: true
    });
    expect(result.xTitle).toBe('Leading dilepton PT [GEV]');
    // Only the stat source: larger pulls than with every source.
    const stat = compareHEPData(table, h, { density: true, normalize: 'table', errors: 'stat' });
    const statTruth = python<Truth>(ORACLE, [
      JSON.stringify({
        file,
        csv: path.join(EVENTS, 'Zmumu_Run2011A.csv'),
        x: 'pt1',
        h_edges: Array.from(h.edges),
        finer: 'histogram',
        density: true,
        norm: 'table',
        errors: 'stat'
      })
    ]);
    check(stat, statTruth, 'histogram');
    expect(stat.errorsUsed.labels).toEqual(['stat']);
    expect(stat.chi2).toBeGreaterThan(result.chi2);
  });

  test('Belle B → D*ℓν dΓ/dcosθ_ℓ (record 1512299, Table 3) vs tanh(η₁) of Zmumu: the table finer, merged (width-weighted)', () => {
    const file = path.join(TEST_DATA, '1512299.yaml');
    const [table] = readHEPData(file, { table: 'Table 3' });
    const h = new Hist1D(5, -1, 1).fill(numericColumn(zmumu, 'eta1').map(Math.tanh));
    const result = compareHEPData(table, h, { density: true, normalize: 'table' });
    const truth = python<Truth>(ORACLE, [
      JSON.stringify({
        file,
        table: 'Table 3',
        csv: path.join(EVENTS, 'Zmumu_Run2011A.csv'),
        x: 'eta1',
        transform: 'tanh',
        h_edges: Array.from(h.edges),
        finer: 'table',
        density: true,
        norm: 'table',
        errors: 'all'
      })
    ]);
    check(result, truth, 'table');
    expect(result.errorsUsed.labels).toEqual(['(no label)']);
  });

  test('dijet mass with percent and one-sided asymmetric errors (stat/sys labels) vs 4μ mass: same edges; luminosity × cross-section; the sys sources only', () => {
    const file = path.join(TEST_DATA, 'valid_data_with_percent.yaml');
    const [table] = readHEPData(file);
    const edges = [
      table.independent_variables[0].values[0].low!,
      ...table.independent_variables[0].values.map(b => b.high!)
    ];
    const h = new Hist1D(edges).fill(numericColumn(fourMu, 'M').map(m => m / 1000));
    for (const errors of ['all', 'sys'] as const) {
      const options: HEPDataCompareOptions = {
        normalize: { luminosity: 5000, crossSection: 4e4, events: 95 },
        errors
      };
      const result = compareHEPData(table, h, options);
      const truth = python<Truth>(ORACLE, [
        JSON.stringify({
          file,
          csv: path.join(EVENTS, '4mu_2012.csv'),
          x: 'M',
          transform: 'tev',
          h_edges: edges,
          finer: 'histogram',
          density: false,
          norm: { luminosity: 5000, crossSection: 4e4, events: 95 },
          errors
        })
      ]);
      expect(result.rebinned).toBe('none');
      result.rebinned = 'histogram'; // check() compares the rest
      check(result, truth, 'histogram');
      expect(result.normalization).toEqual({ kind: 'luminosity', factor: (5000 * 4e4) / 95 });
      // The one-sided errors make up and down differ in some bins.
      expect(result.data.errorsUp.some((u, i) => u !== result.data.errorsDown[i])).toBe(true);
    }
  });

  test('p-values equal the closed form of the χ² tail, down to tiny ones', () => {
    const cases: [number, number][] = [
      [0.5, 1],
      [3.2, 1],
      [9, 4],
      [12.3, 9],
      [30, 10],
      [150, 7],
      [300, 10],
      [80, 101],
      [1e-3, 3]
    ];
    const truth = python<number[]>(
      `${CLOSED_FORM}
print(json.dumps([closed_form_q(c, k) for c, k in ${JSON.stringify(cases)}]))
`
    );
    cases.forEach(([c, k], i) => {
      expect(Math.abs(chi2PValue(c, k) - truth[i])).toBeLessThanOrEqual(1e-11 * truth[i] + 1e-300);
    });
  });
});

describe('compareHEPData refuses what does not compare', () => {
  const file = path.join(TEST_DATA, 'TestHEPSubmission', 'data3.yaml');
  const [table] = readHEPData(file);
  const fill = (h: Hist1D) => h.fill(numericColumn(zmumu, 'pt1'));

  test('edges that neither match nor nest: E_USAGE naming the table and its first edge missing', () => {
    // 24-GeV bins: 0, 24, 48, 72…: the table's 60 is no edge of them.
    const err = (() => {
      try {
        compareHEPData(table, fill(new Hist1D(25, 0, 600)));
      } catch (e) {
        return e as OpenDataError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(OpenDataError);
    expect(err.code).toBe('E_USAGE');
    expect(err.message).toContain('table "data3"');
    expect(err.message).toContain(
      "the table's edge 60 is no edge of the histogram (nearest: 48 and 72)"
    );
    // A histogram that stops at 100 GeV lacks the table's 200.
    expect(() => compareHEPData(table, fill(new Hist1D(10, 0, 100)))).toThrow(
      /table "data3".*edge 200 is no edge/
    );
  });

  test('a histogram wider than the table: its bins outside are left out', () => {
    const r = compareHEPData(table, fill(new Hist1D(40, 0, 800)), { density: true });
    expect(r.binsOutside).toBe(10);
    expect(r.edges).toEqual([0, 60, 100, 200, 600]);
  });

  test('an error selection the table does not have names the labels it has', () => {
    const [t1512] = readHEPData(path.join(TEST_DATA, '1512299.yaml'), { table: 'Table 3' });
    expect(() =>
      compareHEPData(t1512, new Hist1D(5, -1, 1).fill([0.1]), { errors: 'stat' })
    ).toThrow(/table "Table 3": no error labelled stat… \(labels: "\(no label\)"\)/);
  });

  test('tables without bins, unknown columns and bad normalisations', () => {
    const [values] = readHEPData(path.join(TEST_DATA, 'valid_file.yaml'));
    expect(() => compareHEPData(values, new Hist1D(2, 6500, 8500))).toThrow(
      /point 0 of "SQRT\(S\)" is a value, not a bin/
    );
    expect(() => compareHEPData(table, new Hist1D(30, 0, 600), { column: 'nope' })).toThrow(
      /no dependent variable "nope" \(it has 1: /
    );
    expect(() =>
      compareHEPData(table, fill(new Hist1D(30, 0, 600)), {
        normalize: { luminosity: -1, crossSection: 1 }
      })
    ).toThrow(/the luminosity must be a positive number/);
    expect(() => compareHEPData(table, new Hist1D(30, 0, 600), { normalize: 'table' })).toThrow(
      /the histogram is empty over the table's bins/
    );
  });
});

describe('comparisonFigure', () => {
  test('bars, the points with asymmetric error bars, a pull panel, χ²/ndf and p in a corner', () => {
    const file = path.join(TEST_DATA, 'valid_data_with_percent.yaml');
    const [table] = readHEPData(file);
    const edges = [0.26, ...table.independent_variables[0].values.map(b => b.high!)];
    const h = new Hist1D(edges).fill(numericColumn(fourMu, 'M').map(m => m / 1000));
    const c = compareHEPData(table, h, { normalize: 'table' });
    const fig = comparisonFigure(c);
    expect(fig.data.map(t => [t.type, t.xaxis, t.yaxis])).toEqual([
      ['bar', 'x', 'y'],
      ['scatter', 'x', 'y'],
      ['bar', 'x2', 'y2']
    ]);
    const points = fig.data[1];
    expect(points.error_y!.array).toEqual(c.data.errorsUp);
    expect(points.error_y!.arrayminus).toEqual(c.data.errorsDown);
    // Hover labels as elsewhere: the bin's range with the unit, then the content.
    expect(fig.data[0].customdata[0]).toMatch(/^0\.26–0\.31 TEV: /);
    // 777000 with a 0.73% stat error, -3.0% sys on one side only, …: written out as the table says.
    expect(points.customdata[0]).toMatch(/^0\.26–0\.31 TEV: 777,000 \+[\d,.]+ −[\d,.]+$/);
    expect(fig.data[2].customdata[0]).toMatch(/^0\.26–0\.31 TEV: pull /);
    expect(JSON.stringify(fig.layout.annotations)).toContain(`χ²/ndf = `);
    expect(JSON.parse(JSON.stringify(fig))).toBeTruthy(); // plain JSON
    // Every key is one plotly.js knows (its own schema, the build the extension draws with).
    const ratio = comparisonFigure(c, { panel: 'ratio', title: 'Dijet mass' });
    for (const f of [fig, ratio]) {
      const r = spawnSync(
        process.execPath,
        [path.join(REPO_ROOT, 'test', 'support', 'plotly-validate.cjs')],
        {
          input: JSON.stringify(f),
          encoding: 'utf8'
        }
      );
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([]);
    }
    expect(ratio.data[2].type).toBe('scatter');
    expect(ratio.layout.yaxis2).toMatchObject({ title: { text: 'Ratio' } });
  });
});
