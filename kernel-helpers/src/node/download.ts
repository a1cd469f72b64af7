// Downloads into a cache directory, robust against a bad network: retries with backoff, resume
// from `<name>.part` with HTTP Range, detection of the portal's HTML error page, size and
// checksum verification, and atomic completion — a file appears under its final name only when
// it is complete (and verified, when asked), by rename from `.part`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { OpenDataError } from '../core/errors';
import { fileName, toHttpUri } from '../core/record-files';
import { quote, unsafeFileNameReason } from '../core/record-shape';
import { checkFile } from './file-checksum';
import {
  Agents,
  HttpStatusError,
  RetryOptions,
  asNetworkError,
  httpGet,
  networkError,
  withRetries
} from './http';
import { DownloadProgress, ProgressListener, defaultProgress } from './progress';

/** Where downloads go unless told otherwise. */
export const CACHE_DIR_ENV = 'OPENDATA_LAB_CACHE';

/** `$OPENDATA_LAB_CACHE`, else `$XDG_CACHE_HOME/opendata-lab`, else `~/.cache/opendata-lab`. */
export function defaultCacheDir(): string {
  const fromEnv = process.env[CACHE_DIR_ENV];
  if (fromEnv) return path.resolve(fromEnv);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'opendata-lab');
}

/** A file to fetch: its URL (root://eospublic URIs map to the portal) and what the record declares. */
export interface DownloadItem {
  uri: string;
  size?: number | null;
  checksum?: string | null;
  /** The name in the destination directory; default: the URI's last segment. */
  name?: string;
}

export interface DownloadOptions extends RetryOptions {
  /** Destination directory (created). Default: defaultCacheDir(). */
  dir?: string;
  /** Check the declared checksum (adler32 or sha1) before completing. Default true. */
  verify?: boolean;
  /** Files fetched at once. Default 4. */
  concurrency?: number;
  /** Inactivity timeout of a request, in ms. Default 30 s. */
  timeoutMs?: number;
  /** Where `root://eospublic.cern.ch//eos/...` URIs are fetched from (a stand-in in tests). */
  portal?: string;
  /** Progress callback; false for none. Default: a notebook display or a terminal bar, if any. */
  progress?: ProgressListener | false;
}

export interface DownloadResult {
  path: string;
  size: number;
  /** The file's checksum when verified, else the declared one (null when none). */
  checksum: string | null;
  verified: boolean;
  /** True when a complete file was already there and nothing was fetched. */
  skipped: boolean;
  url: string;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/** The file's name, refused unless it is one plain path component (see unsafeFileNameReason). */
function safeName(item: DownloadItem): string {
  const name = item.name ?? fileName(item.uri);
  const reason = unsafeFileNameReason(name);
  if (reason) {
    throw new OpenDataError(
      'E_USAGE',
      `${quote(item.uri)}: cannot name a downloaded file ${quote(name)}: ${reason}`
    );
  }
  return name;
}

/** `dir/name`, resolved, and checked to be directly inside `dir` (the last guard against a path from an answer). */
export function pathInside(dir: string, name: string, what: string): string {
  const base = path.resolve(dir);
  const file = path.resolve(base, name);
  if (path.dirname(file) !== base || path.basename(file) !== name) {
    throw new OpenDataError(
      'E_FORMAT',
      `${what}: ${quote(name)} would be saved at ${file}, outside ${base}; refused`
    );
  }
  return file;
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    return (await fs.promises.stat(file)).size;
  } catch {
    return null;
  }
}

async function removeIfThere(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** One file, start to finish (retries included). */
async function downloadOne(
  item: DownloadItem,
  options: DownloadOptions,
  agents: Agents,
  report: (p: DownloadProgress) => void
): Promise<DownloadResult> {
  const url = toHttpUri(item.uri, options.portal);
  const dir = options.dir ?? defaultCacheDir();
  const final = pathInside(dir, safeName(item), quote(item.uri));
  const part = `${final}.part`;
  const declared = { size: item.size ?? null, checksum: item.checksum ?? null };
  const verify = (options.verify ?? true) && declared.checksum != null;
  const progress = (
    received: number,
    total: number | null,
    extra: Partial<DownloadProgress> = {}
  ) => report({ file: final, url, received, total, done: false, ...extra });

  // Already complete: skip when it checks out; otherwise fetch again (it is replaced only at the end).
  const existing = await sizeOf(final);
  if (existing != null) {
    const sizeOk = declared.size == null || existing === declared.size;
    const check = verify ? await checkFile(final, declared) : null;
    if (check ? check.verified : sizeOk && declared.size != null) {
      progress(existing, existing, { done: true });
      return {
        path: final,
        size: existing,
        checksum: check?.checksum ?? declared.checksum,
        verified: check?.verified ?? false,
        skipped: true,
        url
      };
    }
  }

  const attempt = async (): Promise<void> => {
    let offset = (await sizeOf(part)) ?? 0;
    if (declared.size != null && offset > declared.size) {
      await removeIfThere(part);
      offset = 0;
    }
    if (declared.size != null && offset === declared.size && offset > 0) return; // only verification left
    const res = await httpGet(url, {
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      timeoutMs: options.timeoutMs,
      agents
    });
    let append = false;
    let total: number | null = null;
    if (res.statusCode === 206) {
      const m = CONTENT_RANGE.exec(String(res.headers['content-range'] ?? ''));
      if (!m || Number(m[1]) !== offset) {
        // Not the range we asked for: start over rather than splice wrong bytes.
        res.destroy();
        await removeIfThere(part);
        throw networkError(
          url,
          `asked for bytes from ${offset}, got Content-Range ${res.headers['content-range'] ?? '(none)'}`
        );
      }
      append = offset > 0;
      total = m[3] === '*' ? null : Number(m[3]);
    } else if (res.statusCode === 200) {
      // A server that ignores Range sends the whole file: write it from the start.
      const length = Number(res.headers['content-length']);
      total = Number.isFinite(length) && res.headers['content-length'] != null ? length : null;
    } else if (res.statusCode === 416) {
      res.resume();
      await removeIfThere(part);
      throw networkError(url, `range from byte ${offset} not satisfiable; restarting`);
    } else {
      res.resume();
      throw new HttpStatusError(url, res.statusCode ?? 0, `download of ${final}`);
    }
    const type = String(res.headers['content-type'] ?? '');
    if (/text\/html/i.test(type) && !/\.html?$/i.test(final)) {
      res.destroy();
      throw networkError(
        url,
        `the server sent an HTML page instead of ${path.basename(final)} (the portal's error page?)`
      );
    }
    if (total != null && declared.size != null && total !== declared.size) {
      res.destroy();
      throw networkError(
        url,
        `the server announces ${total} bytes, the record declares ${declared.size} for ${final}`
      );
    }
    const expected = total ?? declared.size;
    let received = append ? offset : 0;
    progress(received, expected);
    const out = fs.createWriteStream(part, { flags: append ? 'a' : 'w' });
    try {
      await pipeline(
        res,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            received += chunk.length;
            progress(received, expected);
            yield chunk;
          }
        },
        out
      );
    } catch (err) {
      // pipeline rejects as soon as the body fails, while a write may still be landing in the
      // .part: wait for it, or the next attempt resumes from a size that then grows.
      if (!out.closed) await once(out, 'close').catch(() => undefined);
      throw asNetworkError(url, err); // the .part stays: the next attempt resumes from it
    }
    if (!res.complete) throw networkError(url, `connection closed after ${received} bytes`);
  };

  const finish = async (): Promise<DownloadResult> => {
    const size = (await sizeOf(part)) ?? 0;
    if (declared.size != null && size < declared.size) {
      throw networkError(url, `incomplete: ${size} of ${declared.size} bytes of ${final}`);
    }
    if (declared.size != null && size > declared.size) {
      await removeIfThere(part);
      throw new OpenDataError(
        'E_CHECKSUM',
        `${url}: got ${size} bytes, the record declares ${declared.size} for ${final}`
      );
    }
    await fsyncFile(part);
    let checksum = declared.checksum;
    if (verify) {
      const check = await checkFile(part, declared);
      if (!check.verified) {
        await removeIfThere(part); // wrong bytes somewhere: no point resuming from them
        throw new OpenDataError(
          'E_CHECKSUM',
          `${url}: ${check.problem?.replace(part, final) ?? 'verification failed'}`
        );
      }
      checksum = check.checksum;
    }
    await fs.promises.rename(part, final);
    report({ file: final, url, received: size, total: size, done: true });
    return { path: final, size, checksum, verified: verify, skipped: false, url };
  };

  await fs.promises.mkdir(dir, { recursive: true });
  try {
    return await withRetries(
      async () => {
        await attempt();
        return finish();
      },
      {
        ...options,
        onRetry: (error, n, delayMs) => {
          options.onRetry?.(error, n, delayMs);
          progress(0, declared.size, { retry: { attempt: n, delayMs, reason: error.message } });
        }
      }
    );
  } catch (err) {
    report({
      file: final,
      url,
      received: 0,
      total: declared.size,
      done: true,
      error: String((err as Error).message)
    });
    throw err;
  }
}

/**
 * Downloads files into `options.dir` (default: the user cache), `concurrency` at a time. Resolves
 * with one result per file in input order; if any file failed, rejects after all have finished
 * with the first failure's error (its code, a message naming URL and file, and how many failed).
 */
export async function downloadFiles(
  items: DownloadItem[],
  options: DownloadOptions = {}
): Promise<DownloadResult[]> {
  const names = new Map<string, string>();
  for (const item of items) {
    const name = safeName(item); // every name checked before any file is fetched
    const other = names.get(name);
    if (other !== undefined && other !== item.uri) {
      throw new OpenDataError('E_USAGE', `${item.uri} and ${other} would both be saved as ${name}`);
    }
    names.set(name, item.uri);
  }
  // `x` is written as `x.part` first: a file named `x.part` in the same download would collide.
  for (const [name, uri] of names) {
    const other = names.get(`${name}.part`);
    if (other !== undefined) {
      throw new OpenDataError(
        'E_USAGE',
        `${other} would be saved as ${name}.part, the partial file of ${uri}`
      );
    }
  }
  const listener = options.progress === false ? undefined : (options.progress ?? defaultProgress());
  const report = (p: DownloadProgress) => listener?.(p);
  const agents = new Agents(); // http and https files may be mixed
  const results: (DownloadResult | undefined)[] = new Array(items.length);
  const errors: { index: number; error: unknown }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await downloadOne(items[index], options, agents, report);
      } catch (error) {
        errors.push({ index, error });
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, items.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    agents.destroy();
  }
  if (errors.length > 0) {
    errors.sort((a, b) => a.index - b.index);
    const first = errors[0].error;
    if (errors.length === 1) throw first;
    const code = first instanceof OpenDataError ? first.code : 'E_NETWORK';
    throw new OpenDataError(
      code,
      `${errors.length} of ${items.length} downloads failed; first: ${(first as Error).message}`,
      { cause: first }
    );
  }
  return results as DownloadResult[];
}

/** Downloads one file; see downloadFiles. */
export async function downloadFile(
  item: DownloadItem | string,
  options: DownloadOptions = {}
): Promise<DownloadResult> {
  const [result] = await downloadFiles([typeof item === 'string' ? { uri: item } : item], options);
  return result;
}
