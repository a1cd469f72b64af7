import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

const repo = path.resolve(__dirname, '..', '..', '..');
// Kept as test artefacts (Playwright empties its own output folder at each run).
const artifacts = path.join(repo, 'build', 'screenshots');
// The snapshot the panel lists, read here independently of the extension's code.
const snapshot = JSON.parse(
  zlib.gunzipSync(fs.readFileSync(path.join(repo, 'data', 'catalog', 'index.json.gz'))).toString()
);

// The most recent records carry TeX in their titles: the rows read it as text (written from the
// TeX: `[$B^{\pm} \to J/\psi (\to \mu^{+} \mu^{-}) K^{\pm}$]CC Ntuples 4530 -- 2017 Magnet Up`).
const B_TO_JPSI_K = '[B± → J/ψ (→ μ⁺ μ⁻) K±]CC Ntuples 4530';
const READABLE_TITLES: Record<string, string> = {
  '93945': B_TO_JPSI_K,
  '93946': `${B_TO_JPSI_K} -- 2016 Magnet Down`,
  '93947': `${B_TO_JPSI_K} -- 2016 Magnet Up`,
  '93948': `${B_TO_JPSI_K} -- 2017 Magnet Down`,
  '93949': `${B_TO_JPSI_K} -- 2017 Magnet Up`
};

test('the dataset browser opens from the left sidebar and lists real records', async ({ page }) => {
  await page.sidebar.openTab('opendata-lab-browser');
  const panel = page.locator('#opendata-lab-browser');
  await expect(panel).toBeVisible();
  await expect(panel).toHaveAttribute('role', 'region');

  const rows = panel.getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  const shown = await rows.count();
  expect(shown).toBeGreaterThan(0);
  // Without a query the list is most recent first (as the portal's), on-demand records hidden.
  const c = snapshot.columns;
  const order = (c.recid as string[])
    .map((_, i) => i)
    .filter(i => c.availability[i] !== 'ondemand')
    .sort((a, b) =>
      c.date_published[a] !== c.date_published[b]
        ? c.date_published[a] < c.date_published[b]
          ? 1
          : -1
        : Number(c.recid[b]) - Number(c.recid[a])
    );
  for (const p of order.slice(0, Math.min(shown, 5))) {
    await expect(panel.locator(`[data-recid="${c.recid[p]}"] .odl-RecordRow-title`)).toHaveText(
      READABLE_TITLES[c.recid[p]] ?? c.title[p]
    );
  }
  await expect(panel.locator('.odl-Browser-count')).toHaveText(
    `${order.length.toLocaleString('en-US')} records`
  );
  // Virtual scrolling: only the rows in view are in the DOM.
  expect(shown).toBeLessThan(40);

  await panel.screenshot({ path: path.join(artifacts, 'browser-panel-light.png') });
});
