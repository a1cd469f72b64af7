// A record's files from Node: the record from a catalog (snapshot, fixture directory or portal),
// file indexes expanded from the bundled copies or over HTTP, cernopendata-client's filters,
// downloads of a record into the cache and verification of what was downloaded.
import fs from 'node:fs';
import path from 'node:path';
import {
  FileFilters,
  FileProtocol,
  IndexLoader,
  RecordFile,
  expandRecordFiles,
  fileName,
  filterFiles,
  recordFiles,
  toHttpUri,
  withProtocol
} from '../core/record-files';
import { OpenDataError } from '../core/errors';
import { availabilityOf, recordAvailability, stagingUrl } from '../core/availability';
import { askedRecid, recidOf, recordFileName, unsafeFileNameReason } from '../core/record-shape';
import { catalog } from './catalog';
import { findDataDir } from './data-dir';
import {
  DownloadOptions,
  DownloadResult,
  defaultCacheDir,
  downloadFiles,
  pathInside
} from './download';
import { FileCheck, checkFile } from './file-checksum';
import { RetryOptions, fetchBytes } from './http';

export interface FileListOptions extends FileFilters {
  /** Replace file indexes by the files they list. */
  expand?: boolean;
  /** URI form of the result: `xrootd` (root://, as the portal lists them) or `http`. */
  protocol?: FileProtocol;
  /** A directory of portal fixture files instead of the bundled snapshot. */
  catalog?: string;
  /** The live portal (or a stand-in): records and files come from there. */
  portal?: string;
  /** Where local copies of index files are looked up first; null: always fetch. Default: the bundled data. */
  indexDir?: string | null;
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

/** Index files from a local directory when there, else over HTTP from the portal. */
export function indexLoader(
  options: {
    portal?: string;
    indexDir?: string | null;
  } & RetryOptions & { timeoutMs?: number } = {}
): IndexLoader {
  const dir =
    options.indexDir === undefined
      ? path.join(findDataDir(), 'catalog', 'file-indices')
      : options.indexDir;
  return async file => {
    const name = fileName(file.uri);
    if (dir && unsafeFileNameReason(name) === null) {
      const local = path.join(dir, name);
      if (fs.existsSync(local)) return fs.promises.readFile(local);
    }
    try {
      return await fetchBytes(toHttpUri(file.uri, options.portal), options);
    } catch (err) {
      if (!(err instanceof OpenDataError) || !dir) throw err;
      throw new OpenDataError(
        err.code,
        `${err.message} (file index ${fileName(file.uri)} has no local copy in ${dir})`,
        { cause: err }
      );
    }
  };
}

/** Gets a record (by recid, or as given) from the catalog the options name. */
export async function getRecord(
  record: string | number | object,
  options: { catalog?: string; portal?: string } = {}
): Promise<object> {
  if (typeof record === 'object') return record;
  const source = await catalog({ catalog: options.catalog, portal: options.portal });
  return source.get(record);
}

/** A record's files, like `cernopendata-client get-file-locations` plus filters. */
export async function listFiles(
  record: string | number | object,
  options: FileListOptions = {}
): Promise<RecordFile[]> {
  const files = recordFiles(await getRecord(record, options));
  const all = options.expand ? await expandRecordFiles(files, indexLoader(options)) : files.files;
  const selected = filterFiles(all, options);
  if (!options.protocol) return selected;
  return selected.map(f => ({
    ...f,
    uri: withProtocol(f.uri, options.protocol as FileProtocol, options.portal)
  }));
}

/** Where a record's files go by default: `<cache>/<recid>` (a recid is digits only, else E_USAGE). */
export function recordDir(recid: string | number, dir?: string): string {
  return dir ?? path.join(defaultCacheDir(), askedRecid(recid));
}

export interface RecordChoice {
  /**
   * The recid the caller asked for, when `record` is the metadata it got: the record's own recid
   * must equal it (E_FORMAT naming both otherwise). Given a recid, that one is asked for.
   */
  recid?: string | number;
}

export type RecordDownloadOptions = Omit<FileListOptions, 'protocol'> &
  DownloadOptions &
  RecordChoice & {
    /**
     * The record's files on tape were staged (requested on its portal page, and the portal said
     * they are ready): download them. Without it, files on tape are refused (E_UNSUPPORTED).
     */
    staged?: boolean;
  };

/**
 * A record's metadata and its recid, checked: digits only, equal to the one asked for. The recid
 * names the directory, so it comes from the question, never from the answer alone.
 */
async function checkedRecord(
  record: string | number | object,
  options: { catalog?: string; portal?: string } & RecordChoice
): Promise<{ meta: object; recid: string }> {
  const asked =
    typeof record === 'object'
      ? options.recid === undefined
        ? undefined
        : askedRecid(options.recid)
      : askedRecid(record);
  const meta = await getRecord(typeof record === 'object' ? record : (asked as string), options);
  const inner = (meta as { metadata?: unknown }).metadata;
  const recid = recidOf(inner && typeof inner === 'object' ? inner : meta, asked);
  return { meta, recid };
}

/** The files' names, each one safe path component (E_FORMAT naming the record and the file). */
function checkedNames(files: RecordFile[], recid: string): void {
  for (const file of files) recordFileName(file.uri, recid);
}

/** Downloads a record's files (file indexes expanded unless `expand: false`) into `dir` (default `<cache>/<recid>`). */
export async function downloadRecord(
  record: string | number | object,
  options: RecordDownloadOptions = {}
): Promise<DownloadResult[]> {
  const { meta, recid } = await checkedRecord(record, options);
  const inner = (meta as { metadata?: unknown }).metadata ?? meta;
  const availability = recordAvailability(inner);
  if (availability === 'ondemand' && !options.staged) {
    throw onTapeError(recid, 'its files are on tape', options.portal);
  }
  const files = await listFiles(meta, { ...options, expand: options.expand ?? true });
  checkedNames(files, recid);
  if (availability === 'partial' && !options.staged) {
    // Only the files the record marks as on tape are refused (index-listed files carry no mark).
    const tape = new Set(
      rawFiles(inner)
        .filter(f => availabilityOf(f.availability) === 'ondemand')
        .map(f => f.uri)
    );
    const refused = files.filter(f => tape.has(f.uri));
    if (refused.length > 0) {
      const what =
        refused.length === 1
          ? `its file ${fileName(refused[0].uri)} is on tape`
          : `${refused.length} of its files (${fileName(refused[0].uri)}, …) are on tape`;
      throw onTapeError(recid, what, options.portal);
    }
  }
  return downloadFiles(files, { ...options, dir: recordDir(recid, options.dir) });
}

/** E_UNSUPPORTED: files on tape must be staged first, with the portal page to request it on. */
function onTapeError(recid: string, what: string, portal?: string): OpenDataError {
  return new OpenDataError(
    'E_UNSUPPORTED',
    `record ${recid}: ${what} and must be staged before they can be downloaded: request it on ` +
      `${stagingUrl(recid, portal)} and, once the portal says the files are ready, download ` +
      `again with staged: true (opendata download --staged)`
  );
}

/** The record's own file entries and those of its file indexes, as given (uri and availability). */
function rawFiles(record: unknown): { uri: string; availability?: unknown }[] {
  const r = record as { files?: unknown; _file_indices?: unknown };
  const list = (v: unknown) => (Array.isArray(v) ? v : []) as { uri?: unknown }[];
  const entries = [
    ...list(r?.files),
    ...list(r?._file_indices).flatMap(i => list((i as { files?: unknown })?.files))
  ];
  return entries.filter(
    (f): f is { uri: string; availability?: unknown } => typeof f?.uri === 'string'
  );
}

export interface VerifiedFile extends FileCheck {
  path: string;
  uri: string;
}

/**
 * Checks a record's files already downloaded into `dir` (like `cernopendata-client
 * verify-files`): each file's presence, size and checksum against the record.
 */
export async function verifyRecord(
  record: string | number | object,
  options: Omit<FileListOptions, 'protocol'> & { dir?: string } & RecordChoice = {}
): Promise<VerifiedFile[]> {
  const { meta, recid } = await checkedRecord(record, options);
  const files = await listFiles(meta, { ...options, expand: options.expand ?? true });
  checkedNames(files, recid);
  const dir = recordDir(recid, options.dir);
  const out: VerifiedFile[] = [];
  for (const file of files) {
    const local = pathInside(dir, fileName(file.uri), `record ${recid}`);
    out.push({ path: local, uri: file.uri, ...(await checkFile(local, file)) });
  }
  return out;
}
