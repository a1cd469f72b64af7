// AssemblyScript, compiled to dist/wasm/csv-numbers.wasm (scripts/build.mjs): the CSV reader's
// fast path for records of plain numbers. node/csv-numbers.ts drives it; anything it does not
// handle (quotes, empty fields, text, nan/inf, long mantissas, big exponents, an Int32 column
// meeting a float, a record cut by the chunk's end) makes it stop before that record, which the
// JavaScript parser then reads.
//
// How: a numeric field of up to 15 digits is read as one 16-byte vector (wasm SIMD): bitmasks of
// its digit and point lanes give its end and the point's place, a swizzle squeezes the point out
// and right-aligns the digits, and three multiply-adds combine them, with no branch per digit
// (about 1.1x faster than the scalar path on Zmumu_Run2011A, 1.15x on Zmumu.csv's long fractions).
// Longer fields and exponents take the scalar path: one unaligned 64-bit load tells how many of
// the next eight bytes are digits and converts them with three multiplies. The same in JavaScript
// ran at half the speed (bounds checks, 32-bit words); a separator index built first with SIMD
// measured no faster: the cost is the per-field work, not finding the fields.

// Exact powers of ten: m·10^e and m/10^e are correctly rounded for m ≤ 2^53 and e ≤ 22 (Clinger).
const POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22
];
const POW10_INT: StaticArray<u64> = [
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000
];
const ONES: u64 = 0x0101010101010101;
const ZEROS: v128 = i8x16.splat(0x30);
const TENS: v128 = i8x16.splat(10);
const POINTS: v128 = i8x16.splat(0x2e);
/** Lane i holds i - 16: plus the digit count, the digit a lane takes (negative: none). */
const LANES_FROM_END: v128 = i8x16(-16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1);
const LOW_BYTES: v128 = i16x8.splat(0xff);
const TENS_16: v128 = i16x8.splat(10);
const HUNDRED_ONE: v128 = i16x8(100, 1, 100, 1, 100, 1, 100, 1);
const TEN_THOUSAND_ONE: v128 = i32x4(10000, 1, 10000, 1);
const LOW_WORDS: v128 = i64x2.splat(0xffffffff);
const HIGH_BITS: u64 = 0x8080808080808080;
const LOW_NIBBLES: u64 = 0x0f0f0f0f0f0f0f0f;

/** Column kinds, as in node/csv-parser.ts. */
const INT: u8 = 1;
const TEXT: u8 = 3;

let stoppedAt: i32 = 0;

/** Bytes of the input consumed by the last `parseNumbers` call: where its records end. */
export function consumed(): i32 {
  return stoppedAt;
}

/** The value of the eight digit values in the bytes of v, byte 0 the most significant. */
@inline
function eightDigits(v: u64): u64 {
  v = v * 10 + (v >> 8); // pairs: d0d1, d2d3, … in bytes 0, 2, 4, 6
  const pairs: u64 = 0x000000ff000000ff;
  return (
    ((v & pairs) * (100 + (1000000 << 32)) + ((v >> 16) & pairs) * (1 + (10000 << 32))) >> 32
  );
}

/**
 * Bit 7 of each byte set where the byte of w is not '0'..'9': carries and borrows run only
 * upwards, so the lowest set bit marks the first non-digit exactly.
 */
@inline
function nonDigits(w: u64): u64 {
  return ((w + 0x46 * ONES) | (w - 0x30 * ONES)) & HIGH_BITS;
}

/** Bit 7 set in each byte of w equal to b·ONES's bytes; the lowest set bit is exact. */
@inline
function bytesEqual(w: u64, b: u64): u64 {
  const x = w ^ b;
  return (x - ONES) & ~x & HIGH_BITS;
}

/**
 * The end of an unquoted text field at p: the first delimiter, CR, LF, quote or NUL (the zero
 * padding after the input stops it), eight bytes at a time (delimiter = its byte times ONES).
 */
@inline
function textEnd(p: usize, delimiter: u64): usize {
  let stop: u64 = 0;
  while (stop == 0) {
    const w = load<u64>(p);
    stop =
      bytesEqual(w, delimiter) |
      bytesEqual(w, 0x0a * ONES) |
      bytesEqual(w, 0x0d * ONES) |
      bytesEqual(w, 0x22 * ONES) |
      bytesEqual(w, 0);
    if (stop == 0) p += 8;
  }
  return p + <usize>(ctz(stop) >> 3);
}

/** The value of the n (0 to 7) digits in the low bytes of w, byte 0 the most significant. */
@inline
function leadingDigits(w: u64, n: u64): u64 {
  // The digits moved to the top bytes, the emptied low bytes read as leading zeros. Two shifts:
  // one by 64 bits would shift by none.
  return eightDigits(((w & LOW_NIBBLES) << 8) << ((7 - n) << 3));
}

/**
 * Parses whole records of plain numbers and unquoted text from input[0, length) into columns:
 * column j at out + j·stride, per kinds[j] Int32 or Float64 values, or for text the field's start
 * and end (i32 offsets from input; the caller copies the bytes). At least 16 zero bytes must
 * follow the input.
 * Returns the number of records read (at most `capacity`); consumed() tells where they end.
 */
export function parseNumbers(
  input: usize,
  length: i32,
  columns: i32,
  kinds: usize,
  out: usize,
  stride: i32,
  capacity: i32,
  delimiter: u32
): i32 {
  const end = input + <usize>length;
  const last = columns - 1;
  const delimiters = <u64>delimiter * ONES;
  let p = input;
  let row = 0;
  while (row < capacity && p < end) {
    const recordStart = p;
    let complete = false;
    for (let j = 0; j <= last; j++) {
      const kind = load<u8>(kinds + j);
      const column = out + <usize>j * <usize>stride;
      let c: u32;
      if (kind == TEXT) {
        const start = p;
        p = textEnd(p, delimiters);
        c = <u32>load<u8>(p);
        if (p == start || c == 0x22) break; // empty (null) or quoted: the caller's
        store<i32>(column + (<usize>row << 3), <i32>(start - input));
        store<i32>(column + (<usize>row << 3) + 4, <i32>(p - input));
      } else {
      const value = v128.load(p);
      // Sixteen bytes at once: where the digits, the point and the field's end lie, from bitmasks.
      const negative = <u32>(load<u8>(p) == 0x2d);
      const digitLanes = i8x16.bitmask(i8x16.lt_u(i8x16.sub(value, ZEROS), TENS));
      const others = ~digitLanes & 0xffff & ~negative; // not digits, after the sign
      const firstOther = others & (0 - others);
      const point = i8x16.bitmask(i8x16.eq(value, POINTS)) & firstOther; // when it comes first
      const stop = ctz((others ^ point) | 0x10000);
      const count = stop - negative - <u32>(point != 0); // digits
      c = <u32>load<u8>(p + stop);
      let fast = false;
      if (
        <u32>(count - 1) < 15 && // 1 to 15 digits
        (c == delimiter || c == 0x0a || c == 0x0d) &&
        (kind != INT || (point == 0 && count < 10))
      ) {
        fast = true;
        const at = point != 0 ? ctz(point) : 16;
        // The digits right-aligned in sixteen lanes, the point squeezed out, leading lanes zero.
        const base = i8x16.add(LANES_FROM_END, i8x16.splat(<i8>count));
        let source = i8x16.add(base, i8x16.splat(<i8>negative));
        source = i8x16.sub(source, i8x16.ge_s(source, i8x16.splat(<i8>at)));
        source = v128.or(source, i8x16.shr_s(base, 7));
        const digits = i8x16.swizzle(i8x16.sub(value, ZEROS), source);
        // Pairs, fours, eights of digits; then the two halves.
        const pairs = i16x8.add(
          i16x8.mul(v128.and(digits, LOW_BYTES), TENS_16),
          i16x8.shr_u(digits, 8)
        );
        const fours = i32x4.mul(i32x4.dot_i16x8_s(pairs, HUNDRED_ONE), TEN_THOUSAND_ONE);
        const eights = i64x2.add(v128.and(fours, LOW_WORDS), i64x2.shr_u(fours, 32));
        const m = <u64>i64x2.extract_lane(eights, 0) * 100000000 + <u64>i64x2.extract_lane(eights, 1);
        if (kind == INT) {
          store<i32>(column + (<usize>row << 2), <i32>(negative != 0 ? -(<i64>m) : <i64>m));
        } else {
          let v = <f64><i64>m;
          if (point != 0) v /= unchecked(POW10[stop - at - 1]);
          // The sign as a bit: -0 stays -0, and no branch on data.
          store<f64>(
            column + (<usize>row << 3),
            reinterpret<f64>(reinterpret<u64>(v) | (<u64>negative << 63))
          );
        }
        p += stop;
      }
      if (!fast) {
        const negative = load<u8>(p) == 0x2d;
        p += <usize>negative;
        const first = p;
        // Digits eight at a time while a whole word is digits, then the rest of the run; the byte
        // after the run comes from the same word.
        let w = load<u64>(p);
        let stop = nonDigits(w);
        let m: u64 = 0;
        if (stop == 0) {
          do {
            m = m * 100000000 + eightDigits(w & LOW_NIBBLES);
            p += 8;
            w = load<u64>(p);
            stop = nonDigits(w);
          } while (stop == 0);
        }
        let n = ctz(stop) >> 3;
        m = m * unchecked(POW10_INT[<i32>n]) + leadingDigits(w, n);
        p += <usize>n;
        c = <u32>(w >> (n << 3)) & 0xff;
        let digits = <i32>(p - first);
        let exponent: i32 = 0;
        let integral = true;
        if (c == 0x2e) {
          p++;
          const fraction = p;
          w = load<u64>(p);
          stop = nonDigits(w);
          if (stop == 0) {
            do {
              m = m * 100000000 + eightDigits(w & LOW_NIBBLES);
              p += 8;
              w = load<u64>(p);
              stop = nonDigits(w);
            } while (stop == 0);
          }
          n = ctz(stop) >> 3;
          m = m * unchecked(POW10_INT[<i32>n]) + leadingDigits(w, n);
          p += <usize>n;
          c = <u32>(w >> (n << 3)) & 0xff;
          const count = <i32>(p - fraction);
          digits += count;
          exponent = -count;
          integral = false;
        }
        // Up to 19 digits fit u64; past 2^53 the value needs the exact slow path.
        if (digits == 0 || digits > 19 || m > 9007199254740992) break;
        if ((c | 0x20) == 0x65) {
          integral = false;
          c = <u32>load<u8>(++p);
          const expNegative = c == 0x2d;
          if (c == 0x2d || c == 0x2b) c = <u32>load<u8>(++p);
          let e: i32 = 0;
          let count = 0;
          while (c - 0x30 < 10 && count < 4) {
            e = e * 10 + <i32>(c - 0x30);
            count++;
            c = <u32>load<u8>(++p);
          }
          if (count == 0 || c - 0x30 < 10) break;
          exponent += expNegative ? -e : e;
        }
        if (kind == INT) {
          if (!integral || m > (negative ? 2147483648 : 2147483647)) break;
          store<i32>(column + (<usize>row << 2), <i32>(negative ? -(<i64>m) : <i64>m));
        } else {
          let v = <f64><i64>m;
          if (exponent < 0) {
            if (exponent < -22) break;
            v /= unchecked(POW10[-exponent]);
          } else if (exponent > 0) {
            if (exponent > 22) break;
            v *= unchecked(POW10[exponent]);
          }
          store<f64>(column + (<usize>row << 3), negative ? -v : v);
        }
      }
      }
      if (p >= end) break;
      if (j < last) {
        if (c != delimiter) break;
        p++;
      } else if (c == 0x0a) {
        p++;
      } else if (c == 0x0d && p + 1 < end && load<u8>(p + 1) == 0x0a) {
        p += 2;
      } else {
        break;
      }
      complete = j == last;
    }
    if (!complete) {
      p = recordStart; // a field it does not handle: the record is left to the caller
      break;
    }
    row++;
  }
  stoppedAt = <i32>(p - input);
  return row;
}
