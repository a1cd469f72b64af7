// The live portal's REST API as a CatalogSource (docs/portal.md: /api/records/?q=&page=&size=&sort=&<facet>=…,
// /api/records/<recid>). Browser-safe: the caller injects fetch (the global one by default).
import { CatalogRecord, typeKeys, years } from './catalog-build';
import { assertPage } from './catalog-index';
import type { RecordSummary } from './catalog-index';
import {
  FACET_NAMES,
  FacetBucket,
  FacetCounts,
  FacetName,
  SearchOptions,
  SearchResult,
  SORT_ORDERS
} from './catalog-search';
import { CatalogSource, RecordKey, normalizeDoi, uniqueTitle } from './catalog-source';
import { onTape, recordAvailability } from './availability';
import { OpenDataError } from './errors';
import { askedRecid, checkRecord, checkRecordShape } from './record-shape';
import { withRecordDisplay } from './record-display';

/** The part of a fetch Response the portal source reads. */
export interface FetchResponseLike {
  ok: boolean;
  status: number;
  statusText?: string;
  text(): Promise<string>;
}

/** `fetch` or anything with its shape (a proxying fetch in the browser, a stub in tests). */
export type FetchLike = (
  url: string,
  init?: { signal?: AbortSignal; headers?: Record<string, string> }
) => Promise<FetchResponseLike>;

export interface PortalCatalogOptions {
  /** Default: the global fetch. */
  fetch?: FetchLike;
  /** Abort a request (headers and body) after this long; default 30 s. */
  timeoutMs?: number;
}

export const PORTAL_URL = 'https://opendata.cern.ch';

/** A search result from the portal: what was dropped from its answer, one line each, if anything. */
export interface PortalSearchResult extends SearchResult {
  warnings?: string[];
}

/** The warnings of a search result (a portal's dropped hits); none for other sources. */
export function searchWarnings(result: SearchResult): string[] {
  return (result as PortalSearchResult).warnings ?? [];
}

/** The portal stops returning search results after the first 10,000. */
export const PORTAL_RESULT_CAP = 10_000;

export class PortalCatalog implements CatalogSource {
  readonly name: string;
  private readonly _base: string;
  private readonly _fetch: FetchLike;
  private readonly _timeoutMs: number;

  constructor(baseUrl: string = PORTAL_URL, options: PortalCatalogOptions = {}) {
    this._base = baseUrl.replace(/\/+$/, '');
    this.name = this._base;
    const f = options.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
    if (!f) throw new OpenDataError('E_UNSUPPORTED', 'no fetch available to reach the portal');
    this._fetch = f;
    this._timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The search URL for a query, one parameter per facet value (`type=Dataset::Collision`). */
  searchUrl(text = '', options: SearchOptions = {}): string {
    const page = options.page ?? 1;
    const size = options.size ?? 10;
    assertPage(page, size);
    if (page * size > PORTAL_RESULT_CAP) {
      throw new OpenDataError(
        'E_USAGE',
        `${this.name}: the portal returns only the first ${PORTAL_RESULT_CAP} results (page ${page} of size ${size} is past them); narrow the search`
      );
    }
    if (options.sort !== undefined && !SORT_ORDERS.includes(options.sort)) {
      throw new OpenDataError(
        'E_USAGE',
        `unknown sort "${options.sort}": expected one of ${SORT_ORDERS.join(', ')}`
      );
    }
    const params = new URLSearchParams();
    params.set('q', text);
    params.set('page', String(page));
    params.set('size', String(size));
    if (options.sort) params.set('sort', options.sort);
    for (const facet of FACET_NAMES) {
      const v = options[facet];
      for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
        params.append(facet, String(value));
      }
    }
    if (options.ondemand) params.set('ondemand', 'true');
    return `${this._base}/api/records/?${params}`;
  }

  async search(text?: string, options: SearchOptions = {}): Promise<PortalSearchResult> {
    const url = this.searchUrl(text, options);
    const body = (await this._json(url)) as PortalSearchAnswer;
    const hits = body?.hits?.hits;
    const rawTotal = body?.hits?.total;
    const total = typeof rawTotal === 'number' ? rawTotal : rawTotal?.value;
    if (!Array.isArray(hits) || !Number.isSafeInteger(total) || (total as number) < 0) {
      throw new OpenDataError(
        'E_FORMAT',
        `${url}: not a portal search answer (no hits.hits/hits.total)`
      );
    }
    // One malformed hit costs that hit, not the page: it is dropped and named in `warnings`.
    const warnings: string[] = [];
    const summaries: RecordSummary[] = [];
    hits.forEach((hit, i) => {
      const check = checkRecordShape((hit as { metadata?: unknown } | null)?.metadata);
      if (check.ok) summaries.push(summaryOf(check.record));
      else {
        const which =
          check.recid === null ? `hit ${i + 1}` : `hit ${i + 1} (record ${check.recid})`;
        const more = check.problems.length > 1 ? ` (and ${check.problems.length - 1} more)` : '';
        warnings.push(`${which}: ${check.problems[0]}${more}`);
      }
    });
    const result: PortalSearchResult = {
      total: total as number,
      page: options.page ?? 1,
      size: options.size ?? 10,
      hits: summaries,
      facets: facetsOf(body.aggregations, warnings)
    };
    if (warnings.length > 0) result.warnings = warnings;
    return result;
  }

  /** The record; its answer must be for this recid (digits only), with the fields in shape (E_FORMAT). */
  async get(recid: string | number): Promise<CatalogRecord> {
    const asked = askedRecid(recid);
    const url = `${this._base}/api/records/${asked}`;
    const answer = await this._json(url, `record ${asked}`);
    const metadata = (answer as { metadata?: unknown } | null)?.metadata;
    if (!metadata || typeof metadata !== 'object') {
      throw new OpenDataError('E_FORMAT', `${url}: not a portal record (no metadata)`);
    }
    return withRecordDisplay(checkRecord(metadata, asked, url));
  }

  async lookup(key: RecordKey): Promise<CatalogRecord> {
    if ('recid' in key) return this.get(key.recid);
    // A field query narrows the search; the exact comparison is ours (the portal's is analysed text).
    const [field, value] = 'doi' in key ? ['doi', key.doi] : ['title', key.title];
    const q = `${field}:"${value.replace(/["\\]/g, '\\$&')}"`;
    const found = await this.search(q, { size: 100 });
    if ('doi' in key) {
      const hit = found.hits.find(h => normalizeDoi(h.doi) === normalizeDoi(key.doi));
      if (!hit) {
        throw new OpenDataError('E_NOT_FOUND', `no record with DOI ${key.doi} at ${this.name}`);
      }
      return this.get(hit.recid);
    }
    const recids = found.hits.filter(h => h.title === key.title).map(h => h.recid);
    return this.get(recids[uniqueTitle(key.title, recids, this.name)]);
  }

  /** GETs JSON; network failures and timeouts are E_NETWORK, 404 E_NOT_FOUND, a non-JSON body E_FORMAT. */
  private _json(url: string, what = url): Promise<unknown> {
    return fetchJSON(this._fetch, url, { timeoutMs: this._timeoutMs, notFound: what });
  }
}

/**
 * GETs a JSON answer with a timeout (the portal, INSPIRE): failures and timeouts are E_NETWORK, a
 * 404 is E_NOT_FOUND naming `notFound` when given (else E_NETWORK), a body that is not JSON
 * E_FORMAT. `label` names the answer in messages (default: the URL).
 */
export async function fetchJSON(
  fetch: FetchLike,
  url: string,
  options: { timeoutMs: number; label?: string; notFound?: string }
): Promise<unknown> {
  const label = options.label ?? url;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  let status: number;
  let ok: boolean;
  let text: string;
  try {
    const res = await fetch(url, {
      signal: controller.signal,
      headers: { accept: 'application/json' }
    });
    status = res.status;
    ok = res.ok;
    text = await res.text();
  } catch (err) {
    const reason = controller.signal.aborted
      ? `no answer within ${options.timeoutMs / 1000} s`
      : describe(err);
    throw new OpenDataError('E_NETWORK', `${label}: ${reason}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  if (status === 404 && options.notFound !== undefined) {
    throw new OpenDataError('E_NOT_FOUND', `${options.notFound}: not found (404 from ${url})`);
  }
  if (!ok) throw new OpenDataError('E_NETWORK', `${label}: HTTP ${status}`);
  try {
    return JSON.parse(text);
  } catch {
    const start = text.trim().slice(0, 40).replace(/\s+/g, ' ');
    throw new OpenDataError(
      'E_FORMAT',
      `${label}: expected JSON, got "${start}${text.length > 40 ? '…' : ''}"`
    );
  }
}

interface PortalBucket {
  key: string | number;
  doc_count: number;
  subtype?: { buckets?: PortalBucket[] };
}

interface PortalSearchAnswer {
  hits?: { hits?: unknown[]; total?: number | { value: number } };
  aggregations?: Record<string, { buckets?: PortalBucket[] }>;
}

/** A summary of a record checked by checkRecordShape (so every field read has its type). */
function summaryOf(r: CatalogRecord): RecordSummary {
  const dist = (r.distribution ?? {}) as Record<string, number | undefined>;
  return {
    recid: r.recid,
    title: r.title ?? '',
    doi: (r.doi as string) ?? '',
    experiment: (r.experiment as string[]) ?? [],
    type: typeKeys(r.type),
    year: years(r.date_created),
    date_published: (r.date_published as string) ?? '',
    number_events: dist.number_events ?? null,
    number_files: dist.number_files ?? null,
    size: dist.size ?? null,
    full: true,
    ...availabilityOf(r)
  };
}

/** `{availability}` for a record on tape (the row marks it), else nothing. */
function availabilityOf(r: CatalogRecord): { availability?: string } {
  const a = recordAvailability(r);
  return onTape(a) ? { availability: a as string } : {};
}

// The portal names the events facet `event_number` in some versions.
const AGGREGATION_NAMES: Record<string, FacetName> = { event_number: 'number_events' };

/**
 * Aggregations → facet counts in our shape; the nested type facet is flattened to
 * `Primary::Secondary` keys. A bucket without a text key and a count is skipped with a warning.
 */
function facetsOf(aggregations: unknown, warnings: string[]): FacetCounts {
  const facets: FacetCounts = {};
  if (!aggregations || typeof aggregations !== 'object') return facets;
  const bucketsOf = (list: unknown, facet: string, prefix = ''): FacetBucket[] => {
    const out: FacetBucket[] = [];
    if (!Array.isArray(list)) return out;
    for (const b of list as (PortalBucket | null)[]) {
      const key = b?.key;
      const count = b?.doc_count;
      if (
        (typeof key !== 'string' && typeof key !== 'number') ||
        typeof count !== 'number' ||
        !Number.isFinite(count) ||
        count < 0
      ) {
        warnings.push(`facet ${facet}: a bucket without a key and a count; skipped`);
        continue;
      }
      out.push({ key: `${prefix}${key}`, count });
      if (!prefix) out.push(...bucketsOf(b?.subtype?.buckets, facet, `${key}::`));
    }
    return out;
  };
  for (const [name, agg] of Object.entries(aggregations as Record<string, unknown>)) {
    const facet = AGGREGATION_NAMES[name] ?? (name as FacetName);
    const buckets = (agg as { buckets?: unknown } | null)?.buckets;
    if (!FACET_NAMES.includes(facet) || !Array.isArray(buckets)) continue;
    facets[facet] = bucketsOf(buckets, facet);
  }
  return facets;
}

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message} (${cause})` : String(e?.message ?? err);
}
