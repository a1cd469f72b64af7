// Turns the bytes of consecutive baskets of one branch into an apache-arrow column: raw big-endian
// bytes are copied into one buffer per column (whole basket regions where the layout allows) and
// byte-swapped once at the end with Buffer's native swap; jagged layouts become Arrow lists.
import {
  Bool,
  Data,
  DataType,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData
} from 'apache-arrow';
import { OpenDataError } from '../../core/errors';
import { uninitializedBytes } from '../uninitialized';
import { Basket } from './basket';
import { BranchLayout, PRIMITIVE_SIZE, Primitive } from './branch-layout';

/** Adds the entries [from, to) of each basket in order, then builds the column. */
export interface ColumnBuilder {
  add(basket: Basket, from: number, to: number, where: string): void;
  /**
   * The column. `counts`: the entry offsets of a jagged branch read by its counter (see
   * columnBuilder's `byCounts`), which finish() checks against every basket's values.
   */
  finish(counts?: Int32Array): Data;
  /**
   * Where a basket holding rows [row, row + rows) of this read, `bytes` bytes once decompressed,
   * may be decompressed so that its values are not copied again: its place in the column (fixed-
   * size entries), or where the next values go (jagged: the entry offsets after them are read
   * and then overwritten). Undefined or null: no such place.
   */
  slot?(row: number, rows: number, bytes: number): Uint8Array | null;
}

const ARROW_TYPES: Record<Primitive, () => DataType> = {
  bool: () => new Bool(),
  int8: () => new Int8(),
  uint8: () => new Uint8(),
  int16: () => new Int16(),
  uint16: () => new Uint16(),
  int32: () => new Int32(),
  uint32: () => new Uint32(),
  int64: () => new Int64(),
  uint64: () => new Uint64(),
  float32: () => new Float32(),
  float64: () => new Float64()
};

const TYPED: Record<Primitive, new (b: ArrayBuffer, o: number, n: number) => ArrayBufferView> = {
  bool: Uint8Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array
};

/** `n` bytes on an ArrayBuffer of their own (8-byte aligned), not zero-filled. */
export type Allocate = (n: number) => Uint8Array;

const fresh: Allocate = uninitializedBytes;

/**
 * Column memory handed out again chunk after chunk (tree.iterate with `recycle`): the k-th
 * allocation of a chunk gets the k-th buffer of the chunk before when it is large enough. The
 * columns of one chunk are in the same order and of about the same size as the next one's, so
 * after the first chunk a read allocates almost nothing: no fresh pages to fault in, and no
 * ArrayBuffers for the collector to find (V8 frees those late when its marking has no helper
 * threads, as in a dataset worker).
 */
export class ColumnArena {
  private readonly _buffers: ArrayBuffer[] = [];
  private _next = 0;

  /** The next chunk begins: the previous one's buffers are free again. */
  reset(): void {
    this._next = 0;
  }

  readonly alloc: Allocate = n => {
    const k = this._next++;
    let buffer = this._buffers[k];
    if (buffer === undefined || buffer.byteLength < n) {
      // some room over: the next chunk's column of the same branch is rarely exactly as large
      buffer = uninitializedBytes(Math.max(64, Math.ceil(n * 1.125))).buffer as ArrayBuffer;
      this._buffers[k] = buffer;
    }
    return new Uint8Array(buffer, 0, n);
  };
}

/** A growable byte buffer on an 8-byte aligned ArrayBuffer. */
class Bytes {
  buf: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(8, capacity));
  }
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, Math.ceil(this.buf.length * 1.5)));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }
  /** The bytes written, without a copy unless more than 1/8 of the buffer would be wasted. */
  take(): Uint8Array {
    const used = this.buf.subarray(0, this.length);
    return this.buf.length - this.length > this.buf.length / 8 ? used.slice() : used;
  }
}

/**
 * A growable byte buffer that is not zero-filled (every byte handed out was written) and whose
 * bytes are handed out without a copy: spare capacity costs address space, not memory.
 */
class ValueBytes {
  private _buf: Uint8Array;
  private _length = 0;

  constructor(
    capacity: number,
    private readonly _alloc: Allocate
  ) {
    this._buf = _alloc(Math.max(64, capacity));
  }

  /** The next `n` bytes (not yet counted), or null when they would not fit without growing. */
  tail(n: number): Uint8Array | null {
    return n >= 0 && this._length + n <= this._buf.length
      ? this._buf.subarray(this._length, this._length + n)
      : null;
  }

  append(bytes: Uint8Array): void {
    if (
      bytes.buffer === this._buf.buffer &&
      bytes.byteOffset === this._buf.byteOffset + this._length
    ) {
      this._length += bytes.length; // decompressed in place (tail)
      return;
    }
    const need = this._length + bytes.length;
    if (need > this._buf.length) {
      const next = this._alloc(Math.max(need, Math.ceil(this._buf.length * 1.5)));
      next.set(this._buf.subarray(0, this._length));
      this._buf = next;
    }
    this._buf.set(bytes, this._length);
    this._length = need;
  }

  view(): Uint8Array {
    return this._buf.subarray(0, this._length);
  }
}

/** A growable Int32 offsets array starting with 0. */
class Offsets {
  arr: Int32Array;
  length = 1;
  constructor(capacity: number) {
    this.arr = new Int32Array(Math.max(2, capacity + 1));
  }
  push(count: number, where: string): void {
    if (this.length === this.arr.length) {
      const next = new Int32Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    const v = this.arr[this.length - 1] + count;
    if (v > 0x7fffffff) {
      throw new OpenDataError(
        'E_UNSUPPORTED',
        `${where}: more than 2^31 values in one read; read fewer entries`
      );
    }
    this.arr[this.length++] = v;
  }
  get last(): number {
    return this.arr[this.length - 1];
  }
  take(): Int32Array {
    return this.arr.slice(0, this.length);
  }
}

/** Values of `type` from big-endian bytes (swapped in place) as Arrow data. */
function primitiveData(type: Primitive, bytes: Uint8Array): Data {
  const size = PRIMITIVE_SIZE[type];
  const n = bytes.length / size;
  if (type === 'bool') {
    const bits = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) if (bytes[i] !== 0) bits[i >> 3] |= 1 << (i & 7);
    return makeData({ type: new Bool(), length: n, data: bits });
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 2) buffer.swap16();
  else if (size === 4) buffer.swap32();
  else if (size === 8) buffer.swap64();
  if (bytes.byteOffset % size !== 0) bytes = bytes.slice();
  const values = new TYPED[type](bytes.buffer as ArrayBuffer, bytes.byteOffset, n);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return makeData({ type: ARROW_TYPES[type](), length: n, data: values as any } as any);
}

function field(data: Data): Field {
  return new Field('item', data.type, false);
}

/** Wraps `child` in FixedSizeList levels, innermost dimension first. */
function fixedDims(child: Data, dims: number[]): Data {
  let data = child;
  for (let k = dims.length - 1; k >= 0; k--) {
    const type = new FixedSizeList(dims[k], field(data));
    data = makeData({ type, length: data.length / dims[k], child: data });
  }
  return data;
}

function listData(offsets: Int32Array, child: Data): Data {
  const type = new List(field(child));
  return makeData({ type, length: offsets.length - 1, valueOffsets: offsets, child });
}

function bad(where: string, why: string): OpenDataError {
  return new OpenDataError('E_FORMAT', `${where}: ${why}`);
}

function needOffsets(basket: Basket, where: string): Int32Array {
  if (basket.offsets === null) throw bad(where, 'a variable-size branch without entry offsets');
  return basket.offsets;
}

/** A builder for `entries` entries of a branch with this layout (not 'unsupported'). */
export function columnBuilder(
  layout: BranchLayout,
  entries: number,
  sizeHint: number,
  basketEntries = 0,
  alloc: Allocate = fresh,
  byCounts = false
): ColumnBuilder {
  switch (layout.kind) {
    case 'fixed':
      return fixedBuilder(layout.type, layout.dims, entries, alloc);
    case 'jagged':
      return byCounts
        ? jaggedByCountsBuilder(layout.type, layout.dims, entries, sizeHint, basketEntries, alloc)
        : jaggedBuilder(layout.type, layout.dims, entries, sizeHint, basketEntries, alloc);
    case 'vector':
      return vectorBuilder(layout.type, entries, sizeHint);
    case 'vector2':
      return vector2Builder(layout.type, entries, sizeHint);
    case 'string':
      return stringBuilder(entries, sizeHint);
    default:
      throw new OpenDataError('E_UNSUPPORTED', `no decoder for ${layout.kind}`);
  }
}

function fixedBuilder(
  type: Primitive,
  dims: number[],
  entries: number,
  alloc: Allocate
): ColumnBuilder {
  const entryBytes = PRIMITIVE_SIZE[type] * dims.reduce((a, b) => a * b, 1);
  // exact: no growth, no copy; not zero-filled: finish() checks that every byte was written
  const out = alloc(entries * entryBytes);
  let pos = 0;
  return {
    add(basket, from, to, where) {
      if (basket.data.length !== basket.entries * entryBytes) {
        throw bad(
          where,
          `${basket.data.length} bytes for ${basket.entries} entries of ${entryBytes} bytes`
        );
      }
      const part = basket.data.subarray(from * entryBytes, to * entryBytes);
      if (pos + part.length > out.length) throw bad(where, 'more entries than the branch declares');
      // decompressed into its slot already: nothing to copy
      if (part.buffer !== out.buffer || part.byteOffset !== out.byteOffset + pos) {
        out.set(part, pos);
      }
      pos += part.length;
    },
    slot(row, rows, bytes) {
      const begin = row * entryBytes;
      const end = begin + rows * entryBytes;
      return row >= 0 && end <= out.length && bytes === end - begin
        ? out.subarray(begin, end)
        : null;
    },
    finish() {
      if (pos !== out.length) throw bad('column', `${pos / entryBytes} of ${entries} entries read`);
      return fixedDims(primitiveData(type, out), dims);
    }
  };
}

/**
 * Where a jagged branch's values go, copied as each basket comes (so it can be freed): one buffer
 * sized by the branch's total bytes less 4 bytes of entry offset per entry: keys and the 5% margin
 * of the hint to spare (pages never touched are not resident); past it, the buffer grows (plus
 * the entry offsets of the largest basket: a basket decompressed in place puts them after its
 * values).
 */
function jaggedValues(
  entries: number,
  sizeHint: number,
  basketEntries: number,
  alloc: Allocate
): ValueBytes {
  return new ValueBytes(Math.max(64, sizeHint - 4 * entries + 4 * basketEntries + 64), alloc);
}

function jaggedBuilder(
  type: Primitive,
  dims: number[],
  entries: number,
  sizeHint: number,
  basketEntries: number,
  alloc: Allocate
): ColumnBuilder {
  const inner = dims.reduce((a, b) => a * b, 1);
  const itemBytes = PRIMITIVE_SIZE[type] * inner;
  // a power of two (every primitive, most fixed inner dimensions): counts by a shift
  const shift = (itemBytes & (itemBytes - 1)) === 0 ? Math.log2(itemBytes) : -1;
  const values = jaggedValues(entries, sizeHint, basketEntries, alloc);
  // not zero-filled: offsets[0] is set here, every other one as its entry is added (finish()
  // checks that all entries were)
  const offsets = new Int32Array(alloc(4 * (entries + 1)).buffer, 0, entries + 1);
  offsets[0] = 0;
  let row = 0;

  /**
   * Entries [from, to) straight from ROOT's stored offsets: converted, checked and turned into
   * item counts in one pass. False when they do not check out: the caller then goes through
   * `basket.offsets`, whose checks name the entry at fault.
   */
  const addStored = (
    basket: Basket,
    stored: { view: DataView; keylen: number },
    from: number,
    to: number,
    where: string
  ): boolean => {
    const { view, keylen } = stored;
    const n = basket.entries;
    const border = basket.data.length;
    // the byte offset where entry i starts (border for i = n)
    const start = (i: number) => (i === n ? border : view.getInt32(4 * i) - keylen);
    if (shift < 0 || n === 0 || start(0) !== 0) return false;
    const base = start(from);
    const end = start(to);
    if (!(base >= 0 && base <= end && end <= border) || base % itemBytes !== 0) return false;
    if (offsets[row] + (end - base) / itemBytes > 0x7fffffff) {
      throw new OpenDataError(
        'E_UNSUPPORTED',
        `${where}: more than 2^31 values in one read; read fewer entries`
      );
    }
    const first = offsets[row] - base / itemBytes;
    const out = offsets;
    const last = Math.min(to, n - 1); // entries whose end is a stored offset
    let r = row;
    let prev = base;
    let minStep = 0;
    let all = 0;
    const at = view.byteOffset + 4 * (from + 1);
    if (last > from && at % 4 === 0) {
      // byte-swapped natively in place, read as native int32s, swapped back (the basket may be
      // read again: the next chunk of an iterate, or basket.offsets when these do not check out)
      const words = new Int32Array(view.buffer, at, last - from);
      const bytes = Buffer.from(view.buffer, at, 4 * (last - from));
      bytes.swap32();
      for (let j = 0; j < words.length; j++) {
        const b = words[j] - keylen;
        minStep = Math.min(minStep, b - prev);
        all |= b;
        out[++r] = first + (b >> shift);
        prev = b;
      }
      bytes.swap32();
    } else {
      for (let i = from + 1; i <= last; i++) {
        const b = view.getInt32(4 * i) - keylen;
        minStep = Math.min(minStep, b - prev);
        all |= b;
        out[++r] = first + (b >> shift);
        prev = b;
      }
    }
    if (to === n && to > from) {
      minStep = Math.min(minStep, border - prev);
      all |= border;
      out[++r] = first + (border >> shift);
    }
    if (minStep < 0 || (all & (itemBytes - 1)) !== 0) {
      return false; // row is not advanced: the caller redoes these entries
    }
    row = r;
    values.append(basket.data.subarray(base, end));
    return true;
  };

  return {
    add(basket, from, to, where) {
      if (row + (to - from) > entries) throw bad(where, 'more entries than the branch declares');
      if (basket.stored !== undefined && addStored(basket, basket.stored, from, to, where)) return;
      const off = needOffsets(basket, where);
      const base = off[from];
      const end = off[to];
      const count = shift >= 0 ? (end - base) >> shift : (end - base) / itemBytes;
      if (offsets[row] + count > 0x7fffffff) {
        throw new OpenDataError(
          'E_UNSUPPORTED',
          `${where}: more than 2^31 values in one read; read fewer entries`
        );
      }
      if (base % itemBytes !== 0) {
        throw bad(where, `the entries before entry ${from} are not whole items (${base} bytes)`);
      }
      // counts from byte offsets in one pass: every offset is a whole number of items exactly
      // when every entry is (the first entry starts at 0), so the check ORs them all
      const first = offsets[row] - base / itemBytes;
      const out = offsets; // locals: the loop stays in registers, not in the closure's context
      let r = row;
      let all = 0;
      if (shift >= 0) {
        for (let i = from + 1; i <= to; i++) {
          const b = off[i];
          all |= b;
          out[++r] = first + (b >> shift);
        }
      } else {
        for (let i = from + 1; i <= to; i++) {
          const b = off[i];
          all |= b % itemBytes;
          out[++r] = first + Math.floor(b / itemBytes);
        }
      }
      row = r;
      if ((shift >= 0 ? all & (itemBytes - 1) : all) !== 0) {
        let i = from;
        while ((off[i + 1] - off[i]) % itemBytes === 0) i++;
        throw bad(where, `entry ${i} has ${off[i + 1] - off[i]} bytes, not whole items`);
      }
      values.append(basket.data.subarray(base, end));
    },
    slot(first, rows, bytes) {
      return first === row && first + rows <= entries ? values.tail(bytes) : null;
    },
    finish() {
      if (row !== entries) throw bad('column', `${row} of ${entries} entries read`);
      return listData(offsets, fixedDims(primitiveData(type, values.view()), dims));
    }
  };
}

/**
 * A basket holds other than its counter's number of values: ROOT caps an entry at the count
 * leaf's maximum when writing, and a damaged file can do anything. The reader then reads the
 * branch again by its own stored entry offsets.
 */
export class CounterMismatch extends Error {}

/**
 * A leaf-count branch (`x[n]`) whose counter is read with it: its entry offsets are the counter's
 * running sum, computed once and shared by every branch of that counter (NanoAOD's Muon_pt,
 * Muon_eta… all count by nMuon). A basket only gives its values: the stored entry offsets are
 * looked at where a read starts or stops inside it, not entry by entry, and finish() checks that
 * each basket holds exactly the values the counter says for its entries.
 */
function jaggedByCountsBuilder(
  type: Primitive,
  dims: number[],
  entries: number,
  sizeHint: number,
  basketEntries: number,
  alloc: Allocate
): ColumnBuilder {
  const itemBytes = PRIMITIVE_SIZE[type] * dims.reduce((a, b) => a * b, 1);
  const values = jaggedValues(entries, sizeHint, basketEntries, alloc);
  // per basket: its rows of this read and the values it gave
  const pieces: { row: number; rows: number; items: number; where: string }[] = [];
  let row = 0;
  return {
    add(basket, from, to, where) {
      if (row + (to - from) > entries) throw bad(where, 'more entries than the branch declares');
      const n = basket.entries;
      const border = basket.data.length;
      let base = 0;
      let end = border;
      if (from > 0 || to < n) {
        const stored = basket.stored;
        const at = (i: number) =>
          i === n
            ? border
            : stored
              ? stored.view.getInt32(4 * i) - stored.keylen
              : needOffsets(basket, where)[i];
        base = at(from);
        end = at(to);
      }
      if (!(base >= 0 && base <= end && end <= border)) {
        needOffsets(basket, where); // names the entry whose offset is out of order
        throw bad(where, `entries ${from} to ${to} do not fit the basket`);
      }
      if (base % itemBytes !== 0 || (end - base) % itemBytes !== 0) {
        throw bad(where, `entries ${from} to ${to} are not whole items (${end - base} bytes)`);
      }
      pieces.push({ row, rows: to - from, items: (end - base) / itemBytes, where });
      row += to - from;
      values.append(basket.data.subarray(base, end));
    },
    slot(first, rows, bytes) {
      return first === row && first + rows <= entries ? values.tail(bytes) : null;
    },
    finish(counts) {
      if (row !== entries) throw bad('column', `${row} of ${entries} entries read`);
      if (counts === undefined || counts.length !== entries + 1) {
        throw new OpenDataError('E_FORMAT', 'a counted branch read without its counter');
      }
      for (const p of pieces) {
        const counted = counts[p.row + p.rows] - counts[p.row];
        if (counted !== p.items) {
          throw new CounterMismatch(
            `${p.where}: ${p.items} values for its ${p.rows} entries, but their counter says ${counted}`
          );
        }
      }
      return listData(counts, fixedDims(primitiveData(type, values.view()), dims));
    }
  };
}

/**
 * Entry offsets from a counter column's values (one count per entry): their running sum, in
 * `alloc`'s memory. A negative count, or more than 2^31 values in all, is E_FORMAT naming the
 * counter (`where`) and the entry.
 */
export function offsetsFromCounts(
  counts: ArrayLike<number>,
  where: string,
  alloc: Allocate = fresh
): Int32Array {
  const n = counts.length;
  const out = new Int32Array(alloc(4 * (n + 1)).buffer, 0, n + 1);
  let sum = 0;
  let sign = 0;
  out[0] = 0;
  for (let i = 0; i < n; i++) {
    const c = counts[i];
    sign |= c; // a negative count (or one past 2^31) sets the sign bit
    sum += c;
    out[i + 1] = sum;
  }
  if (sign < 0) {
    let i = 0;
    while ((counts[i] | 0) >= 0) i++;
    throw bad(where, `entry ${i} counts ${counts[i]} values`);
  }
  if (sum > 0x7fffffff) {
    throw new OpenDataError(
      'E_UNSUPPORTED',
      `${where}: more than 2^31 values in one read; read fewer entries`
    );
  }
  return out;
}

function vectorBuilder(type: Primitive, entries: number, sizeHint: number): ColumnBuilder {
  const size = PRIMITIVE_SIZE[type];
  const values = new Bytes(sizeHint);
  const offsets = new Offsets(entries);
  return {
    add(basket, from, to, where) {
      const off = needOffsets(basket, where);
      const d = basket.data;
      const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
      for (let i = from; i < to; i++) {
        const start = off[i];
        const len = off[i + 1] - start;
        // header: byte count (with the 0x40000000 flag) of what follows, class version, size
        if (len < 10 || dv.getUint32(start) !== (0x40000000 | (len - 4)) >>> 0) {
          throw bad(where, `entry ${i} is not a streamed std::vector`);
        }
        const n = dv.getInt32(start + 6);
        if (n < 0 || 10 + n * size !== len) {
          throw bad(where, `entry ${i}: vector size ${n} does not fit ${len} bytes`);
        }
        offsets.push(n, where);
        values.append(d.subarray(start + 10, start + len));
      }
    },
    finish() {
      return listData(offsets.take(), primitiveData(type, values.take()));
    }
  };
}

function vector2Builder(type: Primitive, entries: number, sizeHint: number): ColumnBuilder {
  const size = PRIMITIVE_SIZE[type];
  const values = new Bytes(sizeHint);
  const outer = new Offsets(entries);
  const inner = new Offsets(Math.max(16, sizeHint / 16));
  return {
    add(basket, from, to, where) {
      const off = needOffsets(basket, where);
      const d = basket.data;
      const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
      for (let i = from; i < to; i++) {
        const start = off[i];
        const end = off[i + 1];
        const len = end - start;
        if (len < 10 || dv.getUint32(start) !== (0x40000000 | (len - 4)) >>> 0) {
          throw bad(where, `entry ${i} is not a streamed std::vector<std::vector>`);
        }
        const n = dv.getInt32(start + 6);
        let p = start + 10;
        if (n < 0 || n > (end - p) / 4) {
          throw bad(where, `entry ${i}: outer size ${n} does not fit`);
        }
        for (let j = 0; j < n; j++) {
          if (p + 4 > end) throw bad(where, `entry ${i}: inner vector ${j} cut short`);
          const m = dv.getInt32(p);
          p += 4;
          if (m < 0 || p + m * size > end) {
            throw bad(where, `entry ${i}: inner size ${m} does not fit`);
          }
          inner.push(m, where);
          values.append(d.subarray(p, p + m * size));
          p += m * size;
        }
        if (p !== end) throw bad(where, `entry ${i}: ${end - p} bytes left after the vectors`);
        outer.push(n, where);
      }
    },
    finish() {
      return listData(outer.take(), listData(inner.take(), primitiveData(type, values.take())));
    }
  };
}

function stringBuilder(entries: number, sizeHint: number): ColumnBuilder {
  const chars = new Bytes(sizeHint);
  const offsets = new Offsets(entries);
  return {
    add(basket, from, to, where) {
      const off = needOffsets(basket, where);
      const d = basket.data;
      const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
      for (let i = from; i < to; i++) {
        let p = off[i];
        const end = off[i + 1];
        if (p >= end) throw bad(where, `entry ${i} has no string length`);
        let n = d[p++];
        if (n === 255) {
          if (p + 4 > end) throw bad(where, `entry ${i}: string length cut short`);
          n = dv.getInt32(p);
          p += 4;
        }
        if (p + n !== end) throw bad(where, `entry ${i}: string of ${n} bytes in ${end - p}`);
        offsets.push(n, where);
        chars.append(d.subarray(p, end));
      }
    },
    finish() {
      const valueOffsets = offsets.take();
      return makeData({
        type: new Utf8(),
        length: valueOffsets.length - 1,
        valueOffsets,
        data: chars.take()
      });
    }
  };
}
