// A tslab cell ending with one of the helpers' values shows it richly, as an Out[n] result:
// a table as its head (columns, types, row count), a histogram as its plot, a catalog record as
// its card with the DOI link. Counts come from the data file read here, not from the helpers.
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { zmumuColumns } from '../../support/zmumu';
import { TSLAB_KERNEL, codeNotebook, openNotebook } from './lab';

const repo = path.resolve(__dirname, '..', '..', '..');
const artifacts = path.join(repo, 'build', 'test-results', 'screenshots');

const CELLS = [
  'import * as od from "@opendata-lab/kernel-helpers";\n' +
    'const t = od.readCSV(od.dataPath("events", "Zmumu.csv"));',
  't',
  'new od.Hist1D(60, 60, 120).fill(od.numericColumn(t, "M"))',
  // Two awaits in two statements: tslab's top-level await rewrite fails on `await (await x).y()`.
  'const cat = await od.catalog();\nawait cat.get(5200)'
];

/** Record 5200's DOI as the bundled snapshot stores it. */
function storedDoi(): string {
  const dir = path.join(repo, 'data', 'catalog', 'records');
  for (const file of fs.readdirSync(dir)) {
    const shard = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, file))).toString());
    if (shard['5200']) return shard['5200'].doi;
  }
  throw new Error('record 5200 is not in the snapshot');
}

test('a table, a histogram and a record show as their rich results', async ({ page, tmpPath }) => {
  const name = 'kernel-displays.ipynb';
  await openNotebook(page, tmpPath, name, codeNotebook(CELLS, TSLAB_KERNEL));
  await page.notebook.run();

  const cells = page.locator('.jp-Notebook .jp-Cell');
  const zmumu = zmumuColumns();
  const columns = Object.keys(zmumu);

  const head = cells.nth(1).locator('.jp-OutputArea-output .opendata-table-head');
  const table = head.locator('table');
  await expect(head.locator('> div')).toHaveText(
    `Table: ${zmumu.M.length.toLocaleString('en')} rows × ${columns.length} columns`
  );
  await expect(table.locator('th')).toHaveText(columns);
  await expect(table.locator('td').last()).toHaveText(/^Float64$/);
  // An execute_result: the output carries the Out[n] prompt of its cell.
  await expect(cells.nth(1).locator('.jp-OutputPrompt')).toHaveText('[2]:');

  await expect(cells.nth(2).locator('.js-plotly-plot')).toBeVisible();

  const doi = storedDoi();
  const card = cells.nth(3).locator('.opendata-record-card');
  await expect(card.locator(`a[href="https://doi.org/${doi}"]`)).toHaveText(doi);
  await expect(card).toContainText('Cite as:');

  await expect(
    page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
  ).toHaveCount(0);
  await cells.nth(1).screenshot({ path: path.join(artifacts, 'kernel-display-table-tslab.png') });
  await cells.nth(3).screenshot({ path: path.join(artifacts, 'kernel-display-record-tslab.png') });
});
