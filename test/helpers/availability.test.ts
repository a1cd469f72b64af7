// Datasets on tape: a portal record whose distribution.availability is ondemand (or partial, for
// the files marked so) is not downloaded until staged; the error names the record and the portal
// page to request staging on. Real record 5200 and its real CSV files, served by the portal
// stand-in, with the availability the portal gives records on tape (no snapshot record has one).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  OpenDataError,
  availabilityOf,
  downloadRecord,
  recordAvailability,
  stagingUrl
} from '../../kernel-helpers/src';
import { addPortalApi, readFixtures, type PortalRecord } from '../support/portal-api';
import { addPortalFiles, eosPath } from '../support/portal-files';
import { PortalServer } from '../support/portal-server';
import { REPO_ROOT, sharedPath } from '../support/shared-data';

const CSV = '4mu_2012.csv';
const OTHER = '4e_2012.csv';
const local = (name: string) => sharedPath('events', 'csv', name);
/**
 * Record 5200, its two files as the stand-in serves them: the shared copies have CRLF line ends
 * (the portal's LF files are smaller), so their own sizes are declared and no checksum.
 */
const original = (() => {
  const r = readFixtures(['cms-derived-csv-2012.json']).find(r => r.recid === '5200')!;
  for (const f of r.files as { uri: string; size: number; checksum?: string }[]) {
    const name = f.uri.slice(f.uri.lastIndexOf('/') + 1);
    if (name === CSV || name === OTHER) {
      f.size = fs.statSync(local(name)).size;
      delete f.checksum;
    }
  }
  return r;
})();
const uris = (original.files as { uri: string }[]).map(f => f.uri);
const uriOf = (name: string) => uris.find(u => u.endsWith(`/${name}`))!;

/** Record 5200 as the portal answers a record on tape: whole (ondemand) or partly. */
function onTape(availability: 'ondemand' | 'partial' | 'online', tapeFile?: string): PortalRecord {
  const r = structuredClone(original) as PortalRecord & {
    distribution: Record<string, unknown>;
    files: { uri: string; availability?: string }[];
  };
  r.distribution.availability = availability;
  for (const f of r.files) {
    f.availability = tapeFile && f.uri.endsWith(`/${tapeFile}`) ? 'ondemand' : 'online';
  }
  return r;
}

async function failure(p: Promise<unknown>): Promise<OpenDataError> {
  const err = await p.then(
    () => null,
    e => e
  );
  expect(err).toBeInstanceOf(OpenDataError);
  return err as OpenDataError;
}

test('availability read from distribution, as the portal writes it, else the top-level field', () => {
  expect(recordAvailability(onTape('ondemand'))).toBe('ondemand');
  expect(recordAvailability(onTape('partial'))).toBe('partial');
  expect(recordAvailability(original)).toBeNull(); // the snapshot's records say nothing
  expect(recordAvailability({ availability: 'on demand' })).toBe('ondemand');
  expect(availabilityOf('<b>ondemand</b>')).toBeNull();
  expect(stagingUrl('5200', 'https://opendata.cern.ch/')).toBe(
    'https://opendata.cern.ch/record/5200'
  );
});

describe('downloads of a record on tape', () => {
  let server: PortalServer;
  let dir: string;
  const records = new Map<string, PortalRecord>();

  beforeAll(async () => {
    server = await PortalServer.start('http');
    // The record's answer is looked up at request time, so each test can set it.
    server.route('GET', /^\/api\/records\/5200$/, (_req, res) => {
      const metadata = records.get('5200')!;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: 5200, metadata, links: {} }));
    });
    addPortalApi(server, []);
    addPortalFiles(server, {
      [eosPath(uriOf(CSV))]: local(CSV),
      [eosPath(uriOf(OTHER))]: local(OTHER)
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-tape-'));
    server.requests.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const eosRequests = () => server.requests.filter(r => r.url.startsWith('/eos/'));
  const options = (extra = {}) => ({
    portal: server.url,
    dir,
    name: [CSV],
    retries: 0,
    progress: false as const,
    ...extra
  });

  test('ondemand: refused before any file is asked for, naming the record and where to request', async () => {
    records.set('5200', onTape('ondemand'));
    const e = await failure(downloadRecord('5200', options()));
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.message).toContain('record 5200');
    expect(e.message).toContain('on tape');
    expect(e.message).toContain(`${server.url}/record/5200`);
    expect(e.message).toContain('staged');
    expect(eosRequests()).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('ondemand, staged: downloaded as any record', async () => {
    records.set('5200', onTape('ondemand'));
    const [result] = await downloadRecord('5200', options({ staged: true }));
    expect(fs.readFileSync(result.path).equals(fs.readFileSync(local(CSV)))).toBe(true);
    expect(path.basename(result.path)).toBe(CSV);
  });

  test('online (and the snapshot’s records, which say nothing): downloaded', async () => {
    for (const record of [onTape('online'), original]) {
      records.set('5200', record);
      const [result] = await downloadRecord('5200', options());
      expect(path.basename(result.path)).toBe(CSV);
      fs.rmSync(result.path);
    }
  });

  test('partial: only the files marked ondemand are refused', async () => {
    records.set('5200', onTape('partial', CSV));
    const e = await failure(downloadRecord('5200', options({ name: [OTHER, CSV] })));
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.message).toContain(`record 5200: its file ${CSV} is on tape`);
    expect(eosRequests()).toEqual([]);
    const [result] = await downloadRecord('5200', options({ name: [OTHER] }));
    expect(path.basename(result.path)).toBe(OTHER);
  });

  test('opendata download: exit 1, one line naming the record and the page; --staged downloads', async () => {
    records.set('5200', onTape('ondemand'));
    const launcher = path.join(REPO_ROOT, 'kernel-helpers', 'bin', 'opendata.js');
    const run = (...args: string[]) =>
      new Promise<{ status: number; stderr: string }>(resolve =>
        execFile(process.execPath, [launcher, ...args], { cwd: REPO_ROOT }, (err, _out, stderr) =>
          resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stderr })
        )
      );
    const common = ['download', '5200', '--portal', server.url, '--dir', dir, '--filter-name', CSV];
    const refused = await run(...common, '--no-progress');
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(`${server.url}/record/5200`);
    const staged = await run(...common, '--no-progress', '--staged');
    expect(staged).toEqual({ status: 0, stderr: '' });
    expect(fs.readdirSync(dir)).toEqual([CSV]);
  });
});
