// Columns and physics on plain typed arrays: derived columns (invariant mass), selections (masks)
// and per-event reductions of jagged columns. Browser-safe; one output array per call, nothing
// allocated per value.
import { Data, DataType, Float16, Vector } from 'apache-arrow';
import { OpenDataError } from './errors';

/** Numbers per element, or one number for all (e.g. the muon mass). */
export type NumbersOrScalar = ArrayLike<number> | number;

/** Four-momenta as energy and momentum components, one array per component. */
export interface EPxPyPz {
  E: ArrayLike<number>;
  px: ArrayLike<number>;
  py: ArrayLike<number>;
  pz: ArrayLike<number>;
}

/** Four-momenta as transverse momentum, pseudorapidity, azimuth and mass. */
export interface PtEtaPhiM {
  pt: ArrayLike<number>;
  eta: ArrayLike<number>;
  phi: ArrayLike<number>;
  mass: NumbersOrScalar;
}

function lengthOf(what: string, ...arrays: NumbersOrScalar[]): number {
  let n = -1;
  for (const a of arrays) {
    if (typeof a === 'number') continue;
    if (n >= 0 && a.length !== n) {
      throw new OpenDataError(
        'E_USAGE',
        `${what}: columns of different lengths (${n} and ${a.length})`
      );
    }
    n = a.length;
  }
  return Math.max(n, 0);
}

const at = (a: NumbersOrScalar, i: number): number => (typeof a === 'number' ? a : a[i]);

/** ROOT's TLorentzVector::M: sqrt(m²), or −sqrt(−m²) when rounding makes m² negative. */
function massOf(e: number, px: number, py: number, pz: number): number {
  const m2 = e * e - (px * px + py * py + pz * pz);
  return m2 < 0 ? -Math.sqrt(-m2) : Math.sqrt(m2);
}

/** Invariant mass of two objects per element, from E/px/py/pz. */
export function invariantMass(a: EPxPyPz, b: EPxPyPz): Float64Array {
  const n = lengthOf('invariantMass', a.E, a.px, a.py, a.pz, b.E, b.px, b.py, b.pz);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = massOf(a.E[i] + b.E[i], a.px[i] + b.px[i], a.py[i] + b.py[i], a.pz[i] + b.pz[i]);
  }
  return out;
}

/** Invariant mass of two objects per element, from pt/eta/phi/mass (mass may be one number). */
export function invariantMassPtEtaPhiM(a: PtEtaPhiM, b: PtEtaPhiM): Float64Array {
  const n = lengthOf(
    'invariantMassPtEtaPhiM',
    a.pt,
    a.eta,
    a.phi,
    a.mass,
    b.pt,
    b.eta,
    b.phi,
    b.mass
  );
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const pt1 = a.pt[i];
    const pt2 = b.pt[i];
    const px = pt1 * Math.cos(a.phi[i]) + pt2 * Math.cos(b.phi[i]);
    const py = pt1 * Math.sin(a.phi[i]) + pt2 * Math.sin(b.phi[i]);
    const pz1 = pt1 * Math.sinh(a.eta[i]);
    const pz2 = pt2 * Math.sinh(b.eta[i]);
    const m1 = at(a.mass, i);
    const m2 = at(b.mass, i);
    const e1 = Math.sqrt(pt1 * pt1 + pz1 * pz1 + m1 * m1);
    const e2 = Math.sqrt(pt2 * pt2 + pz2 * pz2 + m2 * m2);
    out[i] = massOf(e1 + e2, px, py, pz1 + pz2);
  }
  return out;
}

/** A selection: 1 keeps the element, 0 drops it. */
export type Mask = Uint8Array;

/** Value ranges per column: [lo, hi) keeps lo <= x < hi (±Infinity for an open side). */
export type ColumnRanges = Record<string, readonly [number, number]>;

/** Event columns by name: an Arrow Table (what the readers return) or plain arrays. */
export type ColumnsLike =
  | {
      numRows: number;
      getChild(name: string): Vector | null;
      schema: { fields: { name: string }[] };
    }
  | Record<string, ArrayLike<number>>;

/** The mask of elements for which `keep(value, index)` is true (NaN values included as given). */
export function maskWhere(
  values: ArrayLike<number>,
  keep: (value: number, index: number) => boolean
): Mask;
/**
 * The mask of events inside every range: `maskWhere(events, { M: [80, 100], pt1: [20, Infinity] })`
 * keeps 80 <= M < 100 and pt1 >= 20; a missing value (NaN) is outside. The explorer (od.explore)
 * writes its cuts in this form.
 */
export function maskWhere(table: ColumnsLike, ranges: ColumnRanges): Mask;
export function maskWhere(
  values: ArrayLike<number> | ColumnsLike,
  keep: ((value: number, index: number) => boolean) | ColumnRanges
): Mask {
  if (typeof keep !== 'function') return maskInRanges(values as ColumnsLike, keep);
  const v = values as ArrayLike<number>;
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = keep(v[i], i) ? 1 : 0;
  return out;
}

function maskInRanges(table: ColumnsLike, ranges: ColumnRanges): Mask {
  const names = Object.keys(ranges);
  const columns = names.map(name => eventColumn(table, name));
  const n = isArrowLike(table) ? table.numRows : (Object.values(table)[0]?.length ?? 0);
  names.forEach((name, k) => {
    if (columns[k].length !== n) {
      throw new OpenDataError(
        'E_USAGE',
        `maskWhere: column "${name}" has ${columns[k].length} values for ${n} events`
      );
    }
  });
  const out = new Uint8Array(n).fill(1);
  names.forEach((name, k) => {
    const [lo, hi] = ranges[name];
    if (typeof lo !== 'number' || typeof hi !== 'number' || Number.isNaN(lo) || Number.isNaN(hi)) {
      throw new OpenDataError('E_USAGE', `maskWhere: the range of "${name}" is not [lo, hi]`);
    }
    const c = columns[k];
    for (let i = 0; i < n; i++) if (!(c[i] >= lo && c[i] < hi)) out[i] = 0;
  });
  return out;
}

function isArrowLike(table: ColumnsLike): table is Extract<ColumnsLike, { numRows: number }> {
  return typeof (table as { getChild?: unknown }).getChild === 'function';
}

/** The column names of a table of events. */
export function columnNames(table: ColumnsLike): string[] {
  return isArrowLike(table) ? table.schema.fields.map(f => f.name) : Object.keys(table);
}

/**
 * One value per event of a column: an Arrow column as float64 (nulls NaN) or the array given.
 * A list (jagged) column has no single value per event: the error says how to pick one.
 */
export function eventColumn(table: ColumnsLike, name: string): ArrayLike<number> {
  if (isArrowLike(table)) {
    const child = table.getChild(name);
    if (child === null) {
      throw new OpenDataError(
        'E_NOT_FOUND',
        `no column "${name}" (columns: ${columnNames(table).join(', ')})`
      );
    }
    if (isList(child.type) || DataType.isFixedSizeList(child.type)) {
      throw new OpenDataError(
        'E_USAGE',
        `column "${name}" holds lists, not one value per event: pick one first, e.g. od.nthPerEvent(od.jagged(column), 0)`
      );
    }
    return flatNumbers(child, `column "${name}"`);
  }
  const values = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (values === undefined || typeof values.length !== 'number') {
    throw new OpenDataError(
      'E_NOT_FOUND',
      `no column "${name}" (columns: ${Object.keys(table).join(', ')})`
    );
  }
  return values;
}

/** Elements kept by every mask. */
export function maskAnd(...masks: Mask[]): Mask {
  const out = combine('maskAnd', masks);
  for (const m of masks.slice(1)) for (let i = 0; i < out.length; i++) out[i] &= m[i];
  return out;
}

/** Elements kept by any mask. */
export function maskOr(...masks: Mask[]): Mask {
  const out = combine('maskOr', masks);
  for (const m of masks.slice(1)) for (let i = 0; i < out.length; i++) out[i] |= m[i];
  return out;
}

/** The complement of a mask. */
export function maskNot(m: Mask): Mask {
  return m.map(x => (x ? 0 : 1));
}

/** A copy of the first mask, once the masks are checked to be of one length. */
function combine(what: string, masks: Mask[]): Mask {
  if (masks.length === 0) throw new OpenDataError('E_USAGE', `${what}: no masks given`);
  lengthOf(what, ...masks);
  return masks[0].slice();
}

/** The values a mask keeps, in order. */
export function applyMask(values: ArrayLike<number>, m: Mask): Float64Array {
  lengthOf('applyMask', values, m);
  let kept = 0;
  for (let i = 0; i < m.length; i++) kept += m[i] ? 1 : 0;
  const out = new Float64Array(kept);
  for (let i = 0, k = 0; i < m.length; i++) if (m[i]) out[k++] = values[i];
  return out;
}

/**
 * A jagged column: event i's values are values[offsets[i] .. offsets[i + 1]). What an Arrow
 * List<number> column (a ROOT std::vector or leaf-count branch) holds, flattened to float64.
 */
export interface Jagged {
  offsets: Int32Array;
  values: Float64Array;
}

/** Values per event. */
export function countPerEvent(j: Jagged): Int32Array {
  const n = j.offsets.length - 1;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = j.offsets[i + 1] - j.offsets[i];
  return out;
}

/** Values per event for which `keep` is true (e.g. muons with pt > 20). */
export function countPerEventWhere(j: Jagged, keep: (value: number) => boolean): Int32Array {
  const n = j.offsets.length - 1;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let k = j.offsets[i]; k < j.offsets[i + 1]; k++) if (keep(j.values[k])) c++;
    out[i] = c;
  }
  return out;
}

/** Sum per event (0 for an empty event). */
export function sumPerEvent(j: Jagged): Float64Array {
  // its own loop, not reduce(): a call per value costs until the JIT inlines it
  const o = j.offsets;
  const v = j.values;
  const out = new Float64Array(o.length - 1);
  for (let i = 0; i < out.length; i++) {
    let acc = 0;
    for (let k = o[i]; k < o[i + 1]; k++) acc += v[k];
    out[i] = acc;
  }
  return out;
}

/** Maximum per event (NaN for an empty event). */
export function maxPerEvent(j: Jagged): Float64Array {
  return reduce(j, NaN, (acc, x) => (acc !== acc || x > acc ? x : acc));
}

/** Minimum per event (NaN for an empty event). */
export function minPerEvent(j: Jagged): Float64Array {
  return reduce(j, NaN, (acc, x) => (acc !== acc || x < acc ? x : acc));
}

function reduce(j: Jagged, empty: number, op: (acc: number, x: number) => number): Float64Array {
  const n = j.offsets.length - 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = empty;
    for (let k = j.offsets[i]; k < j.offsets[i + 1]; k++) acc = op(acc, j.values[k]);
    out[i] = acc;
  }
  return out;
}

/** The value at `index` in each event (NaN where the event has fewer), e.g. the leading jet. */
export function nthPerEvent(j: Jagged, index: number): Float64Array {
  const n = j.offsets.length - 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = j.offsets[i] + index;
    out[i] = k < j.offsets[i + 1] ? j.values[k] : NaN;
  }
  return out;
}

/** Events with exactly `n` objects (e.g. two muons), as a mask over events. */
export function eventsWithExactly(j: Jagged, n: number): Mask {
  const o = j.offsets;
  const out = new Uint8Array(o.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = o[i + 1] - o[i] === n ? 1 : 0;
  return out;
}

/** Events with at least `n` objects (e.g. four jets), as a mask over events. */
export function eventsWithAtLeast(j: Jagged, n: number): Mask {
  const o = j.offsets;
  const out = new Uint8Array(o.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = o[i + 1] - o[i] >= n ? 1 : 0;
  return out;
}

/** Four-momenta of the objects of each event (a collection such as NanoAOD's Muon_*). */
export interface JaggedPtEtaPhiM {
  pt: Jagged;
  eta: Jagged;
  phi: Jagged;
  /** The objects' masses, or one mass for all (e.g. the muon mass). */
  mass: Jagged | number;
}

/** The offsets the columns of a collection share; an error names the first that differs. */
function sharedOffsets(what: string, p: JaggedPtEtaPhiM): Int32Array {
  const o = p.pt.offsets;
  const others: [string, Jagged][] = [
    ['eta', p.eta],
    ['phi', p.phi]
  ];
  if (typeof p.mass !== 'number') others.push(['mass', p.mass]);
  for (const [name, j] of others) {
    if (j.offsets === o) continue;
    let same = j.offsets.length === o.length && j.values.length === p.pt.values.length;
    for (let i = 0; same && i < o.length; i++) same = j.offsets[i] === o[i];
    if (!same) {
      throw new OpenDataError(
        'E_USAGE',
        `${what}: pt and ${name} hold different numbers of objects per event`
      );
    }
  }
  return o;
}

/** Invariant mass of objects a and b of one event, from pt/eta/phi/mass (as numpy computes it). */
function pairMass(p: JaggedPtEtaPhiM, a: number, b: number): number {
  const pt = p.pt.values;
  const eta = p.eta.values;
  const phi = p.phi.values;
  const m1 = typeof p.mass === 'number' ? p.mass : p.mass.values[a];
  const m2 = typeof p.mass === 'number' ? p.mass : p.mass.values[b];
  const px1 = pt[a] * Math.cos(phi[a]);
  const py1 = pt[a] * Math.sin(phi[a]);
  const pz1 = pt[a] * Math.sinh(eta[a]);
  const px2 = pt[b] * Math.cos(phi[b]);
  const py2 = pt[b] * Math.sin(phi[b]);
  const pz2 = pt[b] * Math.sinh(eta[b]);
  const e1 = Math.sqrt(px1 * px1 + py1 * py1 + pz1 * pz1 + m1 * m1);
  const e2 = Math.sqrt(px2 * px2 + py2 * py2 + pz2 * pz2 + m2 * m2);
  return massOf(e1 + e2, px1 + px2, py1 + py2, pz1 + pz2);
}

/**
 * Invariant mass of the first two objects of each event (the leading pair: NanoAOD orders its
 * collections by pt), NaN where an event has fewer than two, or is outside the mask `where` when
 * one is given (the masses of a selection: `applyMask(leadingPairMass(mu, sel), sel)`, computing
 * only the events selected). One pass over the events.
 */
export function leadingPairMass(p: JaggedPtEtaPhiM, where?: Mask): Float64Array {
  const o = p.pt.offsets;
  const out = new Float64Array(o.length - 1);
  if (where !== undefined) lengthOf('leadingPairMass', out, where);
  // the columns' offsets are checked in the same pass (a loop of its own costs as much again in
  // a fresh process, before the JIT has compiled it)
  const oe = p.eta.offsets;
  const op = p.phi.offsets;
  const om = typeof p.mass === 'number' ? o : p.mass.offsets;
  if (oe.length !== o.length || op.length !== o.length || om.length !== o.length) {
    sharedOffsets('leadingPairMass', p); // names the column
  }
  let differ = 0;
  for (let i = 0; i < out.length; i++) {
    const k = o[i];
    const e = o[i + 1];
    differ |= (oe[i + 1] ^ e) | (op[i + 1] ^ e) | (om[i + 1] ^ e);
    out[i] = e - k >= 2 && (where === undefined || where[i] !== 0) ? pairMass(p, k, k + 1) : NaN;
  }
  if (differ !== 0 || oe[0] !== o[0] || op[0] !== o[0] || om[0] !== o[0]) {
    sharedOffsets('leadingPairMass', p);
  }
  return out;
}

/**
 * Invariant masses of every pair of objects in each event (a before b, in the collection's order:
 * n(n−1)/2 per event), as a jagged column, e.g. all dimuon masses of events with three muons.
 */
export function pairMasses(p: JaggedPtEtaPhiM): Jagged {
  const o = sharedOffsets('pairMasses', p);
  const events = o.length - 1;
  const offsets = new Int32Array(events + 1);
  for (let i = 0; i < events; i++) {
    const c = o[i + 1] - o[i];
    offsets[i + 1] = offsets[i] + (c * (c - 1)) / 2;
  }
  const values = new Float64Array(offsets[events]);
  let at = 0;
  for (let i = 0; i < events; i++) {
    for (let a = o[i]; a < o[i + 1]; a++) {
      for (let b = a + 1; b < o[i + 1]; b++) values[at++] = pairMass(p, a, b);
    }
  }
  return { offsets, values };
}

/** List or LargeList (pyarrow and awkward write 64-bit offsets). */
function isList(type: DataType): boolean {
  return DataType.isList(type) || DataType.isLargeList(type);
}

/** Offsets of a list chunk as numbers (LargeList stores them as bigint). */
const offsetsOf = (data: Data): ArrayLike<number | bigint> =>
  data.valueOffsets as ArrayLike<number | bigint>;

function isNumeric(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type);
}

/** Leaf values of elements [start, end) of a chunk, lists descended; their count. */
function leafCount(data: Data, start: number, end: number): number {
  if (isList(data.type)) {
    const o = offsetsOf(data);
    return leafCount(data.children[0], Number(o[start]), Number(o[end]));
  }
  if (DataType.isFixedSizeList(data.type)) {
    const size = data.type.listSize;
    return leafCount(data.children[0], start * size, end * size);
  }
  return end - start;
}

/** Writes the leaf numbers of elements [start, end) of a chunk at out[at..]; returns the next at. */
function leafNumbers(
  data: Data,
  start: number,
  end: number,
  out: Float64Array,
  at: number,
  name: string
): number {
  const type = data.type;
  if (isList(type)) {
    const o = offsetsOf(data);
    return leafNumbers(data.children[0], Number(o[start]), Number(o[end]), out, at, name);
  }
  if (DataType.isFixedSizeList(type)) {
    const size = type.listSize;
    return leafNumbers(data.children[0], start * size, end * size, out, at, name);
  }
  if (DataType.isBool(type)) {
    const v = new Vector([data]);
    for (let i = start; i < end; i++) out[at++] = data.getValid(i) ? Number(v.get(i)) : NaN;
    return at;
  }
  if (!isNumeric(type)) throw new OpenDataError('E_FORMAT', `${name} holds ${type}, not numbers`);
  if (type instanceof Float16 || (DataType.isInt(type) && type.bitWidth === 64)) {
    // stored as raw bits / bigint: go through the vector's own getter
    const v = new Vector([data]);
    for (let i = start; i < end; i++) out[at++] = Number(v.get(i) ?? NaN);
    return at;
  }
  const values = data.values as ArrayLike<number>;
  if (data.nullCount > 0) {
    for (let i = start; i < end; i++) out[at++] = data.getValid(i) ? values[i] : NaN;
  } else {
    for (let i = start; i < end; i++) out[at++] = values[i];
  }
  return at;
}

/**
 * A numeric Arrow column as float64 (nulls NaN, booleans 0/1). List and fixed-size list columns
 * (jagged and array branches, nested too) are flattened, the histogram convention; `jagged()`
 * keeps one level of structure.
 */
export function flatNumbers(column: Vector, name = 'column'): Float64Array {
  let total = 0;
  for (const data of column.data) total += leafCount(data, 0, data.length);
  const out = new Float64Array(total);
  let at = 0;
  for (const data of column.data) at = leafNumbers(data, 0, data.length, out, at, name);
  return out;
}

/** Typed values of a numeric chunk that can be read by index (not Float16, 64-bit or bool). */
function plainValues(data: Data): ArrayLike<number> | null {
  const type = data.type;
  if (!(DataType.isInt(type) || DataType.isFloat(type)) || type instanceof Float16) return null;
  if (DataType.isInt(type) && type.bitWidth === 64) return null;
  return data.nullCount > 0 ? null : (data.values as ArrayLike<number>);
}

/**
 * A List<number> Arrow column as offsets + flat float64 values (a null list is empty). Each chunk
 * is copied whole: its offsets shifted in one pass and its values converted by one typed-array
 * copy; only a chunk with null lists goes event by event, and only a child with nulls or 64-bit
 * values goes through the per-value getters. A column of one chunk (a ROOT read) shares its
 * offsets, and float64 values, with the Arrow column: the helpers never modify their inputs.
 */
export function jagged(column: Vector, name = 'column'): Jagged {
  if (!isList(column.type) || !isNumeric(column.type.children[0].type)) {
    throw new OpenDataError('E_FORMAT', `${name} holds ${column.type}, not lists of numbers`);
  }
  if (column.data.length === 1) {
    // one chunk without nulls (a ROOT read): its offsets as they are, its values converted once
    const data = column.data[0];
    const o = data.valueOffsets as unknown;
    const plain = plainValues(data.children[0]);
    if (
      data.nullCount === 0 &&
      o instanceof Int32Array &&
      o.length === data.length + 1 &&
      o[0] === 0 &&
      plain !== null &&
      ArrayBuffer.isView(plain)
    ) {
      const end = o[data.length];
      const v = (plain as unknown as Float64Array).subarray(0, end);
      return { offsets: o, values: v instanceof Float64Array ? v : new Float64Array(v) };
    }
  }
  let total = 0;
  for (const data of column.data) {
    const o = offsetsOf(data);
    total += data.length > 0 ? Number(o[data.length]) - Number(o[0]) : 0;
  }
  const offsets = new Int32Array(column.length + 1);
  let values = new Float64Array(total);
  let row = 0;
  let at = 0;
  for (const data of column.data) {
    const n = data.length;
    if (n === 0) continue;
    const o = offsetsOf(data);
    const child = data.children[0];
    if (data.nullCount > 0) {
      for (let i = 0; i < n; i++) {
        // a null list is empty
        if (data.getValid(i)) {
          at = leafNumbers(child, Number(o[i]), Number(o[i + 1]), values, at, name);
        }
        offsets[++row] = at;
      }
      continue;
    }
    const first = Number(o[0]);
    const last = Number(o[n]);
    const plain = plainValues(child);
    if (plain !== null && ArrayBuffer.isView(plain)) {
      values.set((plain as unknown as Float64Array).subarray(first, last), at);
    } else {
      leafNumbers(child, first, last, values, at, name);
    }
    const shift = at - first;
    if (o instanceof Int32Array) {
      for (let i = 1; i <= n; i++) offsets[row + i] = o[i] + shift;
    } else {
      for (let i = 1; i <= n; i++) offsets[row + i] = Number(o[i]) + shift;
    }
    row += n;
    at += last - first;
  }
  if (at !== values.length) values = values.slice(0, at);
  return { offsets, values };
}
