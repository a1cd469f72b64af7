// The explorer's renderer in jsdom: counts, cuts typed or brushed, rebinning, reset and the cut
// code against a direct count of the events; initial cuts; refused outputs; keys kept from the
// notebook's shortcuts; the plugin registers a safe factory. Drawing in a real browser: UI tests.
import {
  EXPLORER_MIME,
  ExplorerPayload,
  binChoices,
  encodeCodes,
  quantizationLevels,
  quantize
} from '@opendata-lab/kernel-helpers/core';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { createExplorerPlugin, explorerRendererFactory } from '../../extension/explorer-plugin';

const x = [0.5, 1.5, 1.5, 2.5, 3.5, 3.6, 9.9, 12, -1, NaN];
const y = [5, 15, 25, 35, 45, 55, 65, 75, 85, 95];

function payload(extra: Partial<ExplorerPayload> = {}): ExplorerPayload {
  const column = (name: string, values: number[], lo: number, hi: number, bins: number) => {
    const levels = quantizationLevels(bins);
    return {
      name,
      lo,
      hi,
      bins,
      levels,
      log: false,
      codes: encodeCodes(quantize(values, lo, hi, levels))
    };
  };
  return {
    version: 1,
    title: 'Test <b>explorer</b>',
    table: 'events',
    events: x.length,
    shown: x.length,
    columns: [column('x', x, 0, 10, 10), column('y', y, 0, 100, 10)],
    ...extra
  };
}

async function render(value: unknown): Promise<Widget & IRenderMime.IRenderer> {
  const renderer = explorerRendererFactory.createRenderer({
    mimeType: EXPLORER_MIME,
    sanitizer: { sanitize: (html: string) => html },
    resolver: null,
    linkHandler: null,
    latexTypesetter: null
  }) as Widget & IRenderMime.IRenderer;
  await renderer.renderModel({
    trusted: false,
    data: { [EXPLORER_MIME]: value } as IRenderMime.IMimeModel['data'],
    metadata: {},
    setData: () => undefined
  });
  Widget.attach(renderer, document.body);
  return renderer;
}

const status = (r: Widget) => r.node.querySelector('.odl-Explorer-status')!.textContent;
const code = (r: Widget) => r.node.querySelector('.odl-Explorer-code')!.textContent;
const counts = (r: Widget, column: string) =>
  Array.from(
    r.node.querySelectorAll(`.odl-Explorer-panel[data-column="${column}"] rect.odl-Explorer-bar`),
    rect => Number(rect.getAttribute('data-count'))
  );
const input = (r: Widget, label: string) =>
  r.node.querySelector(`input[aria-label="${label}"]`) as HTMLInputElement;

/** y's bins of 10 for the events `keep` keeps, counted here. */
function yCounts(keep: (i: number) => boolean): number[] {
  const out = new Array<number>(10).fill(0);
  y.forEach((v, i) => keep(i) && out[Math.floor(v / 10)]++);
  return out;
}

afterEach(() => (document.body.textContent = ''));

test('the plugin registers a safe renderer for the explorer mime type', () => {
  const addFactory = jest.fn();
  const plugin = createExplorerPlugin();
  expect(plugin.autoStart).toBe(true);
  void plugin.activate({} as never, { addFactory } as never);
  expect(addFactory).toHaveBeenCalledWith(explorerRendererFactory, 0);
  expect(explorerRendererFactory.safe).toBe(true);
  expect(explorerRendererFactory.mimeTypes).toEqual([EXPLORER_MIME]);
});

test('typed cuts, rebinning and reset follow the events; the code says the cuts', async () => {
  const r = await render(payload());
  expect(r.node.querySelector('.odl-Explorer-title')!.textContent).toBe('Test <b>explorer</b>');
  expect(r.node.querySelector('b')).toBeNull();
  expect(status(r)).toBe('10 of 10 events selected');
  expect(counts(r, 'y')).toEqual(yCounts(() => true));
  expect(code(r)).toContain('od.maskWhere(events, {})');

  // x from 1.5 below 4, typed, applied with Enter
  const from = input(r, 'x from');
  from.value = '1.5';
  from.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  const to = input(r, 'x below');
  to.value = '4';
  to.dispatchEvent(new Event('change'));
  const keep = (i: number) => x[i] >= 1.5 && x[i] < 4;
  expect(status(r)).toBe(`${x.filter((_, i) => keep(i)).length} of 10 events selected`);
  expect(counts(r, 'y')).toEqual(yCounts(keep));
  expect(code(r)).toContain('od.maskWhere(events, { x: [1.5, 4] })');
  // x's own histogram is not cut by its own cut
  expect(counts(r, 'x').reduce((a, b) => a + b, 0)).toBe(7);

  // y rebinned to 5 bins of 20 through its slider
  const slider = input(r, 'y bins');
  const choices = binChoices(quantizationLevels(10));
  slider.value = String(choices.indexOf(5));
  slider.dispatchEvent(new Event('input'));
  expect(slider.getAttribute('aria-valuetext')).toBe('5 bins');
  const five = new Array<number>(5).fill(0);
  y.forEach((v, i) => keep(i) && five[Math.floor(v / 20)]++);
  expect(counts(r, 'y')).toEqual(five);

  (r.node.querySelector('.odl-Explorer-reset') as HTMLButtonElement).click();
  expect(status(r)).toBe('10 of 10 events selected');
  expect(code(r)).toContain('od.maskWhere(events, {})');
  expect(input(r, 'x from').value).toBe('');
});

test('a drag across a histogram cuts on bin edges, open where it reaches the edge', async () => {
  const r = await render(payload());
  const plot = r.node.querySelector('.odl-Explorer-panel[data-column="x"] svg') as SVGSVGElement;
  // jsdom lays nothing out: the plot as 320 px wide, the viewBox's own units
  plot.getBoundingClientRect = () => ({ left: 0, width: 320 }) as DOMRect;
  const at = (v: number) => 44 + (v / 10) * 268;
  const pointer = (type: string, value: number) =>
    plot.dispatchEvent(new MouseEvent(type, { clientX: at(value), button: 0, bubbles: true }));
  pointer('pointerdown', 2);
  pointer('pointermove', 6);
  pointer('pointerup', 10);
  const keep = (i: number) => x[i] >= 2; // open above: 12 (overflow) too
  expect(status(r)).toBe(`${x.filter((_, i) => keep(i)).length} of 10 events selected`);
  expect(code(r)).toContain('{ x: [2, Infinity] }');
  expect(counts(r, 'y')).toEqual(yCounts(keep));
  // a click without a drag clears the cut
  pointer('pointerdown', 5);
  pointer('pointerup', 5);
  expect(status(r)).toBe('10 of 10 events selected');
});

test('initial cuts apply; keys stay in the explorer; damaged outputs are refused', async () => {
  const r = await render(payload({ cuts: { y: [null, 50] } }));
  expect(status(r)).toBe(`${y.filter(v => v < 50).length} of 10 events selected`);
  expect(code(r)).toContain('{ y: [-Infinity, 50] }');
  expect(r.node.getAttribute('data-lm-suppress-shortcuts')).toBe('true');
  const outside = jest.fn();
  document.body.addEventListener('keydown', outside);
  input(r, 'y bins').dispatchEvent(
    new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true })
  );
  expect(outside).not.toHaveBeenCalled();

  await expect(render({ ...payload(), shown: 11 })).rejects.toThrow(/expected 11 events/);
  await expect(render({ version: 1, columns: [] })).rejects.toThrow(/not an explorer output/);
});
