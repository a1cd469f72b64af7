// The portal's REST API (/api/records/ and /api/records/<recid>) for the PortalServer stand-in,
// answered from real fixture records in the portal's answer shape (docs/portal.md). Its search is a
// deliberately plain, separate implementation (substring words, brute-force aggregations), so
// tests of the helpers' portal source don't check our engine against itself.
import fs from 'fs';
import path from 'path';
import type { PortalServer } from './portal-server';

export const SHARED_RECORDS = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'records');

export type PortalRecord = { recid: string; title: string; [field: string]: unknown };

/** Reads fixture files (names relative to shared/data/records/fixtures; default: all of them). */
export function readFixtures(files?: string[]): PortalRecord[] {
  const dir = path.join(SHARED_RECORDS, 'fixtures');
  const names = files ?? fs.readdirSync(dir).filter(f => f.endsWith('.json'));
  return names.flatMap(f => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}

/** The facets a record has, as the portal aggregates them (type separately: it is nested). */
const TERMS: Record<string, (r: PortalRecord) => string[]> = {
  experiment: r => (r.experiment as string[]) ?? [],
  year: r => ((r.date_created as string[]) ?? []).map(String),
  collision_energy: r => optional((r.collision_information as { energy?: string })?.energy),
  collision_type: r => optional((r.collision_information as { type?: string })?.type),
  file_type: r => ((r.distribution as { formats?: string[] })?.formats as string[]) ?? [],
  keywords: r => (r.keywords as string[]) ?? [],
  category: r => optional((r.categories as { primary?: string })?.primary)
};
const optional = (v: string | undefined) => (v ? [v] : []);

function typeOf(r: PortalRecord): { primary: string; secondary: string[] } {
  const t = (r.type ?? {}) as { primary?: string; secondary?: string[] };
  return { primary: t.primary ?? '', secondary: t.secondary ?? [] };
}

function matchesFilter(r: PortalRecord, facet: string, values: string[]): boolean {
  if (facet === 'type') {
    const t = typeOf(r);
    return values.some(v => {
      const [p, s] = v.split('::');
      return t.primary === p && (s === undefined || t.secondary.includes(s));
    });
  }
  if (facet === 'year') {
    return values.some(v => {
      const [lo, hi = lo] = v.split('--').map(Number);
      return TERMS.year(r).some(y => Number(y) >= lo && Number(y) <= hi);
    });
  }
  if (facet === 'number_events') {
    const n = (r.distribution as { number_events?: number })?.number_events;
    return values.some(v => {
      const [lo, hi] = v.split('--');
      return n != null && n >= Number(lo || 0) && (hi === '' || n <= Number(hi));
    });
  }
  return TERMS[facet](r).some(v => values.includes(v));
}

/** `q`: words that must all occur (case-insensitive) in title, abstract or DOI; or `doi:"…"` / `title:"…"`. */
function matchesQuery(r: PortalRecord, q: string): boolean {
  const field = q.match(/^(doi|title):"((?:[^"\\]|\\.)*)"$/);
  if (field) {
    const value = field[2].replace(/\\(.)/g, '$1').toLowerCase();
    return String(r[field[1]] ?? '').toLowerCase() === value;
  }
  const text = [r.title, (r.abstract as { description?: string })?.description, r.doi]
    .join(' ')
    .toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every(w => text.includes(w));
}

const FILTERS = [...Object.keys(TERMS), 'type', 'number_events'];

interface Bucket {
  key: string;
  doc_count: number;
  subtype?: { buckets: Bucket[] };
}

function buckets(counts: Map<string, number>): Bucket[] {
  return [...counts]
    .map(([key, doc_count]) => ({ key, doc_count }))
    .sort((a, b) => b.doc_count - a.doc_count || a.key.localeCompare(b.key));
}

/** The portal's search answer for a query string. */
export function searchAnswer(records: PortalRecord[], params: URLSearchParams, base: string) {
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? 1);
  const size = Number(params.get('size') ?? 10);
  const active = FILTERS.map(f => [f, params.getAll(f)] as const).filter(([, v]) => v.length);
  const matching = records.filter(r => matchesQuery(r, q));
  const passing = (r: PortalRecord, except?: string) =>
    active.every(([f, v]) => f === except || matchesFilter(r, f, v));
  const hits = matching.filter(r => passing(r));
  if (params.get('sort') === 'title') hits.sort((a, b) => a.title.localeCompare(b.title));

  const aggregations: Record<string, { buckets: Bucket[] }> = {};
  for (const facet of Object.keys(TERMS)) {
    const counts = new Map<string, number>();
    for (const r of matching) {
      if (!passing(r, facet)) continue;
      for (const v of new Set(TERMS[facet](r))) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    aggregations[facet] = { buckets: buckets(counts) };
  }
  const primaries = new Map<string, number>();
  const subtypes = new Map<string, Map<string, number>>();
  for (const r of matching) {
    if (!passing(r, 'type')) continue;
    const t = typeOf(r);
    if (!t.primary) continue;
    primaries.set(t.primary, (primaries.get(t.primary) ?? 0) + 1);
    const sub = subtypes.get(t.primary) ?? new Map<string, number>();
    for (const s of new Set(t.secondary)) sub.set(s, (sub.get(s) ?? 0) + 1);
    subtypes.set(t.primary, sub);
  }
  aggregations.type = {
    buckets: buckets(primaries).map(b => ({
      ...b,
      subtype: { buckets: buckets(subtypes.get(b.key)!) }
    }))
  };
  return {
    hits: {
      hits: hits.slice((page - 1) * size, page * size).map(r => recordAnswer(r, base)),
      total: hits.length
    },
    links: { self: `${base}/api/records/?${params}` },
    aggregations
  };
}

/** `{id, created, updated, links, metadata}` with index files expanded into `_file_indices`. */
export function recordAnswer(r: PortalRecord, base: string) {
  const indexDir = path.join(SHARED_RECORDS, 'file-indices');
  const fileIndices = ((r.files as { type?: string; uri?: string }[]) ?? [])
    .filter(f => f.type === 'index.json' && f.uri)
    .map(f => path.basename(f.uri!))
    .filter(name => fs.existsSync(path.join(indexDir, name)))
    .map(name => ({
      key: name.replace(/_file_index\.json$/, ''),
      files: JSON.parse(fs.readFileSync(path.join(indexDir, name), 'utf8'))
    }));
  const metadata = fileIndices.length ? { ...r, _file_indices: fileIndices } : r;
  return {
    id: Number(r.recid),
    created: '2024-01-01T00:00:00+00:00',
    updated: '2024-01-01T00:00:00+00:00',
    links: { self: `${base}/api/records/${r.recid}` },
    metadata
  };
}

/** Adds the API routes to a stand-in server. */
export function addPortalApi(server: PortalServer, records: PortalRecord[]): PortalServer {
  const byRecid = new Map(records.map(r => [String(r.recid), r]));
  const json = (res: import('http').ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return server
    .route('GET', /^\/api\/records\/?$/, (req, res) => {
      const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
      json(res, 200, searchAnswer(records, params, server.url));
    })
    .route('GET', /^\/api\/records\/([^/]+)$/, (_req, res, match) => {
      const r = byRecid.get(decodeURIComponent(match[1]));
      if (r) json(res, 200, recordAnswer(r, server.url));
      else json(res, 404, { status: 404, message: 'PID does not exist.' });
    });
}
