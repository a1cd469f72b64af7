import {
  errorCode,
  IndexedCatalog,
  OpenDataError,
  type CatalogSource,
  type SearchOptions,
  type SearchResult,
  type ShardLoader
} from '@opendata-lab/kernel-helpers/core';
import { Signal, type ISignal } from '@lumino/signaling';
import type {
  ICatalogModel,
  ILoadedRecord,
  IRecordSource,
  PortalStatus,
  RecordOrigin,
  RecordSourceSetting
} from './tokens';

/**
 * Where records come from, for everything in the extension: the bundled snapshot, the portal
 * through the server route, the `source` setting that chooses between them, and whether the portal
 * answered last time. Searches and record loads share one status: when either finds the portal
 * unreachable, both use the snapshot until the retry period ends (or `retryPortal`).
 */
export class RecordSource implements IRecordSource {
  constructor(options: RecordSource.IOptions) {
    this.catalog = options.catalog;
    this._snapshot = options.snapshot ?? snapshotSource(options.catalog, options.loadShard);
    this._portal = options.portal ?? null;
    this._retryMs = options.portalRetryMs ?? 30_000;
  }

  readonly catalog: ICatalogModel;

  get setting(): RecordSourceSetting {
    return this._setting;
  }

  /** A new setting forgets what was known of the portal. */
  set setting(value: RecordSourceSetting) {
    if (value === this._setting) return;
    this._setting = value;
    this._offlineSince = -Infinity;
    this._status = null;
    this._settingChanged.emit(value);
  }

  get settingChanged(): ISignal<this, RecordSourceSetting> {
    return this._settingChanged;
  }

  get hasPortal(): boolean {
    return this._portal !== null;
  }

  get portalStatus(): PortalStatus {
    return this._status;
  }

  get portalStatusChanged(): ISignal<this, PortalStatus> {
    return this._statusChanged;
  }

  /**
   * Whether the portal is asked: always under 'portal' (it is the only source then), under 'auto'
   * while it is not known to be down.
   */
  usesPortal(): boolean {
    if (this._portal === null || this._setting === 'snapshot') return false;
    return this._setting === 'portal' || Date.now() - this._offlineSince >= this._retryMs;
  }

  snapshot(): Promise<CatalogSource> {
    return this._snapshot();
  }

  async search(
    text: string,
    options: SearchOptions
  ): Promise<{ result: SearchResult; origin: RecordOrigin }> {
    if (this.usesPortal()) {
      try {
        return { result: await this.searchIn('portal', text, options), origin: 'portal' };
      } catch (error) {
        // Only 'auto' falls back: under 'portal', snapshot rows would look like the portal's.
        if (errorCode(error) === 'E_USAGE' || this._setting === 'portal') throw error;
      }
    }
    return { result: await this.searchIn('snapshot', text, options), origin: 'snapshot' };
  }

  /** A page from one source; a portal that fails is marked offline. */
  async searchIn(
    origin: RecordOrigin,
    text: string,
    options: SearchOptions
  ): Promise<SearchResult> {
    if (origin === 'snapshot') {
      return (await this._snapshot()).search(text, options);
    }
    return this._ask(() => this._portal!.search(text, options));
  }

  /** The record; with 'auto', a failing portal falls back to the snapshot. */
  async get(recid: string | number): Promise<ILoadedRecord> {
    if (this.usesPortal()) {
      try {
        return { record: await this._ask(() => this._portal!.get(recid)), origin: 'portal' };
      } catch (error) {
        if (this._setting === 'portal') throw error;
      }
    }
    return { record: await (await this._snapshot()).get(recid), origin: 'snapshot' };
  }

  /** Asks the portal again at the next search or load. */
  retryPortal(): void {
    this._offlineSince = -Infinity;
  }

  /** One portal request; its outcome sets the status (a missing record says nothing of it). */
  private async _ask<T>(request: () => Promise<T>): Promise<T> {
    try {
      const answer = await request();
      this._offlineSince = -Infinity;
      this._setStatus('online');
      return answer;
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'E_NOT_FOUND' && code !== 'E_USAGE') {
        this._offlineSince = Date.now();
        this._setStatus('offline');
      }
      throw error;
    }
  }

  private _setStatus(status: PortalStatus): void {
    if (status !== this._status) {
      this._status = status;
      this._statusChanged.emit(status);
    }
  }

  private readonly _snapshot: () => Promise<CatalogSource>;
  private readonly _portal: CatalogSource | null;
  private readonly _retryMs: number;
  private _setting: RecordSourceSetting = 'snapshot';
  private _status: PortalStatus = null;
  private _offlineSince = -Infinity;
  private readonly _settingChanged = new Signal<this, RecordSourceSetting>(this);
  private readonly _statusChanged = new Signal<this, PortalStatus>(this);
}

export namespace RecordSource {
  export interface IOptions {
    /** The snapshot's index, loaded on first use. */
    catalog: ICatalogModel;
    /** Shards of full records of the snapshot (the record view's; the list needs only the index). */
    loadShard?: ShardLoader;
    /** The snapshot as a catalog source; default: the index with `loadShard`. */
    snapshot?: () => Promise<CatalogSource>;
    /** The portal through the server route; none: snapshot only. */
    portal?: CatalogSource | null;
    /** How long an unreachable portal is left alone before it is asked again. */
    portalRetryMs?: number;
  }
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
