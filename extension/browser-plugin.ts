import {
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { PortalCatalog, type FetchLike, type ShardLoader } from '@opendata-lab/kernel-helpers/core';
import { OpenDataBrowser } from './browser';
import { CatalogModel } from './catalog-model';
import { CommandIDs } from './commands';
import { TRANSLATION_DOMAIN } from './i18n';
import { openDataIcon } from './icons';
import type { RecordSourceSetting } from './record-store';
import { SearchModel, snapshotSource } from './search-model';
import { portalRouteBase, serverFetch } from './server-fetch';
import type { SnapshotLoader } from './snapshot';
import { IOpenDataBrowser } from './tokens';

/** Its settings live in `schema/browser.json`. */
export const BROWSER_PLUGIN_ID = 'opendata-lab:browser';

/** Where the panel sits in the left sidebar (file browser 100, running 200, table of contents 400). */
const SIDEBAR_RANK = 600;

/** Where full records and the portal come from (tests pass fixtures and stubs). */
export interface IBrowserSources {
  /** Shards of full records of the snapshot (the record view's; the list needs only the index). */
  loadShard?: ShardLoader;
  /** A fetch for the server's portal route; null: snapshot only. Default: the Jupyter server's. */
  portalFetch?: FetchLike | null;
}

/**
 * The dataset browser plugin. The snapshot loader is a parameter so tests can activate the
 * plugin with a fixture; `index.ts` passes the bundled snapshot.
 */
export function createBrowserPlugin(
  loader: SnapshotLoader,
  sources: IBrowserSources = {}
): JupyterFrontEndPlugin<IOpenDataBrowser> {
  return {
    id: BROWSER_PLUGIN_ID,
    description:
      'Adds the CERN Open Data dataset browser to the left sidebar and provides it as a service.',
    autoStart: true,
    provides: IOpenDataBrowser,
    optional: [ILayoutRestorer, ICommandPalette, ISettingRegistry, ITranslator],
    activate: (
      app: JupyterFrontEnd,
      restorer: ILayoutRestorer | null,
      palette: ICommandPalette | null,
      settingRegistry: ISettingRegistry | null,
      translator: ITranslator | null
    ): IOpenDataBrowser => {
      translator = translator ?? nullTranslator;
      const trans = translator.load(TRANSLATION_DOMAIN);
      const catalog = new CatalogModel(loader);
      const portalFetch = sources.portalFetch === undefined ? serverFetch : sources.portalFetch;
      const search = new SearchModel({
        snapshot: snapshotSource(catalog, sources.loadShard),
        // The browser cannot reach the portal itself (CORS): the server's route forwards for it.
        portal: portalFetch
          ? new PortalCatalog(portalRouteBase(), { fetch: portalFetch, timeoutMs: 15_000 })
          : null
      });
      // Page size and source follow the settings once they have loaded.
      const panel = new OpenDataBrowser({ model: catalog, search, translator });

      app.shell.add(panel, 'left', { rank: SIDEBAR_RANK });
      restorer?.add(panel, OpenDataBrowser.ID);

      app.commands.addCommand(CommandIDs.showBrowser, {
        label: trans.__('CERN Open Data Browser'),
        caption: trans.__('Show the CERN Open Data dataset browser'),
        icon: args => (args.isPalette ? undefined : openDataIcon),
        execute: () => app.shell.activateById(panel.id)
      });
      palette?.addItem({ command: CommandIDs.showBrowser, category: trans.__('CERN Open Data') });

      if (settingRegistry) {
        const apply = (settings: ISettingRegistry.ISettings): void => {
          panel.pageSize = settings.get('pageSize').composite as number;
          search.source = (settings.get('source').composite as RecordSourceSetting) ?? 'snapshot';
        };
        settingRegistry
          .load(BROWSER_PLUGIN_ID)
          .then(settings => {
            apply(settings);
            settings.changed.connect(apply);
          })
          .catch(reason => console.error(`${BROWSER_PLUGIN_ID}: could not load settings`, reason));
      }

      return { widget: panel, catalog, search };
    }
  };
}
