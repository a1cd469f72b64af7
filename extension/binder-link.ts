import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Clipboard, Dialog, ICommandPalette, Notification, showDialog } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { CommandIDs } from './commands';
import { TRANSLATION_DOMAIN } from './i18n';

/** The plugin whose settings file is `schema/binder.json`. */
export const BINDER_PLUGIN_ID = 'opendata-lab:binder';

/** The settings of `schema/binder.json`. */
export interface IBinderSettings {
  /** `owner/name` of the GitHub repository Binder builds. */
  repository: string;
  /** Branch, tag or commit; `HEAD` is the repository's default branch. */
  ref: string;
  /** The BinderHub that builds and serves it. */
  binderUrl: string;
}

/** The schema's defaults: this project's repository on mybinder.org (a test keeps them equal). */
export const DEFAULT_BINDER_SETTINGS: Readonly<IBinderSettings> = {
  repository: 'opendata-lab/opendata-lab',
  ref: 'HEAD',
  binderUrl: 'https://mybinder.org'
};

const GITHUB_REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * The BinderHub link that opens `path` (relative to the repository's root) in JupyterLab:
 * `<binder>/v2/gh/<owner>/<name>/<ref>?urlpath=lab/tree/<path>`. The path's segments are
 * percent-encoded as a URL path, and urlpath as a whole as a query value (as mybinder.org's own
 * form writes it), so names with spaces, `#`, `?` or `%` arrive intact.
 */
export function binderLink(settings: IBinderSettings, path: string): string {
  const { repository, ref, binderUrl } = settings;
  if (!GITHUB_REPOSITORY.test(repository)) {
    throw new Error(`Not a GitHub repository (owner/name): ${JSON.stringify(repository)}`);
  }
  if (!ref.trim()) {
    throw new Error('No ref (branch, tag or commit) for the Binder link');
  }
  const base = httpUrl(binderUrl);
  if (!base) {
    throw new Error(`Not an http(s) BinderHub URL: ${JSON.stringify(binderUrl)}`);
  }
  const segments = path.split('/').filter(segment => segment !== '');
  if (segments.length === 0 || segments.some(s => s === '.' || s === '..')) {
    throw new Error(`Not a file path in the repository: ${JSON.stringify(path)}`);
  }
  const [owner, name] = repository.split('/');
  const spec = [owner, name, ref.trim()].map(encodeURIComponent).join('/');
  const urlpath = 'lab/tree/' + segments.map(encodeURIComponent).join('/');
  const query = new URLSearchParams({ urlpath }).toString();
  return `${base.href.replace(/\/+$/, '')}/v2/gh/${spec}?${query}`;
}

function httpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * The command "Binder Link of This Notebook…": the link that opens the current notebook on
 * Binder (repository and ref from the settings), in a dialog whose default button copies it.
 */
export function createBinderLinkPlugin(): JupyterFrontEndPlugin<void> {
  return {
    id: BINDER_PLUGIN_ID,
    description: 'The Binder link of the current notebook, to share a tutorial with a class.',
    autoStart: true,
    optional: [INotebookTracker, ICommandPalette, ISettingRegistry, ITranslator],
    activate: (
      app: JupyterFrontEnd,
      notebooks: INotebookTracker | null,
      palette: ICommandPalette | null,
      settingRegistry: ISettingRegistry | null,
      translator: ITranslator | null
    ): void => {
      const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
      const settings: IBinderSettings = { ...DEFAULT_BINDER_SETTINGS };
      const current = () => notebooks?.currentWidget ?? null;

      app.commands.addCommand(CommandIDs.binderLink, {
        label: trans.__('Binder Link of This Notebook…'),
        caption: trans.__('A link that opens this notebook on Binder, to share with a class'),
        isEnabled: () => current() !== null,
        execute: async () => {
          const panel = current();
          if (!panel) {
            return;
          }
          // The server's path without a drive prefix: the notebook's path in the repository when
          // JupyterLab runs at the repository's root, as on Binder and with `make lab`.
          const path = app.serviceManager.contents.localPath(panel.context.path);
          let link: string;
          try {
            link = binderLink(settings, path);
          } catch (error) {
            Notification.error(
              trans.__('No Binder link: %1 (Settings → Binder link).', (error as Error).message)
            );
            return;
          }
          const result = await showDialog({
            title: trans.__('Binder link of %1', path),
            body: linkBody(link, settings, trans),
            buttons: [
              Dialog.cancelButton({ label: trans.__('Close') }),
              Dialog.okButton({ label: trans.__('Copy') })
            ]
          });
          if (result.button.accept) {
            Clipboard.copyToSystem(link);
            Notification.success(trans.__('Binder link copied.'), { autoClose: 3000 });
          }
        }
      });
      palette?.addItem({ command: CommandIDs.binderLink, category: trans.__('CERN Open Data') });

      if (settingRegistry) {
        const apply = (s: ISettingRegistry.ISettings): void => {
          for (const key of Object.keys(DEFAULT_BINDER_SETTINGS) as (keyof IBinderSettings)[]) {
            settings[key] =
              (s.get(key).composite as string | undefined) ?? DEFAULT_BINDER_SETTINGS[key];
          }
        };
        settingRegistry
          .load(BINDER_PLUGIN_ID)
          .then(s => {
            apply(s);
            s.changed.connect(apply);
          })
          .catch(reason => console.error(`${BINDER_PLUGIN_ID}: could not load settings`, reason));
      }
    }
  };
}

/** The dialog's body: the link (selectable, and a link to follow) and what Binder will build. */
function linkBody(
  link: string,
  settings: IBinderSettings,
  trans: ReturnType<ITranslator['load']>
): Widget {
  const node = document.createElement('div');
  node.className = 'odl-BinderLink';
  const field = document.createElement('input');
  field.className = 'jp-mod-styled odl-BinderLink-url';
  field.readOnly = true;
  field.value = link;
  field.style.width = '100%';
  field.setAttribute('aria-label', trans.__('Binder link'));
  field.addEventListener('focus', () => field.select());
  const open = document.createElement('a');
  open.href = link;
  open.target = '_blank';
  open.rel = 'noopener noreferrer';
  open.textContent = trans.__('Open on Binder');
  const note = document.createElement('p');
  // textContent: the settings' text never becomes markup.
  note.textContent = trans.__(
    'Binder builds %1 at %2 as it is on GitHub: changes you have not pushed are not in it.',
    settings.repository,
    settings.ref
  );
  node.append(field, note, open);
  return new Widget({ node });
}
