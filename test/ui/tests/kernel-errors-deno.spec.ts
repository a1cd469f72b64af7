// The same notebooks in Deno's kernel (`deno jupyter`, registered by scripts/install-kernel.mjs):
// a helper error thrown in a cell is a Jupyter error output (the red box, an `error` output in
// the model, not stderr text), a histogram from od.show() renders as its Plotly figure, with
// the bar heights counted here from Zmumu.csv, and a record's inserted loader imports the helpers
// Deno's way and runs.
import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { zmumuMassCounts } from '../../support/zmumu';
import { DENO_KERNEL, codeNotebook, modelOutputs, openNotebook, openRecord } from './lab';

const repo = path.resolve(__dirname, '..', '..', '..');
const artifacts = path.join(repo, 'build', 'test-results', 'screenshots');
const ERROR_BOX = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]';
async function open(page: IJupyterLabPageFixture, tmpPath: string, name: string, cells: string[]) {
  await openNotebook(page, tmpPath, name, codeNotebook(cells, DENO_KERNEL));
  // The notebook runs in Deno's kernel, as its metadata asks.
  await expect(page.locator('.jp-NotebookPanel-toolbar .jp-KernelName')).toHaveText(
    'TypeScript (Deno)'
  );
}

test('a thrown helper error in a Deno cell is a Jupyter error output', async ({
  page,
  tmpPath
}) => {
  const cells = [
    'import * as od from "@opendata-lab/kernel-helpers";',
    'const n = 1;\nconst events = await od.readTable("no-such-events.csv");'
  ];
  await open(page, tmpPath, 'kernel-error-deno.ipynb', cells);
  await page.notebook.run();

  const failing = page.locator('.jp-Notebook .jp-Cell').nth(1);
  const box = failing.locator(ERROR_BOX);
  await expect(box).toHaveCount(1);
  // Deno's traceback is the error's stack: the helpers' message first, then the frames, the
  // last in the cell (Deno names it <anonymous>): line 2, at the column of the call.
  const text = await box.innerText();
  expect(text).toContain(
    'OpenDataError: no-such-events.csv: no such file' +
      ` (relative to ${path.join(repo, 'build', 'ui-root', tmpPath)})`
  );
  const column = cells[1].split('\n')[1].indexOf('readTable') + 1;
  expect(text.trim().split('\n').pop()?.trim()).toBe(`at <anonymous>:2:${column}`);

  const outputs = await modelOutputs(page);
  expect(outputs[0]).toEqual([]);
  expect(outputs[1]).toHaveLength(1);
  expect(outputs[1][0]).toMatchObject({
    output_type: 'error',
    ename: 'OpenDataError',
    evalue: expect.stringMatching(/^no-such-events\.csv: no such file/)
  });
  await failing.screenshot({ path: path.join(artifacts, 'kernel-error-deno.png') });
});

test('od.show() in a Deno cell renders the histogram as a Plotly figure', async ({
  page,
  tmpPath
}) => {
  // The plot is not in the first cell: Deno's kernel is most likely to publish a fresh kernel's
  // first display after the cell's idle status (docs/architecture.md, Kernels).
  const cells = [
    'import * as od from "@opendata-lab/kernel-helpers";\n' +
      'const table = od.readCSV(od.dataPath("events", "Zmumu.csv"));',
    'od.show(new od.Hist1D(60, 60, 120).fill(od.numericColumn(table, "M")));'
  ];
  await open(page, tmpPath, 'show-deno.ipynb', cells);
  await page.notebook.run();

  const graph = page.locator('.jp-NotebookPanel .js-plotly-plot').first();
  await expect(graph).toBeVisible();
  const bars = graph.locator('svg.main-svg .barlayer .point path');
  await expect(bars).toHaveCount(60); // Plotly draws one path per bin, empty ones too

  const outputs = await modelOutputs(page);
  const figure = outputs[1].find(o => o.output_type === 'display_data') as {
    data: Record<string, { data: { y: number[] }[] }>;
  };
  expect(figure.data['application/vnd.plotly.v1+json'].data[0].y).toEqual(zmumuMassCounts());
  await expect(page.locator(ERROR_BOX)).toHaveCount(0);
  await page
    .locator('.jp-Notebook .jp-Cell')
    .nth(1)
    .screenshot({ path: path.join(artifacts, 'show-deno.png') });
});

test('the loader inserted into a Deno notebook imports the helpers for Deno and runs', async ({
  page
}) => {
  await page.notebook.createNew('loader-deno.ipynb', { kernel: 'deno' });
  await openRecord(page, '5200');
  const view = page.locator('#opendata-lab-record-5200 .odl-RecordView');
  await view.getByRole('button', { name: 'Insert loader' }).click();
  await page.notebook.activate('loader-deno.ipynb');
  const source = await page.notebook.getCellTextInput(1);
  expect(source.split('\n')[0]).toBe(
    'const od = await import(Deno.env.get("OPENDATA_LAB_HELPERS") ?? "@opendata-lab/kernel-helpers");'
  );
  await page.notebook.runCell(1);
  const rows =
    fs
      .readFileSync(path.join(repo, 'data', 'events', '4mu_2012.csv'), 'utf8')
      .trim()
      .split('\n').length - 1;
  const output = page.locator('.jp-Notebook .jp-Cell').nth(1).locator('.jp-OutputArea-output');
  await expect(output.first()).toContainText(`${rows} rows`);
  await expect(page.locator(ERROR_BOX)).toHaveCount(0);
});
