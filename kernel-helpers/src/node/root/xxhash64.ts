// XXH64 (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md), seed 0: ROOT stores it
// before each LZ4 block, so a damaged block is an error instead of silently wrong values. 64-bit
// arithmetic on pairs of uint32 (BigInt would be ~20× slower).

// the five primes as [hi, lo]
const P1H = 0x9e3779b1, P1L = 0x85ebca87; // prettier-ignore
const P2H = 0xc2b2ae3d, P2L = 0x27d4eb4f; // prettier-ignore
const P3H = 0x165667b1, P3L = 0x9e3779f9; // prettier-ignore
const P4H = 0x85ebca77, P4L = 0xc2b2ae63; // prettier-ignore
const P5H = 0x27d4eb2f, P5L = 0x165667c5; // prettier-ignore

// results of the helpers below (no allocation per step)
let rh = 0;
let rl = 0;

function mul(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16; // prettier-ignore
  const mid = a0 * b1 + a1 * b0; // < 2^33, exact
  const low = a0 * b0 + (mid % 65536) * 65536; // < 2^33
  rl = low >>> 0;
  const carry = Math.floor(low / 4294967296);
  rh = (a1 * b1 + Math.floor(mid / 65536) + carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

function add(ah: number, al: number, bh: number, bl: number): void {
  const low = al + bl;
  rl = low >>> 0;
  rh = (ah + bh + (low > 0xffffffff ? 1 : 0)) >>> 0;
}

function rotl(h: number, l: number, r: number): void {
  if (r >= 32) [h, l, r] = [l, h, r - 32];
  if (r === 0) {
    rh = h;
    rl = l;
    return;
  }
  rh = ((h << r) | (l >>> (32 - r))) >>> 0;
  rl = ((l << r) | (h >>> (32 - r))) >>> 0;
}

/** acc = rotl(acc + input·P2, 31)·P1 → rh, rl */
function round(acch: number, accl: number, ih: number, il: number): void {
  mul(ih, il, P2H, P2L);
  add(acch, accl, rh, rl);
  rotl(rh, rl, 31);
  mul(rh, rl, P1H, P1L);
}

/** XXH64 of `b` with seed 0, as [hi, lo] uint32. */
export function xxhash64(b: Uint8Array): [number, number] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = b.length;
  let p = 0;
  let hh: number;
  let hl: number;
  if (n >= 32) {
    add(P1H, P1L, P2H, P2L);
    let v1h = rh, v1l = rl; // prettier-ignore
    let v2h = P2H, v2l = P2L; // prettier-ignore
    let v3h = 0, v3l = 0; // prettier-ignore
    // 0 - P1 (two's complement; P1's low word is not 0, so no carry)
    let v4h = ~P1H >>> 0, v4l = -P1L >>> 0; // prettier-ignore
    for (; p + 32 <= n; p += 32) {
      round(v1h, v1l, dv.getUint32(p + 4, true), dv.getUint32(p, true));
      v1h = rh;
      v1l = rl; // prettier-ignore
      round(v2h, v2l, dv.getUint32(p + 12, true), dv.getUint32(p + 8, true));
      v2h = rh;
      v2l = rl; // prettier-ignore
      round(v3h, v3l, dv.getUint32(p + 20, true), dv.getUint32(p + 16, true));
      v3h = rh;
      v3l = rl; // prettier-ignore
      round(v4h, v4l, dv.getUint32(p + 28, true), dv.getUint32(p + 24, true));
      v4h = rh;
      v4l = rl; // prettier-ignore
    }
    rotl(v1h, v1l, 1);
    let th = rh, tl = rl; // prettier-ignore
    rotl(v2h, v2l, 7);
    add(th, tl, rh, rl);
    th = rh;
    tl = rl; // prettier-ignore
    rotl(v3h, v3l, 12);
    add(th, tl, rh, rl);
    th = rh;
    tl = rl; // prettier-ignore
    rotl(v4h, v4l, 18);
    add(th, tl, rh, rl);
    hh = rh;
    hl = rl; // prettier-ignore
    for (const [vh, vl] of [
      [v1h, v1l],
      [v2h, v2l],
      [v3h, v3l],
      [v4h, v4l]
    ]) {
      round(0, 0, vh, vl);
      hh = (hh ^ rh) >>> 0;
      hl = (hl ^ rl) >>> 0;
      mul(hh, hl, P1H, P1L);
      add(rh, rl, P4H, P4L);
      hh = rh;
      hl = rl; // prettier-ignore
    }
  } else {
    hh = P5H;
    hl = P5L;
  }
  add(hh, hl, Math.floor(n / 4294967296), n >>> 0);
  hh = rh;
  hl = rl; // prettier-ignore
  for (; p + 8 <= n; p += 8) {
    round(0, 0, dv.getUint32(p + 4, true), dv.getUint32(p, true));
    hh = (hh ^ rh) >>> 0;
    hl = (hl ^ rl) >>> 0;
    rotl(hh, hl, 27);
    mul(rh, rl, P1H, P1L);
    add(rh, rl, P4H, P4L);
    hh = rh;
    hl = rl; // prettier-ignore
  }
  if (p + 4 <= n) {
    mul(0, dv.getUint32(p, true), P1H, P1L);
    hh = (hh ^ rh) >>> 0;
    hl = (hl ^ rl) >>> 0;
    rotl(hh, hl, 23);
    mul(rh, rl, P2H, P2L);
    add(rh, rl, P3H, P3L);
    hh = rh;
    hl = rl; // prettier-ignore
    p += 4;
  }
  for (; p < n; p++) {
    mul(0, b[p], P5H, P5L);
    hh = (hh ^ rh) >>> 0;
    hl = (hl ^ rl) >>> 0;
    rotl(hh, hl, 11);
    mul(rh, rl, P1H, P1L);
    hh = rh;
    hl = rl; // prettier-ignore
  }
  // avalanche
  hl = (hl ^ (hh >>> 1)) >>> 0; // h ^= h >> 33
  mul(hh, hl, P2H, P2L);
  hh = rh;
  hl = rl; // prettier-ignore
  hl = (hl ^ ((hl >>> 29) | (hh << 3))) >>> 0; // h ^= h >> 29
  hh = (hh ^ (hh >>> 29)) >>> 0;
  mul(hh, hl, P3H, P3L);
  hh = rh;
  hl = rl; // prettier-ignore
  hl = (hl ^ hh) >>> 0; // h ^= h >> 32
  return [hh, hl];
}
