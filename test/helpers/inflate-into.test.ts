// inflateInto (node/root/inflate-into.ts): zlib and raw deflate streams inflated straight into a
// caller's buffer through Node's native zlib handle must give back the original bytes, never
// write outside the buffer, and refuse exactly the streams Node's inflateSync refuses or that do
// not fill the buffer exactly (shorter, longer, truncated, damaged), the handle staying usable;
// the same on libuv's thread pool with many streams at once (more than its handles).
import zlib from 'node:zlib';
import {
  inflateInto,
  inflateIntoAsync,
  inflatesNatively
} from '../../kernel-helpers/src/node/root/inflate-into';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prng } = require('../../kernel-helpers/fuzz/mutate.js') as {
  prng: (seed: number) => () => number;
};

const rand = prng(16);

/** Bytes that compress like ROOT columns: big-endian floats with repeats, and some noise. */
function sample(n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i + 4 <= n; i += 4) out.writeFloatBE(Math.round(rand() * 40) / 8, i);
  for (let i = n - (n % 4); i < n; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

/** Inflates into the middle of a larger buffer; checks the guard bytes around stay untouched. */
function into(
  body: Uint8Array,
  raw: boolean,
  size: number
): { failure: string | null; out: Buffer } {
  const guard = 32;
  const all = Buffer.alloc(size + 2 * guard, 0xa5);
  const failure = inflateInto(body, raw, all.subarray(guard, guard + size));
  expect(all.subarray(0, guard).every(b => b === 0xa5)).toBe(true);
  expect(all.subarray(guard + size).every(b => b === 0xa5)).toBe(true);
  return { failure, out: all.subarray(guard, guard + size) };
}

function refusedByNode(body: Uint8Array, raw: boolean, size: number): boolean {
  try {
    const got = raw ? zlib.inflateRawSync(body) : zlib.inflateSync(body);
    return got.length !== size;
  } catch {
    return true;
  }
}

test('uses the native handle on this Node', () => {
  expect(inflatesNatively()).toBe(true);
});

test.each([false, true])('streams come back byte for byte (raw deflate: %s)', raw => {
  for (const n of [0, 1, 3, 17, 1000, 65536, 65537, 300_001]) {
    for (const level of [1, 6]) {
      const data = sample(n);
      const body = raw ? zlib.deflateRawSync(data, { level }) : zlib.deflateSync(data, { level });
      const { failure, out } = into(body, raw, n);
      expect(failure).toBeNull();
      expect(Buffer.compare(out, data)).toBe(0);
      // trailing bytes after the stream are ignored, as inflateSync ignores them
      const trailing = Buffer.concat([body, Buffer.from('garbage')]);
      expect(refusedByNode(trailing, raw, n)).toBe(false);
      expect(into(trailing, raw, n).failure).toBeNull();
    }
  }
});

test.each([false, true])('refuses wrong sizes, truncation and damage (raw deflate: %s)', raw => {
  const data = sample(50_000);
  const body = raw ? zlib.deflateRawSync(data, { level: 1 }) : zlib.deflateSync(data, { level: 1 });
  expect(into(body, raw, data.length - 1).failure).toMatch(/more than 49999 bytes/);
  expect(into(body, raw, data.length + 1).failure).toMatch(/50000 bytes instead of 50001/);
  expect(into(body, raw, 1).failure).toMatch(/more than 1 bytes/);
  for (const cut of [1, 10, body.length >> 1, body.length - 1]) {
    const short = body.subarray(0, cut);
    expect(refusedByNode(short, raw, data.length)).toBe(true);
    expect(into(short, raw, data.length).failure).not.toBeNull();
  }
  // damaged bytes: refused exactly when Node refuses (or the size differs); otherwise the same bytes
  let refused = 0;
  for (let k = 0; k < 300; k++) {
    const bad = Buffer.from(body);
    for (let j = 0; j < 1 + (k % 3); j++) {
      bad[Math.floor(rand() * bad.length)] = Math.floor(rand() * 256);
    }
    const expected = refusedByNode(bad, raw, data.length);
    const { failure, out } = into(bad, raw, data.length);
    expect(failure !== null).toBe(expected);
    if (failure === null) {
      const node = raw ? zlib.inflateRawSync(bad) : zlib.inflateSync(bad);
      expect(Buffer.compare(out, node)).toBe(0);
    } else refused++;
    // the next stream still inflates after a failure
    expect(into(body, raw, data.length).failure).toBeNull();
  }
  expect(refused).toBeGreaterThan(100);
});

test('many streams at once on the thread pool, some damaged, each into its own place', async () => {
  const cases = Array.from({ length: 40 }, (_, k) => {
    const raw = k % 2 === 1;
    const data = sample(1000 + Math.floor(rand() * 200_000));
    const body = raw
      ? zlib.deflateRawSync(data, { level: 1 })
      : zlib.deflateSync(data, { level: 1 });
    if (k % 5 === 4) body[Math.floor(body.length / 2)] ^= 0xff; // damaged
    const size = k % 7 === 6 ? data.length - 1 : data.length; // too small a place
    return { raw, data, body, size };
  });
  const guard = 16;
  const spaces = cases.map(c => Buffer.alloc(c.size + 2 * guard, 0xa5));
  const results = await Promise.all(
    cases.map((c, k) => inflateIntoAsync(c.body, c.raw, spaces[k].subarray(guard, guard + c.size)))
  );
  let refused = 0;
  cases.forEach((c, k) => {
    const space = spaces[k];
    expect(space.subarray(0, guard).every(b => b === 0xa5)).toBe(true);
    expect(space.subarray(guard + c.size).every(b => b === 0xa5)).toBe(true);
    expect(results[k] !== null).toBe(refusedByNode(c.body, c.raw, c.size));
    if (results[k] === null) {
      expect(Buffer.compare(space.subarray(guard, guard + c.size), c.data)).toBe(0);
    } else refused++;
  });
  expect(refused).toBeGreaterThanOrEqual(8);
  // and the pool still works afterwards
  const data = sample(5000);
  const out = Buffer.alloc(5000);
  expect(await inflateIntoAsync(zlib.deflateSync(data), false, out)).toBeNull();
  expect(Buffer.compare(out, data)).toBe(0);
});
