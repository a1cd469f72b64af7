#!/usr/bin/env node
// Builds data/catalog/ from the portal's record fixtures (../shared/data/records by default):
//   index.json.gz      one columnar table of every record (search, facets, result rows)
//   records/NN.json.gz the full records of the fixtures, sharded by recid % SHARDS
//   file-indices/      the real index files that the records' index.json/index.txt entries name
// Output is deterministic (sorted input, gzip without a timestamp) so a rebuild changes git only
// when the records change.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const SHARDS = 64;
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..');
const source = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'data', 'records'));
const out = path.resolve(process.argv[3] ?? path.join(root, 'data', 'catalog'));

const readJson = f => JSON.parse(fs.readFileSync(f, 'utf8'));
const jsonFiles = dir =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter(f => f.endsWith('.json'))
        .sort()
    : [];
const gzipJson = value => zlib.gzipSync(Buffer.from(JSON.stringify(value)), { level: 9 });

/** Plain text of the HTML in abstracts, for full-text search (display uses the sanitized HTML). */
function plainText(html) {
  return String(html ?? '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function typeKeys(type) {
  const primary = type?.primary ?? '';
  const secondary = type?.secondary ?? [];
  return secondary.length ? secondary.map(s => `${primary}::${s}`) : primary ? [primary] : [];
}

function years(dates) {
  const ys = new Set();
  for (const d of dates ?? []) {
    // date_created holds "YYYY" and, for a few records, ranges such as "2010-2011".
    const m = String(d).match(/\d{4}/g) ?? [];
    if (m.length === 2) for (let y = +m[0]; y <= +m[1]; y++) ys.add(y);
    else m.forEach(y => ys.add(+y));
  }
  return [...ys].sort((a, b) => a - b);
}

const records = new Map();
for (const f of jsonFiles(path.join(source, 'fixtures'))) {
  for (const r of readJson(path.join(source, 'fixtures', f))) {
    records.set(String(r.recid), { record: r, full: true });
  }
}
// Skeleton files carry only recid, doi and title. Their file names say what they hold
// ("cms-simulated-datasets-2016-part_NN.json"): CMS simulated datasets of one year.
for (const f of jsonFiles(path.join(source, 'skeletons'))) {
  const m = f.match(/^cms-simulated-datasets-(\d{4})/);
  for (const r of readJson(path.join(source, 'skeletons', f))) {
    const recid = String(r.recid);
    if (records.has(recid)) continue;
    const record = { ...r, recid };
    if (m) {
      record.experiment = ['CMS'];
      record.type = { primary: 'Dataset', secondary: ['Simulated'] };
      record.date_created = [m[1]];
    }
    records.set(recid, { record, full: false });
  }
}

const recids = [...records.keys()].sort((a, b) => Number(a) - Number(b));
const col = () => [];
const columns = {
  recid: col(),
  title: col(),
  title_additional: col(),
  doi: col(),
  experiment: col(),
  type: col(),
  year: col(),
  date_published: col(),
  collision_energy: col(),
  collision_type: col(),
  file_type: col(),
  keywords: col(),
  category: col(),
  number_events: col(),
  number_files: col(),
  size: col(),
  availability: col(),
  full: col(),
  abstract: col()
};
const shards = Array.from({ length: SHARDS }, () => ({}));
for (const recid of recids) {
  const { record: r, full } = records.get(recid);
  const dist = r.distribution ?? {};
  columns.recid.push(recid);
  columns.title.push(r.title ?? '');
  columns.title_additional.push(r.title_additional ?? '');
  columns.doi.push(r.doi ?? '');
  columns.experiment.push(r.experiment ?? []);
  columns.type.push(typeKeys(r.type));
  columns.year.push(years(r.date_created));
  columns.date_published.push(r.date_published ?? '');
  columns.collision_energy.push(r.collision_information?.energy ?? '');
  columns.collision_type.push(r.collision_information?.type ?? '');
  columns.file_type.push(dist.formats ?? []);
  columns.keywords.push(r.keywords ?? []);
  columns.category.push(r.categories?.primary ?? '');
  columns.number_events.push(dist.number_events ?? null);
  columns.number_files.push(dist.number_files ?? null);
  columns.size.push(dist.size ?? null);
  columns.availability.push(dist.availability ?? '');
  columns.full.push(full ? 1 : 0);
  columns.abstract.push(plainText(r.abstract?.description));
  if (full) shards[Number(recid) % SHARDS][recid] = r;
}

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'records'), { recursive: true });
const index = {
  format: 'opendata-lab/catalog-index',
  version: 1,
  shards: SHARDS,
  count: recids.length,
  columns
};
fs.writeFileSync(path.join(out, 'index.json.gz'), gzipJson(index));
shards.forEach((shard, i) =>
  fs.writeFileSync(
    path.join(out, 'records', `${String(i).padStart(2, '0')}.json.gz`),
    gzipJson(shard)
  )
);

const indicesDir = path.join(source, 'file-indices');
const copied = [];
if (fs.existsSync(indicesDir)) {
  fs.mkdirSync(path.join(out, 'file-indices'));
  for (const f of fs.readdirSync(indicesDir).sort()) {
    if (f === 'INDEX.json') continue;
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
