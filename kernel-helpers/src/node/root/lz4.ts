// LZ4 block format decoder (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md): ROOT's
// "L4" compression stores one block per compressed chunk. Bounds are checked on every step, so a
// corrupted block is an error, never an out-of-range write or a read past the input.

/**
 * Decodes the LZ4 block `src` into `dst` starting at `dstStart`; returns the number of bytes
 * written, or -1 when the block is malformed or does not fit.
 */
export function decodeLZ4Block(src: Uint8Array, dst: Uint8Array, dstStart = 0): number {
  const srcEnd = src.length;
  const dstEnd = dst.length;
  let s = 0;
  let d = dstStart;
  while (s < srcEnd) {
    const token = src[s++];
    let literals = token >>> 4;
    if (literals === 15) {
      let b: number;
      do {
        if (s >= srcEnd) return -1;
        b = src[s++];
        literals += b;
      } while (b === 255);
    }
    if (s + literals > srcEnd || d + literals > dstEnd) return -1;
    if (literals < 16) {
      for (let i = 0; i < literals; i++) dst[d + i] = src[s + i];
    } else {
      dst.set(src.subarray(s, s + literals), d);
    }
    s += literals;
    d += literals;
    if (s === srcEnd) break; // the last sequence has literals only
    if (s + 2 > srcEnd) return -1;
    const offset = src[s] | (src[s + 1] << 8);
    s += 2;
    if (offset === 0 || offset > d - dstStart) return -1;
    let match = token & 15;
    if (match === 15) {
      let b: number;
      do {
        if (s >= srcEnd) return -1;
        b = src[s++];
        match += b;
      } while (b === 255);
    }
    match += 4;
    if (d + match > dstEnd) return -1;
    let from = d - offset;
    if (offset >= match) {
      dst.copyWithin(d, from, from + match);
      d += match;
    } else {
      // overlapping copy repeats the last `offset` bytes
      for (let i = 0; i < match; i++) dst[d++] = dst[from++];
    }
  }
  return d - dstStart;
}
