import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PLOTLY_MIME_TYPE, PlotlyRenderer } from './plotly-renderer';

export { PLOTLY_MIME_TYPE };

/**
 * Safe: figures are data, drawn by Plotly, so they render in untrusted notebooks too (as in
 * JupyterLab's vega extension and plotly's own mime extension).
 */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [PLOTLY_MIME_TYPE],
  defaultRank: 0,
  createRenderer: options => new PlotlyRenderer(options)
};

const extension: IRenderMime.IExtension = {
  id: 'opendata-lab:plotly',
  description:
    'Renders Plotly figures (application/vnd.plotly.v1+json) without a CDN, in trusted and untrusted notebooks.',
  rendererFactory,
  rank: 0,
  dataType: 'json'
};

export default extension;
