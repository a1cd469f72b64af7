import {
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Clipboard,
  ICommandPalette,
  ISanitizer,
  MainAreaWidget,
  Notification,
  Sanitizer,
  WidgetTracker
} from '@jupyterlab/apputils';
import { INotebookTracker, type NotebookPanel } from '@jupyterlab/notebook';
import { ILatexTypesetter } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  CITATION_FORMATS,
  clipText,
  loaderCode,
  daskLoaderCode,
  texToText,
  typescriptKernelOf,
  type CitationFormat
} from '@opendata-lab/kernel-helpers/core';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { citingPapersThroughServer } from './cited-by';
import { CommandIDs } from './commands';
import { TRANSLATION_DOMAIN } from './i18n';
import { openDataIcon } from './icons';
import {
  bibliography,
  citationMarkdown,
  insertLoaderCell,
  namesInNotebook,
  insertMarkdownCell,
  loaderLanguageFor,
  recidsInNotebook,
  type IKernelInfo
} from './notebook-cells';
import type { IIndexLoader } from './index-loader';
import { RecordView, recordTitleFrom } from './record-view';
import { BROWSER_PLUGIN_ID, DEFAULT_SETTINGS, type IBrowserSettings } from './settings';
import { IOpenDataBrowser, IRecordSource } from './tokens';

export const RECORDS_PLUGIN_ID = 'opendata-lab:records';

/** Context menu items pass this, so their command acts on the row the menu opened on. */
const FROM_CONTEXT_MENU = 'context-menu';

/**
 * The record view and the record commands: open, insert loader, cite, cite the notebook's
 * datasets, open on the portal. A command acts on the record its arguments name, else on the
 * row the context menu opened on, the focused row of the panel, or the record tab in front.
 */
export function createRecordsPlugin(
  options: { indexLoader?: IIndexLoader | null } = {}
): JupyterFrontEndPlugin<void> {
  return {
    id: RECORDS_PLUGIN_ID,
    description:
      'Record view and commands of the CERN Open Data browser: insert loader, cite, open on the portal.',
    autoStart: true,
    requires: [IRecordSource],
    optional: [
      IOpenDataBrowser,
      ILayoutRestorer,
      INotebookTracker,
      ISanitizer,
      ICommandPalette,
      ISettingRegistry,
      ITranslator,
      ILatexTypesetter
    ],
    activate: (
      app: JupyterFrontEnd,
      source: IRecordSource,
      browser: IOpenDataBrowser | null,
      restorer: ILayoutRestorer | null,
      notebooks: INotebookTracker | null,
      sanitizer: IRenderMime.ISanitizer | null,
      palette: ICommandPalette | null,
      settingRegistry: ISettingRegistry | null,
      translator: ITranslator | null,
      latexTypesetter: IRenderMime.ILatexTypesetter | null
    ): void => {
      translator = translator ?? nullTranslator;
      const trans = translator.load(TRANSLATION_DOMAIN);
      const settings: IBrowserSettings = { ...DEFAULT_SETTINGS };
      const tracker = new WidgetTracker<MainAreaWidget<RecordView>>({
        namespace: 'opendata-lab-record'
      });
      const { commands } = app;

      /** The record tab in front of the main area, if any. */
      const shownRecid = (): string | null => {
        const widget = tracker.currentWidget;
        return widget && app.shell.currentWidget === widget ? widget.content.recid : null;
      };

      /**
       * The record a command acts on: its arguments' `recid`; from the context menu, the row it
       * opened on; else the row with the keyboard focus, else the record tab in front.
       */
      const recidOf = (args: ReadonlyPartialJSONObject): string | null => {
        if (args.recid !== undefined && args.recid !== null) {
          return String(args.recid);
        }
        if (args.origin === FROM_CONTEXT_MENU) {
          const row = app.contextMenuHitTest(node => !!node.dataset?.recid);
          return row?.dataset.recid ?? null;
        }
        return browser?.focusedRecid ?? shownRecid();
      };
      const hasRecord = (args: ReadonlyPartialJSONObject) => recidOf(args) !== null;

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
          let widget = tracker.find(w => w.content.recid === recid);
          if (!widget) {
            const content = new RecordView({
              sanitizer: sanitizer ?? new Sanitizer(),
              translator: translator ?? undefined,
              commands,
              filesPageSize: settings.filesPageSize,
              latexTypesetter,
              indexLoader: options.indexLoader,
              portalOnline: () =>
                source.portalStatus === null ? null : source.portalStatus === 'online',
              recordTitle: recordTitleFrom(source.catalog),
              // INSPIRE's papers citing the dataset, through the server route (issue 15).
              citingPapers: citingPapersThroughServer,
              // The snapshot source promises no network: INSPIRE only when asked.
              askBeforeNetwork: () => source.setting === 'snapshot'
            });
            widget = new MainAreaWidget({ content });
            widget.id = `opendata-lab-record-${recid}`;
            widget.addClass('odl-RecordPanel');
            widget.title.label = trans.__('Record %1', recid);
            widget.title.icon = openDataIcon;
            widget.title.closable = true;
            app.shell.add(widget, 'main');
            const view = content;
            void view.showRecord(
              source.get(recid).then(loaded => {
                // Tabs show text, not markup: TeX in titles becomes readable characters.
                // Cut first: a portal answer's megabyte title froze the tab bar (issue 18).
                const title = texToText(clipText(String(loaded.record.title ?? ''), 300));
                widget!.title.label = title ? `${recid}: ${title}` : trans.__('Record %1', recid);
                widget!.title.caption = title;
                return loaded;
              }),
              recid
            );
            void tracker.add(widget); // after showRecord: the tracker saves the view's recid
          }
          app.shell.activateById(widget.id);
        }
      });
      // Files say whether they can be downloaded now: follow what the source learns of the portal.
      source.portalStatusChanged.connect(() => tracker.forEach(w => w.content.refreshFileStatus()));

      // Record tabs come back after a reload, as notebooks do.
      void restorer?.restore(tracker, {
        command: CommandIDs.openRecord,
        args: widget => ({ recid: widget.content.recid }),
        name: widget => widget.content.recid ?? ''
      });

      commands.addCommand(CommandIDs.insertLoader, {
        label: args =>
          args.whole === 'dask'
            ? trans.__('Insert Loader Cell: Whole Record on Dask (Python)')
            : trans.__('Insert Loader Cell'),
        caption: trans.__(
          'Insert a code cell that loads the record (or the chosen file) below the active cell'
        ),
        isEnabled: hasRecord,
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
            const { record } = await source.get(recid);
            if (args.whole === 'dask' && language !== 'python') {
              throw new Error(trans.__('the whole record on Dask needs a Python kernel'));
            }
            const taken = panel.model ? namesInNotebook(panel.model) : undefined;
            const cell =
              args.whole === 'dask'
                ? daskLoaderCode(record, { taken, portal: settings.portalUrl })
                : loaderCode(record, {
                    // A second loader gets its own variable names instead of overwriting the first's.
                    taken,
                    language,
                    // Deno's kernels import the helpers their own way (TYPESCRIPT_IMPORTS).
                    kernel: typescriptKernelOf(kernel.name),
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
        isEnabled: hasRecord,
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
            const { record } = await source.get(recid);
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
            const records = await Promise.all(recids.map(async r => (await source.get(r)).record));
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
        isEnabled: hasRecord,
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
      for (const command of [
        CommandIDs.insertLoader,
        CommandIDs.openOnPortal,
        CommandIDs.citeNotebook
      ]) {
        palette?.addItem({ command, category });
      }
      palette?.addItem({ command: CommandIDs.insertLoader, category, args: { whole: 'dask' } });
      for (const target of ['clipboard', 'markdown']) {
        palette?.addItem({ command: CommandIDs.cite, category, args: { target } });
      }

      if (settingRegistry) {
        const apply = (s: ISettingRegistry.ISettings): void => {
          const get = <K extends keyof IBrowserSettings>(key: K): IBrowserSettings[K] =>
            (s.get(key).composite as IBrowserSettings[K] | undefined) ?? DEFAULT_SETTINGS[key];
          settings.portalUrl = get('portalUrl');
          settings.citationFormat = get('citationFormat');
          settings.loaderLanguages = get('loaderLanguages');
          settings.filesPageSize = get('filesPageSize');
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
