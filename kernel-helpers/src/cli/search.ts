import { Option } from 'commander';
import { FacetName, SearchOptions, SORT_ORDERS, SortOrder } from '../core/catalog-search';
import { OpenDataError } from '../core/errors';
import { searchWarnings } from '../core/portal-catalog';
import { withoutControls } from '../core/record-shape';
import { addCatalogOptions, CatalogChoice, collect, openCatalog } from './catalog-options';
import { CommandIO, RegisterCommand, positiveInteger, writeJSON } from './io';

interface SearchFlags extends CatalogChoice {
  experiment?: string[];
  type?: string[];
  year?: string[];
  collisionEnergy?: string[];
  collisionType?: string[];
  fileType?: string[];
  keywords?: string[];
  category?: string[];
  numberEvents?: string;
  page: number;
  size: number;
  sort?: SortOrder;
  ondemand?: boolean;
  json?: boolean;
}

/** Facet options: the flag, its facet (the portal's URL parameter) and what it takes. */
const FACET_FLAGS: [string, FacetName, keyof SearchFlags, string][] = [
  [
    '--experiment <name>',
    'experiment',
    'experiment',
    'experiment, e.g. CMS (repeat for any of several)'
  ],
  ['--type <type>', 'type', 'type', 'type or Type::Subtype, e.g. Dataset::Collision'],
  ['--year <years>', 'year', 'year', 'year or range, e.g. 2011 or 2011--2012'],
  ['--collision-energy <e>', 'collision_energy', 'collisionEnergy', 'collision energy, e.g. 7TeV'],
  ['--collision-type <t>', 'collision_type', 'collisionType', 'collision type, e.g. pp, PbPb'],
  ['--file-type <ext>', 'file_type', 'fileType', 'file format, e.g. root, aod'],
  ['--keywords <word>', 'keywords', 'keywords', 'a keyword of the record'],
  ['--category <name>', 'category', 'category', 'physics category, e.g. Higgs Physics']
];

async function search(
  query: string | undefined,
  flags: SearchFlags,
  { out, err }: CommandIO
): Promise<void> {
  const options: SearchOptions = {
    page: flags.page,
    size: flags.size,
    sort: flags.sort,
    ondemand: flags.ondemand
  };
  for (const [, facet, key] of FACET_FLAGS) {
    if (flags[key] !== undefined) options[facet] = flags[key] as string[];
  }
  if (flags.numberEvents !== undefined) options.number_events = flags.numberEvents;
  const cat = await openCatalog(flags);
  const result = await cat.search(query ?? '', options);
  const warnings = searchWarnings(result);
  if (warnings.length > 0) {
    const shown = warnings.slice(0, 3).join('; ');
    const more = warnings.length > 3 ? `; … ${warnings.length - 3} more` : '';
    err(
      `opendata search: warning: left out ${warnings.length} malformed ${warnings.length > 1 ? 'entries' : 'entry'} of the portal's answer: ${withoutControls(shown)}${more}\n`
    );
  }
  if (flags.json) {
    writeJSON(out, {
      total: result.total,
      hits: result.hits.map(h => ({
        recid: h.recid,
        title: h.title,
        doi: h.doi || null,
        experiment: h.experiment,
        type: h.type
      })),
      facets: result.facets
    });
    return;
  }
  const pages = Math.max(1, Math.ceil(result.total / result.size));
  out(`${result.total} records (page ${result.page} of ${pages}, ${result.size} per page)\n`);
  const rows = result.hits.map(h => [
    h.recid,
    h.experiment.join(','),
    h.type.join(','),
    String(
      h.year.length
        ? h.year[0] === h.year[h.year.length - 1]
          ? h.year[0]
          : `${h.year[0]}-${h.year[h.year.length - 1]}`
        : ''
    ),
    h.title
  ]);
  if (rows.length) out(table(['RECID', 'EXPERIMENT', 'TYPE', 'YEAR', 'TITLE'], rows.map(cells)));
  for (const [name, buckets] of Object.entries(result.facets)) {
    if (!buckets?.length) continue;
    const shown = buckets.slice(0, 8).map(b => `${b.key} (${b.count})`);
    const more = buckets.length > 8 ? `, … ${buckets.length - 8} more` : '';
    out(`${name}: ${withoutControls(shown.join(', '))}${more}\n`);
  }
}

/** Cells as one line of plain text each: a record's newlines and terminal escapes stay out of the table. */
function cells(row: string[]): string[] {
  return row.map(cell => withoutControls(cell.replace(/\s+/g, ' ')));
}

/** Left-aligned columns; the last one is not padded. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (r: string[]) =>
    r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ') + '\n';
  return [head, ...rows].map(line).join('');
}

function sortOrder(value: string): SortOrder {
  if (!SORT_ORDERS.includes(value as SortOrder)) {
    throw new OpenDataError('E_USAGE', `--sort: expected one of ${SORT_ORDERS.join(', ')}`);
  }
  return value as SortOrder;
}

export const registerSearch: RegisterCommand = (program, io) => {
  const command = program
    .command('search')
    .description(
      'search the catalog: free text (words AND-ed, the last one may be a prefix) and facets'
    )
    .argument('[query]', 'words to look for in titles, abstracts, DOIs, keywords and file names')
    .option('--page <n>', 'page number, from 1', positiveInteger, 1)
    .option('--size <n>', 'records per page', positiveInteger, 10);
  for (const [flags, , , description] of FACET_FLAGS) command.option(flags, description, collect);
  command
    .option('--number-events <range>', 'number of events, e.g. 1000--9999 or 1000000--')
    .addOption(
      new Option(
        '--sort <order>',
        'bestmatch (default with a query), mostrecent (default without), title, title_desc'
      )
        .choices(SORT_ORDERS as string[])
        .argParser(sortOrder)
    )
    .option(
      '--ondemand',
      'include datasets that are on tape (hidden by default, as on the portal)'
    );
  addCatalogOptions(command)
    .option('--json', 'machine-readable output: {"total", "hits", "facets"}')
    .action((query: string | undefined, flags: SearchFlags) => search(query, flags, io));
};
