#!/usr/bin/env node
// Builds data/catalog/ from the portal's record fixtures (RECORDS_DIR: fixtures/, skeletons/ and
// file-indices/, as docs/architecture.md describes):
//   index.json.gz      one columnar table of every record (search, facets, result rows)
//   search-index.bin.gz the search's inverted index of index.json.gz, prebuilt so a cold search
//                      reads it instead of tokenizing every record (core/catalog-search-tables.ts)
//   records/NN.json.gz the full records of the fixtures, sharded by recid % SHARDS
//   file-indices/      the real index files that the records' index.json/index.txt entries name
//                      (the data file names they list are searched with their records' files)
// Output is deterministic (sorted input, gzip without a timestamp) so a rebuild changes git only
// when the records change.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..');
if (process.argv[2] === undefined) {
  console.error('usage: npm run build:snapshot -- RECORDS_DIR [OUT_DIR]');
  process.exit(2);
}
const source = path.resolve(process.argv[2]);
// Without records the build would replace the bundled catalog by an empty one.
if (!fs.existsSync(path.join(source, 'fixtures'))) {
  console.error(`build-snapshot: ${source} has no fixtures/ directory of portal records`);
  process.exit(1);
}
const out = path.resolve(process.argv[3] ?? path.join(root, 'data', 'catalog'));

// The record → index conversion is the helpers' own (core/catalog-build.ts), also used by
// `opendata --catalog DIR`: build the helpers first (npm run build:helpers).
const require = createRequire(import.meta.url);
const dist = path.join(root, 'kernel-helpers', 'dist');
const { CatalogBuilder } = require(path.join(dist, 'core', 'catalog-build.js'));
const { CatalogIndex } = require(path.join(dist, 'core', 'catalog-index.js'));
const { buildSearchTables } = require(path.join(dist, 'core', 'catalog-search.js'));
const { writeSearchTables } = require(path.join(dist, 'node', 'catalog-search-file.js'));

const readJson = f => JSON.parse(fs.readFileSync(f, 'utf8'));
const jsonFiles = dir =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter(f => f.endsWith('.json'))
        .sort()
    : [];
const gzipJson = value => zlib.gzipSync(Buffer.from(JSON.stringify(value)), { level: 9 });

const builder = new CatalogBuilder();
for (const f of jsonFiles(path.join(source, 'fixtures'))) {
  builder.addFixtures(readJson(path.join(source, 'fixtures', f)), f);
}
for (const f of jsonFiles(path.join(source, 'skeletons'))) {
  builder.addSkeletons(readJson(path.join(source, 'skeletons', f)), f);
}
// The bundled file indexes' data file names are searched with their records' file names.
const indicesDir = path.join(source, 'file-indices');
const indexFiles = fs.existsSync(indicesDir)
  ? fs
      .readdirSync(indicesDir)
      .filter(f => f !== 'INDEX.json')
      .sort()
  : [];
for (const f of indexFiles.filter(f => f.endsWith('.txt'))) {
  builder.addFileIndex(f, fs.readFileSync(path.join(indicesDir, f), 'utf8'));
}
const { index, shards } = builder.build();
const { columns } = index;
const SHARDS = index.shards;
const recids = columns.recid;

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'records'), { recursive: true });
fs.writeFileSync(path.join(out, 'index.json.gz'), gzipJson(index));
writeSearchTables(out, buildSearchTables(CatalogIndex.fromJSON(index)));
shards.forEach((shard, i) =>
  fs.writeFileSync(
    path.join(out, 'records', `${String(i).padStart(2, '0')}.json.gz`),
    gzipJson(shard)
  )
);

const copied = [];
if (fs.existsSync(indicesDir)) {
  fs.mkdirSync(path.join(out, 'file-indices'));
  for (const f of indexFiles) {
    fs.copyFileSync(path.join(indicesDir, f), path.join(out, 'file-indices', f));
    copied.push(f);
  }
}

const digest = createHash('sha256')
  .update(fs.readFileSync(path.join(out, 'index.json.gz')))
  .digest('hex');
fs.writeFileSync(
  path.join(out, 'MANIFEST.json'),
  JSON.stringify(
    {
      records: recids.length,
      full_records: columns.full.filter(Boolean).length,
      shards: SHARDS,
      file_indices: copied,
      index_sha256: digest
    },
    null,
    2
  ) + '\n'
);
console.log(
  `catalog: ${recids.length} records (${columns.full.filter(Boolean).length} full) -> ${path.relative(root, out)}`
);
