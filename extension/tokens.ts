import type { CatalogIndex } from '@opendata-lab/kernel-helpers/core';
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { Widget } from '@lumino/widgets';
import type { SearchModel } from './search-model';

/** Where the bundled catalog snapshot is in its (lazy) life. */
export type CatalogState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly catalog: CatalogIndex }
  | { readonly status: 'error'; readonly error: Error };

/** The catalog snapshot, loaded once on demand and shared by everything that reads it. */
export interface ICatalogModel {
  readonly state: CatalogState;
  readonly stateChanged: ISignal<ICatalogModel, CatalogState>;
  /** Starts loading if nothing is loaded yet; after an error, a new call tries again. */
  load(): Promise<CatalogIndex>;
}

/** The dataset browser service: other extensions can reach the panel and the catalog it shows. */
export interface IOpenDataBrowser {
  /** The side panel (id `opendata-lab-browser`). */
  readonly widget: Widget;
  readonly catalog: ICatalogModel;
  /** The panel's search: query, filters, sort, results and which source answers. */
  readonly search: SearchModel;
}

export const IOpenDataBrowser = new Token<IOpenDataBrowser>(
  'opendata-lab:IOpenDataBrowser',
  'The CERN Open Data dataset browser: its side panel and the catalog snapshot it lists.'
);
