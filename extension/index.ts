import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { createBinderLinkPlugin } from './binder-link';
import { createBrowserPlugin } from './browser-plugin';
import { bundledIndexLoader } from './bundled-file-indices';
import { loadBundledShard } from './bundled-shards';
import { loadBundledSnapshot } from './bundled-snapshot';
import { quietDebuggerRefresh } from './debugger-quiet';
import { createExplorerPlugin } from './explorer-plugin';
import { createPlotlyPriorityPlugin } from './plotly-priority';
import { createRecordsPlugin } from './records-plugin';
import { createSourcePlugin } from './source-plugin';

export { CommandIDs } from './commands';
export * from './tokens';

// At module load, before JupyterLab activates any plugin (see debugger-quiet.ts).
quietDebuggerRefresh();

const plugins: JupyterFrontEndPlugin<unknown>[] = [
  createSourcePlugin(loadBundledSnapshot, { loadShard: loadBundledShard }),
  createBrowserPlugin(),
  createRecordsPlugin({ indexLoader: bundledIndexLoader }),
  createBinderLinkPlugin(),
  createPlotlyPriorityPlugin(),
  createExplorerPlugin()
];

export default plugins;
