import fs from 'node:fs';
import path from 'node:path';
import { OpenDataError } from '../core/errors';

/**
 * Why a file could not be opened, in words, from Node's errno code: "no such file" (with the
 * directory a relative path was resolved from: in a notebook that is the kernel's, which users
 * rarely know), "is a directory", "permission denied", else Node's own message.
 */
export function fileErrorReason(file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `no such file${relativeTo(file)}`;
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}

/** ` (relative to <cwd>)` for a relative path, else nothing. */
export function relativeTo(file: string): string {
  return path.isAbsolute(file) ? '' : ` (relative to ${process.cwd()})`;
}

/** Reads a whole file; a failure becomes E_NOT_FOUND naming the file and what it was meant to be. */
export function readFileOrThrow(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new OpenDataError(
      'E_NOT_FOUND',
      `${file}: cannot read ${what}: ${fileErrorReason(file, err)}`,
      {
        cause: err
      }
    );
  }
}
