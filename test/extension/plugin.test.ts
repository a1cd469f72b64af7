import { readFileSync } from 'fs';
import * as path from 'path';
import { ILayoutRestorer, type JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { BROWSER_PLUGIN_ID, createBrowserPlugin } from '../../extension/browser-plugin';
import { OpenDataBrowser } from '../../extension/browser';
import { CommandIDs } from '../../extension/commands';
import { DEFAULT_SETTINGS } from '../../extension/settings';
import { createSourcePlugin } from '../../extension/source-plugin';
import { IOpenDataBrowser, IRecordSource } from '../../extension/tokens';
import { readSnapshot } from './snapshot-fixture';

const ROOT = path.resolve(__dirname, '../..');

function fakeApp() {
  const shell = { add: jest.fn(), activateById: jest.fn() };
  const app = { commands: new CommandRegistry(), shell } as unknown as JupyterFrontEnd;
  return { app, shell };
}

/** Settings whose `changed` signal is sent by the settings, as the registry's are. */
function fakeSettings(values: Record<string, unknown>) {
  const settings = {
    get: (key: string) => ({ composite: values[key] })
  } as unknown as ISettingRegistry.ISettings;
  const changed = new Signal<ISettingRegistry.ISettings, void>(settings);
  Object.assign(settings, { changed });
  const registry = {
    load: jest.fn(() => Promise.resolve(settings))
  } as unknown as ISettingRegistry;
  return { registry, changed, values };
}

/** The record source as the source plugin provides it: the snapshot fixture, no portal. */
function recordSource(app: JupyterFrontEnd): IRecordSource {
  const plugin = createSourcePlugin(() => Promise.resolve(readSnapshot()), { portalFetch: null });
  return plugin.activate(app, null) as IRecordSource;
}

describe(BROWSER_PLUGIN_ID, () => {
  const plugin = createBrowserPlugin();

  it('is an auto-started plugin that provides the browser service without requiring ILabShell', () => {
    expect(plugin.id).toBe('opendata-lab:browser');
    expect(plugin.description).toBeTruthy();
    expect(plugin.autoStart).toBe(true);
    expect(plugin.provides).toBe(IOpenDataBrowser);
    expect(plugin.requires).toEqual([IRecordSource]);
    expect(plugin.optional).toEqual([
      ILayoutRestorer,
      ICommandPalette,
      ISettingRegistry,
      ITranslator
    ]);
  });

  it('works with no optional service: adds the panel to the left area and a show command', async () => {
    const { app, shell } = fakeApp();
    const source = recordSource(app);
    const service = plugin.activate(app, source, null, null, null, null) as IOpenDataBrowser;

    expect(service.widget).toBeInstanceOf(OpenDataBrowser);
    expect(shell.add).toHaveBeenCalledWith(service.widget, 'left', { rank: expect.any(Number) });
    expect(app.commands.hasCommand(CommandIDs.showBrowser)).toBe(true);
    expect(app.commands.label(CommandIDs.showBrowser)).toBe('CERN Open Data Browser');

    await app.commands.execute(CommandIDs.showBrowser);
    expect(shell.activateById).toHaveBeenCalledWith('opendata-lab-browser');
    expect(service.source).toBe(source);
    expect(service.source.catalog.state.status).toBe('idle');
    service.widget.dispose();
  });

  it('registers with the restorer and the palette, and follows the pageSize setting', async () => {
    const { app } = fakeApp();
    const restorer = { add: jest.fn() };
    const palette = { addItem: jest.fn() } as unknown as ICommandPalette;
    const { registry, changed, values } = fakeSettings({ pageSize: 7 });

    const service = plugin.activate(
      app,
      recordSource(app),
      restorer,
      palette,
      registry,
      null
    ) as IOpenDataBrowser;
    const panel = service.widget as OpenDataBrowser;

    expect(restorer.add).toHaveBeenCalledWith(panel, 'opendata-lab-browser');
    expect(palette.addItem).toHaveBeenCalledWith({
      command: CommandIDs.showBrowser,
      category: 'CERN Open Data'
    });
    expect(registry.load).toHaveBeenCalledWith(BROWSER_PLUGIN_ID);
    await Promise.resolve();
    expect(panel.pageSize).toBe(7);

    values.pageSize = 12;
    changed.emit();
    expect(panel.pageSize).toBe(12);
    panel.dispose();
  });
});

describe('schema/browser.json', () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'browser.json'), 'utf8'));

  it('is the settings file of the browser plugin and matches its defaults', () => {
    // JupyterLab finds a plugin's schema as schemaDir/<plugin>.json, <plugin> after the colon.
    expect(BROWSER_PLUGIN_ID.split(':')[1]).toBe('browser');
    expect(schema.type).toBe('object');
    // The code's defaults (used before the settings load) are the schema's.
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      expect([key, schema.properties[key]?.default]).toEqual([key, value]);
    }
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
  });

  it('only names commands the extension defines', () => {
    const commands = new Set<string>(Object.values(CommandIDs));
    const menuItems = (schema['jupyter.lab.menus']?.main ?? []).flatMap(
      (menu: { items: { command: string }[] }) => menu.items
    );
    const shortcuts = schema['jupyter.lab.shortcuts'] ?? [];
    for (const { command } of [...menuItems, ...shortcuts]) {
      expect(commands.has(command)).toBe(true);
    }
  });
});
