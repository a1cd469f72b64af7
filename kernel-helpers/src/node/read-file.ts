import fs from 'node:fs';
import { OpenDataError } from '../core/errors';

/** Reads a whole file; a failure becomes E_NOT_FOUND naming the file and what it was meant to be. */
export function readFileOrThrow(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : (err as Error).message;
    throw new OpenDataError('E_NOT_FOUND', `${file}: cannot read ${what}: ${reason}`, {
      cause: err
    });
  }
}
