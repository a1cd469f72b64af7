// Stored histograms and graphs (as jsroot streams them) → plain objects with the `object` command's
// shape (docs/cli.md). Histograms keep ROOT's bins: edges (variable bins too), per-bin contents,
// under/overflow, errors from the sum of squared weights; profiles give bin means and ROOT's
// default error on the mean.
import { OpenDataError } from '../../core/errors';
import { Hist1D } from '../../core/histogram';
import { JsrootObject } from './jsroot';

/** TH1* and TProfile: 1-D bins. */
export interface StoredHist1D {
  class: string;
  name: string;
  title: string;
  /** bins + 1 edges (variable bins as stored). */
  edges: number[];
  /** Bin contents; for a TProfile, the bin means (what ROOT draws). */
  counts: number[];
  underflow: number;
  overflow: number;
  /** Per-bin errors: sqrt(sum of squared weights), or for a TProfile the error on the mean. */
  errors: number[];
  /** Sum of squared weights per bin (in-range bins). */
  sumw2: number[];
  /** ROOT's fEntries. */
  entries: number;
  /** TProfile only: sum of weights of the entries in each bin. */
  bin_entries?: number[];
}

/** TH2*: x-major contents (`counts[ix][iy]`). */
export interface StoredHist2D {
  class: string;
  name: string;
  title: string;
  edges: number[];
  y_edges: number[];
  counts: number[][];
  /** Sum of the cells below the range on either axis. */
  underflow: number;
  /** Sum of the cells above the range on either axis (and below on neither). */
  overflow: number;
  /** Every cell with flow bins: (nx + 2) × (ny + 2), x-major, index 0 the underflow. */
  counts_with_flow: number[][];
  errors: number[][];
  entries: number;
}

/** TGraph, TGraphErrors, TGraphAsymmErrors: points with (asymmetric) errors, zero when absent. */
export interface StoredGraph {
  class: string;
  name: string;
  title: string;
  x: number[];
  y: number[];
  ex_low: number[];
  ex_high: number[];
  ey_low: number[];
  ey_high: number[];
}

export type StoredObject = StoredHist1D | StoredHist2D | StoredGraph;

function numbers(a: ArrayLike<number> | undefined | null, n: number, from = 0): number[] {
  if (!Number.isSafeInteger(n) || n < 0 || (a && a.length < from + n && a.length !== 0)) {
    throw new OpenDataError('E_FORMAT', `${n} values expected, ${a?.length ?? 0} stored`);
  }
  const out = new Array<number>(n).fill(0);
  if (a) for (let i = 0; i < n && from + i < a.length; i++) out[i] = Number(a[from + i]);
  return out;
}

function axisEdges(axis: JsrootObject | undefined, where: string): number[] {
  const n = Number(axis?.fNbins);
  if (!axis || !Number.isSafeInteger(n) || n < 1 || n > 1e8) {
    throw new OpenDataError('E_FORMAT', `${where}: no valid axis (${n} bins)`);
  }
  const xbins: ArrayLike<number> | undefined = axis.fXbins;
  if (xbins && xbins.length === n + 1) return Array.from(xbins, Number);
  const lo = Number(axis.fXmin);
  const hi = Number(axis.fXmax);
  const edges = Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);
  edges[n] = hi;
  return edges;
}

function hist1D(obj: JsrootObject, where: string): StoredHist1D {
  const edges = axisEdges(obj.fXaxis, where);
  const n = edges.length - 1;
  const cells: ArrayLike<number> = obj.fArray;
  if (!cells || cells.length !== n + 2) {
    throw new OpenDataError('E_FORMAT', `${where}: ${cells?.length ?? 0} cells for ${n} bins`);
  }
  const sumw2All: ArrayLike<number> | undefined =
    obj.fSumw2 && obj.fSumw2.length === n + 2 ? obj.fSumw2 : undefined;
  const base = {
    class: String(obj._typename),
    name: String(obj.fName ?? ''),
    title: String(obj.fTitle ?? ''),
    edges,
    entries: Number(obj.fEntries)
  };
  if (obj._typename === 'TProfile') {
    const sumw: ArrayLike<number> = obj.fBinEntries;
    const sumw2w: ArrayLike<number> | undefined =
      obj.fBinSumw2 && obj.fBinSumw2.length === n + 2 ? obj.fBinSumw2 : undefined;
    const means = new Array<number>(n + 2).fill(0);
    const errors = new Array<number>(n + 2).fill(0);
    for (let i = 0; i < n + 2; i++) {
      const w = Number(sumw[i]);
      if (w === 0) continue;
      means[i] = Number(cells[i]) / w;
      const spread = Math.sqrt(Math.abs((sumw2All ? Number(sumw2All[i]) : 0) / w - means[i] ** 2));
      const w2 = sumw2w ? Number(sumw2w[i]) : w;
      const neff = sumw2w ? (w2 > 0 ? (w * w) / w2 : 0) : w;
      errors[i] = spread / Math.sqrt(neff);
    }
    return {
      ...base,
      counts: means.slice(1, n + 1),
      underflow: means[0],
      overflow: means[n + 1],
      errors: errors.slice(1, n + 1),
      sumw2: numbers(sumw2All, n, 1),
      bin_entries: numbers(sumw, n, 1)
    };
  }
  const counts = numbers(cells, n, 1);
  const sumw2 = sumw2All ? numbers(sumw2All, n, 1) : counts.map(Math.abs);
  return {
    ...base,
    counts,
    underflow: Number(cells[0]),
    overflow: Number(cells[n + 1]),
    errors: sumw2.map(Math.sqrt),
    sumw2
  };
}

function hist2D(obj: JsrootObject, where: string): StoredHist2D {
  const xEdges = axisEdges(obj.fXaxis, where);
  const yEdges = axisEdges(obj.fYaxis, where);
  const nx = xEdges.length - 1;
  const ny = yEdges.length - 1;
  const cells: ArrayLike<number> = obj.fArray;
  const total = (nx + 2) * (ny + 2);
  if (!cells || cells.length !== total) {
    throw new OpenDataError(
      'E_FORMAT',
      `${where}: ${cells?.length ?? 0} cells for ${nx}×${ny} bins`
    );
  }
  const sumw2: ArrayLike<number> =
    obj.fSumw2 && obj.fSumw2.length === total
      ? obj.fSumw2
      : Array.from(cells, v => Math.abs(Number(v)));
  // ROOT's global bin: ix + (nx + 2) * iy
  const cell = (a: ArrayLike<number>, ix: number, iy: number) => Number(a[ix + (nx + 2) * iy]);
  const withFlow: number[][] = [];
  let underflow = 0;
  let overflow = 0;
  for (let ix = 0; ix < nx + 2; ix++) {
    const row: number[] = [];
    for (let iy = 0; iy < ny + 2; iy++) {
      const v = cell(cells, ix, iy);
      row.push(v);
      if (ix === 0 || iy === 0) underflow += v;
      else if (ix === nx + 1 || iy === ny + 1) overflow += v;
    }
    withFlow.push(row);
  }
  const counts: number[][] = [];
  const errors: number[][] = [];
  for (let ix = 1; ix <= nx; ix++) {
    counts.push(withFlow[ix].slice(1, ny + 1));
    errors.push(Array.from({ length: ny }, (_, j) => Math.sqrt(cell(sumw2, ix, j + 1))));
  }
  return {
    class: String(obj._typename),
    name: String(obj.fName ?? ''),
    title: String(obj.fTitle ?? ''),
    edges: xEdges,
    y_edges: yEdges,
    counts,
    underflow,
    overflow,
    counts_with_flow: withFlow,
    errors,
    entries: Number(obj.fEntries)
  };
}

function graph(obj: JsrootObject): StoredGraph {
  const n = Number(obj.fNpoints);
  const sym = obj._typename === 'TGraphErrors';
  return {
    class: String(obj._typename),
    name: String(obj.fName ?? ''),
    title: String(obj.fTitle ?? ''),
    x: numbers(obj.fX, n),
    y: numbers(obj.fY, n),
    ex_low: numbers(sym ? obj.fEX : obj.fEXlow, n),
    ex_high: numbers(sym ? obj.fEX : obj.fEXhigh, n),
    ey_low: numbers(sym ? obj.fEY : obj.fEYlow, n),
    ey_high: numbers(sym ? obj.fEY : obj.fEYhigh, n)
  };
}

/** A stored object as a plain object; E_UNSUPPORTED for classes other than TH1/TH2/TProfile/TGraph*. */
export function storedObject(obj: JsrootObject, where: string): StoredObject {
  try {
    return convert(obj, where);
  } catch (err) {
    if (err instanceof OpenDataError) {
      throw err.message.startsWith(where)
        ? err
        : new OpenDataError(err.code, `${where}: ${err.message}`);
    }
    // a damaged object jsroot still streamed: say so rather than leak a TypeError
    throw new OpenDataError(
      'E_FORMAT',
      `${where}: damaged ${obj._typename} (${(err as Error).message})`,
      {
        cause: err
      }
    );
  }
}

function convert(obj: JsrootObject, where: string): StoredObject {
  const cls = String(obj._typename);
  if (/^TH1[CSIFDL]?$/.test(cls) || cls === 'TProfile') return hist1D(obj, where);
  if (/^TH2[CSIFDL]?$/.test(cls)) return hist2D(obj, where);
  if (cls === 'TGraph' || cls === 'TGraphErrors' || cls === 'TGraphAsymmErrors') return graph(obj);
  throw new OpenDataError(
    'E_UNSUPPORTED',
    `${where}: objects of class ${cls} are not converted (histograms TH1/TH2/TProfile and graphs are)`
  );
}

/**
 * A stored 1-D histogram with uniform bins as a Hist1D (contents, flow and entries; errors are
 * those of the contents): for plotting with show() and adding fills. Variable-bin histograms are
 * HistogramLike already (edges + counts) and can be shown as they are.
 */
export function toHist1D(h: StoredHist1D): Hist1D {
  const n = h.edges.length - 1;
  const lo = h.edges[0];
  const hi = h.edges[n];
  const uniform = h.edges.every(
    (e, i) => Math.abs(e - (lo + ((hi - lo) * i) / n)) <= 1e-9 * (hi - lo)
  );
  if (!uniform || h.class === 'TProfile') {
    throw new OpenDataError(
      'E_UNSUPPORTED',
      `${h.name}: only histograms with uniform bins (not profiles) convert to Hist1D; show() takes it as it is`
    );
  }
  const out = new Hist1D(n, lo, hi);
  out.counts.set(h.counts);
  out.underflow = h.underflow;
  out.overflow = h.overflow;
  out.entries = h.entries;
  return out;
}
