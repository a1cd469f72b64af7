import {
  IndexedCatalog,
  PortalCatalog,
  type CatalogRecord,
  type CatalogSource,
  type FetchLike,
  type ShardLoader
} from '@opendata-lab/kernel-helpers/core';
import { Signal, type ISignal } from '@lumino/signaling';
import type { ICatalogModel } from './tokens';

/** Where records come from: the bundled snapshot, the portal (through the server route), or the portal with the snapshot as fallback. */
export type RecordSourceSetting = 'snapshot' | 'portal' | 'auto';

/** A full record and where it came from. */
export interface ILoadedRecord {
  record: CatalogRecord;
  origin: 'snapshot' | 'portal';
}

/** Whether the portal route answered the last time it was asked (null: not asked yet). */
export type PortalStatus = 'online' | 'offline' | null;

/**
 * Full records for the record view and the commands. The snapshot's shards are loaded lazily;
 * the portal is reached only through the Jupyter server's route (the server decides the host).
 */
export class RecordStore {
  constructor(options: RecordStore.IOptions) {
    this._catalog = options.catalog;
    this._loadShard = options.loadShard;
    this._portal = options.portalFetch
      ? new PortalCatalog(options.portalBase ?? '', {
          fetch: options.portalFetch,
          timeoutMs: options.timeoutMs ?? 15_000
        })
      : null;
  }

  /** Which source `get` asks first; 'snapshot' never touches the network. */
  source: RecordSourceSetting = 'snapshot';

  get portalStatus(): PortalStatus {
    return this._status;
  }

  get portalStatusChanged(): ISignal<this, PortalStatus> {
    return this._statusChanged;
  }

  /** The record; with 'auto', a failing portal falls back to the snapshot. */
  async get(recid: string | number): Promise<ILoadedRecord> {
    const usePortal = this._portal !== null && this.source !== 'snapshot';
    if (usePortal) {
      try {
        const record = await this._portal!.get(recid);
        this._setStatus('online');
        return { record, origin: 'portal' };
      } catch (error) {
        const notFound = (error as { code?: string }).code === 'E_NOT_FOUND';
        if (!notFound) {
          this._setStatus('offline');
        }
        if (this.source === 'portal') {
          throw error;
        }
      }
    }
    return { record: await (await this._snapshot()).get(recid), origin: 'snapshot' };
  }

  /** The snapshot as a catalog source (its index is the browser's). */
  private async _snapshot(): Promise<CatalogSource> {
    if (!this._indexed) {
      const index = await this._catalog.load();
      this._indexed = new IndexedCatalog(index, this._loadShard, 'bundled snapshot');
    }
    return this._indexed;
  }

  private _setStatus(status: PortalStatus): void {
    if (status !== this._status) {
      this._status = status;
      this._statusChanged.emit(status);
    }
  }

  private readonly _catalog: ICatalogModel;
  private readonly _loadShard: ShardLoader;
  private readonly _portal: PortalCatalog | null;
  private _indexed: IndexedCatalog | null = null;
  private _status: PortalStatus = null;
  private readonly _statusChanged = new Signal<this, PortalStatus>(this);
}

/**
 * The browser's portal indicator follows what record loads learn as well as searches: a record
 * that fails to load from the portal turns it offline (the record itself comes from the
 * snapshot, under 'auto'). Returns the disconnector.
 */
export function shareRecordPortalStatus(
  store: RecordStore,
  search: { notePortalStatus(status: 'online' | 'offline'): void }
): () => void {
  const follow = (_: RecordStore, status: PortalStatus) => {
    if (status !== null) search.notePortalStatus(status);
  };
  store.portalStatusChanged.connect(follow);
  return () => store.portalStatusChanged.disconnect(follow);
}

export namespace RecordStore {
  export interface IOptions {
    catalog: ICatalogModel;
    loadShard: ShardLoader;
    /** The server route's base (`<base_url>opendata-lab/portal`) and an authenticated fetch for it. */
    portalBase?: string;
    portalFetch?: FetchLike;
    timeoutMs?: number;
  }
}
