import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { createBrowserPlugin } from './browser-plugin';
import { loadBundledSnapshot } from './bundled-snapshot';

export { CommandIDs } from './commands';
export * from './tokens';

const plugins: JupyterFrontEndPlugin<unknown>[] = [createBrowserPlugin(loadBundledSnapshot)];

export default plugins;
