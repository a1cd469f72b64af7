import fs from 'node:fs';
import path from 'node:path';
import { OpenDataError } from '../core/errors';
import {
  HEPDataExportTable,
  HEPDataSubmissionOptions,
  hepdataSubmissionFiles
} from '../core/hepdata-export';

export interface WriteHEPDataOptions extends HEPDataSubmissionOptions {
  /** Replace the files of an earlier submission in `dir`; default false. */
  overwrite?: boolean;
}

/**
 * Writes tables (Hist1D, Hist2D or compareHEPData results, each with its names and units) as a
 * HEPData submission in `dir` (made when missing): submission.yaml and one data file per table,
 * or submission.yaml alone with singleFile. HEPData refuses files a submission does not name, so
 * `dir` should hold nothing else; an existing submission.yaml is E_USAGE unless overwrite.
 * Returns the paths written.
 */
export function writeHEPData(
  dir: string,
  tables: HEPDataExportTable[],
  options: WriteHEPDataOptions = {}
): string[] {
  const files = hepdataSubmissionFiles(tables, options);
  fs.mkdirSync(dir, { recursive: true });
  const main = path.join(dir, 'submission.yaml');
  if (!options.overwrite && fs.existsSync(main)) {
    throw new OpenDataError(
      'E_USAGE',
      `${main} exists: write the submission to an empty directory (or pass overwrite)`
    );
  }
  return files.map(f => {
    const p = path.join(dir, f.name);
    fs.writeFileSync(p, f.text);
    return p;
  });
}
