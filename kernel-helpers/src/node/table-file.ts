import fs from 'node:fs';
import path from 'node:path';
import { Table } from 'apache-arrow';
import { OpenDataError } from '../core/errors';
import { readArrowFile } from './arrow-ipc';
import { ReadCSVOptions, readCSV } from './csv';
import { relativeTo } from './read-file';

/** The columnar file formats read into Arrow tables (ROOT has its own reader). */
export type TableFileFormat = 'csv' | 'arrow';

/** What `inspect` prints for a table file. */
export interface TableFileDescription {
  format: TableFileFormat;
  columns: { name: string; type: string }[];
  rows: number;
}

const EXTENSIONS: Record<string, TableFileFormat> = {
  '.csv': 'csv',
  '.arrow': 'arrow',
  '.arrows': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow'
};

/**
 * The format of a table file, from its extension, else from its first bytes (Arrow's "ARROW1"
 * magic or a stream's 0xFFFFFFFF continuation marker); null when it is neither.
 */
export function tableFileFormat(file: string): TableFileFormat | null {
  const byName = EXTENSIONS[path.extname(file).toLowerCase()];
  if (byName !== undefined) return byName;
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      head = Buffer.alloc(8);
      head = head.subarray(0, fs.readSync(fd, head, 0, 8, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  if (head.subarray(0, 6).toString('latin1') === 'ARROW1') return 'arrow';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xffffffff) return 'arrow';
  return null;
}

/** Reads a .csv, .arrow/.feather (Arrow IPC file) or .arrows (Arrow IPC stream) file into a table. */
export function readTableFile(file: string, options: ReadCSVOptions = {}): Table {
  if (!fs.existsSync(file)) {
    throw new OpenDataError('E_NOT_FOUND', `${file}: no such file${relativeTo(file)}`);
  }
  const format = tableFileFormat(file);
  if (format === 'csv') return readCSV(file, options);
  if (format === 'arrow') return readArrowFile(file);
  throw new OpenDataError(
    'E_UNSUPPORTED',
    `${file}: not a table file this reader knows (CSV, Arrow IPC .arrow/.feather/.arrows)`
  );
}

/** Format, column names and types (Arrow's names: Int32, Float64, Utf8, List<Float32>, …) and rows. */
export function describeTableFile(file: string): TableFileDescription {
  const table = readTableFile(file);
  return {
    format: tableFileFormat(file)!,
    columns: table.schema.fields.map(f => ({ name: f.name, type: String(f.type) })),
    rows: table.numRows
  };
}
