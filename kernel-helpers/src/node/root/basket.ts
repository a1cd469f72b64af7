// One TBasket: its TKey header, its (decompressed) bytes, and the entry offsets ROOT appends after
// the data of variable-size branches. Every length and offset is checked against the basket.
import { ByteSource } from '../../core/byte-source';
import { OpenDataError } from '../../core/errors';
import { uninitializedBytes } from '../uninitialized';
import { decompress } from './decompress';

/** A decoded basket: `data` holds the entries' bytes; `offsets` (entries + 1) bound each entry. */
export interface Basket {
  data: Uint8Array;
  /** Byte offsets of each entry in `data`, plus the end; null for fixed-size entries. */
  readonly offsets: Int32Array | null;
  entries: number;
  /**
   * The entry offsets as ROOT stores them (big-endian int32 from the key start, one per entry),
   * for a reader that converts and checks them in its own pass over the entries it reads (the
   * jagged builder); `offsets` is then computed only when asked for.
   */
  stored?: { view: DataView; keylen: number };
}

/** Where a basket is, from the TBranch arrays fBasketSeek/fBasketBytes/fBasketEntry. */
export interface BasketRef {
  index: number;
  seek: number;
  bytes: number;
  firstEntry: number;
  entries: number;
  /** A basket kept inside the TTree object (a file not closed properly), already in memory. */
  embedded?: Basket;
}

function tstringEnd(b: Uint8Array, dv: DataView, o: number): number {
  if (o >= b.length) return -1;
  const n = b[o];
  if (n === 255) return o + 5 > b.length ? -1 : o + 5 + dv.getUint32(o + 1);
  return o + 1 + n;
}

/** Reads basket `ref` of a branch from `source` and decodes it; `where` names file and branch. */
export async function readBasket(
  source: ByteSource,
  ref: BasketRef,
  where: string
): Promise<Basket> {
  if (!(ref.bytes > 0) || ref.seek <= 0) {
    throw new OpenDataError(
      'E_FORMAT',
      `${where}, basket ${ref.index} at byte ${ref.seek}: invalid basket location (${ref.bytes} bytes)`
    );
  }
  return decodeBasket(await source.read(ref.seek, ref.bytes), ref, where);
}

/** The uncompressed size of a basket's content (its key's fObjlen), -1 if it has no key. */
export function basketContentBytes(raw: Uint8Array): number {
  return raw.length < 10 ? -1 : new DataView(raw.buffer, raw.byteOffset, 10).getInt32(6);
}

/**
 * Decodes the bytes `raw` of basket `ref` (its TKey, then the maybe compressed content).
 * `into`: where a compressed basket's content may be decompressed when it is exactly that long
 * (a fixed-size branch's place in its column, where a jagged branch's next values go); `data`
 * (and the stored entry offsets after it) are then views of it.
 */
export async function decodeBasket(
  raw: Uint8Array,
  ref: BasketRef,
  where: string,
  into?: Uint8Array
): Promise<Basket> {
  const at = `${where}, basket ${ref.index} at byte ${ref.seek}`;
  const bad = (why: string) => new OpenDataError('E_FORMAT', `${at}: ${why}`);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.length < 18) throw bad('shorter than a key header');
  // TKey: fNbytes, fVersion, fObjlen, fDatime, fKeylen, fCycle, fSeekKey, fSeekPdir, 3 TStrings
  const nbytes = dv.getInt32(0);
  const version = dv.getInt16(4);
  const objlen = dv.getInt32(6);
  const keylen = dv.getInt16(14);
  if (nbytes !== ref.bytes) throw bad(`key says ${nbytes} bytes, the branch says ${ref.bytes}`);
  let o = 18 + (version > 1000 ? 16 : 8);
  for (let i = 0; i < 3 && o >= 0; i++) o = tstringEnd(raw, dv, o);
  // TBasket: fVersion, fBufferSize, fNevBufSize, fNevBuf, fLast, flag
  if (o < 0 || o + 19 !== keylen || keylen > nbytes || objlen < 0) {
    throw bad('malformed basket header');
  }
  const nevbuf = dv.getInt32(o + 10);
  const last = dv.getInt32(o + 14);
  if (nevbuf !== ref.entries) throw bad(`holds ${nevbuf} entries, the branch says ${ref.entries}`);
  const border = last - keylen;
  if (border < 0 || border > objlen) {
    throw bad(`data length ${border} outside the basket (${objlen})`);
  }

  const payload = raw.subarray(keylen);
  const content = payload.length === objlen ? payload : await decompress(payload, objlen, at, into);
  const data = content.subarray(0, border);
  if (objlen === border) return { data, offsets: null, entries: nevbuf };

  // Entry offsets: a count, then one offset per entry (from the key start); the end is `border`.
  if (objlen - border < 4 + 4 * nevbuf) throw bad('entry offsets cut short');
  const view = new DataView(content.buffer, content.byteOffset + border + 4, 4 * nevbuf);
  let offsets: Int32Array | undefined;
  return {
    data,
    entries: nevbuf,
    stored: { view, keylen },
    get offsets(): Int32Array {
      // copied into an aligned buffer (not zero-filled: every word is written), byte-swapped
      // natively, then checked and rebased in place
      if (offsets === undefined) {
        const words = new Int32Array(uninitializedBytes(4 * (nevbuf + 1)).buffer, 0, nevbuf + 1);
        new Uint8Array(words.buffer, 0, 4 * nevbuf).set(
          new Uint8Array(view.buffer, view.byteOffset, 4 * nevbuf)
        );
        Buffer.from(words.buffer, 0, 4 * nevbuf).swap32();
        offsets = entryOffsets(words, nevbuf, keylen, border, at);
      }
      return offsets;
    }
  };
}

/** Entry offsets relative to `data` (plus the end), checked to be in order and inside it. */
function entryOffsets(
  fromKey: ArrayLike<number>,
  nevbuf: number,
  keylen: number,
  border: number,
  at: string
): Int32Array {
  // in place when given a buffer of nevbuf + 1 offsets (decodeBasket's)
  const offsets =
    fromKey instanceof Int32Array && fromKey.length === nevbuf + 1
      ? fromKey
      : new Int32Array(nevbuf + 1);
  // no branch per entry: the smallest step and the largest offset decide, the culprit is found
  // below only on failure
  let prev = 0;
  let minStep = 0;
  let maxOff = 0;
  for (let i = 0; i < nevbuf; i++) {
    const off = fromKey[i] - keylen;
    minStep = Math.min(minStep, off - prev);
    maxOff = Math.max(maxOff, off);
    offsets[i] = prev = off;
  }
  if (minStep < 0 || maxOff > border || (nevbuf > 0 && offsets[0] !== 0)) {
    let i = 0;
    for (let p = 0; i < nevbuf; i++) {
      const off = offsets[i];
      if (!(off >= p && off <= border) || (i === 0 && off !== 0)) break;
      p = off;
    }
    throw new OpenDataError('E_FORMAT', `${at}: entry offset ${i} (${offsets[i]}) out of order`);
  }
  offsets[nevbuf] = border;
  return offsets;
}

/**
 * A basket jsroot found inside the TTree object (ROOT keeps the last basket there when a file is
 * not closed properly): its data and entry offsets as a Basket, checked like one read from disk.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function embeddedBasket(obj: Record<string, any>, variable: boolean, where: string): Basket {
  const nevbuf = Number(obj.fNevBuf);
  const keylen = Number(obj.fKeylen);
  const ref = obj.fBufferRef;
  // jsroot leaves fBufferRef out when the basket holds no bytes (e.g. only empty arrays)
  const view: DataView = ref?.arr ?? new DataView(new ArrayBuffer(0));
  const length = ref ? Number(ref.length) : 0;
  const empty = !ref && Number(obj.fLast) === keylen;
  if ((!ref && !empty) || !(length >= 0) || length > view.byteLength || !(nevbuf >= 0)) {
    throw new OpenDataError('E_FORMAT', `${where}: the basket kept in the TTree has no data`);
  }
  const data = new Uint8Array(view.buffer, view.byteOffset, length);
  if (!variable) return { data, offsets: null, entries: nevbuf };
  const fromKey: ArrayLike<number> | undefined = obj.fEntryOffset;
  if (!fromKey || fromKey.length < nevbuf) {
    throw new OpenDataError(
      'E_FORMAT',
      `${where}: the basket kept in the TTree has no entry offsets`
    );
  }
  return { data, offsets: entryOffsets(fromKey, nevbuf, keylen, length, where), entries: nevbuf };
}
