// Cold start of the `opendata` CLI: what a command costs above Node's own start (`node -e 0`), each a
// fresh process, the three commands alternating so the shared machine's noise hits them alike.
// `opendata search dimuon --json` loads the catalog snapshot and builds its search index;
// `opendata --help` only loads the command line. Goal (issue 16): search ≤ 350 ms above node.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { row } from './lib.mjs';

const GOAL_MS = 350;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function run(ctx) {
  const cli = path.join(ctx.root, 'kernel-helpers', 'bin', 'opendata.js');
  const commands = {
    node: ['-e', '0'],
    search: [cli, 'search', 'dimuon', '--json'],
    help: [cli, '--help']
  };
  const times = { node: [], search: [], help: [] };
  const runs = ctx.quick ? 5 : 15;
  // One unmeasured round: the first spawn pays for the file cache.
  for (let r = 0; r <= runs; r++) {
    for (const [name, args] of Object.entries(commands)) {
      const t0 = process.hrtime.bigint();
      const child = spawnSync(process.execPath, args, { cwd: ctx.tmp, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (child.status !== 0) {
        throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr.slice(0, 500)}`);
      }
      if (name === 'search' && !(JSON.parse(child.stdout).total > 0)) {
        throw new Error(`opendata search dimuon found nothing: ${child.stdout.slice(0, 200)}`);
      }
      if (r > 0) times[name].push(ms);
    }
  }
  const node = median(times.node);
  ctx.log(`cli-start: node -e 0 median ${node.toFixed(0)} ms over ${runs} runs`);
  const extra = name => Math.max(1, median(times[name]) - node);
  const spread = name => {
    const over = times[name].map(t => t - node).sort((a, b) => a - b);
    return `${Math.round(over[0])}–${Math.round(over[over.length - 1])}`;
  };
  return ['search', 'help'].map(name =>
    row(
      name === 'search'
        ? 'opendata search dimuon, cold, ms above node -e 0'
        : 'opendata --help, cold, ms above node -e 0',
      extra(name),
      `goal (node -e 0: ${Math.round(node)} ms)`,
      GOAL_MS,
      'ms',
      { higherIsBetter: false, node_ms: Math.round(node), spread_ms: spread(name) }
    )
  );
}
