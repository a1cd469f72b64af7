// HTTP GET for downloads and range reads: one request with an inactivity timeout, typed errors,
// and retries with exponential backoff. Node's http/https directly, so a reset or a stalled body
// surfaces as an error on the response stream, where the caller can resume.
import http from 'node:http';
import https from 'node:https';
import { OpenDataError } from '../core/errors';

export interface RequestOptions {
  headers?: Record<string, string>;
  /** No byte for this long (connect, headers or body) aborts the request. Default 30 s. */
  timeoutMs?: number;
  agent?: http.Agent;
}

/** An HTTP answer the caller cannot use; `status` tells whether retrying may help. */
export class HttpStatusError extends OpenDataError {
  readonly status: number;
  constructor(url: string, status: number, what = 'request') {
    super(
      status === 404 || status === 410 ? 'E_NOT_FOUND' : 'E_NETWORK',
      `${url}: ${what} failed with HTTP ${status}`
    );
    this.status = status;
  }
}

/** Sends a GET and resolves with the response once its headers arrived (body not read yet). */
export function httpGet(url: string, options: RequestOptions = {}): Promise<http.IncomingMessage> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new OpenDataError('E_USAGE', `${url}: not a URL`));
  }
  const client =
    parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
  if (!client) {
    return Promise.reject(
      new OpenDataError('E_UNSUPPORTED', `${url}: only http and https URLs can be fetched`)
    );
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    let response: http.IncomingMessage | undefined;
    let timedOut: OpenDataError | undefined;
    const req = client.get(
      parsed,
      { headers: { 'user-agent': 'opendata-lab', ...options.headers }, agent: options.agent },
      res => {
        response = res;
        res.on('aborted', () =>
          res.destroy(timedOut ?? networkError(url, 'connection closed mid-body'))
        );
        resolve(res);
      }
    );
    // The socket's idle timeout guards connect, headers and body: a stall becomes an error on
    // the response stream too, where a download can resume.
    req.setTimeout(timeoutMs, () => {
      timedOut = networkError(url, `no data for ${timeoutMs} ms (timed out)`);
      response?.destroy(timedOut);
      req.destroy(timedOut);
    });
    req.on('error', err => reject(asNetworkError(url, err)));
  });
}

export function networkError(url: string, why: string, cause?: unknown): OpenDataError {
  return new OpenDataError('E_NETWORK', `${url}: ${why}`, { cause });
}

/** Any failure of a request or its body as an OpenDataError naming the URL. */
export function asNetworkError(url: string, err: unknown): OpenDataError {
  if (err instanceof OpenDataError) return err;
  const e = err as NodeJS.ErrnoException;
  return networkError(url, e.code ? `${e.code} ${e.message}` : String(e.message ?? e), err);
}

/** Reads a whole response body (small answers: file indexes, record JSON). */
export async function readBody(res: http.IncomingMessage, url: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res) chunks.push(chunk as Buffer);
  } catch (err) {
    throw asNetworkError(url, err);
  }
  if (!res.complete) throw networkError(url, 'connection closed mid-body');
  return Buffer.concat(chunks);
}

export interface RetryOptions {
  /** Attempts after the first. Default 5. */
  retries?: number;
  /** First wait; doubled after each failure up to `maxDelayMs`. Default 500 ms. */
  retryDelayMs?: number;
  maxDelayMs?: number;
  /** Told before each wait (for progress displays and logs). */
  onRetry?: (error: OpenDataError, attempt: number, delayMs: number) => void;
}

/** Network trouble, server errors and corrupted bytes may pass on a retry; a 404 will not. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof HttpStatusError) {
    return err.status >= 500 || err.status === 408 || err.status === 429;
  }
  // A host name that does not resolve will not resolve a few seconds later either.
  if ((err as { cause?: NodeJS.ErrnoException })?.cause?.code === 'ENOTFOUND') return false;
  return err instanceof OpenDataError && (err.code === 'E_NETWORK' || err.code === 'E_CHECKSUM');
}

/** Runs `attempt` until it succeeds, a non-retryable error, or the retries are used up. */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions = {}
): Promise<T> {
  const retries = options.retries ?? 5;
  let delay = options.retryDelayMs ?? 500;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (n >= retries || !isRetryable(err)) throw err;
      options.onRetry?.(err as OpenDataError, n + 1, delay);
      await new Promise(resolve => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, options.maxDelayMs ?? 30_000);
    }
  }
}

/** GETs a whole (small) resource with retries: the bytes, or E_NETWORK / E_NOT_FOUND. */
export async function fetchBytes(
  url: string,
  options: RequestOptions & RetryOptions = {}
): Promise<Buffer> {
  return withRetries(async () => {
    const res = await httpGet(url, options);
    if (res.statusCode !== 200) {
      res.resume();
      throw new HttpStatusError(url, res.statusCode ?? 0);
    }
    return readBody(res, url);
  }, options);
}
