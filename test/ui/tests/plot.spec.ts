import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as path from 'path';
import { zmumuMassCounts } from '../../support/zmumu';
import { cssColour } from './lab';

const repo = path.resolve(__dirname, '..', '..', '..');
// Kept as test artefacts (Playwright empties its own output folder at each run).
const artifacts = path.join(repo, 'build', 'test-results', 'screenshots');
const NOTEBOOK = '01-zmumu-mass.ipynb';
const STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]';

async function runNotebook(page: IJupyterLabPageFixture, tmpPath: string, name: string) {
  await page.contents.uploadFile(path.join(repo, 'notebooks', name), `${tmpPath}/${name}`);
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.notebook.activate(name);
  await page.notebook.run();
}

/**
 * The colours Plotly drew with: paper (the SVG's background; the plot area is not drawn over it
 * when it has the same colour), tick labels, grid lines.
 */
function drawnColours(graph: Locator) {
  return graph.evaluate(el => {
    const svg = el.querySelector('svg.main-svg') as SVGElement;
    // Plotly writes a colour's alpha as a separate opacity: put them back together.
    const colour = (value: string, opacity: string) => {
      const span = document.createElement('span');
      span.style.color = value;
      document.body.appendChild(span);
      const rgb = getComputedStyle(span).color;
      span.remove();
      const alpha = Number(opacity || '1');
      return alpha === 1 ? rgb : rgb.replace(/^rgb\((.*)\)$/, `rgba($1, ${alpha})`);
    };
    const tick = (el.querySelector('.ytick text') as SVGElement).style;
    const grid = (el.querySelector('.gridlayer path.ygrid') as SVGElement).style;
    return {
      paper: getComputedStyle(svg).backgroundColor,
      tick: colour(tick.fill, tick.fillOpacity),
      grid: colour(grid.stroke, grid.strokeOpacity)
    };
  });
}

/** The text of Plotly's hover label after moving the pointer over an element's centre. */
async function hoverText(page: IJupyterLabPageFixture, graph: Locator, target: Locator) {
  const box = await target.boundingBox();
  if (!box) throw new Error('hover target is not laid out');
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 4));
  const label = graph.locator('.hoverlayer .hovertext');
  await expect(label).toHaveCount(1);
  return (await label.locator('text.nums').textContent())?.trim() ?? '';
}

test('the tutorial notebook runs in tslab and its Plotly histogram renders as SVG bars', async ({
  page,
  tmpPath
}) => {
  await runNotebook(page, tmpPath, NOTEBOOK);

  // The renderer's output node holds the log toggle and Plotly's graph div.
  const plot = page.locator('.jp-NotebookPanel .jp-OutputArea-output.odl-PlotlyRenderer').first();
  const graph = page.locator('.jp-NotebookPanel .js-plotly-plot').first();
  await expect(graph).toBeVisible();
  const bars = graph.locator('svg.main-svg .barlayer .point path');
  await expect(bars.first()).toBeAttached();
  // One bar per bin of the figure the kernel sent: Plotly keeps that figure on its graph div.
  const bins = await graph.evaluate(
    el => (el as unknown as { data: { x: number[] }[] }).data[0].x.length
  );
  expect(bins).toBeGreaterThan(10);
  await expect(bars).toHaveCount(bins);
  // No cell wrote to stderr (tslab reports errors there).
  await expect(page.locator(STDERR)).toHaveCount(0);

  await plot.screenshot({ path: path.join(artifacts, 'zmumu-mass-plot.png') });
});

test('the plot follows the JupyterLab theme, toggles a log y axis, and labels bins on hover', async ({
  page,
  tmpPath
}) => {
  await page.theme.setLightTheme();
  await runNotebook(page, tmpPath, NOTEBOOK);
  // The renderer's output node holds the log toggle and Plotly's graph div.
  const plot = page.locator('.jp-NotebookPanel .jp-OutputArea-output.odl-PlotlyRenderer').first();
  const graph = page.locator('.jp-NotebookPanel .js-plotly-plot').first();
  await expect(graph.locator('.barlayer .point path').first()).toBeAttached();
  await expect(page.locator(STDERR)).toHaveCount(0);
  await plot.scrollIntoViewIfNeeded();

  // Light: the paper in --jp-layout-color0, tick labels in the content font colour, grid lines in
  // the border colour.
  const light = {
    paper: await cssColour(page, '--jp-layout-color0'),
    font: await cssColour(page, '--jp-content-font-color1'),
    grid: await cssColour(page, '--jp-border-color2')
  };
  expect(light.paper).toBe('rgb(255, 255, 255)');
  await expect
    .poll(() => drawnColours(graph))
    .toEqual({
      paper: light.paper,
      tick: light.font,
      grid: light.grid
    });
  await plot.screenshot({ path: path.join(artifacts, 'plot-light.png') });

  // Dark: the same plot re-coloured in place, without re-running the cell.
  await page.theme.setDarkTheme();
  const dark = {
    paper: await cssColour(page, '--jp-layout-color0'),
    font: await cssColour(page, '--jp-content-font-color1'),
    grid: await cssColour(page, '--jp-border-color2')
  };
  expect(dark.paper).not.toBe(light.paper);
  await expect
    .poll(() => drawnColours(graph))
    .toEqual({
      paper: dark.paper,
      tick: dark.font,
      grid: dark.grid
    });
  // The bars take the theme's brand colour, readable on the dark background.
  const brand = await cssColour(page, '--jp-brand-color1');
  await expect
    .poll(() =>
      graph
        .locator('.barlayer .point path')
        .first()
        .evaluate(el => getComputedStyle(el).fill)
    )
    .toBe(brand);
  await plot.screenshot({ path: path.join(artifacts, 'plot-dark.png') });

  // Hover the Z peak's bar, 90–91 GeV: its range and its count from Zmumu.csv.
  const counts = zmumuMassCounts();
  const peak = graph.locator('.barlayer .point path').nth(30);
  expect(await hoverText(page, graph, peak)).toBe(`90–91 GeV: ${counts[30]}`);
  await plot.screenshot({ path: path.join(artifacts, 'plot-dark-hover.png') });

  // Log scale from the keyboard: the checkbox is in the tab order and Space toggles it.
  const toggle = plot.getByRole('checkbox', { name: 'Log scale (y axis)' });
  await expect(toggle).not.toBeChecked();
  await toggle.focus();
  await page.keyboard.press('Space');
  await expect(toggle).toBeChecked();
  const yTicks = () => graph.locator('.ytick text').allTextContents();
  await expect.poll(yTicks).toEqual(expect.arrayContaining(['10', '100']));
  expect(
    await graph.evaluate(
      el => (el as never as { layout: { yaxis: { type: string } } }).layout.yaxis.type
    )
  ).toBe('log');
  // Every bar is drawn (no bin of this histogram is empty) and starts at the axis bottom.
  await expect(graph.locator('.barlayer .point path')).toHaveCount(60);
  await plot.screenshot({ path: path.join(artifacts, 'plot-dark-log.png') });

  // The scale survives a theme change and a resize.
  await page.theme.setLightTheme();
  await expect.poll(() => drawnColours(graph).then(c => c.paper)).toBe(light.paper);
  await page.setViewportSize({ width: 900, height: 700 });
  await expect.poll(yTicks).toEqual(expect.arrayContaining(['10', '100']));
  await expect(toggle).toBeChecked();
  await plot.screenshot({ path: path.join(artifacts, 'plot-light-log.png') });
  // And back to linear: counts again (no 10/100/1000 decade labels only).
  await toggle.click();
  await expect.poll(yTicks).not.toEqual(expect.arrayContaining(['10', '100']));
  expect(await hoverText(page, graph, peak)).toBe(`90–91 GeV: ${counts[30]}`);
});

test('the ROOT notebook overlays two histogram outlines and draws a 2-D heatmap', async ({
  page,
  tmpPath
}) => {
  await runNotebook(page, tmpPath, '02-root-selections.ipynb');

  const plots = page.locator('.jp-NotebookPanel .jp-OutputArea-output.odl-PlotlyRenderer');
  await expect(plots).toHaveCount(2);
  // The overlay: one step line and one legend entry per histogram the kernel sent.
  const graphs = page.locator('.jp-NotebookPanel .js-plotly-plot');
  const overlay = graphs.nth(0);
  const traces = await overlay.evaluate(el =>
    (el as unknown as { data: { name: string }[] }).data.map(d => d.name)
  );
  expect(traces).toEqual(['opposite charges', 'same charge']);
  await expect(overlay.locator('svg.main-svg .scatterlayer .trace path.js-line')).toHaveCount(2);
  await expect(overlay.locator('svg.main-svg .legend .traces')).toHaveCount(2);
  // The heatmap is drawn as an image inside the plot area; it has no log toggle (y is η).
  const heatmap = graphs.nth(1);
  await expect(heatmap.locator('svg.main-svg .heatmaplayer image')).toHaveCount(1);
  await expect(plots.nth(1).getByRole('checkbox')).toBeHidden();
  await expect(page.locator(STDERR)).toHaveCount(0);

  // Hover labels read the same way on every figure kind: bin range (unit from the title), content.
  await plots.nth(1).scrollIntoViewIfNeeded();
  const cell = await hoverText(page, heatmap, heatmap.locator('.heatmaplayer image'));
  expect(cell).toMatch(/^η₁ −?\d\.\d–−?\d\.\d, η₂ −?\d\.\d–−?\d\.\d: \d+$/);
  await plots.nth(1).screenshot({ path: path.join(artifacts, 'zmumu-eta-heatmap-hover.png') });

  await plots.nth(0).scrollIntoViewIfNeeded();
  // The outline's top over the Z peak: the bin from 90 to 91 GeV of the opposite-charge pairs.
  const point = await overlay.evaluate(el => {
    const gd = el as unknown as {
      _fullLayout: {
        xaxis: { l2p(v: number): number; _offset: number };
        yaxis: { l2p(v: number): number; _offset: number };
      };
      data: { y: number[] }[];
    };
    const { xaxis, yaxis } = gd._fullLayout;
    const top = gd.data[0].y[2 * 30 + 2]; // (60, 0), then two points per bin: bin 30's centre
    return { x: xaxis._offset + xaxis.l2p(90.5), y: yaxis._offset + yaxis.l2p(top) };
  });
  const svgBox = (await overlay.locator('svg.main-svg').first().boundingBox())!;
  await page.mouse.move(svgBox.x + point.x, svgBox.y + point.y);
  await expect(overlay.locator('.hoverlayer .hovertext')).toHaveCount(1);
  const step = (await overlay.locator('.hoverlayer .hovertext text.nums').textContent())?.trim();
  expect(step).toMatch(/^90–91 GeV: \d+$/);
  await plots.nth(0).screenshot({ path: path.join(artifacts, 'zmumu-overlay-plot.png') });
  await plots.nth(1).screenshot({ path: path.join(artifacts, 'zmumu-eta-heatmap.png') });

  // Log scale on outlines with empty bins (the same-charge pairs leave many): each outline stays
  // one unbroken line (one moveto in its path), going off the axis bottom where a bin is empty.
  const sameCharge = await overlay.evaluate(
    el => (el as unknown as { data: { y: number[] }[] }).data[1].y
  );
  expect(sameCharge.filter(v => v === 0).length).toBeGreaterThan(4);
  await plots.nth(0).getByRole('checkbox', { name: 'Log scale (y axis)' }).check();
  await expect
    .poll(() => overlay.locator('.ytick text').allTextContents())
    .toEqual(expect.arrayContaining(['10', '100']));
  const lines = overlay.locator('.scatterlayer .trace path.js-line');
  await expect(lines).toHaveCount(2);
  for (const d of await lines.evaluateAll(els => els.map(e => e.getAttribute('d') ?? ''))) {
    expect(d.match(/M/g)).toHaveLength(1);
  }
  await page.mouse.move(0, 0);
  await page.theme.setDarkTheme();
  await expect
    .poll(() =>
      heatmap.evaluate(el => getComputedStyle(el.querySelector('svg.main-svg')!).backgroundColor)
    )
    .toBe(await cssColour(page, '--jp-layout-color0'));
  await plots.nth(0).screenshot({ path: path.join(artifacts, 'zmumu-overlay-plot-dark-log.png') });
  await plots.nth(1).screenshot({ path: path.join(artifacts, 'zmumu-eta-heatmap-dark.png') });
});
