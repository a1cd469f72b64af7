import { OpenDataError } from './errors';

/** Columns of `data/catalog/index.json.gz`, one entry per record, sorted by numeric recid. */
export interface CatalogColumns {
  recid: string[];
  title: string[];
  title_additional: string[];
  doi: string[];
  experiment: string[][];
  /** `Primary::Secondary` keys, or the primary type alone when a record has no subtype. */
  type: string[][];
  year: number[][];
  date_published: string[];
  collision_energy: string[];
  collision_type: string[];
  file_type: string[][];
  keywords: string[][];
  category: string[];
  number_events: (number | null)[];
  number_files: (number | null)[];
  size: (number | null)[];
  availability: string[];
  /** 1 when the full record is in the snapshot's shards, 0 for skeleton records. */
  full: number[];
  abstract: string[];
  /**
   * The record's file names (basenames of `files[].uri`, distinct, space-separated); for a record
   * with more than FILE_NAME_LIMIT files, the distinct lower-case words of its names joined by "_".
   * Optional: an index written before file names were searched has no such column.
   */
  files?: string[];
  /** How many other records name this record's dataset path in their title or abstract (optional). */
  mentions?: number[];
}

export interface CatalogIndexData {
  format: 'opendata-lab/catalog-index';
  version: 1;
  shards: number;
  count: number;
  columns: CatalogColumns;
}

/** What a result row shows: enough to list, filter and cite a record without its full metadata. */
export interface RecordSummary {
  recid: string;
  title: string;
  doi: string;
  experiment: string[];
  type: string[];
  year: number[];
  date_published: string;
  number_events: number | null;
  number_files: number | null;
  size: number | null;
  full: boolean;
  /** `ondemand` or `partial` for a dataset on tape (core/availability.ts); absent otherwise. */
  availability?: string;
}

const ON_TAPE = new Set(['ondemand', 'partial']);

export interface SummaryPage {
  total: number;
  page: number;
  size: number;
  hits: RecordSummary[];
}

/** Rejects a page or page size that is not a positive integer (every catalog source pages alike). */
export function assertPage(page: number, size: number): void {
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1) {
    throw new OpenDataError(
      'E_USAGE',
      `page and size must be positive integers (got page ${page}, size ${size})`
    );
  }
}

/** The bundled catalog snapshot, parsed once and read by position. Browser-safe. */
export class CatalogIndex {
  readonly columns: CatalogColumns;
  readonly shards: number;
  private readonly _position = new Map<string, number>();

  private constructor(data: CatalogIndexData) {
    this.columns = data.columns;
    this.shards = data.shards;
    data.columns.recid.forEach((recid, i) => this._position.set(recid, i));
  }

  /** Checks the format marker and column lengths, so a stale or foreign file fails loudly here. */
  static fromJSON(data: unknown, source = 'catalog index'): CatalogIndex {
    const d = data as Partial<CatalogIndexData> | null;
    if (!d || d.format !== 'opendata-lab/catalog-index' || d.version !== 1 || !d.columns) {
      throw new OpenDataError(
        'E_FORMAT',
        `${source}: not an opendata-lab catalog index (version 1)`
      );
    }
    for (const [name, values] of Object.entries(d.columns)) {
      if (!Array.isArray(values) || values.length !== d.count) {
        throw new OpenDataError(
          'E_FORMAT',
          `${source}: column "${name}" has ${Array.isArray(values) ? values.length : 'no'} entries, expected ${d.count}`
        );
      }
    }
    return new CatalogIndex(d as CatalogIndexData);
  }

  get count(): number {
    return this.columns.recid.length;
  }

  /** Position of a recid in the columns, or -1. */
  positionOf(recid: string | number): number {
    return this._position.get(String(recid)) ?? -1;
  }

  summary(position: number): RecordSummary {
    const c = this.columns;
    return {
      recid: c.recid[position],
      title: c.title[position],
      doi: c.doi[position],
      experiment: c.experiment[position],
      type: c.type[position],
      year: c.year[position],
      date_published: c.date_published[position],
      number_events: c.number_events[position],
      number_files: c.number_files[position],
      size: c.size[position],
      full: c.full[position] === 1,
      ...(ON_TAPE.has(c.availability?.[position]) ? { availability: c.availability[position] } : {})
    };
  }

  /** Page `page` (1-based) of all records in recid order. */
  page(page = 1, size = 20): SummaryPage {
    assertPage(page, size);
    const start = (page - 1) * size;
    const hits: RecordSummary[] = [];
    for (let i = start; i < Math.min(start + size, this.count); i++) hits.push(this.summary(i));
    return { total: this.count, page, size, hits };
  }

  /** The shard file (`records/NN.json.gz`) that holds a full record. */
  shardName(recid: string | number): string {
    return `${String(Number(recid) % this.shards).padStart(2, '0')}.json.gz`;
  }
}
