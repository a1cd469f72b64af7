import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  Clipboard,
  ICommandPalette,
  ISanitizer,
  MainAreaWidget,
  Notification,
  Sanitizer
} from '@jupyterlab/apputils';
import { INotebookTracker, type NotebookPanel } from '@jupyterlab/notebook';
import { ILatexTypesetter } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  CITATION_FORMATS,
  loaderCode,
  PORTAL_URL,
  type CitationFormat,
  type ShardLoader
} from '@opendata-lab/kernel-helpers/core';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { BROWSER_PLUGIN_ID } from './browser-plugin';
import { CommandIDs } from './commands';
import { TRANSLATION_DOMAIN } from './i18n';
import { openDataIcon } from './icons';
import {
  bibliography,
  citationMarkdown,
  insertLoaderCell,
  insertMarkdownCell,
  loaderLanguageFor,
  recidsInNotebook,
  type IKernelInfo
} from './notebook-cells';
import { RecordStore, shareRecordPortalStatus, type RecordSourceSetting } from './record-store';
import { RecordView } from './record-view';
import { portalRouteBase, serverFetch } from './server-fetch';
import { IOpenDataBrowser } from './tokens';

export const RECORDS_PLUGIN_ID = 'opendata-lab:records';

/** The settings the commands read (schema/browser.json, shared with the browser plugin). */
interface ICommandSettings {
  portalUrl: string;
  source: RecordSourceSetting;
  citationFormat: CitationFormat;
  loaderLanguages: Record<string, string>;
  filesPageSize: number;
}

const DEFAULTS: ICommandSettings = {
  portalUrl: PORTAL_URL,
  source: 'snapshot',
  citationFormat: 'bibtex',
  loaderLanguages: {},
  filesPageSize: 50
};

/**
 * The record view and the record commands: open, insert loader, cite, cite the notebook's
 * datasets, open on the portal. The shard loader is a parameter so tests can use fixtures.
 */
export function createRecordsPlugin(loadShard: ShardLoader): JupyterFrontEndPlugin<void> {
  return {
    id: RECORDS_PLUGIN_ID,
    description:
      'Record view and commands of the CERN Open Data browser: insert loader, cite, open on the portal.',
    autoStart: true,
    requires: [IOpenDataBrowser],
    optional: [
      INotebookTracker,
      ISanitizer,
      ICommandPalette,
      ISettingRegistry,
      ITranslator,
      ILatexTypesetter
    ],
    activate: (
      app: JupyterFrontEnd,
      browser: IOpenDataBrowser,
      notebooks: INotebookTracker | null,
      sanitizer: IRenderMime.ISanitizer | null,
      palette: ICommandPalette | null,
      settingRegistry: ISettingRegistry | null,
      translator: ITranslator | null,
      latexTypesetter: IRenderMime.ILatexTypesetter | null
    ): void => {
      translator = translator ?? nullTranslator;
      const trans = translator.load(TRANSLATION_DOMAIN);
      const settings: ICommandSettings = { ...DEFAULTS };
      const store = new RecordStore({
        catalog: browser.catalog,
        loadShard,
        portalBase: portalRouteBase(),
        portalFetch: serverFetch
      });
      shareRecordPortalStatus(store, browser.search);
      const views = new Map<string, MainAreaWidget<RecordView>>();
      const { commands } = app;

      /** The recid of the command's args, else of the record row the context menu opened on. */
      const recidOf = (args: ReadonlyPartialJSONObject): string | null => {
        if (args.recid !== undefined && args.recid !== null) {
          return String(args.recid);
        }
        const row = app.contextMenuHitTest(node => !!node.dataset?.recid);
        return row?.dataset.recid ?? null;
      };

      const notebook = (): NotebookPanel | null => {
        const panel = notebooks?.currentWidget ?? null;
        if (!panel) {
          Notification.warning(
            trans.__('Open a notebook first: the cell goes below its active cell.'),
            {
              autoClose: 5000
            }
          );
        }
        return panel;
      };

      commands.addCommand(CommandIDs.openRecord, {
        label: args =>
          args.recid ? trans.__('Open Record %1', args.recid) : trans.__('Open Record'),
        caption: trans.__('Show the record in full: abstract, authors, licence, files'),
        execute: async args => {
          const recid = recidOf(args);
          if (!recid) {
            return;
          }
          let widget = views.get(recid);
          if (!widget || widget.isDisposed) {
            const content = new RecordView({
              sanitizer: sanitizer ?? new Sanitizer(),
              translator: translator ?? undefined,
              commands,
              filesPageSize: settings.filesPageSize,
              latexTypesetter
            });
            widget = new MainAreaWidget({ content });
            widget.id = `opendata-lab-record-${recid}`;
            widget.title.label = trans.__('Record %1', recid);
            widget.title.icon = openDataIcon;
            widget.title.closable = true;
            views.set(recid, widget);
            app.shell.add(widget, 'main');
            const view = content;
            void view.showRecord(
              store.get(recid).then(loaded => {
                const title = String(loaded.record.title ?? '');
                widget!.title.label = title ? `${recid}: ${title}` : trans.__('Record %1', recid);
                widget!.title.caption = title;
                return loaded;
              }),
              recid
            );
          }
          app.shell.activateById(widget.id);
        }
      });

      commands.addCommand(CommandIDs.insertLoader, {
        label: trans.__('Insert Loader Cell'),
        caption: trans.__(
          'Insert a code cell that loads the record (or the chosen file) below the active cell'
        ),
        execute: async args => {
          const recid = recidOf(args);
          const panel = recid ? notebook() : null;
          if (!recid || !panel) {
            return;
          }
          const kernel = await kernelInfo(panel);
          const language = loaderLanguageFor(kernel, settings.loaderLanguages);
          if (!language) {
            Notification.error(
              trans.__(
                'No loader for the %1 kernel: set a loader language for it in the settings.',
                kernel.name ?? kernel.language ?? '?'
              )
            );
            return;
          }
          try {
            const { record } = await store.get(recid);
            const cell = loaderCode(record, {
              language,
              file: typeof args.file === 'string' ? args.file : undefined
            });
            insertLoaderCell(panel.content, cell);
            app.shell.activateById(panel.id);
          } catch (error) {
            Notification.error(trans.__('No loader for record %1: %2', recid, messageOf(error)));
          }
        }
      });

      const formatOf = (args: ReadonlyPartialJSONObject): CitationFormat => {
        const format = args.format as CitationFormat;
        return CITATION_FORMATS.includes(format) ? format : settings.citationFormat;
      };

      commands.addCommand(CommandIDs.cite, {
        label: args =>
          args.target === 'markdown'
            ? trans.__('Cite Record in Notebook (%1)', formatOf(args))
            : trans.__('Copy Record Citation (%1)', formatOf(args)),
        caption: trans.__('Cite the record as text, BibTeX, CSL-JSON or RIS'),
        execute: async args => {
          const recid = recidOf(args);
          if (!recid) {
            return;
          }
          const format = formatOf(args);
          const panel = args.target === 'markdown' ? notebook() : null;
          if (args.target === 'markdown' && !panel) {
            return;
          }
          try {
            const { record } = await store.get(recid);
            const citation = bibliography([record], format);
            if (panel) {
              insertMarkdownCell(panel.content, citationMarkdown(citation, format));
              app.shell.activateById(panel.id);
            } else {
              Clipboard.copyToSystem(citation);
              Notification.success(trans.__('Citation of record %1 copied (%2).', recid, format), {
                autoClose: 3000
              });
            }
          } catch (error) {
            Notification.error(trans.__('Could not cite record %1: %2', recid, messageOf(error)));
          }
        }
      });

      commands.addCommand(CommandIDs.citeNotebook, {
        label: trans.__('Cite All Datasets Used in This Notebook'),
        caption: trans.__(
          'One bibliography of every record the notebook’s loader cells name, inserted as a markdown cell'
        ),
        isEnabled: () => !!notebooks?.currentWidget,
        execute: async args => {
          const panel = notebook();
          if (!panel?.model) {
            return;
          }
          const recids = recidsInNotebook(panel.model);
          if (recids.length === 0) {
            Notification.info(trans.__('No loader cell in this notebook names a record.'), {
              autoClose: 5000
            });
            return;
          }
          const format = formatOf(args);
          try {
            const records = await Promise.all(recids.map(async r => (await store.get(r)).record));
            const citation = bibliography(records, format);
            insertMarkdownCell(panel.content, citationMarkdown(citation, format));
          } catch (error) {
            Notification.error(
              trans.__('Could not cite the notebook’s records: %1', messageOf(error))
            );
          }
        }
      });

      commands.addCommand(CommandIDs.openOnPortal, {
        label: trans.__('Open Record on the Portal'),
        caption: trans.__('Open the record’s page on the CERN Open Data portal'),
        execute: args => {
          const recid = recidOf(args);
          if (recid && /^\d+$/.test(recid)) {
            window.open(
              `${settings.portalUrl.replace(/\/+$/, '')}/record/${recid}`,
              '_blank',
              'noopener'
            );
          }
        }
      });

      const category = trans.__('CERN Open Data');
      for (const command of [CommandIDs.citeNotebook]) {
        palette?.addItem({ command, category });
      }

      // Rows of the panel open their record on click or Enter (the context menu has the rest).
      const list = browser.widget.node;
      const rowOf = (target: EventTarget | null) =>
        (target as HTMLElement | null)?.closest?.<HTMLElement>('.odl-RecordRow') ?? null;
      list.addEventListener('click', event => {
        const row = rowOf(event.target);
        if (row?.dataset.recid && !(event.target as HTMLElement).closest('a')) {
          void commands.execute(CommandIDs.openRecord, { recid: row.dataset.recid });
        }
      });
      list.addEventListener('keydown', event => {
        const row = rowOf(event.target);
        if (row?.dataset.recid && event.key === 'Enter' && event.target === row) {
          event.preventDefault();
          void commands.execute(CommandIDs.openRecord, { recid: row.dataset.recid });
        }
      });

      if (settingRegistry) {
        const apply = (s: ISettingRegistry.ISettings): void => {
          const get = <K extends keyof ICommandSettings>(key: K): ICommandSettings[K] =>
            (s.get(key).composite as ICommandSettings[K] | undefined) ?? DEFAULTS[key];
          settings.portalUrl = get('portalUrl');
          settings.source = get('source');
          settings.citationFormat = get('citationFormat');
          settings.loaderLanguages = get('loaderLanguages');
          settings.filesPageSize = get('filesPageSize');
          store.source = settings.source;
        };
        settingRegistry
          .load(BROWSER_PLUGIN_ID)
          .then(s => {
            apply(s);
            s.changed.connect(apply);
          })
          .catch(reason => console.error(`${RECORDS_PLUGIN_ID}: could not load settings`, reason));
      }
    }
  };
}

/** The notebook's kernel name and language: the running kernel's spec, else the notebook's metadata. */
async function kernelInfo(panel: NotebookPanel): Promise<IKernelInfo> {
  const kernel = panel.sessionContext.session?.kernel;
  const spec = kernel ? await kernel.spec.catch(() => undefined) : undefined;
  const meta = (panel.model?.getMetadata('kernelspec') ?? {}) as {
    name?: string;
    language?: string;
  };
  return {
    name: spec?.name ?? kernel?.name ?? meta.name,
    language: spec?.language ?? meta.language
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
