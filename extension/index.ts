import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { createBrowserPlugin } from './browser-plugin';
import { loadBundledShard } from './bundled-shards';
import { loadBundledSnapshot } from './bundled-snapshot';
import { createRecordsPlugin } from './records-plugin';

export { CommandIDs } from './commands';
export * from './tokens';

const plugins: JupyterFrontEndPlugin<unknown>[] = [
  createBrowserPlugin(loadBundledSnapshot, { loadShard: loadBundledShard }),
  createRecordsPlugin(loadBundledShard)
];

export default plugins;
