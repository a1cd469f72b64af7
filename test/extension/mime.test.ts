import { PLOTLY_MIME, histogramsFigure, Hist1D } from '@opendata-lab/kernel-helpers/core';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import * as mime from '../../extension/mime';
import * as rendererModule from '../../extension/plotly-renderer';
import { plotlyRendererOptions } from './plotly-stand-in';

const { default: extension, rendererFactory } = mime;

// jsdom cannot run Plotly: a stand-in records what the renderer asks of it.
jest.mock('plotly.js-cartesian-dist-min', () => jest.requireActual('./plotly-stand-in').plotly());
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Plotly = require('plotly.js-cartesian-dist-min') as {
  react: jest.Mock;
  relayout: jest.Mock;
  restyle: jest.Mock;
  purge: jest.Mock;
  Plots: { resize: jest.Mock };
};

function mimeModel(value: unknown): IRenderMime.IMimeModel {
  return {
    trusted: false,
    data: { [PLOTLY_MIME]: value } as IRenderMime.IMimeModel['data'],
    metadata: {},
    setData: () => undefined
  };
}

function createRenderer(): IRenderMime.IRenderer {
  return rendererFactory.createRenderer(plotlyRendererOptions);
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
    expect(rendererFactory.mimeTypes).toEqual(['application/vnd.plotly.v1+json']);
    expect(rendererFactory.safe).toBe(true);
  });

  it('takes the mime type from the kernel helpers, the one constant the kernel side sends', () => {
    expect(rendererFactory.mimeTypes).toEqual([PLOTLY_MIME]);
    // No second copy of the constant in the extension.
    expect(Object.keys(mime)).not.toContain('PLOTLY_MIME_TYPE');
    expect(Object.keys(rendererModule)).not.toContain('PLOTLY_MIME_TYPE');
  });

  it('hands a copy of the figure to Plotly.react and purges on dispose', async () => {
    const renderer = createRenderer();
    const model = mimeModel(figure);
    await renderer.renderModel(model);

    expect(Plotly.react).toHaveBeenCalledTimes(1);
    const [node, data, layout, config] = Plotly.react.mock.calls[0];
    expect(node).toBe((renderer as rendererModule.PlotlyRenderer).plotNode);
    expect(renderer.node.contains(node)).toBe(true);
    expect(data).toEqual(figure.data);
    const { template, ...own } = layout;
    expect(own).toEqual(figure.layout);
    expect(template).toEqual(expect.objectContaining({ layout: expect.any(Object) }));
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
    expect(Plotly.Plots.resize).toHaveBeenCalledWith(Plotly.react.mock.calls[0][0]);
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

  describe('JupyterLab theme', () => {
    // JupyterLab's light and dark themes' values (theme-*-extension/style/variables.css).
    const LIGHT = {
      '--jp-layout-color0': 'white',
      '--jp-layout-color1': 'white',
      '--jp-content-font-color1': 'rgba(0, 0, 0, 0.87)',
      '--jp-ui-font-color1': 'rgba(0, 0, 0, 0.87)',
      '--jp-border-color1': '#bdbdbd',
      '--jp-border-color2': '#e0e0e0',
      '--jp-brand-color1': '#1976d2',
      '--jp-warn-color1': '#f57c00'
    };
    const DARK = {
      '--jp-layout-color0': '#111111',
      '--jp-layout-color1': '#212121',
      '--jp-content-font-color1': '#ffffff',
      '--jp-ui-font-color1': 'rgba(255, 255, 255, 0.87)',
      '--jp-border-color1': '#616161',
      '--jp-border-color2': '#424242',
      '--jp-brand-color1': '#2196f3',
      '--jp-warn-color1': '#ff9800'
    };
    const style = document.createElement('style');
    const setTheme = (vars: Record<string, string>, light: boolean) => {
      style.textContent = `:root { ${Object.entries(vars)
        .map(([k, v]) => `${k}: ${v};`)
        .join(' ')} }`;
      // What JupyterLab's theme plugin does once the theme's CSS is in.
      document.body.dataset.jpThemeLight = String(light);
      document.body.dataset.jpThemeName = light ? 'JupyterLab Light' : 'JupyterLab Dark';
    };
    const settle = () => new Promise(resolve => setTimeout(resolve, 0));
    beforeAll(() => document.head.appendChild(style));
    afterAll(() => style.remove());
    beforeEach(async () => {
      setTheme(LIGHT, true);
      await settle();
      jest.clearAllMocks();
    });

    it('draws in the theme colours, as a template the figure itself can override', async () => {
      const renderer = createRenderer();
      await renderer.renderModel(mimeModel(figure));
      const layout = Plotly.react.mock.calls[0][2];
      expect(layout.template.layout).toMatchObject({
        paper_bgcolor: 'white',
        plot_bgcolor: 'white',
        font: { color: 'rgba(0, 0, 0, 0.87)' },
        colorway: ['#1976d2', '#f57c00'],
        xaxis: { gridcolor: '#e0e0e0', linecolor: '#bdbdbd', zerolinecolor: '#bdbdbd' },
        yaxis: { gridcolor: '#e0e0e0', linecolor: '#bdbdbd', zerolinecolor: '#bdbdbd' },
        hoverlabel: { bgcolor: 'white', bordercolor: '#bdbdbd' }
      });
      // The figure's own layout is not touched: its values win over the template's.
      expect(layout.title).toEqual(figure.layout.title);
      renderer.dispose();
    });

    it('re-colours a drawn plot when the theme changes, and stops listening once disposed', async () => {
      const renderer = createRenderer();
      await renderer.renderModel(mimeModel(figure));
      const node = Plotly.react.mock.calls[0][0];
      setTheme(DARK, false);
      await settle();
      expect(Plotly.relayout).toHaveBeenCalledTimes(1);
      const [target, update] = Plotly.relayout.mock.calls[0];
      expect(target).toBe(node);
      expect(update.template.layout).toMatchObject({
        paper_bgcolor: '#111111',
        plot_bgcolor: '#111111',
        font: { color: '#ffffff' },
        colorway: ['#2196f3', '#ff9800'],
        yaxis: { gridcolor: '#424242' }
      });
      expect(Plotly.react).toHaveBeenCalledTimes(1); // re-styled in place, not drawn again

      renderer.dispose();
      setTheme(LIGHT, true);
      await settle();
      expect(Plotly.relayout).toHaveBeenCalledTimes(1);
    });

    it('never writes the theme into the output: the saved figure stays as the kernel sent it', async () => {
      const sent = JSON.parse(JSON.stringify(figure));
      const model = mimeModel(sent);
      const renderer = createRenderer();
      await renderer.renderModel(model);
      setTheme(DARK, false);
      await settle();
      expect(model.data[PLOTLY_MIME]).toEqual(figure);
      expect(JSON.stringify(model.data[PLOTLY_MIME])).not.toContain('template');
      renderer.dispose();
    });

    it('draws black data points (a HEPData comparison) in the theme text colour, and re-colours them', async () => {
      const points = {
        data: [
          { type: 'bar', x: [0.5], y: [3], width: [1] },
          {
            type: 'scatter',
            mode: 'markers',
            x: [0.5],
            y: [2],
            marker: { color: 'black', size: 6 },
            error_y: { type: 'data', array: [1], color: '#000' }
          }
        ],
        layout: {}
      };
      const model = mimeModel(JSON.parse(JSON.stringify(points)));
      const renderer = createRenderer();
      await renderer.renderModel(model);
      const drawn = Plotly.react.mock.calls[0][1];
      expect(drawn[1].marker).toEqual({ color: 'rgba(0, 0, 0, 0.87)', size: 6 });
      expect(drawn[1].error_y.color).toBe('rgba(0, 0, 0, 0.87)');
      expect(drawn[0].marker).toBeUndefined(); // the bars keep the template's colour
      setTheme(DARK, false);
      await settle();
      expect(Plotly.restyle.mock.calls).toEqual(
        expect.arrayContaining([
          [Plotly.react.mock.calls[0][0], { 'marker.color': '#ffffff' }, [1]],
          [Plotly.react.mock.calls[0][0], { 'error_y.color': '#ffffff' }, [1]]
        ])
      );
      expect(model.data[PLOTLY_MIME]).toEqual(points); // the output keeps its black
      renderer.dispose();
    });

    it('leaves a figure with its own template (plotly.py) as its author made it', async () => {
      const own = {
        ...figure,
        layout: { ...figure.layout, template: { layout: { font: { size: 20 } } } }
      };
      const renderer = createRenderer();
      await renderer.renderModel(mimeModel(own));
      expect(Plotly.react.mock.calls[0][2].template).toEqual(own.layout.template);
      setTheme(DARK, false);
      await settle();
      expect(Plotly.relayout).not.toHaveBeenCalled();
      renderer.dispose();
    });
  });

  describe('log scale toggle', () => {
    const logToggle = (renderer: IRenderMime.IRenderer) => {
      const box = renderer.node.querySelector('input[type="checkbox"]') as HTMLInputElement;
      return { box, label: box.closest('label')?.textContent };
    };
    const toggle = async (box: HTMLInputElement) => {
      // A checkbox fires change only when in the document (as in an output area).
      if (!box.isConnected) document.body.appendChild(box.closest('.odl-PlotlyRenderer')!);
      box.click();
      await new Promise(resolve => setTimeout(resolve, 0));
    };

    it('a labelled checkbox switches the y axis to log and back', async () => {
      const renderer = createRenderer();
      await renderer.renderModel(mimeModel(figure));
      const { box, label } = logToggle(renderer);
      expect(label).toBe('Log scale (y axis)');
      expect(box.closest('[hidden]')).toBeNull();
      expect(box.checked).toBe(false);

      await toggle(box);
      expect(Plotly.relayout).toHaveBeenLastCalledWith(
        Plotly.react.mock.calls[0][0],
        expect.objectContaining({
          'yaxis.type': 'log',
          'yaxis.autorange': true,
          // A quarter decade below the smallest content (1 here): log10(1) − 0.25.
          'yaxis.autorangeoptions': { minallowed: -0.25 }
        })
      );
      expect(Plotly.restyle).not.toHaveBeenCalled(); // bars: zero-count bins are simply not drawn

      await toggle(box);
      expect(Plotly.relayout).toHaveBeenLastCalledWith(
        Plotly.react.mock.calls[0][0],
        expect.objectContaining({ 'yaxis.type': null, 'yaxis.autorangeoptions': null })
      );
      renderer.dispose();
    });

    it('keeps histogram outlines unbroken on a log axis: empty bins drawn below the axis', async () => {
      // Opposite- and same-charge pairs of Zmumu.csv's first rows: the second has empty bins.
      const fig = histogramsFigure([
        { hist: new Hist1D(4, 60, 120).fill([82.46, 83.62, 90.47, 91.0, 89.9]), name: 'a' },
        { hist: new Hist1D(4, 60, 120).fill([100.2]), name: 'b' }
      ]);
      const renderer = createRenderer();
      await renderer.renderModel(mimeModel(fig));
      const { box } = logToggle(renderer);
      await toggle(box);
      const [, update, traces] = Plotly.restyle.mock.calls[0];
      expect(traces).toEqual([0, 1]);
      const bottom = Math.log10(1) - 0.25;
      const [a, b] = update.y as number[][];
      expect(a).toHaveLength(fig.data[0].y.length);
      // Positive levels unchanged, every zero lifted to a level under the axis bottom.
      fig.data.forEach((trace, t) =>
        trace.y.forEach((v, i) => {
          const lifted = (t === 0 ? a : b)[i];
          if (v > 0) expect(lifted).toBe(v);
          else expect(Math.log10(lifted)).toBeLessThan(bottom);
        })
      );
      expect(b.filter(v => v >= 1)).toEqual([1, 1]); // the one pair, at a bin top and centre

      await toggle(box);
      expect(Plotly.restyle.mock.calls[1][1].y).toEqual([fig.data[0].y, fig.data[1].y]);
      renderer.dispose();
    });

    it('scales only the main y axis: a pull panel below keeps its values and its axis', async () => {
      const fig = {
        data: [
          { type: 'bar', x: [1, 2, 3], y: [5, 12, 40] },
          { type: 'scatter', x: [1, 2, 3], y: [0.3, -2, 0], yaxis: 'y2', line: { shape: 'hv' } }
        ],
        layout: { yaxis: { domain: [0.3, 1] }, yaxis2: { domain: [0, 0.25] } }
      };
      const renderer = createRenderer();
      await renderer.renderModel(mimeModel(fig as unknown as typeof figure));
      await toggle(logToggle(renderer).box);
      expect(Plotly.relayout).toHaveBeenLastCalledWith(
        Plotly.react.mock.calls[0][0],
        expect.objectContaining({ 'yaxis.autorangeoptions': { minallowed: Math.log10(5) - 0.25 } })
      );
      expect(Plotly.restyle).not.toHaveBeenCalled(); // the pulls (negative, zero) stay as they are
      renderer.dispose();
    });

    it('keeps the choice when the output renders again; no toggle on a heatmap', async () => {
      const renderer = createRenderer();
      await renderer.renderModel(mimeModel(figure));
      await toggle(logToggle(renderer).box);
      jest.clearAllMocks();
      await renderer.renderModel(mimeModel(figure));
      expect(logToggle(renderer).box.checked).toBe(true);
      expect(Plotly.relayout).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({ 'yaxis.type': 'log' })
      );
      renderer.dispose();

      const heatmap = createRenderer();
      await heatmap.renderModel(
        mimeModel({ data: [{ type: 'heatmap', x: [0, 1], y: [0, 1], z: [[3]] }] })
      );
      expect(logToggle(heatmap).box.closest('[hidden]')).not.toBeNull();
      heatmap.dispose();
    });
  });
});
