// Search over a catalog index: free text (inverted index in typed arrays), the portal's facets with
// the portal's counting rule, sort orders and pages. Built once per index; browser-safe.
import { assertPage } from './catalog-index';
import type { CatalogIndex, RecordSummary } from './catalog-index';
import { OpenDataError } from './errors';

/** The portal's facets, by their URL parameter names. */
export type FacetName =
  | 'experiment'
  | 'type'
  | 'year'
  | 'collision_energy'
  | 'collision_type'
  | 'file_type'
  | 'keywords'
  | 'category'
  | 'number_events';

export const FACET_NAMES: readonly FacetName[] = [
  'experiment',
  'type',
  'year',
  'collision_energy',
  'collision_type',
  'file_type',
  'keywords',
  'category',
  'number_events'
];

/**
 * best match (relevance, then most recent), most recent (date_published, then recid, newest first),
 * title (A→Z), title_desc (Z→A). The portal's default: bestmatch with a query, mostrecent without.
 */
export type SortOrder = 'bestmatch' | 'mostrecent' | 'title' | 'title_desc';

export const SORT_ORDERS: readonly SortOrder[] = ['bestmatch', 'mostrecent', 'title', 'title_desc'];

/**
 * Facet filters in the portal's URL form. Values of one facet are alternatives (OR); facets
 * combine with AND. `type`: "Dataset" or "Dataset::Collision"; `year` and `number_events`:
 * "2011", "2011--2012", "1000--" (open end).
 */
export type FacetFilters = { [K in FacetName]?: string | string[] };

export interface SearchOptions extends FacetFilters {
  /** 1-based page (default 1). */
  page?: number;
  /** Hits per page (default 10, as the portal). */
  size?: number;
  sort?: SortOrder;
  /** Include datasets that are on tape (`distribution.availability: "ondemand"`); hidden by default. */
  ondemand?: boolean;
}

export interface FacetBucket {
  key: string;
  count: number;
}

/**
 * Facet counts: each facet's counts apply every other active filter but not its own. `type`
 * lists each primary type followed by its `Primary::Secondary` keys; zero counts are left out.
 */
export type FacetCounts = { [K in FacetName]?: FacetBucket[] };

export interface SearchResult {
  total: number;
  page: number;
  size: number;
  hits: RecordSummary[];
  facets: FacetCounts;
}

/** Result buckets of `number_events`: decades, as keys usable as filters. */
const EVENT_BUCKETS: [number, number][] = [
  [0, 999],
  [1e3, 1e4 - 1],
  [1e4, 1e5 - 1],
  [1e5, 1e6 - 1],
  [1e6, 1e7 - 1],
  [1e7, 1e8 - 1],
  [1e8, Infinity]
];
const bucketKey = ([lo, hi]: [number, number]) => `${lo}--${hi === Infinity ? '' : hi}`;

// Field weights of a term hit (bit flags in the postings): title over other metadata over abstract.
const IN_TITLE = 1;
const IN_META = 2; // title_additional, doi, recid, keywords
const IN_ABSTRACT = 4;
const weightOf = (mask: number, exact: boolean) =>
  (mask & IN_TITLE ? 16 : mask & IN_META ? 8 : 2) >> (exact ? 0 : 1);

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Lower-case words and numbers of a text: how both records and queries are split. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** Per-record values of one facet, as ids into `keys` (CSR layout: values[offsets[i]…offsets[i+1]]). */
interface FacetColumn {
  name: FacetName;
  keys: string[];
  offsets: Uint32Array;
  values: Uint32Array;
}

type Filter =
  | { facet: number; kind: 'ids'; selected: Uint8Array }
  | { facet: number; kind: 'range'; lo: number; hi: number; column: Float64Array };

export class CatalogSearch {
  readonly index: CatalogIndex;
  private readonly _n: number;
  private readonly _facets: FacetColumn[];
  private readonly _events: Float64Array;
  private readonly _ondemand: Uint8Array;
  // Inverted index: term id → docs (ascending) and where in the record the term occurs.
  private readonly _termIds = new Map<string, number>();
  private readonly _postStart: Uint32Array;
  private readonly _postDocs: Uint32Array;
  private readonly _postMask: Uint8Array;
  // Terms in code-unit order with their ids, for prefix ranges (built on the first prefix query).
  private _sortedTerms: string[] | null = null;
  private _sortedIds: Uint32Array | null = null;
  // Orders: position of each rank, and rank of each position (most recent first).
  private readonly _recentOrder: Uint32Array;
  private readonly _recentRank: Uint32Array;
  private _titleOrder: Uint32Array | null = null;

  constructor(index: CatalogIndex) {
    this.index = index;
    const c = index.columns;
    const n = (this._n = index.count);
    this._events = Float64Array.from(c.number_events, v => (v == null ? NaN : v));
    this._ondemand = Uint8Array.from(c.availability, a => (a === 'ondemand' ? 1 : 0));
    this._facets = [
      facetColumn('experiment', n, i => c.experiment[i]),
      facetColumn('type', n, i => withPrimaries(c.type[i])),
      facetColumn('year', n, i => c.year[i].map(String)),
      facetColumn('collision_energy', n, i =>
        c.collision_energy[i] ? [c.collision_energy[i]] : []
      ),
      facetColumn('collision_type', n, i => (c.collision_type[i] ? [c.collision_type[i]] : [])),
      facetColumn('file_type', n, i => c.file_type[i]),
      facetColumn('keywords', n, i => c.keywords[i]),
      facetColumn('category', n, i => (c.category[i] ? [c.category[i]] : [])),
      facetColumn('number_events', n, i => {
        const v = this._events[i];
        const b = EVENT_BUCKETS.find(([lo, hi]) => v >= lo && v <= hi);
        return b ? [bucketKey(b)] : [];
      })
    ];
    [this._postStart, this._postDocs, this._postMask] = this._invert();
    this._recentOrder = orderBy(n, (a, b) => {
      const da = c.date_published[a];
      const db = c.date_published[b];
      return da !== db ? (da < db ? 1 : -1) : Number(c.recid[b]) - Number(c.recid[a]);
    });
    this._recentRank = inverse(this._recentOrder);
  }

  /** One page of the records matching `text` (AND of its words; the last one may be a prefix) and the filters. */
  search(text = '', options: SearchOptions = {}): SearchResult {
    const page = options.page ?? 1;
    const size = options.size ?? 10;
    assertPage(page, size);
    const terms = tokenize(text);
    const sort = options.sort ?? (terms.length ? 'bestmatch' : 'mostrecent');
    if (!SORT_ORDERS.includes(sort)) {
      throw new OpenDataError(
        'E_USAGE',
        `unknown sort "${sort}": expected one of ${SORT_ORDERS.join(', ')}`
      );
    }
    const n = this._n;
    // Text match: score > 0 for matching records (a record must match every term).
    let score: Uint16Array | null = null;
    if (terms.length) {
      const prefixLast = !/[^\p{L}\p{N}]$/u.test(text);
      score = this._match(terms, prefixLast);
    }
    const filters = this._filters(options);
    const facets = this._facets;
    const counts = facets.map(f => new Uint32Array(f.keys.length));
    const hit = new Uint8Array(n);
    const hidden = options.ondemand ? null : this._ondemand;
    let total = 0;
    for (let doc = 0; doc < n; doc++) {
      if (score !== null && score[doc] === 0) continue;
      if (hidden !== null && hidden[doc] === 1) continue;
      // Which filters reject this record: none → a hit; exactly one → counts only in that facet.
      let failed = -1;
      let fails = 0;
      for (let f = 0; f < filters.length && fails < 2; f++) {
        if (!passes(filters[f], facets[filters[f].facet], this._events, doc)) {
          fails++;
          failed = filters[f].facet;
        }
      }
      if (fails > 1) continue;
      if (fails === 0) {
        hit[doc] = 1;
        total++;
      }
      for (let g = 0; g < facets.length; g++) {
        if (fails === 1 && g !== failed) continue;
        const { offsets, values } = facets[g];
        const gc = counts[g];
        for (let k = offsets[doc]; k < offsets[doc + 1]; k++) gc[values[k]]++;
      }
    }
    const start = (page - 1) * size;
    const positions = this._sorted(hit, total, score, sort, start + size).slice(
      start,
      start + size
    );
    return {
      total,
      page,
      size,
      hits: Array.from(positions, p => this.index.summary(p)),
      facets: Object.fromEntries(facets.map((f, g) => [f.name, buckets(f, counts[g])]))
    };
  }

  /** Every key a facet has in the catalog (for a filter UI), in the facet's display order. */
  facetKeys(name: FacetName): string[] {
    const f = this._facets.find(x => x.name === name);
    if (!f) throw new OpenDataError('E_USAGE', `unknown facet "${name}"`);
    return buckets(f, new Uint32Array(f.keys.length).fill(1)).map(b => b.key);
  }

  private _match(terms: string[], prefixLast: boolean): Uint16Array {
    const n = this._n;
    const score = new Uint16Array(n);
    const seen = new Uint8Array(n); // terms matched so far, per record
    for (let t = 0; t < terms.length; t++) {
      const prefix = prefixLast && t === terms.length - 1;
      const exactId = this._termIds.get(terms[t]);
      const ids = prefix
        ? this._prefixIds(terms[t])
        : Uint32Array.of(...(exactId === undefined ? [] : [exactId]));
      const best = new Uint8Array(n); // this term's best weight per record
      for (const id of ids) {
        const exact = id === exactId;
        for (let k = this._postStart[id]; k < this._postStart[id + 1]; k++) {
          const doc = this._postDocs[k];
          if (seen[doc] !== t) continue; // missed an earlier term
          const w = weightOf(this._postMask[k], exact);
          if (w > best[doc]) best[doc] = w;
        }
      }
      let any = false;
      for (let doc = 0; doc < n; doc++) {
        if (best[doc] > 0) {
          seen[doc]++;
          score[doc] = Math.min(65535, score[doc] + best[doc]);
          any = true;
        }
      }
      if (!any) return new Uint16Array(n);
    }
    for (let doc = 0; doc < n; doc++) if (seen[doc] !== terms.length) score[doc] = 0;
    return score;
  }

  private _prefixIds(prefix: string): Uint32Array {
    if (this._sortedTerms === null) {
      const terms = [...this._termIds.keys()].sort();
      this._sortedTerms = terms;
      this._sortedIds = Uint32Array.from(terms, t => this._termIds.get(t)!);
    }
    const terms = this._sortedTerms;
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (terms[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < terms.length && terms[end].startsWith(prefix)) end++;
    return this._sortedIds!.subarray(lo, end);
  }

  private _filters(options: FacetFilters): Filter[] {
    const filters: Filter[] = [];
    FACET_NAMES.forEach((name, facet) => {
      const raw = options[name];
      const wanted = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
      if (!wanted.length) return;
      const column = this._facets[facet];
      if (name === 'number_events') {
        if (wanted.length > 1) {
          throw new OpenDataError('E_USAGE', 'number_events takes one range, e.g. 1000--9999');
        }
        const [lo, hi] = parseRange(name, wanted[0]);
        filters.push({ facet, kind: 'range', lo, hi, column: this._events });
        return;
      }
      const selected = new Uint8Array(column.keys.length);
      if (name === 'year') {
        for (const w of wanted) {
          const [lo, hi] = parseRange(name, w);
          column.keys.forEach((k, id) => {
            if (+k >= lo && +k <= hi) selected[id] = 1;
          });
        }
      } else {
        for (const w of wanted) {
          const id = column.keys.indexOf(w);
          if (id >= 0) selected[id] = 1;
        }
      }
      filters.push({ facet, kind: 'ids', selected });
    });
    return filters;
  }

  /** Positions of the first `limit` hits in the requested order. */
  private _sorted(
    hit: Uint8Array,
    total: number,
    score: Uint16Array | null,
    sort: SortOrder,
    limit: number
  ): Uint32Array {
    const out = new Uint32Array(Math.min(total, limit));
    if (sort === 'bestmatch' && score !== null) {
      // One numeric key per hit: higher score first, then the most recent.
      const n = this._n;
      const keys = new Float64Array(total);
      let j = 0;
      for (let doc = 0; doc < n; doc++) {
        if (hit[doc]) keys[j++] = (65535 - score[doc]) * n + this._recentRank[doc];
      }
      keys.sort();
      for (let i = 0; i < out.length; i++) out[i] = this._recentOrder[keys[i] % n];
      return out;
    }
    // Precomputed orders: walk them and keep the hits.
    const order = sort === 'title' || sort === 'title_desc' ? this._titles() : this._recentOrder;
    const step = sort === 'title_desc' ? -1 : 1;
    let j = 0;
    for (
      let i = step > 0 ? 0 : order.length - 1;
      j < out.length && i >= 0 && i < order.length;
      i += step
    ) {
      if (hit[order[i]]) out[j++] = order[i];
    }
    return out;
  }

  private _titles(): Uint32Array {
    if (this._titleOrder === null) {
      const c = this.index.columns;
      const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
      this._titleOrder = orderBy(
        this._n,
        (a, b) =>
          collator.compare(c.title[a], c.title[b]) || Number(c.recid[a]) - Number(c.recid[b])
      );
    }
    return this._titleOrder;
  }

  /** Tokenizes every record once into CSR postings (docs ascending per term). */
  private _invert(): [Uint32Array, Uint32Array, Uint8Array] {
    const c = this.index.columns;
    let terms = new Uint32Array(1 << 21);
    let docs = new Uint32Array(1 << 21);
    let masks = new Uint8Array(1 << 21);
    let used = 0;
    const ids = this._termIds;
    // Where a term's entry for the current record is (its posting is pushed once per record).
    let lastDoc = new Int32Array(1 << 17).fill(-1);
    let lastAt = new Uint32Array(1 << 17);
    let doc = 0;
    const add = (text: string, mask: number) => {
      const words = text.toLowerCase().match(TOKEN);
      if (words === null) return;
      if (used + words.length > terms.length) {
        const length = Math.max(terms.length * 2, used + words.length);
        terms = grown(terms, length);
        docs = grown(docs, length);
        masks = grown(masks, length);
      }
      for (const w of words) {
        let id = ids.get(w);
        if (id === undefined) {
          ids.set(w, (id = ids.size));
          if (id >= lastDoc.length) {
            lastDoc = grown(lastDoc, lastDoc.length * 2).fill(-1, lastDoc.length);
            lastAt = grown(lastAt, lastAt.length * 2);
          }
        }
        if (lastDoc[id] === doc) {
          masks[lastAt[id]] |= mask;
        } else {
          lastDoc[id] = doc;
          lastAt[id] = used;
          terms[used] = id;
          docs[used] = doc;
          masks[used++] = mask;
        }
      }
    };
    for (; doc < this._n; doc++) {
      add(c.title[doc], IN_TITLE);
      add(c.title_additional[doc], IN_META);
      add(c.doi[doc], IN_META);
      add(c.recid[doc], IN_META);
      for (const k of c.keywords[doc]) add(k, IN_META);
      add(c.abstract[doc], IN_ABSTRACT);
    }
    // Counting sort by term id (stable, so each term's docs stay ascending).
    const start = new Uint32Array(ids.size + 1);
    for (let k = 0; k < used; k++) start[terms[k] + 1]++;
    for (let t = 0; t < ids.size; t++) start[t + 1] += start[t];
    const fill = start.slice(0, ids.size);
    const postDocs = new Uint32Array(used);
    const postMask = new Uint8Array(used);
    for (let k = 0; k < used; k++) {
      const at = fill[terms[k]]++;
      postDocs[at] = docs[k];
      postMask[at] = masks[k];
    }
    return [start, postDocs, postMask];
  }
}

function grown<T extends Uint32Array | Int32Array | Uint8Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

function passes(filter: Filter, column: FacetColumn, events: Float64Array, doc: number): boolean {
  if (filter.kind === 'range') {
    const v = events[doc];
    return v >= filter.lo && v <= filter.hi;
  }
  const { offsets, values } = column;
  for (let k = offsets[doc]; k < offsets[doc + 1]; k++) if (filter.selected[values[k]]) return true;
  return false;
}

/** A facet filter range: "2011", "2011--2012", "1000--" or "--999" (inclusive). */
export function parseRange(facet: string, value: string): [number, number] {
  const m = value.trim().match(/^(\d*)(?:--(\d*))?$/);
  const lo = m && m[1] !== '' ? Number(m[1]) : m && m[2] !== undefined ? 0 : NaN;
  const hi = m && m[2] !== undefined ? (m[2] === '' ? Infinity : Number(m[2])) : lo;
  if (!m || Number.isNaN(lo) || (m[1] === '' && m[2] === '') || hi < lo) {
    throw new OpenDataError(
      'E_USAGE',
      `${facet}: expected N or LO--HI (e.g. 2011--2012), got "${value}"`
    );
  }
  return [lo, hi];
}

/** The type facet counts each primary type too, so "Dataset" and "Dataset::Collision" both filter. */
function withPrimaries(keys: string[]): string[] {
  const out = new Set<string>();
  for (const k of keys) {
    const sep = k.indexOf('::');
    if (sep > 0) out.add(k.slice(0, sep));
    out.add(k);
  }
  return [...out];
}

function facetColumn(name: FacetName, n: number, valuesOf: (i: number) => string[]): FacetColumn {
  const ids = new Map<string, number>();
  const offsets = new Uint32Array(n + 1);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const v of new Set(valuesOf(i))) {
      let id = ids.get(v);
      if (id === undefined) ids.set(v, (id = ids.size));
      values.push(id);
    }
    offsets[i + 1] = values.length;
  }
  return { name, keys: [...ids.keys()], offsets, values: Uint32Array.from(values) };
}

/** Non-zero buckets in display order: years newest first, event counts by decade, type grouped by primary, else by count. */
function buckets(f: FacetColumn, counts: Uint32Array): FacetBucket[] {
  const all: FacetBucket[] = [];
  f.keys.forEach((key, id) => {
    if (counts[id] > 0) all.push({ key, count: counts[id] });
  });
  const byCount = (a: FacetBucket, b: FacetBucket) =>
    b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  if (f.name === 'year') return all.sort((a, b) => Number(b.key) - Number(a.key));
  if (f.name === 'number_events') return all.sort((a, b) => parseInt(a.key) - parseInt(b.key));
  if (f.name !== 'type') return all.sort(byCount);
  const primaries = all.filter(b => !b.key.includes('::')).sort(byCount);
  return primaries.flatMap(p => [
    p,
    ...all.filter(b => b.key.startsWith(`${p.key}::`)).sort(byCount)
  ]);
}

function orderBy(n: number, compare: (a: number, b: number) => number): Uint32Array {
  return Uint32Array.from(Array.from({ length: n }, (_, i) => i).sort(compare));
}

function inverse(order: Uint32Array): Uint32Array {
  const rank = new Uint32Array(order.length);
  order.forEach((pos, r) => (rank[pos] = r));
  return rank;
}
