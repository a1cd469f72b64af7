// A stand-in for INSPIRE's literature search, on a PortalServer (test/fixtures/inspire/README.md):
// `GET /api/literature?q=references.reference.dois:"<doi>"&size=&sort=&fields=` answers the hits of
// literature-hits.json that cite the DOI, in the REST API's shape.
import fs from 'fs';
import path from 'path';
import type { PortalServer } from './portal-server';

export const INSPIRE_HITS_FILE = path.join(
  __dirname,
  '..',
  'fixtures',
  'inspire',
  'literature-hits.json'
);

export interface InspireHit {
  cites: string[];
  id: string;
  created: string;
  metadata: Record<string, unknown>;
  [field: string]: unknown;
}

export function readInspireHits(): InspireHit[] {
  return JSON.parse(fs.readFileSync(INSPIRE_HITS_FILE, 'utf8')) as InspireHit[];
}

/** The literature search answer for these parameters, as INSPIRE shapes it. */
export function literatureAnswer(hits: InspireHit[], params: URLSearchParams, base: string) {
  const doi = /^references\.reference\.dois:"([^"]*)"$/.exec(params.get('q') ?? '')?.[1] ?? '';
  const size = Number(params.get('size') ?? 10);
  const found = hits
    .filter(h => h.cites.some(c => c.toLowerCase() === doi.toLowerCase()))
    .sort((a, b) => b.created.localeCompare(a.created));
  return {
    hits: {
      hits: found.slice(0, size).map(({ cites: _cites, ...hit }) => hit),
      total: found.length
    },
    links: { self: `${base}/api/literature/?${params}` },
    sort_options: [
      { title: 'Most Recent', value: 'mostrecent' },
      { title: 'Most Cited', value: 'mostcited' }
    ]
  };
}

export function addInspireApi(server: PortalServer, hits = readInspireHits()): PortalServer {
  return server.route('GET', /^\/api\/literature\/?$/, (req, res) => {
    const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(literatureAnswer(hits, params, server.url)));
  });
}
