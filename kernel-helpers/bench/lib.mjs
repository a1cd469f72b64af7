// Shared pieces of the bench modules (not a bench module itself: the harness loads *.bench.mjs).
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
/** The helpers' CommonJS build, as a notebook imports it. */
export const helpersDist = path.join(benchDir, '..', 'dist', 'index.js');

/** Runs a command, resolves with its stdout; rejects with its stderr when it fails. */
export function runProcess(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    let err = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (err += d));
    child.on('error', reject);
    child.on('close', code => {
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(command)} exited with ${code}: ${err.trim()}`));
    });
  });
}

/** The last line of a child's stdout, parsed as JSON (children print their result last). */
function lastJSON(stdout) {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/**
 * Runs `code` (an ES module body) in a fresh Node process and returns the JSON it prints last,
 * plus `peak_rss_mb` (the child's max RSS), so each measurement has its own memory figure.
 * The code can `require` the helpers: `const h = require(HELPERS)`.
 */
export async function runNode(ctx, code, name = 'node-child') {
  const file = path.join(ctx.tmp, `${name}-${process.pid}-${Date.now()}.mjs`);
  const prelude = [
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    `const HELPERS = ${JSON.stringify(helpersDist)};`,
    "const _report = r => process.stdout.write('\\n' + JSON.stringify({ ...r, peak_rss_mb: process.resourceUsage().maxRSS / 1024 }) + '\\n');"
  ].join('\n');
  fs.writeFileSync(file, `${prelude}\n${code}\n`);
  try {
    return lastJSON(await runProcess(process.execPath, [file]));
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Runs Python `code` with ctx.python and returns the JSON it prints last, plus `peak_rss_mb`
 * (ru_maxrss of the process). The code calls `report(dict)`.
 */
export async function runPython(ctx, code) {
  const prelude = [
    'import json, resource, sys, time',
    'def report(r):',
    '    r = dict(r, peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)',
    "    print('\\n' + json.dumps(r))"
  ].join('\n');
  return lastJSON(await runProcess(ctx.python, ['-c', `${prelude}\n${code}\n`]));
}

/** Best (smallest) of `repeat` timings of `fn`, in seconds, after one warm-up call. */
export function bestOf(fn, repeat = 5) {
  fn();
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}

/** Repeats the data rows of a real CSV file (header once) until the output reaches `bytes`. */
export function repeatCSV(source, target, bytes) {
  const text = fs.readFileSync(source, 'utf8');
  const firstBreak = text.indexOf('\n') + 1;
  const header = text.slice(0, firstBreak);
  let body = text.slice(firstBreak);
  if (!body.endsWith('\n')) body += text.includes('\r\n') ? '\r\n' : '\n';
  const chunk = Buffer.from(body);
  const fd = fs.openSync(target, 'w');
  try {
    fs.writeSync(fd, header);
    let written = header.length;
    while (written < bytes) written += fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
  return target;
}

/** A benchmark row with the ratio computed (>1: ours is better). */
export function row(name, ours, peer, peerValue, unit, { higherIsBetter = true, ...extra } = {}) {
  const ratio = higherIsBetter ? ours / peerValue : peerValue / ours;
  return {
    name,
    ours: round(ours),
    peer,
    peer_value: round(peerValue),
    unit,
    ratio: round(ratio),
    ...extra
  };
}

/** Four significant digits: enough for a benchmark table, stable in JSON. */
export function round(x) {
  return Number.isFinite(x) ? Number(x.toPrecision(4)) : x;
}

/** A path in the real test data: ../shared/data next to the repository, or OPENDATA_SHARED_DATA. */
export function sharedPath(ctx, ...segments) {
  const base = process.env.OPENDATA_SHARED_DATA ?? path.resolve(ctx.root, '..', 'shared', 'data');
  return path.join(base, ...segments);
}
