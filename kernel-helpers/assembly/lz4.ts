// AssemblyScript, compiled to dist/wasm/lz4.wasm (scripts/build.mjs): ROOT's LZ4 chunks, driven
// by node/root/lz4-kernel.ts. XXH64 of the block (ROOT stores it before each block) and the LZ4
// block decode (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md), both with native
// 64-bit and SIMD arithmetic. Every read stays inside the block and every write inside the output:
// a damaged block is -1, never a write out of range. Short copies move 16 bytes at a time, so the
// caller leaves 16 spare bytes after the input and after the output (SLACK).

const P1: u64 = 0x9e3779b185ebca87;
const P2: u64 = 0xc2b2ae3d27d4eb4f;
const P3: u64 = 0x165667b19e3779f9;
const P4: u64 = 0x85ebca77c2b2ae63;
const P5: u64 = 0x27d4eb2f165667c5;

// @ts-ignore: decorator
@inline
function round(acc: u64, lane: u64): u64 {
  return rotl<u64>(acc + lane * P2, 31) * P1;
}

// @ts-ignore: decorator
@inline
function merge(acc: u64, v: u64): u64 {
  return (acc ^ round(0, v)) * P1 + P4;
}

/** XXH64 (seed 0) of `len` bytes at `ptr`. */
export function xxh64(ptr: usize, len: i32): u64 {
  let at = ptr;
  const end = ptr + <usize>len;
  let h: u64;
  if (len >= 32) {
    let v1: u64 = P1 + P2;
    let v2: u64 = P2;
    let v3: u64 = 0;
    let v4: u64 = 0 - P1;
    const limit = end - 32;
    do {
      v1 = round(v1, load<u64>(at));
      v2 = round(v2, load<u64>(at, 8));
      v3 = round(v3, load<u64>(at, 16));
      v4 = round(v4, load<u64>(at, 24));
      at += 32;
    } while (at <= limit);
    h = rotl<u64>(v1, 1) + rotl<u64>(v2, 7) + rotl<u64>(v3, 12) + rotl<u64>(v4, 18);
    h = merge(h, v1);
    h = merge(h, v2);
    h = merge(h, v3);
    h = merge(h, v4);
  } else {
    h = P5;
  }
  h += <u64>len;
  while (at + 8 <= end) {
    h = rotl<u64>(h ^ round(0, load<u64>(at)), 27) * P1 + P4;
    at += 8;
  }
  if (at + 4 <= end) {
    h = rotl<u64>(h ^ (<u64>load<u32>(at) * P1), 23) * P2 + P3;
    at += 4;
  }
  while (at < end) {
    h = rotl<u64>(h ^ (<u64>load<u8>(at) * P5), 11) * P1;
    at++;
  }
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}

/**
 * Decodes the LZ4 block of `srcLen` bytes at `src` into `dst` (room for `dstLen` bytes, plus
 * SLACK after them); returns the bytes written, or -1 when the block is malformed or too long.
 */
export function decodeBlock(src: usize, srcLen: i32, dst: usize, dstLen: i32): i32 {
  const srcEnd = src + <usize>srcLen;
  const dstEnd = dst + <usize>dstLen;
  let s = src;
  let d = dst;
  while (s < srcEnd) {
    const token = <u32>load<u8>(s++);
    let literals = <usize>(token >> 4);
    if (literals == 15) {
      let b: u32;
      do {
        if (s >= srcEnd) return -1;
        b = load<u8>(s++);
        literals += b;
      } while (b == 255);
    }
    if (literals > srcEnd - s || literals > dstEnd - d) return -1;
    if (literals <= 256) {
      // 16 bytes a step: up to 15 bytes past the literals are read (the input's SLACK or the
      // next sequence) and written (the output's SLACK or bytes the next sequence overwrites)
      let from = s;
      let to = d;
      const end = d + literals;
      do {
        v128.store(to, v128.load(from));
        to += 16;
        from += 16;
      } while (to < end);
    } else {
      memory.copy(d, s, literals);
    }
    s += literals;
    d += literals;
    if (s == srcEnd) break; // the last sequence has literals only
    if (srcEnd - s < 2) return -1;
    const offset = <usize>load<u16>(s);
    s += 2;
    if (offset == 0 || offset > d - dst) return -1;
    let match = <usize>(token & 15);
    if (match == 15) {
      let b: u32;
      do {
        if (s >= srcEnd) return -1;
        b = load<u8>(s++);
        match += b;
      } while (b == 255);
    }
    match += 4;
    if (match > dstEnd - d) return -1;
    let from = d - offset;
    if (offset >= 16) {
      // 16 bytes a step: each step reads bytes already written (offset ≥ 16) and may write up
      // to 15 bytes past the match, into the SLACK or bytes the next sequence overwrites
      const end = d + match;
      do {
        v128.store(d, v128.load(from));
        d += 16;
        from += 16;
      } while (d < end);
      d = end;
    } else if (offset >= 8) {
      // 8 bytes a step: each reads bytes written at least 8 before
      const end = d + match;
      do {
        store<u64>(d, load<u64>(from));
        d += 8;
        from += 8;
      } while (d < end);
      d = end;
    } else {
      // overlapping: the last `offset` bytes repeat, so the output is periodic with any multiple
      // of `offset`; byte by byte up to the first multiple ≥ 16, then 16 bytes a step from there
      // (doubled up to 64 while the output allows, so a step does not read the one before it)
      const end = d + match;
      let period = offset * ((offset + 15) / offset);
      const head = d + min(match, period);
      while (d < head) store<u8>(d++, load<u8>(from++));
      const base = end - match - offset; // where the repeated bytes begin
      while (d < end) {
        v128.store(d, v128.load(d - period));
        d += 16;
        if (period < 64 && d - base >= period << 1) period <<= 1;
      }
      d = end;
    }
  }
  return <i32>(d - dst);
}
