import { readFileSync } from 'fs';
import * as path from 'path';
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, type ICommandPalette } from '@jupyterlab/apputils';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { ContentsManager, type Contents } from '@jupyterlab/services';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import {
  BINDER_PLUGIN_ID,
  DEFAULT_BINDER_SETTINGS,
  binderLink,
  createBinderLinkPlugin
} from '../../extension/binder-link';
import { CommandIDs } from '../../extension/commands';

const ROOT = path.resolve(__dirname, '../..');

describe('binderLink', () => {
  it('writes the link mybinder.org writes for a notebook of this repository', () => {
    // The form on mybinder.org (GitHub, ref, "URL to open": lab/tree/<path>) gives exactly this.
    expect(binderLink(DEFAULT_BINDER_SETTINGS, 'notebooks/00-index.ipynb')).toBe(
      'https://mybinder.org/v2/gh/opendata-lab/opendata-lab/HEAD?urlpath=lab%2Ftree%2Fnotebooks%2F00-index.ipynb'
    );
  });

  it('keeps names with spaces, #, ?, % and non-ASCII letters intact after both decodings', () => {
    const name = 'my notebooks/Z→μμ #1? 100%.ipynb';
    const link = binderLink({ ...DEFAULT_BINDER_SETTINGS, ref: 'class/2026' }, name);
    expect(link).not.toMatch(/[\s#]|→|μ/);
    const url = new URL(link);
    // BinderHub decodes the query, then JupyterLab decodes the path's segments.
    const urlpath = url.searchParams.get('urlpath')!;
    expect(urlpath.startsWith('lab/tree/')).toBe(true);
    expect(urlpath.slice('lab/tree/'.length).split('/').map(decodeURIComponent)).toEqual(
      name.split('/')
    );
    expect(url.pathname.split('/').map(decodeURIComponent)).toEqual([
      '',
      'v2',
      'gh',
      'opendata-lab',
      'opendata-lab',
      'class/2026'
    ]);
    expect([...url.searchParams.keys()]).toEqual(['urlpath']);
  });

  it('follows the settings: another repository, ref and BinderHub (with a base path)', () => {
    const link = binderLink(
      {
        repository: 'my-school/physics_2026',
        ref: 'v1.2',
        binderUrl: 'https://hub.example.org/binder/'
      },
      'a.ipynb'
    );
    expect(link).toBe(
      'https://hub.example.org/binder/v2/gh/my-school/physics_2026/v1.2?urlpath=lab%2Ftree%2Fa.ipynb'
    );
  });

  it.each([
    [{ repository: 'only-a-name' }, 'not a GitHub repository'],
    [{ repository: 'a/b/c' }, 'not a GitHub repository'],
    [{ repository: 'a/b?x=1' }, 'not a GitHub repository'],
    [{ ref: '  ' }, 'no ref'],
    [{ binderUrl: 'javascript:alert(1)' }, 'not an http\\(s\\) binderhub'],
    [{ binderUrl: 'mybinder.org' }, 'not an http\\(s\\) binderhub']
  ])('refuses settings %j', (override, message) => {
    expect(() => binderLink({ ...DEFAULT_BINDER_SETTINGS, ...override }, 'a.ipynb')).toThrow(
      new RegExp(message, 'i')
    );
  });

  it.each(['', '/', '../secret.ipynb', 'notebooks/../../x.ipynb'])('refuses the path %j', p => {
    expect(() => binderLink(DEFAULT_BINDER_SETTINGS, p)).toThrow(/not a file path/i);
  });
});

describe('schema/binder.json', () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'binder.json'), 'utf8'));

  it('is the settings file of the Binder plugin and matches its defaults', () => {
    expect(BINDER_PLUGIN_ID.split(':')[1]).toBe('binder');
    expect(Object.keys(schema.properties).sort()).toEqual(
      Object.keys(DEFAULT_BINDER_SETTINGS).sort()
    );
    for (const [key, value] of Object.entries(DEFAULT_BINDER_SETTINGS)) {
      expect([key, schema.properties[key].default]).toEqual([key, value]);
      expect(value).toMatch(new RegExp(schema.properties[key].pattern));
    }
  });

  it('puts the command in the File menu', () => {
    const file = schema['jupyter.lab.menus'].main.find(
      (m: { id: string }) => m.id === 'jp-mainmenu-file'
    );
    expect(file.items.map((i: { command: string }) => i.command)).toEqual([CommandIDs.binderLink]);
  });
});

it("README's Binder badge is the command's link of the tutorials' index", () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const badge = readme.match(
    /\[!\[Binder\]\(https:\/\/mybinder\.org\/badge_logo\.svg\)\]\(([^)]+)\)/
  );
  expect(badge?.[1]).toBe(binderLink(DEFAULT_BINDER_SETTINGS, 'notebooks/00-index.ipynb'));
});

describe(BINDER_PLUGIN_ID, () => {
  function activate(notebookPath: string | null) {
    const commands = new CommandRegistry();
    const contents = new ContentsManager();
    // A second drive, as the collaboration extension adds (its paths start with `RTC:`).
    contents.addDrive({
      name: 'RTC',
      fileChanged: new Signal(contents)
    } as unknown as Contents.IDrive);
    const app = { commands, serviceManager: { contents } } as unknown as JupyterFrontEnd;
    const tracker = {
      currentWidget: notebookPath === null ? null : { context: { path: notebookPath } }
    } as unknown as INotebookTracker;
    const palette = { addItem: jest.fn() } as unknown as ICommandPalette;
    createBinderLinkPlugin().activate(app, tracker, palette, null, null);
    return { commands, palette };
  }

  afterEach(() => {
    document.body.innerHTML = '';
    jest.restoreAllMocks();
  });

  it('is in the palette and disabled without a notebook', () => {
    const { commands, palette } = activate(null);
    expect(palette.addItem).toHaveBeenCalledWith({
      command: CommandIDs.binderLink,
      category: 'CERN Open Data'
    });
    expect(commands.label(CommandIDs.binderLink)).toBe('Binder Link of This Notebook…');
    expect(commands.isEnabled(CommandIDs.binderLink)).toBe(false);
  });

  it('shows the link of the current notebook (drive prefix dropped) and copies it', async () => {
    const copy = jest.spyOn(Clipboard, 'copyToSystem').mockImplementation(() => undefined);
    const { commands } = activate('RTC:notebooks/04 higgs.ipynb');
    expect(commands.isEnabled(CommandIDs.binderLink)).toBe(true);
    const done = commands.execute(CommandIDs.binderLink);
    const field = await waitFor(() =>
      document.querySelector<HTMLInputElement>('.odl-BinderLink-url')
    );
    const want =
      'https://mybinder.org/v2/gh/opendata-lab/opendata-lab/HEAD?urlpath=lab%2Ftree%2Fnotebooks%2F04%2520higgs.ipynb';
    expect(field.value).toBe(want);
    expect(document.querySelector('.odl-BinderLink a')?.getAttribute('href')).toBe(want);
    expect(copy).not.toHaveBeenCalled();
    const copyButton = [...document.querySelectorAll<HTMLButtonElement>('.jp-Dialog button')].find(
      b => b.textContent === 'Copy'
    );
    copyButton!.click();
    await done;
    expect(copy).toHaveBeenCalledWith(want);
  });
});

async function waitFor<T>(find: () => T | null): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const found = find();
    if (found) {
      return found;
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('not found');
}
