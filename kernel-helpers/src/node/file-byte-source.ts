import fs from 'node:fs';
import { ByteSource } from '../core/byte-source';
import { OpenDataError } from '../core/errors';
import { fileErrorReason } from './read-file';
import { uninitializedBytes } from './uninitialized';

/** Random access to a local file through one open handle. */
export class FileByteSource implements ByteSource {
  readonly name: string;
  private _handle: Promise<fs.promises.FileHandle> | null;
  private _size: Promise<number> | null = null;

  constructor(file: string) {
    this.name = file;
    this._handle = fs.promises.open(file, 'r').catch(err => {
      const code = (err as NodeJS.ErrnoException).code;
      throw new OpenDataError(
        code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_FORMAT',
        `${file}: cannot open: ${fileErrorReason(file, err)}`,
        { cause: err }
      );
    });
    this._handle.catch(() => undefined); // reported on first use, not as an unhandled rejection
  }

  private handle(): Promise<fs.promises.FileHandle> {
    if (!this._handle) {
      return Promise.reject(new OpenDataError('E_USAGE', `${this.name}: read after close`));
    }
    return this._handle;
  }

  size(): Promise<number> {
    return (this._size ??= this.handle().then(async h => (await h.stat()).size));
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const size = await this.size();
    checkRange(this.name, offset, length, size);
    // every byte is read below, or the read fails
    const out = uninitializedBytes(length);
    const handle = await this.handle();
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(out, done, length - done, offset + done);
      if (bytesRead === 0) {
        throw new OpenDataError(
          'E_FORMAT',
          `${this.name}: file ended at byte ${offset + done} while reading ${length} bytes from ${offset}`
        );
      }
      done += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    const handle = this._handle;
    this._handle = null;
    if (handle) await (await handle.catch(() => null))?.close();
  }
}

/** E_FORMAT naming the source when [offset, offset+length) is not inside [0, size). */
export function checkRange(name: string, offset: number, length: number, size: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new OpenDataError('E_FORMAT', `${name}: invalid read of ${length} bytes at ${offset}`);
  }
  if (offset + length > size) {
    throw new OpenDataError(
      'E_FORMAT',
      `${name}: read of ${length} bytes at ${offset} goes past the end (${size} bytes)`
    );
  }
}
