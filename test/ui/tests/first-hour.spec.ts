// A new user's first hour, as issue 10 walked it: show the panel from the keyboard, type, move
// with the arrows, open with Enter, cite and load through the shortcuts (acting on the focused
// row or the open record, never on an earlier right-click), reload and find the record tabs back.
import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

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
    await page.evaluate(
      id =>
        (
          window as unknown as {
            jupyterapp: { commands: { execute(id: string, args: object): Promise<unknown> } };
          }
        ).jupyterapp.commands.execute('opendata:open-record', { recid: id }),
      recid
    );
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
  await page.evaluate(() =>
    (
      window as unknown as {
        jupyterapp: { commands: { execute(id: string, args: object): Promise<unknown> } };
      }
    ).jupyterapp.commands.execute('opendata:open-record', { recid: '93940' })
  );
  const tab = page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', { hasText: '93940' });
  await expect(tab).toContainText('simulation');
  const label = await tab.innerText();
  expect(label).toContain('t\u0304'); // t with a combining macron
  expect(label).not.toMatch(/[$\\]/);
});
