import fs from 'node:fs';
import path from 'node:path';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import './table-display'; // tables show their head in notebooks
import { OpenDataError } from '../core/errors';
import { readFileOrThrow } from './read-file';

/** Arrow IPC has two framings: the random-access file (.arrow, Feather v2) and the stream (.arrows). */
export type ArrowIPCFormat = 'file' | 'stream';

/** Reads Arrow IPC bytes in either framing; `source` names them in error messages. */
export function parseArrowIPC(bytes: Uint8Array, source = 'Arrow IPC bytes'): Table {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new OpenDataError(
      'E_FORMAT',
      `${source}: not a readable Arrow IPC file or stream: ${err instanceof Error ? err.message : err}`,
      { cause: err }
    );
  }
  // apache-arrow reads an input with no schema message as an empty table: that is not a file.
  if (table.schema.fields.length === 0 && bytes.length > 0) {
    throw new OpenDataError(
      'E_FORMAT',
      `${source}: not an Arrow IPC file or stream (no schema found)`
    );
  }
  return table;
}

/** Reads an Arrow IPC file (.arrow/.feather) or stream (.arrows) into a table. */
export function readArrowFile(file: string): Table {
  return parseArrowIPC(readFileOrThrow(file, 'Arrow IPC file'), file);
}

/** Serialises a table as Arrow IPC, which pyarrow, pandas and polars read. */
export function arrowIPCBytes(table: Table, format: ArrowIPCFormat = 'file'): Uint8Array {
  return tableToIPC(table, format);
}

/**
 * Writes a table as an Arrow IPC file (default) or stream. The bytes go to a temporary file that is
 * renamed into place, so a failed write never leaves a partial file under the final name.
 */
export function writeArrowFile(file: string, table: Table, format: ArrowIPCFormat = 'file'): void {
  const bytes = arrowIPCBytes(table, format);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  try {
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new OpenDataError(
      'E_NOT_FOUND',
      `${file}: cannot write Arrow IPC file: ${(err as Error).message}`,
      { cause: err }
    );
  }
}
