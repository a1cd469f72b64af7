// Options every catalog command shares: where records come from (--catalog DIR, --portal URL) and
// how a record is named (RECID, --doi, --title). Used by search, record, files and cite.
import { Command } from 'commander';
import type { CatalogSource, RecordKey } from '../core/catalog-source';
import { OpenDataError } from '../core/errors';
import { catalog } from '../node/catalog';

export interface CatalogChoice {
  catalog?: string;
  portal?: string;
}

export interface RecordChoice extends CatalogChoice {
  doi?: string;
  title?: string;
}

export function addCatalogOptions(command: Command): Command {
  return command
    .option(
      '--catalog <dir>',
      'a directory of portal fixture files (JSON arrays of records) or a snapshot'
    )
    .option(
      '--portal <url>',
      'use a live portal (e.g. https://opendata.cern.ch) instead of the bundled snapshot'
    );
}

/** Adds --doi and --title, the alternatives to a RECID argument (as cernopendata-client's). */
export function addRecordOptions(command: Command): Command {
  return addCatalogOptions(command)
    .option('--doi <doi>', 'choose the record by DOI instead of RECID')
    .option('--title <title>', 'choose the record by its exact title instead of RECID');
}

export function openCatalog(options: CatalogChoice): Promise<CatalogSource> {
  if (options.catalog !== undefined && options.portal !== undefined) {
    throw new OpenDataError('E_USAGE', 'use either --catalog or --portal, not both');
  }
  return catalog({ catalog: options.catalog, portal: options.portal });
}

/** Exactly one of RECID, --doi, --title. */
export function recordKey(recid: string | undefined, options: RecordChoice): RecordKey {
  const given = [recid, options.doi, options.title].filter(v => v !== undefined).length;
  if (given !== 1) {
    throw new OpenDataError('E_USAGE', 'name one record: RECID, --doi DOI or --title TITLE');
  }
  if (recid !== undefined) {
    if (!/^\d+$/.test(recid.trim())) {
      throw new OpenDataError('E_USAGE', `RECID must be a record number, got "${recid}"`);
    }
    return { recid: recid.trim() };
  }
  return options.doi !== undefined ? { doi: options.doi } : { title: options.title! };
}

/** A repeatable option's collector (`--experiment CMS --experiment ALICE`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
