// Random access to a remote file over HTTP Range requests, for files too big to download: a
// small LRU cache of fixed-size blocks, adjacent missing blocks fetched in one request, retries.
import { ByteSource } from '../core/byte-source';
import { OpenDataError } from '../core/errors';
import { toHttpUri } from '../core/record-files';
import { checkRange } from './file-byte-source';
import {
  Agents,
  HttpStatusError,
  RetryOptions,
  httpGet,
  networkError,
  readBody,
  withRetries
} from './http';

export interface HttpByteSourceOptions extends RetryOptions {
  /** Bytes per cached block (and the smallest request). Default 256 KiB. */
  blockSize?: number;
  /** Blocks kept in memory. Default 64 (16 MiB with the default block size). */
  cacheBlocks?: number;
  /** Inactivity timeout of a request, in ms. Default 30 s. */
  timeoutMs?: number;
  /** Where `root://eospublic.cern.ch//eos/...` URIs are read from (a stand-in in tests). */
  portal?: string;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

export class HttpByteSource implements ByteSource {
  readonly name: string;
  /** What went over the wire, for tests and benchmarks. */
  readonly stats = { requests: 0, bytes: 0 };
  private readonly _blockSize: number;
  private readonly _cacheBlocks: number;
  private readonly _options: HttpByteSourceOptions;
  private readonly _agents = new Agents();
  private readonly _cache = new Map<number, Uint8Array>();
  private readonly _pending = new Map<number, Promise<Uint8Array>>();
  private _size: Promise<number> | null = null;
  private _knownSize: number | null = null;
  private _closed = false;

  constructor(uri: string, options: HttpByteSourceOptions = {}) {
    this.name = toHttpUri(uri, options.portal);
    this._options = { retries: 3, ...options };
    this._blockSize = options.blockSize ?? 256 * 1024;
    this._cacheBlocks = Math.max(1, options.cacheBlocks ?? 64);
    if (!Number.isSafeInteger(this._blockSize) || this._blockSize < 1) {
      throw new OpenDataError('E_USAGE', `${this.name}: blockSize must be a positive integer`);
    }
  }

  /** The size from the first block's Content-Range (that block is cached, not wasted). */
  size(): Promise<number> {
    if (!this._size) {
      this._size = this._blocks(0, 0).then(() => this._knownSize as number);
      this._size.catch(() => (this._size = null)); // may be retried
    }
    return this._size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const size = await this.size();
    checkRange(this.name, offset, length, size);
    const out = new Uint8Array(length);
    if (length === 0) return out;
    const first = Math.floor(offset / this._blockSize);
    const last = Math.floor((offset + length - 1) / this._blockSize);
    const blocks = await this._blocks(first, last);
    for (let b = first; b <= last; b++) {
      const block = blocks[b - first];
      const blockStart = b * this._blockSize;
      const from = Math.max(offset, blockStart);
      const to = Math.min(offset + length, blockStart + block.length);
      out.set(block.subarray(from - blockStart, to - blockStart), from - offset);
    }
    return out;
  }

  async close(): Promise<void> {
    this._closed = true;
    this._cache.clear();
    this._agents.destroy();
  }

  /** Blocks first..last: from the cache, from requests in flight, the rest in coalesced requests. */
  private _blocks(first: number, last: number): Promise<Uint8Array[]> {
    if (this._closed) {
      return Promise.reject(new OpenDataError('E_USAGE', `${this.name}: read after close`));
    }
    const promises: Promise<Uint8Array>[] = [];
    let run: number[] = [];
    const flush = () => {
      if (run.length === 0) return;
      const start = run[0];
      const fetched = this._fetchBlocks(start, run[run.length - 1]);
      for (const b of run) {
        const p = fetched.then(list => list[b - start]);
        this._pending.set(b, p);
        const forget = () => this._pending.delete(b);
        p.then(forget, forget);
        promises[b - first] = p;
      }
      run = [];
    };
    for (let b = first; b <= last; b++) {
      const cached = this._cache.get(b);
      if (cached) {
        this._cache.delete(b); // re-insert: most recently used last
        this._cache.set(b, cached);
        promises[b - first] = Promise.resolve(cached);
        flush();
      } else if (this._pending.has(b)) {
        promises[b - first] = this._pending.get(b) as Promise<Uint8Array>;
        flush();
      } else {
        run.push(b);
      }
    }
    flush();
    return Promise.all(promises);
  }

  /** One request for blocks first..last, checked to be exactly the bytes asked for. */
  private async _fetchBlocks(first: number, last: number): Promise<Uint8Array[]> {
    const start = first * this._blockSize;
    let end = (last + 1) * this._blockSize - 1;
    if (this._knownSize != null) end = Math.min(end, this._knownSize - 1);
    const bytes = await withRetries(() => this._fetchRange(start, end), this._options);
    const blocks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += this._blockSize) {
      const block = bytes.subarray(at, at + this._blockSize);
      blocks.push(block);
      this._cache.set(first + blocks.length - 1, block);
    }
    while (this._cache.size > this._cacheBlocks) {
      this._cache.delete(this._cache.keys().next().value as number);
    }
    return blocks;
  }

  private async _fetchRange(start: number, end: number): Promise<Uint8Array> {
    const url = this.name;
    this.stats.requests++;
    const res = await httpGet(url, {
      headers: { range: `bytes=${start}-${end}` },
      timeoutMs: this._options.timeoutMs,
      agents: this._agents
    });
    if (res.statusCode === 416) {
      res.resume();
      throw new OpenDataError(
        'E_FORMAT',
        `${url}: bytes ${start}-${end} are past the end of the file`
      );
    }
    if (res.statusCode === 200) {
      // Either the whole file fits in what we asked for, or the server ignores Range.
      const length = Number(res.headers['content-length']);
      if (start === 0 && Number.isFinite(length) && length <= end + 1) {
        const body = await readBody(res, url);
        this._checkLength(body, length, start);
        this._knownSize = body.length;
        this.stats.bytes += body.length;
        return body;
      }
      res.destroy();
      throw new OpenDataError(
        'E_UNSUPPORTED',
        `${url}: the server ignores HTTP Range requests (answered 200 with the whole file), so it cannot be read remotely; download it instead`
      );
    }
    if (res.statusCode !== 206) {
      res.resume();
      throw new HttpStatusError(url, res.statusCode ?? 0, `range request ${start}-${end}`);
    }
    const m = CONTENT_RANGE.exec(String(res.headers['content-range'] ?? ''));
    const total = m && m[3] !== '*' ? Number(m[3]) : null;
    if (
      !m ||
      Number(m[1]) !== start ||
      total == null ||
      Number(m[2]) !== Math.min(end, total - 1)
    ) {
      res.destroy();
      throw networkError(
        url,
        `asked for bytes ${start}-${end}, got Content-Range ${res.headers['content-range'] ?? '(none)'}`
      );
    }
    if (this._knownSize != null && total !== this._knownSize) {
      res.destroy();
      throw networkError(
        url,
        `file size changed from ${this._knownSize} to ${total} bytes while reading`
      );
    }
    const body = await readBody(res, url);
    this._checkLength(body, Number(m[2]) - start + 1, start);
    this._knownSize = total;
    this.stats.bytes += body.length;
    return body;
  }

  private _checkLength(body: Uint8Array, expected: number, start: number): void {
    if (body.length !== expected) {
      throw networkError(this.name, `expected ${expected} bytes from ${start}, got ${body.length}`);
    }
  }
}
