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
/** ±10^k: k in the low four bits, the sign in bit 4. */
const SIGNED_POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
  -1e0, -1e1, -1e2, -1e3, -1e4, -1e5, -1e6, -1e7, -1e8, -1e9, -1e10, -1e11, -1e12, -1e13, -1e14,
  -1e15
];
// Vector constants in memory (filled below, when the module starts).
const ZEROS = memory.data(16, 16); // '0' in each byte
const SHIFTED_ZEROS = memory.data(16, 16); // '0' + 0x80: digits become -128..-119
const DIGIT_LIMIT = memory.data(16, 16); // -118: below it, a digit
const POINTS = memory.data(16, 16); // '.'
const PAIR_WEIGHTS = memory.data(16, 16); // 0x0a01 in each 16-bit lane
const HUNDRED_ONE = memory.data(16, 16); // 100, 1 in 16-bit lanes
const TEN_THOUSAND_ONE = memory.data(16, 16); // 10000, 1 in 32-bit lanes
const LOW_WORDS = memory.data(16, 16); // the low 32 bits of each 64-bit lane
const DELIMITERS = memory.data(16, 16); // the delimiter of the current call
const LINE_FEEDS = memory.data(16, 16);
const RETURNS = memory.data(16, 16);
/**
 * Swizzles that right-align a field's digits: for a field ending at lane `stop` (1 to 16), with
 * its point at lane `at` (16: none) and a sign in lane 0 or not, output lane i takes the input
 * lane of the (16 - i)th digit from the end, or 0xff (zero) before the first digit.
 */
const SWIZZLES = memory.data(17 * 17 * 2 * 16, 16);

@inline
function swizzleFor(stop: u32, at: u32, negative: u32): usize {
  return SWIZZLES + (<usize>(((stop * 17 + at) << 1) | negative) << 4);
}

v128.store(ZEROS, i8x16.splat(0x30));
v128.store(SHIFTED_ZEROS, i8x16.splat(<i8>0xb0));
v128.store(DIGIT_LIMIT, i8x16.splat(-118));
v128.store(POINTS, i8x16.splat(0x2e));
v128.store(PAIR_WEIGHTS, i16x8.splat(0x0a01));
v128.store(HUNDRED_ONE, i16x8(100, 1, 100, 1, 100, 1, 100, 1));
v128.store(TEN_THOUSAND_ONE, i32x4(10000, 1, 10000, 1));
v128.store(LOW_WORDS, i64x2.splat(0xffffffff));
v128.store(LINE_FEEDS, i8x16.splat(0x0a));
v128.store(RETURNS, i8x16.splat(0x0d));
for (let stop: u32 = 1; stop <= 16; stop++) {
  for (let at: u32 = 0; at <= 16; at++) {
    for (let negative: u32 = 0; negative < 2; negative++) {
      const entry = swizzleFor(stop, at, negative);
      v128.store(entry, i8x16.splat(-1));
      let out: i32 = 15;
      for (let lane = <i32>stop - 1; lane >= <i32>negative && out >= 0; lane--) {
        if (lane == <i32>at) continue;
        store<u8>(entry + <usize>out, <u8>lane);
        out--;
      }
    }
  }
}
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
  v128.store(DELIMITERS, i8x16.splat(<i8>delimiter));
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
      // (Constants are loaded from memory: V8 builds a v128 constant anew at each use.)
      const negative = <u32>(load<u8>(p) == 0x2d);
      const digitLanes = i8x16.bitmask(
        i8x16.gt_s(v128.load(DIGIT_LIMIT), i8x16.sub(value, v128.load(SHIFTED_ZEROS)))
      );
      const others = ~digitLanes & 0xffff & ~negative; // not digits, after the sign
      const firstOther = others & (0 - others);
      const point = i8x16.bitmask(i8x16.eq(value, v128.load(POINTS))) & firstOther; // if first
      const stop = ctz((others ^ point) | 0x10000);
      const count = stop - negative - <u32>(point != 0); // digits
      // The next field's start comes from the separators alone, a shorter chain of dependent
      // instructions from one field to the next than through the digits.
      const separators = i8x16.bitmask(
        v128.or(
          v128.or(
            i8x16.eq(value, v128.load(DELIMITERS)),
            i8x16.eq(value, v128.load(LINE_FEEDS))
          ),
          i8x16.eq(value, v128.load(RETURNS))
        )
      );
      const fieldEnd = ctz(separators);
      c = <u32>load<u8>(p + fieldEnd);
      let fast = false;
      if (
        ((separators >>> stop) & 1) != 0 && // the number ends at a separator
        <u32>(count - 1) < 15 && // 1 to 15 digits
        (kind != INT || (point == 0 && count < 10))
      ) {
        fast = true;
        const at = point != 0 ? ctz(point) : 16;
        // The digits right-aligned in sixteen lanes, the point squeezed out, leading lanes zero.
        const digits = i8x16.swizzle(
          i8x16.sub(value, v128.load(ZEROS)),
          v128.load(swizzleFor(stop, at, negative))
        );
        // Pairs (d0·10 + d1 in each 16-bit lane's high byte), fours, eights; then the two halves.
        const pairs = i16x8.shr_u(i16x8.mul(digits, v128.load(PAIR_WEIGHTS)), 8);
        const fours = i32x4.mul(
          i32x4.dot_i16x8_s(pairs, v128.load(HUNDRED_ONE)),
          v128.load(TEN_THOUSAND_ONE)
        );
        const eights = i64x2.add(v128.and(fours, v128.load(LOW_WORDS)), i64x2.shr_u(fours, 32));
        const m =
          <u64>i64x2.extract_lane(eights, 0) * 100000000 + <u64>i64x2.extract_lane(eights, 1);
        if (kind == INT) {
          store<i32>(column + (<usize>row << 2), <i32>(negative != 0 ? -(<i64>m) : <i64>m));
        } else {
          // One correctly rounded division gives scale and sign (-0 included), without branches.
          const scale = (negative << 4) | (point != 0 ? stop - at - 1 : 0);
          store<f64>(column + (<usize>row << 3), <f64><i64>m / unchecked(SIGNED_POW10[scale]));
        }
        p += fieldEnd;
      }
      if (!fast) {
        const negative = load<u8>(p) == 0x2d;
        p += <usize>negative;
        const first = p;
        // Digits eight at a time while a whole word is digits, then the rest of the run; the byte
        // after the run comes from the same word. Written out for the integer and the fraction
        // part alike: a shared helper would carry the value in a global, 3-4% slower overall here
        // (exponents, as in Zmumu_Run2011A's dxy, come this way).
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
