import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';

const repo = path.resolve(__dirname, '..', '..', '..');
// Kept as test artefacts (Playwright empties its own output folder at each run).
const artifacts = path.join(repo, 'build', 'screenshots');
const NOTEBOOK = '01-zmumu-mass.ipynb';

test('the tutorial notebook runs in tslab and its Plotly histogram renders as SVG bars', async ({
  page,
  tmpPath
}) => {
  await page.contents.uploadFile(path.join(repo, 'notebooks', NOTEBOOK), `${tmpPath}/${NOTEBOOK}`);
  await page.notebook.openByPath(`${tmpPath}/${NOTEBOOK}`);
  await page.notebook.activate(NOTEBOOK);
  await page.notebook.run();

  // The renderer's own node is the output node and Plotly's graph div.
  const plot = page.locator('.jp-NotebookPanel .jp-OutputArea-output.js-plotly-plot').first();
  await expect(plot).toBeVisible();
  const bars = plot.locator('svg.main-svg .barlayer .point path');
  await expect(bars.first()).toBeAttached();
  // One bar per bin of the figure the kernel sent: Plotly keeps that figure on its graph div.
  const bins = await plot.evaluate(
    el => (el as unknown as { data: { x: number[] }[] }).data[0].x.length
  );
  expect(bins).toBeGreaterThan(10);
  await expect(bars).toHaveCount(bins);
  // No cell wrote to stderr (tslab reports errors there).
  await expect(
    page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
  ).toHaveCount(0);

  await plot.screenshot({ path: path.join(artifacts, 'zmumu-mass-plot.png') });
});

test('the ROOT notebook overlays two histogram outlines and draws a 2-D heatmap', async ({
  page,
  tmpPath
}) => {
  const name = '02-root-selections.ipynb';
  await page.contents.uploadFile(path.join(repo, 'notebooks', name), `${tmpPath}/${name}`);
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.notebook.activate(name);
  await page.notebook.run();

  const plots = page.locator('.jp-NotebookPanel .jp-OutputArea-output.js-plotly-plot');
  await expect(plots).toHaveCount(2);
  // The overlay: one step line and one legend entry per histogram the kernel sent.
  const overlay = plots.nth(0);
  const traces = await overlay.evaluate(el =>
    (el as unknown as { data: { name: string }[] }).data.map(d => d.name)
  );
  expect(traces).toEqual(['opposite charges', 'same charge']);
  await expect(overlay.locator('svg.main-svg .scatterlayer .trace path.js-line')).toHaveCount(2);
  await expect(overlay.locator('svg.main-svg .legend .traces')).toHaveCount(2);
  // The heatmap is drawn as an image inside the plot area.
  await expect(plots.nth(1).locator('svg.main-svg .heatmaplayer image')).toHaveCount(1);
  await expect(
    page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
  ).toHaveCount(0);

  await overlay.screenshot({ path: path.join(artifacts, 'zmumu-overlay-plot.png') });
  await plots.nth(1).screenshot({ path: path.join(artifacts, 'zmumu-eta-heatmap.png') });
});
