// The record view as the portal's record page: links that lead somewhere (a /record/N link opens
// that record in JupyterLab), labelled dates, a big file list with filter and page jump; light,
// dark and narrow screenshots kept as test artefacts (build/test-results/screenshots).
import { expect, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { openRecord } from './lab';

const repo = path.resolve(__dirname, '..', '..', '..');
const screenshots = path.join(repo, 'build', 'test-results', 'screenshots');

/** A record from the bundled shards, read independently of the extension. */
function shardRecord(recid: number): Record<string, unknown> {
  const file = path.join(
    repo,
    'data',
    'catalog',
    'records',
    `${String(recid % 64).padStart(2, '0')}.json.gz`
  );
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString())[String(recid)];
}

test.use({ autoGoto: true });

test("a link in record 17's abstract opens the linked record in JupyterLab", async ({ page }) => {
  const record = shardRecord(17) as {
    date_created: string[];
    date_published: string;
    abstract: { links: { recid: string }[] };
  };
  const target = record.abstract.links[0].recid;
  await openRecord(page, '17');
  const view = page.locator('#opendata-lab-record-17 .odl-RecordView');
  // The abstract ends "... can be found in": the link the portal shows after it is there.
  const abstract = view.locator('section[aria-label="Abstract"]');
  const link = abstract.locator(`a[href="https://opendata.cern.ch/record/${target}"]`);
  await expect(link).toBeVisible();
  // Dates say what they are.
  const dates = view.locator('.odl-RecordView-dates');
  await expect(dates).toContainText(`Collected${record.date_created[0]}`);
  await expect(dates).toContainText(`Published${record.date_published}`);
  // It looks like a link: the theme's link colour, underlined on hover.
  const color = await link.evaluate(a => getComputedStyle(a).color);
  const linkColor = await link.evaluate(a => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--jp-content-link-color)';
    a.parentElement!.append(probe);
    const value = getComputedStyle(probe).color;
    probe.remove();
    return value;
  });
  expect(color).toBe(linkColor);
  await link.hover();
  expect(await link.evaluate(a => getComputedStyle(a).textDecorationLine)).toBe('underline');

  await link.click();
  const opened = page.locator(`#opendata-lab-record-${target} .odl-RecordView-title`);
  await expect(opened).toHaveText(String(shardRecord(Number(target)).title));
  // In JupyterLab: the record's tab is the current one, no portal page opened.
  await expect(page.locator(`#opendata-lab-record-${target}`)).toBeVisible();
  expect(page.context().pages()).toHaveLength(1);

  // Keyboard: the link takes the focus with a visible ring, and Enter follows it.
  await openRecord(page, '17');
  await expect(link).toBeVisible();
  await link.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(link).toBeFocused();
  expect(await link.evaluate(a => getComputedStyle(a).outlineStyle)).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page.locator(`#opendata-lab-record-${target}`)).toBeVisible();
  await expect(page.locator('#opendata-lab-record-17')).toBeHidden();
});

/** Screenshots the record view's visible part with `at` scrolled to its top. */
async function shot(view: Locator, name: string, at?: Locator): Promise<void> {
  if (at) {
    await at.evaluate(e => e.scrollIntoView({ block: 'start' }));
  } else {
    await view.evaluate(e => e.scrollTo(0, 0));
  }
  await view.screenshot({ path: path.join(screenshots, name) });
}

test('record view and file list, light and dark, wide and narrow', async ({ page }) => {
  fs.mkdirSync(screenshots, { recursive: true });
  // DELPHI 1994 raw data: 5,178 files, filtered and paged.
  const delphi = shardRecord(81435) as { files: { uri: string }[] };
  const names = delphi.files.map(f => f.uri.slice(f.uri.lastIndexOf('/') + 1));
  await openRecord(page, '81435');
  const view = page.locator('#opendata-lab-record-81435 .odl-RecordView');
  const files = view.locator('section[aria-label="Files"]');
  const summary = files.locator('.odl-FileTable-summary');
  await expect(summary).toHaveText('Files 1–50 of 5,178');
  await expect(files.locator('.odl-FileTable-pageOf')).toHaveText('of 104');

  // Keyboard: the filter, then the page number.
  const filter = files.getByRole('searchbox');
  await filter.focus();
  const needle = names[2000].slice(0, 8);
  await page.keyboard.type(needle);
  const matching = names.filter(n => n.toLowerCase().includes(needle.toLowerCase())).length;
  await expect(summary).toContainText(`${matching.toLocaleString('en-US')} of 5,178 files match`);
  await shot(view, 'record-files-filtered-light.png', files);
  await filter.fill('');
  const pageInput = files.getByRole('spinbutton');
  await pageInput.fill('3');
  await pageInput.press('Enter');
  await expect(summary).toHaveText('Files 101–150 of 5,178');
  await expect(files.locator('td.odl-FileTable-name').first()).toHaveText(names[100]);
  await shot(view, 'record-files-light.png', files);
  await shot(view, 'record-81435-light.png');

  // Record 17: dates, the abstract's link; record 5500: its usage links.
  await openRecord(page, '17');
  const r17 = page.locator('#opendata-lab-record-17 .odl-RecordView');
  await expect(r17.locator('.odl-RecordView-links a').first()).toBeVisible();
  await shot(r17, 'record-17-light.png');
  await openRecord(page, '5500');
  const r5500 = page.locator('#opendata-lab-record-5500 .odl-RecordView');
  const usage = r5500.locator('section[aria-label="Usage"]');
  await expect(usage.locator('a').first()).toBeVisible();
  await shot(r5500, 'record-5500-light.png');
  await shot(r5500, 'record-5500-usage-light.png', usage);

  // Record 6003: three file indexes, one expanded (its listing files here: see the report).
  await openRecord(page, '6003');
  const r6003 = page.locator('#opendata-lab-record-6003 .odl-RecordView');
  const index = r6003.locator('details.odl-RecordView-index').first();
  await index.locator('summary').click();
  await expect(index.locator('.odl-FileTable-row').first()).toBeVisible();
  await shot(r6003, 'record-6003-index-light.png', r6003.locator('section[aria-label="Files"]'));

  await page.theme.setDarkTheme();
  await shot(r6003, 'record-6003-index-dark.png', r6003.locator('section[aria-label="Files"]'));
  await openRecord(page, '5500');
  await expect(r5500.locator('.odl-RecordView-title')).toBeVisible();
  await shot(r5500, 'record-5500-dark.png');
  await shot(r5500, 'record-5500-usage-dark.png', usage);
  await openRecord(page, '17');
  await shot(r17, 'record-17-dark.png');
  await openRecord(page, '81435');
  await expect(files).toBeVisible();
  await shot(view, 'record-81435-dark.png');
  await shot(view, 'record-files-dark.png', files);

  // Narrow: the view in a small window keeps every control reachable.
  await page.setViewportSize({ width: 560, height: 900 });
  await page.sidebar.close();
  await expect(files.locator('.odl-FileTable-next')).toBeVisible();
  const box = await view.boundingBox();
  const next = await files.locator('.odl-FileTable-next').boundingBox();
  expect(next!.x + next!.width).toBeLessThanOrEqual(box!.x + box!.width);
  await shot(view, 'record-81435-narrow-dark.png');
  await shot(view, 'record-files-narrow-dark.png', files);
  await page.theme.setLightTheme();
});

// Needs records-plugin.ts to pass `indexLoader: bundledIndexLoader` to the RecordView (the lead's
// wiring): then the index that ships in data/catalog/file-indices expands to its data files here.
test("record 6003's bundled file index expands to its data files offline", async ({ page }) => {
  const name = 'CMS_Run2012B_DoubleElectron_AOD_22Jan2013-v1_30000';
  const listed = JSON.parse(
    fs.readFileSync(
      path.join(repo, 'data', 'catalog', 'file-indices', `${name}_file_index.json`),
      'utf8'
    )
  ) as { uri: string }[];
  await openRecord(page, '6003');
  const view = page.locator('#opendata-lab-record-6003 .odl-RecordView');
  const index = view.locator('details.odl-RecordView-index', { hasText: name });
  await expect(index.locator('.odl-RecordView-indexNote')).toHaveText(
    'bundled index: lists its files offline'
  );
  await index.locator('summary').click();
  await expect(index.locator('td.odl-FileTable-name')).toHaveText(
    listed.map(f => f.uri.slice(f.uri.lastIndexOf('/') + 1))
  );
  await shot(view, 'record-6003-bundled-index-light.png', index);
});
