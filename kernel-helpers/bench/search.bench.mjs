// Catalog search on the bundled ~47k-record snapshot (issue 3's goals): loading the snapshot and
// building its search index ≤ 1 s; a search with facet counts ≤ 16 ms at the 95th percentile over
// real queries (one word, several words, prefixes as typed, with filters). No peer exists: each
// row's "peer" is the goal, and ratio = goal / ours (> 1: within the goal).
// Runs in a fresh Node process, so the load is a cold one as in a new kernel or CLI call.
// Standalone: `node kernel-helpers/bench/search.bench.mjs` (after npm run build:helpers).
import os from 'node:os';
import process from 'node:process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { round, runNode } from './lib.mjs';

/** Search-as-you-type: every prefix of a phrase, as the panel sends them. */
const typed = phrase => Array.from({ length: phrase.length }, (_, i) => phrase.slice(0, i + 1));

const QUERIES = [
  // one word
  ...[
    'higgs',
    'dimuon',
    'muon',
    'electron',
    'jet',
    'ttbar',
    'trigger',
    'delphi',
    'pythia8',
    'minbias'
  ].map(q => [q + ' ', {}]),
  // several words
  ...[
    'higgs four lepton ',
    'double muon 2012 ',
    'z boson decay ',
    'open data jet energy ',
    'top quark pair '
  ].map(q => [q, {}]),
  // prefixes, as typed
  ...typed('doublemuon').map(q => [q, {}]),
  ...typed('higgs to tau').map(q => [q, {}]),
  // with filters, with and without text
  ['', { experiment: 'CMS', type: 'Dataset::Collision' }],
  ['', { experiment: ['CMS', 'ATLAS'], year: '2011--2012' }],
  ['', { type: 'Dataset::Simulated', year: '2016', collision_energy: '13TeV' }],
  ['muon', { experiment: 'CMS', type: 'Dataset', year: '2010--2016' }],
  ['jet ', { file_type: 'root' }],
  ['', { number_events: '1000000--' }],
  ['', { experiment: 'CMS', sort: 'title', page: 50 }],
  ['higgs', { sort: 'mostrecent', category: 'Higgs Physics' }],
  ['', {}]
];

const CHILD = `
const { performance } = require('node:perf_hooks');
const h = require(HELPERS);
const queries = ${JSON.stringify(QUERIES)};
const repeat = REPEAT;
const t0 = performance.now();
const cat = h.snapshotCatalog(h.dataPath('catalog'));
const t1 = performance.now();
cat.engine;
const t2 = performance.now();
const times = [];
let hits = 0;
for (let r = 0; r < repeat; r++) {
  for (const [q, options] of queries) {
    const s = performance.now();
    const result = await cat.search(q, options);
    times.push(performance.now() - s);
    hits += result.total;
  }
}
times.sort((a, b) => a - b);
const pct = p => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
_report({ records: cat.index.count, index_ms: t1 - t0, engine_ms: t2 - t1, load_ms: t2 - t0,
  p50: pct(50), p95: pct(95), max: times[times.length - 1], searches: times.length, hits });
`;

export async function run(ctx) {
  const repeat = ctx.quick ? 2 : 10;
  const m = await runNode(ctx, CHILD.replace('REPEAT', String(repeat)), 'search');
  ctx.log(
    `search: ${m.records} records; index ${round(m.index_ms)} ms + search index ${round(m.engine_ms)} ms; ` +
      `${m.searches} searches (${QUERIES.length} queries × ${repeat}): p50 ${round(m.p50)} ms, p95 ${round(m.p95)} ms, max ${round(m.max)} ms`
  );
  const goal = (name, ours, target, extra = {}) => ({
    name,
    ours: round(ours),
    peer: 'goal',
    peer_value: target,
    unit: 'ms',
    ratio: round(target / ours),
    ...extra
  });
  return [
    goal(`catalog load + search index (${m.records} records)`, m.load_ms, 1000, {
      peak_rss_mb: round(m.peak_rss_mb),
      index_ms: round(m.index_ms),
      engine_ms: round(m.engine_ms)
    }),
    goal('catalog search incl. facets, p95', m.p95, 16, {
      p50_ms: round(m.p50),
      max_ms: round(m.max)
    }),
    goal('catalog search incl. facets, p50', m.p50, 16)
  ];
}

// Standalone run: print the rows as JSON (the harness's row shape).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const ctx = {
    root,
    python: path.join(root, '.venv', 'bin', 'python'),
    tmp: os.tmpdir(),
    quick: false,
    log: m => process.stderr.write(`${m}\n`)
  };
  run(ctx).then(rows => process.stdout.write(JSON.stringify(rows) + '\n'));
}
