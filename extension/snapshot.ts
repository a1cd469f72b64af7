import { OpenDataError } from '@opendata-lab/kernel-helpers/core';

/**
 * Resolves with the parsed JSON of a catalog snapshot. The panel validates it with
 * `CatalogIndex.fromJSON`, so tests can inject a parsed fixture and exercise the same path.
 */
export type SnapshotLoader = () => Promise<unknown>;

/** Fetches a gzipped JSON snapshot and parses it in the browser (no server route needed). */
export async function fetchSnapshot(
  url: string | URL,
  fetchFn: (url: string | URL) => Promise<Response> = input => fetch(input)
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (error) {
    throw new OpenDataError('E_NETWORK', `${url}: ${messageOf(error)}`, { cause: error });
  }
  if (!response.ok) {
    throw new OpenDataError(
      'E_NETWORK',
      `${url}: HTTP ${response.status} ${response.statusText}`.trim()
    );
  }
  const buffer = await response.arrayBuffer();
  let text: string;
  try {
    // A server or proxy that labels .gz files with `Content-Encoding: gzip` makes fetch inflate
    // them already; sniffing the magic number accepts both.
    text = isGzip(buffer) ? await gunzipToText(buffer) : new TextDecoder().decode(buffer);
  } catch (error) {
    throw new OpenDataError('E_FORMAT', `${url}: not a valid gzip file (${messageOf(error)})`, {
      cause: error
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OpenDataError('E_FORMAT', `${url}: not JSON (${messageOf(error)})`, { cause: error });
  }
}

function isGzip(buffer: ArrayBuffer): boolean {
  const head = new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength));
  return head[0] === 0x1f && head[1] === 0x8b;
}

// Typed here because the DOM lib of older TypeScript releases (e.g. tslab's 5.0) lacks it.
type DecompressionStreamConstructor = new (
  format: 'gzip'
) => TransformStream<Uint8Array, Uint8Array>;

async function gunzipToText(buffer: ArrayBuffer): Promise<string> {
  const { DecompressionStream } = globalThis as unknown as {
    DecompressionStream: DecompressionStreamConstructor;
  };
  const inflated = new Response(buffer).body!.pipeThrough(new DecompressionStream('gzip'));
  return new Response(inflated).text();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
