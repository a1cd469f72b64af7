/**
 * Random access to the bytes of a file, local or remote. Readers (ROOT) take one of these, so the
 * same reader works on a local file, an HTTP range reader, or bytes in memory.
 */
export interface ByteSource {
  /** What to name in error messages: a path or URL. */
  readonly name: string;
  /** Total size in bytes. */
  size(): Promise<number>;
  /** Exactly `length` bytes from `offset`; rejects (E_FORMAT naming the source) past the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Releases file handles or connections; reading after close is an error. */
  close(): Promise<void>;
}
