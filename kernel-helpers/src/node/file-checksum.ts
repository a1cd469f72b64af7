// Checksums of files on disk, against what a record declares (size, adler32 or sha1).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Checksum, StreamDigest, newDigest, parseChecksum } from '../core/checksum';
import { adler32Digest } from './adler32-kernel';

export { adler32Digest };

/** sha1 from node:crypto, in the streaming shape core's `newDigest` takes. */
export function sha1Digest(): StreamDigest {
  const hash = crypto.createHash('sha1');
  return {
    update: bytes => void hash.update(bytes),
    hex: () => hash.digest('hex')
  };
}

/** Streams a file through one digest; returns its lowercase hex. */
export async function fileDigest(file: string, algorithm: Checksum['algorithm']): Promise<string> {
  const digest = algorithm === 'adler32' ? adler32Digest() : newDigest(algorithm, sha1Digest);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    digest.update(chunk as Buffer);
  }
  return digest.hex();
}

export interface FileCheck {
  /** Bytes on disk. */
  size: number;
  /** The file's checksum in the declared algorithm (`adler32:…` / `sha1:…`), or null when none was declared. */
  checksum: string | null;
  /** True when size and checksum match what was declared (a missing declaration is not a match). */
  verified: boolean;
  /** Why not, when not verified. */
  problem?: string;
}

/** Compares a file with a declared size and checksum; a missing file is a problem, not an error. */
export async function checkFile(
  file: string,
  declared: { size: number | null; checksum: string | null }
): Promise<FileCheck> {
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch {
    return { size: 0, checksum: null, verified: false, problem: `${file}: missing` };
  }
  if (declared.size != null && size !== declared.size) {
    return {
      size,
      checksum: null,
      verified: false,
      problem: `${file}: ${size} bytes, the record declares ${declared.size}`
    };
  }
  if (!declared.checksum) {
    return { size, checksum: null, verified: false, problem: `${file}: no declared checksum` };
  }
  const expected = parseChecksum(declared.checksum, file);
  const actual = await fileDigest(file, expected.algorithm);
  const checksum = `${expected.algorithm}:${actual}`;
  if (actual !== expected.value) {
    return {
      size,
      checksum,
      verified: false,
      problem: `${file}: ${expected.algorithm} ${actual} does not match the declared ${expected.value}`
    };
  }
  return { size, checksum, verified: true };
}
