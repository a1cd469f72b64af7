// Search over a catalog index: free text (inverted index in typed arrays), the portal's facets with
// the portal's counting rule, sort orders and pages. Built once per index; browser-safe.
import { DATASET_PATH } from './catalog-build';
import { assertPage } from './catalog-index';
import type { CatalogIndex, RecordSummary } from './catalog-index';
import type { FacetValues, Names, SearchTables } from './catalog-search-tables';
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
const BUCKET_KEYS = EVENT_BUCKETS.map(([lo, hi]) => `${lo}--${hi === Infinity ? '' : hi}`);

// Field weights of a term hit (bit flags in the postings): title over other metadata over file
// names over abstract; a prefix hit (the word being typed) weighs half.
const IN_TITLE = 1;
const IN_META = 2; // title_additional, doi, recid, keywords
const IN_ABSTRACT = 4;
const IN_FILES = 8;
const weightOf = (mask: number, exact: boolean) =>
  (mask & IN_TITLE ? 16 : mask & IN_META ? 8 : mask & IN_FILES ? 6 : 2) >> (exact ? 0 : 1);

// Best match ranks by tier first (see the README's catalog search section):
const TIER_ID = 6; // the query is the record's DOI
const TIER_TITLE = 5; // the query is the whole title, word for word
const TIER_NAMES = 4; // each of the query's names is (part of) a name in the title
const TIER_IN_TITLE = 3; // every word in the title
const TIER_FILES = 2; // each of the query's names is (part of) one of the record's file names
const TIER_ANY = 1; // every word somewhere (abstract, keywords, DOI, ...)

const TOKEN = /[\p{L}\p{N}]+/gu;
const PREFIX = -2; // Query.want: any word the last query word is a prefix of
// A pasted DOI may come with its resolver or a "doi:" label.
const DOI_LABEL = /^\s*(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:?\s*)(?=10\.)/i;
const DOI = /^10\.\d{4,9}\/\S+$/;

/** Lower-case words and numbers of a text: how both records and queries are split. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/**
 * Words of a text grouped into names: words joined only by `-`, `_`, `.` or `+` form one name
 * ("Run2011A-12Oct2013-v1", "4mu_2011.csv", "HLT_Mu17_Mu8"); spaces, `/` and other punctuation
 * separate names, so a dataset path's parts are names. `starts[i]` is 1 where word i begins a name.
 */
export function tokenizeNames(text: string): { words: string[]; starts: number[] } {
  const words: string[] = [];
  const starts: number[] = [];
  eachWord(text.toLowerCase(), (w, start) => {
    words.push(w);
    starts.push(start ? 1 : 0);
  });
  return { words, starts };
}

const NAME_WORD = /[\p{L}\p{N}]+/gu;

/**
 * The hyphenated compounds of a lower-case text written as one word, so either spelling finds
 * them: a word of one to four letters hyphenated to a word of letters ("di-muon" → "dimuon",
 * "b-tagging", "pile-up", "four-lepton"). The parts stay words of their own.
 */
export function compounds(lower: string): string[] {
  const out: string[] = [];
  for (let i = lower.indexOf('-'); i >= 0; i = lower.indexOf('-', i + 1)) {
    let a = i;
    while (a > 0 && i - a <= 4 && isLetter(lower, a - 1)) a--;
    if (a === i || i - a > 4 || (a > 0 && isWordChar(lower, a - 1))) continue;
    let b = i + 1;
    while (b < lower.length && isLetter(lower, b)) b++;
    if (b === i + 1 || (b < lower.length && isWordChar(lower, b))) continue;
    out.push(lower.slice(a, i) + lower.slice(i + 1, b));
  }
  return out;
}

const LETTER = /\p{L}/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const isLetter = (s: string, i: number) => {
  const ch = s.charCodeAt(i);
  return ch < 128 ? (ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) : LETTER.test(s[i]);
};
const isWordChar = (s: string, i: number) => {
  const ch = s.charCodeAt(i);
  return ch < 128 ? isLetter(s, i) || (ch >= 48 && ch <= 57) : WORD_CHAR.test(s[i]);
};

/** Calls `visit` with each word of a lower-case text and whether it starts a name. */
function eachWord(lower: string, visit: (word: string, startsName: boolean) => void): void {
  if (NON_ASCII.test(lower)) {
    NAME_WORD.lastIndex = 0;
    let end = -1;
    for (let m = NAME_WORD.exec(lower); m !== null; m = NAME_WORD.exec(lower)) {
      visit(m[0], end < 0 || !joins(lower, end, m.index));
      end = m.index + m[0].length;
    }
    return;
  }
  // ASCII (nearly every title and file name): the same words, without the Unicode regex.
  const length = lower.length;
  let end = -1;
  for (let i = 0; i < length;) {
    if (!isAsciiWordChar(lower.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < length && isAsciiWordChar(lower.charCodeAt(j))) j++;
    visit(lower.slice(i, j), end < 0 || !joins(lower, end, i));
    end = j;
    i = j;
  }
}

const NON_ASCII = /[\u0080-\uffff]/;

/** a-z or 0-9 (the text is lower case). */
function isAsciiWordChar(ch: number): boolean {
  return (ch >= 97 && ch <= 122) || (ch >= 48 && ch <= 57);
}

/** The text between two words holds only `-`, `_`, `.` or `+`: they belong to one name. */
function joins(lower: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const ch = lower.charCodeAt(i);
    if (ch !== 45 && ch !== 95 && ch !== 46 && ch !== 43) return false;
  }
  return true;
}

/** A query as the ranking sees it: word ids (-1: in no record), its names, the prefix word. */
interface Query {
  terms: string[];
  ids: Int32Array;
  /** What each word must be in a title or file name: its id, or PREFIX (any word it begins). */
  want: Int32Array;
  names: number[][];
  prefixLast: boolean;
  /** Records the query names exactly (by DOI). */
  exact: number[];
  /** Per record: how many query words hit its title, and its file names. */
  inTitle: Uint8Array;
  inFiles: Uint8Array;
}

/** Per-record values of one facet, as ids into `keys` (CSR layout: values[offsets[i]…offsets[i+1]]). */
interface FacetColumn extends FacetValues {
  name: FacetName;
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
  // Inverted index: term id (the term's rank in code-unit order, so prefixes are id ranges) →
  // docs (ascending) and where in the record the term occurs.
  private readonly _terms: string[];
  private readonly _postStart: Uint32Array;
  private readonly _postDocs: Uint32Array;
  private readonly _postMask: Uint8Array;
  // Orders: position of each rank, and rank of each position (most recent first).
  private readonly _recentOrder: Uint32Array;
  private readonly _recentRank: Uint32Array;
  private _titleOrder: Uint32Array | null = null;
  // Title and file-name words in order, for whole-name matches.
  private readonly _titleNames: Names;
  private readonly _fileNames: Names;
  // Words that the current query's last word is a prefix of: _prefixMark[id] === _stamp.
  private _prefixMark = new Uint32Array(0);
  private _stamp = 0;
  private _dois: Map<string, number[]> | null = null;

  /**
   * `tables`: the index's inverted index built ahead (the bundled snapshot ships it:
   * catalog-search-tables.ts); without them they are built here from the index's text.
   */
  constructor(index: CatalogIndex, tables?: SearchTables) {
    this.index = index;
    const c = index.columns;
    const n = (this._n = index.count);
    this._events = eventsOf(index);
    this._ondemand = Uint8Array.from(c.availability, a => (a === 'ondemand' ? 1 : 0));
    const t = tables ?? buildSearchTables(index);
    if (
      t.titleNames.start.length !== n + 1 ||
      t.fileNames.start.length !== n + 1 ||
      t.facets.length !== FACET_NAMES.length ||
      t.facets.some(f => f.offsets.length !== n + 1)
    ) {
      throw new OpenDataError(
        'E_FORMAT',
        `search index: built for ${t.titleNames.start.length - 1} records, the catalog has ${n}`
      );
    }
    this._facets = t.facets.map((f, g) => ({ name: FACET_NAMES[g], ...f }));
    this._terms = t.terms;
    this._postStart = t.postStart;
    this._postDocs = t.postDocs;
    this._postMask = t.postMask;
    this._titleNames = t.titleNames;
    this._fileNames = t.fileNames;
    // Newest date_published first, then the highest recid; compared as numbers (the dates'
    // ranks in string order), not as strings: a fifth of a cold search's start otherwise.
    const dates = [...new Set(c.date_published)].sort();
    const dateRank = new Map(dates.map((d, r) => [d, r]));
    const dateOf = Int32Array.from(c.date_published, d => dateRank.get(d)!);
    const recidOf = Float64Array.from(c.recid, Number);
    this._recentOrder = orderBy(n, (a, b) => dateOf[b] - dateOf[a] || recidOf[b] - recidOf[a]);
    this._recentRank = inverse(this._recentOrder);
  }

  /** One page of the records matching `text` (AND of its words; the last one may be a prefix) and the filters. */
  search(text = '', options: SearchOptions = {}): SearchResult {
    const page = options.page ?? 1;
    const size = options.size ?? 10;
    assertPage(page, size);
    text = text.replace(DOI_LABEL, '');
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
    let query: Query | null = null;
    if (terms.length) {
      query = this._query(text, terms);
      score = this._match(query);
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
    const positions = this._sorted(hit, total, score, query, sort, start + size).slice(
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

  /** The query's words, names, prefix word and the records it names by DOI. */
  private _query(text: string, terms: string[]): Query {
    const prefixLast = !/[^\p{L}\p{N}]$/u.test(text);
    const ids = Int32Array.from(terms, t => termId(this._terms, t));
    const want = ids.slice();
    if (prefixLast) want[terms.length - 1] = PREFIX;
    const names: number[][] = [];
    tokenizeNames(text).starts.forEach((start, i) => {
      if (start || !names.length) names.push([i]);
      else names[names.length - 1].push(i);
    });
    // A bare number is not taken for a recid here: "2011" is a year far more often.
    const trimmed = text.trim();
    const exact = DOI.test(trimmed) ? this._doiPositions(trimmed) : [];
    const n = this._n;
    return {
      terms,
      ids,
      want,
      names,
      prefixLast,
      exact,
      inTitle: new Uint8Array(n),
      inFiles: new Uint8Array(n)
    };
  }

  private _match(q: Query): Uint16Array {
    const { terms, prefixLast } = q;
    const n = this._n;
    const score = new Uint16Array(n);
    const seen = new Uint8Array(n); // terms matched so far, per record
    const best = new Uint8Array(n); // this term's best weight per record
    const fields = new Uint8Array(n); // fields this term hits, per record
    for (let t = 0; t < terms.length; t++) {
      const prefix = prefixLast && t === terms.length - 1;
      const exactId = q.ids[t];
      let ids: Uint32Array;
      if (prefix) {
        ids = this._prefixIds(terms[t]);
        this._markPrefix(ids);
      } else ids = exactId < 0 ? new Uint32Array(0) : Uint32Array.of(exactId);
      best.fill(0);
      fields.fill(0);
      for (const id of ids) {
        const exact = id === exactId;
        for (let k = this._postStart[id]; k < this._postStart[id + 1]; k++) {
          const doc = this._postDocs[k];
          if (seen[doc] !== t) continue; // missed an earlier term
          const mask = this._postMask[k];
          const w = weightOf(mask, exact);
          if (w > best[doc]) best[doc] = w;
          fields[doc] |= mask;
        }
      }
      let any = false;
      for (let doc = 0; doc < n; doc++) {
        if (best[doc] > 0) {
          seen[doc]++;
          score[doc] = Math.min(65535, score[doc] + best[doc]);
          if (fields[doc] & IN_TITLE) q.inTitle[doc]++;
          if (fields[doc] & IN_FILES) q.inFiles[doc]++;
          any = true;
        }
      }
      if (!any) return new Uint16Array(n);
    }
    for (let doc = 0; doc < n; doc++) if (seen[doc] !== terms.length) score[doc] = 0;
    return score;
  }

  /** Marks the word ids the last query word is a prefix of, for whole-name matching. */
  private _markPrefix(ids: Uint32Array): void {
    if (this._prefixMark.length < this._terms.length) {
      this._prefixMark = new Uint32Array(this._terms.length);
      this._stamp = 0;
    }
    this._stamp = (this._stamp + 1) >>> 0 || 1;
    for (const id of ids) this._prefixMark[id] = this._stamp;
  }

  /**
   * The best-match rank of a hit: its tier; then the query's names in sequence; then how wholly
   * they match (per name: the whole name 3, its start 2, inside it 1); then a dataset-path title
   * first; then the field weights; then mentions by other records (for file-name hits: fewer
   * file-name words); then fewer title words. Ties go to the most recent (_sorted).
   */
  private _rank(doc: number, q: Query, weight: number): number {
    let tier = TIER_ANY;
    let phrase = 0;
    let names = 0;
    let path = 0;
    const c = this.index.columns;
    let extra = Math.min(255, c.mentions?.[doc] ?? 0);
    const words = q.terms.length;
    if (q.exact.includes(doc)) tier = TIER_ID;
    else if (q.inTitle[doc] === words) {
      if (this._isWholeTitle(doc, q)) tier = TIER_TITLE;
      else {
        const m = this._nameMatch(this._titleNames, doc, q);
        if (m & 0x100) {
          tier = TIER_NAMES;
          phrase = (m >> 9) & 1;
          names = m & 0xff;
          path = DATASET_PATH.test(c.title[doc]) ? 1 : 0; // a dataset-path title
        } else tier = TIER_IN_TITLE;
      }
    } else if (q.inFiles[doc] === words) {
      const m = this._nameMatch(this._fileNames, doc, q);
      if (m & 0x100) {
        tier = TIER_FILES;
        phrase = (m >> 9) & 1;
        names = m & 0xff;
        const { start } = this._fileNames;
        extra = 255 - Math.min(255, start[doc + 1] - start[doc]);
      }
    }
    // Fewer title words first among equals (the record about just that).
    const titleWords = this._titleNames.start[doc + 1] - this._titleNames.start[doc];
    return (
      tier * 2 ** 32 +
      phrase * 2 ** 31 +
      Math.min(names, 63) * 2 ** 25 +
      path * 2 ** 24 +
      Math.min(weight, 1023) * 2 ** 14 +
      extra * 2 ** 6 +
      (63 - Math.min(63, titleWords))
    );
  }

  /** The title's words are the query's words, in order (the last one may be a prefix). */
  private _isWholeTitle(doc: number, q: Query): boolean {
    const { start, tokens } = this._titleNames;
    const s = start[doc];
    if (start[doc + 1] - s !== q.terms.length) return false;
    for (let t = 0; t < q.terms.length; t++) {
      const w = q.want[t];
      const token = tokens[s + t];
      if (w === PREFIX ? this._prefixMark[token] !== this._stamp : token !== w) return false;
    }
    return true;
  }

  /**
   * How the query's names match a field: the sum of each name's best level (bits 0-7), bit 8 when
   * every name matched, bit 9 when they match consecutive names in order (a phrase: the names
   * "DoubleMu Run2011A" in "/DoubleMu/Run2011A-12Oct2013-v1/AOD", not in "Run2011A ... DoubleMu").
   */
  private _nameMatch(field: Names, doc: number, q: Query): number {
    const { start, tokens, starts } = field;
    const s = start[doc];
    const e = start[doc + 1];
    const want = q.want;
    const mark = this._prefixMark;
    const stamp = this._stamp;
    let sum = 0;
    let all = true;
    let phrase = -1; // bit c: the names so far match at names c, c+1, ... (the first 32 names)
    for (let i = 0; i < q.names.length; i++) {
      const name = q.names[i];
      const len = name.length;
      let best = 0;
      let at = 0; // bit c: this name matches within the field's name c
      for (let p = s, c = -1; p + len <= e; p++) {
        if (starts[p]) c++;
        let k = 0;
        for (; k < len; k++) {
          if (k > 0 && starts[p + k]) break;
          const w = want[name[k]];
          const token = tokens[p + k];
          if (w === PREFIX ? mark[token] !== stamp : token !== w) break;
        }
        if (k < len) continue;
        const level = starts[p] ? (p + len === e || starts[p + len] ? 3 : 2) : 1;
        if (level > best) best = level;
        if (c < 32) at |= 1 << c;
      }
      sum += best;
      if (best === 0) all = false;
      phrase &= at >>> i;
    }
    return Math.min(sum, 255) | (all ? 0x100 : 0) | (all && phrase !== 0 ? 0x200 : 0);
  }

  private _doiPositions(doi: string): number[] {
    if (this._dois === null) {
      this._dois = new Map();
      this.index.columns.doi.forEach((d, i) => {
        if (!d) return;
        const key = d.toLowerCase();
        const list = this._dois!.get(key);
        if (list) list.push(i);
        else this._dois!.set(key, [i]);
      });
    }
    return this._dois.get(doi.toLowerCase()) ?? [];
  }

  /** Ids of the terms `prefix` begins (a range: ids are ranks in code-unit order). */
  private _prefixIds(prefix: string): Uint32Array {
    const terms = this._terms;
    const lo = lowerBound(terms, prefix);
    let end = lo;
    while (end < terms.length && terms[end].startsWith(prefix)) end++;
    const ids = new Uint32Array(end - lo);
    for (let i = 0; i < ids.length; i++) ids[i] = lo + i;
    return ids;
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
    query: Query | null,
    sort: SortOrder,
    limit: number
  ): Uint32Array {
    const out = new Uint32Array(Math.min(total, limit));
    if (sort === 'bestmatch' && score !== null && query !== null) {
      // One numeric key per hit: higher rank first, then the most recent (2^35 × n < 2^53: exact).
      const n = this._n;
      const keys = new Float64Array(total);
      let j = 0;
      for (let doc = 0; doc < n; doc++) {
        if (hit[doc]) {
          keys[j++] = (2 ** 35 - this._rank(doc, query, score[doc])) * n + this._recentRank[doc];
        }
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
}

/**
 * Tokenizes every record once into CSR postings (docs ascending per term), keeping the words of
 * titles and file names in order with their name starts. Term ids are the terms' ranks in
 * code-unit order (prefix queries look up id ranges).
 */
export function buildSearchTables(index: CatalogIndex): SearchTables {
  const c = index.columns;
  const n = index.count;
  let terms = new Uint32Array(1 << 21);
  let docs = new Uint32Array(1 << 21);
  let masks = new Uint8Array(1 << 21);
  let used = 0;
  const ids = new Map<string, number>();
  // Where a term's entry for the current record is (its posting is pushed once per record).
  let lastDoc = new Int32Array(1 << 18).fill(-1);
  let lastAt = new Uint32Array(1 << 18);
  let doc = 0;
  const post = (w: string, mask: number): number => {
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
      if (used === terms.length) {
        terms = grown(terms, used * 2);
        docs = grown(docs, used * 2);
        masks = grown(masks, used * 2);
      }
      lastDoc[id] = doc;
      lastAt[id] = used;
      terms[used] = id;
      docs[used] = doc;
      masks[used++] = mask;
    }
    return id;
  };
  const add = (text: string, mask: number) => {
    const words = text.toLowerCase().match(TOKEN);
    if (words !== null) for (const w of words) post(w, mask);
  };
  const addCompounds = (lower: string, mask: number) => {
    if (lower.indexOf('-') < 0) return;
    for (const w of compounds(lower)) post(w, mask);
  };
  const titles = new NamesBuilder(n, 16); // 15.4 words per title in the snapshot
  const files = new NamesBuilder(n, 4); // 3.2 file-name words per record
  const fileColumn = c.files;
  for (; doc < n; doc++) {
    titles.open(doc);
    const title = c.title[doc].toLowerCase();
    eachWord(title, (w, startsName) => titles.push(post(w, IN_TITLE), startsName));
    addCompounds(title, IN_TITLE);
    add(c.title_additional[doc], IN_META);
    add(c.doi[doc], IN_META);
    add(c.recid[doc], IN_META);
    for (const k of c.keywords[doc]) add(k, IN_META);
    add(c.abstract[doc], IN_ABSTRACT);
    addCompounds(c.abstract[doc].toLowerCase(), IN_ABSTRACT);
    files.open(doc);
    if (fileColumn?.[doc]) {
      eachWord(fileColumn[doc].toLowerCase(), (w, startsName) =>
        files.push(post(w, IN_FILES), startsName)
      );
    }
  }
  // Renumber the terms by their order: first-seen id → rank.
  const sorted = [...ids.keys()].sort();
  const rank = new Uint32Array(sorted.length);
  sorted.forEach((w, r) => (rank[ids.get(w)!] = r));
  // Counting sort by term rank (stable, so each term's docs stay ascending).
  const count = sorted.length;
  const start = new Uint32Array(count + 1);
  for (let k = 0; k < used; k++) start[rank[terms[k]] + 1]++;
  for (let t = 0; t < count; t++) start[t + 1] += start[t];
  const fill = start.slice(0, count);
  const postDocs = new Uint32Array(used);
  const postMask = new Uint8Array(used);
  for (let k = 0; k < used; k++) {
    const at = fill[rank[terms[k]]]++;
    postDocs[at] = docs[k];
    postMask[at] = masks[k];
  }
  const titleNames = titles.done();
  const fileNames = files.done();
  for (const names of [titleNames, fileNames]) {
    const tokens = names.tokens;
    for (let k = 0; k < tokens.length; k++) tokens[k] = rank[tokens[k]];
  }
  const facets = buildFacets(index, eventsOf(index));
  return { terms: sorted, postStart: start, postDocs, postMask, titleNames, fileNames, facets };
}

/**
 * Each facet's values per record (FACET_NAMES order), as key ids; `events`: number_events with
 * NaN for none.
 */
function buildFacets(index: CatalogIndex, events: Float64Array): FacetValues[] {
  const c = index.columns;
  const n = index.count;
  return [
    facetColumn('experiment', n, (i, add) => c.experiment[i].forEach(add)),
    facetColumn('type', n, (i, add) => {
      // Each primary type counts too, so "Dataset" and "Dataset::Collision" both filter.
      for (const k of c.type[i]) {
        const sep = k.indexOf('::');
        if (sep > 0) add(k.slice(0, sep));
        add(k);
      }
    }),
    facetColumn('year', n, (i, add) => {
      for (const y of c.year[i]) add(String(y));
    }),
    facetColumn(
      'collision_energy',
      n,
      (i, add) => c.collision_energy[i] && add(c.collision_energy[i])
    ),
    facetColumn('collision_type', n, (i, add) => c.collision_type[i] && add(c.collision_type[i])),
    facetColumn('file_type', n, (i, add) => c.file_type[i].forEach(add)),
    facetColumn('keywords', n, (i, add) => c.keywords[i].forEach(add)),
    facetColumn('category', n, (i, add) => c.category[i] && add(c.category[i])),
    facetColumn('number_events', n, (i, add) => {
      const v = events[i];
      const b = EVENT_BUCKETS.findIndex(([lo, hi]) => v >= lo && v <= hi);
      if (b >= 0) add(BUCKET_KEYS[b]);
    })
  ];
}

const eventsOf = (index: CatalogIndex) =>
  Float64Array.from(index.columns.number_events, v => (v == null ? NaN : v));

/** Id (rank) of a term in the sorted terms, or -1. */
function termId(terms: string[], term: string): number {
  const at = lowerBound(terms, term);
  return at < terms.length && terms[at] === term ? at : -1;
}

/** The first position whose term is not below `key` (code-unit order). */
function lowerBound(terms: string[], key: string): number {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Collects one field's words per record, in record order, into a `Names` CSR. */
class NamesBuilder {
  private readonly _start: Uint32Array;
  private _tokens: Uint32Array;
  private _starts: Uint8Array;
  private _used = 0;

  /** `perRecord`: the expected words per record (the arrays grow past it). */
  constructor(n: number, perRecord: number) {
    this._start = new Uint32Array(n + 1);
    this._tokens = new Uint32Array(Math.max(1 << 12, n * perRecord));
    this._starts = new Uint8Array(this._tokens.length);
  }

  /** Starts record `doc` (records are opened in order 0…n-1, each once). */
  open(doc: number): void {
    this._start[doc] = this._used;
  }

  push(id: number, startsName: boolean): void {
    if (this._used === this._tokens.length) {
      this._tokens = grown(this._tokens, this._used * 2);
      this._starts = grown(this._starts, this._used * 2);
    }
    this._tokens[this._used] = id;
    this._starts[this._used++] = startsName ? 1 : 0;
  }

  done(): Names {
    this._start[this._start.length - 1] = this._used;
    return {
      start: this._start,
      tokens: this._tokens.slice(0, this._used),
      starts: this._starts.slice(0, this._used)
    };
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

/**
 * A facet's values per record: `each(i, add)` adds record i's keys (a key added twice counts
 * once). Key ids in order of first appearance.
 */
function facetColumn(
  name: FacetName,
  n: number,
  each: (i: number, add: (key: string) => void) => void
): FacetColumn {
  const ids = new Map<string, number>();
  const offsets = new Uint32Array(n + 1);
  let values = new Uint32Array(n + 16);
  let used = 0;
  let lastDoc = new Int32Array(64).fill(-1); // the record a key was last added for
  let doc = 0;
  const add = (key: string) => {
    let id = ids.get(key);
    if (id === undefined) {
      ids.set(key, (id = ids.size));
      if (id === lastDoc.length) lastDoc = grown(lastDoc, id * 2).fill(-1, id);
    }
    if (lastDoc[id] === doc) return;
    lastDoc[id] = doc;
    if (used === values.length) values = grown(values, used * 2);
    values[used++] = id;
  };
  for (; doc < n; doc++) {
    each(doc, add);
    offsets[doc + 1] = used;
  }
  return { name, keys: [...ids.keys()], offsets, values: values.slice(0, used) };
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
