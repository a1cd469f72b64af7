import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import extension, { PLOTLY_MIME_TYPE, rendererFactory } from '../../extension/mime';

// jsdom cannot run Plotly (no layout, no SVG measuring): the real drawing is checked in the
// Chromium UI tests. Here a stand-in records what the renderer asks of Plotly.
jest.mock('plotly.js-cartesian-dist-min', () => ({
  react: jest.fn(() => Promise.resolve()),
  purge: jest.fn(),
  Plots: { resize: jest.fn(() => Promise.resolve()) }
}));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Plotly = require('plotly.js-cartesian-dist-min') as {
  react: jest.Mock;
  purge: jest.Mock;
  Plots: { resize: jest.Mock };
};

function mimeModel(value: unknown): IRenderMime.IMimeModel {
  return {
    trusted: false,
    data: { [PLOTLY_MIME_TYPE]: value } as IRenderMime.IMimeModel['data'],
    metadata: {},
    setData: () => undefined
  };
}

function createRenderer(): IRenderMime.IRenderer {
  return rendererFactory.createRenderer({
    mimeType: PLOTLY_MIME_TYPE,
    sanitizer: { sanitize: (html: string) => html },
    resolver: null,
    linkHandler: null,
    latexTypesetter: null
  });
}

// A histogram as the kernel helpers display it.
const figure = {
  data: [{ type: 'bar', x: [0.5, 1.5, 2.5], y: [3, 5, 1], width: [1, 1, 1] }],
  layout: { title: { text: 'Dimuon mass' }, xaxis: { title: { text: 'M [GeV]' } }, bargap: 0 }
};

describe('Plotly mime extension', () => {
  beforeEach(() => jest.clearAllMocks());

  it('renders application/vnd.plotly.v1+json as JSON, also in untrusted notebooks', () => {
    expect(extension.id).toBe('opendata-lab:plotly');
    expect(extension.description).toBeTruthy();
    expect(extension.dataType).toBe('json');
    expect(extension.rendererFactory).toBe(rendererFactory);
    expect(PLOTLY_MIME_TYPE).toBe('application/vnd.plotly.v1+json');
    expect(rendererFactory.mimeTypes).toEqual([PLOTLY_MIME_TYPE]);
    expect(rendererFactory.safe).toBe(true);
  });

  it('hands a copy of the figure to Plotly.react and purges on dispose', async () => {
    const renderer = createRenderer();
    const model = mimeModel(figure);
    await renderer.renderModel(model);

    expect(Plotly.react).toHaveBeenCalledTimes(1);
    const [node, data, layout, config] = Plotly.react.mock.calls[0];
    expect(node).toBe(renderer.node);
    expect(data).toEqual(figure.data);
    expect(layout).toEqual(figure.layout);
    expect(config).toMatchObject({ displaylogo: false });
    // Plotly mutates what it is given; the notebook's output must stay as it was.
    expect(data).not.toBe(figure.data);
    expect(layout).not.toBe(figure.layout);

    renderer.dispose();
    expect(Plotly.purge).toHaveBeenCalledWith(node);
  });

  it('keeps the figure config and resizes when shown', async () => {
    const renderer = createRenderer();
    await renderer.renderModel(mimeModel({ ...figure, config: { displayModeBar: false } }));
    expect(Plotly.react.mock.calls[0][3]).toEqual({ displaylogo: false, displayModeBar: false });

    Widget.attach(renderer, document.body);
    expect(Plotly.Plots.resize).toHaveBeenCalledWith(renderer.node);
    renderer.dispose();
  });

  it('rejects data that is not a figure, so the output area shows the error', async () => {
    const renderer = createRenderer();
    await expect(renderer.renderModel(mimeModel({ layout: {} }))).rejects.toThrow(
      'Not a Plotly figure'
    );
    expect(Plotly.react).not.toHaveBeenCalled();
    renderer.dispose();
  });
});
