// adler32 and the portal's checksum quirks, against real files: the declared checksums of the
// real file indexes (INDEX.json) and Python's zlib.adler32 / hashlib.sha1 on real event files.
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Adler32, adler32, parseChecksum } from '../../kernel-helpers/src/core/checksum';
import { OpenDataError } from '../../kernel-helpers/src/core/errors';
import { adler32Digest, checkFile, fileDigest } from '../../kernel-helpers/src/node/file-checksum';
import { REPO_ROOT, sharedPath } from '../support/shared-data';
import { readFixtures } from '../support/portal-api';

const python = path.join(REPO_ROOT, '.venv', 'bin', 'python');
const indexInfo: {
  files: {
    file: string;
    record_declared_checksum: string;
    computed_adler32: string;
    size_bytes: number;
  }[];
} = JSON.parse(fs.readFileSync(sharedPath('records', 'file-indices', 'INDEX.json'), 'utf8'));

const eventFiles = [
  ...fs.readdirSync(sharedPath('events', 'root')).map(f => sharedPath('events', 'root', f)),
  ...fs.readdirSync(sharedPath('events', 'csv')).map(f => sharedPath('events', 'csv', f))
];

/** Python's zlib.adler32 and hashlib.sha1 of each file, computed independently of our code. */
function pythonChecksums(files: string[]): Record<string, { adler32: number; sha1: string }> {
  const script = [
    'import hashlib, json, sys, zlib',
    'out = {}',
    'for f in sys.argv[1:]:',
    '    b = open(f, "rb").read()',
    '    out[f] = {"adler32": zlib.adler32(b), "sha1": hashlib.sha1(b).hexdigest()}',
    'print(json.dumps(out))'
  ].join('\n');
  const r = spawnSync(python, ['-c', script, ...files], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('adler32 of the ten real index files equals the checksum their records declare', () => {
  expect(indexInfo.files).toHaveLength(10);
  for (const info of indexInfo.files) {
    const bytes = fs.readFileSync(sharedPath('records', 'file-indices', info.file));
    expect(bytes.length).toBe(info.size_bytes);
    const ours = adler32(bytes).toString(16).padStart(8, '0');
    expect(`adler32:${ours}`).toBe(info.computed_adler32);
    // The declared form may lack zero-padding (one of them reads adler32:d673690).
    expect(parseChecksum(info.record_declared_checksum).value).toBe(ours);
  }
  expect(indexInfo.files.some(f => f.record_declared_checksum !== f.computed_adler32)).toBe(true);
});

describe('against Python zlib.adler32 and hashlib.sha1 on real event files', () => {
  const expected = pythonChecksums(eventFiles);

  test.each(eventFiles.map(f => [path.basename(f), f]))('%s', async (_name, file) => {
    const bytes = fs.readFileSync(file);
    expect(adler32(bytes)).toBe(expected[file].adler32);
    // Incremental in uneven pieces (across the 5552-byte block boundary) gives the same.
    const inc = new Adler32();
    for (let at = 0, step = 1; at < bytes.length; at += step, step = (step * 7 + 3) % 9000) {
      inc.update(bytes.subarray(at, at + step));
    }
    expect(inc.digest()).toBe(expected[file].adler32);
    expect(await fileDigest(file, 'sha1')).toBe(expected[file].sha1);
  });

  test('checkFile verifies a real file by sha1 and by adler32, and reports a mismatch', async () => {
    const file = eventFiles.find(f => f.endsWith('uproot-Zmumu.root')) as string;
    const { size } = fs.statSync(file);
    const sha1 = await checkFile(file, { size, checksum: `sha1:${expected[file].sha1}` });
    expect(sha1).toEqual({ size, checksum: `sha1:${expected[file].sha1}`, verified: true });
    const hex = expected[file].adler32.toString(16); // Python's hex: not zero-padded
    expect(
      (await checkFile(file, { size, checksum: `ADLER32:${hex.toUpperCase()}` })).verified
    ).toBe(true);
    const wrong = (expected[file].adler32 ^ 1).toString(16);
    const bad = await checkFile(file, { size, checksum: `adler32:${wrong}` });
    expect(bad.verified).toBe(false);
    expect(bad.problem).toContain(file);
    const short = await checkFile(file, { size: size + 1, checksum: `adler32:${hex}` });
    expect(short.problem).toContain(`${size} bytes, the record declares ${size + 1}`);
  });
});

describe('the portal checksum quirks, from the real records', () => {
  const checksums = readFixtures().flatMap(r =>
    ((r.files as { checksum?: string }[] | undefined) ?? []).map(f => f.checksum).filter(Boolean)
  ) as string[];

  test('every declared checksum of every record parses', () => {
    expect(checksums.length).toBeGreaterThan(1000);
    for (const c of checksums) {
      const parsed = parseChecksum(c);
      expect(parsed.value).toMatch(
        parsed.algorithm === 'sha1' ? /^[0-9a-f]{40}$/ : /^[0-9a-f]{8}$/
      );
    }
  });

  test('the sha1 ones, the misspelt alder32 one and the unpadded ones are among them', () => {
    const sha1 = checksums.filter(c => c.startsWith('sha1:'));
    expect(sha1.length).toBeGreaterThan(0);
    expect(sha1.every(c => parseChecksum(c).algorithm === 'sha1')).toBe(true);
    const alder = checksums.filter(c => c.startsWith('alder32:'));
    expect(alder).toHaveLength(1);
    expect(parseChecksum(alder[0])).toEqual({
      algorithm: 'adler32',
      value: alder[0].slice(8).padStart(8, '0')
    });
    const unpadded = checksums.filter(c => /^adler32:[0-9a-f]{1,7}$/i.test(c));
    expect(unpadded.length).toBeGreaterThan(0);
    for (const c of unpadded) expect(parseChecksum(c).value).toHaveLength(8);
  });

  test('anything else is E_FORMAT naming where it came from', () => {
    for (const bad of [
      'md5:abc',
      'adler32:',
      'adler32:123456789',
      'sha1:abc',
      'deadbeef',
      'adler32:xyz'
    ]) {
      expect(() => parseChecksum(bad, 'file X')).toThrow(OpenDataError);
      try {
        parseChecksum(bad, 'file X');
      } catch (e) {
        expect((e as OpenDataError).code).toBe('E_FORMAT');
        expect((e as Error).message).toContain('file X');
      }
    }
  });
});

describe('adler32 on large and odd inputs equals Python zlib.adler32', () => {
  // Random bytes (seeded), all 0xff (the largest sums between two modulos) and all zero, at
  // lengths and offsets that are not multiples of four, whole and in uneven pieces.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adler32-'));
  let seed = 0x9e3779b9;
  const random = (n: number) => {
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      bytes[i] = seed & 255;
    }
    return bytes;
  };
  const inputs: [string, Uint8Array][] = [
    ['random 20 MB + 3', random(20_000_003)],
    ['0xff 9 MB + 1', new Uint8Array(9_000_001).fill(255)],
    ['zeros 100 kB + 2', new Uint8Array(100_002)],
    ['random 63', random(63)],
    ['random 65', random(65)],
    ['random 5553', random(5553)]
  ];
  const files = inputs.map(([, bytes], i) => {
    const file = path.join(dir, `input-${i}.bin`);
    fs.writeFileSync(file, bytes);
    return file;
  });
  const expected = pythonChecksums(files);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(inputs.map(([name, bytes], i) => [name, bytes, files[i]] as const))(
    '%s',
    (_name, bytes, file) => {
      const want = expected[file].adler32;
      expect(adler32(bytes)).toBe(want);
      // At an odd byte offset of a larger buffer (not 4-byte aligned), and in uneven pieces.
      const shifted = new Uint8Array(bytes.length + 3);
      shifted.set(bytes, 1);
      expect(adler32(shifted.subarray(1, 1 + bytes.length))).toBe(want);
      const h = new Adler32();
      for (let at = 0, step = 1; at < bytes.length; at += step, step = step * 7 + 3) {
        h.update(bytes.subarray(at, Math.min(bytes.length, at + step)));
      }
      expect(h.digest()).toBe(want);
      // The WebAssembly kernel that verification runs (not core's loop), whole and in pieces.
      const kernel = adler32Digest();
      expect(kernel).not.toBeInstanceOf(Adler32);
      kernel.update(shifted.subarray(1, 1 + bytes.length));
      expect(kernel.digest()).toBe(want);
      const pieces = adler32Digest();
      for (let at = 0, step = 5; at < bytes.length; at += step, step = step * 5 + 1) {
        pieces.update(bytes.subarray(at, Math.min(bytes.length, at + step)));
      }
      expect(pieces.hex()).toBe(want.toString(16).padStart(8, '0'));
    }
  );
});
