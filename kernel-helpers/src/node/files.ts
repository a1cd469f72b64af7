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
import { catalog } from './catalog';
import { findDataDir } from './data-dir';
import { DownloadOptions, DownloadResult, defaultCacheDir, downloadFiles } from './download';
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
    if (dir) {
      const local = path.join(dir, fileName(file.uri));
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

/** Where a record's files go by default: `<cache>/<recid>`. */
export function recordDir(recid: string | number, dir?: string): string {
  return dir ?? path.join(defaultCacheDir(), String(recid));
}

export type RecordDownloadOptions = Omit<FileListOptions, 'protocol'> & DownloadOptions;

/** Downloads a record's files (file indexes expanded unless `expand: false`) into `dir` (default `<cache>/<recid>`). */
export async function downloadRecord(
  record: string | number | object,
  options: RecordDownloadOptions = {}
): Promise<DownloadResult[]> {
  const meta = await getRecord(record, options);
  const files = await listFiles(meta, { ...options, expand: options.expand ?? true });
  const recid = recordFiles(meta).recid;
  return downloadFiles(files, { ...options, dir: recordDir(recid, options.dir) });
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
  options: Omit<FileListOptions, 'protocol'> & { dir?: string } = {}
): Promise<VerifiedFile[]> {
  const meta = await getRecord(record, options);
  const files = await listFiles(meta, { ...options, expand: options.expand ?? true });
  const dir = recordDir(recordFiles(meta).recid, options.dir);
  const out: VerifiedFile[] = [];
  for (const file of files) {
    const local = path.join(dir, fileName(file.uri));
    out.push({ path: local, uri: file.uri, ...(await checkFile(local, file)) });
  }
  return out;
}
