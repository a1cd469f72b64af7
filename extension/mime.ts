import { PLOTLY_MIME } from '@opendata-lab/kernel-helpers/core';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PlotlyRenderer } from './plotly-renderer';

/**
 * Safe: figures are data, drawn by Plotly, so they render in untrusted notebooks too (as in
 * JupyterLab's vega extension and plotly's own mime extension).
 */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [PLOTLY_MIME],
  defaultRank: 0,
  createRenderer: options => new PlotlyRenderer(options)
};

const extension: IRenderMime.IExtension = {
  id: 'opendata-lab:plotly',
  description:
    'Renders Plotly figures (application/vnd.plotly.v1+json) without a CDN, in trusted and untrusted notebooks, in the colours of the JupyterLab theme.',
  rendererFactory,
  rank: 0,
  dataType: 'json'
};

export default extension;
