import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

// A notebook saved with the outputs show() sends (Plotly figure + SVG picture + text in one
// bundle), opened untrusted without running a kernel: JupyterLab draws the interactive figure
// with our renderer, in the theme's colours (data points too), and the static picture, drawn as
// GitHub or nbconvert's HTML show it (an <img>), reads in both themes.

const repo = path.resolve(__dirname, '..', '..', '..');
const artifacts = path.join(repo, 'build', 'test-results', 'screenshots');
// The helpers as built (npm run build): the same code the kernel runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const od = require(path.join(repo, 'kernel-helpers', 'dist'));

const PLOTLY = 'application/vnd.plotly.v1+json';
const SVG = 'image/svg+xml';

/** Tutorial 05's comparison (ATLAS Table 7 against the CMS four-lepton candidates) and a mass plot. */
function bundles(): Record<string, unknown>[] {
  const [table] = od.readHEPData(od.dataPath('hepdata', 'atlas-zz-7tev'), { table: 'Table 7' });
  const x = table.independent_variables[0].values as { low: number; high: number }[];
  const hist = new od.Hist1D([x[0].low, ...x.map(b => b.high)]);
  for (const file of ['4mu_2012.csv', '4e_2012.csv', '2e2mu_2011.csv']) {
    const events = od.readCSV(od.dataPath('events', file));
    const z1 = od.numericColumn(events, 'mZ1');
    const z2 = od.numericColumn(events, 'mZ2');
    const onShell = od.maskAnd(
      od.maskWhere(z1, (m: number) => m > 66 && m < 116),
      od.maskWhere(z2, (m: number) => m > 66 && m < 116)
    );
    hist.fill(od.applyMask(od.numericColumn(events, 'M'), onShell));
  }
  const comparison = od.compareHEPData(table, hist, { density: true, normalize: 'table' });
  const figure = od.comparisonFigure(comparison, {
    title: 'M(ZZ): CMS candidates vs ATLAS 7 TeV',
    tableName: 'ATLAS, Table 7'
  });
  const mass = new od.Hist1D(100, 60, 120).fill(
    od.numericColumn(od.readCSV(od.dataPath('events', 'Zmumu.csv')), 'M')
  );
  return [od.figureBundle(figure), od.figureBundle(mass)];
}

function notebook(outputs: Record<string, unknown>[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    cells: outputs.map((data, i) => ({
      cell_type: 'code',
      id: `plot-${i}`,
      execution_count: i + 1,
      metadata: {},
      source: `od.show(figure${i});`,
      outputs: [{ output_type: 'display_data', data, metadata: {} }]
    }))
  });
}

/** A colour as the browser resolves it (rgb()/rgba()), from a CSS value or a --jp-* variable. */
function resolved(page: IJupyterLabPageFixture, value: string): Promise<string> {
  return page.evaluate(v => {
    const probe = document.createElement('div');
    probe.style.color = v.startsWith('--') ? `var(${v})` : v;
    document.body.appendChild(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  }, value);
}

/** The colour Plotly filled the first data point with (its alpha written apart, put back). */
function pointColour(graph: Locator): Promise<string> {
  return graph.evaluate(el => {
    const point = el.querySelector('.scatterlayer .points path.point') as SVGElement;
    const span = document.createElement('span');
    span.style.color = point.style.fill;
    document.body.appendChild(span);
    const rgb = getComputedStyle(span).color;
    span.remove();
    const alpha = Number(point.style.fillOpacity || '1');
    return alpha === 1 ? rgb : rgb.replace(/^rgb\((.*)\)$/, `rgba($1, ${alpha})`);
  });
}

test('saved figure outputs: Plotly in the theme colours in JupyterLab, the SVG picture elsewhere', async ({
  page,
  tmpPath
}, testInfo) => {
  fs.mkdirSync(artifacts, { recursive: true });
  const outputs = bundles();
  const name = 'saved-plots.ipynb';
  await page.contents.uploadContent(notebook(outputs), 'text', `${tmpPath}/${name}`);
  await page.theme.setLightTheme();
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.notebook.activate(name);

  // Both outputs drawn by our renderer (safe: the notebook is untrusted), not as the picture.
  const plots = page.locator('.jp-NotebookPanel .jp-OutputArea-output.odl-PlotlyRenderer');
  await expect(plots).toHaveCount(2);
  await expect(page.locator(`.jp-NotebookPanel [data-mime-type="${SVG}"]`)).toHaveCount(0);
  const graph = page.locator('.jp-NotebookPanel .js-plotly-plot').first();
  await expect(graph.locator('.scatterlayer .points path.point').first()).toBeAttached();

  // The table's points, black in the figure, in the theme's text colour: light, then dark.
  const shot = async (locator: Locator, file: string) => {
    await locator.screenshot({ path: path.join(artifacts, file) });
    await locator.screenshot({ path: testInfo.outputPath(file) });
  };
  expect(await pointColour(graph)).toBe(await resolved(page, '--jp-content-font-color1'));
  await shot(plots.first(), 'comparison-light.png');
  await page.theme.setDarkTheme();
  const darkInk = await resolved(page, '--jp-content-font-color1');
  expect(darkInk).toBe('rgb(255, 255, 255)');
  await expect.poll(() => pointColour(graph)).toBe(darkInk);
  await expect
    .poll(() =>
      graph.evaluate(el => getComputedStyle(el.querySelector('svg.main-svg')!).backgroundColor)
    )
    .toBe(await resolved(page, '--jp-layout-color0'));
  await shot(plots.first(), 'comparison-dark.png');
  // The saved output keeps the kernel's figure: black points, no theme written into it.
  const saved = await page.evaluate(() => {
    const app = (window as unknown as { jupyterapp: { shell: { currentWidget: unknown } } })
      .jupyterapp;
    const panel = app.shell.currentWidget as {
      content: { model: { cells: { get(i: number): { toJSON(): { outputs: unknown[] } } } } };
    };
    return panel.content.model.cells.get(0).toJSON().outputs[0] as {
      data: Record<string, unknown>;
    };
  });
  expect(Object.keys(saved.data).sort()).toEqual(
    [PLOTLY, SVG, 'text/plain', 'application/pdf'].sort()
  );
  expect(JSON.stringify(saved.data[PLOTLY])).toContain('"color":"black"');
  expect(JSON.stringify(saved.data[PLOTLY])).not.toContain('"template"');

  // The static pictures as GitHub and nbconvert show them: an <img> of the SVG, light and dark.
  const viewer = await page.context().newPage();
  for (const theme of ['light', 'dark'] as const) {
    const pictures = outputs.map((bundle, i) =>
      i === 0 ? od.figureSvg(bundle[PLOTLY], { theme }) : (bundle[SVG] as string)
    );
    await viewer.setContent(
      `<body style="margin:0;background:${theme === 'dark' ? '#0d1117' : '#fff'}">` +
        pictures
          .map(s => `<img src="data:image/svg+xml;base64,${Buffer.from(s).toString('base64')}">`)
          .join('<br>') +
        '</body>'
    );
    const sizes = await viewer.$$eval('img', imgs =>
      imgs.map(i => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight])
    );
    expect(sizes).toEqual([
      [640, 400],
      [640, 400]
    ]);
    await viewer.screenshot({
      path: path.join(artifacts, `static-pictures-${theme}.png`),
      fullPage: true
    });
    await viewer.screenshot({
      path: testInfo.outputPath(`static-pictures-${theme}.png`),
      fullPage: true
    });
  }
  await viewer.close();
});
