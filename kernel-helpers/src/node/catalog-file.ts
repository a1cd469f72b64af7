import path from 'node:path';
import zlib from 'node:zlib';
import { CatalogIndex } from '../core/catalog-index';
import { OpenDataError } from '../core/errors';
import { findDataDir } from './data-dir';
import { readFileOrThrow } from './read-file';

/**
 * Reads a catalog snapshot's `index.json.gz` from `catalogDir` (default: the bundled
 * `data/catalog`). Parsing takes ~0.2 s for the 47k-record snapshot: keep the result.
 */
export function loadCatalogIndex(catalogDir?: string): CatalogIndex {
  const file = path.join(catalogDir ?? path.join(findDataDir(), 'catalog'), 'index.json.gz');
  return CatalogIndex.fromJSON(readGzipJson(file, 'catalog index'), file);
}

/** A gzip-compressed JSON file of the snapshot (index or shard); failures name the file. */
export function readGzipJson(file: string, what: string): unknown {
  const compressed = readFileOrThrow(file, what);
  try {
    return JSON.parse(zlib.gunzipSync(compressed).toString('utf8'));
  } catch (err) {
    throw new OpenDataError(
      'E_FORMAT',
      `${file}: not gzip-compressed JSON (${(err as Error).message})`,
      { cause: err }
    );
  }
}
