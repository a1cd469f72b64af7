// Opening a catalog from Node: the bundled snapshot, a directory (a snapshot or portal fixture
// files, `--catalog DIR`) or the live portal (`--portal URL`).
import fs from 'node:fs';
import path from 'node:path';
import { CatalogBuilder, CatalogRecord } from '../core/catalog-build';
import { CatalogIndex } from '../core/catalog-index';
import { CatalogSearch } from '../core/catalog-search';
import { CatalogSource, IndexedCatalog } from '../core/catalog-source';
import { OpenDataError } from '../core/errors';
import { FetchLike, PORTAL_URL, PortalCatalog } from '../core/portal-catalog';
import { loadCatalogIndex, readGzipJson } from './catalog-file';
import { readSearchTables } from './catalog-search-file';
import { findDataDir } from './data-dir';
import { nodeFetch } from './http';
import { readFileOrThrow } from './read-file';

export interface CatalogOptions {
  /** A directory: a catalog snapshot (`index.json.gz` + `records/`) or portal fixture files (JSON arrays of records). */
  catalog?: string;
  /** Use the live portal at this URL (`true`: https://opendata.cern.ch) instead of local records. */
  portal?: string | boolean;
  /** For the portal: the fetch to use (default: Node's http/https, as downloads) and the request timeout. */
  fetch?: FetchLike;
  timeoutMs?: number;
}

let bundled: IndexedCatalog | null = null;

/**
 * A catalog to search and read records from, e.g.
 * `const cat = await catalog(); await cat.search('dimuon', { experiment: ['CMS'] })`.
 * Default: the bundled snapshot of every portal record (loaded once per process).
 */
export async function catalog(options: CatalogOptions = {}): Promise<CatalogSource> {
  if (options.portal) {
    const url = options.portal === true ? PORTAL_URL : options.portal;
    return new PortalCatalog(url, {
      fetch: options.fetch ?? nodeFetch,
      timeoutMs: options.timeoutMs
    });
  }
  if (options.catalog !== undefined) return openCatalogDir(options.catalog);
  return (bundled ??= snapshotCatalog(path.join(findDataDir(), 'catalog')));
}

/** A catalog directory: a snapshot when it holds `index.json.gz`, else fixture files. */
export function openCatalogDir(dir: string): IndexedCatalog {
  return fs.existsSync(path.join(dir, 'index.json.gz'))
    ? snapshotCatalog(dir)
    : fixtureCatalog(dir);
}

/** A snapshot directory (`index.json.gz` and `records/NN.json.gz`), as scripts/build-snapshot.mjs writes it. */
export function snapshotCatalog(dir: string): IndexedCatalog {
  return new SnapshotCatalog(dir);
}

/** A snapshot whose search reads the prebuilt search index when the directory has an up-to-date one. */
class SnapshotCatalog extends IndexedCatalog {
  private _engine: CatalogSearch | null = null;

  constructor(private readonly _dir: string) {
    super(
      loadCatalogIndex(_dir),
      async name =>
        readGzipJson(path.join(_dir, 'records', name), 'catalog shard') as Record<
          string,
          CatalogRecord
        >,
      _dir
    );
  }

  override get engine(): CatalogSearch {
    return (this._engine ??= new CatalogSearch(
      this.index,
      readSearchTables(this._dir, this.index) ?? undefined
    ));
  }
}

/**
 * Every `*.json` file of `dir` read as portal fixtures (JSON arrays of records) and indexed as
 * the snapshot is. A directory laid out like the portal's content (`fixtures/` and `skeletons/`)
 * is read as such.
 */
export function fixtureCatalog(dir: string): IndexedCatalog {
  const builder = new CatalogBuilder();
  const fixtures = path.join(dir, 'fixtures');
  if (fs.existsSync(fixtures) && fs.statSync(fixtures).isDirectory()) {
    for (const f of jsonFiles(fixtures)) builder.addFixtures(readJson(f), f);
    const skeletons = path.join(dir, 'skeletons');
    if (fs.existsSync(skeletons)) {
      for (const f of jsonFiles(skeletons)) builder.addSkeletons(readJson(f), f);
    }
  } else {
    for (const f of jsonFiles(dir)) builder.addFixtures(readJson(f), f);
  }
  if (builder.size === 0) {
    throw new OpenDataError(
      'E_NOT_FOUND',
      `${dir}: no portal records (*.json fixture files) found`
    );
  }
  const { index, shards } = builder.build(1);
  return new IndexedCatalog(CatalogIndex.fromJSON(index, dir), async () => shards[0], dir);
}

function jsonFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new OpenDataError(
      'E_NOT_FOUND',
      `${dir}: cannot read the catalog directory (${(err as Error).message})`,
      {
        cause: err
      }
    );
  }
  return names
    .filter(f => f.endsWith('.json'))
    .sort()
    .map(f => path.join(dir, f));
}

function readJson(file: string): unknown {
  const text = readFileOrThrow(file, 'fixture file').toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new OpenDataError('E_FORMAT', `${file}: not JSON (${(err as Error).message})`, {
      cause: err
    });
  }
}
