// The `files`, `cite`, `download` and `verify` commands as a user runs them (a child process of
// the launcher), offline on the bundled snapshot and against the portal stand-in (over http and
// https; the child trusts the stand-in's test CA through NODE_EXTRA_CA_CERTS, as a user would).
import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { addPortalApi, readFixtures } from '../support/portal-api';
import { addPortalFiles, indexFilesOf } from '../support/portal-files';
import { PortalServer } from '../support/portal-server';
import { REPO_ROOT, sharedPath } from '../support/shared-data';
import { PROTOCOLS, envTrustingTestCA } from '../support/tls';

const launcher = path.join(REPO_ROOT, 'kernel-helpers', 'bin', 'opendata.js');

// Each run of the CLI is a Node start (~0.5 s); several per test.
jest.setTimeout(60_000);

/** Runs the CLI asynchronously (the stand-in server lives in this process). */
function opendata(
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [launcher, ...args], {
      cwd: REPO_ROOT,
      env: envTrustingTestCA()
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('close', status => resolve({ status, stdout, stderr }));
  });
}

const INDEX: {
  files: {
    file: string;
    recid: string;
    format: string;
    entries: number;
    computed_adler32: string;
    size_bytes: number;
  }[];
} = JSON.parse(fs.readFileSync(sharedPath('records', 'file-indices', 'INDEX.json'), 'utf8'));
const fixtures = readFixtures();
const record = (recid: string) => fixtures.find(r => r.recid === recid)!;

describe('files', () => {
  test("--json lists the record's files as the fixture has them", async () => {
    const r = await opendata('files', '6003', '--json');
    expect(r.status).toBe(0);
    const files = (record('6003').files as { uri: string; size: number; checksum: string }[]).map(
      f => ({
        uri: f.uri,
        size: f.size,
        checksum: f.checksum
      })
    );
    expect(JSON.parse(r.stdout)).toEqual(files);
  });

  test('--expand --filter-regexp --filter-range --protocol http on the bundled index of record 728', async () => {
    const info = INDEX.files.find(f => f.recid === '728' && f.format === 'json')!;
    const listed = JSON.parse(
      fs.readFileSync(sharedPath('records', 'file-indices', info.file), 'utf8')
    );
    const r = await opendata('files', '728', '--expand', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(info.entries);
    const ranged = await opendata(
      'files',
      '728',
      '--expand',
      '--filter-range',
      '2-4',
      '--protocol',
      'http',
      '--json'
    );
    expect(JSON.parse(ranged.stdout).map((f: { uri: string }) => f.uri)).toEqual(
      listed
        .slice(1, 4)
        .map((f: { uri: string }) =>
          f.uri.replace('root://eospublic.cern.ch/', 'https://opendata.cern.ch')
        )
    );
    const name = path.basename(listed[3].uri);
    const byName = await opendata('files', '728', '--expand', '--filter-name', name, '--json');
    expect(JSON.parse(byName.stdout)).toEqual([
      { uri: listed[3].uri, size: listed[3].size, checksum: listed[3].checksum }
    ]);
  });

  test('bad usage exits 2; an out-of-range filter exits 2 with one line', async () => {
    expect((await opendata('files', '728', '--protocol', 'ftp')).status).toBe(2);
    const r = await opendata('files', '728', '--expand', '--filter-range', '1-999');
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('1-999');
  });
});

describe('cite', () => {
  test('every format for 5500; CSL-JSON is JSON; an unknown format exits 2', async () => {
    const r5500 = record('5500') as unknown as { doi: string; title: string };
    const text = await opendata('cite', '5500');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`${r5500.title}. CERN Open Data Portal. DOI:${r5500.doi}`);
    const bib = await opendata('cite', '5500', '--format', 'bibtex');
    expect(bib.stdout).toMatch(/^@misc\{cms_\d{4}_5500,/);
    const csl = await opendata('cite', '5500', '--format', 'csl-json');
    expect(JSON.parse(csl.stdout)[0]).toMatchObject({
      type: 'dataset',
      DOI: r5500.doi,
      title: r5500.title
    });
    const ris = await opendata('cite', '5500', '--format', 'ris');
    expect(ris.stdout.split('\n')[0]).toBe('TY  - DATA');
    expect((await opendata('cite', '5500', '--format', 'mla')).status).toBe(2);
    const missing = await opendata('cite', '999999999');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/record 999999999/);
  });
});

describe.each(PROTOCOLS)('download and verify against the portal stand-in over %s', protocol => {
  let server: PortalServer;
  let dir: string;
  const r6003 = record('6003');
  const pair = INDEX.files.filter(f => f.recid === '6003');

  beforeAll(async () => {
    server = await PortalServer.start(protocol);
    addPortalApi(server, fixtures);
    addPortalFiles(server, indexFilesOf(r6003 as unknown as { files: { uri: string }[] }));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-cli-'));
    server.clearFaults();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('download RECID --no-expand --filter-regexp --verify --json: the real index pair, verified', async () => {
    server.fault(/_30000_file_index\.json$/, { kind: 'reset', afterBytes: 1000 });
    const args = [
      '--portal',
      server.url,
      '--dir',
      dir,
      '--no-expand',
      '--filter-regexp',
      '_30000_file_index',
      '--retry-delay',
      '5'
    ];
    const r = await opendata('download', '6003', ...args, '--verify', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toEqual(
      pair.map(f => ({
        path: path.join(dir, f.file),
        size: f.size_bytes,
        checksum: f.computed_adler32,
        verified: true
      }))
    );
    for (const f of pair) {
      expect(
        fs
          .readFileSync(path.join(dir, f.file))
          .equals(fs.readFileSync(sharedPath('records', 'file-indices', f.file)))
      ).toBe(true);
    }

    const v = await opendata(
      'verify',
      '6003',
      '--portal',
      server.url,
      '--dir',
      dir,
      '--no-expand',
      '--filter-regexp',
      '_30000_file_index',
      '--json'
    );
    expect(v.status).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ files: 2, present: 2, verified: 2 });

    // A damaged file: verify exits 1, one line naming it.
    const damaged = path.join(dir, pair[0].file);
    fs.appendFileSync(damaged, 'x');
    const bad = await opendata(
      'verify',
      '6003',
      '--portal',
      server.url,
      '--dir',
      dir,
      '--no-expand',
      '--filter-regexp',
      '_30000_file_index'
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain(damaged);
  }, 60_000);

  test('download RECID --filter-name: the record from the portal API, its file verified', async () => {
    const json = pair.find(f => f.format === 'json')!;
    const r = await opendata(
      'download',
      '6003',
      '--portal',
      server.url,
      '--dir',
      dir,
      '--no-expand',
      '--filter-name',
      json.file,
      '--verify',
      '--json'
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        path: path.join(dir, json.file),
        size: json.size_bytes,
        checksum: json.computed_adler32,
        verified: true
      }
    ]);
    expect(
      fs
        .readFileSync(path.join(dir, json.file))
        .equals(fs.readFileSync(sharedPath('records', 'file-indices', json.file)))
    ).toBe(true);
  });

  test('the HTML error page on every attempt: exit 1, one line, no file', async () => {
    server.fault(/_30000_file_index\.txt$/, { kind: 'html-error' }, 10);
    const r = await opendata(
      'download',
      '6003',
      '--portal',
      server.url,
      '--dir',
      dir,
      '--no-expand',
      '--filter-regexp',
      '_30000_file_index\\.txt',
      '--retries',
      '2',
      '--retry-delay',
      '5',
      '--json'
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/HTML page/);
    expect(fs.readdirSync(dir).filter(f => !f.endsWith('.part'))).toEqual([]);
  });
});

test('an https portal with a certificate from a CA nobody trusts: exit 1, one line naming the host', async () => {
  const impostor = await PortalServer.start({ protocol: 'https', certificate: 'untrusted' });
  addPortalApi(impostor, fixtures);
  try {
    const r = await opendata('record', '6003', '--portal', impostor.url);
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `certificate problem: the https certificate of ${new URL(impostor.url).host} was not accepted`
    );
    expect(impostor.requests).toEqual([]);
  } finally {
    await impostor.close();
  }
});
