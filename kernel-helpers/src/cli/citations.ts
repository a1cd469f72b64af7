import { CITATIONS_MAX_SIZE, CITATIONS_SIZE, INSPIRE_URL } from '../core/inspire';
import { INSPIRE_URL_ENV, citingPapers } from '../node/inspire';
import { CatalogChoice, addCatalogOptions, openCatalog } from './catalog-options';
import { CommandIO, RegisterCommand, positiveInteger, writeJSON } from './io';

interface CitationsFlags extends CatalogChoice {
  inspire?: string;
  size: number;
  json?: boolean;
}

async function citations(
  recidOrDoi: string,
  flags: CitationsFlags,
  { out }: CommandIO
): Promise<void> {
  await openCatalog(flags); // checks --catalog/--portal are not both given
  const found = await citingPapers(recidOrDoi, {
    baseUrl: flags.inspire,
    size: flags.size,
    catalog: { catalog: flags.catalog, portal: flags.portal }
  });
  if (flags.json) {
    writeJSON(out, found);
    return;
  }
  const lines = [
    found.total === 1
      ? `1 paper on INSPIRE cites ${found.doi}`
      : `${found.total} papers on INSPIRE cite ${found.doi}`
  ];
  for (const p of found.papers) {
    const authors =
      p.authors.length === 0 ? '' : p.authorCount > 1 ? `${p.authors[0]} et al.` : p.authors[0];
    const where = [p.journal ?? (p.year ? String(p.year) : ''), p.arxiv ? `arXiv:${p.arxiv}` : '']
      .filter(Boolean)
      .join(', ');
    lines.push('', p.title || '(no title)', [authors, where].filter(Boolean).join(' · '), p.url);
  }
  if (found.total > found.papers.length) {
    lines.push('', `${found.total - found.papers.length} more: ${found.searchUrl}`);
  }
  out(lines.join('\n') + '\n');
}

export const registerCitations: RegisterCommand = (program, io) => {
  const command = program
    .command('citations')
    .description('the papers on INSPIRE that cite a dataset (by RECID or DOI; needs the network)')
    .argument('<recid-or-doi>', 'a record number (its DOI is looked up) or a DOI');
  addCatalogOptions(command)
    .option(
      '--inspire <url>',
      `INSPIRE's address (default: $${INSPIRE_URL_ENV}, else ${INSPIRE_URL})`
    )
    .option(
      '--size <n>',
      `papers listed, at most ${CITATIONS_MAX_SIZE}`,
      positiveInteger,
      CITATIONS_SIZE
    )
    .option(
      '--json',
      'JSON output: {doi, total, papers: [{title, authors, journal, year, arxiv, url}], searchUrl}'
    )
    .action((recidOrDoi: string, flags: CitationsFlags) => citations(recidOrDoi, flags, io));
};
