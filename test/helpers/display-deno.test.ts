// The display channel in Deno's kernel: with a `Deno.jupyter` like the one `deno jupyter` gives
// (a broadcast that records what it is sent), the helpers find the kernel and send whole mime
// bundles as display_data / update_display_data. The real kernel is exercised in
// test/python/test_kernel_deno.py and test_download_progress_in_kernel.py.
import {
  Hist1D,
  PLOTLY_MIME,
  defaultDatasetProgress,
  defaultProgress,
  denoJupyter,
  histogramFigure,
  kernelBundleDisplay,
  kernelDisplay,
  runningKernel,
  show
} from '../../kernel-helpers/src';

type Sent = [string, { data: Record<string, unknown>; transient: { display_id?: string } }];

const globals = globalThis as { Deno?: unknown };

/** Installs a Deno global whose `jupyter.broadcast` records messages; returns them. */
function fakeDeno(broadcast?: (type: string, content: unknown) => unknown): Sent[] {
  const sent: Sent[] = [];
  globals.Deno = {
    jupyter: {
      broadcast: broadcast ?? ((type: string, content: Sent[1]) => void sent.push([type, content]))
    }
  };
  return sent;
}

afterEach(() => {
  delete globals.Deno;
});

test('outside any kernel: no kernel, no Deno API', () => {
  expect(runningKernel({})).toBeNull();
  expect(denoJupyter()).toBeNull();
});

test('`deno run` (Deno.jupyter throws outside the kernel) is not a kernel', () => {
  globals.Deno = {
    get jupyter(): never {
      throw new Error('Deno.jupyter is only available in `deno jupyter` subcommand');
    }
  };
  expect(denoJupyter()).toBeNull();
  expect(runningKernel({})).toBeNull();
  expect(() => kernelBundleDisplay({}, {}).bundle({ 'text/plain': 'x' })).toThrow(
    expect.objectContaining({ code: 'E_DISPLAY' })
  );
});

test('in Deno: a bundle goes out whole as one display_data', () => {
  const sent = fakeDeno();
  expect(runningKernel({})).toBe('deno');
  const bundle = { 'text/plain': 'Hist1D', 'text/html': '<b>h</b>' };
  kernelBundleDisplay({}, {}).bundle(bundle, { isolated: true });
  expect(sent).toEqual([
    ['display_data', { data: bundle, metadata: { isolated: true }, transient: {} }]
  ]);
});

test('in Deno: an updatable display replaces its output under one display id', () => {
  const sent = fakeDeno();
  const display = kernelBundleDisplay({ updatable: true }, {});
  display.bundle({ 'text/plain': '1' });
  display.bundle({ 'text/plain': '2' });
  display.bundle({ 'text/plain': '3' });
  expect(sent.map(([type]) => type)).toEqual([
    'display_data',
    'update_display_data',
    'update_display_data'
  ]);
  const ids = sent.map(([, content]) => content.transient.display_id);
  expect(ids[0]).toMatch(/^[0-9a-f]{16}$/);
  expect(new Set(ids).size).toBe(1);
  expect(sent[2][1].data).toEqual({ 'text/plain': '3' });
});

test('in Deno: show() sends the Plotly figure, kernelDisplay() one mime type per output', () => {
  const sent = fakeDeno();
  const h = new Hist1D(2, 0, 2).fill([0.5, 1.5, 1.7]);
  show(h);
  kernelDisplay({}).raw('text/markdown', '**x**');
  expect(sent).toHaveLength(2);
  expect(sent[0][0]).toBe('display_data');
  expect(sent[0][1].data[PLOTLY_MIME]).toEqual(histogramFigure(h));
  expect(sent[1][1].data).toEqual({ 'text/markdown': '**x**' });
});

test('a tslab kernel in the module cache wins over a Deno global', () => {
  const sent = fakeDeno();
  const written: unknown[] = [];
  const cache = {
    '/k/node_modules/tslab/dist/jupyter.js': {
      exports: { lastWriteDisplayData: (content: unknown) => void written.push(content) }
    }
  };
  expect(runningKernel(cache)).toBe('tslab');
  kernelBundleDisplay({}, cache).bundle({ 'text/plain': 'x' });
  expect(written).toHaveLength(1);
  expect(sent).toEqual([]);
});

test('in Deno: a broadcast that rejects later is reported on stderr, not thrown', async () => {
  fakeDeno(() => Promise.reject(new Error('socket closed')));
  const writes: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
    writes.push(String(chunk));
    return true;
  });
  try {
    kernelBundleDisplay({}, {}).bundle({ 'text/plain': 'x' });
    await new Promise(resolve => setImmediate(resolve));
  } finally {
    spy.mockRestore();
  }
  expect(writes.join('')).toMatch(/display failed in the Deno kernel: Error: socket closed/);
});

test('in Deno: download progress is one display updated in place', () => {
  const sent = fakeDeno();
  const listener = defaultProgress();
  expect(listener).toBeDefined();
  const base = { file: '/tmp/a.root', url: 'https://x/a.root', total: 1000 };
  listener!({ ...base, received: 0, done: false });
  listener!({ ...base, received: 1000, done: true });
  expect(sent.map(([type]) => type)).toEqual(['display_data', 'update_display_data']);
  expect(sent[0][1].transient.display_id).toBe(sent[1][1].transient.display_id);
  // The summary line as ProgressSummary draws it: all bytes of one file, 100 %.
  expect(sent[1][1].data['text/plain']).toMatch(/^1\/1 files .* \[=+\] 100%$/);
});

test("in Deno: a dataset run's progress is one display updated in place", () => {
  const sent = fakeDeno();
  const listener = defaultDatasetProgress();
  expect(listener).not.toBeNull();
  const base = { files: 2, filesFailed: 0, bytesTotal: 2000, seconds: 1 };
  listener!({ ...base, filesDone: 1, entries: 500, bytesDone: 1000, finished: false });
  listener!({ ...base, filesDone: 2, entries: 1000, bytesDone: 2000, finished: true });
  expect(sent.map(([type]) => type)).toEqual(['display_data', 'update_display_data']);
  expect(sent[0][1].transient.display_id).toBe(sent[1][1].transient.display_id);
  expect(sent[1][1].data['text/plain']).toMatch(/^2\/2 files /);
});
