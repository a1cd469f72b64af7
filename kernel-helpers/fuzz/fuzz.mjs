// Longer fuzzing of the CSV and HEPData readers than the bounded jest run (test/helpers/fuzz.test.ts),
// on the built helpers (npm run build:helpers first):
//   node kernel-helpers/fuzz/fuzz.mjs [--cases N] [--seed S]
// Each case must give a result or an OpenDataError; CSV read in small chunks and on two threads
// must equal the one-shot parse. A failing case is saved under kernel-helpers/fuzz/failures/ with its seed and index.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const { prng, mutate } = require('./mutate.js');
const helpers = require(path.join(here, '..', 'dist', 'index.js'));

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CASES = arg('--cases', 50000);
const SEED = arg('--seed', Date.now() % 1e9);

const shared =
  process.env.OPENDATA_SHARED_DATA ?? path.resolve(here, '..', '..', '..', 'shared', 'data');
const head = (file, bytes) => fs.readFileSync(file).subarray(0, bytes);
const csvSamples = [
  ...fs
    .readdirSync(path.join(shared, 'events', 'csv'))
    .map(f => head(path.join(shared, 'events', 'csv', f), 8000)),
  head(path.join(shared, 'events', 'derived', 'uproot-Zmumu.derived.csv'), 8000)
];
const testData = path.join(shared, 'hepdata', 'validator', 'test_data');
const hepSamples = fs
  .readdirSync(testData)
  .filter(f => /\.(ya?ml|json)$/.test(f))
  .map(f => ({ ext: path.extname(f), bytes: head(path.join(testData, f), 16000) }));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-fuzz-'));
const failures = path.join(here, 'failures');

function outcome(fn) {
  try {
    return { ok: fn() };
  } catch (err) {
    if (err instanceof helpers.OpenDataError) return { error: `${err.code} ${err.message}` };
    return { crash: err && err.stack ? err.stack : String(err) };
  }
}

function summary(t) {
  return JSON.stringify({
    rows: t.numRows,
    columns: t.schema.fields.map(f => {
      const c = t.getChild(f.name);
      return [f.name, String(f.type), Array.from({ length: c.length }, (_, i) => c.get(i))];
    })
  });
}

function fail(kind, k, bytes, why) {
  fs.mkdirSync(failures, { recursive: true });
  const file = path.join(failures, `${kind}-seed${SEED}-case${k}`);
  fs.writeFileSync(file, bytes);
  process.stderr.write(`FAIL ${kind} case ${k} (seed ${SEED}), input saved as ${file}:\n${why}\n`);
  return 1;
}

let failed = 0;
let slowest = 0;
const random = prng(SEED);
const t0 = Date.now();
try {
  for (let k = 0; k < CASES; k++) {
    const start = Date.now();
    if (k % 2 === 0) {
      const bytes = mutate(
        csvSamples[k % csvSamples.length],
        csvSamples[(k * 7 + 3) % csvSamples.length],
        random
      );
      const file = path.join(tmp, 'case.csv');
      fs.writeFileSync(file, bytes);
      const whole = outcome(() => summary(helpers.parseCSV(bytes, { source: file })));
      const chunkBytes = 1 + Math.floor(random() * 256);
      const streamed = outcome(() => summary(helpers.readCSV(file, { chunkBytes })));
      // Two threads: pieces of 4 KiB (the samples are about 8 KB).
      const pieces = outcome(() =>
        summary(helpers.readCSV(file, { chunkBytes, threads: 2, minPieceBytes: 4096 }))
      );
      if (whole.crash || streamed.crash || pieces.crash) {
        failed += fail('csv', k, bytes, whole.crash ?? streamed.crash ?? pieces.crash);
      } else if (JSON.stringify(whole) !== JSON.stringify(streamed)) {
        failed += fail('csv', k, bytes, 'chunked read differs from one-shot parse');
      } else if (JSON.stringify(whole) !== JSON.stringify(pieces)) {
        failed += fail('csv', k, bytes, 'two-thread read differs from one-shot parse');
      }
    } else {
      const sample = hepSamples[k % hepSamples.length];
      const bytes = mutate(sample.bytes, hepSamples[(k * 5 + 1) % hepSamples.length].bytes, random);
      const file = path.join(tmp, `case${sample.ext}`);
      fs.writeFileSync(file, bytes);
      const r = outcome(() => JSON.stringify(helpers.readHEPData(file)));
      if (r.crash) failed += fail('hepdata', k, bytes, r.crash);
    }
    const took = Date.now() - start;
    if (took > 2000) failed += fail('slow', k, Buffer.from(''), `case took ${took} ms`);
    slowest = Math.max(slowest, took);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.stdout.write(
  `${CASES} cases (seed ${SEED}) in ${((Date.now() - t0) / 1000).toFixed(1)} s, slowest ${slowest} ms: ${failed} failure(s)\n`
);
process.exitCode = failed > 0 ? 1 : 0;
