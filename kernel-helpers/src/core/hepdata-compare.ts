// A HEPData table against a histogram the user filled: binning checked (equal, or nested and
// merged on the finer side), the histogram normalised (none, to the table's integral, to
// luminosity × cross-section), the table's error sources summed in quadrature, and the agreement
// as χ²/ndf, its p-value and per-bin pulls. Browser-safe.
import { OpenDataError } from './errors';
import { HEPDataError, HEPDataTable, errorValue } from './hepdata';
import type { Hist1D } from './histogram';

/** Which of the table's error sources enter: all, or those labelled stat… / sys… only. */
export type HEPDataErrorSelection = 'all' | 'stat' | 'sys';

/** How the histogram is scaled before it is compared. */
export type HEPDataNormalization =
  | 'none'
  /** To the table's integral over the compared bins (a shape comparison: ndf is one less). */
  | 'table'
  /** Each of `events` (default: the histogram's entries) weighs luminosity × crossSection / events. */
  | { luminosity: number; crossSection: number; events?: number }
  /** A factor of the user's own. */
  | { factor: number };

export interface HEPDataCompareOptions {
  /** The dependent variable (column) of the table: its index or header name; default 0. */
  column?: number | string;
  normalize?: HEPDataNormalization;
  /**
   * The table's values are per unit of x (dσ/dx, 1/N dN/dx): the histogram's contents are divided
   * by the bin widths before normalising. Default false.
   */
  density?: boolean;
  /** The table's error sources used; default 'all'. */
  errors?: HEPDataErrorSelection;
  /** Add the histogram's statistical errors (√Σw², scaled) in quadrature; default true. */
  histogramErrors?: boolean;
  /** How close edges must be to count as the same, as a fraction of the table's x span; 1e-6. */
  tolerance?: number;
}

/** The outcome: numbers for code, and everything comparisonFigure draws. */
export interface HEPDataComparison {
  /** The table's name. */
  table: string;
  /** The compared bins' edges (after merging the finer side). */
  edges: number[];
  /** The histogram after merging and normalisation, with its errors (zero when not used). */
  histogram: { values: number[]; errors: number[] };
  /** The table's values and the selected errors' sizes up and down (quadrature sums). */
  data: { values: number[]; errorsUp: number[]; errorsDown: number[] };
  chi2: number;
  ndf: number;
  /** The probability of a χ² at least this large with ndf degrees of freedom (NaN if ndf < 1). */
  pValue: number;
  /** Per bin (histogram − table)/σ; NaN in a bin without any error (left out of χ²). */
  pulls: number[];
  /** Per bin histogram / table (NaN where the table's value is 0). */
  ratios: number[];
  /** What entered σ: the table's error labels ("(no label)" for unlabelled) and the histogram's. */
  errorsUsed: { selection: HEPDataErrorSelection; labels: string[]; histogram: boolean };
  normalization: { kind: 'none' | 'table' | 'luminosity' | 'factor'; factor: number };
  /** Which side's bins were merged to the other's. */
  rebinned: 'none' | 'histogram' | 'table';
  /** Histogram bins outside the table's range, left out (or the table's, outside the histogram's). */
  binsOutside: number;
  density: boolean;
  /** Axis titles from the table's headers ("name [units]"). */
  xTitle: string;
  yTitle: string;
}

const NO_LABEL = '(no label)';

/** "name [units]" of a header. */
function headerTitle(h: { name: string; units?: string }): string {
  return h.units ? `${h.name} [${h.units}]` : h.name;
}

function selected(label: string | undefined, selection: HEPDataErrorSelection): boolean {
  if (selection === 'all') return true;
  const l = (label ?? '').trim().toLowerCase();
  return selection === 'stat' ? l.startsWith('stat') : l.startsWith('sys');
}

/** An error component as a number: '' (one-sided errors leave a side empty) is 0. */
function size(e: number | string | undefined | null, value: number): number {
  if (e === undefined || e === null || e === '') return 0;
  return errorValue(e, value);
}

/**
 * One error source as the sizes of its upward and downward variations. An asymmetric pair of
 * opposite signs is read by sign (+0.4, −0.3 or −0.3, +0.4); a pair of one sign as sizes (plus
 * up, minus down), as submissions that write `minus: 0.31` mean it.
 */
function upDown(e: HEPDataError, value: number): [number, number] {
  if (e.asymerror === undefined) {
    const s = Math.abs(size(e.symerror, value));
    return [s, s];
  }
  const plus = size(e.asymerror.plus, value);
  const minus = size(e.asymerror.minus, value);
  if (plus * minus > 0) return [Math.abs(plus), Math.abs(minus)];
  return [Math.max(plus, minus, 0), Math.max(-plus, -minus, 0)];
}

/** The table's bin edges (one independent variable of contiguous [low, high] bins). */
function tableEdges(t: HEPDataTable, tolerance: number): number[] {
  const where = `table "${t.name}"`;
  if (t.independent_variables.length !== 1) {
    throw new OpenDataError(
      'E_USAGE',
      `${where} has ${t.independent_variables.length} independent variables: a Hist1D compares with a table of one`
    );
  }
  const bins = t.independent_variables[0].values;
  if (bins.length === 0) throw new OpenDataError('E_USAGE', `${where} has no bins`);
  const edges: number[] = [];
  bins.forEach((b, i) => {
    if (typeof b.low !== 'number' || typeof b.high !== 'number') {
      throw new OpenDataError(
        'E_USAGE',
        `${where}: point ${i} of "${t.independent_variables[0].header.name}" is a value, not a bin [low, high]: only binned tables compare with a histogram`
      );
    }
    if (!(b.high > b.low)) {
      throw new OpenDataError('E_FORMAT', `${where}: bin ${i} is [${b.low}, ${b.high}]`);
    }
    if (i === 0) edges.push(b.low);
    else {
      const prev = edges[edges.length - 1];
      const tol = tolerance * Math.max(Math.abs(b.high - edges[0]), Math.abs(prev), 1e-300);
      if (Math.abs(b.low - prev) > tol) {
        throw new OpenDataError(
          'E_USAGE',
          `${where}: bins ${i - 1} and ${i} are not contiguous (${prev} then ${b.low}): compare tables without gaps or overlaps`
        );
      }
    }
    edges.push(b.high);
  });
  return edges;
}

/** Index of each edge of `sub` in `all` (within tol), or the first edge of `sub` with none. */
function nest(sub: number[], all: number[], tol: number): { map: number[] } | { missing: number } {
  const map: number[] = [];
  let j = 0;
  for (const e of sub) {
    while (j < all.length && all[j] < e - tol) j++;
    if (j === all.length || Math.abs(all[j] - e) > tol) return { missing: e };
    map.push(j);
  }
  return { map };
}

function nearest(e: number, edges: number[]): string {
  const below = edges.filter(x => x < e);
  const above = edges.filter(x => x > e);
  const parts = [];
  if (below.length > 0) parts.push(String(below[below.length - 1]));
  if (above.length > 0) parts.push(String(above[0]));
  return parts.join(' and ');
}

/**
 * Compares a table of HEPData with a histogram. Bin edges must match, or one side's edges must
 * all be edges of the other (within `tolerance`): then the finer side's bins are merged (table
 * values and errors as sums, in quadrature for errors, width-weighted when `density`). Anything
 * else is E_USAGE naming the table and its first edge that is no edge of the histogram.
 *
 * σ² per bin = (the table's selected errors, in quadrature, on the side towards the histogram)²
 * + (the histogram's √Σw², scaled)²; pull = (histogram − table)/σ; χ² = Σ pull² over bins with
 * σ > 0; ndf = those bins, less one when normalised to the table's integral.
 */
export function compareHEPData(
  table: HEPDataTable,
  hist: Hist1D,
  options: HEPDataCompareOptions = {}
): HEPDataComparison {
  const where = `table "${table.name}"`;
  const selection = options.errors ?? 'all';
  const density = options.density ?? false;
  const useHistErrors = options.histogramErrors ?? true;
  const tolerance = options.tolerance ?? 1e-6;
  if (!['all', 'stat', 'sys'].includes(selection)) {
    throw new OpenDataError(
      'E_USAGE',
      `compare: errors must be 'all', 'stat' or 'sys' (got ${JSON.stringify(selection)})`
    );
  }
  const dep = pickColumn(table, options.column);

  // The table per bin: value, and selected errors as up/down quadrature sums.
  const tEdges = tableEdges(table, tolerance);
  const labels = new Set<string>();
  const tValues: number[] = [];
  const tUp2: number[] = [];
  const tDown2: number[] = [];
  dep.values.forEach((p, i) => {
    const v = typeof p.value === 'number' ? p.value : Number(p.value);
    if (typeof p.value !== 'number' && (String(p.value).trim() === '' || !Number.isFinite(v))) {
      throw new OpenDataError(
        'E_FORMAT',
        `${where}: bin ${i} of "${dep.header.name}" has no number (${JSON.stringify(p.value)})`
      );
    }
    let up2 = 0;
    let down2 = 0;
    for (const e of p.errors ?? []) {
      if (!selected(e.label, selection)) continue;
      const [u, d] = upDown(e, v);
      if (!Number.isFinite(u) || !Number.isFinite(d)) {
        throw new OpenDataError(
          'E_FORMAT',
          `${where}: bin ${i} of "${dep.header.name}" has an error that is no number`
        );
      }
      labels.add(e.label ?? NO_LABEL);
      up2 += u * u;
      down2 += d * d;
    }
    tValues.push(v);
    tUp2.push(up2);
    tDown2.push(down2);
  });
  if (selection !== 'all' && labels.size === 0) {
    const all = new Set(dep.values.flatMap(p => (p.errors ?? []).map(e => e.label ?? NO_LABEL)));
    throw new OpenDataError(
      'E_USAGE',
      `${where}: no error labelled ${selection}… (labels: ${[...all].map(l => JSON.stringify(l)).join(', ') || 'none'})`
    );
  }

  // The binning: equal, or one side nested in the other.
  const hEdges = Array.from(hist.edges);
  const hCounts = Array.from(hist.counts);
  const hSumw2 = Array.from(hist.sumw2);
  const tol = tolerance * (tEdges[tEdges.length - 1] - tEdges[0]);
  let edges: number[];
  let rebinned: HEPDataComparison['rebinned'] = 'none';
  let binsOutside = 0;
  let counts: number[];
  let sumw2: number[];
  let values: number[];
  let up2: number[];
  let down2: number[];
  const tableInHist = nest(tEdges, hEdges, tol);
  if ('map' in tableInHist) {
    // The histogram is as fine or finer: merge its bins to the table's.
    const m = tableInHist.map;
    edges = tEdges;
    counts = [];
    sumw2 = [];
    for (let k = 0; k + 1 < m.length; k++) {
      let c = 0;
      let s = 0;
      for (let j = m[k]; j < m[k + 1]; j++) {
        c += hCounts[j];
        s += hSumw2[j];
      }
      counts.push(c);
      sumw2.push(s);
    }
    binsOutside = hist.bins - (m[m.length - 1] - m[0]);
    if (m[m.length - 1] - m[0] !== tEdges.length - 1) rebinned = 'histogram';
    values = tValues;
    up2 = tUp2;
    down2 = tDown2;
  } else {
    const histInTable = nest(hEdges, tEdges, tol);
    if (!('map' in histInTable)) {
      const e = tableInHist.missing;
      throw new OpenDataError(
        'E_USAGE',
        `${where}: its bin edges and the histogram's neither match nor nest: the table's edge ${e} is no edge of the histogram (nearest: ${nearest(e, hEdges)}); fill the histogram with the table's edges or edges that include them`
      );
    }
    // The table is finer: merge its bins to the histogram's (values summed, errors in quadrature;
    // per unit of x when density, so weighted by the widths).
    const m = histInTable.map;
    edges = hEdges;
    counts = hCounts;
    sumw2 = hSumw2;
    values = [];
    up2 = [];
    down2 = [];
    for (let k = 0; k + 1 < m.length; k++) {
      let v = 0;
      let u = 0;
      let d = 0;
      for (let j = m[k]; j < m[k + 1]; j++) {
        const w = density ? tEdges[j + 1] - tEdges[j] : 1;
        v += tValues[j] * w;
        u += tUp2[j] * w * w;
        d += tDown2[j] * w * w;
      }
      const W = density ? hEdges[k + 1] - hEdges[k] : 1;
      values.push(v / W);
      up2.push(u / (W * W));
      down2.push(d / (W * W));
    }
    binsOutside = tEdges.length - 1 - (m[m.length - 1] - m[0]);
    rebinned = 'table';
  }

  const n = edges.length - 1;
  const widths = Array.from({ length: n }, (_, i) => edges[i + 1] - edges[i]);
  // The histogram as the table's quantity: per unit of x when density.
  const per = (x: number, i: number) => (density ? x / widths[i] : x);
  let h = counts.map(per);
  let h2 = sumw2.map((s, i) => (density ? s / (widths[i] * widths[i]) : s));

  const { kind, factor } = normalization(options.normalize ?? 'none', {
    where,
    histIntegral: counts.reduce((a, b) => a + b, 0),
    tableIntegral: values.reduce((a, v, i) => a + (density ? v * widths[i] : v), 0),
    entries: hist.entries
  });
  h = h.map(x => x * factor);
  h2 = h2.map(x => x * factor * factor);

  const hErr = h2.map(x => (useHistErrors ? Math.sqrt(x) : 0));
  const pulls: number[] = [];
  let chi2 = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    const t2 = h[i] >= values[i] ? up2[i] : down2[i];
    const s2 = t2 + hErr[i] * hErr[i];
    if (s2 > 0) {
      const pull = (h[i] - values[i]) / Math.sqrt(s2);
      pulls.push(pull);
      chi2 += pull * pull;
      used++;
    } else {
      pulls.push(NaN);
    }
  }
  const ndf = used - (kind === 'table' ? 1 : 0);
  return {
    table: table.name,
    edges,
    histogram: { values: h, errors: hErr },
    data: { values, errorsUp: up2.map(Math.sqrt), errorsDown: down2.map(Math.sqrt) },
    chi2,
    ndf,
    pValue: ndf >= 1 ? chi2PValue(chi2, ndf) : NaN,
    pulls,
    ratios: h.map((x, i) => (values[i] === 0 ? NaN : x / values[i])),
    errorsUsed: { selection, labels: [...labels], histogram: useHistErrors },
    normalization: { kind, factor },
    rebinned,
    binsOutside,
    density,
    xTitle: headerTitle(table.independent_variables[0].header),
    yTitle: headerTitle(dep.header)
  };
}

function pickColumn(table: HEPDataTable, column: number | string | undefined) {
  const deps = table.dependent_variables;
  const names = deps.map(d => JSON.stringify(d.header.name)).join(', ');
  const dep =
    typeof column === 'string' ? deps.find(d => d.header.name === column) : deps[column ?? 0];
  if (dep === undefined) {
    throw new OpenDataError(
      'E_USAGE',
      `table "${table.name}": no dependent variable ${typeof column === 'string' ? JSON.stringify(column) : (column ?? 0)} (it has ${deps.length}: ${names || 'none'})`
    );
  }
  return dep;
}

function normalization(
  choice: HEPDataNormalization,
  at: { where: string; histIntegral: number; tableIntegral: number; entries: number }
): HEPDataComparison['normalization'] {
  const finite = (x: unknown, what: string) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
      throw new OpenDataError(
        'E_USAGE',
        `compare: ${what} must be a positive number (got ${JSON.stringify(x)})`
      );
    }
    return x;
  };
  if (choice === 'none') return { kind: 'none', factor: 1 };
  if (choice === 'table') {
    if (at.histIntegral === 0) {
      throw new OpenDataError(
        'E_USAGE',
        `compare with ${at.where}: the histogram is empty over the table's bins, so it cannot be normalised to the table`
      );
    }
    return { kind: 'table', factor: at.tableIntegral / at.histIntegral };
  }
  if (typeof choice === 'object' && choice !== null && 'factor' in choice) {
    return { kind: 'factor', factor: finite(choice.factor, 'the factor') };
  }
  if (typeof choice === 'object' && choice !== null && 'luminosity' in choice) {
    const events = choice.events ?? at.entries;
    return {
      kind: 'luminosity',
      factor:
        (finite(choice.luminosity, 'the luminosity') *
          finite(choice.crossSection, 'the cross-section')) /
        finite(events, 'the number of events')
    };
  }
  throw new OpenDataError(
    'E_USAGE',
    `compare: normalize must be 'none', 'table', {luminosity, crossSection, events?} or {factor} (got ${JSON.stringify(choice)})`
  );
}

// The χ² distribution's upper tail Q(ndf/2, χ²/2): the regularized upper incomplete gamma
// function, by its series below a + 1 and by its continued fraction (modified Lentz) above, as in
// Numerical Recipes §6.2; both converge fast there, and the fraction keeps tiny p-values precise.

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_ITER = 10000;

/** ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms: about 15 digits). */
export function lnGamma(x: number): number {
  const p = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const z = x - 1;
  let a = p[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += p[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a), a > 0, x ≥ 0. */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let n = 0; n < MAX_ITER; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    return Math.max(0, 1 - sum * front);
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return front * h;
}

/** P(χ²_ndf ≥ chi2): the p-value of a χ² with ndf degrees of freedom. */
export function chi2PValue(chi2: number, ndf: number): number {
  return gammaQ(ndf / 2, chi2 / 2);
}
