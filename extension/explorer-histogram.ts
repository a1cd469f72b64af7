// One histogram of the explorer, drawn in SVG (colours from the theme's CSS variables, so light,
// dark and theme changes need no redraw), with a brush: dragging selects a range of bins.

const SVG_NS = 'http://www.w3.org/2000/svg';
const W = 320;
const H = 150;
const PAD = { left: 44, right: 8, top: 8, bottom: 20 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

function svg<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number> = {}
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, String(v));
  return el;
}

/** A number for an axis label: 4 significant digits, no trailing zeros. */
export function axisNumber(v: number): string {
  return String(Number(v.toPrecision(4)));
}

let clipIds = 0;

export interface HistogramView {
  /** Selected events per bin ([under, bins..., over, missing] as the filter keeps them). */
  counts: ArrayLike<number>;
  /** All events per bin, same layout: a faint outline. */
  totals: ArrayLike<number>;
  /** A reference outline: edges in value units and heights in events per shown bin. */
  reference: { edges: ArrayLike<number>; heights: ArrayLike<number> } | null;
  log: boolean;
  /** The brushed bins [first, end) or null. */
  brush: [number, number] | null;
}

/**
 * The SVG of one column's histogram. `onBrush` gets bin ranges [first, end) while dragging, and
 * null for a click without a drag (clear the cut).
 */
export class HistogramPlot {
  readonly node: SVGSVGElement;

  constructor(
    private readonly lo: number,
    private readonly hi: number,
    label: string,
    private readonly onBrush: (bins: [number, number] | null, final: boolean) => void
  ) {
    this.node = svg('svg', {
      viewBox: `0 0 ${W} ${H}`,
      class: 'odl-Explorer-plot',
      role: 'img',
      'aria-label': label
    });
    const clip = `odl-explorer-clip-${++clipIds}`;
    const clipPath = svg('clipPath', { id: clip });
    clipPath.appendChild(
      svg('rect', { x: PAD.left, y: PAD.top, width: PLOT_W, height: PLOT_H + 1 })
    );
    const defs = svg('defs');
    defs.appendChild(clipPath);
    this._total = svg('path', { class: 'odl-Explorer-total', 'clip-path': `url(#${clip})` });
    this._bars = svg('g', { class: 'odl-Explorer-bars' });
    this._reference = svg('path', { class: 'odl-Explorer-reference' });
    this._brushRect = svg('rect', {
      class: 'odl-Explorer-brush',
      y: PAD.top,
      height: PLOT_H,
      visibility: 'hidden'
    });
    this._axis = svg('path', {
      class: 'odl-Explorer-axis',
      d: `M${PAD.left} ${PAD.top}V${PAD.top + PLOT_H}H${PAD.left + PLOT_W}`
    });
    this._top = svg('text', { class: 'odl-Explorer-tick', x: PAD.left - 4, y: PAD.top + 8 });
    this._top.setAttribute('text-anchor', 'end');
    const zero = svg('text', { class: 'odl-Explorer-tick', x: PAD.left - 4, y: PAD.top + PLOT_H });
    zero.setAttribute('text-anchor', 'end');
    this._bottom = zero;
    const loText = svg('text', { class: 'odl-Explorer-tick', x: PAD.left, y: H - 4 });
    loText.textContent = axisNumber(lo);
    const hiText = svg('text', {
      class: 'odl-Explorer-tick',
      x: PAD.left + PLOT_W,
      y: H - 4,
      'text-anchor': 'end'
    });
    hiText.textContent = axisNumber(hi);
    this.node.append(
      defs,
      this._total,
      this._bars,
      this._reference,
      this._brushRect,
      this._axis,
      this._top,
      this._bottom,
      loText,
      hiText
    );
    this.node.addEventListener('pointerdown', this._down);
  }

  /** Bars of the selected counts (rects, kept between draws), outlines, brush. */
  draw(view: HistogramView): void {
    const bins = view.counts.length - 3;
    if (bins !== this._rects.length) this._makeBars(bins);
    let top = 0;
    for (let b = 1; b <= bins; b++) top = Math.max(top, view.counts[b]);
    const ref = view.reference;
    if (ref) for (let j = 0; j < ref.heights.length; j++) top = Math.max(top, ref.heights[j]);
    top = top > 0 ? top : 1;
    const logTop = Math.log10(top * 1.5);
    const bottomLog = -0.3; // log10(0.5): a count of 1 is drawn
    const y = view.log
      ? (v: number) =>
          v <= 0
            ? PAD.top + PLOT_H
            : PAD.top + PLOT_H - ((Math.log10(v) - bottomLog) / (logTop - bottomLog)) * PLOT_H
      : (v: number) => PAD.top + PLOT_H - (v / (top * 1.05)) * PLOT_H;
    const base = PAD.top + PLOT_H;
    for (let b = 0; b < bins; b++) {
      const count = view.counts[b + 1];
      const rect = this._rects[b];
      const yTop = Math.min(y(count), base);
      if (this._shown[b] !== count || this._scaleKey !== `${top}/${view.log}`) {
        rect.setAttribute('y', yTop.toFixed(2));
        rect.setAttribute('height', (base - yTop).toFixed(2));
        rect.setAttribute('data-count', String(count));
        this._shown[b] = count;
      }
    }
    this._scaleKey = `${top}/${view.log}`;
    // the tallest bar's count, level with it
    this._top.textContent = axisNumber(top);
    this._top.setAttribute('y', (y(top) + 4).toFixed(1));
    this._bottom.textContent = view.log ? '0.5' : '0';
    this._total.setAttribute('d', this._step(bins, view.totals, y, 1));
    if (ref) {
      let d = `M${this._x(ref.edges[0]).toFixed(1)} ${base}`;
      for (let j = 0; j < ref.heights.length; j++) {
        d += `V${Math.min(y(ref.heights[j]), base).toFixed(1)}H${this._x(ref.edges[j + 1]).toFixed(1)}`;
      }
      this._reference.setAttribute('d', `${d}V${base}`);
    } else {
      this._reference.removeAttribute('d');
    }
    this._drawBrush(view.brush, bins);
  }

  dispose(): void {
    this.node.removeEventListener('pointerdown', this._down);
  }

  private _x(v: number): number {
    return PAD.left + ((v - this.lo) / (this.hi - this.lo)) * PLOT_W;
  }

  private _step(
    bins: number,
    values: ArrayLike<number>,
    y: (v: number) => number,
    offset: number
  ): string {
    const width = PLOT_W / bins;
    const base = PAD.top + PLOT_H;
    let d = `M${PAD.left} ${base}`;
    for (let b = 0; b < bins; b++) {
      d += `V${Math.min(y(values[b + offset]), base).toFixed(1)}h${width.toFixed(3)}`;
    }
    return `${d}V${base}`;
  }

  private _makeBars(bins: number): void {
    this._bars.textContent = '';
    this._rects = [];
    this._shown = new Float64Array(bins).fill(-1);
    const width = PLOT_W / bins;
    for (let b = 0; b < bins; b++) {
      const rect = svg('rect', {
        class: 'odl-Explorer-bar',
        x: (PAD.left + b * width).toFixed(2),
        width: Math.max(width - (bins <= 100 ? 0.5 : 0), 0.3).toFixed(2),
        y: PAD.top + PLOT_H,
        height: 0
      });
      this._rects.push(rect);
    }
    this._bars.append(...this._rects);
  }

  private _drawBrush(brush: [number, number] | null, bins: number): void {
    if (!brush || brush[1] <= brush[0]) {
      this._brushRect.setAttribute('visibility', 'hidden');
      return;
    }
    const width = PLOT_W / bins;
    this._brushRect.setAttribute('x', (PAD.left + brush[0] * width).toFixed(2));
    this._brushRect.setAttribute('width', ((brush[1] - brush[0]) * width).toFixed(2));
    this._brushRect.setAttribute('visibility', 'visible');
  }

  /** The bin edge (0..bins) nearest to a pointer position. */
  private _edgeAt(clientX: number): number {
    const box = this.node.getBoundingClientRect();
    const x = ((clientX - box.left) / box.width) * W;
    const bins = this._rects.length;
    return Math.max(0, Math.min(bins, Math.round(((x - PAD.left) / PLOT_W) * bins)));
  }

  private readonly _down = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    event.preventDefault();
    const start = this._edgeAt(event.clientX);
    const startX = event.clientX;
    let moved = false;
    this.node.setPointerCapture?.(event.pointerId);
    const range = (x: number): [number, number] => {
      const edge = this._edgeAt(x);
      return edge >= start ? [start, edge] : [edge, start];
    };
    const move = (e: PointerEvent) => {
      if (!moved && Math.abs(e.clientX - startX) < 3) return;
      moved = true;
      const r = range(e.clientX);
      if (r[1] > r[0]) this.onBrush(r, false);
    };
    const up = (e: PointerEvent) => {
      this.node.removeEventListener('pointermove', move);
      this.node.removeEventListener('pointerup', up);
      this.node.removeEventListener('pointercancel', up);
      const r = range(e.clientX);
      this.onBrush(moved && r[1] > r[0] ? r : null, true);
    };
    this.node.addEventListener('pointermove', move);
    this.node.addEventListener('pointerup', up);
    this.node.addEventListener('pointercancel', up);
  };

  private readonly _total: SVGPathElement;
  private readonly _bars: SVGGElement;
  private readonly _reference: SVGPathElement;
  private readonly _brushRect: SVGRectElement;
  private readonly _axis: SVGPathElement;
  private readonly _top: SVGTextElement;
  private readonly _bottom: SVGTextElement;
  private _rects: SVGRectElement[] = [];
  private _shown = new Float64Array(0);
  private _scaleKey = '';
}
