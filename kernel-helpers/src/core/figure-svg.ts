// A static SVG picture of the helpers' Plotly figures (bars, step outlines, points with error
// bars, heatmaps; linear and log axes; subplots stacked by their y domains), sent next to the
// figure so that a notebook shows the plot where no Plotly renderer runs (GitHub, nbviewer,
// nbconvert's HTML). Browser-safe and deterministic: the same figure gives the same bytes. No clip
// paths or ids (two pictures inlined in one HTML page would share them): shapes are clamped to
// the plot area instead. All text is escaped (titles come from records' metadata).
import { clipText } from './format';
import { base64, indexedPng } from './png';
import type { PlotlyFigureLike } from './plotly';

export interface FigureSvgOptions {
  /** Pixels; default 640 × 400. */
  width?: number;
  height?: number;
  /** Colours of JupyterLab's light (default) or dark theme. */
  theme?: 'light' | 'dark';
}

interface Theme {
  background: string;
  ink: string;
  muted: string;
  grid: string;
  axis: string;
  /** Trace colours: the theme's brand, warn, accent, error and info colours, as the renderer. */
  colorway: string[];
}

const THEMES: Record<'light' | 'dark', Theme> = {
  light: {
    background: '#ffffff',
    ink: '#212121',
    muted: '#757575',
    grid: '#e0e0e0',
    axis: '#bdbdbd',
    colorway: ['#1976d2', '#f57c00', '#388e3c', '#d32f2f', '#0097a7']
  },
  dark: {
    background: '#111111',
    ink: '#ffffff',
    muted: '#a0a0a0',
    grid: '#424242',
    axis: '#616161',
    colorway: ['#2196f3', '#ff9800', '#4caf50', '#f44336', '#00bcd4']
  }
};

const FONT = 'font-family="sans-serif"';
const FONT_SIZE = 12;

/**
 * Text cut with "…" to about `length` pixels at FONT_SIZE (an average glyph width: there is no
 * text measuring without a DOM). A y title longer than its subplot (HEPData's are often long)
 * would otherwise run into the title of the panel below it.
 */
function fitted(text: string, length: number): string {
  const max = Math.max(4, Math.floor(length / (FONT_SIZE * 0.6)));
  return clipText(text, max);
}

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

function numbers(value: unknown): number[] {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return Array.from(value as ArrayLike<unknown>, v => (typeof v === 'number' ? v : NaN));
  }
  return [];
}

/** A coordinate to one decimal: enough for a picture, short in the file. */
function c(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** Text for XML: markup and quotes escaped, characters XML cannot hold replaced. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;')
  );
}

/**
 * Plotly's pseudo-HTML (titles, annotations) as plain text: its tags dropped (<br> a space), its
 * entities read. What remains is escaped where it is written.
 */
function plainText(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  const plain = text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?(b|i|em|strong|sub|sup|span|a|s|u)(\s[^<>]*)?>/gi, '')
    .replace(/&(lt|gt|amp|quot|#39|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi, (all, name, dec, hex) => {
      const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" };
      if (dec !== undefined || hex !== undefined) {
        const code = dec !== undefined ? Number(dec) : parseInt(hex, 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : all;
      }
      return named[String(name).toLowerCase()] ?? all;
    });
  return plain.length > 200 ? `${plain.slice(0, 199)}…` : plain;
}

function titleText(value: unknown): string {
  return plainText(typeof value === 'object' ? obj(value).text : value);
}

/** A colour from the figure, if it is one (anything else could break out of the attribute). */
function colour(value: unknown, theme: Theme, fallback: string): string {
  if (typeof value !== 'string') return fallback;
  // Black is the figures' "ink" (data points): the theme's text colour, readable on dark too.
  if (/^(black|#000|#000000)$/i.test(value.trim())) return theme.ink;
  return /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\)|[a-z]{3,20})$/i.test(value.trim())
    ? value.trim()
    : fallback;
}

/** Approximate width of text in the sans-serif font: for layout only (legend box, margins). */
function textWidth(text: string, size = FONT_SIZE): number {
  return [...text].length * size * 0.58;
}

// ---- axes -----------------------------------------------------------------------------------

interface Axis {
  id: string; // 'x', 'x2', 'y', …
  layout: Obj;
  log: boolean;
  /** Data range (log10 units on a log axis). */
  lo: number;
  hi: number;
  /** Pixels of lo and hi (y: lo at the bottom). */
  p0: number;
  p1: number;
  /** Extent of the data seen, and whether points (not bars/edges) set it. */
  min: number;
  max: number;
  fromZero: boolean;
  padded: boolean;
}

function axisKey(id: string): string {
  return `${id[0]}axis${id.slice(1)}`;
}

function newAxis(id: string, layout: Obj): Axis {
  const l = obj(layout[axisKey(id)]);
  return {
    id,
    layout: l,
    log: l.type === 'log',
    lo: 0,
    hi: 1,
    p0: 0,
    p1: 1,
    min: Infinity,
    max: -Infinity,
    fromZero: false,
    padded: false
  };
}

function extend(axis: Axis, v: number): void {
  if (!Number.isFinite(v) || (axis.log && v <= 0)) return;
  if (v < axis.min) axis.min = v;
  if (v > axis.max) axis.max = v;
}

/** Sets lo/hi from the data seen (Plotly's autorange, roughly) or the figure's own range. */
function settleRange(axis: Axis): void {
  const range = numbers(axis.layout.range);
  if (range.length === 2 && range.every(Number.isFinite) && range[0] !== range[1]) {
    [axis.lo, axis.hi] = range;
    return;
  }
  if (axis.log) {
    let lo = axis.min <= axis.max ? Math.log10(axis.min) : 0;
    let hi = axis.min <= axis.max ? Math.log10(axis.max) : 1;
    if (hi - lo < 1e-9) hi = lo + 1;
    // As the renderer's log toggle: a quarter decade below the smallest positive value.
    lo -= 0.25;
    hi += 0.05 * (hi - lo);
    axis.lo = lo;
    axis.hi = hi;
    return;
  }
  let lo = axis.min <= axis.max ? axis.min : 0;
  let hi = axis.min <= axis.max ? axis.max : 1;
  if (axis.fromZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (hi - lo < 1e-300) {
    lo -= 1;
    hi += 1;
  }
  const span = hi - lo;
  // Room above the tallest bar (and below a negative one) as Plotly leaves; points off the edges.
  const pad =
    axis.id[0] === 'x' ? (axis.padded ? 0.04 : 0) : axis.padded || axis.fromZero ? 0.05 : 0;
  if (!(axis.fromZero && hi === 0)) hi += pad * span;
  if (!(axis.fromZero && lo === 0)) lo -= pad * span;
  axis.lo = lo;
  axis.hi = hi;
}

/** Pixel of a data value, clamped to the axis (values ≤ 0 on a log axis go to its bottom). */
function px(axis: Axis, v: number): number {
  const u = axis.log ? (v > 0 ? Math.log10(v) : -Infinity) : v;
  const t = (u - axis.lo) / (axis.hi - axis.lo);
  const clamped = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t));
  return axis.p0 + clamped * (axis.p1 - axis.p0);
}

function inRange(axis: Axis, v: number): boolean {
  const u = axis.log ? (v > 0 ? Math.log10(v) : -Infinity) : v;
  return u >= Math.min(axis.lo, axis.hi) && u <= Math.max(axis.lo, axis.hi);
}

/** "Nice" steps: 1, 2, 5 × 10^k, about `target` ticks over the range. */
function linearTicks(lo: number, hi: number, target: number): { values: number[]; step: number } {
  const raw = (hi - lo) / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  const step = (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
  const values: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
    values.push(Number((k * step).toPrecision(12)));
  }
  return { values, step };
}

/** Tick values of a log axis: decades, and 2 and 5 between them when it spans few decades. */
function logTicks(lo: number, hi: number): number[] {
  const values: number[] = [];
  const multiples = hi - lo < 2.5 ? [1, 2, 5] : [1];
  const every = Math.max(1, Math.ceil((hi - lo) / 8)); // at most ~8 decades labelled
  for (let d = Math.floor(lo); d <= Math.ceil(hi); d++) {
    if (multiples.length === 1 && d % every !== 0) continue;
    for (const m of multiples) {
      const v = Number((m * 10 ** d).toPrecision(12));
      const u = Math.log10(v);
      if (u >= lo - 1e-9 && u <= hi + 1e-9) values.push(v);
    }
  }
  return values;
}

const MINUS = '\u2212';

/** A tick label: SI suffixes from 10,000 up (12k, 1.5M), decimals as the step needs. */
function tickLabel(v: number, step: number, largest: number): string {
  const [scale, suffix] =
    largest >= 1e10
      ? [1e9, 'G']
      : largest >= 1e7
        ? [1e6, 'M']
        : largest >= 1e4
          ? [1e3, 'k']
          : [1, ''];
  const decimals = Math.min(12, Math.max(0, Math.ceil(-Math.log10(step / scale) - 1e-9)));
  let text = (v / scale).toFixed(decimals);
  if (/^-0(\.0*)?$/.test(text)) text = text.slice(1);
  if (v === 0) text = '0';
  return (text.startsWith('-') ? MINUS + text.slice(1) : text) + (v === 0 ? '' : suffix);
}

function axisTicks(axis: Axis, lengthPx: number): { value: number; label: string }[] {
  if (axis.log) {
    const values = logTicks(axis.lo, axis.hi);
    return values.map(v => ({ value: v, label: tickLabel(v, v, v) }));
  }
  // Labels along x need room for their width; up y, for their height.
  const spacing = axis.id[0] === 'x' ? 80 : 45;
  const target = Math.max(2, Math.floor(lengthPx / spacing));
  const { values, step } = linearTicks(axis.lo, axis.hi, target);
  const largest = Math.max(...values.map(Math.abs));
  return values.map(v => ({ value: v, label: tickLabel(v, step, largest) }));
}

// ---- traces ---------------------------------------------------------------------------------

type Kind = 'bar' | 'scatter' | 'heatmap' | 'other';

function kindOf(trace: Obj): Kind {
  const type = trace.type ?? 'scatter';
  return type === 'bar' || type === 'scatter' || type === 'heatmap' ? type : 'other';
}

/** Bar widths: per bar, one for all, or the smallest spacing of the bars' centres. */
function barWidths(trace: Obj, x: number[], bargap: number): number[] {
  if (Array.isArray(trace.width)) return numbers(trace.width);
  if (typeof trace.width === 'number') return x.map(() => trace.width as number);
  let spacing = Infinity;
  const sorted = [...x].filter(Number.isFinite).sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] > sorted[i - 1]) spacing = Math.min(spacing, sorted[i] - sorted[i - 1]);
  }
  const full = Number.isFinite(spacing) ? spacing : 1;
  return x.map(() => full * (1 - bargap));
}

interface ErrorBars {
  up: number[];
  down: number[];
  colour?: unknown;
  width: number;
  thickness: number;
}

function errorBars(spec: unknown, n: number): ErrorBars | null {
  const e = obj(spec);
  if (e.visible === false || (e.type !== undefined && e.type !== 'data')) return null;
  const up = numbers(e.array);
  if (up.length === 0) return null;
  const down = e.symmetric === false && Array.isArray(e.arrayminus) ? numbers(e.arrayminus) : up;
  return {
    up: up.slice(0, n),
    down: down.slice(0, n),
    colour: e.color,
    width: typeof e.width === 'number' ? e.width : 4,
    thickness: typeof e.thickness === 'number' ? e.thickness : 1.5
  };
}

/** The heatmap's cell edges on one axis: edges as given, or halfway between cell centres. */
function cellEdges(coords: number[], cells: number): number[] {
  if (coords.length === cells + 1) return coords;
  if (coords.length === cells && cells > 1) {
    const edges = [coords[0] - (coords[1] - coords[0]) / 2];
    for (let i = 1; i < cells; i++) edges.push((coords[i - 1] + coords[i]) / 2);
    edges.push(coords[cells - 1] + (coords[cells - 1] - coords[cells - 2]) / 2);
    return edges;
  }
  return Array.from({ length: cells + 1 }, (_, i) => i - 0.5);
}

function heatmapGrid(trace: Obj): { xEdges: number[]; yEdges: number[]; z: number[][] } {
  const z = Array.isArray(trace.z) ? (trace.z as unknown[]).map(numbers) : [];
  const nx = z.reduce((n, row) => Math.max(n, row.length), 0);
  return {
    xEdges: cellEdges(numbers(trace.x), nx),
    yEdges: cellEdges(numbers(trace.y), z.length),
    z
  };
}

// Viridis (Plotly's default heatmap scale), 17 stops.
const VIRIDIS = [
  '#440154', '#48186a', '#472d7b', '#424086', '#3b528b', '#33638d', '#2c728e', '#26828e',
  '#21918c', '#1fa088', '#28ae80', '#3fbc73', '#5ec962', '#84d44b', '#addc30', '#d8e219', '#fde725'
]; // prettier-ignore

function rgb(hex: string): [number, number, number] {
  const h = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, d => d + d) : hex;
  return [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

/** The colour scale as `levels` palette colours (Viridis, or the figure's own [t, '#hex'] stops). */
function palette(scale: unknown, levels: number): [number, number, number][] {
  let stops: [number, [number, number, number]][] = VIRIDIS.map((h, i) => [
    i / (VIRIDIS.length - 1),
    rgb(h)
  ]);
  if (Array.isArray(scale)) {
    const own = scale.filter(
      (s): s is [number, string] =>
        Array.isArray(s) && typeof s[0] === 'number' && /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(s[1])
    );
    if (own.length >= 2) stops = own.map(([t, h]) => [t, rgb(h)]);
  }
  return Array.from({ length: levels }, (_, i) => {
    const t = i / (levels - 1);
    let k = 0;
    while (k < stops.length - 2 && stops[k + 1][0] < t) k++;
    const [t0, a] = stops[k];
    const [t1, b] = stops[k + 1];
    const f = t1 > t0 ? Math.min(1, Math.max(0, (t - t0) / (t1 - t0))) : 0;
    return [0, 1, 2].map(j => Math.round(a[j] + f * (b[j] - a[j]))) as [number, number, number];
  });
}

const LEVELS = 255; // palette entries; index 255 is transparent (empty or NaN cells)

function isUniform(edges: number[]): boolean {
  const n = edges.length - 1;
  const span = edges[n] - edges[0];
  return edges.every((e, i) => Math.abs(e - (edges[0] + (span * i) / n)) <= 1e-6 * Math.abs(span));
}

// ---- the picture ----------------------------------------------------------------------------

/**
 * An SVG picture of a Plotly figure as the helpers make them (histogramFigure, histogramsFigure,
 * histogram2DFigure, comparisonFigure, and hand-made bar/scatter/heatmap traces). Traces of
 * other types are left out of the picture. Sizes grow with the bins, not with the data filled:
 * a 100-bin histogram is about 3 KB.
 */
export function figureSvg(figure: PlotlyFigureLike, options: FigureSvgOptions = {}): string {
  const layout = obj(figure.layout);
  // The size asked for, else the figure's own (layout.width/height), else 640 × 400.
  const size = (asked: number | undefined, own: unknown, fallback: number, least: number) =>
    Math.min(4000, Math.max(least, Math.round(asked ?? (Number(own) || fallback))));
  const width = size(options.width, layout.width, 640, 200);
  const height = size(options.height, layout.height, 400, 150);
  const theme = THEMES[options.theme ?? 'light'];
  const traces = (Array.isArray(figure.data) ? figure.data : []).map(obj);
  const title = titleText(layout.title);

  // Axes the traces use, with their data extents.
  const axes = new Map<string, Axis>();
  const axisOf = (id: unknown, letter: 'x' | 'y'): Axis => {
    const key = typeof id === 'string' && new RegExp(`^${letter}\\d*$`).test(id) ? id : letter;
    const normal = key === `${letter}1` ? letter : key;
    if (!axes.has(normal)) axes.set(normal, newAxis(normal, layout));
    return axes.get(normal)!;
  };
  const bargap = typeof layout.bargap === 'number' ? layout.bargap : 0.2;
  let heatmapRange: [number, number] | null = null;
  for (const trace of traces) {
    const kind = kindOf(trace);
    if (kind === 'other') continue;
    const xa = axisOf(trace.xaxis, 'x');
    const ya = axisOf(trace.yaxis, 'y');
    if (kind === 'heatmap') {
      const { xEdges, yEdges, z } = heatmapGrid(trace);
      xEdges.forEach(v => extend(xa, v));
      yEdges.forEach(v => extend(ya, v));
      for (const v of z.flat()) {
        if (!Number.isFinite(v)) continue;
        heatmapRange = heatmapRange
          ? [Math.min(heatmapRange[0], v), Math.max(heatmapRange[1], v)]
          : [v, v];
      }
      continue;
    }
    const x = numbers(trace.x);
    const y = numbers(trace.y);
    const ey = errorBars(trace.error_y, y.length);
    const ex = errorBars(trace.error_x, x.length);
    if (kind === 'bar') {
      const w = barWidths(trace, x, bargap);
      x.forEach((v, i) => {
        extend(xa, v - w[i] / 2);
        extend(xa, v + w[i] / 2);
      });
      ya.fromZero = true;
    } else {
      x.forEach((v, i) => {
        extend(xa, v - (ex?.down[i] || 0));
        extend(xa, v + (ex?.up[i] || 0));
      });
      const shape = obj(trace.line).shape;
      if (typeof shape === 'string' && /^(hv|vh|hvh|vhv)$/.test(shape)) ya.fromZero = true;
      else ya.padded = true;
      if (!ex && !(typeof shape === 'string' && shape !== 'linear')) xa.padded = true;
    }
    y.forEach((v, i) => {
      extend(ya, v);
      if (ey) {
        extend(ya, v + (ey.up[i] || 0));
        extend(ya, v - (ey.down[i] || 0));
      }
    });
  }
  if (axes.size === 0) {
    axisOf('x', 'x');
    axisOf('y', 'y');
  }

  // The plot area, and each axis's pixels from its domain.
  const legend = legendEntries(traces, layout);
  const colorbar = heatmapRange !== null;
  const left = 64;
  const right = width - 16 - (colorbar ? 72 : 0);
  // Notes above the plot area (comparisonFigure's χ² at paper y = 1) get a line of their own.
  const notesAbove = (Array.isArray(layout.annotations) ? layout.annotations : [])
    .map(obj)
    .some(a => a.yref === 'paper' && Number(a.y) >= 1 && a.yanchor === 'bottom');
  const top = 12 + (title ? 30 : 0) + (notesAbove ? 16 : 0);
  const bottom = height - 48;
  for (const axis of axes.values()) {
    const [d0, d1] =
      numbers(axis.layout.domain).length === 2 ? numbers(axis.layout.domain) : [0, 1];
    if (axis.id[0] === 'x') {
      axis.p0 = left + d0 * (right - left);
      axis.p1 = left + d1 * (right - left);
    } else {
      axis.p0 = bottom - d0 * (bottom - top);
      axis.p1 = bottom - d1 * (bottom - top);
    }
    settleRange(axis);
  }
  // Axes that "match" another share its range (comparisonFigure's x above its panel's).
  for (const axis of axes.values()) {
    const other = axes.get(String(axis.layout.matches ?? ''));
    if (other && !other.log && !axis.log) {
      const lo = Math.min(axis.lo, other.lo);
      const hi = Math.max(axis.hi, other.hi);
      [axis.lo, axis.hi, other.lo, other.hi] = [lo, hi, lo, hi];
    }
  }
  const anchorOf = (axis: Axis): Axis => {
    const letter = axis.id[0] === 'x' ? 'y' : 'x';
    const named = axes.get(String(axis.layout.anchor ?? ''));
    return named ?? axes.get(letter + axis.id.slice(1)) ?? axes.get(letter) ?? axis;
  };

  const out: string[] = [];
  // xlink:href (not SVG 2's href) for the images: older renderers (librsvg, Inkscape 0.9x) read only it.
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="${FONT_SIZE}">`
  );
  if (title) out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="${theme.background}"/>`);

  // Grid lines and zero lines under the data.
  const ticks = new Map<string, { value: number; label: string }[]>();
  const grid: string[] = [];
  const zero: string[] = [];
  for (const axis of axes.values()) {
    const across = anchorOf(axis);
    const t = axisTicks(axis, Math.abs(axis.p1 - axis.p0));
    ticks.set(axis.id, t);
    for (const { value } of t) {
      const p = c(px(axis, value));
      if (axis.id[0] === 'x') grid.push(`M${p} ${c(across.p0)}V${c(across.p1)}`);
      else grid.push(`M${c(across.p0)} ${p}H${c(across.p1)}`);
    }
    if (!axis.log && axis.lo < 0 && axis.hi > 0) {
      const p = c(px(axis, 0));
      zero.push(
        axis.id[0] === 'x'
          ? `M${p} ${c(across.p0)}V${c(across.p1)}`
          : `M${c(across.p0)} ${p}H${c(across.p1)}`
      );
    }
  }
  if (grid.length) out.push(`<path stroke="${theme.grid}" fill="none" d="${grid.join('')}"/>`);
  if (zero.length) out.push(`<path stroke="${theme.axis}" fill="none" d="${zero.join('')}"/>`);

  traces.forEach((trace, index) => {
    const kind = kindOf(trace);
    if (kind === 'other') return;
    const xa = axisOf(trace.xaxis, 'x');
    const ya = axisOf(trace.yaxis, 'y');
    const tint = colour(
      obj(trace.marker).color ?? obj(trace.line).color,
      theme,
      theme.colorway[index % theme.colorway.length]
    );
    if (kind === 'heatmap') out.push(heatmapSvg(trace, xa, ya, heatmapRange!));
    else if (kind === 'bar') out.push(barSvg(trace, xa, ya, tint, bargap));
    else out.push(scatterSvg(trace, xa, ya, tint));
    const x = numbers(trace.x);
    const y = numbers(trace.y);
    for (const [spec, vertical] of [
      [trace.error_y, true],
      [trace.error_x, false]
    ] as const) {
      const e = errorBars(spec, y.length);
      if (e) out.push(errorSvg(e, x, y, xa, ya, vertical, colour(e.colour, theme, tint)));
    }
  });

  // Axis lines, ticks, labels and titles.
  for (const axis of axes.values()) {
    const across = anchorOf(axis);
    const labels = axis.layout.showticklabels !== false;
    const isX = axis.id[0] === 'x';
    const base = across.p0; // x axes along the bottom of their y axis, y axes at the left
    const lines = isX
      ? `M${c(axis.p0)} ${c(base)}H${c(axis.p1)}`
      : `M${c(base)} ${c(axis.p0)}V${c(axis.p1)}`;
    const marks: string[] = [];
    const texts: string[] = [];
    for (const { value, label } of ticks.get(axis.id) ?? []) {
      const p = px(axis, value);
      marks.push(isX ? `M${c(p)} ${c(base)}v5` : `M${c(base)} ${c(p)}h-5`);
      if (!labels) continue;
      texts.push(
        isX
          ? `<text x="${c(p)}" y="${c(base + 18)}">${escapeXml(label)}</text>`
          : `<text x="${c(base - 8)}" y="${c(p + 4)}">${escapeXml(label)}</text>`
      );
    }
    out.push(
      `<path class="axis" data-axis="${axis.id}" stroke="${theme.axis}" fill="none" d="${lines}${marks.join('')}"/>`
    );
    if (texts.length) {
      out.push(
        `<g class="${isX ? 'xtick' : 'ytick'}" data-axis="${axis.id}" fill="${theme.muted}" text-anchor="${isX ? 'middle' : 'end'}">${texts.join('')}</g>`
      );
    }
    const axisTitle = titleText(axis.layout.title);
    if (axisTitle) {
      const mid = c((axis.p0 + axis.p1) / 2);
      out.push(
        isX
          ? `<text x="${mid}" y="${c(base + 38)}" text-anchor="middle" fill="${theme.ink}">${escapeXml(axisTitle)}</text>`
          : `<text transform="translate(${c(base - 48)} ${mid}) rotate(-90)" text-anchor="middle" fill="${theme.ink}">${escapeXml(fitted(axisTitle, Math.abs(axis.p1 - axis.p0)))}</text>`
      );
    }
  }

  if (title) {
    out.push(
      `<text x="${c(width / 2)}" y="28" text-anchor="middle" font-size="16" fill="${theme.ink}">${escapeXml(title)}</text>`
    );
  }
  if (colorbar) out.push(colorbarSvg(traces, heatmapRange!, right + 14, top, bottom, theme));
  out.push(annotationsSvg(layout, left, right, top, bottom, theme));
  if (legend.length) out.push(legendSvg(legend, right, top, theme));
  out.push('</svg>');
  return out.join('');
}

function barSvg(trace: Obj, xa: Axis, ya: Axis, tint: string, bargap: number): string {
  const x = numbers(trace.x);
  const y = numbers(trace.y);
  const w = barWidths(trace, x, bargap);
  const base = px(ya, 0); // a log axis puts 0 at its bottom
  let d = '';
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i]) || y[i] === 0) continue;
    if (ya.log && y[i] <= 0) continue;
    const x0 = c(px(xa, x[i] - w[i] / 2));
    const x1 = c(px(xa, x[i] + w[i] / 2));
    d += `M${x0} ${c(base)}V${c(px(ya, y[i]))}H${x1}V${c(base)}Z`;
  }
  const opacity = obj(trace.marker).opacity;
  const fade = typeof opacity === 'number' && opacity < 1 ? ` fill-opacity="${c(opacity)}"` : '';
  return d ? `<path class="bars" fill="${tint}"${fade} d="${d}"/>` : '';
}

function scatterSvg(trace: Obj, xa: Axis, ya: Axis, tint: string): string {
  const x = numbers(trace.x);
  const y = numbers(trace.y);
  const n = Math.min(x.length, y.length);
  const mode = typeof trace.mode === 'string' ? trace.mode : n < 20 ? 'lines+markers' : 'lines';
  const line = obj(trace.line);
  const shape = typeof line.shape === 'string' ? line.shape : 'linear';
  let svg = '';
  if (mode.includes('lines')) {
    let d = '';
    let last: [string, string] | null = null;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
        last = null;
        continue;
      }
      const p: [string, string] = [c(px(xa, x[i])), c(px(ya, y[i]))];
      // Steps: only the moves that draw something (outlines repeat levels at bin centres).
      const h = last && p[0] !== last[0] ? `H${p[0]}` : '';
      const v = last && p[1] !== last[1] ? `V${p[1]}` : '';
      if (!last) d += `M${p[0]} ${p[1]}`;
      else if (shape === 'hv') d += h + v;
      else if (shape === 'vh') d += v + h;
      else d += `L${p[0]} ${p[1]}`;
      last = p;
    }
    const widthPx = typeof line.width === 'number' ? line.width : 2;
    if (d) {
      svg += `<path class="line" fill="none" stroke="${tint}" stroke-width="${c(widthPx)}" d="${d}"/>`;
    }
  }
  if (mode.includes('markers')) {
    // A dot per point: a zero-length line with round caps, a few bytes each.
    let d = '';
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
      if (!inRange(xa, x[i]) || !inRange(ya, y[i])) continue;
      d += `M${c(px(xa, x[i]))} ${c(px(ya, y[i]))}h0`;
    }
    const size = obj(trace.marker).size;
    const s = typeof size === 'number' ? size : 6;
    if (d) {
      svg += `<path class="markers" fill="none" stroke="${tint}" stroke-width="${c(s)}" stroke-linecap="round" d="${d}"/>`;
    }
  }
  return svg;
}

function errorSvg(
  e: ErrorBars,
  x: number[],
  y: number[],
  xa: Axis,
  ya: Axis,
  vertical: boolean,
  tint: string
): string {
  let d = '';
  const cap = e.width;
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
    const up = e.up[i] || 0;
    const down = e.down[i] || 0;
    if (up === 0 && down === 0) continue;
    if (vertical) {
      const xp = c(px(xa, x[i]));
      const y0 = px(ya, y[i] - down);
      const y1 = px(ya, y[i] + up);
      d += `M${xp} ${c(y0)}V${c(y1)}`;
      if (cap > 0) {
        d += `M${c(px(xa, x[i]) - cap)} ${c(y0)}h${cap * 2}M${c(px(xa, x[i]) - cap)} ${c(y1)}h${cap * 2}`;
      }
    } else {
      const yp = c(px(ya, y[i]));
      const x0 = px(xa, x[i] - down);
      const x1 = px(xa, x[i] + up);
      d += `M${c(x0)} ${yp}H${c(x1)}`;
      if (cap > 0) {
        d += `M${c(x0)} ${c(px(ya, y[i]) - cap)}v${cap * 2}M${c(x1)} ${c(px(ya, y[i]) - cap)}v${cap * 2}`;
      }
    }
  }
  return d
    ? `<path class="errors" fill="none" stroke="${tint}" stroke-width="${c(e.thickness)}" d="${d}"/>`
    : '';
}

/** Palette index of a cell's value, or 255 (transparent) for no value. */
function level(v: number, range: [number, number]): number {
  if (!Number.isFinite(v)) return LEVELS;
  const t = range[1] > range[0] ? (v - range[0]) / (range[1] - range[0]) : 0.5;
  return Math.round(Math.min(1, Math.max(0, t)) * (LEVELS - 1));
}

function hexColour([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map(v => v.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * A heatmap: uniform cells as one PNG image, a pixel per cell (drawn without smoothing);
 * variable cells as rectangles, one path per colour.
 */
function heatmapSvg(trace: Obj, xa: Axis, ya: Axis, range: [number, number]): string {
  const { xEdges, yEdges, z } = heatmapGrid(trace);
  const nx = xEdges.length - 1;
  const ny = yEdges.length - 1;
  if (nx < 1 || ny < 1) return '';
  const colours = palette(trace.colorscale, LEVELS);
  if (isUniform(xEdges) && isUniform(yEdges) && !xa.log && !ya.log) {
    const pixels = new Uint8Array(nx * ny);
    for (let iy = 0; iy < ny; iy++) {
      for (let ix = 0; ix < nx; ix++) {
        pixels[(ny - 1 - iy) * nx + ix] = level(z[iy]?.[ix] ?? NaN, range);
      }
    }
    const png = indexedPng(nx, ny, pixels, [...colours, [0, 0, 0]], LEVELS);
    const x0 = px(xa, xEdges[0]);
    const x1 = px(xa, xEdges[nx]);
    const y0 = px(ya, yEdges[ny]);
    const y1 = px(ya, yEdges[0]);
    return `<image x="${c(x0)}" y="${c(y0)}" width="${c(x1 - x0)}" height="${c(y1 - y0)}" preserveAspectRatio="none" style="image-rendering:pixelated" xlink:href="data:image/png;base64,${base64(png)}"/>`;
  }
  const byLevel = new Map<number, string>();
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const k = level(z[iy]?.[ix] ?? NaN, range);
      if (k === LEVELS) continue;
      const x0 = px(xa, xEdges[ix]);
      const x1 = px(xa, xEdges[ix + 1]);
      const y0 = px(ya, yEdges[iy + 1]);
      const y1 = px(ya, yEdges[iy]);
      const cell = `M${c(x0)} ${c(y0)}H${c(x1)}V${c(y1)}H${c(x0)}Z`;
      byLevel.set(k, (byLevel.get(k) ?? '') + cell);
    }
  }
  return [...byLevel.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, d]) => `<path fill="${hexColour(colours[k])}" d="${d}"/>`)
    .join('');
}

function colorbarSvg(
  traces: Obj[],
  range: [number, number],
  x: number,
  top: number,
  bottom: number,
  theme: Theme
): string {
  const scale = traces.find(t => kindOf(t) === 'heatmap')?.colorscale;
  const colours = palette(scale, LEVELS);
  const png = indexedPng(
    1,
    LEVELS,
    Uint8Array.from({ length: LEVELS }, (_, i) => LEVELS - 1 - i),
    colours
  );
  const axis: Axis = {
    ...newAxis('c', {}),
    lo: range[0],
    hi: range[1] > range[0] ? range[1] : range[0] + 1,
    p0: bottom,
    p1: top
  };
  const labels = axisTicks(axis, bottom - top)
    .map(
      ({ value, label }) =>
        `<text x="${c(x + 20)}" y="${c(px(axis, value) + 4)}">${escapeXml(label)}</text>`
    )
    .join('');
  return (
    `<image x="${c(x)}" y="${c(top)}" width="14" height="${c(bottom - top)}" preserveAspectRatio="none" xlink:href="data:image/png;base64,${base64(png)}"/>` +
    `<g class="colorbar" fill="${theme.muted}">${labels}</g>`
  );
}

interface LegendEntry {
  name: string;
  kind: 'bar' | 'line' | 'markers';
  index: number;
  trace: Obj;
}

/** Named traces in the legend, when the figure shows one (Plotly's default: more than one trace). */
function legendEntries(traces: Obj[], layout: Obj): LegendEntry[] {
  const drawn = traces.filter(t => kindOf(t) === 'bar' || kindOf(t) === 'scatter');
  const show = typeof layout.showlegend === 'boolean' ? layout.showlegend : drawn.length > 1;
  if (!show) return [];
  const entries: LegendEntry[] = [];
  traces.forEach((trace, index) => {
    const kind = kindOf(trace);
    if ((kind !== 'bar' && kind !== 'scatter') || trace.showlegend === false) return;
    const name = plainText(trace.name ?? `trace ${index}`);
    const mode = typeof trace.mode === 'string' ? trace.mode : 'lines';
    entries.push({
      name,
      kind: kind === 'bar' ? 'bar' : mode.includes('lines') ? 'line' : 'markers',
      index,
      trace
    });
  });
  return entries;
}

function legendSvg(entries: LegendEntry[], right: number, top: number, theme: Theme): string {
  const rowHeight = 18;
  const boxWidth = 40 + Math.max(...entries.map(e => textWidth(e.name)));
  const x = right - boxWidth - 6;
  const y = top + 6;
  const rows = entries.map((e, row) => {
    const tint = colour(
      obj(e.trace.marker).color ?? obj(e.trace.line).color,
      theme,
      theme.colorway[e.index % theme.colorway.length]
    );
    const cy = y + 12 + row * rowHeight;
    const symbol =
      e.kind === 'bar'
        ? `<rect x="${c(x + 8)}" y="${c(cy - 5)}" width="18" height="10" fill="${tint}"/>`
        : e.kind === 'line'
          ? `<path stroke="${tint}" stroke-width="2" d="M${c(x + 6)} ${c(cy)}h22"/>`
          : `<path stroke="${tint}" stroke-width="6" stroke-linecap="round" d="M${c(x + 17)} ${c(cy)}h0"/>`;
    return `${symbol}<text x="${c(x + 34)}" y="${c(cy + 4)}" fill="${theme.ink}">${escapeXml(e.name)}</text>`;
  });
  return (
    `<g class="legend"><rect x="${c(x)}" y="${c(y)}" width="${c(boxWidth)}" height="${entries.length * rowHeight + 6}" fill="${theme.background}" fill-opacity="0.85" stroke="${theme.grid}"/>` +
    `${rows.join('')}</g>`
  );
}

/** Text annotations placed on the paper (the whole plot area), e.g. comparisonFigure's χ². */
function annotationsSvg(
  layout: Obj,
  left: number,
  right: number,
  top: number,
  bottom: number,
  theme: Theme
): string {
  const notes = Array.isArray(layout.annotations) ? layout.annotations.map(obj) : [];
  return notes
    .filter(a => a.xref === 'paper' && a.yref === 'paper' && typeof a.text === 'string')
    .map(a => {
      const x = left + Number(a.x ?? 0.5) * (right - left);
      const y = bottom - Number(a.y ?? 0.5) * (bottom - top);
      if (!Number.isFinite(x) || !Number.isFinite(y)) return '';
      const anchor = a.xanchor === 'left' ? 'start' : a.xanchor === 'right' ? 'end' : 'middle';
      const dy = a.yanchor === 'bottom' ? -4 : a.yanchor === 'top' ? 12 : 4;
      return `<text x="${c(x)}" y="${c(Math.max(12, y + dy))}" text-anchor="${anchor}" fill="${theme.ink}">${escapeXml(plainText(a.text))}</text>`;
    })
    .join('');
}
