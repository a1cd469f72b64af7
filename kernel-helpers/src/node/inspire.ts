// The papers citing a dataset, from a notebook or the CLI: INSPIRE over Node's http(s) (the same
// agents and certificate authorities as downloads). A record number is first turned into its DOI.
import { catalog, type CatalogOptions } from './catalog';
import { OpenDataError } from '../core/errors';
import {
  INSPIRE_URL,
  checkedDoi,
  fetchCitingPapers,
  type CitingPapers,
  type CitingPapersOptions
} from '../core/inspire';
import { nodeFetch } from './http';

/** Overrides INSPIRE's address (a mirror, or a stand-in in tests). */
export const INSPIRE_URL_ENV = 'OPENDATA_LAB_INSPIRE_URL';

export interface CitingPapersNodeOptions extends CitingPapersOptions {
  /** Where a record number is looked up (default: the bundled snapshot). */
  catalog?: CatalogOptions;
}

/**
 * The papers on INSPIRE whose references name a dataset, e.g.
 * `await citingPapers('10.7483/OPENDATA.CMS.RZ34.QR6N')` or `await citingPapers(5500)`:
 * `{doi, total, papers: [{title, authors, journal, year, arxiv, url}], searchUrl}`.
 */
export async function citingPapers(
  recidOrDoi: string | number,
  options: CitingPapersNodeOptions = {}
): Promise<CitingPapers> {
  const doi = await doiOf(recidOrDoi, options.catalog);
  return fetchCitingPapers(doi, {
    ...options,
    baseUrl: options.baseUrl ?? (process.env[INSPIRE_URL_ENV] || INSPIRE_URL),
    fetch: options.fetch ?? nodeFetch
  });
}

/** A record number's DOI (E_NOT_FOUND when the record has none), or the DOI given. */
export async function doiOf(recidOrDoi: string | number, where?: CatalogOptions): Promise<string> {
  const key = String(recidOrDoi).trim();
  if (!/^\d+$/.test(key)) return checkedDoi(key);
  const record = await (await catalog(where)).get(key);
  const doi = typeof record.doi === 'string' ? record.doi.trim() : '';
  if (!doi) {
    throw new OpenDataError('E_NOT_FOUND', `record ${key} has no DOI: INSPIRE links papers by DOI`);
  }
  return checkedDoi(doi);
}
