// ROOT's LZ4 chunks (8 bytes of big-endian XXH64, then one LZ4 block) through the WebAssembly
// kernel (assembly/lz4.ts: native 64-bit XXH64, SIMD copies), ~3× the JavaScript decoder and hash
// (lz4.ts, xxhash64.ts), which remain for a build without the kernel.
import fs from 'node:fs';
import { builtFile } from '../built-file';
import { decodeLZ4Block } from './lz4';
import { xxhash64 } from './xxhash64';

interface Lz4Exports {
  memory: WebAssembly.Memory;
  xxh64(ptr: number, len: number): bigint;
  decodeBlock(src: number, srcLen: number, dst: number, dstLen: number): number;
}

/** Spare bytes the kernel may touch after its input and its output (16-byte copies). */
const SLACK = 16;
const PAGE = 65536;

let kernel: Lz4Exports | null | undefined;

function lz4Kernel(): Lz4Exports | null {
  if (kernel === undefined) {
    const file = builtFile('wasm', 'lz4.wasm');
    try {
      kernel =
        file === null
          ? null
          : (new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), {
              env: {
                abort: () => {
                  throw new Error('lz4.wasm aborted');
                }
              }
            }).exports as unknown as Lz4Exports);
    } catch {
      kernel = null; // e.g. a runtime without wasm SIMD
    }
    if (kernel) heapStart = kernel.memory.buffer.byteLength; // above the module's own data
  }
  return kernel;
}

let heapStart = 0;

/**
 * Checks and decodes one ROOT LZ4 chunk body (`chunk`: checksum + block) into
 * `out[at…at+size)`; returns why it failed, or null.
 */
export function decodeLZ4Chunk(
  chunk: Uint8Array,
  out: Uint8Array,
  at: number,
  size: number
): 'checksum mismatch' | 'malformed LZ4 block' | null {
  const wasm = lz4Kernel();
  const block = chunk.subarray(8);
  const sum = new DataView(chunk.buffer, chunk.byteOffset, 8);
  if (wasm === null) {
    const [hi, lo] = xxhash64(block);
    if (sum.getUint32(0) !== hi || sum.getUint32(4) !== lo) return 'checksum mismatch';
    const got = decodeLZ4Block(block, out.subarray(0, at + size), at);
    return got === size ? null : 'malformed LZ4 block';
  }
  const src = heapStart;
  const dst = (src + block.length + SLACK + 15) & ~15;
  const need = dst + size + SLACK;
  if (need > wasm.memory.buffer.byteLength) {
    wasm.memory.grow(Math.ceil((need - wasm.memory.buffer.byteLength) / PAGE));
  }
  const memory = new Uint8Array(wasm.memory.buffer);
  memory.set(block, src);
  if (BigInt.asUintN(64, wasm.xxh64(src, block.length)) !== sum.getBigUint64(0)) {
    return 'checksum mismatch';
  }
  const got = wasm.decodeBlock(src, block.length, dst, size);
  if (got !== size) return 'malformed LZ4 block';
  out.set(memory.subarray(dst, dst + size), at);
  return null;
}
