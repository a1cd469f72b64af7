// Portal records → the columnar catalog index (`CatalogIndexData`) plus the shards of full records.
// One implementation for the bundled snapshot (scripts/build-snapshot.mjs) and for `--catalog DIR`.
import type { CatalogColumns, CatalogIndexData } from './catalog-index';
import { OpenDataError } from './errors';

/** A record's metadata object as the portal has it; `recid` is a string ("1"…"160002"). */
export interface CatalogRecord {
  recid: string;
  title: string;
  [field: string]: unknown;
}

/** Shards of the snapshot's full records (`records/NN.json.gz`, by recid % shards). */
export const CATALOG_SHARDS = 64;

/**
 * Records with more files than this keep only the distinct words of their file names in the index
 * (DELPHI's run files "Y13713.322.al" by the thousand): every word stays searchable, and the
 * index grows by about 100 kB gzipped instead of 200 kB for every name.
 */
export const FILE_NAME_LIMIT = 100;

const WORD = /[\p{L}\p{N}]+/gu;

const baseName = (uri: string) => uri.slice(uri.lastIndexOf('/') + 1).replace(/\s+/g, '_');

/**
 * The `files` column entry of a record: its file names (then `listed`, the names its bundled file
 * indexes list), space-separated, or when there are more than FILE_NAME_LIMIT, their distinct
 * lower-case words joined by "_".
 */
export function fileNames(files: unknown, listed: string[] = []): string {
  const names = new Set<string>();
  for (const f of Array.isArray(files) ? files : []) {
    const uri = (f as { uri?: unknown } | null)?.uri;
    if (typeof uri !== 'string') continue;
    const name = baseName(uri);
    if (name) names.add(name);
  }
  for (const uri of listed) if (baseName(uri)) names.add(baseName(uri));
  if (names.size <= FILE_NAME_LIMIT) return [...names].join(' ');
  // Joined by "_" the words read as one long name: findable, but never a whole file name.
  const words = new Set<string>();
  for (const name of names) for (const w of name.toLowerCase().match(WORD) ?? []) words.add(w);
  return [...words].join('_');
}

/** A dataset path as a title: "/DoubleMu/Run2011A-12Oct2013-v1/AOD". */
export const DATASET_PATH = /^\/[^/\s]+\/[^/\s]+\/[^/\s]+$/;
const PATH_IN_TEXT = /\/[A-Za-z0-9_-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9-]+/g;

/**
 * For each record whose title is a dataset path, how many other records name that path in their
 * title or abstract ("derived from /DoubleMu/Run2011A-12Oct2013-v1/AOD"): the datasets others are
 * built on, which best match prefers among otherwise equal dataset paths.
 */
export function mentionCounts(titles: string[], abstracts: string[]): number[] {
  const byPath = new Map<string, number[]>();
  titles.forEach((t, i) => {
    if (!DATASET_PATH.test(t)) return;
    const list = byPath.get(t);
    if (list) list.push(i);
    else byPath.set(t, [i]);
  });
  const counts = new Array<number>(titles.length).fill(0);
  for (let i = 0; i < titles.length; i++) {
    const named = new Set<string>();
    for (const text of [titles[i], abstracts[i]]) {
      for (const m of text.match(PATH_IN_TEXT) ?? []) if (m !== titles[i]) named.add(m);
    }
    for (const path of named) for (const j of byPath.get(path) ?? []) counts[j]++;
  }
  return counts;
}

/** Plain text of the HTML in abstracts, for full-text search (display uses the sanitized HTML). */
export function plainText(html: unknown): string {
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

/** `Primary::Secondary` keys of a record's type, or the primary alone when it has no subtype. */
export function typeKeys(type: unknown): string[] {
  const t = (type ?? {}) as { primary?: string; secondary?: string[] };
  const primary = t.primary ?? '';
  const secondary = t.secondary ?? [];
  return secondary.length ? secondary.map(s => `${primary}::${s}`) : primary ? [primary] : [];
}

/** The years of `date_created`: "YYYY" entries and, for a few records, ranges like "2010-2011". */
export function years(dates: unknown): number[] {
  const ys = new Set<number>();
  for (const d of (dates as unknown[] | undefined) ?? []) {
    const m = String(d).match(/\d{4}/g) ?? [];
    if (m.length === 2) for (let y = +m[0]; y <= +m[1]; y++) ys.add(y);
    else m.forEach(y => ys.add(+y));
  }
  return [...ys].sort((a, b) => a - b);
}

interface Entry {
  record: CatalogRecord;
  full: boolean;
}

/**
 * Collects records from fixture files (JSON arrays of records) and builds the index. Later
 * fixtures replace earlier ones with the same recid; skeletons never replace a full record.
 */
export class CatalogBuilder {
  private readonly _entries = new Map<string, Entry>();
  private readonly _listed = new Map<string, string[]>();

  /**
   * Adds what a bundled file index lists (`name`: the index's file name, as a record's `files[]`
   * names it; `text`: its .txt content, one URI a line): the record holding the index is then
   * found by the names of those data files too.
   */
  addFileIndex(name: string, text: string): this {
    const uris = text
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean);
    this._listed.set(name, uris);
    return this;
  }

  /** Adds a fixture file's parsed content; anything but an array of records is E_FORMAT naming `source`. */
  addFixtures(records: unknown, source: string): this {
    for (const record of recordsOf(records, source)) {
      this._entries.set(record.recid, { record, full: true });
    }
    return this;
  }

  /**
   * Adds skeleton records (recid, doi, title only). The upstream file names say what they hold
   * ("cms-simulated-datasets-2016-part_NN.json": CMS simulated datasets of 2016), which fills in
   * experiment, type and year for search.
   */
  addSkeletons(records: unknown, source: string): this {
    const m = source.match(/(?:^|[/\\])cms-simulated-datasets-(\d{4})[^/\\]*$/);
    for (const r of recordsOf(records, source)) {
      if (this._entries.has(r.recid)) continue;
      const record: CatalogRecord = { ...r };
      if (m) {
        record.experiment = ['CMS'];
        record.type = { primary: 'Dataset', secondary: ['Simulated'] };
        record.date_created = [m[1]];
      }
      this._entries.set(r.recid, { record, full: false });
    }
    return this;
  }

  get size(): number {
    return this._entries.size;
  }

  /** The URIs the record's bundled file indexes list. */
  private _listedBy(files: unknown): string[] {
    if (!this._listed.size || !Array.isArray(files)) return [];
    return files.flatMap(f => {
      const uri = (f as { uri?: unknown } | null)?.uri;
      return typeof uri === 'string' ? (this._listed.get(baseName(uri)) ?? []) : [];
    });
  }

  /** The index (records in numeric recid order) and the full records sharded by recid % shards. */
  build(shardCount = CATALOG_SHARDS): {
    index: CatalogIndexData;
    shards: Record<string, CatalogRecord>[];
  } {
    const recids = [...this._entries.keys()].sort((a, b) => Number(a) - Number(b));
    const columns: CatalogColumns = {
      recid: [],
      title: [],
      title_additional: [],
      doi: [],
      experiment: [],
      type: [],
      year: [],
      date_published: [],
      collision_energy: [],
      collision_type: [],
      file_type: [],
      keywords: [],
      category: [],
      number_events: [],
      number_files: [],
      size: [],
      availability: [],
      full: [],
      abstract: [],
      files: [],
      mentions: []
    };
    const shards: Record<string, CatalogRecord>[] = Array.from({ length: shardCount }, () => ({}));
    for (const recid of recids) {
      const { record: r, full } = this._entries.get(recid)!;
      const dist = (r.distribution ?? {}) as Record<string, unknown>;
      const collision = (r.collision_information ?? {}) as Record<string, string | undefined>;
      columns.recid.push(recid);
      columns.title.push(r.title ?? '');
      columns.title_additional.push((r.title_additional as string) ?? '');
      columns.doi.push((r.doi as string) ?? '');
      columns.experiment.push((r.experiment as string[]) ?? []);
      columns.type.push(typeKeys(r.type));
      columns.year.push(years(r.date_created));
      columns.date_published.push((r.date_published as string) ?? '');
      columns.collision_energy.push(collision.energy ?? '');
      columns.collision_type.push(collision.type ?? '');
      columns.file_type.push((dist.formats as string[]) ?? []);
      columns.keywords.push((r.keywords as string[]) ?? []);
      columns.category.push((r.categories as { primary?: string } | undefined)?.primary ?? '');
      columns.number_events.push((dist.number_events as number) ?? null);
      columns.number_files.push((dist.number_files as number) ?? null);
      columns.size.push((dist.size as number) ?? null);
      columns.availability.push((dist.availability as string) ?? '');
      columns.full.push(full ? 1 : 0);
      columns.abstract.push(plainText((r.abstract as { description?: string })?.description));
      columns.files!.push(fileNames(r.files, this._listedBy(r.files)));
      if (full) shards[Number(recid) % shardCount][recid] = r;
    }
    columns.mentions = mentionCounts(columns.title, columns.abstract);
    const index: CatalogIndexData = {
      format: 'opendata-lab/catalog-index',
      version: 1,
      shards: shardCount,
      count: recids.length,
      columns
    };
    return { index, shards };
  }
}

function recordsOf(records: unknown, source: string): CatalogRecord[] {
  if (!Array.isArray(records)) {
    throw new OpenDataError('E_FORMAT', `${source}: not a JSON array of portal records`);
  }
  return records.map((r, i) => {
    const recid = (r as { recid?: unknown } | null)?.recid;
    if (typeof recid !== 'string' && typeof recid !== 'number') {
      throw new OpenDataError('E_FORMAT', `${source}: entry ${i} is not a record (no recid)`);
    }
    // The portal's recids are strings; a fixture written by hand may use numbers.
    return typeof recid === 'string' ? (r as CatalogRecord) : { ...r, recid: String(recid) };
  });
}
