// A record's files and file indexes, expansion of the indexes, cernopendata-client's filters and
// the http/xrootd forms of a file's URI. Browser-safe: index contents come through a loader.
import { adler32, parseChecksum } from './checksum';
import { OpenDataError } from './errors';
import { PORTAL_URL } from './portal-catalog';

/** One file of a record, as the portal lists it. `size`/`checksum` are null where unknown. */
export interface RecordFile {
  uri: string;
  size: number | null;
  checksum: string | null;
  /** `index.json` / `index.txt` for a file index, absent for a data file. */
  type?: string;
}

/** A file index of a record: its listing files (fixtures) or its expanded files (API answers). */
export interface FileIndex {
  /** The index's name, e.g. `CMS_Run2010A_JetMETTau_AOD_Apr21ReReco-v1_0013`. */
  key: string;
  json?: RecordFile;
  txt?: RecordFile;
  /** The files it lists, when the source already expanded it (`_file_indices`). */
  files?: RecordFile[];
}

export interface RecordFiles {
  recid: string;
  /** The record's own `files[]`, index files included, in the portal's order. */
  files: RecordFile[];
  indices: FileIndex[];
}

/** Reads an index file's content (a JSON array or one URI a line). */
export type IndexLoader = (file: RecordFile) => Promise<Uint8Array | string>;

export const EOS_PUBLIC_PREFIX = 'root://eospublic.cern.ch/';

/** True for what is read over the network: http(s) URLs and `root://` URIs (via the portal). */
export function isRemoteUri(uri: string): boolean {
  return /^(https?|root):\/\//i.test(uri);
}

/** The last path segment of a URI: what filters match and downloads are named. */
export function fileName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `root://eospublic.cern.ch//eos/x` → `<portal>/eos/x`; other URIs are returned unchanged. */
export function toHttpUri(uri: string, portal: string = PORTAL_URL): string {
  if (!uri.startsWith(EOS_PUBLIC_PREFIX)) return uri;
  return portal.replace(/\/+$/, '') + '/' + uri.slice(EOS_PUBLIC_PREFIX.length).replace(/^\/+/, '');
}

/** `<portal>/eos/x` (or opendata.cern.ch's) → `root://eospublic.cern.ch//eos/x`; others unchanged. */
export function toXrootdUri(uri: string, portal: string = PORTAL_URL): string {
  for (const base of [portal, PORTAL_URL, 'http://opendata.cern.ch']) {
    const prefix = base.replace(/\/+$/, '') + '/eos/';
    if (uri.startsWith(prefix)) return EOS_PUBLIC_PREFIX + '/eos/' + uri.slice(prefix.length);
  }
  return uri;
}

export type FileProtocol = 'http' | 'xrootd';

export function withProtocol(uri: string, protocol: FileProtocol, portal?: string): string {
  return protocol === 'http' ? toHttpUri(uri, portal) : toXrootdUri(uri, portal);
}

/** An index's name: `CMS_Run2010A_..._0013` for `..._0013_file_index.json`, `.txt` or a key. */
function indexKey(name: string): string {
  return fileName(name)
    .replace(/\.(json|txt)$/i, '')
    .replace(/_file_index$/, '');
}

function asRecordFile(raw: unknown, where: string): RecordFile {
  const f = raw as { uri?: unknown; size?: unknown; checksum?: unknown; type?: unknown } | null;
  if (!f || typeof f.uri !== 'string' || f.uri === '') {
    throw new OpenDataError('E_FORMAT', `${where}: a file entry without a uri`);
  }
  const file: RecordFile = {
    uri: f.uri,
    size: typeof f.size === 'number' && Number.isFinite(f.size) ? f.size : null,
    checksum: typeof f.checksum === 'string' && f.checksum !== '' ? f.checksum : null
  };
  if (typeof f.type === 'string' && f.type !== '') file.type = f.type;
  return file;
}

function isIndexFile(file: RecordFile): 'json' | 'txt' | null {
  if (file.type === 'index.json' || /_file_index\.json$/.test(file.uri)) return 'json';
  if (file.type === 'index.txt' || /_file_index\.txt$/.test(file.uri)) return 'txt';
  return null;
}

/**
 * The files and file indexes of a record: a record's metadata object (fixtures, the snapshot) or
 * an API answer `{id, metadata}`, whose `metadata._file_indices` are already expanded.
 */
export function recordFiles(record: unknown): RecordFiles {
  const r = record as { metadata?: unknown; recid?: unknown; id?: unknown } | null;
  const meta = (r && typeof r.metadata === 'object' && r.metadata ? r.metadata : r) as {
    recid?: unknown;
    files?: unknown;
    _file_indices?: unknown;
  } | null;
  if (!meta || typeof meta !== 'object') {
    throw new OpenDataError('E_FORMAT', 'recordFiles: not a record');
  }
  const recid = String(meta.recid ?? r?.id ?? '?');
  const where = `record ${recid}`;
  const files = Array.isArray(meta.files) ? meta.files.map(f => asRecordFile(f, where)) : [];
  const byKey = new Map<string, FileIndex>();
  const indexFor = (key: string): FileIndex => {
    let index = byKey.get(key);
    if (!index) byKey.set(key, (index = { key }));
    return index;
  };
  for (const file of files) {
    const kind = isIndexFile(file);
    if (kind) indexFor(indexKey(file.uri))[kind] = file;
  }
  if (Array.isArray(meta._file_indices)) {
    for (const raw of meta._file_indices as { key?: unknown; files?: unknown }[]) {
      if (!raw || typeof raw.key !== 'string' || !Array.isArray(raw.files)) {
        throw new OpenDataError('E_FORMAT', `${where}: a _file_indices entry without key or files`);
      }
      indexFor(indexKey(raw.key)).files = raw.files.map(f =>
        asRecordFile(f, `${where}, file index ${raw.key}`)
      );
    }
  }
  return { recid, files, indices: [...byKey.values()] };
}

/** Parses an index file: a JSON array of `{checksum, filename, size, uri}` or one URI a line. */
export function parseFileIndex(content: string, name: string): RecordFile[] {
  const text = content.replace(/^\uFEFF/, '');
  if (/^\s*\[/.test(text)) {
    let entries: unknown;
    try {
      entries = JSON.parse(text);
    } catch (e) {
      throw new OpenDataError(
        'E_FORMAT',
        `${name}: invalid JSON file index (${(e as Error).message})`
      );
    }
    return (entries as unknown[]).map(entry => asRecordFile(entry, name));
  }
  if (/^\s*</.test(text)) {
    throw new OpenDataError('E_FORMAT', `${name}: got an HTML page, not a file index`);
  }
  const uris = text.split(/\r?\n/).map(line => line.trim());
  return uris
    .filter(uri => uri !== '')
    .map(uri => {
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
        throw new OpenDataError('E_FORMAT', `${name}: line ${JSON.stringify(uri)} is not a URI`);
      }
      return { uri, size: null, checksum: null };
    });
}

/** Checks an index file's bytes against the size and adler32 its record declares. */
function checkIndexBytes(file: RecordFile, bytes: Uint8Array): void {
  if (file.size != null && bytes.length !== file.size) {
    throw new OpenDataError(
      'E_CHECKSUM',
      `${file.uri}: file index has ${bytes.length} bytes, the record declares ${file.size}`
    );
  }
  if (!file.checksum) return;
  const declared = parseChecksum(file.checksum, file.uri);
  if (declared.algorithm !== 'adler32') return;
  const actual = adler32(bytes).toString(16).padStart(8, '0');
  if (actual !== declared.value) {
    throw new OpenDataError(
      'E_CHECKSUM',
      `${file.uri}: file index adler32 ${actual} does not match the declared ${declared.value}`
    );
  }
}

/** The files an index lists, loading its JSON form (sizes, checksums) or else its text form. */
export async function indexFiles(index: FileIndex, load: IndexLoader): Promise<RecordFile[]> {
  if (index.files) return index.files;
  const listing = index.json ?? index.txt;
  if (!listing) return [];
  const content = await load(listing);
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else {
    checkIndexBytes(listing, content);
    text = new TextDecoder('utf-8').decode(content);
  }
  return parseFileIndex(text, listing.uri);
}

/**
 * The record's files with every file index replaced by the files it lists (each index once, at
 * the place of its first listing file). Without `load`, indexes that need loading are an error.
 */
export async function expandRecordFiles(
  files: RecordFiles,
  load?: IndexLoader
): Promise<RecordFile[]> {
  const out: RecordFile[] = [];
  const done = new Set<string>();
  const byKey = new Map(files.indices.map(i => [i.key, i]));
  const expand = async (index: FileIndex): Promise<void> => {
    if (done.has(index.key)) return;
    done.add(index.key);
    if (!index.files && !load) {
      throw new OpenDataError(
        'E_UNSUPPORTED',
        `record ${files.recid}: file index ${index.key} needs a loader to expand`
      );
    }
    out.push(...(await indexFiles(index, load as IndexLoader)));
  };
  for (const file of files.files) {
    if (isIndexFile(file)) await expand(byKey.get(indexKey(file.uri)) as FileIndex);
    else out.push(file);
  }
  // API answers may carry expanded indexes whose listing files are not in files[].
  for (const index of files.indices) await expand(index);
  return out;
}

/** cernopendata-client's filters; each applies to what the previous one left. */
export interface FileFilters {
  /** Exact file names (the URI's last segment). */
  name?: string[];
  /** A regular expression searched in the file name. */
  regexp?: string;
  /** 1-based inclusive ranges `i-j` (or `i`), over the files left by the other filters. */
  range?: string[];
}

export function parseFileRange(text: string, count: number): [number, number] {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  const from = m ? Number(m[1]) : NaN;
  const to = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || from < 1 || to < from || to > count) {
    throw new OpenDataError(
      'E_USAGE',
      `file range ${JSON.stringify(text)}: expected i-j with 1 <= i <= j <= ${count} (the number of files)`
    );
  }
  return [from, to];
}

export function filterFiles<T extends { uri: string }>(files: T[], filters: FileFilters): T[] {
  let out = files;
  if (filters.name && filters.name.length > 0) {
    const names = new Set(filters.name);
    out = out.filter(f => names.has(fileName(f.uri)));
  }
  if (filters.regexp != null) {
    let re: RegExp;
    try {
      re = new RegExp(filters.regexp);
    } catch (e) {
      throw new OpenDataError('E_USAGE', `--filter-regexp: ${(e as Error).message}`);
    }
    out = out.filter(f => re.test(fileName(f.uri)));
  }
  if (filters.range && filters.range.length > 0) {
    const selected = out;
    out = filters.range.flatMap(text => {
      const [from, to] = parseFileRange(text, selected.length);
      return selected.slice(from - 1, to);
    });
  }
  return out;
}
