// Tables from a path or a URL. A URL's file is downloaded once into the cache (resumed when cut,
// renamed into place only when complete: see download.ts) and read from there, so running a
// notebook again does not fetch it again.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Table } from 'apache-arrow';
import { OpenDataError } from '../core/errors';
import { fileName, isRemoteUri } from '../core/record-files';
import { quote, unsafeFileNameReason } from '../core/record-shape';
import { ReadCSVOptions } from './csv';
import { DownloadOptions, defaultCacheDir, downloadFile, pathInside } from './download';
import { readTableFile } from './table-file';

export interface ReadTableOptions extends ReadCSVOptions {
  /** For a URL: fetch it again even when the cache holds a copy (default false). */
  refresh?: boolean;
  /** Where URL copies are kept (default: the helpers' cache directory). */
  cacheDir?: string;
  /** For a URL: retries, timeouts, progress, the portal for root:// URIs. */
  download?: Omit<DownloadOptions, 'dir'>;
}

/**
 * A CSV or Arrow IPC table from a local path, an http(s) URL or a portal `root://` URI. A URL's
 * file is kept at cachedTablePath(url) and read from there; later calls read that copy unless
 * `refresh` is set. Errors about the contents name the URL.
 */
export async function readTable(source: string, options: ReadTableOptions = {}): Promise<Table> {
  if (!isRemoteUri(source)) return readTableFile(source, options);
  const file = await tableFileFor(source, options);
  try {
    return readTableFile(file, options);
  } catch (err) {
    if (!(err instanceof OpenDataError)) throw err;
    throw new OpenDataError(
      err.code,
      err.message.split(file).join(`${source} (cached at ${file})`),
      {
        cause: err
      }
    );
  }
}

/** Where readTable keeps a URL's file: the URL's hash keeps files of the same name apart. */
export function cachedTablePath(uri: string, cacheDir: string = defaultCacheDir()): string {
  const name = fileName(uri);
  const reason = unsafeFileNameReason(name);
  if (reason) {
    throw new OpenDataError(
      'E_USAGE',
      `${quote(uri)}: the URL names no file to read a table from (${quote(name)}: ${reason})`
    );
  }
  const key = crypto.createHash('sha256').update(uri).digest('hex').slice(0, 16);
  return pathInside(path.join(cacheDir, 'tables', key), name, quote(uri));
}

/** The local file of a path or URL: a URL's cached copy, downloaded first when there is none. */
export async function tableFileFor(
  source: string,
  options: Omit<ReadTableOptions, keyof ReadCSVOptions> = {}
): Promise<string> {
  if (!isRemoteUri(source)) return source;
  const target = cachedTablePath(source, options.cacheDir);
  // A file under its final name is complete: downloads write a .part file and rename it at the end.
  if (!options.refresh && fs.existsSync(target)) return target;
  const result = await downloadFile(
    { uri: source, name: path.basename(target) },
    { ...options.download, dir: path.dirname(target) }
  );
  return result.path;
}
