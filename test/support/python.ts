// Independent truth from the dev venv's Python peers (numpy, pandas, pyarrow, hepdata-validator):
// runs a script and parses the JSON it prints last.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './shared-data';

export const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');

/** Runs `script` with `args` (sys.argv[1:]) and returns the JSON of its last stdout line. */
export function python<T = unknown>(script: string, args: string[] = []): T {
  const r = spawnSync(PYTHON, ['-c', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024
  });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}
