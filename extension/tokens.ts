// The extension's services: interfaces, types and tokens only, so any module (and any other
// extension) can depend on them without pulling in an implementation.
import type {
  CatalogIndex,
  CatalogRecord,
  CatalogSource,
  FacetCounts,
  FacetFilters,
  FacetName,
  RecordSummary,
  SearchOptions,
  SearchResult,
  SortOrder
} from '@opendata-lab/kernel-helpers/core';
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { Widget } from '@lumino/widgets';

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

/** The `source` setting: the bundled snapshot, the portal, or the portal with the snapshot as fallback. */
export type RecordSourceSetting = 'snapshot' | 'portal' | 'auto';

/** Which source gave an answer. */
export type RecordOrigin = 'snapshot' | 'portal';

/** Whether the portal answered the last time it was asked (null: not asked yet). */
export type PortalStatus = 'online' | 'offline' | null;

/** A full record and where it came from. */
export interface ILoadedRecord {
  record: CatalogRecord;
  origin: RecordOrigin;
}

/**
 * Records for the panel, the record view and the commands: the snapshot, the portal (through the
 * Jupyter server's route), the setting choosing between them and the portal's status.
 */
export interface IRecordSource {
  readonly catalog: ICatalogModel;
  setting: RecordSourceSetting;
  readonly settingChanged: ISignal<IRecordSource, RecordSourceSetting>;
  /** Whether a portal is configured at all. */
  readonly hasPortal: boolean;
  readonly portalStatus: PortalStatus;
  readonly portalStatusChanged: ISignal<IRecordSource, PortalStatus>;
  /** Whether the next search asks the portal (the setting allows it and it is not known down). */
  usesPortal(): boolean;
  snapshot(): Promise<CatalogSource>;
  /** The portal while it answers (per the setting), else the snapshot. */
  search(
    text: string,
    options: SearchOptions
  ): Promise<{ result: SearchResult; origin: RecordOrigin }>;
  /** A page from the source that answered the query. */
  searchIn(origin: RecordOrigin, text: string, options: SearchOptions): Promise<SearchResult>;
  /** A full record; under 'auto' a failing portal falls back to the snapshot. */
  get(recid: string | number): Promise<ILoadedRecord>;
  /** Asks the portal again at the next search or load. */
  retryPortal(): void;
}

export const IRecordSource = new Token<IRecordSource>(
  'opendata-lab:IRecordSource',
  'Where CERN Open Data records come from: the bundled snapshot or the portal, and its status.'
);

/** What the list asks for: free text, facet filters (portal URL form) and an order (null: the portal's default). */
export interface ISearchQuery {
  readonly text: string;
  readonly filters: FacetFilters;
  readonly sort: SortOrder | null;
}

/** The answer the list shows: counts and facets of the newest query, and which source gave them. */
export interface ISearchResults {
  readonly query: ISearchQuery;
  /** Matching records, as the source counts them. */
  readonly total: number;
  /** Rows the list can show: the portal serves only its first 10,000 hits. */
  readonly count: number;
  readonly facets: FacetCounts;
  readonly origin: RecordOrigin;
}

export type SearchStatus = 'idle' | 'searching' | 'ready' | 'error';

/** The browser's search: the query, its results block by block, and their status. */
export interface ISearchModel {
  readonly query: ISearchQuery;
  readonly results: ISearchResults | null;
  readonly status: SearchStatus;
  readonly error: Error | null;
  readonly changed: ISignal<ISearchModel, void>;
  setText(text: string): void;
  setFilter(facet: FacetName, values: readonly string[]): void;
  setSort(sort: SortOrder | null): void;
  /** The hit at a 0-based position of the current results, if it has arrived. */
  hit(index: number): RecordSummary | undefined;
  refresh(): Promise<void>;
}

/** The dataset browser service: other extensions can reach the panel and what it shows. */
export interface IOpenDataBrowser {
  /** The side panel (id `opendata-lab-browser`). */
  readonly widget: Widget;
  readonly source: IRecordSource;
  /** The panel's search: query, filters, sort, results. */
  readonly search: ISearchModel;
  /** The record of the row that has the keyboard focus in the panel, if any. */
  readonly focusedRecid: string | null;
}

export const IOpenDataBrowser = new Token<IOpenDataBrowser>(
  'opendata-lab:IOpenDataBrowser',
  'The CERN Open Data dataset browser: its side panel and the search it shows.'
);
