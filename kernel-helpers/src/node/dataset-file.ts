// One file of a dataset run: opened (local path, or http(s)/root:// URL read over HTTP ranges),
// its tree streamed in chunks of entries through the ROOT reader, each chunk analysed and dropped.
// Memory is one chunk plus the byte source's block cache, whatever the file's size.
import { ByteSource } from '../core/byte-source';
import fs from 'node:fs';
import path from 'node:path';
import {
  AnalysisResult,
  AnalysisSpec,
  ChunkAnalysis,
  analyzeChunk,
  branchesOf
} from '../core/dataset-spec';
import { OpenDataError } from '../core/errors';
import { isRemoteUri } from '../core/record-files';
import { FileByteSource } from './file-byte-source';
import { HttpByteSource } from './http-range';
import { openROOT } from './root';

export interface FileAnalysisOptions {
  /** Where `root://eospublic.cern.ch//eos/...` URIs are read from. */
  portal?: string;
  /** Entries per chunk (default 100,000). */
  step?: number;
  /** Retries of one HTTP request (the whole file is retried by the runner). */
  requestRetries?: number;
  retryDelayMs?: number;
}

/** What a file reports while it is read. */
export interface FileProgress {
  /** Entries read so far, of `entries` in the tree. */
  done: number;
  entries: number;
  /** The file's size and the bytes read from it so far. */
  size: number;
  bytesRead: number;
}

/** A ByteSource that counts the bytes the reader asks for. */
class CountingSource implements ByteSource {
  bytesRead = 0;
  constructor(private readonly inner: ByteSource) {}
  get name(): string {
    return this.inner.name;
  }
  size(): Promise<number> {
    return this.inner.size();
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await this.inner.read(offset, length);
    this.bytesRead += length;
    return bytes;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

function byteSource(file: string, options: FileAnalysisOptions): ByteSource {
  if (isRemoteUri(file)) {
    return new HttpByteSource(file, {
      portal: options.portal,
      retries: options.requestRetries ?? 3,
      retryDelayMs: options.retryDelayMs ?? 200
    });
  }
  return new FileByteSource(file.replace(/^file:\/\//, ''));
}

/** Modules loaded in this process, with the file's modification time and size when loaded. */
const loaded = new Map<string, { stamp: string; analyze: ChunkAnalysis }>();

/**
 * The spec's module's `analyze`, or undefined without a module. Loaded again when the file has
 * changed since: workers outlive a run, and a notebook edits its module between runs.
 */
export function chunkModule(spec: AnalysisSpec): ChunkAnalysis | undefined {
  if (spec.module === undefined) return undefined;
  const file = path.resolve(spec.module);
  let stamp = '';
  try {
    const stat = fs.statSync(file);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    // require says why
  }
  const known = loaded.get(file);
  if (known && known.stamp === stamp) return known.analyze;
  let analyze: unknown;
  try {
    // A path the user gives at run time: require, not import.
    delete require.cache[file];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    analyze = (require(file) as { analyze?: unknown }).analyze;
  } catch (err) {
    throw new OpenDataError('E_USAGE', `analysis module ${file}: ${(err as Error).message}`, {
      cause: err
    });
  }
  if (typeof analyze !== 'function') {
    throw new OpenDataError(
      'E_USAGE',
      `analysis module ${file} exports no analyze(chunk, api) function`
    );
  }
  loaded.set(file, { stamp, analyze: analyze as ChunkAnalysis });
  return analyze as ChunkAnalysis;
}

/** Runs the analysis over one file, chunk by chunk; `onProgress` after each chunk. */
export async function analyzeFile(
  file: string,
  spec: AnalysisSpec,
  options: FileAnalysisOptions = {},
  onProgress?: (p: FileProgress) => void
): Promise<{ result: AnalysisResult; size: number; bytesRead: number }> {
  const module = chunkModule(spec);
  const source = new CountingSource(byteSource(file, options));
  const root = await openROOT(source);
  try {
    const size = await source.size();
    const tree = await root.tree(spec.tree);
    const result = new AnalysisResult(spec);
    let done = 0;
    onProgress?.({ done, entries: tree.entries, size, bytesRead: source.bytesRead });
    // Each chunk is done with before the next one is read: its memory serves the next, unless a
    // module's analyze could keep a chunk's columns for later
    const recycle = module === undefined;
    for await (const chunk of tree.iterate(branchesOf(spec), { step: options.step, recycle })) {
      analyzeChunk(chunk, spec, result, `${source.name}: tree ${spec.tree}`, module);
      done += chunk.numRows;
      onProgress?.({ done, entries: tree.entries, size, bytesRead: source.bytesRead });
    }
    return { result, size, bytesRead: source.bytesRead };
  } finally {
    await root.close();
  }
}
