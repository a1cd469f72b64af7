// The prebuilt search index shipped with the bundled snapshot (search-index.bin.gz): it must be
// the inverted index of the bundled index.json.gz, give the same results as building it, and be
// ignored when it was built from another index.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { CatalogSearch, buildSearchTables } from '../../kernel-helpers/src/core/catalog-search';
import {
  SearchTables,
  decodeSearchTables,
  encodeSearchTables
} from '../../kernel-helpers/src/core/catalog-search-tables';
import { loadCatalogIndex } from '../../kernel-helpers/src/node/catalog-file';
import { snapshotCatalog } from '../../kernel-helpers/src/node/catalog';
import {
  SEARCH_INDEX_FILE,
  readSearchTables,
  writeSearchTables
} from '../../kernel-helpers/src/node/catalog-search-file';

const SNAPSHOT = path.join(__dirname, '..', '..', 'data', 'catalog');
const QUALITY = path.join(__dirname, '..', '..', 'kernel-helpers', 'bench', 'search-quality.json');
const index = loadCatalogIndex(SNAPSHOT);
const built = buildSearchTables(index);

// Compared as bytes (jest's deep equality takes minutes on a million entries).
const bytesOf = (a: Uint8Array | Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
function expectSameTables(a: SearchTables, b: SearchTables): void {
  expect(a.terms.length).toBe(b.terms.length);
  expect(a.terms.join('\n') === b.terms.join('\n')).toBe(true);
  const differing: string[] = [];
  for (const key of ['postStart', 'postDocs', 'postMask'] as const) {
    if (!bytesOf(a[key]).equals(bytesOf(b[key]))) differing.push(key);
  }
  for (const field of ['titleNames', 'fileNames'] as const) {
    for (const key of ['start', 'tokens', 'starts'] as const) {
      if (!bytesOf(a[field][key]).equals(bytesOf(b[field][key]))) differing.push(`${field}.${key}`);
    }
  }
  expect(a.facets.map(f => f.keys)).toEqual(b.facets.map(f => f.keys));
  a.facets.forEach((f, g) => {
    if (!bytesOf(f.offsets).equals(bytesOf(b.facets[g].offsets))) differing.push(`facet ${g}`);
    if (!bytesOf(f.values).equals(bytesOf(b.facets[g].values))) differing.push(`facet ${g}`);
  });
  expect(differing).toEqual([]);
}

test('the bundled search index is the one of the bundled index.json.gz', () => {
  const shipped = readSearchTables(SNAPSHOT, index);
  expect(shipped).not.toBeNull(); // null: missing, or built from another index.json.gz
  expectSameTables(shipped!, built);
});

test('term ids are ranks in code-unit order; each term has postings, docs ascending', () => {
  const { terms, postStart, postDocs } = built;
  const unordered = terms.findIndex((t, i) => i > 0 && !(terms[i - 1] < t));
  expect(unordered).toBe(-1);
  // Every title word is a term whose postings hold its record.
  const doc = index.positionOf('17');
  const { start, tokens } = built.titleNames;
  const words = Array.from(tokens.subarray(start[doc], start[doc + 1]), id => terms[id]);
  expect(words).toEqual(index.columns.title[doc].toLowerCase().match(/[a-z0-9]+/g));
  for (const id of tokens.subarray(start[doc], start[doc + 1])) {
    expect(Array.from(postDocs.subarray(postStart[id], postStart[id + 1]))).toContain(doc);
  }
  const wrong: string[] = [];
  for (let t = 0; t < terms.length; t++) {
    if (!(postStart[t + 1] > postStart[t])) wrong.push(`${terms[t]}: no postings`);
    for (let k = postStart[t] + 1; k < postStart[t + 1]; k++) {
      if (!(postDocs[k] > postDocs[k - 1])) wrong.push(`${terms[t]}: docs not ascending`);
    }
  }
  expect(wrong).toEqual([]);
});

test('the shipped tables give the same pages and facets as tables built from the index', () => {
  const read = new CatalogSearch(index, readSearchTables(SNAPSHOT, index)!);
  const fresh = new CatalogSearch(index);
  const quality = JSON.parse(fs.readFileSync(QUALITY, 'utf8')) as { queries: { query: string }[] };
  const queries = [
    ...quality.queries.map(q => q.query),
    '',
    'dimu',
    'di-muon',
    'Run2011A DoubleMu',
    'higgs 4l'
  ];
  for (const q of queries) {
    for (const options of [{}, { experiment: 'CMS', sort: 'title' as const, page: 2 }]) {
      expect(read.search(q, options)).toEqual(fresh.search(q, options));
    }
  }
});

describe('search-index.bin.gz in a snapshot directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odl-search-index-'));
    fs.cpSync(SNAPSHOT, dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a snapshot without one, or with one of another index.json.gz, builds its own', async () => {
    fs.rmSync(path.join(dir, SEARCH_INDEX_FILE));
    expect(readSearchTables(dir, index)).toBeNull();
    expect((await snapshotCatalog(dir).search('dimuon')).total).toBeGreaterThan(0);
    // Stale: the tables of this index, labelled with another index file's digest.
    fs.writeFileSync(
      path.join(dir, SEARCH_INDEX_FILE),
      zlib.gzipSync(encodeSearchTables(built, 'f'.repeat(64)))
    );
    expect(readSearchTables(dir, index)).toBeNull();
    writeSearchTables(dir, built);
    expect(readSearchTables(dir, index)).not.toBeNull();
  });

  test('a damaged file is E_FORMAT naming it', () => {
    const file = path.join(dir, SEARCH_INDEX_FILE);
    const bytes = zlib.gunzipSync(fs.readFileSync(file));
    for (const damaged of [
      bytes.subarray(0, bytes.length - 1000), // truncated
      Buffer.concat([bytes, Buffer.of(0)]), // trailing bytes
      Buffer.from('not a search index')
    ]) {
      fs.writeFileSync(file, zlib.gzipSync(damaged));
      expect(() => readSearchTables(dir, index)).toThrow(
        expect.objectContaining({ code: 'E_FORMAT', message: expect.stringContaining(file) })
      );
    }
    fs.writeFileSync(file, 'plain');
    expect(() => readSearchTables(dir, index)).toThrow(
      expect.objectContaining({ code: 'E_FORMAT' })
    );
  });
});

test('encode → decode keeps every table and the key', () => {
  const { key, records, tables } = decodeSearchTables(encodeSearchTables(built, 'abc'));
  expect(key).toBe('abc');
  expect(records).toBe(index.count);
  expectSameTables(tables, built);
});
