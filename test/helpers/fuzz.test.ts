// Fuzzing, bounded: seeded mutated and truncated copies of the real CSV and HEPData samples give a
// result or a typed OpenDataError, never another exception or a hang. CSV is also differential:
// the file read in tiny chunks must equal the one-shot parse of the same bytes, error included.
// Longer runs: node kernel-helpers/fuzz/fuzz.mjs --cases N --seed S (on the built helpers).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Table } from 'apache-arrow';
import { OpenDataError, parseCSV, readCSV, readHEPData } from '../../kernel-helpers/src';
import { checkedCount, JsrootBuffer } from '../../kernel-helpers/src/node/root/jsroot';
import { REPO_ROOT, sharedPath } from '../support/shared-data';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prng, mutate } = require('../../kernel-helpers/fuzz/mutate.js') as {
  prng: (seed: number) => () => number;
  mutate: (sample: Buffer, other: Buffer, random: () => number) => Buffer;
};

const CASES = Number(process.env.OPENDATA_FUZZ_CASES ?? 2000);
const SEED = Number(process.env.OPENDATA_FUZZ_SEED ?? 20260422);

const head = (file: string, bytes: number) => fs.readFileSync(file).subarray(0, bytes);

const CSV_SAMPLES = [
  head(sharedPath('events', 'csv', 'Zmumu_Run2011A.csv'), 3000),
  fs.readFileSync(sharedPath('events', 'csv', '2e2mu_2011.csv')),
  fs.readFileSync(sharedPath('events', 'csv', '4e_2011.csv')),
  head(sharedPath('events', 'derived', 'uproot-Zmumu.derived.csv'), 3000),
  Buffer.from('id,name,x\r\n1,"say ""hi""",1.5\r\n2,"two\nlines",\r\n3,,nan\r\n4,"",-inf')
];

const TEST_DATA = sharedPath('hepdata', 'validator', 'test_data');
// Large files contribute their first 12 kB (mutations truncate them further anyway).
const HEPDATA_SAMPLES = [
  'valid_file.yaml',
  'valid_file.json',
  'valid_data_with_percent.yaml',
  'TestHEPSubmission/submission.yaml',
  'TestHEPSubmission/data1.yaml',
  'invalid_file.yaml',
  '1512299.yaml'
].map(f => ({ ext: path.extname(f), bytes: head(path.join(TEST_DATA, f), 12000) }));

type Outcome = { ok: string } | { error: string };

/** A result or a typed error; anything else fails the test with the case that caused it. */
function outcome(what: string, fn: () => string): Outcome {
  try {
    return { ok: fn() };
  } catch (err) {
    if (err instanceof OpenDataError) return { error: `${err.code} ${err.message}` };
    throw new Error(`${what}: ${err instanceof Error ? err.stack : err}`);
  }
}

function summary(t: Table): string {
  const columns = t.schema.fields.map(f => {
    const c = t.getChild(f.name)!;
    return [
      f.name,
      String(f.type),
      c.nullCount,
      Array.from({ length: c.length }, (_, i) => c.get(i))
    ];
  });
  return JSON.stringify({ rows: t.numRows, columns });
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-fuzz-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test(`CSV: ${CASES} mutated samples, chunked and two-thread reads equal one-shot parses`, () => {
  const random = prng(SEED);
  const file = path.join(tmp, 'case.csv');
  let errors = 0;
  let slowest = 0;
  for (let k = 0; k < CASES; k++) {
    const sample = CSV_SAMPLES[k % CSV_SAMPLES.length];
    const other = CSV_SAMPLES[(k * 7 + 3) % CSV_SAMPLES.length];
    const bytes = mutate(sample, other, random);
    const what = `CSV case ${k} (seed ${SEED})`;
    const t0 = Date.now();
    const whole = outcome(what, () => summary(parseCSV(bytes, { source: file })));
    if ('error' in whole) errors++;
    if (k % 4 === 0) {
      fs.writeFileSync(file, bytes);
      const chunkBytes = 1 + Math.floor(random() * 64);
      const streamed = outcome(what, () => summary(readCSV(file, { chunkBytes })));
      expect({ what, chunkBytes, streamed }).toEqual({ what, chunkBytes, streamed: whole });
      if (k % 8 === 0) {
        // Two threads: the file in pieces of 4 KiB (the samples are about 8 KB).
        const pieces = outcome(what, () =>
          summary(readCSV(file, { chunkBytes, threads: 2, minPieceBytes: 4096 }))
        );
        expect({ what, chunkBytes, pieces }).toEqual({ what, chunkBytes, pieces: whole });
      }
    }
    slowest = Math.max(slowest, Date.now() - t0);
  }
  // Both outcomes happen: the fuzzing reaches the parser's error paths and its success paths.
  expect(errors).toBeGreaterThan(CASES / 20);
  expect(errors).toBeLessThan(CASES);
  expect(slowest).toBeLessThan(2000);
}, 120_000);

test(`HEPData: ${CASES} mutated samples give tables or a typed error`, () => {
  const random = prng(SEED + 1);
  let errors = 0;
  let slowest = 0;
  for (let k = 0; k < CASES; k++) {
    const sample = HEPDATA_SAMPLES[k % HEPDATA_SAMPLES.length];
    const other = HEPDATA_SAMPLES[(k * 5 + 1) % HEPDATA_SAMPLES.length].bytes;
    const file = path.join(tmp, `case${sample.ext}`);
    fs.writeFileSync(file, mutate(sample.bytes, other, random));
    const t0 = Date.now();
    const r = outcome(`HEPData case ${k} (seed ${SEED + 1})`, () =>
      JSON.stringify(readHEPData(file))
    );
    if ('error' in r) errors++;
    slowest = Math.max(slowest, Date.now() - t0);
  }
  expect(errors).toBeGreaterThan(CASES / 20);
  expect(errors).toBeLessThan(CASES);
  expect(slowest).toBeLessThan(2000);
}, 120_000);

// ROOT (jsroot is ES modules: the reader runs in a child process on the compiled dist/). Damaged
// TTree metadata whose fBranches/fLeaves count jsroot turned into `new Array(count)` ran the JS
// heap out of memory, a fatal error that kills a notebook's kernel: the child gets a small heap,
// so a regression fails here instead of taking jest down. Cases of test/support/root-fuzz.cjs
// (seed 1 case 110, seed 2 case 77) over the two NanoAOD files.
test.each([
  [1, 110],
  [2, 77]
])(
  'ROOT: damaged NanoAOD, root-fuzz seed %i case %i, is a typed error in a 256 MB heap',
  (seed, k) => {
    const r = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=256',
        path.join(REPO_ROOT, 'test', 'support', 'root-fuzz.cjs'),
        '--cases',
        '300',
        '--seed',
        String(seed),
        '--only',
        String(k),
        '--verbose',
        sharedPath('events', 'root', 'nanoAOD_2015_CMS_Open_Data_ttbar.root'),
        path.join(REPO_ROOT, 'data', 'events', 'nano_dimuon.root')
      ],
      { encoding: 'utf8', timeout: 60_000 }
    );
    expect({
      status: r.status,
      signal: r.signal,
      heap: /heap out of memory/.test(r.stderr)
    }).toEqual({ status: 0, signal: null, heap: false });
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ cases: 1, ok: 0, typed: { E_FORMAT: 1 }, untyped: [] });
    // the file and where in the TTree's bytes the count was read
    expect(r.stderr).toMatch(
      /E_FORMAT \S+\.root: bytes flipped at [\d,]+: cannot read Events \(TObjArray at byte \d+ of its object claims \d+ elements, \d+ bytes left\)/
    );
  },
  60_000
);

/** A jsroot buffer stand-in: a big-endian count at `o`, then `left` more bytes. */
function countBuffer(count: number, left: number): JsrootBuffer {
  const bytes = Buffer.alloc(8 + 4 + left);
  bytes.writeUInt32BE(count, 8);
  const buf = {
    o: 8,
    length: bytes.length,
    last_read_version: 3,
    ntou4() {
      buf.o += 4;
      return bytes.readUInt32BE(buf.o - 4);
    },
    remain: () => buf.length - buf.o,
    readTString: () => '',
    readObjectAny: () => null,
    classStreamer: () => undefined
  };
  return buf;
}

test('ROOT: a collection count is bounded by the bytes left in its object', () => {
  // each element takes at least minBytes: 25 of 4 bytes fit in 100, 26 do not
  expect(checkedCount(countBuffer(25, 100), 'TObjArray', 4)).toBe(25);
  expect(checkedCount(countBuffer(0, 0), 'TList', 5)).toBe(0);
  expect(() => checkedCount(countBuffer(26, 100), 'TObjArray', 4)).toThrow(
    'TObjArray at byte 8 of its object claims 26 elements, 100 bytes left'
  );
  // the count of the OOM case (a flipped byte: 0x400000) and the largest one ROOT can write
  expect(() => checkedCount(countBuffer(0x400000, 53845), 'TObjArray', 4)).toThrow(
    /claims 4194304 elements/
  );
  expect(() => checkedCount(countBuffer(0xffffffff, 1 << 20), 'TList', 5)).toThrow(
    /claims 4294967295 elements, 1048576 bytes left/
  );
});
