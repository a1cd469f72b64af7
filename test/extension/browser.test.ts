import { Widget } from '@lumino/widgets';
import { PortalCatalog, type CatalogIndexData } from '@opendata-lab/kernel-helpers/core';
import { OpenDataBrowser } from '../../extension/browser';
import { DEFAULT_SETTINGS } from '../../extension/settings';
import { CatalogModel } from '../../extension/catalog-model';
import { RecordSource } from '../../extension/record-source';
import { SearchModel } from '../../extension/search-model';
import type { SnapshotLoader } from '../../extension/snapshot';
import { oracleSearch, readSnapshotColumns } from '../support/catalog-oracle';
import { readSnapshot } from './snapshot-fixture';

/** Height of the list's viewport in these tests (jsdom lays nothing out). */
const VIEWPORT = 400;

/**
 * Titles with TeX as the rows show them, written by hand from the TeX (the most recent records
 * are these LHCb ntuples: `[$B^{\pm} \to J/\psi (\to \mu^{+} \mu^{-}) K^{\pm}$]CC Ntuples 4530`).
 */
const B_TO_JPSI_K = '[B± → J/ψ (→ μ⁺ μ⁻) K±]CC Ntuples 4530';
const READABLE_TITLES: Record<string, string> = {
  '93940': 'ATLAS tt\u0304 simulation for ML-based jet flavour tagging (JetSet)',
  '93945': B_TO_JPSI_K,
  '93946': `${B_TO_JPSI_K} -- 2016 Magnet Down`,
  '93947': `${B_TO_JPSI_K} -- 2016 Magnet Up`,
  '93948': `${B_TO_JPSI_K} -- 2017 Magnet Down`,
  '93949': `${B_TO_JPSI_K} -- 2017 Magnet Up`
};

/** A DOI badge's text: the portal's DOIs after `10.7483/OPENDATA.` (one record has OOPENDATA). */
const badgeText = (doi: string) =>
  doi === '10.7483/OOPENDATA.LHCB.EBYF.C7OY'
    ? 'DOILHCB.EBYF.C7OY'
    : `DOI${doi.replace('10.7483/OPENDATA.', '')}`;

// Parsing and searching the 47k-record snapshot takes seconds on a loaded machine.
jest.setTimeout(30_000);

describe('OpenDataBrowser', () => {
  let panel: OpenDataBrowser | null = null;

  afterEach(() => {
    panel?.search.dispose();
    panel?.dispose();
    panel = null;
  });

  function createPanel(loader: SnapshotLoader, pageSize?: number): OpenDataBrowser {
    const model = new CatalogModel(loader);
    const search = new SearchModel({ source: new RecordSource({ catalog: model }) });
    panel = new OpenDataBrowser({ model, search, pageSize });
    const scroller = panel.node.querySelector<HTMLElement>('.odl-Browser-results')!;
    Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: VIEWPORT });
    return panel;
  }

  /** Waits until the panel shows the answer to its current query (or an error). */
  async function settled(browser: OpenDataBrowser): Promise<void> {
    const search = browser.search;
    while (
      search.status !== 'error' &&
      (search.status !== 'ready' || search.results?.query !== search.query)
    ) {
      await new Promise<void>(resolve => {
        const once = () => {
          search.changed.disconnect(once);
          resolve();
        };
        search.changed.connect(once);
      });
    }
  }

  /** Attaches the panel (which starts loading) and waits until the first answer has settled. */
  async function show(loader: SnapshotLoader, pageSize?: number): Promise<OpenDataBrowser> {
    const browser = createPanel(loader, pageSize);
    Widget.attach(browser, document.body);
    await browser.model.load().catch(() => undefined);
    await settled(browser);
    return browser;
  }

  function rows(browser: OpenDataBrowser): HTMLLIElement[] {
    return Array.from(browser.node.querySelectorAll<HTMLLIElement>('ul.odl-Browser-list > li'));
  }

  function text(browser: OpenDataBrowser, selector: string): string | null {
    return browser.node.querySelector(selector)?.textContent ?? null;
  }

  function type(browser: OpenDataBrowser, value: string): void {
    browser.searchInput.value = value;
    browser.searchInput.dispatchEvent(new Event('input', { bubbles: true }));
  }

  /** Most recent first, as the portal lists records without a query (computed here). */
  function mostRecent(data: CatalogIndexData): number[] {
    const c = data.columns;
    return c.recid
      .map((_, i) => i)
      .filter(i => c.availability[i] !== 'ondemand')
      .sort((a, b) =>
        c.date_published[a] !== c.date_published[b]
          ? c.date_published[a] < c.date_published[b]
            ? 1
            : -1
          : Number(c.recid[b]) - Number(c.recid[a])
      );
  }

  it('is a labelled region with an id, icon and caption, a labelled search box and sort', () => {
    const browser = createPanel(() => Promise.resolve(readSnapshot()));
    expect(browser.id).toBe('opendata-lab-browser');
    expect(browser.node.getAttribute('role')).toBe('region');
    expect(browser.node.getAttribute('aria-label')).toBeTruthy();
    expect(browser.title.icon).toBeTruthy();
    expect(browser.title.caption).toBeTruthy();
    expect(browser.searchInput.disabled).toBe(false);
    expect(browser.searchInput.getAttribute('aria-label')).toBe('Search records');
    expect(browser.node.querySelector('select.odl-Browser-sort')?.getAttribute('aria-label')).toBe(
      'Sort records by'
    );
  });

  it('loads the snapshot only once it is shown', async () => {
    const loader = jest.fn(() => Promise.resolve<unknown>(readSnapshot()));
    const browser = createPanel(loader);
    expect(loader).not.toHaveBeenCalled();
    expect(text(browser, '.odl-Browser-loading')).toBeTruthy();

    Widget.attach(browser, document.body);
    expect(browser.model.state.status).toBe('loading');
    await settled(browser);
    expect(loader).toHaveBeenCalledTimes(1);
    browser.hide();
    browser.show();
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('lists the real snapshot, most recent first, with only the visible rows in the DOM', async () => {
    const snapshot = readSnapshot();
    const browser = await show(() => Promise.resolve(snapshot));
    const listed = rows(browser);
    const { columns } = snapshot;
    const order = mostRecent(snapshot);

    // 400 px of 80 px rows: 5 visible, plus 4 rows of overscan below.
    expect(listed).toHaveLength(Math.ceil(VIEWPORT / browser.list.rowHeight) + 4);
    listed.forEach((row, i) => {
      const p = order[i];
      expect(row.dataset.recid).toBe(columns.recid[p]);
      expect(row.getAttribute('aria-posinset')).toBe(String(i + 1));
      expect(row.getAttribute('aria-setsize')).toBe(String(order.length));
      const title = READABLE_TITLES[columns.recid[p]] ?? columns.title[p];
      expect(row.querySelector('.odl-RecordRow-title')?.textContent).toBe(title);
      expect(row.querySelector('.odl-RecordRow-experiment')?.textContent ?? '').toBe(
        columns.experiment[p].join(', ')
      );
      if (columns.doi[p]) {
        const badge = row.querySelector<HTMLAnchorElement>('a.odl-DoiBadge');
        expect(badge?.textContent).toBe(badgeText(columns.doi[p]));
        expect(badge?.getAttribute('aria-label')).toBe(`DOI ${columns.doi[p]}`);
        expect(badge?.title).toBe(`Open DOI ${columns.doi[p]}`);
        expect(badge?.href).toBe(`https://doi.org/${columns.doi[p]}`);
      }
      const events = columns.number_events[p];
      const eventsText = row.querySelector('.odl-RecordRow-events');
      expect(eventsText === null).toBe(!(events && events > 0));
    });
    const format = new Intl.NumberFormat();
    expect(text(browser, '.odl-Browser-count')).toBe(`${format.format(order.length)} records`);

    // The sizer is as tall as every row: the scrollbar spans all records.
    const sizer = browser.node.querySelector<HTMLElement>('.odl-VirtualList')!;
    expect(sizer.style.height).toBe(`${order.length * browser.list.rowHeight}px`);
  });

  it('renders the rows scrolled to, fetching their records on demand', async () => {
    const snapshot = readSnapshot();
    const browser = await show(() => Promise.resolve(snapshot));
    const order = mostRecent(snapshot);
    const scroller = browser.node.querySelector<HTMLElement>('.odl-Browser-results')!;
    const target = 30_000;
    scroller.scrollTop = target * browser.list.rowHeight;
    scroller.dispatchEvent(new Event('scroll'));
    // First placeholders (that block is not fetched yet), then the records.
    expect(rows(browser).some(r => r.classList.contains('odl-mod-placeholder'))).toBe(true);
    await new Promise<void>(resolve => browser.search.rowsChanged.connect(() => resolve()));
    await new Promise(r => setTimeout(r, 0));
    const listed = rows(browser);
    expect(listed.length).toBeLessThanOrEqual(Math.ceil(VIEWPORT / browser.list.rowHeight) + 8);
    const first = listed.find(r => r.getAttribute('aria-posinset') === String(target + 1))!;
    expect(first.dataset.recid).toBe(snapshot.columns.recid[order[target]]);
    expect(listed.some(r => r.classList.contains('odl-mod-placeholder'))).toBe(false);
  });

  it('moves focus with the keyboard, into rows that were not rendered', async () => {
    const browser = await show(() => Promise.resolve(readSnapshot()));
    const [first] = rows(browser);
    expect(first.tabIndex).toBe(0);
    // Down from the search box reaches the first row.
    browser.searchInput.focus();
    browser.searchInput.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })
    );
    expect(document.activeElement).toBe(first);
    first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(document.activeElement?.getAttribute('aria-posinset')).toBe('2');
    const active = document.activeElement as HTMLElement;
    active.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    const total = browser.search.results!.count;
    expect(document.activeElement?.getAttribute('aria-posinset')).toBe(String(total));
    expect((document.activeElement as HTMLElement).tabIndex).toBe(0);
    expect(rows(browser).length).toBeLessThan(20);
  });

  it('searches as you type and filters by facets, with counts matching an independent count', async () => {
    const columns = readSnapshotColumns();
    const browser = await show(() => Promise.resolve(readSnapshot()));
    type(browser, 'dimuon');
    await settled(browser);
    const dimuon = oracleSearch(columns, { text: 'dimuon' });
    expect(text(browser, '.odl-Browser-count')).toBe(
      `${new Intl.NumberFormat().format(dimuon.total)} records`
    );
    expect(browser.node.querySelector<HTMLElement>('.odl-Browser-results')!.dataset.query).toBe(
      'dimuon'
    );

    // Open the filters, tick CMS, pick 2011..2011.
    browser.node.querySelector<HTMLButtonElement>('.odl-Browser-filterToggle')!.click();
    const cms = browser.node.querySelector<HTMLInputElement>(
      'input[data-facet="experiment"][data-key="CMS"]'
    )!;
    expect(cms.closest('label')!.querySelector('.odl-Facet-count')!.textContent).toBe(
      new Intl.NumberFormat().format(dimuon.experiment.CMS)
    );
    cms.click();
    await settled(browser);
    for (const end of ['from', 'to']) {
      const select = browser.node.querySelector<HTMLSelectElement>(`select[data-year="${end}"]`)!;
      select.value = '2011';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
    await settled(browser);
    const filtered = oracleSearch(columns, {
      text: 'dimuon',
      experiment: ['CMS'],
      years: [2011, 2011]
    });
    expect(browser.search.results!.total).toBe(filtered.total);
    const recids = new Set(filtered.recids);
    for (const row of rows(browser).slice(0, filtered.total)) {
      expect(recids.has(row.dataset.recid!)).toBe(true);
    }
    // Facet counts on screen: each facet counted with the other filters.
    for (const box of browser.node.querySelectorAll<HTMLInputElement>(
      'input[data-facet="experiment"]'
    )) {
      const count = box.closest('label')!.querySelector('.odl-Facet-count')!.textContent;
      expect(count).toBe(
        new Intl.NumberFormat().format(filtered.experiment[box.dataset.key!] ?? 0)
      );
    }
    expect(cms.isConnected ? cms.checked : true).toBe(true);
    expect(
      browser.node.querySelector<HTMLInputElement>(
        'input[data-facet="experiment"][data-key="CMS"]'
      )!.checked
    ).toBe(true);
    expect(text(browser, '.odl-Browser-filterLabel')).toBe('Filters (2)');

    // Closed sections are built when opened, with the counts of the current results.
    const keywords = browser.node.querySelector<HTMLDetailsElement>(
      'details[data-facet="keywords"]'
    )!;
    expect(keywords.open).toBe(false);
    expect(keywords.querySelector('input')).toBeNull();
    keywords.open = true;
    await new Promise(r => setTimeout(r, 0)); // the toggle event is queued
    const opened = browser.node.querySelector<HTMLDetailsElement>(
      'details[data-facet="keywords"]'
    )!;
    expect(opened.open).toBe(true);
    const facet = browser.search.results!.facets.keywords ?? [];
    expect(opened.querySelectorAll('input[type="checkbox"]').length).toBe(
      Math.min(facet.length, 5)
    );

    browser.node.querySelector<HTMLButtonElement>('.odl-Facets-clear')!.click();
    await settled(browser);
    expect(browser.search.results!.total).toBe(dimuon.total);
  });

  it('shows TeX in titles as readable text: the row, its tooltip and its label', async () => {
    const snapshot = readSnapshot();
    const browser = await show(() => Promise.resolve(snapshot));
    // The five most recent records are the LHCb ntuples; 93940 is found by its name.
    type(browser, 'JetSet');
    await settled(browser);
    const listed = rows(browser);
    const recids = Object.keys(READABLE_TITLES);
    const jetset = listed.find(r => r.dataset.recid === '93940')!;
    expect(jetset).toBeDefined();
    type(browser, '');
    await settled(browser);
    for (const row of [jetset, ...rows(browser).slice(0, 5)]) {
      const recid = row.dataset.recid!;
      expect(recids).toContain(recid);
      const title = row.querySelector<HTMLElement>('.odl-RecordRow-title')!;
      expect(title.textContent).toBe(READABLE_TITLES[recid]);
      expect(title.title).toBe(READABLE_TITLES[recid]);
      expect(row.getAttribute('aria-label')).toBe(`Record ${recid}: ${READABLE_TITLES[recid]}`);
      expect(row.outerHTML).not.toMatch(/[$\\]/);
    }
  });

  it('keeps the end of a dataset path, where sibling datasets differ, in its own part', async () => {
    const browser = await show(() => Promise.resolve(readSnapshot()));
    // Two CMS 2016 datasets whose names differ only in the version at the end.
    type(browser, 'NMSSM_XToYHTo2G2Tau_MX-2200_MY-600');
    await settled(browser);
    const name = (v: string) =>
      `/NMSSM_XToYHTo2G2Tau_MX-2200_MY-600_TuneCP5_13TeV-madgraph-pythia8/RunIISummer20UL16MiniAODv2-106X_mcRun2_asymptotic_v17-${v}/MINIAODSIM`;
    const parts = (recid: string) => {
      const row = rows(browser).find(r => r.dataset.recid === recid)!;
      const title = row.querySelector<HTMLElement>('.odl-RecordRow-title')!;
      return {
        text: title.textContent,
        tooltip: title.title,
        primary: title.querySelector('.odl-RecordRow-primary')?.textContent,
        head: title.querySelector('.odl-RecordRow-processedHead')?.textContent,
        tail: title.querySelector('.odl-RecordRow-tail')?.textContent
      };
    };
    const primary = '/NMSSM_XToYHTo2G2Tau_MX-2200_MY-600_TuneCP5_13TeV-madgraph-pythia8';
    const head = '/RunIISummer20UL16MiniAODv2-106X_mcRun2_asymptotic';
    expect(parts('51433')).toEqual({
      text: name('v1'),
      tooltip: name('v1'),
      primary,
      head,
      tail: '_v17-v1/MINIAODSIM'
    });
    expect(parts('51434')).toEqual({
      text: name('v2'),
      tooltip: name('v2'),
      primary,
      head,
      tail: '_v17-v2/MINIAODSIM'
    });
    // A title that is not a dataset path stays one piece.
    type(browser, 'DoubleMu Run2011A');
    await settled(browser);
    const listed = rows(browser);
    const path = listed.find(r => r.dataset.recid === '17')!; // /DoubleMu/Run2011A-12Oct2013-v1/AOD
    expect(path.querySelector('.odl-RecordRow-primary')?.textContent).toBe('/DoubleMu');
    expect(path.querySelector('.odl-RecordRow-tail')?.textContent).toBe('-12Oct2013-v1/AOD');
    const derived = listed.find(
      r => !r.querySelector('.odl-RecordRow-title')!.textContent!.startsWith('/')
    )!;
    expect(derived.querySelector('.odl-RecordRow-title')!.childElementCount).toBe(0);
  });

  it('shows record values as text, never as markup', async () => {
    const snapshot: CatalogIndexData = readSnapshot();
    const [p, q] = mostRecent(snapshot);
    const hostile = '<img src=x onerror=alert(1)>';
    snapshot.columns.title[p] = hostile;
    snapshot.columns.experiment[p] = ['<img src=y>'];
    snapshot.columns.doi[p] = '10.1/"><img src=z>';
    snapshot.columns.doi[q] = '';

    const browser = await show(() => Promise.resolve(snapshot));
    const [first, second] = rows(browser);

    expect(first.querySelector('.odl-RecordRow-title')?.textContent).toBe(hostile);
    expect(first.querySelector('.odl-RecordRow-experiment')?.textContent).toBe('<img src=y>');
    expect(browser.node.querySelector('img')).toBeNull();
    const badge = first.querySelector<HTMLAnchorElement>('a.odl-DoiBadge');
    expect(badge?.protocol).toBe('https:');
    expect(badge?.host).toBe('doi.org');
    // A record without a DOI has no badge.
    expect(second.querySelector('.odl-DoiBadge')).toBeNull();
  });

  it('lays out a bounded part of a huge title (a megabyte title froze the page)', async () => {
    const snapshot: CatalogIndexData = readSnapshot();
    const [p] = mostRecent(snapshot);
    const huge = 'A'.repeat(1_000_000);
    snapshot.columns.title[p] = huge;
    const browser = await show(() => Promise.resolve(snapshot));
    const [first] = rows(browser);
    const shown = first.querySelector<HTMLElement>('.odl-RecordRow-title')!;
    expect(shown.textContent!.length).toBeLessThanOrEqual(600);
    expect(shown.textContent!.endsWith('…')).toBe(true);
    expect(shown.title.length).toBeLessThanOrEqual(600);
    expect(first.getAttribute('aria-label')!.length).toBeLessThan(700);
    expect(browser.node.innerHTML.length).toBeLessThan(100_000);
  });

  it('shows an error when the loader rejects, and can try again', async () => {
    const loader = jest
      .fn<Promise<unknown>, []>()
      .mockRejectedValueOnce(new Error('index.json.gz: HTTP 404 Not Found'))
      .mockResolvedValueOnce(readSnapshot());
    const browser = await show(loader);

    expect(rows(browser)).toHaveLength(0);
    const alert = browser.node.querySelector('[role="alert"]');
    expect(alert?.textContent).toBe('Could not load the CERN Open Data catalog.');
    expect(text(browser, '.odl-Browser-errorDetail')).toBe('index.json.gz: HTTP 404 Not Found');

    browser.node.querySelector<HTMLButtonElement>('button.odl-Browser-retry')!.click();
    await settled(browser);
    expect(loader).toHaveBeenCalledTimes(2);
    expect(rows(browser).length).toBeGreaterThan(0);
    expect(browser.node.querySelector('[role="alert"]')).toBeNull();
  });

  it('shows an error when the snapshot is not a catalog index', async () => {
    const browser = await show(() => Promise.resolve({ format: 'something-else' }));
    expect(text(browser, '.odl-Browser-errorDetail')).toContain(
      'not an opendata-lab catalog index'
    );
  });

  it('fetches hits in blocks of the page size', async () => {
    const browser = await show(() => Promise.resolve(readSnapshot()), 5);
    expect(browser.pageSize).toBe(5);
    expect(browser.search.hit(4)).toBeDefined();
    browser.pageSize = 0;
    expect(browser.pageSize).toBe(DEFAULT_SETTINGS.pageSize);
  });

  it('says which source answers: the snapshot by default', async () => {
    const browser = await show(() => Promise.resolve(readSnapshot()));
    const status = browser.node.querySelector<HTMLElement>('.odl-SourceStatus')!;
    expect(status.getAttribute('role')).toBe('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.dataset.source).toBe('snapshot');
    expect(status.textContent).toBe('Bundled snapshot (works offline)');
    expect(status.querySelector('svg')).not.toBeNull();
  });

  it('shows the offline indicator when the portal cannot be reached, with snapshot results', async () => {
    const model = new CatalogModel(() => Promise.resolve(readSnapshot()));
    const search = new SearchModel({
      source: new RecordSource({
        catalog: model,
        portal: new PortalCatalog('http://127.0.0.1:9', { fetch, timeoutMs: 5000 })
      })
    });
    search.source = 'auto';
    panel = new OpenDataBrowser({ model, search });
    const status = panel.node.querySelector<HTMLElement>('.odl-SourceStatus')!;
    expect(status.dataset.source).toBe('connecting');
    Widget.attach(panel, document.body);
    await settled(panel);
    expect(status.dataset.source).toBe('offline');
    expect(status.textContent).toContain('Portal unreachable: showing the bundled snapshot');
    expect(status.querySelector('button')?.textContent).toBe('Retry');
    expect(search.results!.origin).toBe('snapshot');
    expect(rows(panel).length).toBeGreaterThan(0);
  });

  it('with the portal-only source, an unreachable portal is an error with a way out, not snapshot rows', async () => {
    const model = new CatalogModel(() => Promise.resolve(readSnapshot()));
    const search = new SearchModel({
      source: new RecordSource({
        catalog: model,
        portal: new PortalCatalog('http://127.0.0.1:9', { fetch, timeoutMs: 5000 })
      })
    });
    search.source = 'portal';
    panel = new OpenDataBrowser({ model, search });
    Widget.attach(panel, document.body);
    await settled(panel);
    const status = panel.node.querySelector<HTMLElement>('.odl-SourceStatus')!;
    expect(status.dataset.source).toBe('offline');
    expect(status.textContent).toContain('Portal unreachable');
    expect(status.textContent).not.toContain('snapshot');
    expect(panel.node.querySelector('[role="alert"]')?.textContent).toContain('“auto”');
    expect(rows(panel)).toHaveLength(0);
  });
});
