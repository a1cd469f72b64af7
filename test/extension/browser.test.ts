import { Widget } from '@lumino/widgets';
import type { CatalogIndexData } from '@opendata-lab/kernel-helpers/core';
import { DEFAULT_PAGE_SIZE, OpenDataBrowser } from '../../extension/browser';
import { CatalogModel } from '../../extension/catalog-model';
import type { SnapshotLoader } from '../../extension/snapshot';
import { readSnapshot } from './snapshot-fixture';

describe('OpenDataBrowser', () => {
  let panel: OpenDataBrowser | null = null;

  afterEach(() => {
    panel?.dispose();
    panel = null;
  });

  function createPanel(loader: SnapshotLoader): OpenDataBrowser {
    panel = new OpenDataBrowser({ model: new CatalogModel(loader) });
    return panel;
  }

  /** Attaches the panel (which starts loading) and waits until the load has settled. */
  async function show(loader: SnapshotLoader): Promise<OpenDataBrowser> {
    const browser = createPanel(loader);
    Widget.attach(browser, document.body);
    await browser.model.load().catch(() => undefined);
    return browser;
  }

  function rows(browser: OpenDataBrowser): HTMLLIElement[] {
    return Array.from(browser.node.querySelectorAll<HTMLLIElement>('ul.odl-Browser-list > li'));
  }

  function text(browser: OpenDataBrowser, selector: string): string | null {
    return browser.node.querySelector(selector)?.textContent ?? null;
  }

  it('is a labelled region with an id, icon and caption', () => {
    const browser = createPanel(() => Promise.resolve(readSnapshot()));
    expect(browser.id).toBe('opendata-lab-browser');
    expect(browser.node.getAttribute('role')).toBe('region');
    expect(browser.node.getAttribute('aria-label')).toBeTruthy();
    expect(browser.title.icon).toBeTruthy();
    expect(browser.title.caption).toBeTruthy();
  });

  it('loads the snapshot only once it is shown', async () => {
    const loader = jest.fn(() => Promise.resolve<unknown>(readSnapshot()));
    const browser = createPanel(loader);
    expect(loader).not.toHaveBeenCalled();
    expect(text(browser, '.odl-Browser-loading')).toBeTruthy();

    Widget.attach(browser, document.body);
    expect(browser.model.state.status).toBe('loading');
    await browser.model.load();
    expect(loader).toHaveBeenCalledTimes(1);
    browser.hide();
    browser.show();
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('lists the first page of the real snapshot', async () => {
    const snapshot = readSnapshot();
    const browser = await show(() => Promise.resolve(snapshot));
    const listed = rows(browser);
    const { columns } = snapshot;

    expect(listed).toHaveLength(DEFAULT_PAGE_SIZE);
    listed.forEach((row, i) => {
      expect(row.dataset.recid).toBe(columns.recid[i]);
      expect(row.querySelector('.odl-RecordRow-title')?.textContent).toBe(columns.title[i]);
      expect(row.querySelector('.odl-RecordRow-experiment')?.textContent).toBe(
        columns.experiment[i].join(', ')
      );
      expect(row.querySelector('.odl-RecordRow-year')?.textContent).toContain(
        String(columns.year[i][0])
      );
      const badge = row.querySelector<HTMLAnchorElement>('a.odl-DoiBadge');
      expect(badge?.textContent).toContain(columns.doi[i]);
      expect(badge?.href).toBe(`https://doi.org/${columns.doi[i]}`);
    });
    // The first snapshot records are CMS collision datasets: the type shows without `::`.
    expect(listed[0].querySelector('.odl-RecordRow-type')?.textContent).toBe(
      columns.type[0].map(t => t.replace('::', ' / ')).join(', ')
    );

    const count = text(browser, '.odl-Browser-count');
    const format = new Intl.NumberFormat();
    expect(count).toBe(
      `${format.format(DEFAULT_PAGE_SIZE)} of ${format.format(snapshot.count)} records`
    );
    expect(snapshot.count).toBe(columns.recid.length);
  });

  it('shows record values as text, never as markup', async () => {
    const snapshot: CatalogIndexData = readSnapshot();
    const hostile = '<img src=x onerror=alert(1)>';
    snapshot.columns.title[0] = hostile;
    snapshot.columns.experiment[0] = ['<img src=y>'];
    snapshot.columns.doi[0] = '10.1/"><img src=z>';
    snapshot.columns.doi[1] = '';

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
    await browser.model.load();
    expect(loader).toHaveBeenCalledTimes(2);
    expect(rows(browser)).toHaveLength(DEFAULT_PAGE_SIZE);
    expect(browser.node.querySelector('[role="alert"]')).toBeNull();
  });

  it('shows an error when the snapshot is not a catalog index', async () => {
    const browser = await show(() => Promise.resolve({ format: 'something-else' }));
    expect(text(browser, '.odl-Browser-errorDetail')).toContain(
      'not an opendata-lab catalog index'
    );
  });

  it('follows the page size', async () => {
    const browser = await show(() => Promise.resolve(readSnapshot()));
    browser.pageSize = 5;
    expect(rows(browser)).toHaveLength(5);
    browser.pageSize = 0;
    expect(rows(browser)).toHaveLength(DEFAULT_PAGE_SIZE);
  });
});
