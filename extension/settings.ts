import { PORTAL_URL, type CitationFormat } from '@opendata-lab/kernel-helpers/core';
import type { RecordSourceSetting } from './tokens';

/** The settings of `schema/browser.json`, read by the source, the browser and the record commands. */
export interface IBrowserSettings {
  pageSize: number;
  source: RecordSourceSetting;
  portalUrl: string;
  citationFormat: CitationFormat;
  loaderLanguages: Record<string, string>;
  filesPageSize: number;
}

/** The schema's defaults, for use before the settings load or without a registry (a test keeps them equal). */
export const DEFAULT_SETTINGS: Readonly<IBrowserSettings> = {
  pageSize: 20,
  source: 'snapshot',
  portalUrl: PORTAL_URL,
  citationFormat: 'bibtex',
  loaderLanguages: {},
  filesPageSize: 50
};

/** The plugin whose settings file is `schema/browser.json` (plugin id `<package>:<schema name>`). */
export const BROWSER_PLUGIN_ID = 'opendata-lab:browser';
