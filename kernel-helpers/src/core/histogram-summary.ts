// The text/plain of a histogram display: what a reader needs when no picture is shown (a
// terminal, a text diff of the notebook, a screen reader): binning, entries, mean, std, flows.
import type { Hist2D, HistogramLike } from './histogram';
import {
  isHistogram2D,
  isPlotlyFigure,
  type Histogram2DLike,
  type PlotlyFigureLike
} from './plotly';

/** What a histogram knows beyond its bins (Hist1D, `hist --json`, a stored ROOT histogram). */
interface Stats1D {
  entries?: number;
  underflow?: number;
  overflow?: number;
  mean?: number;
  std?: number;
}

type Obj = Record<string, unknown>;

/** A number for reading: integers grouped by thousands, others to 4 significant digits. */
function fmt(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return String(v);
  const r = Number.isInteger(v) ? v : Number(v.toPrecision(4));
  const text = String(r);
  if (text.includes('e')) return text;
  const [whole, fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (fraction === undefined ? grouped : `${grouped}.${fraction}`).replace(/^-/, '\u2212');
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** Mean and std of the contents at their bins' centres (when the values themselves are gone). */
function binnedMoments(
  edges: ArrayLike<number>,
  counts: ArrayLike<number>
): { sum: number; mean: number; std: number } {
  let sw = 0;
  let swx = 0;
  let swx2 = 0;
  for (let i = 0; i < counts.length; i++) {
    const w = counts[i];
    if (!Number.isFinite(w)) continue;
    const x = (edges[i] + edges[i + 1]) / 2;
    sw += w;
    swx += w * x;
    swx2 += w * x * x;
  }
  const mean = sw === 0 ? NaN : swx / sw;
  return { sum: sw, mean, std: sw === 0 ? NaN : Math.sqrt(Math.max(0, swx2 / sw - mean * mean)) };
}

function range(edges: ArrayLike<number>): string {
  return `${fmt(edges[0])} to ${fmt(edges[edges.length - 1])}`;
}

/** Lines describing a 1-D histogram (its stats when it has them, else from its bins). */
function summary1D(edges: ArrayLike<number>, counts: ArrayLike<number>, stats: Stats1D): string[] {
  const binned = binnedMoments(edges, counts);
  const fromBins = stats.mean === undefined;
  const parts = [
    // Without a count of entries (histogram JSON with bins only, normalised bars) the contents'
    // sum is what there is, and says so.
    stats.entries === undefined ? `sum ${fmt(binned.sum)}` : `entries ${fmt(stats.entries)}`,
    `mean ${fmt(stats.mean ?? binned.mean)}`,
    `std ${fmt(stats.std ?? binned.std)}${fromBins ? ' (from bin centres)' : ''}`
  ];
  if (stats.underflow !== undefined) parts.push(`underflow ${fmt(stats.underflow)}`);
  if (stats.overflow !== undefined) parts.push(`overflow ${fmt(stats.overflow)}`);
  return [
    `histogram: ${counts.length} bins from ${range(edges)}, ${fmt(binned.sum)} in range`,
    parts.join(', ')
  ];
}

function stats1D(h: Obj): Stats1D {
  return {
    entries: num(h.entries),
    underflow: num(h.underflow),
    overflow: num(h.overflow),
    mean: num(h.mean),
    std: num(h.std)
  };
}

function summary2D(h: Hist2D | Histogram2DLike): string[] {
  const v = h as unknown as Obj;
  let xEdges: ArrayLike<number>;
  let yEdges: ArrayLike<number>;
  let cells: (ix: number, iy: number) => number;
  if (!Array.isArray(v.counts)) {
    const hist = h as Hist2D;
    const z = hist.counts;
    xEdges = hist.x.edges;
    yEdges = hist.y.edges;
    cells = (ix, iy) => z[iy * hist.x.bins + ix];
  } else {
    const json = v as { counts: number[][] } & Obj;
    xEdges = (json.xedges ?? json.edges) as number[];
    yEdges = (json.yedges ?? json.y_edges) as number[];
    cells = (ix, iy) => json.counts[ix]?.[iy] ?? NaN;
  }
  const nx = xEdges.length - 1;
  const ny = yEdges.length - 1;
  // Marginals, for the binned means when the histogram has no moments of its own.
  const xSums = new Array<number>(nx).fill(0);
  const ySums = new Array<number>(ny).fill(0);
  for (let ix = 0; ix < nx; ix++) {
    for (let iy = 0; iy < ny; iy++) {
      const w = cells(ix, iy);
      if (!Number.isFinite(w)) continue;
      xSums[ix] += w;
      ySums[iy] += w;
    }
  }
  const bx = binnedMoments(xEdges, xSums);
  const by = binnedMoments(yEdges, ySums);
  const own = typeof v.meanX === 'number';
  const outside =
    num(v.outOfRange) ??
    num(v.out_of_range) ??
    (typeof v.underflow === 'number' && typeof v.overflow === 'number'
      ? v.underflow + v.overflow
      : undefined);
  const parts = [
    num(v.entries) === undefined ? `sum ${fmt(bx.sum)}` : `entries ${fmt(num(v.entries))}`,
    `mean x ${fmt(own ? (v.meanX as number) : bx.mean)}`,
    `mean y ${fmt(own ? (v.meanY as number) : by.mean)}`,
    `std x ${fmt(own ? (v.stdX as number) : bx.std)}`,
    `std y ${fmt(own ? (v.stdY as number) : by.std)}${own ? '' : ' (from bin centres)'}`
  ];
  if (outside !== undefined) parts.push(`outside the range ${fmt(outside)}`);
  return [
    `2-D histogram: ${nx} × ${ny} bins, x from ${range(xEdges)}, y from ${range(yEdges)}, ${fmt(bx.sum)} in range`,
    parts.join(', ')
  ];
}

function title(value: unknown): string {
  const text = typeof value === 'object' && value !== null ? (value as Obj).text : value;
  return typeof text === 'string' ? text : '';
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.map(v => (typeof v === 'number' ? v : NaN)) : [];
}

/** A trace of a figure as text: a histogram when its shape says so, else its points. */
function traceLines(trace: Obj): string[] {
  const name = typeof trace.name === 'string' ? trace.name : '';
  const named = (lines: string[]) =>
    name
      ? [lines[0].replace(/^(2-D )?histogram: /, `${name}: $1histogram, `), ...lines.slice(1)]
      : lines;
  const meta = (typeof trace.meta === 'object' && trace.meta !== null ? trace.meta : {}) as Obj;
  const x = numbers(trace.x);
  const y = numbers(trace.y);
  const label = name ? `${name}: ` : '';
  const panel = typeof trace.yaxis === 'string' && trace.yaxis !== 'y';
  if (panel) {
    // A panel below the main plot (comparisonFigure's pulls or ratios): values, not contents.
    const finite = y.filter(Number.isFinite);
    return [
      `${label}${finite.length} values from ${fmt(Math.min(...finite))} to ${fmt(Math.max(...finite))}`
    ];
  }
  if (trace.type === 'bar' && Array.isArray(trace.width) && x.length === y.length) {
    const w = numbers(trace.width);
    const edges = [x[0] - w[0] / 2, ...x.map((v, i) => v + w[i] / 2)];
    return named(summary1D(edges, y, stats1D(meta)));
  }
  const shape = (trace.line as Obj | undefined)?.shape;
  const bins = (x.length - 2) / 2;
  if (
    trace.type === 'scatter' &&
    shape === 'hv' &&
    Number.isInteger(bins) &&
    bins > 0 &&
    x[0] === x[1] &&
    y[0] === 0
  ) {
    // histogramsFigure's outline: (e0, 0), then per bin (e_k, c_k) and (centre, c_k), (e_n, 0).
    const edges = [...Array.from({ length: bins }, (_, k) => x[1 + 2 * k]), x[x.length - 1]];
    const counts = Array.from({ length: bins }, (_, k) => y[1 + 2 * k]);
    return named(summary1D(edges, counts, stats1D(meta)));
  }
  if (trace.type === 'heatmap' && Array.isArray(trace.z)) {
    const z = (trace.z as unknown[]).map(numbers);
    const counts = Array.from({ length: z[0]?.length ?? 0 }, (_, ix) => z.map(row => row[ix]));
    return named(summary2D({ xedges: x, yedges: y, counts, ...meta } as Histogram2DLike));
  }
  const finite = y.filter(Number.isFinite);
  const range = finite.length
    ? `, y from ${fmt(Math.min(...finite))} to ${fmt(Math.max(...finite))}`
    : '';
  const errors =
    typeof trace.error_y === 'object' && trace.error_y !== null ? ' with error bars' : '';
  return [`${label}${Math.max(x.length, y.length)} points${range}${errors}`];
}

/** Text notes on the figure (comparisonFigure's χ²/ndf and p-value), Plotly's markup dropped. */
function notes(layout: Obj): string[] {
  const annotations = Array.isArray(layout.annotations) ? layout.annotations : [];
  return annotations
    .map(a => (typeof a === 'object' && a !== null ? (a as Obj).text : undefined))
    .filter((t): t is string => typeof t === 'string' && t.trim() !== '')
    .map(t =>
      t
        .replace(/<br\s*\/?>/gi, ' ')
        .replace(/<[^<>]*>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
    );
}

/**
 * A plain-text summary of a histogram (1-D or 2-D, a Hist1D/Hist2D, their JSON or a stored ROOT
 * histogram) or of a Plotly figure (its title, then each trace: histograms from their bins).
 */
export function histogramSummary(
  what: PlotlyFigureLike | HistogramLike | Hist2D | Histogram2DLike
): string {
  if (isPlotlyFigure(what)) {
    const layout = (what.layout ?? {}) as Obj;
    const heading = title(layout.title);
    const lines = what.data.flatMap(t => traceLines(t as Obj));
    return [heading, ...lines, ...notes(layout)].filter(Boolean).join('\n');
  }
  const v = what as unknown as Obj;
  const heading = typeof v.title === 'string' && v.title ? [v.title] : [];
  if (isHistogram2D(what)) return [...heading, ...summary2D(what)].join('\n');
  const h = what as HistogramLike;
  return [...heading, ...summary1D(h.edges, h.counts, stats1D(v))].join('\n');
}
