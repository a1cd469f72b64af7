import { CatalogIndex } from '@opendata-lab/kernel-helpers/core';
import { Signal } from '@lumino/signaling';
import type { SnapshotLoader } from './snapshot';
import type { CatalogState, ICatalogModel } from './tokens';

/** Loads the catalog snapshot on the first `load()` and keeps it; failures can be retried. */
export class CatalogModel implements ICatalogModel {
  constructor(loader: SnapshotLoader) {
    this._loader = loader;
  }

  get state(): CatalogState {
    return this._state;
  }

  get stateChanged(): Signal<this, CatalogState> {
    return this._stateChanged;
  }

  load(): Promise<CatalogIndex> {
    if (!this._pending) {
      this._setState({ status: 'loading' });
      this._pending = Promise.resolve()
        .then(() => this._loader())
        .then(data => CatalogIndex.fromJSON(data, 'catalog snapshot'))
        .then(
          catalog => {
            this._setState({ status: 'ready', catalog });
            return catalog;
          },
          (reason: unknown) => {
            const error = reason instanceof Error ? reason : new Error(String(reason));
            this._pending = null;
            this._setState({ status: 'error', error });
            throw error;
          }
        );
    }
    return this._pending;
  }

  private _setState(state: CatalogState): void {
    this._state = state;
    this._stateChanged.emit(state);
  }

  private readonly _loader: SnapshotLoader;
  private _pending: Promise<CatalogIndex> | null = null;
  private _state: CatalogState = { status: 'idle' };
  private readonly _stateChanged = new Signal<this, CatalogState>(this);
}
