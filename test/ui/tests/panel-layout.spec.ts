// The dataset browser at JupyterLab's default left sidebar width and Galata's default window
// (1024 × 768): nothing the user needs is clipped, similar titles look different, the year and
// file-type filters are in view. Checked on measured geometry, with screenshots (light and dark)
// kept in build/test-results/screenshots.
import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const repo = path.resolve(__dirname, '..', '..', '..');
const screenshots = path.join(repo, 'build', 'test-results', 'screenshots');
fs.mkdirSync(screenshots, { recursive: true });

// Two CMS 2016 simulated datasets of the snapshot whose names differ only in the version at
// their end (…_v17-v1/MINIAODSIM and …_v17-v2/MINIAODSIM).
const SIBLINGS = {
  query: 'NMSSM_XToYHTo2G2Tau_MX-2200_MY-600',
  first: '51433',
  second: '51434',
  title: (v: string) =>
    `/NMSSM_XToYHTo2G2Tau_MX-2200_MY-600_TuneCP5_13TeV-madgraph-pythia8/RunIISummer20UL16MiniAODv2-106X_mcRun2_asymptotic_v17-${v}/MINIAODSIM`
};

async function openPanel(page: IJupyterLabPageFixture): Promise<Locator> {
  await page.sidebar.openTab('opendata-lab-browser');
  const panel = page.locator('#opendata-lab-browser');
  await expect(panel.locator('.odl-RecordRow[data-recid]').first()).toBeVisible();
  return panel;
}

async function search(panel: Locator, text: string): Promise<void> {
  await panel.locator('.odl-Browser-search').fill(text);
  await expect(panel.locator('.odl-Browser-results')).toHaveAttribute('data-query', text);
}

/** Elements under `root` whose text is cut: content wider than the box that shows it. */
async function clipped(root: Locator, selector: string): Promise<string[]> {
  return root
    .locator(selector)
    .evaluateAll(nodes =>
      nodes
        .filter(n => n.scrollWidth > n.clientWidth + 0.5 || n.scrollHeight > n.clientHeight + 0.5)
        .map(n => `${n.className}: ${n.textContent} (${n.scrollWidth} > ${n.clientWidth})`)
    );
}

/**
 * A select's selected text measured in its font (by the browser, on a canvas) and the room its
 * box leaves for it: less room than text means the text is cut.
 */
function selectRoom(node: Element): { label: string; text: number; room: number } {
  const select = node as HTMLSelectElement;
  const style = getComputedStyle(select);
  const context = document.createElement('canvas').getContext('2d')!;
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const label = select.selectedOptions[0].text;
  return {
    label,
    text: context.measureText(label).width,
    room: select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
  };
}

test.describe('the dataset browser at the default sidebar width', () => {
  test('the sort control is whole next to a filter button with a count', async ({ page }) => {
    const panel = await openPanel(page);
    const width = (await panel.boundingBox())!.width;
    console.log(`default left sidebar panel width: ${width}px`);

    await panel.locator('.odl-Browser-filterToggle').click();
    await panel.locator('input[data-facet="experiment"][data-key="CMS"]').check();
    await panel.locator('input[data-facet="experiment"][data-key="ATLAS"]').check();
    await expect(panel.locator('.odl-Browser-filterLabel')).toHaveText('Filters (2)');

    for (const order of ['Most recent', 'Best match', 'Title A–Z', 'Title Z–A']) {
      await panel.locator('select.odl-Browser-sort').selectOption({ label: order });
      const geometry = await panel.locator('select.odl-Browser-sort').evaluate(node => {
        const select = node as HTMLSelectElement;
        const box = select.getBoundingClientRect();
        const panelBox = select.closest('#opendata-lab-browser')!.getBoundingClientRect();
        const toggle = select
          .closest('.odl-Browser-header')!
          .querySelector('.odl-Browser-filterToggle')!
          .getBoundingClientRect();
        return {
          right: box.right,
          panelRight: panelBox.right,
          overlaps:
            box.right > toggle.left &&
            toggle.right > box.left &&
            box.bottom > toggle.top &&
            toggle.bottom > box.top
        };
      });
      const sort = await panel.locator('select.odl-Browser-sort').evaluate(selectRoom);
      expect(sort.label).toBe(order);
      expect(sort.room, `room for "${order}"`).toBeGreaterThanOrEqual(sort.text);
      expect(geometry.right).toBeLessThanOrEqual(geometry.panelRight);
      expect(geometry.overlaps).toBe(false);
    }
    // The filter button's label is whole too.
    expect(await clipped(panel, '.odl-Browser-filterToggle, .odl-Browser-filterLabel')).toEqual([]);
    const toggle = (await panel.locator('.odl-Browser-filterToggle').boundingBox())!;
    const box = (await panel.boundingBox())!;
    expect(toggle.x + toggle.width).toBeLessThanOrEqual(box.x + box.width);
  });

  test('DOI badges show their text whole', async ({ page }) => {
    const panel = await openPanel(page);
    // The most recent records (LHCb, ATLAS, CMS) and CMS datasets with size and events.
    for (const query of ['', 'DoubleMu Run2011A', 'ZZTo4L']) {
      await search(panel, query);
      const badges = panel.locator('.odl-RecordRow[data-recid] .odl-DoiBadge');
      await expect(badges.first()).toBeVisible();
      expect(await badges.count()).toBeGreaterThanOrEqual(3);
      expect(await clipped(panel, '.odl-DoiBadge, .odl-DoiBadge-value')).toEqual([]);
      // Each badge is inside its row, and its row's details line does not cut it off.
      const outside = await badges.evaluateAll(nodes =>
        nodes
          .filter(n => {
            const b = n.getBoundingClientRect();
            const line = n.parentElement!.getBoundingClientRect();
            return b.right > line.right + 0.5 || b.left < line.left - 0.5;
          })
          .map(n => n.textContent)
      );
      expect(outside).toEqual([]);
    }
    // What a badge says: the portal's DOI after its common prefix, the whole DOI in the tooltip.
    await search(panel, SIBLINGS.query);
    const badge = panel.locator(`[data-recid="${SIBLINGS.first}"] .odl-DoiBadge`);
    await expect(badge).toHaveText(/^DOI\s*CMS\.[A-Z0-9]{4}\.[A-Z0-9]{4}$/);
    await expect(badge).toHaveAttribute('title', /10\.7483\/OPENDATA\.CMS\./);
  });

  test('two CMS 2016 datasets that differ only at the end look different', async ({ page }) => {
    const panel = await openPanel(page);
    await search(panel, SIBLINGS.query);
    const first = panel.locator(`[data-recid="${SIBLINGS.first}"] .odl-RecordRow-title`);
    const second = panel.locator(`[data-recid="${SIBLINGS.second}"] .odl-RecordRow-title`);
    await expect(first).toHaveAttribute('title', SIBLINGS.title('v1'));
    await expect(second).toHaveAttribute('title', SIBLINGS.title('v2'));

    // The pixels of the two titles differ (before, both showed the same two cut lines).
    const [a, b] = [await first.screenshot(), await second.screenshot()];
    expect(a.equals(b)).toBe(false);

    // The end of each name (version and tier) is on screen, whole, inside its row.
    for (const [title, version] of [
      [first, 'v1'],
      [second, 'v2']
    ] as const) {
      const end = await title.evaluate(node => {
        // The last characters of the title as laid out: where the browser put them.
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        let last: Text | null = null;
        while (walker.nextNode()) last = walker.currentNode as Text;
        const range = document.createRange();
        const text = last!.data;
        const at = text.length - `-vN/MINIAODSIM`.length;
        range.setStart(last!, at);
        range.setEnd(last!, text.length);
        const shown = range.getBoundingClientRect();
        // The innermost box that clips the text: it must contain the range.
        let clip = last!.parentElement!.getBoundingClientRect();
        for (let e: HTMLElement | null = last!.parentElement; e && e !== node.parentElement;) {
          const r = e.getBoundingClientRect();
          if (getComputedStyle(e).overflow !== 'visible') {
            clip = {
              left: Math.max(clip.left, r.left),
              right: Math.min(clip.right, r.right),
              top: Math.max(clip.top, r.top),
              bottom: Math.min(clip.bottom, r.bottom)
            } as DOMRect;
          }
          e = e.parentElement;
        }
        const tail = node.querySelector('.odl-RecordRow-tail') as HTMLElement | null;
        return {
          text: text.slice(at),
          inside:
            shown.width > 0 &&
            shown.left >= clip.left - 0.5 &&
            shown.right <= clip.right + 0.5 &&
            shown.top >= clip.top - 0.5 &&
            shown.bottom <= clip.bottom + 0.5,
          tailCut: tail ? tail.scrollWidth > tail.clientWidth + 0.5 : true
        };
      });
      expect(end.text).toBe(`-${version}/MINIAODSIM`);
      expect(end.inside).toBe(true);
      expect(end.tailCut).toBe(false);
    }
  });

  test('the year and file type filters are in view when the filters open', async ({ page }) => {
    const panel = await openPanel(page);
    await panel.locator('.odl-Browser-filterToggle').click();
    const facets = panel.locator('.odl-Facets');
    await expect(facets).toBeVisible();
    const viewport = page.viewportSize()!;
    const area = (await facets.boundingBox())!;
    for (const facet of ['year', 'file_type']) {
      const summary = panel.locator(`details[data-facet="${facet}"] > summary`);
      const box = (await summary.boundingBox())!;
      // Inside the filters' own scrolling box without scrolling it, and inside the window.
      expect(box.y, facet).toBeGreaterThanOrEqual(area.y - 0.5);
      expect(box.y + box.height, facet).toBeLessThanOrEqual(area.y + area.height + 0.5);
      expect(box.y + box.height, facet).toBeLessThanOrEqual(viewport.height);
    }
    expect(await facets.evaluate(node => node.scrollTop)).toBe(0);
    // The year range is open (its selects usable at once); file type opens with one click and
    // lists its values with their counts.
    await expect(panel.locator('select[data-year="from"]')).toBeVisible();
    await panel.locator('details[data-facet="file_type"] > summary').click();
    const options = panel.locator('input[data-facet="file_type"]');
    await expect(options.first()).toBeVisible();
    // A chosen year shows whole, with its count, in the narrow select.
    const from = panel.locator('select[data-year="from"]');
    const label = await from.locator('option[value="2011"]').textContent();
    await from.selectOption('2011');
    await expect(panel.locator('.odl-Browser-filterLabel')).toHaveText('Filters (1)');
    const year = await panel.locator('select[data-year="from"]').evaluate(selectRoom);
    expect(year.label).toBe(label);
    expect(year.room, year.label).toBeGreaterThanOrEqual(year.text);
    // Counts right-aligned in one column.
    const rights = await panel
      .locator('details[data-facet="file_type"] .odl-Facet-count')
      .evaluateAll(nodes => nodes.map(n => Math.round(n.getBoundingClientRect().right)));
    expect(new Set(rights).size).toBe(1);
  });

  test('rows follow a larger UI font size: the list is laid out at their new height', async ({
    page
  }) => {
    const panel = await openPanel(page);
    const layout = () =>
      panel.locator('.odl-Browser-results').evaluate(scroller => {
        const rows = Array.from(scroller.querySelectorAll<HTMLElement>('.odl-RecordRow'));
        const sizer = scroller.querySelector<HTMLElement>('.odl-VirtualList')!;
        const count = Number(rows[0].getAttribute('aria-setsize'));
        // Fractions count: rows stack at their laid-out height (122.39 px at a larger font).
        const height = (el: HTMLElement) => el.getBoundingClientRect().height;
        return { row: height(rows[0]), count, sizer: height(sizer) };
      });
    const before = await layout();
    expect(Math.abs(before.sizer - before.count * before.row)).toBeLessThan(1);

    // Settings → Theme → Increase UI Font Size, three times.
    for (let i = 0; i < 3; i++) {
      await page.evaluate(() =>
        window.jupyterapp.commands.execute('apputils:incr-font-size', { key: 'ui-font-size1' })
      );
    }
    await expect.poll(async () => (await layout()).row).toBeGreaterThan(before.row);
    // The scrollbar spans every row at its new height: the last row ends where the list ends.
    await expect
      .poll(async () => {
        const now = await layout();
        return Math.abs(now.sizer - now.count * now.row) < 1;
      })
      .toBe(true);
    const scroller = panel.locator('.odl-Browser-results');
    const last = panel.locator(`.odl-RecordRow[aria-posinset="${before.count}"]`);
    // Scrolled again until the last row is drawn: on a loaded machine the font change can still
    // be re-rendering the list (which keeps its offset from the top) when the first scroll lands.
    await expect(async () => {
      await scroller.evaluate(node => (node.scrollTop = node.scrollHeight));
      await expect(last).toBeVisible({ timeout: 2000 });
    }).toPass();
    const [lastBox, listBox] = [(await last.boundingBox())!, (await scroller.boundingBox())!];
    expect(Math.abs(lastBox.y + lastBox.height - (listBox.y + listBox.height))).toBeLessThan(2);
  });

  test('screenshots: light and dark, with filters open and with results', async ({ page }) => {
    const panel = await openPanel(page);
    const shoot = async (name: string) => {
      await page.mouse.move(600, 700); // no hover highlight in the pictures
      await panel.screenshot({ path: path.join(screenshots, `${name}.png`) });
    };
    for (const theme of ['light', 'dark'] as const) {
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
        await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
      }
      await search(panel, '');
      await shoot(`panel-${theme}-results`);
      await search(panel, 'DoubleMu Run2011A');
      await shoot(`panel-${theme}-search`);
      await search(panel, SIBLINGS.query);
      await shoot(`panel-${theme}-datasets`);
      await search(panel, '');
      await panel.locator('.odl-Browser-filterToggle').click();
      await panel.locator('input[data-facet="experiment"][data-key="CMS"]').check();
      await expect(panel.locator('.odl-Browser-filterLabel')).toHaveText('Filters (1)');
      await shoot(`panel-${theme}-filters`);
      await panel.locator('input[data-facet="experiment"][data-key="CMS"]').uncheck();
      await panel.locator('.odl-Browser-filterToggle').click();
    }
  });
});
