import { PLOTLY_MIME } from '@opendata-lab/kernel-helpers/core';
import { RenderMimeRegistry } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { rendererFactory } from '../../extension/mime';
import { claimPlotlyMime } from '../../extension/plotly-priority';
import { PlotlyRenderer, cartesianOnly } from '../../extension/plotly-renderer';
import { plotlyRendererOptions } from './plotly-stand-in';

// jsdom cannot run Plotly: a stand-in records what the renderer asks of it.
jest.mock('plotly.js-cartesian-dist-min', () => jest.requireActual('./plotly-stand-in').plotly());
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Plotly = require('plotly.js-cartesian-dist-min') as { react: jest.Mock };

function model(figure: object): IRenderMime.IMimeModel {
  return {
    trusted: false,
    data: { [PLOTLY_MIME]: figure } as IRenderMime.IMimeModel['data'],
    metadata: {},
    setData: () => undefined
  };
}

/** Another extension's Plotly renderer (jupyterlab-plotly's role), recording what it draws. */
function otherExtension() {
  const drawn: unknown[] = [];
  const factory: IRenderMime.IRendererFactory = {
    safe: true,
    mimeTypes: [PLOTLY_MIME],
    createRenderer: () => {
      const widget = new Widget() as Widget & IRenderMime.IRenderer;
      widget.addClass('other-plotly');
      widget.renderModel = async m => void drawn.push(m.data[PLOTLY_MIME]);
      return widget;
    }
  };
  return { factory, drawn };
}

const bars = { data: [{ type: 'bar', x: [1], y: [2] }], layout: {} };
const surface = { data: [{ type: 'surface', z: [[1, 2]] }], layout: {} };

describe('claimPlotlyMime', () => {
  beforeEach(() => jest.clearAllMocks());

  test('takes the mime type back from an extension activated after ours', async () => {
    const rendermime = new RenderMimeRegistry();
    rendermime.addFactory(rendererFactory, 0);
    const other = otherExtension();
    rendermime.addFactory(other.factory, 0); // last added wins: the other extension draws
    expect(rendermime.getFactory(PLOTLY_MIME)).toBe(other.factory);

    claimPlotlyMime(rendermime);
    const claimed = rendermime.getFactory(PLOTLY_MIME)!;
    expect(claimed).not.toBe(other.factory);
    expect(claimed.safe).toBe(true); // still drawn in untrusted notebooks
    // Claiming again (another registry event) does not wrap our own renderer.
    claimPlotlyMime(rendermime);
    expect(rendermime.getFactory(PLOTLY_MIME)).toBe(claimed);

    // Our renderer draws the cartesian figures the helpers make...
    const ours = claimed.createRenderer(plotlyRendererOptions);
    expect(ours).toBeInstanceOf(PlotlyRenderer);
    await ours.renderModel(model(bars));
    expect(Plotly.react).toHaveBeenCalledTimes(1);
    expect(other.drawn).toEqual([]);
    // ...and hands a 3-D figure (not in our cartesian bundle) to the other extension's renderer.
    const third = claimed.createRenderer(plotlyRendererOptions);
    Widget.attach(third as Widget, document.body);
    await third.renderModel(model(surface));
    expect(Plotly.react).toHaveBeenCalledTimes(1);
    expect(other.drawn).toEqual([surface]);
    expect(third.node.querySelector('.other-plotly')).not.toBeNull();
    expect((third.node.querySelector('.odl-PlotlyRenderer-plot') as HTMLElement).hidden).toBe(true);
    third.dispose();
    ours.dispose();
  });

  test('leaves the registry alone when ours is the only Plotly renderer', () => {
    const rendermime = new RenderMimeRegistry();
    rendermime.addFactory(rendererFactory, 0);
    claimPlotlyMime(rendermime);
    expect(rendermime.getFactory(PLOTLY_MIME)).toBe(rendererFactory);
  });

  test('cartesian figures: the trace types our Plotly bundle draws', () => {
    expect(cartesianOnly(bars)).toBe(true);
    expect(cartesianOnly({ data: [{ x: [1] }, { type: 'heatmap' }] })).toBe(true); // no type: scatter
    expect(cartesianOnly(surface)).toBe(false);
    expect(cartesianOnly({ data: [{ type: 'bar' }, { type: 'scattergeo' }] })).toBe(false);
  });
});
