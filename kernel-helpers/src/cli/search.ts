import { searchSnapshot } from '../core/catalog-search';
import { loadCatalogIndex } from '../node/catalog-file';
import { CommandIO, RegisterCommand, positiveInteger, writeJSON } from './io';

interface SearchOptions {
  page: number;
  size: number;
  json?: boolean;
}

function search(query: string | undefined, options: SearchOptions, { out }: CommandIO): void {
  const index = loadCatalogIndex();
  const result = searchSnapshot(index, { query, page: options.page, size: options.size });
  if (options.json) {
    writeJSON(out, {
      total: result.total,
      hits: result.hits.map(h => ({
        recid: h.recid,
        title: h.title,
        doi: h.doi || null,
        experiment: h.experiment,
        type: h.type
      })),
      facets: {}
    });
    return;
  }
  const pages = Math.max(1, Math.ceil(result.total / result.size));
  out(`${result.total} records (page ${result.page} of ${pages}, ${result.size} per page)\n`);
  for (const h of result.hits) {
    const doi = h.doi ? `  doi:${h.doi}` : '';
    out(`${h.recid.padStart(6)}  [${h.experiment.join(', ')}] ${h.title}${doi}\n`);
  }
}

export const registerSearch: RegisterCommand = (program, io) => {
  program
    .command('search')
    .description(
      'search the bundled catalog snapshot (for now QUERY matches a substring of the title)'
    )
    .argument('[query]', 'text to look for in record titles')
    .option('--page <n>', 'page number, from 1', positiveInteger, 1)
    .option('--size <n>', 'records per page', positiveInteger, 20)
    .option('--json', 'machine-readable output: {"total", "hits", "facets"}')
    .action((query: string | undefined, options: SearchOptions) => search(query, options, io));
};
