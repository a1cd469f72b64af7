import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PLOTLY_MIME } from '@opendata-lab/kernel-helpers/core';
import { rendererFactory } from './mime';
import { PlotlyRenderer } from './plotly-renderer';

/**
 * When another extension renders Plotly's mime type too (jupyterlab-plotly, which
 * `pip install plotly` brings), the one JupyterLab happens to activate last draws every figure:
 * then the helpers' plots lose the theme's colours and the log toggle. Once every plugin is
 * active, our renderer takes the mime type back, and hands the figures our cartesian Plotly
 * bundle cannot draw (3-D, maps) to the other extension's renderer.
 */
export function claimPlotlyMime(rendermime: IRenderMimeRegistry): void {
  const current = rendermime.getFactory(PLOTLY_MIME);
  if (!current || current === rendererFactory || current.createRenderer === claimed) {
    return;
  }
  const other = current;
  const factory: IRenderMime.IRendererFactory = {
    ...rendererFactory,
    createRenderer: options => new PlotlyRenderer(options, other)
  };
  claimed = factory.createRenderer;
  rendermime.addFactory(factory, rendererFactory.defaultRank);
}

let claimed: IRenderMime.IRendererFactory['createRenderer'] | null = null;

export function createPlotlyPriorityPlugin(): JupyterFrontEndPlugin<void> {
  return {
    id: 'opendata-lab:plotly-priority',
    description:
      "Keeps the extension's Plotly renderer (theme colours, log toggle) when another extension renders Plotly figures too.",
    autoStart: true,
    requires: [IRenderMimeRegistry],
    activate: (app: JupyterFrontEnd, rendermime: IRenderMimeRegistry) => {
      // After every plugin's activation, before notebooks are restored (they copy the registry).
      void app.started.then(() => claimPlotlyMime(rendermime));
    }
  };
}
