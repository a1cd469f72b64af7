// Issue 15 in a real JupyterLab (Chromium), with the portal as the source: a dataset on tape is
// marked "On tape" in its row at the default sidebar width (250 px) without changing the row's
// layout, and its record view says so with the portal page to request staging on; the record view
// lists the papers citing a dataset (INSPIRE) and says "Citations unavailable offline" when the
// INSPIRE route fails. Portal and INSPIRE answers are served in place of the server routes'
// (page.route): real records 5200 and 5500 (5200 marked as the portal marks records on tape) and
// the INSPIRE stand-in's fixture.
import { expect, galata, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { literatureAnswer, readInspireHits } from '../../support/inspire-api';
import { openRecord } from './lab';

const repo = path.resolve(__dirname, '..', '..', '..');
const shardRecord = (recid: number) =>
  JSON.parse(
    zlib
      .gunzipSync(
        fs.readFileSync(
          path.join(
            repo,
            'data',
            'catalog',
            'records',
            `${String(recid % 64).padStart(2, '0')}.json.gz`
          )
        )
      )
      .toString()
  )[String(recid)];
const onTape = { ...shardRecord(5200) };
onTape.distribution = { ...onTape.distribution, availability: 'ondemand' };
const online = shardRecord(5500);
const hit = (metadata: { recid: string }) => ({
  id: Number(metadata.recid),
  created: '2024-01-01T00:00:00+00:00',
  updated: '2024-01-01T00:00:00+00:00',
  links: { self: `/api/records/${metadata.recid}` },
  metadata
});
const DOI = online.doi as string;
const citing = readInspireHits().filter(h => h.cites.includes(DOI));

test.use({
  autoGoto: true,
  mockSettings: { ...galata.DEFAULT_SETTINGS, 'opendata-lab:browser': { source: 'portal' } }
});

test.beforeEach(async ({ page }) => {
  await page.route('**/opendata-lab/portal/api/records/?*', route =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        hits: { hits: [hit(onTape), hit(online)], total: 2 },
        aggregations: {}
      })
    })
  );
  for (const record of [onTape, online]) {
    await page.route(`**/opendata-lab/portal/api/records/${record.recid}`, route =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify(hit(record))
      })
    );
  }
});

test('a row on tape says so in words, its layout that of the other rows, nothing clipped', async ({
  page
}) => {
  await page.sidebar.openTab('opendata-lab-browser');
  const panel = page.locator('#opendata-lab-browser');
  const tapeRow = panel.locator(`.odl-RecordRow[data-recid="${onTape.recid}"]`);
  const plainRow = panel.locator(`.odl-RecordRow[data-recid="${online.recid}"]`);
  await expect(tapeRow).toBeVisible();
  const badge = tapeRow.locator('.odl-OnTapeBadge');
  await expect(badge).toHaveText('On tape');
  await expect(plainRow.locator('.odl-OnTapeBadge')).toHaveCount(0);
  const geometry = await tapeRow.evaluate(row => {
    const box = (n: Element) => n.getBoundingClientRect();
    const badge = row.querySelector('.odl-OnTapeBadge')!;
    const line = badge.parentElement!;
    const doi = row.querySelector('.odl-DoiBadge')!;
    return {
      panelWidth: Math.round(box(row.closest('#opendata-lab-browser')!).width),
      rowHeight: (row as HTMLElement).offsetHeight,
      badgeInLine:
        box(badge).left >= box(line).left - 0.5 &&
        box(badge).right <= box(line).right + 0.5 &&
        box(badge).top >= box(line).top - 0.5 &&
        box(badge).bottom <= box(line).bottom + 0.5,
      badgeWhole: badge.scrollWidth <= badge.clientWidth + 0.5,
      doiWhole: box(doi).right <= box(row).right + 0.5
    };
  });
  const plainHeight = await plainRow.evaluate(row => (row as HTMLElement).offsetHeight);
  console.log(JSON.stringify({ ...geometry, plainHeight }));
  expect(geometry.panelWidth).toBeLessThanOrEqual(250);
  expect(geometry.rowHeight).toBe(plainHeight);
  expect(geometry.badgeInLine).toBe(true);
  expect(geometry.badgeWhole).toBe(true);
  expect(geometry.doiWhole).toBe(true);
});

test('the record view: on tape with the staging link; the papers citing a dataset', async ({
  page
}) => {
  await page.route('**/opendata-lab/inspire/api/literature?*', route => {
    const params = new URL(route.request().url()).searchParams;
    return route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify(literatureAnswer(readInspireHits(), params, 'https://inspirehep.net'))
    });
  });
  await openRecord(page, onTape.recid);
  const tapeView = page.locator(`#opendata-lab-record-${onTape.recid} .odl-RecordView`);
  const note = tapeView.locator('.odl-RecordView-onTape');
  await expect(note).toContainText('On tape');
  await expect(note.locator('a')).toHaveAttribute(
    'href',
    `https://opendata.cern.ch/record/${onTape.recid}`
  );

  await openRecord(page, online.recid);
  const view = page.locator(`#opendata-lab-record-${online.recid} .odl-RecordView`);
  const section = view.locator('section[aria-label="Cited by"]');
  await expect(section.locator('.odl-CitedBy-status')).toHaveText(
    `${citing.length} papers on INSPIRE cite this dataset.`
  );
  await expect(section.locator('a.odl-CitedBy-title')).toHaveCount(citing.length);
  const hrefs = await section
    .locator('a.odl-CitedBy-title')
    .evaluateAll(links => links.map(a => (a as HTMLAnchorElement).href));
  expect(hrefs.sort()).toEqual(citing.map(h => `https://inspirehep.net/literature/${h.id}`).sort());
  await expect(view.locator('.odl-RecordView-onTape')).toHaveCount(0);
});

test('INSPIRE unreachable: "Citations unavailable offline", the rest of the record view there', async ({
  page
}) => {
  await page.route('**/opendata-lab/inspire/api/literature?*', route =>
    route.fulfill({
      status: 502,
      contentType: 'application/json',
      body: JSON.stringify({ error: 'cannot reach INSPIRE at inspirehep.net', status: 502 })
    })
  );
  await openRecord(page, online.recid);
  const view = page.locator(`#opendata-lab-record-${online.recid} .odl-RecordView`);
  await expect(view.locator('section[aria-label="Cited by"] .odl-CitedBy-status')).toHaveText(
    'Citations unavailable offline'
  );
  await expect(view.locator('section[aria-label="Files"]')).toBeVisible();
  await expect(view.locator('.odl-RecordView-error')).toHaveCount(0);
});
