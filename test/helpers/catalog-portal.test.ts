// The live-portal catalog source against the loopback stand-in (test/support): URL building,
// parsing of the portal's answers, lookups, and clear errors for every fault; over http and https,
// opened as Node opens it (catalog({ portal }), as the CLI's --portal).
import fs from 'node:fs';
import path from 'node:path';
import {
  OpenDataError,
  PORTAL_RESULT_CAP,
  PortalCatalog,
  catalog,
  fixtureCatalog
} from '../../kernel-helpers/src';
import { PortalServer } from '../support/portal-server';
import { SHARED_RECORDS, addPortalApi, readFixtures } from '../support/portal-api';
import { PROTOCOLS, trustTestCA } from '../support/tls';

const records = readFixtures();
/** The portal source as Node opens it (the CLI's --portal). */
const openPortal = async (url: string, timeoutMs?: number) =>
  (await catalog({ portal: url, timeoutMs })) as PortalCatalog;

trustTestCA();

describe.each(PROTOCOLS)('over %s', protocol => {
  let server: PortalServer;
  let portal: PortalCatalog;

  beforeAll(async () => {
    server = addPortalApi(await PortalServer.start(protocol), records);
    portal = await openPortal(server.url, 2000);
  });
  afterAll(() => server.close());
  afterEach(() => server.clearFaults());

  async function failure(p: Promise<unknown>): Promise<OpenDataError> {
    try {
      await p;
    } catch (err) {
      expect(err).toBeInstanceOf(OpenDataError);
      return err as OpenDataError;
    }
    throw new Error('expected an OpenDataError');
  }

  test('search URL: q, page, size, sort and one parameter per facet value', () => {
    const url = new URL(
      portal.searchUrl('higgs boson', {
        page: 2,
        size: 5,
        sort: 'mostrecent',
        experiment: ['CMS', 'ALICE'],
        type: 'Dataset::Collision',
        year: '2011--2012',
        number_events: '1000--9999'
      })
    );
    expect(url.pathname).toBe('/api/records/');
    const p = url.searchParams;
    expect(p.get('q')).toBe('higgs boson');
    expect([p.get('page'), p.get('size'), p.get('sort')]).toEqual(['2', '5', 'mostrecent']);
    expect(p.getAll('experiment')).toEqual(['CMS', 'ALICE']);
    expect(p.get('type')).toBe('Dataset::Collision');
    expect(p.get('year')).toBe('2011--2012');
    expect(p.get('number_events')).toBe('1000--9999');
    expect(p.has('ondemand')).toBe(false);
  });

  test('past the portal’s 10,000-result cap is a usage error, without a request', async () => {
    const before = server.requests.length;
    const err = await failure(portal.search('', { page: PORTAL_RESULT_CAP / 10 + 1, size: 10 }));
    expect(err.code).toBe('E_USAGE');
    expect(err.message).toMatch(/10000/);
    expect(server.requests.length).toBe(before);
  });

  test('answers are parsed into hits, total and flattened facets that agree with the snapshot engine', async () => {
    const filters = { experiment: 'CMS', type: 'Dataset::Collision', year: '2011--2012' };
    const remote = await portal.search('', { ...filters, size: 3 });
    // Two separate implementations (the stand-in's brute force, our engine) must agree.
    const local = await fixtureCatalog(path.join(SHARED_RECORDS, 'fixtures')).search('', filters);
    expect(remote.total).toBe(local.total);
    for (const facet of ['experiment', 'type', 'year', 'file_type', 'collision_energy'] as const) {
      const asMap = (b: { key: string; count: number }[] = []) =>
        new Map(b.map(x => [x.key, x.count]));
      expect({ facet, counts: asMap(remote.facets[facet]) }).toEqual({
        facet,
        counts: asMap(local.facets[facet])
      });
    }
    expect(remote.hits).toHaveLength(3);
    for (const hit of remote.hits) {
      const raw = records.find(r => r.recid === hit.recid)!;
      expect(hit.title).toBe(raw.title);
      expect(hit.experiment).toContain('CMS');
      expect(hit.type).toContain('Dataset::Collision');
    }
  });

  test('get and lookup by DOI and title read /api/records/<recid>', async () => {
    const raw5500 = records.find(r => r.recid === '5500')!;
    const r = await portal.get(5500);
    expect(r.doi).toBe(raw5500.doi);
    expect(r.title).toBe(raw5500.title);
    expect((await portal.lookup({ doi: String(raw5500.doi).toLowerCase() })).recid).toBe('5500');
    expect((await portal.lookup({ title: raw5500.title })).recid).toBe('5500');
    // `_file_indices` come through as the API has them: recid 80's index lists its files.
    const indexInfo = JSON.parse(
      fs.readFileSync(path.join(SHARED_RECORDS, 'file-indices', 'INDEX.json'), 'utf8')
    ).files.find((f: { recid: string; format: string }) => f.format === 'json');
    const withIndex = await portal.get(indexInfo.recid);
    const listed = JSON.parse(
      fs.readFileSync(path.join(SHARED_RECORDS, 'file-indices', indexInfo.file), 'utf8')
    );
    const indices = withIndex._file_indices as { key: string; files: unknown[] }[];
    expect(indices.map(i => i.files.length)).toContain(listed.length);
  });

  test('unknown records are E_NOT_FOUND naming the record', async () => {
    const err = await failure(portal.get('999999999'));
    expect(err.code).toBe('E_NOT_FOUND');
    expect(err.message).toContain('999999999');
    expect((await failure(portal.lookup({ doi: '10.7483/OPENDATA.NONE.0000' }))).code).toBe(
      'E_NOT_FOUND'
    );
  });

  describe('faults end in clear errors naming the URL', () => {
    test('HTTP 500 is E_NETWORK', async () => {
      server.fault(/^\/api\/records\/?$/, { kind: 'status', status: 500 });
      const err = await failure(portal.search('muon'));
      expect(err.code).toBe('E_NETWORK');
      expect(err.message).toContain(`${server.url}/api/records/`);
      expect(err.message).toContain('500');
    });

    test("the portal's HTML error page is E_FORMAT", async () => {
      server.fault(/^\/api\/records\/5500$/, { kind: 'html-error' });
      const err = await failure(portal.get(5500));
      expect(err.code).toBe('E_FORMAT');
      expect(err.message).toContain(`${server.url}/api/records/5500`);
      expect(err.message).toMatch(/expected JSON/);
    });

    test('a body that stops arriving is E_NETWORK after the timeout', async () => {
      server.fault(/^\/api\/records\/5500$/, { kind: 'slow', bytesPerChunk: 10, delayMs: 200 });
      const impatient = await openPortal(server.url, 300);
      const err = await failure(impatient.get(5500));
      expect(err.code).toBe('E_NETWORK');
      expect(err.message).toMatch(/no answer within 0.3 s/);
    });

    test('a connection reset half-way is E_NETWORK', async () => {
      server.fault(/^\/api\/records\/5500$/, { kind: 'reset', afterBytes: 100 });
      const err = await failure(portal.get(5500));
      expect(err.code).toBe('E_NETWORK');
      expect(err.message).toContain('/api/records/5500');
    });

    test('nothing listening is E_NETWORK', async () => {
      const closed = await PortalServer.start(protocol);
      const url = closed.url;
      await closed.close();
      const err = await failure((await openPortal(url)).search(''));
      expect(err.code).toBe('E_NETWORK');
      expect(err.message).toContain(url);
    });
  });
});

test('an https portal whose certificate comes from a CA nobody trusts: E_NETWORK naming the host', async () => {
  const impostor = addPortalApi(
    await PortalServer.start({ protocol: 'https', certificate: 'untrusted' }),
    records
  );
  try {
    const err = await (await openPortal(impostor.url)).get(5500).then(
      () => null,
      e => e
    );
    expect(err).toBeInstanceOf(OpenDataError);
    expect(err.code).toBe('E_NETWORK');
    expect(err.message).toContain(
      `${impostor.url}/api/records/5500: certificate problem: the https certificate of ${new URL(impostor.url).host} was not accepted`
    );
    expect(err.message).toContain('OPENDATA_LAB_CA_FILE');
    expect(impostor.requests).toEqual([]);
  } finally {
    await impostor.close();
  }
});
