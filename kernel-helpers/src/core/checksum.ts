// File checksums as the portal declares them, and adler32 (browser-safe). sha1 needs a digest
// implementation: Node code passes node:crypto's (node/file-checksum.ts); core never imports it.
import { OpenDataError } from './errors';

export type ChecksumAlgorithm = 'adler32' | 'sha1';

/** A declared checksum, normalised: lowercase hex, adler32 left-padded to 8 digits. */
export interface Checksum {
  algorithm: ChecksumAlgorithm;
  value: string;
}

const MOD_ADLER = 65521;
// The largest n such that 255·n·(n+1)/2 + (n+1)·(MOD_ADLER−1) ≤ 2^32−1 (zlib's NMAX): sums stay
// exact in 32 bits, so the modulo is needed only once per block.
const NMAX = 5552;

// Words of four bytes per step (below): at most this many between two modulos keeps b under 2^30,
// a small integer to V8 (b grows by < 4·a + 2550 a word, a by ≤ 1020).
const WORDS_PER_BLOCK = 500;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Incremental adler32: `new Adler32().update(a).update(b).hex()` equals adler32 of a+b. */
export class Adler32 {
  private _a = 1;
  private _b = 0;

  update(bytes: Uint8Array): this {
    const n = bytes.length;
    // Up to the first 4-byte boundary (all of it when short), byte by byte; then whole words.
    const head = n < 64 || !LITTLE_ENDIAN ? n : (4 - (bytes.byteOffset & 3)) & 3;
    this._bytes(bytes, 0, head);
    if (head === n) return this;
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + head, (n - head) >>> 2);
    this._words(words);
    this._bytes(bytes, head + words.length * 4, n);
    return this;
  }

  private _bytes(bytes: Uint8Array, from: number, to: number): void {
    let a = this._a;
    let b = this._b;
    for (let start = from; start < to; start += NMAX) {
      const end = Math.min(start + NMAX, to);
      for (let i = start; i < end; i++) {
        a += bytes[i];
        b += a;
      }
      a %= MOD_ADLER;
      b %= MOD_ADLER;
    }
    this._a = a;
    this._b = b;
  }

  /**
   * Four bytes x0..x3 (little-endian word) at once: b += 4a + 4x0 + 3x1 + 2x2 + x3 and
   * a += x0 + x1 + x2 + x3, the byte sum from two 16-bit lanes. One typed-array load and bounds
   * check per four bytes: ~1.6x the byte loop.
   */
  private _words(words: Uint32Array): void {
    let a = this._a;
    let b = this._b;
    const n = words.length;
    for (let start = 0; start < n; start += WORDS_PER_BLOCK) {
      const end = Math.min(start + WORDS_PER_BLOCK, n);
      for (let k = start; k < end; k++) {
        const x = words[k];
        const lanes = (x & 0x00ff00ff) + ((x >>> 8) & 0x00ff00ff);
        const sum = (lanes & 0xffff) + (lanes >>> 16);
        b += (a << 2) + sum + 3 * (x & 255) + 2 * ((x >>> 8) & 255) + ((x >>> 16) & 255);
        a += sum;
      }
      a %= MOD_ADLER;
      b %= MOD_ADLER;
    }
    this._a = a;
    this._b = b;
  }

  /** The checksum as an unsigned 32-bit number. */
  digest(): number {
    return ((this._b << 16) | this._a) >>> 0;
  }

  /** The checksum as 8 lowercase hex digits. */
  hex(): string {
    return this.digest().toString(16).padStart(8, '0');
  }
}

export function adler32(bytes: Uint8Array): number {
  return new Adler32().update(bytes).digest();
}

/**
 * Parses a checksum as the portal writes it: `adler32:<hex>` (not always zero-padded, once
 * misspelt `alder32:`) or `sha1:<40 hex>`. Anything else is E_FORMAT naming `where`.
 */
export function parseChecksum(text: string, where = 'checksum'): Checksum {
  const m = /^\s*([a-z0-9]+)\s*:\s*([0-9a-f]+)\s*$/i.exec(String(text));
  const algorithm = m?.[1].toLowerCase();
  const hex = m?.[2].toLowerCase() ?? '';
  if ((algorithm === 'adler32' || algorithm === 'alder32') && hex.length >= 1 && hex.length <= 8) {
    return { algorithm: 'adler32', value: hex.padStart(8, '0') };
  }
  if (algorithm === 'sha1' && hex.length === 40) return { algorithm: 'sha1', value: hex };
  throw new OpenDataError(
    'E_FORMAT',
    `${where}: unsupported checksum ${JSON.stringify(text)} (expected adler32:<hex> or sha1:<40 hex>)`
  );
}

/** `adler32:0d673690`: the normalised form, comparable as a string. */
export function formatChecksum(checksum: Checksum): string {
  return `${checksum.algorithm}:${checksum.value}`;
}

/** Computes checksums of a byte stream; sha1 only when a digest factory is given. */
export interface StreamDigest {
  update(bytes: Uint8Array): void;
  /** Lowercase hex. */
  hex(): string;
}

/** A streaming digest for `algorithm`; `sha1` must come from the caller (Node: sha1Digest). */
export function newDigest(algorithm: ChecksumAlgorithm, sha1?: () => StreamDigest): StreamDigest {
  if (algorithm === 'adler32') return new Adler32();
  if (!sha1) {
    throw new OpenDataError('E_UNSUPPORTED', 'sha1 checksums need a sha1 implementation here');
  }
  return sha1();
}
