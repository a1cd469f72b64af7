// What the UI tests do through JupyterLab's own objects (Galata exposes them on window).
import type { Page } from '@playwright/test';

interface ILabWindow {
  jupyterapp: { commands: { execute(id: string, args: object): Promise<unknown> } };
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
