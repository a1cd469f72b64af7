// A minimal PNG writer for the heatmaps of figure-svg.ts: one palette index per pixel (a heatmap's
// cell), so a 2-D histogram's picture is one small <image> instead of one SVG shape per cell.
// Browser-safe; deflate uses stored blocks and runs of one byte (what heatmaps are mostly made of:
// empty regions, repeated colours), with the fixed Huffman code, so no table is written.

/** An indexed-colour PNG: `pixels[row * width + column]` index `palette`; `transparent` is clear. */
export function indexedPng(
  width: number,
  height: number,
  pixels: Uint8Array,
  palette: ReadonlyArray<readonly [number, number, number]>,
  transparent?: number
): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 3, 0, 0, 0], 8); // 8 bits, palette, deflate, adaptive filters, no interlace
  // Each row starts with its filter byte: 0, none.
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) {
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  const chunks = [
    chunk('IHDR', header),
    chunk('PLTE', Uint8Array.from(palette.flat())),
    ...(transparent === undefined
      ? []
      : [
          chunk(
            'tRNS',
            Uint8Array.from(palette, (_, i) => (i === transparent ? 0 : 255))
          )
        ]),
    chunk('IDAT', zlibRuns(raw)),
    chunk('IEND', new Uint8Array(0))
  ];
  return concat([Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]), ...chunks]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

let crcTable: Uint32Array | null = null;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Writes bits least significant first, as deflate reads them. */
class BitWriter {
  bytes: number[] = [];
  private acc = 0;
  private count = 0;

  bits(value: number, n: number): void {
    for (let i = 0; i < n; i++) {
      this.acc |= ((value >>> i) & 1) << this.count;
      if (++this.count === 8) this.flush();
    }
  }

  /** A Huffman code: deflate stores those most significant bit first. */
  code(value: number, n: number): void {
    for (let i = n - 1; i >= 0; i--) this.bits((value >>> i) & 1, 1);
  }

  flush(): void {
    if (this.count > 0) this.bytes.push(this.acc);
    this.acc = 0;
    this.count = 0;
  }
}

// Deflate's length codes: base lengths and extra bits of codes 257..285.
const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258
];
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
];

/** A symbol of deflate's fixed literal/length code. */
function fixedSymbol(w: BitWriter, symbol: number): void {
  if (symbol < 144) w.code(0x30 + symbol, 8);
  else if (symbol < 256) w.code(0x190 + symbol - 144, 9);
  else if (symbol < 280) w.code(symbol - 256, 7);
  else w.code(0xc0 + symbol - 280, 8);
}

/**
 * A zlib stream of one fixed-Huffman block: literals, and runs of the previous byte as matches at
 * distance 1 (3 to 258 bytes each).
 */
function zlibRuns(data: Uint8Array): Uint8Array {
  const w = new BitWriter();
  w.bits(1, 1); // the last block
  w.bits(1, 2); // fixed Huffman codes
  let i = 0;
  while (i < data.length) {
    fixedSymbol(w, data[i]);
    let run = 0;
    while (i + 1 + run < data.length && data[i + 1 + run] === data[i] && run < 258) run++;
    i++;
    if (run < 3) continue;
    let k = LENGTH_BASE.length - 1;
    while (LENGTH_BASE[k] > run) k--;
    fixedSymbol(w, 257 + k);
    w.bits(run - LENGTH_BASE[k], LENGTH_EXTRA[k]);
    w.code(0, 5); // distance code 0: distance 1
    i += run;
  }
  fixedSymbol(w, 256); // end of block
  w.flush();
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const adler = ((b << 16) | a) >>> 0;
  return Uint8Array.from([
    0x78,
    0x01,
    ...w.bytes,
    adler >>> 24,
    (adler >>> 16) & 0xff,
    (adler >>> 8) & 0xff,
    adler & 0xff
  ]);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (no btoa: the same in every runtime). */
export function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[n >>> 18] + BASE64[(n >>> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(n >>> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64[n & 63] : '=';
  }
  return out;
}
