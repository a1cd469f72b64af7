// What the UI tests do through JupyterLab's own objects (Galata exposes them on window), and the
// notebooks they open.
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';

interface ILabWindow {
  jupyterapp: {
    commands: { execute(id: string, args: object): Promise<unknown> };
    shell: { currentWidget: unknown };
  };
  galata: {
    getPlugin(
      id: string
    ): Promise<{ set(plugin: string, key: string, value: unknown): Promise<void> }>;
  };
}

/** Opens a record's tab, as the panel's rows and the record links do. */
export async function openRecord(page: Page, recid: string): Promise<void> {
  await page.evaluate(
    id =>
      (window as unknown as ILabWindow).jupyterapp.commands.execute('opendata:open-record', {
        recid: id
      }),
    recid
  );
}

/** Changes a setting of the extension through JupyterLab's setting registry. */
export async function setSetting(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(
    async ([k, v]) => {
      const registry = await (window as unknown as ILabWindow).galata.getPlugin(
        '@jupyterlab/apputils-extension:settings'
      );
      await registry.set('opendata-lab:browser', k as string, v);
    },
    [key, value] as const
  );
}

/** The TypeScript kernels' kernelspecs, as a notebook's metadata names them. */
export const TSLAB_KERNEL = {
  name: 'tslab',
  display_name: 'TypeScript (tslab)',
  language: 'typescript'
};
export const DENO_KERNEL = {
  name: 'deno',
  display_name: 'TypeScript (Deno)',
  language: 'typescript'
};

/** A notebook's text (.ipynb JSON) of code cells with these sources, for this kernel. */
export function codeNotebook(sources: string[], kernelspec: object): string {
  return JSON.stringify({
    cells: sources.map(source => ({
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source
    })),
    metadata: { kernelspec },
    nbformat: 4,
    nbformat_minor: 5
  });
}

/** Uploads a notebook's text as tmpPath/name, opens it and makes it the current tab. */
export async function openNotebook(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string,
  content: string
): Promise<void> {
  await page.contents.uploadContent(content, 'text', `${tmpPath}/${name}`);
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.notebook.activate(name);
}

/** Every cell's outputs as the current notebook's model holds them. */
export function modelOutputs(page: Page): Promise<Record<string, unknown>[][]> {
  return page.evaluate(() => {
    type Model = { outputs: { toJSON(): Record<string, unknown>[] } };
    const app = (window as unknown as ILabWindow).jupyterapp;
    const panel = app.shell.currentWidget as { content: { widgets: { model: Model }[] } };
    return panel.content.widgets.map(cell => cell.model.outputs.toJSON());
  });
}

/** A --jp-* variable as the browser resolves it, in the rgb() form SVG styles are read back in. */
export function cssColour(page: Page, name: string): Promise<string> {
  return page.evaluate(variable => {
    const probe = document.createElement('div');
    probe.style.color = `var(${variable})`;
    document.body.appendChild(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  }, name);
}
