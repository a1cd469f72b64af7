// show() sends one output through the running tslab kernel (found in the module cache): the figure
// as an object, its SVG picture and a text summary in one bundle; an explicit display gets the
// Plotly figure alone (one mime type per output).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Hist1D,
  OpenDataError,
  PLOTLY_MIME,
  histogramFigure,
  kernelBundleDisplay,
  kernelDisplay,
  show
} from '../../kernel-helpers/src';

type Call = [string, unknown];

function recorder(): { calls: Call[]; raw(mime: string, value: unknown): void } {
  const calls: Call[] = [];
  return { calls, raw: (mime, value) => void calls.push([mime, value]) };
}

test('an explicit display gets the figure object under the Plotly mime type', () => {
  const display = recorder();
  const h = new Hist1D(2, 0, 2).fill([0.5, 1.5, 1.7]);
  show(h, display);
  const fig = histogramFigure({ edges: [0, 1], counts: [3] }, { title: 'x' });
  show(fig, display);
  expect(display.calls).toHaveLength(2);
  expect(display.calls[0]).toEqual([PLOTLY_MIME, histogramFigure(h)]);
  expect(typeof display.calls[0][1]).toBe('object');
  expect(display.calls[1][1]).toBe(fig);
});

describe('kernelDisplay', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-display-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A fake tslab install: dist/public.js whose display records into a global array. */
  function fakeTslab(name: string): string {
    const dist = path.join(tmp, name, 'node_modules', 'tslab', 'dist');
    fs.mkdirSync(dist, { recursive: true });
    fs.writeFileSync(
      path.join(dist, 'public.js'),
      `exports.display = { raw: (m, v) => (globalThis.__shown ??= []).push(['${name}', m, v]) };\n`
    );
    return path.join(dist, 'jupyter.js');
  }

  test('picks the tslab instance whose display hook is set', () => {
    const idle = fakeTslab('idle');
    const running = fakeTslab('running');
    const cache = {
      [idle]: { exports: { lastWriteDisplayData: null } },
      '/elsewhere/jupyter.js': { exports: { lastWriteDisplayData: () => {} } },
      [running]: { exports: { lastWriteDisplayData: () => {} } }
    };
    kernelDisplay(cache).raw(PLOTLY_MIME, { data: [] });
    expect((globalThis as { __shown?: unknown[] }).__shown).toEqual([
      ['running', PLOTLY_MIME, { data: [] }]
    ]);
  });

  test('outside a kernel: E_DISPLAY with a hint', () => {
    let error: unknown;
    try {
      show(new Hist1D(1, 0, 1));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OpenDataError);
    expect((error as OpenDataError).code).toBe('E_DISPLAY');
    expect((error as Error).message).toMatch(/tslab/);
  });

  test("with the real tslab: finds the kernel's module and displays through its public API", () => {
    // What the kernel does before each cell: set the hook in its own jupyter.js instance.
    // A CommonJS module whose exported variable the test assigns, as tslab's kernel does.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };
    const written: { data: Record<string, unknown> }[] = [];
    jupyter.lastWriteDisplayData = (msg: { data: Record<string, unknown> }) => written.push(msg);
    try {
      show(new Hist1D(3, 0, 3).fill([1.5]));
    } finally {
      jupyter.lastWriteDisplayData = null;
    }
    // One output carrying the figure, its SVG picture, a text summary and the PDF picture (one bundle).
    expect(written).toHaveLength(1);
    expect(Object.keys(written[0].data).sort()).toEqual(
      [PLOTLY_MIME, 'image/svg+xml', 'text/plain', 'application/pdf'].sort()
    );
    expect((written[0].data[PLOTLY_MIME] as { data: { y: number[] }[] }).data[0].y).toEqual([
      0, 1, 0
    ]);
    expect(written[0].data['image/svg+xml']).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/
    );
    // The one bar over the middle bin: one subpath in the bars' path.
    expect(
      (written[0].data['image/svg+xml'] as string).match(/<path class="bars"[^>]*>/)![0].match(/M/g)
    ).toHaveLength(1);
    expect(written[0].data['text/plain']).toMatch(
      /^histogram: 3 bins from 0 to 3, 1 in range\nentries 1, mean 1\.5, /
    );
  });
});

describe('kernelBundleDisplay', () => {
  /** A module cache holding one running tslab whose display hook records what it is sent. */
  function runningKernel(): { cache: Record<string, { exports: unknown }>; sent: unknown[][] } {
    const sent: unknown[][] = [];
    const hook = (content: unknown, update?: boolean) => void sent.push([content, update]);
    return {
      cache: {
        '/k/node_modules/tslab/dist/jupyter.js': { exports: { lastWriteDisplayData: hook } }
      },
      sent
    };
  }

  test('sends a whole bundle as one output', () => {
    const { cache, sent } = runningKernel();
    const bundle = { 'text/plain': 'h', 'image/svg+xml': '<svg/>' };
    kernelBundleDisplay({}, cache).bundle(bundle);
    expect(sent).toEqual([[{ data: bundle, metadata: {}, transient: {} }, false]]);
  });

  test('an updatable display replaces its first output under one display id', () => {
    const { cache, sent } = runningKernel();
    const display = kernelBundleDisplay({ updatable: true }, cache);
    display.bundle({ 'text/plain': '1' });
    display.bundle({ 'text/plain': '2' });
    const [[first, firstUpdate], [second, secondUpdate]] = sent as [
      { transient: { display_id: string } },
      boolean
    ][];
    expect([firstUpdate, secondUpdate]).toEqual([false, true]);
    expect(first.transient.display_id).toMatch(/^[0-9a-f]{16}$/);
    expect(second.transient.display_id).toBe(first.transient.display_id);
  });

  test('outside a kernel: E_DISPLAY', () => {
    expect(() => kernelBundleDisplay({}, {}).bundle({ 'text/plain': 'x' })).toThrow(
      expect.objectContaining({ code: 'E_DISPLAY' })
    );
  });
});
