// A new user's first hour, as issue 10 walked it: show the panel from the keyboard, type, move
// with the arrows, open with Enter, cite and load through the shortcuts (acting on the focused
// row or the open record, never on an earlier right-click), reload and find the record tabs back.
import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { openRecord } from './lab';

const repo = path.resolve(__dirname, '..', '..', '..');
const screenshots = path.join(repo, 'build', 'test-results', 'screenshots');
fs.mkdirSync(screenshots, { recursive: true });

test.use({ autoGoto: true });

const panel = (page: IJupyterLabPageFixture) => page.locator('#opendata-lab-browser');
const search = (page: IJupyterLabPageFixture) => panel(page).locator('input.odl-Browser-search');
const toast = (page: IJupyterLabPageFixture) => page.locator('.Toastify__toast');

/** The recid of the row that has the keyboard focus. */
async function focusedRecid(page: IJupyterLabPageFixture): Promise<string> {
  const recid = await page.evaluate(
    () =>
      (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('.odl-RecordRow')
        ?.dataset.recid
  );
  expect(recid).toBeTruthy();
  return recid!;
}

test('keyboard only: show the panel, type, arrows, Enter, cite the open record', async ({
  page
}) => {
  // Alt+Shift+O shows the panel with the cursor in its search box.
  await page.locator('body').press('Alt+Shift+O');
  await expect(search(page)).toBeFocused();
  await page.keyboard.type('DoubleMu Run2011A');
  const rows = panel(page).locator('.odl-RecordRow:not(.odl-mod-placeholder)');
  await expect(rows.first()).toBeVisible();
  await expect(panel(page).locator('.odl-RecordRow-title').first()).toContainText('DoubleMu');

  // Arrows move through the rows; Enter opens the focused one.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const second = await focusedRecid(page);
  expect(second).toBe(await rows.nth(1).getAttribute('data-recid'));

  // The shortcut acts on the focused row (no right-click before it).
  await page.keyboard.press('Alt+Shift+C');
  const copied = (recid: string) =>
    toast(page).filter({ hasText: `Citation of record ${recid} copied` });
  await expect(copied(second)).toHaveCount(1);

  await page.keyboard.press('Enter');
  const tab = page.locator(`#opendata-lab-record-${second}`);
  await expect(tab.locator('.odl-RecordView-title')).toBeVisible();
  // In the record tab, the shortcut acts on the record shown.
  await tab.locator('.odl-RecordView').focus();
  await page.keyboard.press('Alt+Shift+C');
  await expect(copied(second)).toHaveCount(2);
});

test('a right-click does not capture the shortcuts: they follow the focus', async ({ page }) => {
  await page.sidebar.openTab('opendata-lab-browser');
  const rows = panel(page).locator('.odl-RecordRow:not(.odl-mod-placeholder)');
  await expect(rows.nth(2)).toBeVisible();
  const first = (await rows.nth(0).getAttribute('data-recid'))!;
  const third = (await rows.nth(2).getAttribute('data-recid'))!;
  // Right-click the first row, dismiss the menu, then move focus to the third row.
  await rows.nth(0).click({ button: 'right' });
  await expect(page.locator('.lm-Menu')).toBeVisible();
  await page.keyboard.press('Escape');
  await rows.nth(2).focus();
  await page.keyboard.press('Alt+Shift+C');
  const copied = (recid: string) =>
    toast(page).filter({ hasText: `Citation of record ${recid} copied` });
  await expect(copied(third)).toHaveCount(1);
  expect(third).not.toBe(first);

  // The context menu still acts on the row it opened on.
  await rows.nth(0).click({ button: 'right' });
  await page.locator('.lm-Menu-itemLabel', { hasText: 'Copy Record Citation' }).click();
  await expect(copied(first)).toHaveCount(1);
});

test('the palette shows the panel with the cursor in its search box', async ({ page }) => {
  await page.notebook.createNew('focus.ipynb', { kernel: 'tslab' });
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#modal-command-palette');
  await expect(palette).toBeVisible();
  await page.keyboard.type('CERN Open Data Browser');
  await page.keyboard.press('Enter');
  await expect(search(page)).toBeFocused();
  await page.keyboard.type('zmumu');
  await expect(search(page)).toHaveValue('zmumu');
});

test('Alt+Shift+L inserts the loader of the focused row into the notebook', async ({ page }) => {
  await page.notebook.createNew('shortcut.ipynb', { kernel: 'tslab' });
  await page.locator('body').press('Alt+Shift+O');
  await page.keyboard.type('5200');
  const rows = panel(page).locator('.odl-RecordRow:not(.odl-mod-placeholder)');
  await expect(rows.first()).toHaveAttribute('data-recid', '5200');
  await page.keyboard.press('ArrowDown');
  expect(await focusedRecid(page)).toBe('5200');
  await page.keyboard.press('Alt+Shift+L');
  await page.notebook.activate('shortcut.ipynb');
  await expect.poll(() => page.notebook.getCellCount()).toBe(2);
  expect(await page.notebook.getCellTextInput(1)).toContain('4mu_2012.csv');
});

test('a reload brings the record tabs back', async ({ page }) => {
  for (const recid of ['5200', '17']) {
    await openRecord(page, recid);
    await expect(page.locator(`#opendata-lab-record-${recid} .odl-RecordView-title`)).toBeVisible();
  }
  // JupyterLab saves the workspace a moment after the layout changes.
  await page.waitForTimeout(2000);
  await page.reload({ waitForIsReady: false });
  for (const recid of ['5200', '17']) {
    await expect(page.locator(`#opendata-lab-record-${recid}`)).toHaveCount(1);
  }
  // The tab in front shows its record again.
  await expect(page.locator('#opendata-lab-record-17 .odl-RecordView-title')).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, 'first-hour-restored-tabs.png') });
});

test('a record tab names its record in readable text, not TeX', async ({ page }) => {
  // Record 93940's title: "ATLAS $t\bar{t}$ simulation for ML-based jet flavour tagging".
  await openRecord(page, '93940');
  const tab = page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', { hasText: '93940' });
  await expect(tab).toContainText('simulation');
  const label = await tab.innerText();
  expect(label).toContain('t\u0304'); // t with a combining macron
  expect(label).not.toMatch(/[$\\]/);
});

test('the first hour in one walk: search, facet, record, its link, dark theme with a plot, reload', async ({
  page
}) => {
  const shot = (name: string) =>
    page.screenshot({ path: path.join(screenshots, `walk-${name}.png`) });
  // Search as a physicist types it, with a filter.
  await page.locator('body').press('Alt+Shift+O');
  await page.keyboard.type('DoubleMu Run2011A');
  const rows = panel(page).locator('.odl-RecordRow:not(.odl-mod-placeholder)');
  await expect(rows.first()).toHaveAttribute('data-recid', '17');
  await panel(page)
    .getByRole('button', { name: /^Filters/ })
    .click();
  await panel(page).getByRole('checkbox', { name: /^CMS/ }).check();
  await expect(panel(page).getByRole('button', { name: /^Filters \(1\)/ })).toBeVisible();
  await expect(rows.first()).toHaveAttribute('data-recid', '17');
  await shot('1-search-light');

  // Open it with the mouse; follow the link its abstract ends with, inside JupyterLab.
  await rows.first().locator('.odl-RecordRow-title').click();
  const view = page.locator('#opendata-lab-record-17 .odl-RecordView');
  const link = view.locator('section[aria-label="Abstract"] a[href*="/record/"]').first();
  const target = (await link.getAttribute('href'))!.split('/record/')[1];
  await link.click();
  await expect(page.locator(`#opendata-lab-record-${target} .odl-RecordView-title`)).toBeVisible();
  await shot('2-linked-record-light');

  // Dark theme: a histogram from the helpers follows it.
  await page.theme.setDarkTheme();
  await page.notebook.createNew('walk.ipynb', { kernel: 'tslab' });
  await page.notebook.setCell(
    0,
    'code',
    [
      'import * as od from "@opendata-lab/kernel-helpers";',
      'const t = od.readCSV(od.dataPath("events", "Zmumu.csv"));',
      'const h = new od.Hist1D(60, 60, 120).fill(od.numericColumn(t, "M"));',
      'od.show(od.histogramFigure(h, { title: "Z peak", xTitle: "M(μμ) [GeV]" }));'
    ].join('\n')
  );
  await page.notebook.runCell(0);
  const graph = page.locator('.jp-Notebook .js-plotly-plot').first();
  await expect(graph).toBeVisible();
  const [paper, layout] = await graph.evaluate(el => {
    const probe = document.createElement('div');
    probe.style.color = 'var(--jp-layout-color0)';
    document.body.appendChild(probe);
    const expected = getComputedStyle(probe).color;
    probe.remove();
    return [getComputedStyle(el.querySelector('svg.main-svg')!).backgroundColor, expected];
  });
  expect(paper).toBe(layout);
  await expect(
    page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
  ).toHaveCount(0);
  await shot('3-plot-dark');

  // A reload keeps the record tabs.
  await page.waitForTimeout(2000);
  await page.reload({ waitForIsReady: false });
  await expect(page.locator('#opendata-lab-record-17')).toHaveCount(1);
  await expect(page.locator(`#opendata-lab-record-${target}`)).toHaveCount(1);
  await page.theme.setLightTheme();
});
