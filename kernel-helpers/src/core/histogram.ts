import { OpenDataError } from './errors';
import { figureBundle } from './figure-bundle';
import { DisplayBundle, JUPYTER_DISPLAY } from './rich-display';

/** Anything with bin edges and per-bin contents: a Hist1D, or histogram JSON from the CLI. */
export interface HistogramLike {
  readonly edges: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
}

/** The `hist --json` shape of docs/cli.md. */
export interface HistogramJSON {
  edges: number[];
  counts: number[];
  underflow: number;
  overflow: number;
  entries: number;
  sum_weights: number;
}

/** A 2-D histogram as JSON: counts[ix][iy] (numpy.histogram2d's layout), flows summed. */
export interface Histogram2DJSON {
  xedges: number[];
  yedges: number[];
  counts: number[][];
  /** Sum of weights outside the x or y range (any of the eight flow regions). */
  out_of_range: number;
  entries: number;
  sum_weights: number;
}

/**
 * One histogram axis: `bins` uniform bins in [lo, hi), or variable bins given by increasing
 * edges. ROOT's convention: a value equal to an edge belongs to the bin above; below the first
 * edge is underflow, at or above the last is overflow.
 */
export class Axis {
  readonly bins: number;
  readonly lo: number;
  readonly hi: number;
  /** Edges of variable bins; null when uniform. */
  readonly variableEdges: Float64Array | null;
  /**
   * @internal For uniformIndex (uniform axes): bins/width and the edge tolerance, worked out once
   * here (worked out just before the fill loop, V8 compiled the loop 20% slower).
   */
  readonly scale: number = 0;
  /** @internal */
  readonly near: number = 0;

  constructor(binsOrEdges: number | ArrayLike<number>, lo?: number, hi?: number) {
    if (typeof binsOrEdges === 'number') {
      const bins = binsOrEdges;
      if (!Number.isInteger(bins) || bins < 1) {
        throw new OpenDataError(
          'E_USAGE',
          `histogram bins must be a positive integer (got ${bins})`
        );
      }
      if (
        lo === undefined ||
        hi === undefined ||
        !Number.isFinite(lo) ||
        !Number.isFinite(hi) ||
        !(lo < hi)
      ) {
        throw new OpenDataError(
          'E_USAGE',
          `histogram range must be finite with lo < hi (got ${lo}, ${hi})`
        );
      }
      this.bins = bins;
      this.lo = lo;
      this.hi = hi;
      this.variableEdges = null;
      this.scale = bins / (hi - lo);
      this.near = edgeTolerance(bins);
      return;
    }
    const edges = Float64Array.from(binsOrEdges);
    if (edges.length < 2) {
      throw new OpenDataError('E_USAGE', `histogram edges: need at least 2 (got ${edges.length})`);
    }
    for (let i = 0; i < edges.length; i++) {
      if (!Number.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
        throw new OpenDataError(
          'E_USAGE',
          `histogram edges must be finite and strictly increasing (edge ${i} is ${edges[i]})`
        );
      }
    }
    this.bins = edges.length - 1;
    this.lo = edges[0];
    this.hi = edges[this.bins];
    this.variableEdges = edges;
  }

  /** bins + 1 edges; the last one is exactly hi. */
  get edges(): Float64Array {
    if (this.variableEdges !== null) return this.variableEdges.slice();
    const { bins, lo, hi } = this;
    const e = new Float64Array(bins + 1);
    for (let i = 0; i < bins; i++) e[i] = lo + ((hi - lo) * i) / bins;
    e[bins] = hi;
    return e;
  }

  /**
   * ROOT's bin number of x: 0 underflow, 1..bins in range, bins + 1 overflow; -1 for NaN.
   */
  find(x: number): number {
    if (x !== x) return -1;
    if (x < this.lo) return 0;
    if (x >= this.hi) return this.bins + 1;
    const edges = this.variableEdges;
    if (edges === null) {
      return uniformIndex(x, this.lo, this.bins, this.hi - this.lo, this.scale, this.near) + 1;
    }
    let a = 0; // edges[a] <= x < edges[b]
    let b = this.bins;
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (x >= edges[mid]) a = mid;
      else b = mid;
    }
    return a + 1;
  }

  sameAs(other: Axis): boolean {
    if (this.bins !== other.bins) return false;
    const a = this.edges;
    const b = other.edges;
    return a.every((e, i) => e === b[i]);
  }

  /** The axis with every `factor` adjacent bins merged. */
  rebinned(factor: number): Axis {
    if (!Number.isInteger(factor) || factor < 1 || this.bins % factor !== 0) {
      throw new OpenDataError(
        'E_USAGE',
        `rebin: the factor must be a positive integer dividing the ${this.bins} bins (got ${factor})`
      );
    }
    if (this.variableEdges === null) return new Axis(this.bins / factor, this.lo, this.hi);
    return new Axis(this.variableEdges.filter((_, i) => i % factor === 0));
  }
}

/** Weighted moments of the in-range values (from the values, not bin centres, as ROOT does). */
interface Moments {
  sumw: number;
  sumwx: number;
  sumwx2: number;
}

function meanOf(m: Moments): number {
  return m.sumw === 0 ? NaN : m.sumwx / m.sumw;
}

function stdOf(m: Moments): number {
  if (m.sumw === 0) return NaN;
  const mean = m.sumwx / m.sumw;
  return Math.sqrt(Math.max(0, m.sumwx2 / m.sumw - mean * mean));
}

/**
 * How close to a whole number the bin coordinate (x − lo)·bins/width must come before
 * uniformIndex works it out ROOT's way: far above the few ulps by which the two ways differ.
 */
function edgeTolerance(bins: number): number {
  return 1e-9 + bins * 1e-13;
}

/**
 * ROOT's in-range bin index (from 0) of lo ≤ x < hi on a uniform axis: ⌊bins·(x − lo)/width⌋,
 * found by a multiply with scale = bins/width. The two differ by a few ulps at most, so only a
 * coordinate that close to a bin edge takes ROOT's division (a division per value would halve
 * the fill rate). Rounding can reach `bins` for x just below hi: that is the last bin. Small, so
 * V8 inlines it into the fill loops.
 */
function uniformIndex(
  x: number,
  lo: number,
  bins: number,
  width: number,
  scale: number,
  near: number
): number {
  const t = (x - lo) * scale;
  let b = t | 0; // t ≥ 0: floor
  const f = t - b;
  if (f < near || f > 1 - near) b = ((bins * (x - lo)) / width) | 0;
  return b < bins ? b : bins - 1;
}

function checkWeights(values: ArrayLike<number>, weights: ArrayLike<number>): void {
  if (weights.length !== values.length) {
    throw new OpenDataError(
      'E_USAGE',
      `histogram fill: ${values.length} values but ${weights.length} weights`
    );
  }
}

/**
 * A 1-D histogram filled by ROOT's convention: bin = floor(bins·(x−lo)/(hi−lo)); x < lo goes to
 * underflow, x ≥ hi to overflow; NaN is skipped. Uniform bins (`new Hist1D(bins, lo, hi)`) or
 * variable bins (`new Hist1D(edges)`). Contents are sums of weights (1 per value when unweighted),
 * with the sum of squared weights kept per bin. Browser-safe; filling allocates nothing per value.
 */
export class Hist1D implements HistogramLike {
  readonly axis: Axis;
  readonly bins: number;
  readonly lo: number;
  readonly hi: number;
  /** Sum of weights per in-range bin. */
  readonly counts: Float64Array;
  underflow = 0;
  overflow = 0;
  /** Values filled, in range or not (NaN values and NaN weights are not counted), as ROOT's GetEntries. */
  entries = 0;
  // Sum of squared weights per bin, flows at [bins] (under) and [bins + 1] (over): allocated on the
  // first weighted fill (unweighted, it equals the contents).
  private _sumw2: Float64Array | null = null;
  private _moments: Moments = { sumw: 0, sumwx: 0, sumwx2: 0 };

  constructor(bins: number, lo: number, hi: number);
  constructor(edges: ArrayLike<number>);
  constructor(binsOrEdges: number | ArrayLike<number>, lo?: number, hi?: number) {
    this.axis = new Axis(binsOrEdges, lo, hi);
    this.bins = this.axis.bins;
    this.lo = this.axis.lo;
    this.hi = this.axis.hi;
    this.counts = new Float64Array(this.bins);
  }

  /** Fills every value (with its weight when `weights` is given). Returns this for chaining. */
  fill(values: ArrayLike<number>, weights?: ArrayLike<number>): this {
    if (weights !== undefined) {
      checkWeights(values, weights);
      this._sumw2 ??= this._unweightedSumw2();
    }
    if (this.axis.variableEdges !== null) return this._fillVariable(values, weights);
    if (weights !== undefined) return this._fillWeighted(values, weights);
    return this._fillUniform(values);
  }

  // One small method per fill loop, so each hot loop is optimised on its own.
  private _fillUniform(values: ArrayLike<number>): this {
    const { bins, lo, hi, scale, near } = this.axis;
    const counts = this.counts;
    const sumw2 = this._sumw2;
    const width = hi - lo;
    const n = values.length;
    let under = 0;
    let over = 0;
    let nan = 0;
    let sumwx = 0;
    let sumwx2 = 0;
    for (let i = 0; i < n; i++) {
      const x = values[i];
      // NaN fails both comparisons, so it is tested for only where in-range values go.
      if (x < lo) {
        under++;
      } else if (x >= hi) {
        over++;
      } else if (x === x) {
        const b = uniformIndex(x, lo, bins, width, scale, near);
        counts[b]++;
        if (sumw2 !== null) sumw2[b]++;
        sumwx += x;
        sumwx2 += x * x;
      } else {
        nan++;
      }
    }
    if (sumw2 !== null) {
      sumw2[bins] += under;
      sumw2[bins + 1] += over;
    }
    return this._add(under, over, n - nan, n - nan - under - over, sumwx, sumwx2);
  }

  private _fillWeighted(values: ArrayLike<number>, weights: ArrayLike<number>): this {
    const { bins, lo, hi, counts } = this;
    const { scale, near } = this.axis;
    const width = hi - lo;
    const sumw2 = this._sumw2!;
    let under = 0;
    let over = 0;
    let entries = 0;
    let sumw = 0;
    let sumwx = 0;
    let sumwx2 = 0;
    for (let i = 0, n = values.length; i < n; i++) {
      const x = values[i];
      const w = weights[i];
      if (x !== x || w !== w) continue; // NaN value or weight
      entries++;
      if (x < lo) {
        under += w;
        sumw2[bins] += w * w;
      } else if (x >= hi) {
        over += w;
        sumw2[bins + 1] += w * w;
      } else {
        const b = uniformIndex(x, lo, bins, width, scale, near);
        counts[b] += w;
        sumw2[b] += w * w;
        sumw += w;
        sumwx += w * x;
        sumwx2 += w * x * x;
      }
    }
    return this._add(under, over, entries, sumw, sumwx, sumwx2);
  }

  private _fillVariable(values: ArrayLike<number>, weights?: ArrayLike<number>): this {
    const { bins, counts, axis } = this;
    const sumw2 = this._sumw2;
    let under = 0;
    let over = 0;
    let entries = 0;
    let sumw = 0;
    let sumwx = 0;
    let sumwx2 = 0;
    for (let i = 0, n = values.length; i < n; i++) {
      const x = values[i];
      const w = weights === undefined ? 1 : weights[i];
      const b = axis.find(x);
      if (b < 0 || w !== w) continue;
      entries++;
      if (b === 0) {
        under += w;
        if (sumw2 !== null) sumw2[bins] += w * w;
      } else if (b > bins) {
        over += w;
        if (sumw2 !== null) sumw2[bins + 1] += w * w;
      } else {
        counts[b - 1] += w;
        if (sumw2 !== null) sumw2[b - 1] += w * w;
        sumw += w;
        sumwx += w * x;
        sumwx2 += w * x * x;
      }
    }
    return this._add(under, over, entries, sumw, sumwx, sumwx2);
  }

  private _add(
    under: number,
    over: number,
    entries: number,
    sumw: number,
    sumwx: number,
    sumwx2: number
  ): this {
    this.underflow += under;
    this.overflow += over;
    this.entries += entries;
    this._moments.sumw += sumw;
    this._moments.sumwx += sumwx;
    this._moments.sumwx2 += sumwx2;
    return this;
  }

  // Unweighted fills so far had w² = w = 1: their sum of squares is the contents.
  private _unweightedSumw2(): Float64Array {
    const s = new Float64Array(this.bins + 2);
    s.set(this.counts);
    s[this.bins] = this.underflow;
    s[this.bins + 1] = this.overflow;
    return s;
  }

  /** bins + 1 edges; the last one is exactly hi. */
  get edges(): Float64Array {
    return this.axis.edges;
  }

  get centers(): Float64Array {
    const e = this.edges;
    const c = new Float64Array(this.bins);
    for (let i = 0; i < this.bins; i++) c[i] = (e[i] + e[i + 1]) / 2;
    return c;
  }

  /** Bin widths. */
  get widths(): Float64Array {
    const e = this.edges;
    return this.counts.map((_, i) => e[i + 1] - e[i]);
  }

  /** Sum of squared weights per bin (equals counts when every fill was unweighted). */
  get sumw2(): Float64Array {
    return this._sumw2 ? this._sumw2.slice(0, this.bins) : this.counts.slice();
  }

  /** Statistical error per bin: sqrt(sum of squared weights). */
  get errors(): Float64Array {
    return this.sumw2.map(Math.sqrt);
  }

  /** Sum of weights in the in-range bins (ROOT's GetSumOfWeights: no under/overflow). */
  get sumWeights(): number {
    let s = 0;
    for (let i = 0; i < this.bins; i++) s += this.counts[i];
    return s;
  }

  /** Weighted mean of the in-range values filled; NaN when none. */
  get mean(): number {
    return meanOf(this._moments);
  }

  /** Weighted standard deviation (population) of the in-range values filled; NaN when none. */
  get std(): number {
    return stdOf(this._moments);
  }

  /** A copy (same binning, contents, flows, sums of squares and moments). */
  clone(): Hist1D {
    const h = this._empty(this.axis);
    h.counts.set(this.counts);
    h._copyStats(this);
    h._sumw2 = this._sumw2 ? this._sumw2.slice() : null;
    return h;
  }

  /**
   * This histogram plus `scale`·other (same edges required), as ROOT's Add: contents, flows,
   * entries and moments add; sums of squared weights add with scale².
   */
  add(other: Hist1D, scale = 1): this {
    if (!this.axis.sameAs(other.axis)) {
      throw new OpenDataError('E_USAGE', 'histogram add: the two histograms have different bins');
    }
    if (scale !== 1 || this._sumw2 !== null || other._sumw2 !== null) {
      const mine = (this._sumw2 ??= this._unweightedSumw2());
      const theirs = other._sumw2 ?? other._unweightedSumw2();
      for (let i = 0; i < mine.length; i++) mine[i] += scale * scale * theirs[i];
    }
    for (let i = 0; i < this.bins; i++) this.counts[i] += scale * other.counts[i];
    this.underflow += scale * other.underflow;
    this.overflow += scale * other.overflow;
    this.entries += other.entries;
    this._moments.sumw += scale * other._moments.sumw;
    this._moments.sumwx += scale * other._moments.sumwx;
    this._moments.sumwx2 += scale * other._moments.sumwx2;
    return this;
  }

  /** Multiplies contents and flows by `factor` (sums of squares by factor²), as ROOT's Scale. */
  scale(factor: number): this {
    if (!Number.isFinite(factor)) {
      throw new OpenDataError(
        'E_USAGE',
        `histogram scale: the factor must be finite (got ${factor})`
      );
    }
    this._sumw2 ??= this._unweightedSumw2();
    for (let i = 0; i < this._sumw2.length; i++) this._sumw2[i] *= factor * factor;
    for (let i = 0; i < this.bins; i++) this.counts[i] *= factor;
    this.underflow *= factor;
    this.overflow *= factor;
    // Moments are ratios of weighted sums: scaling them all keeps mean and std.
    this._moments.sumw *= factor;
    this._moments.sumwx *= factor;
    this._moments.sumwx2 *= factor;
    return this;
  }

  /**
   * A normalised copy: in-range contents sum to 1 or, with `density`, integrate to 1 (contents
   * divided by the bin width as well, as numpy's density=True).
   */
  normalized(options: { density?: boolean } = {}): Hist1D {
    const total = this.sumWeights;
    if (total === 0) {
      throw new OpenDataError('E_USAGE', 'histogram normalise: the in-range contents sum to 0');
    }
    const h = this.clone().scale(1 / total);
    if (options.density) {
      const widths = this.widths;
      const sumw2 = h._sumw2!;
      for (let i = 0; i < this.bins; i++) {
        h.counts[i] /= widths[i];
        sumw2[i] /= widths[i] * widths[i];
      }
    }
    return h;
  }

  /** A copy with every `factor` adjacent bins merged (factor must divide the number of bins). */
  rebin(factor: number): Hist1D {
    const h = this._empty(this.axis.rebinned(factor));
    for (let i = 0; i < this.bins; i++) h.counts[(i / factor) | 0] += this.counts[i];
    if (this._sumw2 !== null) {
      const s = new Float64Array(h.bins + 2);
      for (let i = 0; i < this.bins; i++) s[(i / factor) | 0] += this._sumw2[i];
      s[h.bins] = this._sumw2[this.bins];
      s[h.bins + 1] = this._sumw2[this.bins + 1];
      h._sumw2 = s;
    }
    h._copyStats(this);
    return h;
  }

  private _empty(axis: Axis): Hist1D {
    return axis.variableEdges !== null
      ? new Hist1D(axis.variableEdges)
      : new Hist1D(axis.bins, axis.lo, axis.hi);
  }

  private _copyStats(from: Hist1D): void {
    this.underflow = from.underflow;
    this.overflow = from.overflow;
    this.entries = from.entries;
    this._moments = { ...from._moments };
  }

  toJSON(): HistogramJSON {
    return {
      edges: Array.from(this.edges),
      counts: Array.from(this.counts),
      underflow: this.underflow,
      overflow: this.overflow,
      entries: this.entries,
      sum_weights: this.sumWeights
    };
  }

  /** A cell ending with a histogram shows its plot (see rich-display.ts). */
  [JUPYTER_DISPLAY](): DisplayBundle {
    return figureBundle(this); // the figure, its SVG picture and a text summary, as show() sends
  }
}

/**
 * A 2-D histogram with ROOT's convention on each axis (uniform or variable bins). Cells hold sums
 * of weights, flows included: cell (bx, by) with bx, by ROOT bin numbers (0 underflow, bins + 1
 * overflow). Browser-safe; filling allocates nothing per value.
 */
export class Hist2D {
  readonly x: Axis;
  readonly y: Axis;
  /** Values filled, in range or not (NaN skipped). */
  entries = 0;
  // (x.bins + 2) × (y.bins + 2) cells, x fastest: index by·(x.bins + 2) + bx.
  private readonly _cells: Float64Array;
  private _sumw2: Float64Array | null = null;
  private _mx: Moments = { sumw: 0, sumwx: 0, sumwx2: 0 };
  private _my: Moments = { sumw: 0, sumwx: 0, sumwx2: 0 };

  /** E.g. `new Hist2D(new Axis(50, 0, 100), new Axis([0, 1, 2, 5]))`. */
  constructor(x: Axis, y: Axis) {
    this.x = x;
    this.y = y;
    this._cells = new Float64Array((this.x.bins + 2) * (this.y.bins + 2));
  }

  /** Fills pairs (xs[i], ys[i]) with optional weights; pairs with a NaN are skipped. */
  fill(xs: ArrayLike<number>, ys: ArrayLike<number>, weights?: ArrayLike<number>): this {
    if (ys.length !== xs.length) {
      throw new OpenDataError(
        'E_USAGE',
        `histogram fill: ${xs.length} x values but ${ys.length} y values`
      );
    }
    if (weights !== undefined) {
      checkWeights(xs, weights);
      this._sumw2 ??= this._cells.slice();
    }
    const { x, y } = this;
    const cells = this._cells;
    const sumw2 = this._sumw2;
    const stride = x.bins + 2;
    const mx = this._mx;
    const my = this._my;
    let entries = 0;
    for (let i = 0, n = xs.length; i < n; i++) {
      const xv = xs[i];
      const yv = ys[i];
      const w = weights === undefined ? 1 : weights[i];
      const bx = x.find(xv);
      const by = y.find(yv);
      if (bx < 0 || by < 0 || w !== w) continue;
      entries++;
      const k = by * stride + bx;
      cells[k] += w;
      if (sumw2 !== null) sumw2[k] += w * w;
      if (bx >= 1 && bx <= x.bins && by >= 1 && by <= y.bins) {
        mx.sumw += w;
        mx.sumwx += w * xv;
        mx.sumwx2 += w * xv * xv;
        my.sumw += w;
        my.sumwx += w * yv;
        my.sumwx2 += w * yv * yv;
      }
    }
    this.entries += entries;
    return this;
  }

  /** Contents of ROOT bin (bx, by), flows included (0 and bins + 1). */
  at(bx: number, by: number): number {
    return this._cells[by * (this.x.bins + 2) + bx];
  }

  /** In-range contents, x fastest: counts[iy·x.bins + ix] (Plotly's z row by row). */
  get counts(): Float64Array {
    return this._inRange(this._cells);
  }

  /** Sums of squared weights of the in-range cells, laid out as counts. */
  get sumw2(): Float64Array {
    return this._inRange(this._sumw2 ?? this._cells);
  }

  get sumWeights(): number {
    let s = 0;
    for (const c of this.counts) s += c;
    return s;
  }

  /** Sum of weights outside the range on x or y. */
  get outOfRange(): number {
    let all = 0;
    for (const c of this._cells) all += c;
    return all - this.sumWeights;
  }

  get meanX(): number {
    return meanOf(this._mx);
  }

  get meanY(): number {
    return meanOf(this._my);
  }

  get stdX(): number {
    return stdOf(this._mx);
  }

  get stdY(): number {
    return stdOf(this._my);
  }

  private _inRange(cells: Float64Array): Float64Array {
    const nx = this.x.bins;
    const ny = this.y.bins;
    const out = new Float64Array(nx * ny);
    for (let iy = 0; iy < ny; iy++) {
      const row = (iy + 1) * (nx + 2) + 1;
      out.set(cells.subarray(row, row + nx), iy * nx);
    }
    return out;
  }

  toJSON(): Histogram2DJSON {
    const nx = this.x.bins;
    const ny = this.y.bins;
    const z = this.counts;
    const counts: number[][] = [];
    for (let ix = 0; ix < nx; ix++) {
      const column: number[] = new Array(ny);
      for (let iy = 0; iy < ny; iy++) column[iy] = z[iy * nx + ix];
      counts.push(column);
    }
    return {
      xedges: Array.from(this.x.edges),
      yedges: Array.from(this.y.edges),
      counts,
      out_of_range: this.outOfRange,
      entries: this.entries,
      sum_weights: this.sumWeights
    };
  }

  /** A cell ending with a 2-D histogram shows its heatmap (see rich-display.ts). */
  [JUPYTER_DISPLAY](): DisplayBundle {
    return figureBundle(this); // the figure, its SVG picture and a text summary, as show() sends
  }
}
