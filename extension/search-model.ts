import {
  errorCode,
  PORTAL_RESULT_CAP,
  type FacetFilters,
  type FacetName,
  type RecordSummary,
  type SearchOptions,
  type SortOrder
} from '@opendata-lab/kernel-helpers/core';
import { Signal, type ISignal } from '@lumino/signaling';
import { DEFAULT_SETTINGS } from './settings';
import type {
  IRecordSource,
  ISearchModel,
  ISearchQuery,
  ISearchResults,
  PortalStatus,
  RecordSourceSetting,
  SearchStatus
} from './tokens';

export type { ISearchQuery, ISearchResults, SearchStatus };

/**
 * The browser's list over a `CatalogSource`: the newest query's total, facet counts and hits, read
 * block by block as the virtual list scrolls. The snapshot answers by default; with the `portal`
 * or `auto` setting the portal answers while it can be reached, and the snapshot takes over when
 * it cannot. Only the newest query's answers are kept: a slower, older answer is dropped.
 */
export class SearchModel implements ISearchModel {
  constructor(options: SearchModel.IOptions) {
    this._records = options.source;
    this._blockSize = options.blockSize ?? DEFAULT_SETTINGS.pageSize;
    this._debounce = {
      snapshot: options.snapshotDebounceMs ?? SearchModel.SNAPSHOT_DEBOUNCE_MS,
      portal: options.portalDebounceMs ?? 250
    };
    // Another setting, or what a record load learnt of the portal, shows in the indicator; a
    // new setting asks the chosen source again.
    this._records.settingChanged.connect(this._onSetting, this);
    this._records.portalStatusChanged.connect(this._onPortalStatus, this);
  }

  /** Debounce of typed text over the snapshot: debounce + search + render stays within 50 ms. */
  static readonly SNAPSHOT_DEBOUNCE_MS = 5;

  get query(): ISearchQuery {
    return this._query;
  }

  get results(): ISearchResults | null {
    return this._results;
  }

  get status(): SearchStatus {
    return this._status;
  }

  get error(): Error | null {
    return this._error;
  }

  /** The portal's reachability as the list and the record loads last saw it; null: not asked. */
  get portalStatus(): PortalStatus {
    return this._records.portalStatus;
  }

  /** The `source` setting (shared with the record view and the commands). */
  get source(): RecordSourceSetting {
    return this._records.setting;
  }

  set source(value: RecordSourceSetting) {
    this._records.setting = value;
  }

  /** Hits fetched per request (the portal's page size). */
  get blockSize(): number {
    return this._blockSize;
  }

  set blockSize(value: number) {
    const size = Number.isInteger(value) && value > 0 ? value : DEFAULT_SETTINGS.pageSize;
    if (size !== this._blockSize) {
      this._blockSize = size;
      this._blocks = new Map(); // block numbers change with the size
      this._pending = new Set();
      if (this._status !== 'idle') this.refresh();
    }
  }

  /** Results, status or source changed: re-render counts, facets and the list. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Hits of the current results arrived: re-render the rows. */
  get rowsChanged(): ISignal<this, void> {
    return this._rowsChanged;
  }

  /** Typed text: searched after a short debounce; anything in flight for older text is dropped. */
  setText(text: string): void {
    if (text === this._query.text) return;
    this._query = { ...this._query, text };
    this._generation++; // answers to the previous text are stale from now on
    this._clearTimer();
    const delay = this._records.usesPortal() ? this._debounce.portal : this._debounce.snapshot;
    this._timer = setTimeout(() => {
      this._timer = null;
      this.refresh();
    }, delay);
  }

  /** The values selected in one facet (alternatives); an empty list clears it. */
  setFilter(facet: FacetName, values: readonly string[]): void {
    const filters: FacetFilters = { ...this._query.filters };
    if (values.length) filters[facet] = [...values];
    else delete filters[facet];
    this._query = { ...this._query, filters };
    this.refresh();
  }

  /** Selects or deselects one facet value. */
  toggle(facet: FacetName, key: string): void {
    const selected = this.selected(facet);
    this.setFilter(
      facet,
      selected.includes(key) ? selected.filter(k => k !== key) : [...selected, key]
    );
  }

  /** The selected values of a facet. */
  selected(facet: FacetName): string[] {
    const value = this._query.filters[facet];
    return value === undefined ? [] : Array.isArray(value) ? [...value] : [value];
  }

  /** Years from..to, either end open (null); both null clears the year filter. */
  setYearRange(from: number | null, to: number | null): void {
    if (from !== null && to !== null && to < from) [from, to] = [to, from];
    const range = from === null && to === null ? [] : [`${from ?? ''}--${to ?? ''}`];
    this.setFilter('year', from !== null && from === to ? [String(from)] : range);
  }

  /** The year filter as from/to (null: open). */
  get yearRange(): [number | null, number | null] {
    const [value] = this.selected('year');
    if (value === undefined) return [null, null];
    const [lo, hi = lo] = value.split('--');
    return [lo ? Number(lo) : null, hi ? Number(hi) : null];
  }

  clearFilters(): void {
    if (Object.keys(this._query.filters).length) {
      this._query = { ...this._query, filters: {} };
      this.refresh();
    }
  }

  /** An order, or null for the portal's default (best match with text, most recent without). */
  setSort(sort: SortOrder | null): void {
    if (sort !== this._query.sort) {
      this._query = { ...this._query, sort };
      this.refresh();
    }
  }

  /** Asks the portal again now (it is otherwise retried at most every 30 s while unreachable). */
  retryPortal(): void {
    this._records.retryPortal();
    void this.refresh();
  }

  /** Runs the current query now; the answer replaces the results unless a newer query started. */
  refresh(): Promise<void> {
    this._clearTimer();
    const generation = ++this._generation;
    const query = this._query;
    // The previous results stay listed (busy) until the answer replaces them.
    this._status = 'searching';
    this._changed.emit();
    return this._records.search(query.text, this._options(query, 1)).then(
      ({ result, origin }) => {
        if (generation !== this._generation) return;
        const count =
          origin === 'portal' ? Math.min(result.total, PORTAL_RESULT_CAP) : result.total;
        this._results = { query, total: result.total, count, facets: result.facets, origin };
        this._blocks = new Map([[0, result.hits]]);
        this._pending = new Set();
        this._status = 'ready';
        this._error = null;
        this._changed.emit();
      },
      (reason: unknown) => {
        if (generation !== this._generation) return;
        this._status = 'error';
        this._error = reason instanceof Error ? reason : new Error(String(reason));
        if (this._results?.origin === 'snapshot' && this._records.setting === 'portal') {
          // Rows of the snapshot must not stay listed as if the portal had sent them.
          this._results = null;
          this._blocks = new Map();
        }
        this._changed.emit();
      }
    );
  }

  /** The hit at a 0-based position of the current results, if its block has arrived. */
  hit(index: number): RecordSummary | undefined {
    const block = this._blocks.get(Math.floor(index / this._blockSize));
    return block?.[index % this._blockSize];
  }

  /**
   * Whether the position's block arrived without it: the portal counted a hit that its page
   * left out or that failed the record checks (dropped, see PortalCatalog). It will not come.
   */
  skipped(index: number): boolean {
    const block = this._blocks.get(Math.floor(index / this._blockSize));
    return block !== undefined && index % this._blockSize >= block.length;
  }

  /** Fetches the blocks of hits `start`..`end` (exclusive) not held yet; `rowsChanged` tells when they arrive. */
  ensure(start: number, end: number): void {
    if (this._results?.origin !== 'portal') {
      this._fetchBlocks(start, end);
      return;
    }
    // Scrolling fast through the portal's hits would request every block passed over: ask for
    // the range the list shows a moment later instead.
    this._wanted = [start, end];
    this._blockTimer ??= setTimeout(() => {
      this._blockTimer = null;
      this._fetchBlocks(...this._wanted);
    }, 80);
  }

  private _fetchBlocks(start: number, end: number): void {
    const results = this._results;
    if (!results || this._status !== 'ready') return;
    const size = this._blockSize;
    const last = Math.min(end, results.count) - 1;
    for (let b = Math.floor(Math.max(0, start) / size); b * size <= last; b++) {
      if (this._blocks.has(b) || this._pending.has(b)) continue;
      this._pending.add(b);
      const generation = this._generation;
      const pending = this._pending;
      const origin = results.origin;
      this._records.searchIn(origin, results.query.text, this._options(results.query, b + 1)).then(
        found => {
          if (generation !== this._generation) return;
          pending.delete(b);
          this._blocks.set(b, found.hits);
          this._rowsChanged.emit();
        },
        (reason: unknown) => {
          if (generation !== this._generation) return;
          pending.delete(b);
          if (origin === 'portal' && errorCode(reason) !== 'E_USAGE') {
            // The portal went away mid-list (now marked offline): answer again from the snapshot.
            void this.refresh();
          }
        }
      );
    }
  }

  dispose(): void {
    this._clearTimer();
    if (this._blockTimer !== null) clearTimeout(this._blockTimer);
    this._generation++;
    this._records.settingChanged.disconnect(this._onSetting, this);
    this._records.portalStatusChanged.disconnect(this._onPortalStatus, this);
    Signal.clearData(this);
  }

  private _onSetting(): void {
    if (this._status !== 'idle') void this.refresh();
    else this._changed.emit();
  }

  private _onPortalStatus(): void {
    this._changed.emit();
  }

  private _options(query: ISearchQuery, page: number): SearchOptions {
    const options: SearchOptions = { ...query.filters, page, size: this._blockSize };
    if (query.sort) options.sort = query.sort;
    return options;
  }

  private _clearTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private readonly _records: IRecordSource;
  private readonly _debounce: { snapshot: number; portal: number };
  private _blockSize: number;
  private _query: ISearchQuery = { text: '', filters: {}, sort: null };
  private _results: ISearchResults | null = null;
  private _status: SearchStatus = 'idle';
  private _error: Error | null = null;
  private _generation = 0;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _blocks = new Map<number, RecordSummary[]>();
  private _pending = new Set<number>();
  private _wanted: [number, number] = [0, 0];
  private _blockTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly _changed = new Signal<this, void>(this);
  private readonly _rowsChanged = new Signal<this, void>(this);
}

export namespace SearchModel {
  export interface IOptions {
    /** The records' source: the snapshot, the portal, the setting and its status. */
    source: IRecordSource;
    blockSize?: number;
    snapshotDebounceMs?: number;
    portalDebounceMs?: number;
  }
}
