import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { EXPLORER_MIME, ExplorerRenderer } from './explorer-renderer';

/**
 * Safe: the explorer draws from its output's data only (text nodes and SVG it builds), so it
 * renders in untrusted notebooks too.
 */
export const explorerRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [EXPLORER_MIME],
  defaultRank: 0,
  createRenderer: options => new ExplorerRenderer(options)
};

/**
 * Registers the explorer's renderer (od.explore outputs) with the application's rendermime
 * registry at start-up, before any notebook clones it.
 */
export function createExplorerPlugin(): JupyterFrontEndPlugin<void> {
  return {
    id: 'opendata-lab:explorer',
    description: 'Renders od.explore outputs: linked histograms with brushing cuts.',
    autoStart: true,
    requires: [IRenderMimeRegistry],
    activate: (_app: JupyterFrontEnd, rendermime: IRenderMimeRegistry) => {
      rendermime.addFactory(explorerRendererFactory, 0);
    }
  };
}
