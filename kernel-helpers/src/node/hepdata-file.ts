import fs from 'node:fs';
import path from 'node:path';
import { OpenDataError } from '../core/errors';
import {
  HEPDataTable,
  hepdataSubmissionEntries,
  hepdataTableFromData,
  isDataDocument,
  parseHEPDataYAML
} from '../core/hepdata';
import { readFileOrThrow } from './read-file';

export interface ReadHEPDataOptions {
  /** Only the table of this name (E_NOT_FOUND listing the names when there is none). */
  table?: string;
}

/**
 * Reads HEPData tables: a submission directory or its submission.yaml (table metadata, data in
 * the files it names), a single-file record (tables inline in its YAML documents), or one data
 * file (YAML or JSON). Every table is checked; a problem is E_FORMAT naming the file and where.
 */
export function readHEPData(file: string, options: ReadHEPDataOptions = {}): HEPDataTable[] {
  const isDir = fs.existsSync(file) && fs.statSync(file).isDirectory();
  const main = isDir ? path.join(file, 'submission.yaml') : file;
  const docs = parseHEPDataYAML(readFileOrThrow(main, 'HEPData file').toString('utf8'), main);
  if (docs.length === 0) return []; // a submission with no tables (the validator accepts it)

  // A lone data file (a single document that is no table entry): one table named after the file.
  const lone = docs[0];
  const named = typeof lone === 'object' && lone !== null && 'name' in lone;
  if (docs.length === 1 && (isDataDocument(lone) || !named)) {
    const name = path.basename(main, path.extname(main));
    return pick(
      [{ name, load: () => hepdataTableFromData(docs[0], main, { name }) }],
      options,
      main
    );
  }
  const dir = path.dirname(main);
  // Tables with a custom data schema (e.g. pyhf workspaces) are not HEPData tables: left out,
  // and an error when asked for by name.
  const entries = hepdataSubmissionEntries(docs, main);
  const tables = entries.map(entry => ({
    custom: entry.dataSchema,
    name: entry.name,
    load: () => {
      const meta = {
        name: entry.name,
        description: entry.description,
        location: entry.location,
        keywords: entry.keywords
      };
      if (entry.data !== undefined) {
        return hepdataTableFromData(entry.data, `${main}: table "${entry.name}"`, meta);
      }
      const dataFile = resolveDataFile(dir, entry.dataFile!, main);
      const data = parseHEPDataYAML(
        readFileOrThrow(dataFile, 'HEPData data file').toString('utf8'),
        dataFile
      );
      if (data.length !== 1) {
        throw new OpenDataError(
          'E_FORMAT',
          `${dataFile}: a data file holds one YAML document (found ${data.length})`
        );
      }
      return hepdataTableFromData(data[0], dataFile, meta);
    }
  }));
  return pick(tables, options, main);
}

/** A data file named by a submission: inside the submission's directory, never above it. */
function resolveDataFile(dir: string, name: string, source: string): string {
  const resolved = path.resolve(dir, name);
  if (path.isAbsolute(name) || path.relative(dir, resolved).startsWith('..')) {
    throw new OpenDataError(
      'E_FORMAT',
      `${source}: data_file "${name}" must be a file in the submission's directory`
    );
  }
  return resolved;
}

function pick(
  tables: { name: string; custom?: string; load: () => HEPDataTable }[],
  options: ReadHEPDataOptions,
  source: string
): HEPDataTable[] {
  if (options.table === undefined) {
    return tables.filter(t => t.custom === undefined).map(t => t.load());
  }
  const match = tables.find(t => t.name === options.table);
  if (match?.custom !== undefined) {
    throw new OpenDataError(
      'E_UNSUPPORTED',
      `${source}: table "${match.name}" follows the data schema ${match.custom}, not HEPData's table format`
    );
  }
  if (match === undefined) {
    const names = tables.map(t => JSON.stringify(t.name)).join(', ');
    throw new OpenDataError(
      'E_NOT_FOUND',
      `${source}: no table named "${options.table}" (tables: ${names})`
    );
  }
  return [match.load()];
}
