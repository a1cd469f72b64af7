// The papers that cite a dataset, from INSPIRE's literature API (docs/portal.md#inspire):
// GET <base>/api/literature?q=references.reference.dois:"<doi>"&size=N&sort=mostrecent&fields=…
// Browser-safe: the caller injects fetch. In JupyterLab the base is the server's route
// (<base_url>opendata-lab/inspire), which forwards exactly this query form and nothing else.
import { OpenDataError } from './errors';
import { fetchJSON, type FetchLike } from './portal-catalog';
import { withoutControls } from './record-shape';

export const INSPIRE_URL = 'https://inspirehep.net';
/** The only fields asked for (the route refuses any other list). */
export const INSPIRE_FIELDS =
  'titles,control_number,authors.full_name,publication_info,arxiv_eprints';
export const CITATIONS_SIZE = 25;
/** The most papers one request asks for (the route refuses more). */
export const CITATIONS_MAX_SIZE = 100;
// Answers set every size: values are cut (real titles are < 300 characters).
const TITLE_MAX = 2000;
const NAME_MAX = 300;
/** Authors kept per paper (collaboration papers list thousands); `authorCount` has them all. */
export const CITING_AUTHORS_KEPT = 10;

/**
 * A DOI as INSPIRE's query can carry it: `10.<registrant>/<suffix>`, printable ASCII without
 * space, quote or backslash (the DOI goes inside a quoted query term), at most 200 characters.
 * The same rule as the server route's (opendata_lab/portal_route.py).
 */
export const DOI_PATTERN = /^10\.\d{4,9}\/[!#-[\]-~]{1,190}$/;

export function isDoi(value: string): boolean {
  return DOI_PATTERN.test(value);
}

export interface CitingPaper {
  /** INSPIRE's record number (control_number). */
  inspireId: number;
  title: string;
  /** The first authors (up to CITING_AUTHORS_KEPT). */
  authors: string[];
  authorCount: number;
  /** e.g. "Phys.Rev.D 105 (2022) 012345", when published. */
  journal: string | null;
  year: number | null;
  arxiv: string | null;
  /** The paper's page on inspirehep.net (built from the number, never taken from the answer). */
  url: string;
}

export interface CitingPapers {
  doi: string;
  /** How many papers INSPIRE finds; `papers` holds the first `size` of them. */
  total: number;
  papers: CitingPaper[];
  /** INSPIRE's search page of all of them. */
  searchUrl: string;
}

export interface CitingPapersOptions {
  /** INSPIRE or the route that forwards to it; default https://inspirehep.net. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Papers asked for, 1…CITATIONS_MAX_SIZE; default CITATIONS_SIZE. */
  size?: number;
  timeoutMs?: number;
}

/** The DOI without `doi:` or a doi.org prefix; E_USAGE when it is not one. */
export function checkedDoi(value: string): string {
  const doi = String(value)
    .trim()
    .replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)/i, '');
  if (!isDoi(doi)) {
    throw new OpenDataError(
      'E_USAGE',
      `not a DOI: "${withoutControls(String(value)).slice(0, 80)}" (expected 10.NNNN/suffix)`
    );
  }
  return doi;
}

export function citingPapersQuery(doi: string): string {
  return `references.reference.dois:"${checkedDoi(doi)}"`;
}

/** The literature API URL for the papers citing `doi`. */
export function citingPapersUrl(
  doi: string,
  baseUrl: string = INSPIRE_URL,
  size: number = CITATIONS_SIZE
): string {
  if (!Number.isSafeInteger(size) || size < 1 || size > CITATIONS_MAX_SIZE) {
    throw new OpenDataError(
      'E_USAGE',
      `size must be a whole number from 1 to ${CITATIONS_MAX_SIZE}, got ${size}`
    );
  }
  const params = new URLSearchParams({
    q: citingPapersQuery(doi),
    size: String(size),
    sort: 'mostrecent',
    fields: INSPIRE_FIELDS
  });
  return `${baseUrl.replace(/\/+$/, '')}/api/literature?${params}`;
}

/** The papers whose references name `doi`. E_NETWORK offline, E_FORMAT for a malformed answer. */
export async function fetchCitingPapers(
  doi: string,
  options: CitingPapersOptions = {}
): Promise<CitingPapers> {
  const checked = checkedDoi(doi);
  const url = citingPapersUrl(checked, options.baseUrl, options.size ?? CITATIONS_SIZE);
  const f = options.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  if (!f) throw new OpenDataError('E_UNSUPPORTED', 'no fetch available to reach INSPIRE');
  const answer = await fetchJSON(f, url, {
    timeoutMs: options.timeoutMs ?? 20_000,
    label: `INSPIRE (${url})`
  });
  return citingPapersFrom(answer, checked, url);
}

/** Reads a literature search answer (`{hits: {total, hits: [{metadata}]}}`); `where` names it in errors. */
export function citingPapersFrom(answer: unknown, doi: string, where = 'INSPIRE'): CitingPapers {
  const hits = (answer as { hits?: { hits?: unknown; total?: unknown } } | null)?.hits;
  const rawTotal = hits?.total as number | { value?: number } | undefined;
  const total = typeof rawTotal === 'number' ? rawTotal : rawTotal?.value;
  if (!Array.isArray(hits?.hits) || !Number.isSafeInteger(total) || (total as number) < 0) {
    throw new OpenDataError(
      'E_FORMAT',
      `${where}: not a literature search answer (no hits.hits/hits.total)`
    );
  }
  const papers: CitingPaper[] = [];
  for (const hit of hits.hits as unknown[]) {
    const paper = paperOf((hit as { metadata?: unknown } | null)?.metadata);
    if (paper) papers.push(paper); // a hit without a record number cannot be linked: left out
  }
  return {
    doi,
    total: total as number,
    papers,
    searchUrl: `${INSPIRE_URL}/literature?q=${encodeURIComponent(citingPapersQuery(doi))}`
  };
}

function paperOf(metadata: unknown): CitingPaper | null {
  const m = (metadata ?? {}) as Record<string, unknown>;
  const id = Number(m.control_number);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const titles = list(m.titles);
  const title = clean(
    titles.map(t => str((t as { title?: unknown })?.title)).find(Boolean),
    TITLE_MAX
  );
  const authors = list(m.authors);
  const info = list(m.publication_info).find(
    p => str((p as Record<string, unknown>)?.journal_title) !== ''
  ) as Record<string, unknown> | undefined;
  const years = list(m.publication_info)
    .map(p => Number((p as Record<string, unknown>)?.year))
    .filter(y => Number.isSafeInteger(y) && y > 1000 && y < 10000);
  const arxiv = clean(str((list(m.arxiv_eprints)[0] as { value?: unknown })?.value), 100);
  return {
    inspireId: id,
    title,
    authors: authors
      .slice(0, CITING_AUTHORS_KEPT)
      .map(a => clean(str((a as { full_name?: unknown })?.full_name), NAME_MAX))
      .filter(Boolean),
    authorCount: authors.length,
    journal: info ? journalOf(info) : null,
    year: years[0] ?? null,
    arxiv: arxiv || null,
    url: `${INSPIRE_URL}/literature/${id}`
  };
}

function journalOf(p: Record<string, unknown>): string {
  const page = str(p.artid) || [str(p.page_start), str(p.page_end)].filter(Boolean).join('-');
  const year = str(p.year);
  return clean(
    [str(p.journal_title), str(p.journal_volume), year ? `(${year})` : '', page]
      .filter(Boolean)
      .join(' '),
    NAME_MAX
  );
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** Plain one-line text: no controls, whitespace folded, cut at `max` characters. */
function clean(value: string | undefined, max: number): string {
  const text = withoutControls(value ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
