// `npm run bench [-- --json] [--quick] [--only NAME] [--no-build]`: runs every
// kernel-helpers/bench/*.bench.mjs module in one invocation, ours and the peers side by side.
//
// A bench module exports `async function run(ctx)` returning rows
// `{name, ours, peer, peer_value, unit, ratio, ...extra}` (ratio > 1: ours is better), with
// ctx = {root, python, tmp, quick, log}. The harness prints a table; with --json the JSON array of
// all rows is the LAST line of stdout. Progress goes to stderr. Exit 1 when a module failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { benchDir, helpersDist } from './lib.mjs';

const USAGE = 'usage: npm run bench -- [--json] [--quick] [--only NAME] [--no-build]';

function parseArgs(argv) {
  const args = { json: false, quick: false, only: null, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--quick') args.quick = true;
    else if (a === '--no-build') args.build = false;
    else if (a === '--only' && i + 1 < argv.length) args.only = argv[++i];
    else if (a.startsWith('--only=')) args.only = a.slice('--only='.length);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument ${a}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return args;
}

/** NAME matches part of a module's file name, case-insensitively ("hist" selects hist.bench.mjs). */
function selected(file, only) {
  return only === null || path.basename(file).toLowerCase().includes(only.toLowerCase());
}

function table(rows) {
  const header = [
    'benchmark',
    'ours',
    'peer',
    'peer value',
    'unit',
    'ratio',
    'peak RSS (ours/peer MB)'
  ];
  const cells = rows.map(r => [
    r.name,
    String(r.ours),
    r.peer,
    String(r.peer_value),
    r.unit,
    `${r.ratio}×`,
    r.peak_rss_mb !== undefined || r.peer_peak_rss_mb !== undefined
      ? `${r.peak_rss_mb ?? '-'} / ${r.peer_peak_rss_mb ?? '-'}`
      : ''
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map(c => c[j].length)));
  const line = c =>
    c
      .map((x, j) => x.padEnd(widths[j]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map(w => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const root = path.resolve(benchDir, '..', '..');
  const log = msg => process.stderr.write(`bench: ${msg}\n`);

  if (args.build) {
    log('building the helpers (tsc -b and the wasm kernels, incremental)');
    const build = path.join(root, 'kernel-helpers', 'scripts', 'build.mjs');
    const built = spawnSync(process.execPath, [build], { stdio: 'inherit' });
    if (built.status !== 0) {
      // Others may be mid-edit in a shared checkout: measure the last good build rather than nothing.
      if (!fs.existsSync(helpersDist)) process.exit(1);
      log(
        `building the helpers failed: measuring the existing ${path.relative(root, helpersDist)}`
      );
    }
  }

  const python = path.join(root, '.venv', 'bin', 'python');
  if (!fs.existsSync(python)) log(`no ${python}: Python peers will fail (run make setup)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-bench-'));
  const ctx = { root, python, tmp, quick: args.quick, log };

  const modules = fs
    .readdirSync(benchDir)
    .filter(f => f.endsWith('.bench.mjs'))
    .sort()
    .map(f => path.join(benchDir, f))
    .filter(f => selected(f, args.only));
  if (modules.length === 0) log(`no bench module matches ${JSON.stringify(args.only)}`);

  const rows = [];
  let failed = 0;
  try {
    for (const file of modules) {
      const name = path.basename(file);
      log(`running ${name}${args.quick ? ' (quick)' : ''}`);
      const t0 = Date.now();
      try {
        const mod = await import(pathToFileURL(file).href);
        if (typeof mod.run !== 'function') throw new Error('exports no run(ctx) function');
        const got = await mod.run(ctx);
        if (!Array.isArray(got)) throw new Error('run(ctx) did not return an array of rows');
        for (const r of got) rows.push({ module: name, ...r });
        log(`${name}: ${got.length} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (err) {
        failed++;
        log(`${name} FAILED: ${err && err.stack ? err.stack : err}`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  process.stdout.write(table(rows) + '\n');
  if (failed > 0) process.stdout.write(`${failed} bench module(s) failed (see stderr)\n`);
  if (args.json) process.stdout.write(JSON.stringify(rows) + '\n');
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
