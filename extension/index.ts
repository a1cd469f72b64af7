import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { createBrowserPlugin } from './browser-plugin';
import { loadBundledShard } from './bundled-shards';
import { loadBundledSnapshot } from './bundled-snapshot';
import { createRecordsPlugin } from './records-plugin';
import { createSourcePlugin } from './source-plugin';

export { CommandIDs } from './commands';
export * from './tokens';

const plugins: JupyterFrontEndPlugin<unknown>[] = [
  createSourcePlugin(loadBundledSnapshot, { loadShard: loadBundledShard }),
  createBrowserPlugin(),
  createRecordsPlugin()
];

export default plugins;
