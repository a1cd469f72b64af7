// AssemblyScript, compiled to dist/wasm/adler32.wasm (scripts/build.mjs): adler32 with wasm SIMD,
// driven by node/adler32-kernel.ts. Per 16-byte vector: the byte sums (pairwise widening adds)
// and the sums weighted 16..1 (dot products); b gains 16 × the sums of the vectors before, kept
// per lane and combined once per block of ≤ 5552 bytes (zlib's NMAX), as the scalar loop does.

const MOD: u64 = 65521;
const NMAX: i32 = 5552;

/** adler32 of `len` bytes at `ptr`, continuing from `state` (1 for a fresh checksum). */
export function adler32(ptr: usize, len: i32, state: u32): u32 {
  let a: u64 = state & 0xffff;
  let b: u64 = state >>> 16;
  const high = i16x8(16, 15, 14, 13, 12, 11, 10, 9);
  const low = i16x8(8, 7, 6, 5, 4, 3, 2, 1);
  let at = ptr;
  let left = len;
  while (left >= 16) {
    const n = min(left, NMAX) & ~15;
    let sums = i32x4.splat(0); // byte sums, per lane
    let before = i32x4.splat(0); // sums of the vectors before this one, per lane
    let weighted = i32x4.splat(0);
    const end = at + <usize>n;
    while (at < end) {
      const v = v128.load(at);
      before = i32x4.add(before, sums);
      sums = i32x4.add(sums, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(v)));
      weighted = i32x4.add(weighted, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(v), high));
      weighted = i32x4.add(weighted, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_u(v), low));
      at += 16;
    }
    const s = lanes(sums);
    b += <u64>n * a + 16 * lanes(before) + lanes(weighted);
    a += s;
    a %= MOD;
    b %= MOD;
    left -= n;
  }
  for (let i = 0; i < left; i++) {
    a += <u64>load<u8>(at + <usize>i);
    b += a;
  }
  a %= MOD;
  b %= MOD;
  return <u32>((b << 16) | a);
}

// @ts-ignore: decorator
@inline
function lanes(v: v128): u64 {
  return (
    <u64>(<u32>i32x4.extract_lane(v, 0)) +
    <u64>(<u32>i32x4.extract_lane(v, 1)) +
    <u64>(<u32>i32x4.extract_lane(v, 2)) +
    <u64>(<u32>i32x4.extract_lane(v, 3))
  );
}
