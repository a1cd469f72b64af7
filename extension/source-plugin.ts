import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { PortalCatalog, type FetchLike, type ShardLoader } from '@opendata-lab/kernel-helpers/core';
import { CatalogModel } from './catalog-model';
import { RecordSource } from './record-source';
import { portalRouteBase, serverFetch } from './server-fetch';
import { BROWSER_PLUGIN_ID, DEFAULT_SETTINGS } from './settings';
import type { SnapshotLoader } from './snapshot';
import { IRecordSource, type RecordSourceSetting } from './tokens';

export const SOURCE_PLUGIN_ID = 'opendata-lab:source';

/** Where full records and the portal come from (tests pass fixtures and stubs). */
export interface IRecordSources {
  /** Shards of full records of the snapshot (the record view's; the list needs only the index). */
  loadShard?: ShardLoader;
  /** A fetch for the server's portal route; null: snapshot only. Default: the Jupyter server's. */
  portalFetch?: FetchLike | null;
}

/**
 * Provides the one record source of the extension: the bundled snapshot (its loader is a
 * parameter so tests can use a fixture), the portal through the server route, and the `source`
 * setting. The panel, the record view and the commands all read records through it.
 */
export function createSourcePlugin(
  loader: SnapshotLoader,
  sources: IRecordSources = {}
): JupyterFrontEndPlugin<IRecordSource> {
  return {
    id: SOURCE_PLUGIN_ID,
    description:
      'Provides CERN Open Data records from the bundled snapshot or the portal, with its status.',
    autoStart: true,
    provides: IRecordSource,
    optional: [ISettingRegistry],
    activate: (_app: JupyterFrontEnd, settingRegistry: ISettingRegistry | null): IRecordSource => {
      const portalFetch = sources.portalFetch === undefined ? serverFetch : sources.portalFetch;
      const source = new RecordSource({
        catalog: new CatalogModel(loader),
        loadShard: sources.loadShard,
        // The browser cannot reach the portal itself (CORS): the server's route forwards for it.
        portal: portalFetch
          ? new PortalCatalog(portalRouteBase(), { fetch: portalFetch, timeoutMs: 15_000 })
          : null
      });
      if (settingRegistry) {
        const apply = (settings: ISettingRegistry.ISettings): void => {
          source.setting =
            (settings.get('source').composite as RecordSourceSetting | undefined) ??
            DEFAULT_SETTINGS.source;
        };
        settingRegistry
          .load(BROWSER_PLUGIN_ID)
          .then(settings => {
            apply(settings);
            settings.changed.connect(apply);
          })
          .catch(reason => console.error(`${SOURCE_PLUGIN_ID}: could not load settings`, reason));
      }
      return source;
    }
  };
}
