// ROOT's compressed chunks: a 9-byte header (2-letter algorithm, method byte, 3-byte little-endian
// compressed and uncompressed sizes) then the payload; a basket may hold several chunks. zlib uses
// Node's own zlib (≈7× jsroot's pure-JS inflate), straight into the caller's buffer on libuv's
// thread pool (inflate-into.ts), LZ4 the WebAssembly kernel (lz4-kernel.ts, its XXH64 checksum verified), ZSTD fzstd (jsroot's zstd wasm wrapper loops forever on some corrupted
// frames), LZMA jsroot's xz port.
import { decompress as zstdDecompress } from 'fzstd';
import { OpenDataError } from '../../core/errors';
import { uninitializedBytes } from '../uninitialized';
import { inflateInto, inflateIntoAsync } from './inflate-into';
import { decodeLZ4Chunk } from './lz4-kernel';
import { loadJsroot, quietly } from './jsroot';

const HEADER = 9;

let onThreadPool = true;

/**
 * zlib chunks inflate on the calling thread from now on, not on libuv's pool. For a process that
 * is one of a pool of dataset workers, one per core (dataset-worker.ts): there the pool's threads
 * only compete with the other workers, and handing each basket over costs more than it overlaps.
 */
export function inflateOnCallingThread(): void {
  onThreadPool = false;
}

/** Whether zlib chunks inflate on libuv's pool (the default) or on the calling thread. */
export function inflatesOnThreadPool(): boolean {
  return onThreadPool;
}

function u24(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
}

/**
 * Decompresses `src` (one or more ROOT chunks) into exactly `size` bytes. `where` names the file
 * and basket in error messages. `into` (`size` bytes): where to put them, e.g. the column's own
 * bytes, so they are not copied again.
 */
export async function decompress(
  src: Uint8Array,
  size: number,
  where: string,
  into?: Uint8Array
): Promise<Uint8Array> {
  let out: Uint8Array | undefined = into?.length === size ? into : undefined;
  let s = 0;
  let d = 0;
  while (d < size) {
    if (s + HEADER > src.length) {
      throw new OpenDataError(
        'E_FORMAT',
        `${where}: compressed data ends after ${d} of ${size} bytes`
      );
    }
    const tag = String.fromCharCode(src[s], src[s + 1]);
    const packed = u24(src, s + 3);
    const unpacked = u24(src, s + 6);
    const body = src.subarray(s + HEADER, s + HEADER + packed);
    if (body.length !== packed || d + unpacked > size) {
      throw new OpenDataError(
        'E_FORMAT',
        `${where}: compressed chunk at byte ${s} overruns the basket`
      );
    }
    const fail = (why: string) =>
      new OpenDataError(
        'E_FORMAT',
        `${where}: ${tag} chunk at byte ${s} does not decompress (${why})`
      );
    let got: number;
    if (tag === 'ZL' || tag === 'CS') {
      // straight into the output (e.g. the column's bytes): no buffer per chunk, no copy
      out ??= uninitializedBytes(size);
      const target = out.subarray(d, d + unpacked);
      const failure = onThreadPool
        ? await inflateIntoAsync(body, tag === 'CS', target)
        : inflateInto(body, tag === 'CS', target);
      if (failure !== null) throw fail(failure);
      got = unpacked;
    } else if (tag === 'L4') {
      // 8 bytes of XXH64 (big-endian) of the block precede it; the decoder also checks every bound
      if (packed < 8) throw fail('too short');
      out ??= uninitializedBytes(size);
      const failure = decodeLZ4Chunk(body, out, d, unpacked);
      if (failure !== null) throw fail(failure);
      got = unpacked;
    } else if (tag === 'ZS') {
      let chunk: Uint8Array;
      try {
        chunk = zstdDecompress(body, new Uint8Array(unpacked));
      } catch (err) {
        throw fail((err as Error).message);
      }
      if (chunk.length !== unpacked) throw fail(`${chunk.length} bytes instead of ${unpacked}`);
      (out ??= uninitializedBytes(size)).set(chunk, d);
      got = unpacked;
    } else if (tag === 'XZ') {
      const jsroot = await loadJsroot();
      const view = new DataView(src.buffer, src.byteOffset + s, HEADER + packed);
      let res: DataView | null;
      try {
        res = (await quietly(() => jsroot.R__unzip(view, unpacked, true))).value;
      } catch (err) {
        throw fail((err as Error).message);
      }
      if (!res || res.byteLength !== unpacked) throw fail('decoder failed');
      (out ??= uninitializedBytes(size)).set(
        new Uint8Array(res.buffer, res.byteOffset, res.byteLength),
        d
      );
      got = unpacked;
    } else {
      throw new OpenDataError(
        'E_UNSUPPORTED',
        `${where}: unknown compression "${tag.replace(/[^ -~]/g, '?')}" at byte ${s}`
      );
    }
    d += got;
    s += HEADER + packed;
  }
  return out ?? new Uint8Array(0);
}
