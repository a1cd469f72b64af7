import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { oracleSearch, readSnapshotColumns } from '../../support/catalog-oracle';
import { setSetting } from './lab';

const repo = path.resolve(__dirname, '..', '..', '..');
const screenshots = path.join(repo, 'build', 'screenshots');
const results = path.join(repo, 'build', 'test-results');
// Hits and facet counts are checked against a plain count over the bundled snapshot (not the
// extension's search engine).
const columns = readSnapshotColumns();
const format = (n: number) => n.toLocaleString('en-US');

/** The goal: results on screen within 50 ms of the last keystroke. */
const LAST_KEYSTROKE_BUDGET_MS = 50;

test.use({ autoGoto: true });

async function openPanel(page: Page) {
  await page.sidebar.openTab('opendata-lab-browser');
  const panel = page.locator('#opendata-lab-browser');
  await expect(panel.getByRole('listitem').first()).toBeVisible();
  return panel;
}

async function expectCount(panel: ReturnType<Page['locator']>, total: number): Promise<void> {
  await expect(panel.locator('.odl-Browser-count')).toHaveText(
    total === 1 ? '1 record' : `${format(total)} records`
  );
}

test('search "dimuon", filter CMS and 2011, open a record and run its loader in tslab', async ({
  page
}) => {
  await page.notebook.createNew('search-loader.ipynb', { kernel: 'tslab' });
  const panel = await openPanel(page);
  const search = panel.getByRole('searchbox', { name: 'Search records' });
  await search.fill('dimuon');
  await expectCount(panel, oracleSearch(columns, { text: 'dimuon' }).total);

  await panel.getByRole('button', { name: /^Filters/ }).click();
  const facets = panel.getByRole('group', { name: 'Filters' });
  await facets.getByRole('checkbox', { name: /^CMS \(/ }).check();
  await facets.getByLabel('From').selectOption('2011');
  await facets.getByLabel('To').selectOption('2011');
  const expected = oracleSearch(columns, {
    text: 'dimuon',
    experiment: ['CMS'],
    years: [2011, 2011]
  });
  expect(expected.total).toBeGreaterThan(1);
  await expectCount(panel, expected.total);
  await expect(panel.getByRole('button', { name: 'Filters (2)' })).toBeVisible();

  // Facet counts on screen: experiments counted with the year filter, years with the experiment one.
  for (const [key, count] of Object.entries(expected.experiment)) {
    await expect(
      facets.locator(`input[data-facet="experiment"][data-key="${key}"]`)
    ).toHaveAccessibleName(`${key} (${format(count)} records)`);
  }
  await expect(facets.getByLabel('From').locator('option[value="2011"]')).toHaveText(
    `2011 (${format(expected.year['2011'])})`
  );

  // Every listed row is one of the expected hits; the list is complete once scrolled through.
  await panel.getByRole('combobox', { name: 'Sort records by' }).selectOption('title');
  const rows = panel.locator('.odl-RecordRow[data-recid]');
  await expect(rows.first()).toBeVisible();
  const recids = new Set(expected.recids);
  for (const recid of await rows.evaluateAll(nodes =>
    nodes.map(n => (n as HTMLElement).dataset.recid!)
  )) {
    expect(recids.has(recid)).toBe(true);
  }
  await expect(rows.first()).toHaveAttribute('aria-setsize', String(expected.total));
  await panel.screenshot({ path: path.join(screenshots, 'browser-facets-light.png') });

  // Record 545 (Run2011A DoubleMu derived data) ships a sample: its loader runs offline.
  const row = panel.locator('.odl-RecordRow[data-recid="545"]');
  await row.click();
  const view = page.locator('#opendata-lab-record-545 .odl-RecordView');
  await expect(view.locator('.odl-RecordView-title')).toHaveText(
    columns.title[columns.recid.indexOf('545')]
  );
  await view.getByRole('button', { name: 'Insert loader' }).click();
  await page.notebook.activate('search-loader.ipynb');
  expect(await page.notebook.getCellType(1)).toBe('code');
  await page.notebook.runCell(1);
  const csv = fs.readFileSync(path.join(repo, 'data', 'events', 'Zmumu_Run2011A.csv'), 'utf8');
  const output = page.locator('.jp-Notebook .jp-Cell').nth(1).locator('.jp-OutputArea-output');
  await expect(output.first()).toContainText(`${csv.trim().split('\n').length - 1} rows`);
  await expect(
    page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
  ).toHaveCount(0);
});

/**
 * How the time is measured: in the page, the test itself (not the extension) listens for the
 * search box's `input` events (capture phase; `event.timeStamp`, the time the browser created the
 * event, on the `performance.now()` clock) and watches the panel with a MutationObserver. The list
 * sets `data-query` on its scroller last, after count, facets and rows of a query's answer are in
 * the DOM; the observer's callback runs right after that update, and its `performance.now()` is
 * the "results updated" time. The next animation frame's time is recorded too (when the browser
 * starts painting it). Keystrokes come from Playwright's keyboard, one key per event.
 */
test('search-as-you-type over the whole snapshot updates results within 50 ms of the last keystroke', async ({
  page
}) => {
  const panel = await openPanel(page);
  const search = panel.getByRole('searchbox', { name: 'Search records' });
  await page.evaluate(() => {
    const input = document.querySelector<HTMLInputElement>(
      '#opendata-lab-browser .odl-Browser-search'
    )!;
    const scroller = document.querySelector<HTMLElement>('#opendata-lab-browser-results')!;
    const log = {
      inputs: [] as { value: string; t: number }[],
      renders: [] as { query: string; t: number; frame?: number }[]
    };
    (window as unknown as { odlTiming: typeof log }).odlTiming = log;
    input.addEventListener(
      'input',
      e => log.inputs.push({ value: input.value, t: e.timeStamp }),
      true
    );
    let last = scroller.dataset.query;
    new MutationObserver(() => {
      const query = scroller.dataset.query ?? '';
      if (query === last) return;
      last = query;
      const render: { query: string; t: number; frame?: number } = { query, t: performance.now() };
      log.renders.push(render);
      requestAnimationFrame(() => (render.frame = performance.now()));
    }).observe(scroller, { attributes: true, attributeFilter: ['data-query'] });
  });

  // The last phrase is typed with the facet filters open: their counts are re-rendered too.
  const phrases = ['dimuon', 'higgs four lepton', 'double muon 2011'];
  const withFilters = 'double muon 2011';
  const measured: {
    phrase: string;
    mode: string;
    filters_open: boolean;
    keystrokes: { value: string; ms: number; frame_ms: number | null }[];
  }[] = [];
  for (const phrase of phrases) {
    if (phrase === withFilters) {
      await panel.getByRole('button', { name: /^Filters/ }).click();
      await expect(panel.getByRole('group', { name: 'Filters' })).toBeVisible();
    }
    // Letter by letter at a calm pace and at a fast typist's (~16 keys a second), each three
    // times: a single sample on a shared machine can be delayed by the OS scheduler alone.
    for (const [mode, delay] of [
      ['one key every 150 ms', 150],
      ['one key every 60 ms', 60],
      ['one key every 150 ms', 150],
      ['one key every 60 ms', 60],
      ['one key every 150 ms', 150],
      ['one key every 60 ms', 60]
    ] as const) {
      await search.fill('');
      await expect(panel.locator('#opendata-lab-browser-results')).toHaveAttribute(
        'data-query',
        ''
      );
      await page.evaluate(() => {
        const log = (window as unknown as { odlTiming: { inputs: unknown[]; renders: unknown[] } })
          .odlTiming;
        log.inputs.length = 0;
        log.renders.length = 0;
      });
      await search.pressSequentially(phrase, { delay });
      await expect(panel.locator('#opendata-lab-browser-results')).toHaveAttribute(
        'data-query',
        phrase
      );
      await page.waitForTimeout(200); // let the last frame be recorded
      const log = await page.evaluate(
        () =>
          (
            window as unknown as {
              odlTiming: {
                inputs: { value: string; t: number }[];
                renders: { query: string; t: number; frame?: number }[];
              };
            }
          ).odlTiming
      );
      const keystrokes = log.inputs.flatMap(input => {
        const render = log.renders.find(r => r.query === input.value && r.t >= input.t);
        return render
          ? [
              {
                value: input.value,
                ms: render.t - input.t,
                frame_ms: render.frame === undefined ? null : render.frame - input.t
              }
            ]
          : [];
      });
      // The final text's answer is always shown (an answer overtaken by a newer query is not).
      expect(keystrokes.at(-1)?.value).toBe(phrase);
      measured.push({ phrase, mode, filters_open: phrase === withFilters, keystrokes });
    }
  }

  const last = measured.map(m => m.keystrokes.at(-1)!.ms);
  // Per phrase and pace: the median of its three last-keystroke times.
  const lastByCase = new Map<string, number[]>();
  for (const m of measured) {
    const key = `${m.phrase} @ ${m.mode}`;
    lastByCase.set(key, [...(lastByCase.get(key) ?? []), m.keystrokes.at(-1)!.ms]);
  }
  const medians = Object.fromEntries([...lastByCase].map(([key, ms]) => [key, median(ms)]));
  const all = measured.flatMap(m => m.keystrokes.map(k => k.ms)).sort((a, b) => a - b);
  const pct = (p: number) => all[Math.min(all.length - 1, Math.ceil((p / 100) * all.length) - 1)];
  const report = {
    what: 'time from a search-box input event to the results (count, facets, rows) in the DOM',
    records: columns.recid.length,
    budget_ms: LAST_KEYSTROKE_BUDGET_MS,
    last_keystroke_ms: { p50: median(last), max: Math.max(...last), n: last.length },
    last_keystroke_median_per_case_ms: medians,
    every_keystroke_ms: { p50: pct(50), p95: pct(95), max: all[all.length - 1], n: all.length },
    runs: measured
  };
  fs.mkdirSync(results, { recursive: true });
  fs.writeFileSync(path.join(results, 'search-latency.json'), JSON.stringify(report, null, 2));
  console.log(
    `search latency: last keystroke p50 ${report.last_keystroke_ms.p50.toFixed(1)} ms, max ${report.last_keystroke_ms.max.toFixed(1)} ms; every keystroke p50 ${report.every_keystroke_ms.p50.toFixed(1)} ms, max ${report.every_keystroke_ms.max.toFixed(1)} ms`
  );
  for (const [key, ms] of Object.entries(medians)) {
    expect(ms, `median time from the last keystroke to results: ${key}`).toBeLessThanOrEqual(
      LAST_KEYSTROKE_BUDGET_MS
    );
  }
});

test('with the portal unreachable, source auto shows the offline indicator and snapshot results, source portal an error', async ({
  page
}) => {
  // The route's answers: the portal is unreachable (502/504), but no request is refused (400).
  const routeAnswers: { url: string; status: number }[] = [];
  page.on('response', response => {
    if (response.url().includes('/opendata-lab/portal/')) {
      routeAnswers.push({ url: response.url(), status: response.status() });
    }
  });
  const panel = await openPanel(page);
  const status = panel.locator('.odl-SourceStatus');
  await expect(status).toHaveAttribute('data-source', 'snapshot');
  await expect(status).toHaveAttribute('aria-live', 'polite');

  await setSetting(page, 'source', 'auto');
  await expect(status).toHaveAttribute('data-source', 'offline');
  await expect(status).toHaveText(/Portal unreachable: showing the bundled snapshot/);
  await expect(status.getByRole('button', { name: 'Retry' })).toBeVisible();
  expect(routeAnswers.length).toBeGreaterThan(0);
  for (const answer of routeAnswers) {
    expect(new URL(answer.url).pathname).toBe('/opendata-lab/portal/api/records/');
    expect([502, 504]).toContain(answer.status);
  }

  // The snapshot still answers searches.
  await panel.getByRole('searchbox', { name: 'Search records' }).fill('dimuon');
  await expectCount(panel, oracleSearch(columns, { text: 'dimuon' }).total);
  await expect(panel.locator('.odl-RecordRow[data-recid]').first()).toBeVisible();
  await panel.getByRole('button', { name: /^Filters/ }).click();
  await panel.screenshot({ path: path.join(screenshots, 'browser-offline-light.png') });

  await page.theme.setDarkTheme();
  await expect(status).toHaveAttribute('data-source', 'offline');
  await panel.screenshot({ path: path.join(screenshots, 'browser-facets-dark.png') });
  await page.theme.setLightTheme();

  // The portal-only source has no fallback: an error that says how to get one, no snapshot rows.
  await setSetting(page, 'source', 'portal');
  await expect(panel.getByRole('alert')).toContainText('Set the record source to “auto”');
  await expect(status).toHaveText(/^Portal unreachable/);
  await expect(panel.locator('.odl-RecordRow[data-recid]')).toHaveCount(0);
});

test.describe('settings', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'opendata-lab:browser': { source: 'auto' }
    }
  });

  test('with source "auto" and no portal, the list comes from the snapshot', async ({ page }) => {
    const panel = await openPanel(page);
    await expect(panel.locator('.odl-SourceStatus')).toHaveAttribute('data-source', 'offline');
    await expectCount(panel, oracleSearch(columns, {}).total);
  });
});

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
