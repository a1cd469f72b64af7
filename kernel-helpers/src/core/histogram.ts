import { OpenDataError } from './errors';

/** Anything with bin edges and per-bin contents: a Hist1D, or histogram JSON from the CLI. */
export interface HistogramLike {
  readonly edges: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
}

/** The `hist --json` shape of DESIGN.md. */
export interface HistogramJSON {
  edges: number[];
  counts: number[];
  underflow: number;
  overflow: number;
  entries: number;
  sum_weights: number;
}

/**
 * A 1-D histogram with uniform bins, filled by ROOT's convention:
 * bin = floor(bins·(x−lo)/(hi−lo)); x < lo goes to underflow, x ≥ hi to overflow; NaN is skipped.
 * Contents are sums of weights (1 per value when unweighted). Browser-safe.
 */
export class Hist1D implements HistogramLike {
  readonly bins: number;
  readonly lo: number;
  readonly hi: number;
  /** Sum of weights per in-range bin. */
  readonly counts: Float64Array;
  underflow = 0;
  overflow = 0;
  /** Values filled, in range or not (NaN values and NaN weights are not counted), as ROOT's GetEntries. */
  entries = 0;
  // Sum of squared weights per bin: allocated on the first weighted fill (unweighted, it equals counts).
  private _sumw2: Float64Array | null = null;
  // Moments of the in-range values, from the values themselves (not bin centres), as ROOT does.
  private _sumw = 0;
  private _sumwx = 0;
  private _sumwx2 = 0;

  constructor(bins: number, lo: number, hi: number) {
    if (!Number.isInteger(bins) || bins < 1) {
      throw new OpenDataError('E_USAGE', `histogram bins must be a positive integer (got ${bins})`);
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
      throw new OpenDataError(
        'E_USAGE',
        `histogram range must be finite with lo < hi (got ${lo}, ${hi})`
      );
    }
    this.bins = bins;
    this.lo = lo;
    this.hi = hi;
    this.counts = new Float64Array(bins);
  }

  /** Fills every value (with its weight when `weights` is given). Returns this for chaining. */
  fill(values: ArrayLike<number>, weights?: ArrayLike<number>): this {
    if (weights !== undefined) return this._fillWeighted(values, weights);
    const { bins, lo, hi, counts } = this;
    const width = hi - lo;
    const last = bins - 1;
    const sumw2 = this._sumw2;
    let under = 0;
    let over = 0;
    let entries = 0;
    let sumw = 0;
    let sumwx = 0;
    let sumwx2 = 0;
    for (let i = 0, n = values.length; i < n; i++) {
      const x = values[i];
      if (x !== x) continue; // NaN
      entries++;
      if (x < lo) {
        under++;
      } else if (x >= hi) {
        over++;
      } else {
        let b = Math.floor((bins * (x - lo)) / width);
        if (b > last) b = last; // rounding can reach `bins` for x just below hi
        counts[b]++;
        if (sumw2 !== null) sumw2[b]++;
        sumw++;
        sumwx += x;
        sumwx2 += x * x;
      }
    }
    this.underflow += under;
    this.overflow += over;
    this.entries += entries;
    this._sumw += sumw;
    this._sumwx += sumwx;
    this._sumwx2 += sumwx2;
    return this;
  }

  private _fillWeighted(values: ArrayLike<number>, weights: ArrayLike<number>): this {
    if (weights.length !== values.length) {
      throw new OpenDataError(
        'E_USAGE',
        `histogram fill: ${values.length} values but ${weights.length} weights`
      );
    }
    const { bins, lo, hi, counts } = this;
    const width = hi - lo;
    const last = bins - 1;
    const sumw2 = (this._sumw2 ??= Float64Array.from(counts)); // unweighted fills so far had w² = w = 1
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
      } else if (x >= hi) {
        over += w;
      } else {
        let b = Math.floor((bins * (x - lo)) / width);
        if (b > last) b = last;
        counts[b] += w;
        sumw2[b] += w * w;
        sumw += w;
        sumwx += w * x;
        sumwx2 += w * x * x;
      }
    }
    this.underflow += under;
    this.overflow += over;
    this.entries += entries;
    this._sumw += sumw;
    this._sumwx += sumwx;
    this._sumwx2 += sumwx2;
    return this;
  }

  /** bins + 1 edges; the last one is exactly hi. */
  get edges(): Float64Array {
    const e = new Float64Array(this.bins + 1);
    for (let i = 0; i <= this.bins; i++) e[i] = this.lo + ((this.hi - this.lo) * i) / this.bins;
    e[this.bins] = this.hi;
    return e;
  }

  get centers(): Float64Array {
    const e = this.edges;
    const c = new Float64Array(this.bins);
    for (let i = 0; i < this.bins; i++) c[i] = (e[i] + e[i + 1]) / 2;
    return c;
  }

  /** Sum of squared weights per bin (equals counts when every fill was unweighted). */
  get sumw2(): Float64Array {
    return this._sumw2 ? this._sumw2.slice() : this.counts.slice();
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
    return this._sumw === 0 ? NaN : this._sumwx / this._sumw;
  }

  /** Weighted standard deviation (population) of the in-range values filled; NaN when none. */
  get std(): number {
    if (this._sumw === 0) return NaN;
    const m = this._sumwx / this._sumw;
    return Math.sqrt(Math.max(0, this._sumwx2 / this._sumw - m * m));
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
}
