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

test('the dataset browser opens from the left sidebar and lists real records', async ({ page }) => {
  await page.sidebar.openTab('opendata-lab-browser');
  const panel = page.locator('#opendata-lab-browser');
  await expect(panel).toBeVisible();
  await expect(panel).toHaveAttribute('role', 'region');

  const rows = panel.getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  const shown = await rows.count();
  expect(shown).toBeGreaterThan(0);
  for (const title of snapshot.columns.title.slice(0, Math.min(shown, 5))) {
    await expect(panel.getByText(title, { exact: true })).toBeVisible();
  }
  await expect(panel.getByText(snapshot.count.toLocaleString('en-US'))).toBeVisible();

  await panel.screenshot({ path: path.join(artifacts, 'browser-panel-light.png') });
});
