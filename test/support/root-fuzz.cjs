// Fuzzes the helpers' ROOT reader with truncated and mutated copies of real ROOT files: every case
// must end in a result or an OpenDataError (typed), never an uncaught exception, a crash or a hang.
// Runs on the compiled dist/ outside jest (jsroot is ES modules). Prints a JSON summary last.
//
// usage: node root-fuzz.cjs [--cases N] [--seed S] [--timeout MS] FILE...
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout, clearTimeout } = require('node:timers');
const helpers = require(path.join(__dirname, '..', '..', 'kernel-helpers', 'dist', 'index.js'));

function args(argv) {
  const a = { cases: 200, seed: 1, timeout: 10000, files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--cases') a.cases = Number(argv[++i]);
    else if (argv[i] === '--seed') a.seed = Number(argv[++i]);
    else if (argv[i] === '--timeout') a.timeout = Number(argv[++i]);
    else if (argv[i] === '--verbose') a.verbose = true;
    else if (argv[i] === '--only') a.only = Number(argv[++i]);
    else a.files.push(argv[i]);
  }
  return a;
}

/** xorshift32: reproducible cases from a seed. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** A ByteSource over bytes in memory, as the reader takes any ByteSource. */
class MemorySource {
  constructor(name, bytes) {
    this.name = name;
    this.bytes = bytes;
  }
  async size() {
    return this.bytes.length;
  }
  async read(offset, length) {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.bytes.length)) {
      throw new helpers.OpenDataError(
        'E_FORMAT',
        `${this.name}: read of ${length} bytes at ${offset} past the end`
      );
    }
    return this.bytes.slice(offset, offset + length);
  }
  async close() {}
}

function mutate(bytes, random) {
  const r = random();
  const out = Uint8Array.from(bytes);
  if (r < 0.3) {
    const n = Math.floor(random() * bytes.length);
    return { bytes: out.subarray(0, n), how: `truncated to ${n}` };
  }
  if (r < 0.8) {
    const flips = 1 + Math.floor(random() * 16);
    const at = [];
    for (let i = 0; i < flips; i++) {
      const o = Math.floor(random() * out.length);
      out[o] ^= 1 + Math.floor(random() * 255);
      at.push(o);
    }
    return { bytes: out, how: `bytes flipped at ${at.join(',')}` };
  }
  const start = Math.floor(random() * out.length);
  const len = Math.floor(random() * 4096);
  out.fill(random() < 0.5 ? 0 : 0xff, start, start + len);
  return { bytes: out, how: `filled ${len} bytes at ${start}` };
}

const step = msg => process.env.FUZZ_TRACE && process.stderr.write(`  ${msg}\n`);

async function exercise(source) {
  step('open');
  const file = await helpers.openROOT(source);
  try {
    for (const name of file.treeNames) {
      step(`tree ${name}`);
      const tree = await file.tree(name);
      for (const b of tree.branches) {
        step(`branch ${b.name}`);
        try {
          await tree.read([b.name]);
        } catch (err) {
          if (!(err instanceof helpers.OpenDataError)) throw err;
        }
      }
    }
    for (const k of file.objectKeys) {
      step(`object ${k.name}`);
      try {
        await file.object(k.name);
      } catch (err) {
        if (!(err instanceof helpers.OpenDataError)) throw err;
      }
    }
  } finally {
    await file.close();
  }
}

async function main() {
  const a = args(process.argv.slice(2));
  const random = rng(a.seed);
  const originals = a.files.map(f => [path.basename(f), new Uint8Array(fs.readFileSync(f))]);
  const summary = { cases: 0, ok: 0, typed: {}, untyped: [], hangs: [] };
  const late = [];
  process.on('unhandledRejection', err => late.push(String(err && err.stack ? err.stack : err)));
  for (let c = 0; c < a.cases; c++) {
    const [name, bytes] = originals[c % originals.length];
    const { bytes: mutant, how } = mutate(bytes, random);
    const label = `${name}: ${how}`;
    if (a.only !== undefined && c !== a.only) continue;
    summary.cases++;
    if (a.verbose) process.stderr.write(`case ${c}: ${label}\n`);
    let timer;
    const timeout = new Promise(resolve => {
      timer = setTimeout(() => resolve('hang'), a.timeout);
    });
    try {
      const r = await Promise.race([
        exercise(new MemorySource(label, mutant)).then(() => 'ok'),
        timeout
      ]);
      if (r === 'hang') summary.hangs.push(label);
      else summary.ok++;
    } catch (err) {
      if (err instanceof helpers.OpenDataError) {
        summary.typed[err.code] = (summary.typed[err.code] ?? 0) + 1;
        if (a.verbose) process.stderr.write(`  ${err.code} ${err.message}\n`);
      } else {
        summary.untyped.push({
          case: label,
          error: String(err && err.stack ? err.stack : err).slice(0, 600)
        });
      }
    } finally {
      clearTimeout(timer);
    }
  }
  summary.unhandled = late;
  process.stdout.write('\n' + JSON.stringify(summary) + '\n');
}

main().catch(err => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
  process.exitCode = 1;
});
