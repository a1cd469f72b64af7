// Search quality on the bundled snapshot: real queries (bench/search-quality.json, each with the
// records a physicist expects, chosen by reading the portal records) searched as the panel does
// (best match, default filters). Reports the share of queries whose expected record is first
// (top-1) and among the first three (top-3; goal ≥ 90%). No peer: the goal is the reference.
// Standalone: `node kernel-helpers/bench/search-quality.bench.mjs` (after npm run build:helpers).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { benchDir, round, runNode } from './lib.mjs';

export const QUERIES_FILE = path.join(benchDir, 'search-quality.json');
const GOAL_TOP3 = 90;

const CHILD = `
const h = require(HELPERS);
const queries = QUERIES;
const cat = h.snapshotCatalog(h.dataPath('catalog'));
const ranks = [];
for (const q of queries) {
  const result = await cat.search(q.query, { size: 10 });
  const rank = result.hits.findIndex(hit => q.expect.includes(hit.recid)) + 1;
  ranks.push({ query: q.query, rank, first: result.hits[0]?.recid ?? null, total: result.total });
}
_report({ ranks });
`;

export async function run(ctx) {
  const { queries } = JSON.parse(fs.readFileSync(QUERIES_FILE, 'utf8'));
  const m = await runNode(ctx, CHILD.replace('QUERIES', JSON.stringify(queries)), 'search-quality');
  const top = k => m.ranks.filter(r => r.rank >= 1 && r.rank <= k).length;
  const pct = k => (100 * top(k)) / queries.length;
  const misses = m.ranks.filter(r => !(r.rank >= 1 && r.rank <= 3));
  ctx.log(
    `search-quality: ${queries.length} queries: top-1 ${top(1)} (${round(pct(1))}%), top-3 ${top(3)} (${round(pct(3))}%)`
  );
  for (const r of misses) {
    ctx.log(
      `  not in the top 3: ${JSON.stringify(r.query)} (rank ${r.rank || '> 10'} of ${r.total}; first ${r.first})`
    );
  }
  return [
    {
      name: `search quality: top-3 hit rate (${queries.length} queries)`,
      ours: round(pct(3)),
      peer: 'goal',
      peer_value: GOAL_TOP3,
      unit: '%',
      ratio: round(pct(3) / GOAL_TOP3),
      top1_pct: round(pct(1)),
      misses: misses.map(r => r.query)
    },
    {
      name: `search quality: top-1 hit rate (${queries.length} queries)`,
      ours: round(pct(1)),
      peer: '-',
      peer_value: '-',
      unit: '%',
      ratio: '-'
    }
  ];
}

// Standalone run: print the rows as JSON (the harness's row shape).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(benchDir, '..', '..');
  const ctx = {
    root,
    python: path.join(root, '.venv', 'bin', 'python'),
    tmp: os.tmpdir(),
    quick: false,
    log: msg => process.stderr.write(`${msg}\n`)
  };
  run(ctx).then(rows => process.stdout.write(JSON.stringify(rows) + '\n'));
}
