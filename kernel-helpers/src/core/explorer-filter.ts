// The explorer's linked histograms (crossfilter semantics): each column's histogram counts the
// events that pass every cut but its own. Browser-safe, typed arrays only.
//
// Per event one bit per column says "fails this column's cut". Moving a cut flips the bits of the
// events between the old and the new range only: they are found through a per-column index of
// the events sorted by code (a counting sort), and each flip updates just the histograms whose
// count changes (an event failing two other cuts changes none; failing one other, only that one's
// histogram). A brush move costs the events it crosses, not all events.
//
// Memory layout for that loop, where events come in code order (random in memory): each event's
// bin slots of every column sit side by side (one cache line per event, not one per column), and
// a slot is already the index into one array of all histograms (column e's at e × STRIDE).
import { CODE_MISSING, overflowCode } from './explorer-encoding';
import { OpenDataError } from './errors';

/** One column for the engine: its codes (see explorer-encoding) and levels. */
export interface FilterColumn {
  codes: Uint16Array;
  levels: number;
}

/** Code slots: 0..65535, plus one for the end of the last range. */
const SLOTS = 0x10000;

/** The code range of "no cut": every code, the missing ones too. */
const ALL: [number, number] = [0, SLOTS];

/** Most bins of a column (binChoices offers up to 500). */
export const MAX_FILTER_BINS = 500;
/** Slots per column in the histograms array: under, bins, over, missing. */
const STRIDE = MAX_FILTER_BINS + 3;

export class ExplorerFilter {
  /** Events. */
  readonly size: number;
  /** Columns. */
  readonly dimensions: number;

  constructor(columns: FilterColumn[], bins: number[]) {
    if (columns.length === 0 || columns.length > 31) {
      throw new OpenDataError('E_USAGE', `explore: 1 to 31 columns (got ${columns.length})`);
    }
    this.size = columns[0].codes.length;
    this.dimensions = columns.length;
    this._columns = columns;
    this._fails = new Uint32Array(this.size);
    this._slots = new Uint16Array(this.size * columns.length);
    this._all = new Int32Array(STRIDE * columns.length);
    for (const c of columns) {
      if (c.codes.length !== this.size) {
        throw new OpenDataError('E_USAGE', 'explore: columns of different lengths');
      }
      const { order, starts } = sortByCode(c.codes);
      this._order.push(order);
      this._starts.push(starts);
      this._cuts.push([...ALL]);
    }
    this._selected = this.size;
    columns.forEach((c, d) => {
      this._bins.push(0);
      this._counts.push(new Int32Array(0));
      this._totals.push(new Int32Array(0));
      this.setBins(d, bins[d]);
    });
  }

  /** Events that pass every cut. */
  get selected(): number {
    return this._selected;
  }

  /** Bins of column d. */
  bins(d: number): number {
    return this._bins[d];
  }

  /**
   * Column d's histogram of the events passing every other cut: [underflow, bin 1..bins,
   * overflow, missing]. A live view: it changes with the cuts; copy it to keep it.
   */
  counts(d: number): Int32Array {
    return this._counts[d];
  }

  /** Column d's histogram of all events (no cut), in the layout of counts(). */
  totals(d: number): Int32Array {
    return this._totals[d];
  }

  /** Column d's cut as a code range [a, b), or null when it has none. */
  cut(d: number): [number, number] | null {
    const c = this._cuts[d];
    return c[0] === ALL[0] && c[1] === ALL[1] ? null : [c[0], c[1]];
  }

  /** Bit d of event i: does it fail column d's cut? */
  failsCut(i: number, d: number): boolean {
    return (this._fails[i] & (1 << d)) !== 0;
  }

  /** Rebins column d (the bins must divide its levels: see binChoices); O(events). */
  setBins(d: number, bins: number): void {
    const { codes, levels } = this._columns[d];
    if (!Number.isInteger(bins) || bins < 1 || bins > MAX_FILTER_BINS || levels % bins !== 0) {
      throw new OpenDataError(
        'E_USAGE',
        `explore: ${bins} bins do not divide the column's ${levels} levels`
      );
    }
    // code → slot: 0 underflow, 1..bins, bins+1 overflow, bins+2 missing
    const perBin = levels / bins;
    const slot = new Uint16Array(SLOTS);
    for (let c = 1; c <= levels; c++) slot[c] = 1 + Math.floor((c - 1) / perBin);
    slot[overflowCode(levels)] = bins + 1;
    slot[CODE_MISSING] = bins + 2;
    const offset = d * STRIDE;
    const counts = this._all.subarray(offset, offset + bins + 3);
    counts.fill(0);
    const totals = new Int32Array(bins + 3);
    const fails = this._fails;
    const slots = this._slots;
    const dims = this.dimensions;
    const others = ~(1 << d);
    for (let i = 0; i < this.size; i++) {
      const b = slot[codes[i]];
      slots[i * dims + d] = offset + b;
      totals[b]++;
      if ((fails[i] & others) === 0) counts[b]++;
    }
    this._bins[d] = bins;
    this._counts[d] = counts;
    this._totals[d] = totals;
  }

  /** Sets column d's cut to the code range [a, b) (null: no cut), moving only what changes. */
  setCut(d: number, range: readonly [number, number] | null): void {
    const [a1, b1] = range ? clampRange(range) : ALL;
    const [a0, b0] = this._cuts[d];
    this._cuts[d] = [a1, b1];
    if (a1 >= b1 || a0 >= b0 || b1 <= a0 || b0 <= a1) {
      // disjoint (or empty) ranges: everything in the old leaves, everything in the new enters
      this._flip(d, a0, b0);
      this._flip(d, a1, b1);
      return;
    }
    // overlapping: only the two ends move
    this._flip(d, Math.min(a0, a1), Math.max(a0, a1));
    this._flip(d, Math.min(b0, b1), Math.max(b0, b1));
  }

  /** Removes every cut. */
  reset(): void {
    for (let d = 0; d < this.dimensions; d++) this.setCut(d, null);
  }

  /** Toggles column d's bit of the events with codes in [a, b). */
  private _flip(d: number, a: number, b: number): void {
    if (a >= b) return;
    const order = this._order[d];
    const starts = this._starts[d];
    const fails = this._fails;
    const bit = 1 << d;
    const slots = this._slots;
    const all = this._all;
    const dims = this.dimensions;
    let selected = this._selected;
    for (let k = starts[a], end = starts[b]; k < end; k++) {
      const i = order[k];
      const before = fails[i];
      const after = before ^ bit;
      fails[i] = after;
      const others = before & ~bit;
      const delta = (after & bit) !== 0 ? -1 : 1;
      if (others === 0) {
        // passes every other cut: in every other histogram, and in the selection, or not
        const base = i * dims;
        for (let e = 0; e < dims; e++) if (e !== d) all[slots[base + e]] += delta;
        selected += delta;
      } else if ((others & (others - 1)) === 0) {
        // fails exactly one other cut: only that column's histogram (which ignores its own) sees it
        all[slots[i * dims + 31 - Math.clz32(others)]] += delta;
      }
    }
    this._selected = selected;
  }

  private readonly _columns: FilterColumn[];
  private readonly _fails: Uint32Array;
  private readonly _order: Uint32Array[] = [];
  private readonly _starts: Uint32Array[] = [];
  private readonly _cuts: [number, number][] = [];
  private readonly _bins: number[] = [];
  /** Per event and column (event-major), the index of its bin in _all. */
  private readonly _slots: Uint16Array;
  /** Every column's histogram, column e's at e × STRIDE; _counts holds views of it. */
  private readonly _all: Int32Array;
  private readonly _counts: Int32Array[] = [];
  private readonly _totals: Int32Array[] = [];
  private _selected: number;
}

function clampRange(range: readonly [number, number]): [number, number] {
  const a = Math.max(0, Math.min(SLOTS, Math.floor(range[0])));
  const b = Math.max(a, Math.min(SLOTS, Math.floor(range[1])));
  return [a, b];
}

/**
 * Event indices sorted by code (stable counting sort) and where each code starts: events with
 * codes in [a, b) are order[starts[a] .. starts[b]).
 */
function sortByCode(codes: Uint16Array): { order: Uint32Array; starts: Uint32Array } {
  const starts = new Uint32Array(SLOTS + 1);
  for (let i = 0; i < codes.length; i++) starts[codes[i] + 1]++;
  for (let c = 0; c < SLOTS; c++) starts[c + 1] += starts[c];
  const next = starts.slice(0, SLOTS);
  const order = new Uint32Array(codes.length);
  for (let i = 0; i < codes.length; i++) order[next[codes[i]]++] = i;
  return { order, starts };
}
