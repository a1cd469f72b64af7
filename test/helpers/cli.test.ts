// The `opendata` CLI as a user runs it: a child process of the launcher in kernel-helpers/bin,
// checked against counts this test computes from the raw files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.join(__dirname, '..', '..');
const launcher = path.join(root, 'kernel-helpers', 'bin', 'opendata.js');
const zmumu = path.join(root, 'data', 'events', 'Zmumu.csv');

function opendata(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [launcher, ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneLine(text: string): void {
  expect(text.trimEnd().split('\n')).toHaveLength(1);
}

test('--help lists the commands and exits 0', () => {
  const r = opendata('--help');
  expect(r.status).toBe(0);
  for (const command of [
    'search',
    'record',
    'files',
    'cite',
    'download',
    'inspect',
    'hist',
    'read',
    'object',
    'hepdata'
  ]) {
    expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  }
});

describe('search', () => {
  const snapshot = JSON.parse(
    zlib
      .gunzipSync(fs.readFileSync(path.join(root, 'data', 'catalog', 'index.json.gz')))
      .toString('utf8')
  );
  const recids: string[] = snapshot.columns.recid;

  test('--json: the documented shape, total = every record of the snapshot', () => {
    const r = opendata('search', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['facets', 'hits', 'total']);
    expect(out.total).toBe(recids.length);
    expect(out.hits).toHaveLength(10); // the portal's default page size
    for (const hit of out.hits) {
      expect(Object.keys(hit).sort()).toEqual(['doi', 'experiment', 'recid', 'title', 'type']);
    }
    const experiments = new Map<string, number>();
    for (const list of snapshot.columns.experiment as string[][]) {
      for (const e of new Set(list)) experiments.set(e, (experiments.get(e) ?? 0) + 1);
    }
    expect(
      new Map(out.facets.experiment.map((b: { key: string; count: number }) => [b.key, b.count]))
    ).toEqual(experiments);
  });

  test('--page and --size tile the result; --sort title orders by title', () => {
    const page = (n: number) =>
      JSON.parse(
        opendata('search', 'muon', '--page', String(n), '--size', '4', '--sort', 'title', '--json')
          .stdout
      );
    const twelve = JSON.parse(
      opendata('search', 'muon', '--size', '12', '--sort', 'title', '--json').stdout
    );
    const tiled = [1, 2, 3].flatMap(n => page(n).hits.map((h: { recid: string }) => h.recid));
    expect(tiled).toEqual(twelve.hits.map((h: { recid: string }) => h.recid));
    expect(new Set(tiled).size).toBe(12);
    expect(recids).toEqual(expect.arrayContaining(tiled));
  });
});

describe('hist', () => {
  test('--json: contents, underflow and overflow add up to the rows minus NaNs', () => {
    const [head, ...rows] = fs.readFileSync(zmumu, 'utf8').trim().split('\n');
    const m = head.split(',').indexOf('M');
    const nans = rows.filter(l => Number.isNaN(Number(l.split(',')[m]))).length;
    const r = opendata(
      'hist',
      zmumu,
      '--column',
      'M',
      '--bins',
      '30',
      '--range',
      '60,120',
      '--json'
    );
    expect(r.status).toBe(0);
    const h = JSON.parse(r.stdout);
    expect(Object.keys(h).sort()).toEqual([
      'counts',
      'edges',
      'entries',
      'overflow',
      'sum_weights',
      'underflow'
    ]);
    expect(h.edges).toHaveLength(31);
    expect(h.edges[0]).toBe(60);
    expect(h.edges[30]).toBe(120);
    const inRange = h.counts.reduce((s: number, c: number) => s + c, 0);
    expect(inRange + h.underflow + h.overflow).toBe(rows.length - nans);
    expect(h.entries).toBe(rows.length - nans);
    expect(h.sum_weights).toBe(inRange);
  });

  test('a negative range is read as a value, not an option', () => {
    const h = JSON.parse(
      opendata('hist', zmumu, '--column', 'Q1', '--bins', '2', '--range', '-2,2', '--json').stdout
    );
    expect(h.edges).toEqual([-2, 0, 2]);
  });

  test('bad usage exits 2 with one line on stderr', () => {
    for (const args of [
      ['hist', zmumu, '--bins', '10', '--range', '0,1'], // no --column
      ['hist', zmumu, '--column', 'M', '--bins', 'ten', '--range', '0,1'],
      ['hist', zmumu, '--column', 'M', '--bins', '10', '--range', '1,0'],
      ['search', '--size', '0'],
      ['search', '--no-such-option'],
      ['no-such-command']
    ]) {
      const r = opendata(...args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      oneLine(r.stderr);
    }
  });

  test('errors exit 1 with one line naming the file or column', () => {
    const missing = path.join(root, 'data', 'events', 'missing.csv');
    const r = opendata('hist', missing, '--column', 'M', '--bins', '10', '--range', '0,1');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(missing);
    oneLine(r.stderr);

    const noColumn = opendata('hist', zmumu, '--column', 'Mass', '--bins', '10', '--range', '0,1');
    expect(noColumn.status).toBe(1);
    expect(noColumn.stderr).toContain('"Mass"');
    oneLine(noColumn.stderr);
  });
});

test('commands not built yet exit 1 and say so', () => {
  // Commander wraps long descriptions: find the usage line, then fill each <argument>.
  const help = opendata('--help').stdout.replace(/\n {4,}/g, ' ');
  const planned = help.match(/^ {2}(\S+)((?: <[^>]+>)*) .*\(not implemented yet\)/m);
  if (!planned) return; // every command of docs/cli.md is built
  const args = (planned[2].match(/<[^>]+>/g) ?? []).map(() => '1');
  const r = opendata(planned[1], ...args);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/not implemented yet/);
});
