import { OpenDataError } from './errors';
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
  hovertemplate?: string;
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
    hovertemplate: '%{x}: %{y}<extra></extra>'
  };
  if (options.name !== undefined) trace.name = options.name;

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
  hovertemplate?: string;
}

/** A Plotly figure of a 2-D histogram. */
export interface PlotlyHeatmapFigure {
  data: PlotlyHeatmapTrace[];
  layout: PlotlyLayout;
}

/**
 * A Plotly heatmap of a 2-D histogram (in-range cells; bin edges as the axes, so variable bins
 * draw at their true widths). Its size depends on the bins only.
 */
export function histogram2DFigure(
  h: Hist2D,
  options: HistogramFigureOptions = {}
): PlotlyHeatmapFigure {
  const nx = h.x.bins;
  const ny = h.y.bins;
  const counts = h.counts;
  const z: number[][] = [];
  for (let iy = 0; iy < ny; iy++) z.push(Array.from(counts.subarray(iy * nx, (iy + 1) * nx)));
  const trace: PlotlyHeatmapTrace = {
    type: 'heatmap',
    x: Array.from(h.x.edges),
    y: Array.from(h.y.edges),
    z,
    colorscale: 'Viridis',
    hovertemplate: 'x %{x}, y %{y}: %{z}<extra></extra>'
  };
  if (options.name !== undefined) trace.name = options.name;
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
  /** Per point, the bin it draws ("60–61: 12"), for the hover label. */
  text: string[];
  hovertemplate: string;
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
    // (e0, 0), (e_k, c_k) for each bin, (e_bins, 0): with shape 'hv' each point's level runs on to
    // the next point's x, so this draws the bins' tops and the two outer sides.
    const x = [edges[0]];
    const y = [0];
    const text = [binLabel(edges[0], edges[1], counts[0])];
    for (let k = 0; k < bins; k++) {
      x.push(edges[k]);
      y.push(counts[k]);
      text.push(binLabel(edges[k], edges[k + 1], counts[k]));
    }
    x.push(edges[bins]);
    y.push(0);
    text.push(text[bins]);
    return {
      type: 'scatter',
      mode: 'lines',
      x,
      y,
      name,
      line: { shape: 'hv', width: 2 },
      text,
      hovertemplate: '%{text}<extra>%{fullData.name}</extra>'
    };
  });
  const layout: PlotlyLayout = {
    showlegend: true,
    xaxis: options.xTitle !== undefined ? { title: { text: options.xTitle } } : {},
    yaxis: { title: { text: options.yTitle ?? 'Entries' } }
  };
  if (options.title !== undefined) layout.title = { text: options.title };
  return { data, layout };
}

/** "60–61: 12", edges to six significant digits (no binary-fraction tails). */
function binLabel(lo: number, hi: number, count: number): string {
  return `${Number(lo.toPrecision(6))}–${Number(hi.toPrecision(6))}: ${count}`;
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
