import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { openRecord } from './lab';

const repo = path.resolve(__dirname, '..', '..', '..');
const artifacts = path.join(repo, 'build', 'screenshots');
// Record 5200 (H→4ℓ candidate CSVs, bundled as data/events/4mu_2012.csv), read independently.
const shard = JSON.parse(
  zlib
    .gunzipSync(fs.readFileSync(path.join(repo, 'data', 'catalog', 'records', '16.json.gz')))
    .toString()
);
const record = shard['5200'];

test.use({ autoGoto: true });

/** What the tests reach on Galata's `window.jupyterapp`. */
interface ILabWindow {
  jupyterapp: {
    commands: { execute(id: string, args: object): Promise<unknown> };
    shell: {
      currentWidget: {
        content: {
          model: { sharedModel: { cells: { getMetadata(key: string): unknown }[] } };
        };
      };
    };
  };
}

test('a record opens from its row, with title, DOI and files', async ({ page }) => {
  await page.sidebar.openTab('opendata-lab-browser');
  const panel = page.locator('#opendata-lab-browser');
  const first = panel.getByRole('listitem').first();
  await expect(first).toBeVisible();
  const recid = await first.getAttribute('data-recid');
  await first.click();
  const view = page.locator(`#opendata-lab-record-${recid} .odl-RecordView`);
  await expect(view.locator('.odl-RecordView-title')).toBeVisible();
  // Keyboard: the first row is tabbable and Enter opens it too.
  await expect(first).toHaveAttribute('tabindex', '0');

  await openRecord(page, '5200');
  const r5200 = page.locator('#opendata-lab-record-5200 .odl-RecordView');
  await expect(r5200.locator('.odl-RecordView-title')).toHaveText(record.title);
  await expect(r5200.getByRole('link', { name: record.doi })).toBeVisible();
  await expect(r5200.locator('.odl-FileTable-row')).toHaveCount(record.files.length);
  await r5200.screenshot({ path: path.join(artifacts, 'record-view-light.png') });
});

test("TeX in a record's abstract and title is typeset by JupyterLab's MathJax", async ({
  page
}) => {
  // Record 12360's abstract: "This analysis studies the process $H\rightarrow ZZ\rightarrow 4\ell$".
  await openRecord(page, '12360');
  const abstract = page
    .locator('#opendata-lab-record-12360 .odl-RecordView .odl-RecordView-html')
    .first();
  await expect(abstract.locator('mjx-container').first()).toBeVisible();
  expect(await abstract.innerText()).not.toContain('\\rightarrow');

  // And in a title (set as text, then typeset): "ATLAS $t\bar{t}$ simulation …".
  await openRecord(page, '93940');
  const title = page.locator('#opendata-lab-record-93940 .odl-RecordView-title');
  await expect(title.locator('mjx-container')).toHaveCount(1);
  await expect(title).toContainText('simulation for ML-based jet flavour tagging');
  expect(await title.innerText()).not.toContain('\\bar');
});

test('insert the loader of a record into a tslab notebook and run it', async ({ page }) => {
  await page.notebook.createNew('loader.ipynb', { kernel: 'tslab' });
  await openRecord(page, '5200');
  const view = page.locator('#opendata-lab-record-5200 .odl-RecordView');
  await view.getByRole('button', { name: 'Insert loader' }).click();
  await page.notebook.activate('loader.ipynb');
  // The loader is the second cell (below the empty first one), a code cell with the recid.
  const source = await page.notebook.getCellTextInput(1);
  expect(source).toContain('od.readCSV(od.dataPath("events", "4mu_2012.csv"))');
  expect(await page.notebook.getCellType(1)).toBe('code');
  await page.notebook.runCell(1);
  const output = page.locator('.jp-Notebook .jp-Cell').nth(1).locator('.jp-OutputArea-output');
  const rows =
    fs
      .readFileSync(path.join(repo, 'data', 'events', '4mu_2012.csv'), 'utf8')
      .trim()
      .split('\n').length - 1;
  await expect(output.first()).toContainText(`${rows} rows`);
  await expect(
    page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
  ).toHaveCount(0);
  const metadata = await page.evaluate(() => {
    const nb = (window as unknown as ILabWindow).jupyterapp.shell.currentWidget;
    return nb.content.model.sharedModel.cells[1].getMetadata('opendata_lab');
  });
  expect(metadata).toEqual({ recid: '5200', file: '4mu_2012.csv' });
});

test('cite a record as BibTeX into a markdown cell', async ({ page }) => {
  await page.notebook.createNew('cite.ipynb', { kernel: 'tslab' });
  await page.evaluate(() =>
    (window as unknown as ILabWindow).jupyterapp.commands.execute('opendata:cite-record', {
      recid: '5200',
      format: 'bibtex',
      target: 'markdown'
    })
  );
  expect(await page.notebook.getCellType(1)).toBe('markdown');
  const source = await page.notebook.getCellTextInput(1);
  expect(source.startsWith('```bibtex\n@misc{')).toBe(true);
  expect(source).toContain(`doi = {${record.doi}}`);
});

test('the panel works with the portal unreachable; light and dark screenshots', async ({
  page
}) => {
  await page.sidebar.openTab('opendata-lab-browser');
  const panel = page.locator('#opendata-lab-browser');
  await expect(panel.getByRole('listitem').first()).toBeVisible();
  await panel.screenshot({ path: path.join(artifacts, 'browser-panel-light.png') });
  await page.theme.setDarkTheme();
  await expect(panel.getByRole('listitem').first()).toBeVisible();
  await panel.screenshot({ path: path.join(artifacts, 'browser-panel-dark.png') });
  await openRecord(page, '5200');
  await expect(page.locator('#opendata-lab-record-5200 .odl-RecordView-title')).toBeVisible();
  await page
    .locator('#opendata-lab-record-5200 .odl-RecordView')
    .screenshot({ path: path.join(artifacts, 'record-view-dark.png') });
  await page.theme.setLightTheme();
});
