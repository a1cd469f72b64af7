import { CatalogIndex, RecordSummary } from './catalog-index';
import { OpenDataError } from './errors';

export interface SnapshotQuery {
  /** Case-insensitive substring of the title; empty or absent matches every record. */
  query?: string;
  /** 1-based page number (default 1). */
  page?: number;
  /** Hits per page (default 20). */
  size?: number;
}

export interface SnapshotSearchResult {
  total: number;
  page: number;
  size: number;
  hits: RecordSummary[];
}

/**
 * One page of the snapshot's records whose title contains the query, in recid order.
 * A first cut: no ranking, filters or facets yet.
 */
export function searchSnapshot(index: CatalogIndex, q: SnapshotQuery = {}): SnapshotSearchResult {
  const page = q.page ?? 1;
  const size = q.size ?? 20;
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1) {
    throw new OpenDataError(
      'E_USAGE',
      `page and size must be positive integers (got page ${page}, size ${size})`
    );
  }
  const needle = (q.query ?? '').trim().toLowerCase();
  const titles = index.columns.title;
  const start = (page - 1) * size;
  const hits: RecordSummary[] = [];
  let total = 0;
  for (let i = 0; i < titles.length; i++) {
    if (needle && !titles[i].toLowerCase().includes(needle)) continue;
    if (total >= start && total < start + size) hits.push(index.summary(i));
    total++;
  }
  return { total, page, size, hits };
}
