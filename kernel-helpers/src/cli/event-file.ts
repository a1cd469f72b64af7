// What `inspect`, `read` and `hist` share: telling ROOT files from table files (CSV, Arrow) and
// parsing an entry range.
import fs from 'node:fs';
import { InvalidArgumentError } from 'commander';

/** A ROOT file by its extension (local or a URL, root:// included), or its magic bytes ("root"). */
export function isROOTFile(file: string): boolean {
  if (/\.root$/i.test(file)) return true;
  if (/^(https?|root):\/\//i.test(file)) return /\.root([?#]|$)/i.test(file);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(4);
      return fs.readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === 'root';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** `START-STOP` (0-based, STOP exclusive, either may be omitted) → [start, stop]. */
export function entryRange(value: string): [number | undefined, number | undefined] {
  const m = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(value);
  if (!m || (m[1] === '' && m[2] === '')) {
    throw new InvalidArgumentError('expected START-STOP (0-based, STOP exclusive), e.g. 0-100.');
  }
  const start = m[1] === '' ? undefined : Number(m[1]);
  const stop = m[2] === '' ? undefined : Number(m[2]);
  if (start !== undefined && stop !== undefined && stop < start) {
    throw new InvalidArgumentError('STOP must not be less than START.');
  }
  return [start, stop];
}

/** A comma-separated list of names. */
export function nameList(value: string): string[] {
  const names = value
    .split(',')
    .map(s => s.trim())
    .filter(s => s !== '');
  if (names.length === 0) throw new InvalidArgumentError('expected names separated by commas.');
  return names;
}
