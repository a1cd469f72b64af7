// HTTP(S) GET for downloads, range reads and the portal's API: one request with an inactivity
// timeout, typed errors, and retries with exponential backoff. Node's http/https directly (picked
// by protocol in agents.ts), so a reset or a stalled body surfaces as an error on the response
// stream, where the caller can resume.
import http from 'node:http';
import type { FetchLike, FetchResponseLike } from '../core/portal-catalog';
import { OpenDataError } from '../core/errors';
import { Agents, CA_FILE_ENV, clientFor, sharedAgents } from './agents';

export { Agents, CA_FILE_ENV } from './agents';

export interface RequestOptions {
  headers?: Record<string, string>;
  /** No byte for this long (connect, headers or body) aborts the request. Default 30 s. */
  timeoutMs?: number;
  /** Keep-alive agents to reuse (one per protocol); default: ones shared by the process. */
  agents?: Agents;
  /** Aborts the request (and its body) with an E_NETWORK error. */
  signal?: AbortSignal;
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
  const client = clientFor(parsed);
  if (!client) {
    return Promise.reject(
      new OpenDataError('E_UNSUPPORTED', `${url}: only http and https URLs can be fetched`)
    );
  }
  let agent: http.Agent;
  try {
    agent = (options.agents ?? sharedAgents).for(parsed);
  } catch (err) {
    return Promise.reject(err); // an unreadable OPENDATA_LAB_CA_FILE
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const signal = options.signal;
  return new Promise((resolve, reject) => {
    let response: http.IncomingMessage | undefined;
    let stopped: OpenDataError | undefined;
    const stop = (why: OpenDataError) => {
      stopped = why;
      response?.destroy(why);
      req.destroy(why);
    };
    const req = client.get(
      parsed,
      { headers: { 'user-agent': 'opendata-lab', ...options.headers }, agent },
      res => {
        response = res;
        res.on('aborted', () =>
          res.destroy(stopped ?? networkError(url, 'connection closed mid-body'))
        );
        resolve(res);
      }
    );
    // The socket's idle timeout guards connect, headers and body: a stall becomes an error on
    // the response stream too, where a download can resume.
    req.setTimeout(timeoutMs, () =>
      stop(networkError(url, `no data for ${timeoutMs} ms (timed out)`))
    );
    if (signal) {
      const onAbort = () => stop(networkError(url, 'request aborted'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      req.on('close', () => signal.removeEventListener('abort', onAbort));
    }
    req.on('error', err => reject(asNetworkError(url, err)));
  });
}

export function networkError(url: string, why: string, cause?: unknown): OpenDataError {
  return new OpenDataError('E_NETWORK', `${url}: ${why}`, { cause });
}

/** Any failure of a request or its body as an OpenDataError naming the URL. */
export function asNetworkError(url: string, err: unknown): OpenDataError {
  if (err instanceof OpenDataError) return err;
  return networkError(url, describeFailure(url, err), err);
}

// OpenSSL's verification failures (CERT_HAS_EXPIRED, SELF_SIGNED_CERT_IN_CHAIN,
// UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...) and Node's name check (ERR_TLS_CERT_ALTNAME_INVALID).
const CERTIFICATE_CODE = /CERT|UNABLE_TO_(GET_ISSUER|VERIFY|DECRYPT)|INVALID_CA|HOSTNAME_MISMATCH/;

/** True when `err` (or its cause) is an https certificate that was not accepted. */
export function isCertificateError(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === 'string' && CERTIFICATE_CODE.test(e.code)) return true;
  }
  return false;
}

/** Why a request failed, in words (without the URL): the host and a hint for certificates. */
function describeFailure(url: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const detail = e.code ? `${e.code} ${e.message}` : String(e?.message ?? e);
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the URL as given
  }
  if (isCertificateError(err)) {
    return (
      `certificate problem: the https certificate of ${host} was not accepted (${detail}). ` +
      `If a proxy or firewall inspects https traffic, set ${CA_FILE_ENV} (or NODE_EXTRA_CA_CERTS) ` +
      `to its CA certificate file (PEM)`
    );
  }
  if (typeof e.code === 'string' && /^ERR_SSL_|^EPROTO$/.test(e.code)) {
    // OpenSSL's reason ("wrong version number") without its file and line.
    const reason = /SSL routines:[^:]*:([^:]+)/.exec(e.message)?.[1] ?? detail;
    return `TLS handshake with ${host} failed (${reason}); does it serve https on this port?`;
  }
  const words = typeof e.code === 'string' ? NETWORK_WORDS[e.code]?.(host) : undefined;
  return words ? `${words} (${e.code})` : detail;
}

/** Node's errno codes of a failed connection, in words a user can act on. */
const NETWORK_WORDS: Record<string, (host: string) => string> = {
  ECONNREFUSED: host => `nothing answers at ${host}: the connection was refused`,
  ENOTFOUND: host => `the host name of ${host} was not found: no network, or a typo in the URL?`,
  EAI_AGAIN: host => `the host name of ${host} could not be looked up now: no network?`,
  ECONNRESET: host => `${host} closed the connection (reset)`,
  ETIMEDOUT: host => `${host} did not answer in time`,
  EHOSTUNREACH: host => `${host} cannot be reached: no route to it (no network?)`,
  ENETUNREACH: host => `${host} cannot be reached: the network is down`
};

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
  // A host name that does not resolve will not resolve a few seconds later either, and a
  // certificate that is not trusted will not be trusted then.
  if ((err as { cause?: NodeJS.ErrnoException })?.cause?.code === 'ENOTFOUND') return false;
  if (isCertificateError(err)) return false;
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
      if (n >= retries || !isRetryable(err)) {
        if (n > 0 && err instanceof OpenDataError) {
          err.message += ` (gave up after ${n + 1} attempts)`;
        }
        throw err;
      }
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

/**
 * A `fetch` for the portal's API (PortalCatalog) over httpGet: the same agents, certificate
 * authorities and error words as downloads. The body is read before it resolves (small JSON).
 * Its errors carry no URL (the caller names it).
 */
export const nodeFetch: FetchLike = async (url, init = {}) => {
  let status: number;
  let body: Buffer;
  try {
    const res = await httpGet(url, { headers: init.headers, signal: init.signal });
    status = res.statusCode ?? 0;
    body = await readBody(res, url);
  } catch (err) {
    // httpGet's errors already say why after the URL.
    const message =
      err instanceof OpenDataError
        ? err.message.replace(`${url}: `, '')
        : describeFailure(url, err);
    throw new Error(message);
  }
  const answer: FetchResponseLike = {
    ok: status >= 200 && status < 300,
    status,
    text: async () => body.toString('utf8')
  };
  return answer;
};
