import {
  CatalogIndex,
  PortalCatalog,
  PORTAL_RESULT_CAP,
  type CatalogRecord,
  type CatalogSource,
  type SearchOptions,
  type SearchResult,
  type ShardLoader
} from '@opendata-lab/kernel-helpers/core';
import { readFileSync } from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { CatalogModel } from '../../extension/catalog-model';
import { RecordSource, snapshotSource } from '../../extension/record-source';
import { SearchModel } from '../../extension/search-model';
import { oracleSearch, readSnapshotColumns } from '../support/catalog-oracle';
import { addPortalApi, readFixtures } from '../support/portal-api';
import { PortalServer } from '../support/portal-server';
import { SNAPSHOT_PATH, readSnapshot } from './snapshot-fixture';

const columns = readSnapshotColumns();

/** The snapshot's record shards, read from data/catalog/records as the extension bundles them. */
const shardFromDisk: ShardLoader = async name =>
  JSON.parse(
    gunzipSync(readFileSync(path.join(path.dirname(SNAPSHOT_PATH), 'records', name))).toString(
      'utf8'
    )
  ) as Record<string, CatalogRecord>;
const catalog = new CatalogModel(() => Promise.resolve(readSnapshot()));
const snapshot = snapshotSource(catalog, shardFromDisk);

/** One record source, as the extension provides it: the snapshot and optionally a portal. */
function records(options: Partial<RecordSource.IOptions> = {}): RecordSource {
  return new RecordSource({ catalog, snapshot, ...options });
}

/** Resolves when the model next reports a change. */
function nextChange(model: SearchModel): Promise<void> {
  return new Promise(resolve => {
    const once = () => {
      model.changed.disconnect(once);
      resolve();
    };
    model.changed.connect(once);
  });
}

/** Waits until the model has an answer for the current query. */
async function settled(model: SearchModel): Promise<void> {
  while (model.status === 'searching' || model.results?.query !== model.query) {
    await nextChange(model);
  }
}

/** The snapshot, with each search held until the test releases it (answers in any order). */
function heldSource(inner: CatalogSource) {
  const held: { text: string; release: () => void }[] = [];
  const source: CatalogSource = {
    name: 'held',
    get: recid => inner.get(recid),
    lookup: key => inner.lookup(key),
    search: (text?: string, options?: SearchOptions) =>
      new Promise<SearchResult>((resolve, reject) => {
        held.push({
          text: text ?? '',
          release: () => inner.search(text, options).then(resolve, reject)
        });
      })
  };
  return { source, held };
}

// Parsing and searching the 47k-record snapshot takes seconds on a loaded machine.
jest.setTimeout(30_000);

describe('SearchModel over the snapshot', () => {
  it('answers with totals and facet counts that match an independent count', async () => {
    const model = new SearchModel({ source: records() });
    model.setText('dimuon');
    model.toggle('experiment', 'CMS');
    model.setYearRange(2011, 2011);
    await settled(model);
    const expected = oracleSearch(columns, {
      text: 'dimuon',
      experiment: ['CMS'],
      years: [2011, 2011]
    });
    const results = model.results!;
    expect(expected.total).toBeGreaterThan(0);
    expect(results.total).toBe(expected.total);
    expect(results.origin).toBe('snapshot');
    expect(model.query.filters).toEqual({ experiment: ['CMS'], year: ['2011'] });
    // Facet counts: experiment counts ignore the experiment filter, year counts ignore the year one.
    for (const { key, count } of results.facets.experiment!) {
      expect([key, count]).toEqual([key, expected.experiment[key]]);
    }
    for (const { key, count } of results.facets.year!) {
      expect([key, count]).toEqual([key, expected.year[key]]);
    }
    // Every hit of the first block is one the independent count found.
    const recids = new Set(expected.recids);
    for (let i = 0; i < Math.min(results.count, model.blockSize); i++) {
      expect(recids.has(model.hit(i)!.recid)).toBe(true);
    }
    model.dispose();
  });

  it('drops a stale answer: only the newest query is shown', async () => {
    const inner = await snapshot();
    const { source, held } = heldSource(inner);
    const model = new SearchModel({
      source: records({ snapshot: () => Promise.resolve(source) }),
      snapshotDebounceMs: 0
    });
    void model.refresh();
    model.setText('muon');
    await new Promise(r => setTimeout(r, 5));
    model.setText('dimuon');
    await new Promise(r => setTimeout(r, 5));
    await Promise.resolve();
    expect(held.map(h => h.text)).toEqual(['', 'muon', 'dimuon']);

    // The newest answer arrives first, then the older ones: they must not replace it.
    held[2].release();
    await settled(model);
    const dimuon = model.results!;
    expect(dimuon.query.text).toBe('dimuon');
    held[1].release();
    held[0].release();
    await new Promise(r => setTimeout(r, 20));
    expect(model.results).toBe(dimuon);
    expect(model.results!.total).toBe(oracleSearch(columns, { text: 'dimuon' }).total);
    model.dispose();
  });

  it('debounces typing: a burst of keystrokes is one search', async () => {
    const inner = await snapshot();
    const texts: string[] = [];
    const source: CatalogSource = {
      ...inner,
      name: inner.name,
      get: r => inner.get(r),
      lookup: k => inner.lookup(k),
      search: (text, options) => {
        texts.push(text ?? '');
        return inner.search(text, options);
      }
    };
    const model = new SearchModel({ source: records({ snapshot: () => Promise.resolve(source) }) });
    for (const prefix of ['d', 'di', 'dim', 'dimu', 'dimuo', 'dimuon']) model.setText(prefix);
    await settled(model);
    expect(texts).toEqual(['dimuon']);
    expect(model.results!.query.text).toBe('dimuon');
    model.dispose();
  });

  it('toggles facet values, sets a year range and clears all filters', async () => {
    const model = new SearchModel({ source: records() });
    void model.refresh();
    await settled(model);
    const everything = model.results!.total;
    expect(everything).toBe(oracleSearch(columns, {}).total);

    model.toggle('experiment', 'CMS');
    model.toggle('experiment', 'ALICE');
    await settled(model);
    expect(model.selected('experiment')).toEqual(['CMS', 'ALICE']);
    expect(model.results!.total).toBe(
      oracleSearch(columns, { experiment: ['CMS', 'ALICE'] }).total
    );

    model.toggle('experiment', 'ALICE');
    model.setYearRange(2012, 2010); // reversed ends are put in order
    await settled(model);
    expect(model.yearRange).toEqual([2010, 2012]);
    expect(model.results!.total).toBe(
      oracleSearch(columns, { experiment: ['CMS'], years: [2010, 2012] }).total
    );

    model.setYearRange(2015, null);
    await settled(model);
    expect(model.query.filters.year).toEqual(['2015--']);
    expect(model.results!.total).toBe(
      oracleSearch(columns, { experiment: ['CMS'], years: [2015, 9999] }).total
    );

    model.clearFilters();
    await settled(model);
    expect(model.query.filters).toEqual({});
    expect(model.results!.total).toBe(everything);
    model.dispose();
  });

  it('reads hits block by block as the list asks for them, in the chosen order', async () => {
    const model = new SearchModel({ source: records(), blockSize: 25 });
    model.setSort('title');
    await settled(model);
    expect(model.hit(0)).toBeDefined();
    expect(model.hit(25)).toBeUndefined();
    const rows = new Promise<void>(resolve => model.rowsChanged.connect(() => resolve()));
    model.ensure(1000, 1010);
    await rows;
    const hits = Array.from({ length: 10 }, (_, i) => model.hit(1000 + i)!);
    expect(hits.every(Boolean)).toBe(true);
    const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
    for (let i = 1; i < hits.length; i++) {
      expect(collator.compare(hits[i - 1].title, hits[i].title)).toBeLessThanOrEqual(0);
    }
    model.dispose();
  });
});

describe('SearchModel with the portal', () => {
  let server: PortalServer;
  const fixtures = readFixtures();

  beforeAll(async () => {
    server = addPortalApi(await PortalServer.start(), fixtures);
  });

  afterAll(() => server.close());

  const portal = () => new PortalCatalog(server.url, { fetch, timeoutMs: 5000 });

  it('answers from the portal when the setting asks for it', async () => {
    const model = new SearchModel({ source: records({ portal: portal() }) });
    model.source = 'portal';
    void model.refresh();
    await settled(model);
    expect(model.results!.origin).toBe('portal');
    expect(model.portalStatus).toBe('online');
    expect(model.results!.total).toBe(fixtures.length);
    expect(model.results!.count).toBe(Math.min(fixtures.length, PORTAL_RESULT_CAP));
    expect(server.requests.some(r => r.url.startsWith('/api/records/?'))).toBe(true);
    model.dispose();
  });

  it('asks the portal only for the blocks the list settles on while scrolling', async () => {
    const model = new SearchModel({ source: records({ portal: portal() }), blockSize: 10 });
    model.source = 'portal';
    void model.refresh();
    await settled(model);
    const before = server.requests.length;
    const rows = new Promise<void>(resolve => model.rowsChanged.connect(() => resolve()));
    model.ensure(100, 110);
    model.ensure(200, 210);
    model.ensure(300, 310);
    await rows;
    const pages = server.requests
      .slice(before)
      .map(r => new URL(r.url, server.url).searchParams.get('page'));
    expect(pages).toEqual(['31']);
    expect(model.hit(300)).toBeDefined();
    expect(model.hit(100)).toBeUndefined();
    model.dispose();
  });

  it('falls back to the snapshot when the portal fails, says so, and retries on request', async () => {
    const model = new SearchModel({ source: records({ portal: portal() }) });
    model.source = 'auto';
    server.fault(/^\/api\/records\/$/, { kind: 'status', status: 502 });
    model.setText('dimuon');
    await settled(model);
    expect(model.portalStatus).toBe('offline');
    expect(model.results!.origin).toBe('snapshot');
    expect(model.results!.total).toBe(oracleSearch(columns, { text: 'dimuon' }).total);

    // While offline, new queries go straight to the snapshot (no wait on a dead portal).
    const before = server.requests.length;
    model.setText('dimuon 2011');
    await settled(model);
    expect(server.requests.length).toBe(before);
    expect(model.results!.origin).toBe('snapshot');

    model.retryPortal();
    await settled(model);
    expect(model.portalStatus).toBe('online');
    expect(model.results!.origin).toBe('portal');
    model.dispose();
  });

  it('turns offline when a record fails to load from the portal; a record that loads ends it', async () => {
    // The list and the record view read through one source: what a record load learns of the
    // portal is what the list's indicator shows and where the next search goes.
    const source = records({ portal: portal() });
    const model = new SearchModel({ source });
    model.source = 'auto';
    model.setText('dimuon');
    await settled(model);
    expect(model.portalStatus).toBe('online');
    const recid = String(model.hit(0)!.recid);

    server.fault(/^\/api\/records\/\d+$/, { kind: 'status', status: 502 }, 10);
    const changed = nextChange(model);
    const loaded = await source.get(recid);
    expect(loaded.origin).toBe('snapshot'); // 'auto': the bundled record instead
    expect(String(loaded.record.recid)).toBe(recid);
    expect(model.portalStatus).toBe('offline');
    await changed; // the indicator was told

    // Searches now skip the portal, as after a failed search; so do record loads.
    const before = server.requests.length;
    model.setText('dimuon 2011');
    await settled(model);
    expect((await source.get(recid)).origin).toBe('snapshot');
    expect(server.requests.length).toBe(before);
    expect(model.results!.origin).toBe('snapshot');

    server.clearFaults();
    source.retryPortal();
    expect((await source.get(recid)).origin).toBe('portal');
    expect(model.portalStatus).toBe('online');
    model.dispose();
  });

  it('throws the portal failure of a record load when the setting is portal only', async () => {
    const source = records({ portal: portal() });
    source.setting = 'portal';
    const recid = fixtures[0].recid;
    server.fault(/^\/api\/records\/\d+$/, { kind: 'status', status: 502 }, 1);
    await expect(source.get(recid)).rejects.toThrow();
    expect(source.portalStatus).toBe('offline');
    // A record the portal does not have says nothing about the portal's health.
    server.clearFaults();
    source.retryPortal();
    await expect(source.get(999999999)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    expect(source.portalStatus).toBe('offline');
    expect(String((await source.get(recid)).record.recid)).toBe(String(recid));
    expect(source.portalStatus).toBe('online');
  });

  it('falls back when nothing listens at the portal address', async () => {
    const dead = new PortalCatalog('http://127.0.0.1:9', { fetch, timeoutMs: 5000 });
    const model = new SearchModel({ source: records({ portal: dead }) });
    model.source = 'auto';
    void model.refresh();
    await settled(model);
    expect(model.portalStatus).toBe('offline');
    expect(model.results!.origin).toBe('snapshot');
    expect(model.results!.total).toBe(CatalogIndex.fromJSON(readSnapshot()).count - ondemand());
    model.dispose();
  });

  it('a malformed hit the portal counted is shown as left out, not as a row that never loads', async () => {
    // Two valid hits of the real fixtures among three malformed ones (null recid, an object as
    // title, a path as recid): the portal source drops those, the list says so in their place.
    const [a, b] = fixtures;
    const answer = {
      hits: {
        total: 5,
        hits: [
          { metadata: a },
          { metadata: { recid: null, title: 'No recid' } },
          { metadata: b },
          { metadata: { recid: '990204', title: { html: '<b>x</b>' } } },
          { metadata: { recid: '../x', title: 'Path recid' } }
        ]
      },
      aggregations: {}
    };
    server.fault(/^\/api\/records\/$/, { kind: 'answer', body: JSON.stringify(answer) }, 1);
    const model = new SearchModel({ source: records({ portal: portal() }), blockSize: 10 });
    model.source = 'portal';
    void model.refresh();
    await settled(model);
    server.clearFaults();
    expect(model.status).toBe('ready');
    expect(model.results!.count).toBe(5);
    expect([0, 1].map(i => model.hit(i)?.recid)).toEqual([String(a.recid), String(b.recid)]);
    expect([2, 3, 4].map(i => [model.hit(i), model.skipped(i)])).toEqual([
      [undefined, true],
      [undefined, true],
      [undefined, true]
    ]);
    // A block that has not arrived is not "left out".
    expect(model.skipped(10)).toBe(false);
    model.dispose();
  });

  it('under the portal-only setting, a dead portal is an error, never snapshot rows', async () => {
    const dead = new PortalCatalog('http://127.0.0.1:9', { fetch, timeoutMs: 5000 });
    const model = new SearchModel({ source: records({ portal: dead }) });
    void model.refresh(); // the snapshot answers first, under the default setting
    await settled(model);
    expect(model.results!.origin).toBe('snapshot');
    model.source = 'portal';
    await nextChange(model);
    while (model.status === 'searching') await nextChange(model);
    expect(model.status).toBe('error');
    expect(model.portalStatus).toBe('offline');
    expect(model.results).toBeNull();
    expect(model.hit(0)).toBeUndefined();
    model.dispose();
  });
});

function ondemand(): number {
  return columns.availability.filter(a => a === 'ondemand').length;
}
