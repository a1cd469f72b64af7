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

/** Incremental adler32: `new Adler32().update(a).update(b).hex()` equals adler32 of a+b. */
export class Adler32 {
  private _a = 1;
  private _b = 0;

  update(bytes: Uint8Array): this {
    let a = this._a;
    let b = this._b;
    const n = bytes.length;
    for (let start = 0; start < n; start += NMAX) {
      const end = Math.min(start + NMAX, n);
      for (let i = start; i < end; i++) {
        a += bytes[i];
        b += a;
      }
      a %= MOD_ADLER;
      b %= MOD_ADLER;
    }
    this._a = a;
    this._b = b;
    return this;
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
