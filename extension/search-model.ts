import {
  IndexedCatalog,
  OpenDataError,
  PORTAL_RESULT_CAP,
  type ShardLoader,
  type CatalogSource,
  type FacetCounts,
  type FacetFilters,
  type FacetName,
  type RecordSummary,
  type SearchOptions,
  type SearchResult,
  type SortOrder
} from '@opendata-lab/kernel-helpers/core';
import { Signal, type ISignal } from '@lumino/signaling';
import type { PortalStatus, RecordSourceSetting } from './record-store';
import type { ICatalogModel } from './tokens';

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
  readonly origin: 'snapshot' | 'portal';
}

export type SearchStatus = 'idle' | 'searching' | 'ready' | 'error';

/**
 * The browser's list over a `CatalogSource`: the newest query's total, facet counts and hits, read
 * block by block as the virtual list scrolls. The snapshot answers by default; with the `portal`
 * or `auto` setting the portal answers while it can be reached, and the snapshot takes over when
 * it cannot. Only the newest query's answers are kept: a slower, older answer is dropped.
 */
export class SearchModel {
  constructor(options: SearchModel.IOptions) {
    this._snapshot = options.snapshot;
    this._portal = options.portal ?? null;
    this._blockSize = options.blockSize ?? 50;
    this._debounce = {
      snapshot: options.snapshotDebounceMs ?? SearchModel.SNAPSHOT_DEBOUNCE_MS,
      portal: options.portalDebounceMs ?? 250
    };
    this._retryMs = options.portalRetryMs ?? 30_000;
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

  /** The portal's reachability as the list last saw it; null while it has not been asked. */
  get portalStatus(): PortalStatus {
    return this._portalStatus;
  }

  get source(): RecordSourceSetting {
    return this._source;
  }

  /**
   * What another part of the extension (the record view) learnt of the portal. 'offline' turns
   * the indicator offline and sends searches to the snapshot until the retry period ends or
   * retryPortal, as the list's own failures do; 'online' ends an offline period.
   */
  notePortalStatus(status: 'online' | 'offline'): void {
    if (this._portal === null || this._source === 'snapshot') return;
    if (status === 'offline') {
      this._markOffline();
    } else {
      this._offlineSince = -Infinity;
      this._setPortalStatus('online');
    }
  }

  set source(value: RecordSourceSetting) {
    if (value !== this._source) {
      this._source = value;
      this._portalStatus = null;
      this._offlineSince = -Infinity;
      if (this._status !== 'idle') this.refresh();
      else this._changed.emit();
    }
  }

  /** Hits fetched per request (the portal's page size). */
  get blockSize(): number {
    return this._blockSize;
  }

  set blockSize(value: number) {
    const size = Number.isInteger(value) && value > 0 ? value : 50;
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
    const delay = this._usesPortal() ? this._debounce.portal : this._debounce.snapshot;
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
    this._offlineSince = -Infinity;
    this.refresh();
  }

  /** Runs the current query now; the answer replaces the results unless a newer query started. */
  refresh(): Promise<void> {
    this._clearTimer();
    const generation = ++this._generation;
    const query = this._query;
    // The previous results stay listed (busy) until the answer replaces them.
    this._status = 'searching';
    this._changed.emit();
    return this._answer(query, 1).then(
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
        this._changed.emit();
      }
    );
  }

  /** The hit at a 0-based position of the current results, if its block has arrived. */
  hit(index: number): RecordSummary | undefined {
    const block = this._blocks.get(Math.floor(index / this._blockSize));
    return block?.[index % this._blockSize];
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
      const source = results.origin === 'portal' ? this._portal! : null;
      const request = source
        ? source.search(results.query.text, this._options(results.query, b + 1))
        : this._snapshot().then(s =>
            s.search(results.query.text, this._options(results.query, b + 1))
          );
      request.then(
        found => {
          if (generation !== this._generation) return;
          pending.delete(b);
          this._blocks.set(b, found.hits);
          this._rowsChanged.emit();
        },
        (reason: unknown) => {
          if (generation !== this._generation) return;
          pending.delete(b);
          if (source && !isUsageError(reason)) {
            // The portal went away mid-list: answer the whole query from the snapshot.
            this._markOffline();
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
    Signal.clearData(this);
  }

  /** The portal while the setting asks for it and it is not known to be down; else the snapshot. */
  private async _answer(
    query: ISearchQuery,
    page: number
  ): Promise<{ result: SearchResult; origin: 'snapshot' | 'portal' }> {
    if (this._usesPortal()) {
      try {
        const result = await this._portal!.search(query.text, this._options(query, page));
        this._setPortalStatus('online');
        return { result, origin: 'portal' };
      } catch (error) {
        if (isUsageError(error)) throw error;
        this._markOffline();
      }
    }
    const snapshot = await this._snapshot();
    return {
      result: await snapshot.search(query.text, this._options(query, page)),
      origin: 'snapshot'
    };
  }

  private _usesPortal(): boolean {
    return (
      this._portal !== null &&
      this._source !== 'snapshot' &&
      Date.now() - this._offlineSince >= this._retryMs
    );
  }

  private _options(query: ISearchQuery, page: number): SearchOptions {
    const options: SearchOptions = { ...query.filters, page, size: this._blockSize };
    if (query.sort) options.sort = query.sort;
    return options;
  }

  private _markOffline(): void {
    this._offlineSince = Date.now();
    this._setPortalStatus('offline');
  }

  private _setPortalStatus(status: PortalStatus): void {
    if (status !== this._portalStatus) {
      this._portalStatus = status;
      this._changed.emit();
    }
  }

  private _clearTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private readonly _snapshot: () => Promise<CatalogSource>;
  private readonly _portal: CatalogSource | null;
  private readonly _debounce: { snapshot: number; portal: number };
  private readonly _retryMs: number;
  private _blockSize: number;
  private _source: RecordSourceSetting = 'snapshot';
  private _query: ISearchQuery = { text: '', filters: {}, sort: null };
  private _results: ISearchResults | null = null;
  private _status: SearchStatus = 'idle';
  private _error: Error | null = null;
  private _portalStatus: PortalStatus = null;
  private _offlineSince = -Infinity;
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
    /** The bundled snapshot as a catalog source (loaded on first use). */
    snapshot: () => Promise<CatalogSource>;
    /** The portal through the server route; none: snapshot only. */
    portal?: CatalogSource | null;
    blockSize?: number;
    snapshotDebounceMs?: number;
    portalDebounceMs?: number;
    /** How long an unreachable portal is left alone before it is asked again. */
    portalRetryMs?: number;
  }
}

function isUsageError(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'E_USAGE';
}

/**
 * The bundled snapshot as a catalog source, made once its index has loaded. Its search engine is
 * built and a prefix query run right away, so the first keystroke pays for neither.
 */
export function snapshotSource(
  catalog: ICatalogModel,
  loadShard: ShardLoader = name =>
    Promise.reject(new OpenDataError('E_UNSUPPORTED', `no shard loader for ${name}`))
): () => Promise<IndexedCatalog> {
  let source: Promise<IndexedCatalog> | null = null;
  return () =>
    (source ??= catalog.load().then(
      index => {
        const indexed = new IndexedCatalog(index, loadShard, 'bundled snapshot');
        indexed.engine.search('a', { size: 1 });
        return indexed;
      },
      error => {
        source = null; // a failed load may be retried
        throw error;
      }
    ));
}
