// Real files served by the PortalServer stand-in under /eos/opendata/... paths, as the portal
// serves them over HTTP: Range requests answered with 206 + Content-Range (416 past the end),
// or ignored on request (a server without Range support). Faults come from PortalServer.
import fs from 'fs';
import path from 'path';
import type { PortalServer } from './portal-server';
import { sharedPath } from './shared-data';

export interface FileRoutes {
  /** URL path → local file. Add to it at any time. */
  files: Map<string, string>;
  /** When true, Range headers are ignored (200 with the whole file). */
  ignoreRange: boolean;
}

const EOS_PREFIX = 'root://eospublic.cern.ch/';

/** The URL path of an eos URI: `root://eospublic.cern.ch//eos/x` → `/eos/x`. */
export function eosPath(uri: string): string {
  if (!uri.startsWith(EOS_PREFIX)) throw new Error(`not an eospublic URI: ${uri}`);
  return '/' + uri.slice(EOS_PREFIX.length).replace(/^\/+/, '');
}

/** Serves `files` (URL path → local file) from `server` under GET /eos/... */
export function addPortalFiles(
  server: PortalServer,
  files: Record<string, string> = {}
): FileRoutes {
  const routes: FileRoutes = { files: new Map(Object.entries(files)), ignoreRange: false };
  server.route('GET', /^\/eos\/.+$/, (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const local = routes.files.get(urlPath);
    if (!local) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no such file: ${urlPath}`);
      return;
    }
    const body = fs.readFileSync(local);
    const size = body.length;
    const type = /\.json$/.test(local)
      ? 'application/json'
      : /\.(txt|csv)$/.test(local)
        ? 'text/plain'
        : 'application/octet-stream';
    const range = req.headers.range;
    if (!range || routes.ignoreRange) {
      res
        .writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes' })
        .end(body);
      return;
    }
    const m = /^bytes=(\d*)-(\d*)$/.exec(range);
    let start = m && m[1] !== '' ? Number(m[1]) : NaN;
    let end = m && m[2] !== '' ? Number(m[2]) : size - 1;
    if (m && m[1] === '' && m[2] !== '') {
      start = Math.max(0, size - Number(m[2])); // suffix range: the last N bytes
      end = size - 1;
    }
    if (!m || Number.isNaN(start) || start >= size || end < start) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    end = Math.min(end, size - 1);
    res
      .writeHead(206, {
        'content-type': type,
        'content-length': end - start + 1,
        'content-range': `bytes ${start}-${end}/${size}`,
        'accept-ranges': 'bytes'
      })
      .end(body.subarray(start, end + 1));
  });
  return routes;
}

/** The real file-index files (shared/data/records/file-indices) at the eos paths a record lists. */
export function indexFilesOf(record: { files?: { uri?: string }[] }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of record.files ?? []) {
    if (!f.uri) continue;
    const local = sharedPath('records', 'file-indices', path.basename(f.uri));
    if (fs.existsSync(local)) out[eosPath(f.uri)] = local;
  }
  return out;
}
