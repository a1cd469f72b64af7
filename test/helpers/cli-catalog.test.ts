// `opendata search` and `opendata record` as a user runs them (the launcher in a child process),
// on the bundled snapshot, on --catalog DIR and on --portal URL (the loopback stand-in).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PortalServer } from '../support/portal-server';
import { SHARED_RECORDS, addPortalApi, readFixtures } from '../support/portal-api';

const root = path.join(__dirname, '..', '..');
const launcher = path.join(root, 'kernel-helpers', 'bin', 'opendata.js');
const FIXTURES = path.join(SHARED_RECORDS, 'fixtures');

// Async, so the stand-in server in this process can answer the child.
function opendata(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [launcher, ...args], { cwd: root }, (err, stdout, stderr) => {
      const status = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

const records = readFixtures();
const r5500 = records.find(r => r.recid === '5500')!;

describe('record', () => {
  test('--json prints the metadata object as in the portal fixture, by RECID, --doi or --title', async () => {
    for (const args of [['5500'], ['--doi', String(r5500.doi)], ['--title', r5500.title]]) {
      const r = await opendata('record', ...args, '--json');
      expect({ args, status: r.status }).toEqual({ args, status: 0 });
      expect(JSON.parse(r.stdout)).toEqual(r5500);
    }
  });

  test('human output names the title and DOI; errors exit 1 or 2 with one line', async () => {
    const r = await opendata('record', '5500');
    expect(r.stdout.split('\n')[0]).toBe(r5500.title);
    expect(r.stdout).toContain(String(r5500.doi));
    const missing = await opendata('record', '999999999');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('999999999');
    expect((await opendata('record')).status).toBe(2);
    expect((await opendata('record', '5500', '--doi', 'x')).status).toBe(2);
    expect((await opendata('record', 'abc')).status).toBe(2);
  });
});

describe('search', () => {
  test('filters and facets: --experiment (repeatable), --type, --year', async () => {
    const r = await opendata(
      'search',
      '--experiment',
      'CMS',
      '--experiment',
      'LHCb',
      '--type',
      'Dataset::Collision',
      '--year',
      '2011--2012',
      '--catalog',
      FIXTURES,
      '--json'
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const expected = records.filter(r => {
      const t = r.type as { primary: string; secondary?: string[] };
      const ys = ((r.date_created as string[]) ?? []).flatMap(d => String(d).match(/\d{4}/g) ?? []);
      return (
        (r.experiment as string[]).some(e => e === 'CMS' || e === 'LHCb') &&
        t.primary === 'Dataset' &&
        (t.secondary ?? []).includes('Collision') &&
        ys.some(y => y === '2011' || y === '2012')
      );
    });
    expect(out.total).toBe(expected.length);
    for (const facet of ['experiment', 'type', 'year']) {
      expect(out.facets[facet].length).toBeGreaterThan(0);
    }
    for (const b of out.facets.experiment) expect(Object.keys(b).sort()).toEqual(['count', 'key']);
  });

  test('--catalog on a temp dir of a few fixture files', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-cli-catalog-'));
    try {
      const picked = ['cms-derived-csv-Run2011A.json', 'cms-tools-higgsexample20112012.json'];
      for (const f of picked) fs.copyFileSync(path.join(FIXTURES, f), path.join(tmp, f));
      const raw = picked.flatMap(f => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')));
      const out = JSON.parse(
        (await opendata('search', '--catalog', tmp, '--size', '100', '--json')).stdout
      );
      expect(out.total).toBe(raw.length);
      expect(out.hits.map((h: { recid: string }) => h.recid).sort()).toEqual(
        raw.map((r: { recid: string }) => r.recid).sort()
      );
      const rec = await opendata('record', raw[0].recid, '--catalog', tmp, '--json');
      expect(JSON.parse(rec.stdout)).toEqual(raw[0]);
      const missing = await opendata('search', '--catalog', path.join(tmp, 'nope'));
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain(path.join(tmp, 'nope'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('human output: a table of records and the facets', async () => {
    const r = await opendata('search', 'higgs', '--size', '3');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^\d+ records \(page 1 of \d+, 3 per page\)\nRECID +EXPERIMENT +TYPE +YEAR +TITLE\n/
    );
    expect(r.stdout).toMatch(/^experiment: CMS \(\d+\)/m);
  });

  test('bad usage exits 2', async () => {
    for (const args of [
      ['--sort', 'newest'],
      ['--year', 'soon'],
      ['--catalog', FIXTURES, '--portal', 'http://x']
    ]) {
      const r = await opendata('search', ...args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
    }
  });
});

describe('--portal', () => {
  let server: PortalServer;
  beforeAll(async () => {
    server = addPortalApi(await PortalServer.start(), records);
  });
  afterAll(() => server.close());

  test('search and record go to the portal API', async () => {
    const out = JSON.parse(
      (
        await opendata(
          'search',
          '--portal',
          server.url,
          '--experiment',
          'ALICE',
          '--size',
          '2',
          '--json'
        )
      ).stdout
    );
    expect(out.total).toBe(
      records.filter(r => (r.experiment as string[]).includes('ALICE')).length
    );
    expect(out.hits).toHaveLength(2);
    const searched = server.requests.find(q => q.url.startsWith('/api/records/?'))!;
    expect(new URL(searched.url, server.url).searchParams.get('experiment')).toBe('ALICE');
    const rec = JSON.parse(
      (await opendata('record', '5500', '--portal', server.url, '--json')).stdout
    );
    expect(rec).toEqual(r5500);
  });

  test('a portal error page exits 1 with one line naming the URL', async () => {
    server.fault(/^\/api\/records\/?$/, { kind: 'html-error' });
    const r = await opendata('search', '--portal', server.url);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${server.url}/api/records/`);
  });
});
