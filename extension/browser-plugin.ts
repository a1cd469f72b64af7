import {
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { OpenDataBrowser } from './browser';
import { CommandIDs } from './commands';
import { TRANSLATION_DOMAIN } from './i18n';
import { openDataIcon } from './icons';
import { SearchModel } from './search-model';
import { BROWSER_PLUGIN_ID, DEFAULT_SETTINGS } from './settings';
import { IOpenDataBrowser, IRecordSource } from './tokens';

export { BROWSER_PLUGIN_ID };

/** Where the panel sits in the left sidebar (file browser 100, running 200, table of contents 400). */
const SIDEBAR_RANK = 600;

/** The dataset browser plugin: the side panel over the record source, provided as a service. */
export function createBrowserPlugin(): JupyterFrontEndPlugin<IOpenDataBrowser> {
  return {
    id: BROWSER_PLUGIN_ID,
    description:
      'Adds the CERN Open Data dataset browser to the left sidebar and provides it as a service.',
    autoStart: true,
    provides: IOpenDataBrowser,
    requires: [IRecordSource],
    optional: [ILayoutRestorer, ICommandPalette, ISettingRegistry, ITranslator],
    activate: (
      app: JupyterFrontEnd,
      source: IRecordSource,
      restorer: ILayoutRestorer | null,
      palette: ICommandPalette | null,
      settingRegistry: ISettingRegistry | null,
      translator: ITranslator | null
    ): IOpenDataBrowser => {
      translator = translator ?? nullTranslator;
      const trans = translator.load(TRANSLATION_DOMAIN);
      const search = new SearchModel({ source, blockSize: DEFAULT_SETTINGS.pageSize });
      const panel = new OpenDataBrowser({ model: source.catalog, search, translator });

      app.shell.add(panel, 'left', { rank: SIDEBAR_RANK });
      restorer?.add(panel, OpenDataBrowser.ID);

      app.commands.addCommand(CommandIDs.showBrowser, {
        label: trans.__('CERN Open Data Browser'),
        caption: trans.__('Show the CERN Open Data dataset browser'),
        icon: args => (args.isPalette ? undefined : openDataIcon),
        execute: () => {
          app.shell.activateById(panel.id);
          // Typing goes to the search box, also when the palette or a shortcut showed the panel
          // (the palette hands focus back to where it was when it closes: focus after that).
          panel.searchInput.focus();
          requestAnimationFrame(() => panel.searchInput.focus());
        }
      });
      palette?.addItem({ command: CommandIDs.showBrowser, category: trans.__('CERN Open Data') });

      // A row opens its record on click or Enter (the context menu and the shortcuts have the rest).
      const rowOf = (target: EventTarget | null) =>
        (target as HTMLElement | null)?.closest?.<HTMLElement>('.odl-RecordRow') ?? null;
      panel.node.addEventListener('click', event => {
        const row = rowOf(event.target);
        if (row?.dataset.recid && !(event.target as HTMLElement).closest('a')) {
          void app.commands.execute(CommandIDs.openRecord, { recid: row.dataset.recid });
        }
      });
      panel.node.addEventListener('keydown', event => {
        const row = rowOf(event.target);
        if (row?.dataset.recid && event.key === 'Enter' && event.target === row) {
          event.preventDefault();
          void app.commands.execute(CommandIDs.openRecord, { recid: row.dataset.recid });
        }
      });

      if (settingRegistry) {
        const apply = (settings: ISettingRegistry.ISettings): void => {
          panel.pageSize = settings.get('pageSize').composite as number;
        };
        settingRegistry
          .load(BROWSER_PLUGIN_ID)
          .then(settings => {
            apply(settings);
            settings.changed.connect(apply);
          })
          .catch(reason => console.error(`${BROWSER_PLUGIN_ID}: could not load settings`, reason));
      }

      return {
        widget: panel,
        source,
        search,
        get focusedRecid(): string | null {
          const row = rowOf(document.activeElement);
          return row && panel.node.contains(row) ? (row.dataset.recid ?? null) : null;
        }
      };
    }
  };
}
