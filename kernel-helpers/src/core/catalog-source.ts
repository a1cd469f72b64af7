// One catalog interface, several sources: the bundled snapshot (or a directory of fixture files,
// indexed the same way) and the live portal (portal-catalog.ts). Browser-safe.
import type { CatalogRecord } from './catalog-build';
import { CatalogIndex } from './catalog-index';
import { CatalogSearch, SearchOptions, SearchResult } from './catalog-search';
import { OpenDataError } from './errors';
import { withRecordDisplay } from './record-display';

/** How a record is named: its recid, its DOI (case-insensitive) or its exact title. */
export type RecordKey = { recid: string | number } | { doi: string } | { title: string };

export interface CatalogSource {
  /** What to name in messages: "snapshot", a directory, a portal URL. */
  readonly name: string;
  /** One page of records matching free text and facet filters, with the portal's facet counts. */
  search(text?: string, options?: SearchOptions): Promise<SearchResult>;
  /** A record's metadata object as the portal has it; E_NOT_FOUND naming the recid. */
  get(recid: string | number): Promise<CatalogRecord>;
  /** A record by recid, DOI or exact title; an ambiguous title is E_USAGE listing the recids. */
  lookup(key: RecordKey): Promise<CatalogRecord>;
}

/** Loads one shard of full records (`records/NN.json.gz` parsed): node reads a file, a browser fetches. */
export type ShardLoader = (shardName: string) => Promise<Record<string, CatalogRecord>>;

/**
 * A catalog held as an index plus its full records: the bundled snapshot (records from shards
 * through `loadShard`) or fixture files read into memory. Search runs locally on the index.
 */
export class IndexedCatalog implements CatalogSource {
  readonly name: string;
  readonly index: CatalogIndex;
  private _search: CatalogSearch | null = null;
  private readonly _loadShard: ShardLoader;
  private readonly _shards = new Map<string, Promise<Record<string, CatalogRecord>>>();
  private _dois: Map<string, number> | null = null;
  private _titles: Map<string, number[]> | null = null;

  constructor(index: CatalogIndex, loadShard: ShardLoader, name = 'snapshot') {
    this.index = index;
    this._loadShard = loadShard;
    this.name = name;
  }

  /** The search engine over the index (its inverted index is built on first use). */
  get engine(): CatalogSearch {
    return (this._search ??= new CatalogSearch(this.index));
  }

  async search(text?: string, options?: SearchOptions): Promise<SearchResult> {
    return this.engine.search(text, options);
  }

  async get(recid: string | number): Promise<CatalogRecord> {
    const position = this.index.positionOf(String(recid).trim());
    if (position < 0) {
      throw new OpenDataError('E_NOT_FOUND', `record ${recid}: not in the ${this.name} catalog`);
    }
    const c = this.index.columns;
    const id = c.recid[position];
    if (!c.full[position]) {
      // A skeleton: the snapshot has only what the upstream skeleton files carry.
      const skeleton: CatalogRecord = { recid: id, title: c.title[position] };
      if (c.doi[position]) skeleton.doi = c.doi[position];
      return withRecordDisplay(skeleton);
    }
    const shardName = this.index.shardName(id);
    let shard = this._shards.get(shardName);
    if (!shard) {
      shard = this._loadShard(shardName);
      this._shards.set(shardName, shard);
      shard.catch(() => this._shards.delete(shardName)); // a failed load may be retried
    }
    const record = (await shard)[id];
    if (!record) {
      throw new OpenDataError(
        'E_FORMAT',
        `record ${id}: listed as full in the ${this.name} index but missing from shard ${shardName}`
      );
    }
    return withRecordDisplay(record);
  }

  async lookup(key: RecordKey): Promise<CatalogRecord> {
    if ('recid' in key) return this.get(key.recid);
    const c = this.index.columns;
    if ('doi' in key) {
      if (this._dois === null) {
        this._dois = new Map();
        c.doi.forEach((d, i) => {
          const key = normalizeDoi(d);
          if (key && !this._dois!.has(key)) this._dois!.set(key, i);
        });
      }
      const position = this._dois.get(normalizeDoi(key.doi));
      if (position === undefined) {
        throw new OpenDataError(
          'E_NOT_FOUND',
          `no record with DOI ${key.doi} in the ${this.name} catalog`
        );
      }
      return this.get(c.recid[position]);
    }
    if (this._titles === null) {
      this._titles = new Map();
      c.title.forEach((t, i) => {
        const list = this._titles!.get(t);
        if (list) list.push(i);
        else this._titles!.set(t, [i]);
      });
    }
    const recids = (this._titles.get(key.title) ?? []).map(p => c.recid[p]);
    return this.get(recids[uniqueTitle(key.title, recids, this.name)]);
  }
}

/** DOIs compare case-insensitively, with or without a resolver prefix. */
export function normalizeDoi(doi: string): string {
  return doi
    .trim()
    .replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)/i, '')
    .toLowerCase();
}

/** Checks an exact-title lookup found one record; returns its index in `recids`. */
export function uniqueTitle(title: string, recids: string[], where: string): number {
  if (recids.length === 0) {
    throw new OpenDataError('E_NOT_FOUND', `no record titled "${title}" in the ${where} catalog`);
  }
  if (recids.length > 1) {
    throw new OpenDataError(
      'E_USAGE',
      `${recids.length} records are titled "${title}" (recids ${recids.join(', ')}): choose one by recid`
    );
  }
  return 0;
}
