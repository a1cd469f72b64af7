// The CLI loads only what a command needs: starting it (and `opendata search`) must not load the
// event-file readers (apache-arrow, jsroot, the ROOT reader, yaml), which cost ~100 ms of every
// cold start (issue 16; kernel-helpers/bench/cli-start.bench.mjs measures the start).
import { spawnSync } from 'child_process';
import path from 'path';

const helpers = path.resolve(__dirname, '../../kernel-helpers');
const HEAVY = ['apache-arrow', 'jsroot', 'yaml', 'fzstd'];

/** The packages and our modules a fresh node has loaded after `script` (the built CLI's dist). */
function loadedAfter(script: string): string[] {
  const code = `
const cli = require(${JSON.stringify(path.join(helpers, 'dist/cli/index.js'))});
(async () => {
  ${script}
  process.stdout.write(JSON.stringify(Object.keys(require.cache)));
})();`;
  const child = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', cwd: helpers });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout) as string[];
}

const packagesIn = (files: string[]) =>
  HEAVY.filter(name =>
    files.some(f => f.includes(`${path.sep}node_modules${path.sep}${name}${path.sep}`))
  );

describe('opendata starts without loading what its command does not need', () => {
  it('building the program (every command and option registered) loads no reader', () => {
    const files = loadedAfter(
      `const p = cli.createProgram(() => {}, () => {}); if (p.commands.length < 13) throw new Error('commands missing');`
    );
    expect(packagesIn(files)).toEqual([]);
    expect(files.filter(f => /dist[\\/]node[\\/]root/.test(f))).toEqual([]);
  });

  it('opendata search loads the catalog but no event-file reader', () => {
    const files = loadedAfter(
      `let text = ''; const code = await cli.main(['node', 'opendata', 'search', 'dimuon', '--json'], t => { text += t; }, t => { throw new Error(t); });
  if (code !== 0 || !(JSON.parse(text).total > 0)) throw new Error('search failed: ' + text);`
    );
    expect(packagesIn(files)).toEqual([]);
    expect(files.some(f => /dist[\\/]core[\\/]catalog-search\.js$/.test(f))).toBe(true);
  });

  it('opendata hist still loads its reader when it runs', () => {
    const csv = path.resolve(helpers, '../data/events/Zmumu.csv');
    const files = loadedAfter(
      `let text = ''; const code = await cli.main(['node', 'opendata', 'hist', ${JSON.stringify(csv)}, '--column', 'M', '--bins', '4', '--range', '60,120', '--json'], t => { text += t; }, t => { throw new Error(t); });
  if (code !== 0) throw new Error('hist failed');`
    );
    expect(files.some(f => /dist[\\/]node[\\/]read-table/.test(f))).toBe(true);
  });
});
