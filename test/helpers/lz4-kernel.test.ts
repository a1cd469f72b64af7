// The LZ4 WebAssembly kernel (assembly/lz4.ts via node/root/lz4-kernel.ts) against C: blocks
// compressed by liblz4 (python's cramjam) and checksummed by python's xxhash must come back byte
// for byte; blocks damaged behind a valid checksum must be refused exactly when the bounds-checked
// JavaScript decoder (lz4.ts) refuses them, with the same bytes otherwise, never writing outside
// the chunk's place. (The reader's columns of the LZ4 files equal uproot's: root.test.ts.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtFile } from '../../kernel-helpers/src/node/built-file';
import { decodeLZ4Block } from '../../kernel-helpers/src/node/root/lz4';
import { decodeLZ4Chunk } from '../../kernel-helpers/src/node/root/lz4-kernel';
import { xxhash64 } from '../../kernel-helpers/src/node/root/xxhash64';
import { python } from '../support/python';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prng } = require('../../kernel-helpers/fuzz/mutate.js') as {
  prng: (seed: number) => () => number;
};

interface Case {
  name: string;
  raw: Buffer;
  block: Buffer;
  xxh64: string;
}

let dir: string;
let cases: Case[];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odl-lz4-'));
  // Kinds of bytes that exercise literals, long and short matches, overlapping copies (period
  // 1-15) and matches at every offset; compressed by liblz4 in its fast and high modes.
  const made = python<{ name: string; xxh64: string }[]>(
    `
import cramjam, json, sys, xxhash, numpy as np
rng = np.random.default_rng(16)
kinds = {
  'random': rng.integers(0, 256, 200_003, dtype=np.uint8).tobytes(),
  'zeros': bytes(700_001),
  'float32 big-endian': np.round(rng.normal(50, 10, 100_000), 2).astype('>f4').tobytes(),
  'int32 ramp': np.arange(60_000, dtype='>i4').tobytes(),
  'text': (b'the quick brown fox jumps over the lazy dog ' * 3000)[:100_007],
  'empty': b'',
  'one byte': b'x',
}
for period in range(1, 20):
    kinds[f'period {period}'] = bytes(rng.integers(0, 256, period, dtype=np.uint8)) * (5000 // period + 7)
kinds['runs'] = b''.join(bytes(rng.integers(0, 4, int(rng.integers(1, 40)), dtype=np.uint8)) * int(rng.integers(1, 30)) for _ in range(8000))
out = []
for name, data in kinds.items():
    for mode, kw in [('fast', {}), ('high', {'mode': 'high_compression', 'compression': 12})]:
        block = bytes(cramjam.lz4.compress_block(data, store_size=False, **kw))
        stem = f'{len(out)}'
        open(f'{sys.argv[1]}/{stem}.raw', 'wb').write(data)
        open(f'{sys.argv[1]}/{stem}.lz4', 'wb').write(block)
        out.append({'name': f'{name} ({mode})', 'xxh64': xxhash.xxh64_hexdigest(block)})
print(json.dumps(out))
`,
    [dir]
  );
  cases = made.map((m, i) => ({
    ...m,
    raw: fs.readFileSync(path.join(dir, `${i}.raw`)),
    block: fs.readFileSync(path.join(dir, `${i}.lz4`))
  }));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A ROOT LZ4 chunk body: big-endian XXH64 of the block, then the block. */
const chunkOf = (block: Uint8Array, sum: string) =>
  new Uint8Array(Buffer.concat([Buffer.from(sum, 'hex'), block]));
const jsSum = (block: Uint8Array) =>
  xxhash64(block)
    .map(w => w.toString(16).padStart(8, '0'))
    .join('');

test('the build has the kernel (else the JavaScript decoder runs and this test proves nothing)', () => {
  expect(builtFile('wasm', 'lz4.wasm')).not.toBeNull();
});

test('blocks compressed by liblz4 decode byte for byte, in the middle of a larger output', () => {
  expect(cases.length).toBeGreaterThan(40);
  for (const { name, raw, block, xxh64 } of cases) {
    // guard bytes on both sides: the kernel must write exactly the chunk's place
    const out = new Uint8Array(raw.length + 40).fill(0xa5);
    const failure = decodeLZ4Chunk(chunkOf(block, xxh64), out, 17, raw.length);
    expect({ name, failure }).toEqual({ name, failure: null });
    const got = Buffer.from(out.subarray(17, 17 + raw.length));
    if (!got.equals(raw)) throw new Error(`${name}: decoded bytes differ`);
    expect([...out.subarray(0, 17), ...out.subarray(17 + raw.length)].every(b => b === 0xa5)).toBe(
      true
    );
  }
});

test('a checksum that does not match python’s xxhash of the block is refused', () => {
  const { raw, block, xxh64 } = cases.find(c => c.name === 'text (fast)')!;
  const wrong = (BigInt(`0x${xxh64}`) ^ 1n).toString(16).padStart(16, '0');
  const out = new Uint8Array(raw.length);
  expect(decodeLZ4Chunk(chunkOf(block, wrong), out, 0, raw.length)).toBe('checksum mismatch');
  const flipped = Buffer.from(block);
  flipped[flipped.length >> 1] ^= 0x10;
  expect(decodeLZ4Chunk(chunkOf(flipped, xxh64), out, 0, raw.length)).toBe('checksum mismatch');
});

test('damaged blocks with a valid checksum: refused exactly when the JavaScript decoder refuses', () => {
  const random = prng(79);
  let refused = 0;
  let decoded = 0;
  const small = cases.filter(c => c.raw.length < 120_000);
  for (let k = 0; k < 400; k++) {
    const { raw, block } = small[k % small.length];
    const bad = Buffer.from(block);
    const how = k % 4;
    let size = raw.length;
    if (how === 0 && bad.length > 0) {
      bad[Math.floor(random() * bad.length)] = random() * 256;
    } else if (how === 1) {
      size = Math.max(0, size - 1 - Math.floor(random() * 40)); // output too small
    } else if (how === 2) {
      size += 1 + Math.floor(random() * 40); // block shorter than said
    }
    const body = how === 3 ? bad.subarray(0, Math.floor(random() * bad.length)) : bad;
    const out = new Uint8Array(size + 64).fill(0x5a);
    const failure = decodeLZ4Chunk(chunkOf(body, jsSum(body)), out, 32, size);
    const reference = new Uint8Array(size + 64).fill(0x5a);
    const wrote = decodeLZ4Block(body, reference.subarray(0, 32 + size), 32);
    const refusedByJs = wrote !== size;
    expect({ k, refused: failure !== null }).toEqual({ k, refused: refusedByJs });
    if (failure === null) {
      decoded++;
      if (!Buffer.from(out).equals(Buffer.from(reference))) throw new Error(`case ${k}: differs`);
    } else {
      refused++;
      expect(failure).toBe('malformed LZ4 block');
      // nothing outside the chunk's place was touched
      expect(out.subarray(0, 32).every(b => b === 0x5a)).toBe(true);
      expect(out.subarray(32 + size).every(b => b === 0x5a)).toBe(true);
    }
  }
  expect(refused).toBeGreaterThan(100);
  expect(decoded).toBeGreaterThan(10);
});
