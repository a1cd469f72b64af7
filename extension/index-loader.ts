import { OpenDataError, fileName, type RecordFile } from '@opendata-lab/kernel-helpers/core';

/** Local copies of file indexes: which index files it has, and their bytes. */
export interface IIndexLoader {
  /** True when the index file (matched by its name) has a local copy. */
  has(file: RecordFile): boolean;
  /** The copy's bytes, checked by the caller against the size and checksum its record declares. */
  load(file: RecordFile): Promise<Uint8Array | string>;
}

/** An index loader over index files at URLs, keyed by file name (each fetched once). */
export function urlIndexLoader(
  urls: Readonly<Record<string, string | URL>>,
  fetchFn: (url: string | URL) => Promise<Response> = url => fetch(url)
): IIndexLoader {
  const loaded = new Map<string, Promise<Uint8Array>>();
  const urlOf = (file: RecordFile) =>
    Object.prototype.hasOwnProperty.call(urls, fileName(file.uri))
      ? urls[fileName(file.uri)]
      : null;
  return {
    has: file => urlOf(file) !== null,
    load: file => {
      const name = fileName(file.uri);
      const url = urlOf(file);
      if (url === null) {
        return Promise.reject(new OpenDataError('E_NOT_FOUND', `no bundled copy of ${name}`));
      }
      let bytes = loaded.get(name);
      if (!bytes) {
        bytes = fetchBytes(url, fetchFn, name);
        loaded.set(name, bytes);
        bytes.catch(() => loaded.delete(name));
      }
      return bytes;
    }
  };
}

async function fetchBytes(
  url: string | URL,
  fetchFn: (url: string | URL) => Promise<Response>,
  name: string
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (error) {
    throw new OpenDataError('E_NETWORK', `bundled file index ${name}: ${String(error)}`, {
      cause: error
    });
  }
  if (!response.ok) {
    throw new OpenDataError(
      'E_NETWORK',
      `bundled file index ${name}: HTTP ${response.status} ${response.statusText}`.trim()
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}
