import { OpenDataError } from './errors';
import type { HEPDataComparison } from './hepdata-compare';
import type { Hist2D, HistogramLike } from './histogram';

/** The mime type tslab's display sends and the extension's renderer draws. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** A bar trace with bin centres, contents and widths: a histogram drawn as Plotly bars. */
export interface PlotlyBarTrace {
  type: 'bar';
  x: number[];
  y: number[];
  width: number[];
  name?: string;
  marker?: { color?: string; line?: { width?: number; color?: string } };
  /** Per bin, its hover label ("60–61 GeV: 123"): see binLabels. */
  customdata: string[];
  hovertemplate: string;
  /** What the bins do not show (entries, flows, moments), for text summaries: see histogramMeta. */
  meta?: HistogramMeta;
}

/** A histogram's numbers beyond its bins, kept in its trace (Plotly's free `meta` attribute). */
export interface HistogramMeta {
  entries?: number;
  underflow?: number;
  overflow?: number;
  mean?: number;
  std?: number;
}

/** The entries, flows and moments a histogram has (a Hist1D, `hist --json`, a stored TH1). */
export function histogramMeta(h: HistogramLike): HistogramMeta | undefined {
  const meta: HistogramMeta = {};
  const source = h as unknown as Record<string, unknown>;
  for (const key of ['entries', 'underflow', 'overflow', 'mean', 'std'] as const) {
    const value = source[key];
    if (typeof value === 'number' && Number.isFinite(value)) meta[key] = value;
  }
  return Object.keys(meta).length > 0 ? meta : undefined;
}

/** A plain-JSON Plotly figure. Titles are objects: plotly.js 3 dropped plain-string titles. */
export interface PlotlyFigure {
  data: PlotlyBarTrace[];
  layout: PlotlyLayout;
}

export interface PlotlyLayout {
  title?: { text: string };
  xaxis?: { title?: { text: string } };
  yaxis?: { title?: { text: string } };
  bargap?: number;
  showlegend?: boolean;
}

export interface HistogramFigureOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** Trace name (legend and hover). */
  name?: string;
}

/**
 * A Plotly figure of a histogram: one bar per bin, no gap. Plain number arrays only, so the
 * figure is valid JSON in the notebook; its size depends on the bins, not on the values filled.
 */
export function histogramFigure(
  h: HistogramLike,
  options: HistogramFigureOptions = {}
): PlotlyFigure {
  const { edges, counts } = h; // read once: Hist1D computes edges on each access
  const bins = counts.length;
  if (isHistogram2D(h)) {
    throw new OpenDataError('E_USAGE', 'histogramFigure: a 2-D histogram; use histogram2DFigure');
  }
  if (edges.length !== bins + 1) {
    throw new OpenDataError(
      'E_FORMAT',
      `histogram has ${edges.length} edges for ${bins} bins (expected ${bins + 1})`
    );
  }
  const x: number[] = new Array(bins);
  const y: number[] = new Array(bins);
  const width: number[] = new Array(bins);
  for (let i = 0; i < bins; i++) {
    const lo = edges[i];
    const hi = edges[i + 1];
    x[i] = (lo + hi) / 2;
    y[i] = counts[i];
    width[i] = hi - lo;
  }
  const trace: PlotlyBarTrace = {
    type: 'bar',
    x,
    y,
    width,
    marker: { line: { width: 0 } },
    customdata: binLabels(edges, counts, options.xTitle),
    hovertemplate: hoverTemplate(options.name)
  };
  if (options.name !== undefined) trace.name = options.name;
  const meta = histogramMeta(h);
  if (meta) trace.meta = meta;

  const layout: PlotlyLayout = {
    bargap: 0,
    showlegend: options.name !== undefined,
    xaxis: options.xTitle !== undefined ? { title: { text: options.xTitle } } : {},
    yaxis: { title: { text: options.yTitle ?? 'Entries' } }
  };
  if (options.title !== undefined) layout.title = { text: options.title };
  return { data: [trace], layout };
}

/** A heatmap trace: x and y are bin edges (one more than z's columns / rows), z[iy][ix]. */
export interface PlotlyHeatmapTrace {
  type: 'heatmap';
  x: number[];
  y: number[];
  z: number[][];
  colorscale?: string;
  name?: string;
  /** Per cell, laid out as z, its hover label ("x 0.5–1, y 2–2.5: 17"): see binLabels2D. */
  customdata: string[][];
  hovertemplate: string;
  meta?: Histogram2DMeta;
}

/** A 2-D histogram's numbers beyond its cells, kept in its trace for text summaries. */
export interface Histogram2DMeta {
  entries?: number;
  outOfRange?: number;
  meanX?: number;
  meanY?: number;
  stdX?: number;
  stdY?: number;
}

/** Entries, what fell outside and the moments a 2-D histogram has (Hist2D, its JSON, a TH2). */
function histogram2DMeta(h: object): Histogram2DMeta | undefined {
  const v = h as Record<string, unknown>;
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  const stored =
    num(v.underflow) !== undefined && num(v.overflow) !== undefined
      ? (v.underflow as number) + (v.overflow as number)
      : undefined;
  const meta: Histogram2DMeta = {
    entries: num(v.entries),
    outOfRange: num(v.outOfRange) ?? num(v.out_of_range) ?? stored,
    meanX: num(v.meanX),
    meanY: num(v.meanY),
    stdX: num(v.stdX),
    stdY: num(v.stdY)
  };
  for (const key of Object.keys(meta) as (keyof Histogram2DMeta)[]) {
    if (meta[key] === undefined) delete meta[key];
  }
  return Object.keys(meta).length > 0 ? meta : undefined;
}

/** A Plotly figure of a 2-D histogram. */
export interface PlotlyHeatmapFigure {
  data: PlotlyHeatmapTrace[];
  layout: PlotlyLayout;
}

/**
 * A 2-D histogram as JSON: `hist2d --json`'s {xedges, yedges, counts} or a stored ROOT TH2's
 * {edges, y_edges, counts}; counts[ix][iy] in both (numpy.histogram2d's layout).
 */
export type Histogram2DLike =
  | {
      readonly xedges: ArrayLike<number>;
      readonly yedges: ArrayLike<number>;
      readonly counts: ArrayLike<ArrayLike<number>>;
    }
  | {
      readonly edges: ArrayLike<number>;
      readonly y_edges: ArrayLike<number>;
      readonly counts: ArrayLike<ArrayLike<number>>;
    };

/** True for a 2-D histogram shape histogram2DFigure takes (a Hist2D, its JSON, a stored TH2). */
export function isHistogram2D(value: unknown): value is Hist2D | Histogram2DLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.x === 'object' && typeof v.y === 'object' && v.counts instanceof Float64Array) {
    return true; // a Hist2D
  }
  const counts = v.counts as ArrayLike<unknown> | undefined;
  return (
    (('xedges' in v && 'yedges' in v) || ('edges' in v && 'y_edges' in v)) &&
    Array.isArray(counts) &&
    (counts.length === 0 || Array.isArray(counts[0]))
  );
}

/** Edges and z[iy][ix] of any 2-D histogram shape, checked. */
function grid2D(h: Hist2D | Histogram2DLike): {
  xEdges: ArrayLike<number>;
  yEdges: ArrayLike<number>;
  z: number[][];
} {
  if (!Array.isArray(h.counts)) {
    // a Hist2D: its counts are one Float64Array, y-major
    const hist = h as Hist2D;
    const nx = hist.x.bins;
    const counts = hist.counts; // computed on each access: read once
    const z: number[][] = [];
    for (let iy = 0; iy < hist.y.bins; iy++) {
      z.push(Array.from(counts.subarray(iy * nx, (iy + 1) * nx)));
    }
    return { xEdges: hist.x.edges, yEdges: hist.y.edges, z };
  }
  const json = h as Histogram2DLike;
  const xEdges = 'xedges' in json ? json.xedges : json.edges;
  const yEdges = 'yedges' in json ? json.yedges : json.y_edges;
  const nx = xEdges.length - 1;
  const ny = yEdges.length - 1;
  if (nx < 1 || ny < 1 || json.counts.length !== nx) {
    throw new OpenDataError(
      'E_FORMAT',
      `2-D histogram has ${xEdges.length} x edges and ${yEdges.length} y edges for ${json.counts.length} columns of counts`
    );
  }
  const z: number[][] = Array.from({ length: ny }, () => new Array<number>(nx));
  for (let ix = 0; ix < nx; ix++) {
    const column = json.counts[ix];
    if (column.length !== ny) {
      throw new OpenDataError(
        'E_FORMAT',
        `2-D histogram: column ${ix} has ${column.length} counts for ${ny} y bins`
      );
    }
    for (let iy = 0; iy < ny; iy++) z[iy][ix] = column[iy];
  }
  return { xEdges, yEdges, z };
}

/**
 * A Plotly heatmap of a 2-D histogram (a Hist2D, its JSON or a stored ROOT TH2; in-range cells;
 * bin edges as the axes, so variable bins draw at their true widths). Its size depends on the
 * bins only.
 */
export function histogram2DFigure(
  h: Hist2D | Histogram2DLike,
  options: HistogramFigureOptions = {}
): PlotlyHeatmapFigure {
  const { xEdges, yEdges, z } = grid2D(h);
  const trace: PlotlyHeatmapTrace = {
    type: 'heatmap',
    x: Array.from(xEdges),
    y: Array.from(yEdges),
    z,
    colorscale: 'Viridis',
    customdata: binLabels2D(xEdges, yEdges, z, options.xTitle, options.yTitle),
    hovertemplate: hoverTemplate(options.name)
  };
  if (options.name !== undefined) trace.name = options.name;
  const meta = histogram2DMeta(h);
  if (meta) trace.meta = meta;
  const layout: PlotlyLayout = {
    showlegend: false,
    xaxis: options.xTitle !== undefined ? { title: { text: options.xTitle } } : {},
    yaxis: options.yTitle !== undefined ? { title: { text: options.yTitle } } : {}
  };
  if (options.title !== undefined) layout.title = { text: options.title };
  return { data: [trace], layout };
}

/** A histogram's outline as a Plotly line: steps over the bins, down to zero at both ends. */
export interface PlotlyStepTrace {
  type: 'scatter';
  mode: 'lines';
  x: number[];
  y: number[];
  name: string;
  line: { shape: 'hv'; width: number };
  /** Per point, the hover label of the bin it draws ("60–61 GeV: 12"): see binLabels. */
  customdata: string[];
  hovertemplate: string;
  meta?: HistogramMeta;
}

/** Several histograms overlaid. */
export interface PlotlyStepFigure {
  data: PlotlyStepTrace[];
  layout: PlotlyLayout;
}

/** One histogram of an overlay and its legend entry. */
export interface OverlaidHistogram {
  hist: HistogramLike;
  name: string;
}

/**
 * Several 1-D histograms in one figure, each drawn as its outline with a legend entry (bars would
 * hide one another): e.g. a selection over all events, or data over simulation. Their bins may
 * differ. Plain number arrays, sized by the bins.
 */
export function histogramsFigure(
  overlaid: OverlaidHistogram[],
  options: Omit<HistogramFigureOptions, 'name'> = {}
): PlotlyStepFigure {
  if (overlaid.length === 0) {
    throw new OpenDataError('E_USAGE', 'histogramsFigure: no histograms to draw');
  }
  const data = overlaid.map(({ hist, name }): PlotlyStepTrace => {
    const { edges, counts } = hist; // read once: Hist1D computes edges on each access
    const bins = counts.length;
    if (bins === 0 || edges.length !== bins + 1) {
      throw new OpenDataError(
        'E_USAGE',
        `histogramsFigure: "${name}" has ${edges.length} edges for ${bins} bins`
      );
    }
    // (e0, 0), then per bin its top-left corner (e_k, c_k) and top centre (m_k, c_k), then
    // (e_bins, 0): with shape 'hv' each point's level runs on to the next point's x, so this draws
    // the bins' tops and the two outer sides. The centres draw nothing; they are there so that
    // the point nearest the pointer (Plotly's hover) over a bin's top is one of that bin's.
    const labels = binLabels(edges, counts, options.xTitle);
    const x = [edges[0]];
    const y = [0];
    const customdata = [labels[0]];
    for (let k = 0; k < bins; k++) {
      x.push(edges[k], (edges[k] + edges[k + 1]) / 2);
      y.push(counts[k], counts[k]);
      customdata.push(labels[k], labels[k]);
    }
    x.push(edges[bins]);
    y.push(0);
    customdata.push(labels[bins - 1]);
    const trace: PlotlyStepTrace = {
      type: 'scatter',
      mode: 'lines',
      x,
      y,
      name,
      line: { shape: 'hv', width: 2 },
      customdata,
      hovertemplate: hoverTemplate(name)
    };
    const meta = histogramMeta(hist);
    if (meta) trace.meta = meta;
    return trace;
  });
  const layout: PlotlyLayout = {
    showlegend: true,
    xaxis: options.xTitle !== undefined ? { title: { text: options.xTitle } } : {},
    yaxis: { title: { text: options.yTitle ?? 'Entries' } }
  };
  if (options.title !== undefined) layout.title = { text: options.title };
  return { data, layout };
}

// Hover labels, one way for every figure kind: the bin's range (with the axis unit when its title
// ends in one, "M [GeV]") and its content, "60–61 GeV: 123", "η₁ −2.4–−2.2, η₂ 0–0.2: 17".
// Written into customdata as text, so the label is the same wherever the figure is drawn (and
// whatever the y axis scale); Plotly's pseudo-HTML is escaped in the parts that come from titles.

/** The hover template of every histogram trace: the label, and the trace's name when it has one. */
function hoverTemplate(name: string | undefined): string {
  return name === undefined
    ? '%{customdata}<extra></extra>'
    : '%{customdata}<extra>%{fullData.name}</extra>';
}

/** Per bin of a 1-D histogram, "lo–hi unit: content". */
export function binLabels(
  edges: ArrayLike<number>,
  counts: ArrayLike<number>,
  xTitle?: string
): string[] {
  const { unit } = splitTitle(xTitle, 'x');
  const e = formatEdges(edges);
  return Array.from(counts, (c, i) => `${e[i]}–${e[i + 1]}${unit}: ${formatContent(c)}`);
}

/** Per cell of a 2-D histogram, laid out as z[iy][ix]: "x lo–hi, y lo–hi: content". */
export function binLabels2D(
  xEdges: ArrayLike<number>,
  yEdges: ArrayLike<number>,
  z: ArrayLike<ArrayLike<number>>,
  xTitle?: string,
  yTitle?: string
): string[][] {
  const xAxis = splitTitle(xTitle, 'x');
  const yAxis = splitTitle(yTitle, 'y');
  const ex = formatEdges(xEdges);
  const ey = formatEdges(yEdges);
  return Array.from(z, (row, iy) => {
    const yPart = `${yAxis.name} ${ey[iy]}–${ey[iy + 1]}${yAxis.unit}`;
    return Array.from(
      row,
      (c, ix) => `${xAxis.name} ${ex[ix]}–${ex[ix + 1]}${xAxis.unit}, ${yPart}: ${formatContent(c)}`
    );
  });
}

/** An axis title's quantity and unit: "M(μμ) [GeV]" → "M(μμ)", " GeV"; none → the fallback. */
function splitTitle(title: string | undefined, fallback: string): { name: string; unit: string } {
  const text = (title ?? '').trim();
  const m = /^(.*?)\s*\[([^\]]+)\]$/.exec(text);
  const name = (m ? m[1] : text) || fallback;
  return { name: escapePseudoHtml(name), unit: m ? ` ${escapePseudoHtml(m[2].trim())}` : '' };
}

/** Plotly reads tags (<b>, <a href>) and entities in hover text: show a title's as written. */
function escapePseudoHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const MINUS = '\u2212';

/**
 * An axis's edges as text: six significant digits (no binary-fraction tails such as
 * 2.1999999999999997), then one number of decimals for the whole axis so that neighbouring
 * labels read alike ("0.5–1.0", not "0.5–1"). Edges within rounding of zero are 0.
 */
function formatEdges(edges: ArrayLike<number>): string[] {
  let span = 0;
  for (let i = 0; i < edges.length; i++) span = Math.max(span, Math.abs(edges[i]));
  const rounded = Array.from(edges, e =>
    Math.abs(e) <= span * 1e-12 ? 0 : Number(e.toPrecision(6))
  );
  let decimals = 0;
  let plain = true;
  for (const r of rounded) {
    const text = String(Math.abs(r));
    if (text.includes('e')) plain = false;
    const point = text.indexOf('.');
    if (point >= 0) decimals = Math.max(decimals, text.length - point - 1);
  }
  return rounded.map(r => signed(plain ? r.toFixed(decimals) : String(r)));
}

/** A bin content: integers grouped by thousands ("12,345"), others to six significant digits. */
function formatContent(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(Number.isInteger(value) ? value : Number(value.toPrecision(6)));
  if (text.includes('e')) return signed(text);
  const [whole, fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return signed(fraction === undefined ? grouped : `${grouped}.${fraction}`);
}

/** A real minus sign: "−2.4–−2.2" reads better than "-2.4–-2.2". */
function signed(text: string): string {
  return text.startsWith('-') ? MINUS + text.slice(1) : text;
}

/** Any Plotly figure (e.g. hand-made scatter traces), as far as the helpers need to know. */
export interface PlotlyFigureLike {
  data: object[];
  layout?: object;
}

/** True when a value looks like a Plotly figure (has a `data` array). */
export function isPlotlyFigure(value: unknown): value is PlotlyFigureLike {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as { data?: unknown }).data)
  );
}

/** A trace of comparisonFigure: bars for the histogram, points with error bars for the table. */
export interface PlotlyComparisonTrace {
  type: 'bar' | 'scatter';
  x: number[];
  y: number[];
  name: string;
  xaxis: 'x' | 'x2';
  yaxis: 'y' | 'y2';
  width?: number[];
  mode?: 'markers';
  marker?: object;
  error_x?: { type: 'data'; symmetric: true; array: number[]; width: number };
  error_y?: { type: 'data'; symmetric: boolean; array: number[]; arrayminus?: number[] };
  showlegend?: boolean;
  customdata: string[];
  hovertemplate: string;
}

/** Two panels sharing x: the overlay above, the pulls or ratios below. */
export interface PlotlyComparisonFigure {
  data: PlotlyComparisonTrace[];
  layout: {
    title?: { text: string };
    bargap: number;
    showlegend: boolean;
    xaxis: object;
    yaxis: object;
    xaxis2: object;
    yaxis2: object;
    annotations: object[];
  };
}

export interface ComparisonFigureOptions {
  title?: string;
  /** Legend names; default "histogram" and the table's name. */
  name?: string;
  tableName?: string;
  /** The lower panel: pulls (default) or the ratio histogram / table. */
  panel?: 'pull' | 'ratio';
}

/**
 * A figure of compareHEPData's result: the histogram as bars and the table's points with their
 * (asymmetric) error bars, χ²/ndf and the p-value in a corner, and a panel of per-bin pulls (or
 * ratios) below. Hover labels read as elsewhere: the bin's range and content, plus the errors.
 */
export function comparisonFigure(
  c: HEPDataComparisonLike,
  options: ComparisonFigureOptions = {}
): PlotlyComparisonFigure {
  const { edges } = c;
  const n = edges.length - 1;
  const x = Array.from({ length: n }, (_, i) => (edges[i] + edges[i + 1]) / 2);
  const widths = Array.from({ length: n }, (_, i) => edges[i + 1] - edges[i]);
  const histName = options.name ?? 'histogram';
  const tableName = options.tableName ?? c.table;
  const panel = options.panel ?? 'pull';
  const sig = (v: number) => formatContent(v);
  const hLabels = binLabels(edges, c.histogram.values, c.xTitle).map((l, i) =>
    c.histogram.errors[i] > 0 ? `${l} ± ${sig(c.histogram.errors[i])}` : l
  );
  const tLabels = binLabels(edges, c.data.values, c.xTitle).map(
    (l, i) => `${l} +${sig(c.data.errorsUp[i])} −${sig(c.data.errorsDown[i])}`
  );
  const lower = panel === 'pull' ? c.pulls : c.ratios;
  const lowerLabels = binLabels(edges, lower, c.xTitle).map(l =>
    l.replace(/: /, panel === 'pull' ? ': pull ' : ': ratio ')
  );
  const finite = (v: number) => (Number.isFinite(v) ? v : 0);
  const data: PlotlyComparisonTrace[] = [
    {
      type: 'bar',
      x,
      y: c.histogram.values,
      width: widths,
      name: histName,
      xaxis: 'x',
      yaxis: 'y',
      marker: { line: { width: 0 }, opacity: 0.6 },
      error_y: { type: 'data', symmetric: true, array: c.histogram.errors },
      customdata: hLabels,
      hovertemplate: hoverTemplate(histName)
    },
    {
      type: 'scatter',
      mode: 'markers',
      x,
      y: c.data.values,
      name: tableName,
      xaxis: 'x',
      yaxis: 'y',
      marker: { color: 'black', size: 6 },
      error_x: { type: 'data', symmetric: true, array: widths.map(w => w / 2), width: 0 },
      error_y: {
        type: 'data',
        symmetric: false,
        array: c.data.errorsUp,
        arrayminus: c.data.errorsDown
      },
      customdata: tLabels,
      hovertemplate: hoverTemplate(tableName)
    },
    panel === 'pull'
      ? {
          type: 'bar',
          x,
          y: lower.map(finite),
          width: widths,
          name: 'pull',
          xaxis: 'x2',
          yaxis: 'y2',
          showlegend: false,
          marker: { line: { width: 0 } },
          customdata: lowerLabels,
          hovertemplate: hoverTemplate(undefined)
        }
      : {
          type: 'scatter',
          mode: 'markers',
          x,
          y: lower.map(finite),
          name: 'ratio',
          xaxis: 'x2',
          yaxis: 'y2',
          showlegend: false,
          marker: { color: 'black', size: 5 },
          error_y: {
            type: 'data',
            symmetric: false,
            // The table's relative errors around the ratio: how far from 1 is within them.
            array: c.data.errorsUp.map((e, i) =>
              c.data.values[i] === 0 ? 0 : (finite(lower[i]) * e) / Math.abs(c.data.values[i])
            ),
            arrayminus: c.data.errorsDown.map((e, i) =>
              c.data.values[i] === 0 ? 0 : (finite(lower[i]) * e) / Math.abs(c.data.values[i])
            )
          },
          customdata: lowerLabels,
          hovertemplate: hoverTemplate(undefined)
        }
  ];
  const p = Number.isFinite(c.pValue) ? Number(c.pValue.toPrecision(3)) : NaN;
  const stats = `χ²/ndf = ${sig(c.chi2)}/${c.ndf}, p = ${Number.isNaN(p) ? '–' : p}`;
  const figure: PlotlyComparisonFigure = {
    data,
    layout: {
      bargap: 0,
      showlegend: true,
      xaxis: { anchor: 'y', matches: 'x2', showticklabels: false },
      yaxis: { domain: [0.32, 1], title: { text: c.yTitle } },
      xaxis2: { anchor: 'y2', title: { text: c.xTitle } },
      yaxis2: {
        domain: [0, 0.26],
        title: { text: panel === 'pull' ? 'Pull' : 'Ratio' },
        zeroline: true
      },
      annotations: [
        {
          text: escapePseudoHtml(stats),
          xref: 'paper',
          yref: 'paper',
          x: 1,
          y: 1,
          xanchor: 'right',
          yanchor: 'bottom',
          showarrow: false
        }
      ]
    }
  };
  if (options.title !== undefined) figure.layout.title = { text: options.title };
  return figure;
}

/** What comparisonFigure reads of a comparison (compareHEPData's result, or its JSON). */
export type HEPDataComparisonLike = Pick<
  HEPDataComparison,
  | 'table'
  | 'edges'
  | 'histogram'
  | 'data'
  | 'chi2'
  | 'ndf'
  | 'pValue'
  | 'pulls'
  | 'ratios'
  | 'xTitle'
  | 'yTitle'
>;
