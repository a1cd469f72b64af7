import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import {
  errorCode,
  fetchCitingPapers,
  type CitingPaper,
  type CitingPapers
} from '@opendata-lab/kernel-helpers/core';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { TranslationBundle } from '@jupyterlab/translation';
import { element as el } from './dom';
import { formatNumber } from './format';
import { linkElement } from './record-html';
import { serverFetch } from './server-fetch';

/** Papers listed before the rest are folded away. */
const PAPERS_SHOWN = 10;

/**
 * The record view's "Cited by" section: a status line while INSPIRE is asked, then the count and
 * the papers with links to inspirehep.net. A failure says so in the section and nothing else:
 * INSPIRE unreachable is "Citations unavailable offline", never an error of the record view.
 * Paper values are text (core/inspire.ts made them plain and bounded); links are built there from
 * INSPIRE's record number.
 */
export function citedBySection(
  load: () => Promise<CitingPapers>,
  trans: TranslationBundle,
  latexTypesetter?: IRenderMime.ILatexTypesetter | null,
  options: { ask?: boolean } = {}
): HTMLElement {
  const box = el('div', 'odl-CitedBy');
  box.setAttribute('aria-live', 'polite');
  const status = el('p', 'odl-CitedBy-status');
  box.append(status);
  if (options.ask) {
    // Offline by choice (the snapshot source): INSPIRE is asked only when the user says so.
    const button = el(
      'button',
      'jp-mod-styled odl-CitedBy-lookup',
      trans.__('Look up on INSPIRE')
    ) as HTMLButtonElement;
    button.type = 'button';
    status.textContent = trans.__('INSPIRE lists the papers that cite this dataset.');
    button.addEventListener('click', () => {
      button.remove();
      lookUp();
    });
    box.append(button);
  } else {
    lookUp();
  }
  return box;

  function lookUp(): void {
    box.setAttribute('aria-busy', 'true');
    status.textContent = trans.__('Looking up the papers that cite this dataset on INSPIRE…');
    void show();
  }

  async function show(): Promise<void> {
    let found: CitingPapers;
    try {
      found = await load();
    } catch (error) {
      status.classList.add('odl-mod-unavailable');
      status.textContent =
        errorCode(error) === 'E_NETWORK'
          ? trans.__('Citations unavailable offline')
          : trans.__('Citations unavailable: %1', String((error as Error)?.message ?? error));
      return;
    } finally {
      box.setAttribute('aria-busy', 'false');
    }
    status.textContent =
      found.total === 0
        ? trans.__('No paper on INSPIRE cites this dataset yet.')
        : trans._n(
            '%2 paper on INSPIRE cites this dataset.',
            '%2 papers on INSPIRE cite this dataset.',
            found.total,
            formatNumber(found.total)
          );
    if (found.papers.length === 0) {
      return;
    }
    const list = el('ul', 'odl-CitedBy-list');
    const item = (paper: CitingPaper) => {
      const li = el('li', 'odl-CitedBy-paper');
      const title = linkElement(
        { kind: 'page', url: paper.url },
        paper.title || trans.__('INSPIRE record %1', paper.inspireId)
      );
      title.classList.add('odl-CitedBy-title');
      title.title = trans.__('Open on INSPIRE');
      li.append(title);
      const authors =
        paper.authors.length === 0
          ? ''
          : paper.authorCount > paper.authors.length || paper.authorCount > 3
            ? trans.__('%1 et al.', paper.authors[0])
            : paper.authors.join('; ');
      const where = [
        paper.journal ?? (paper.year ? String(paper.year) : ''),
        paper.arxiv ? `arXiv:${paper.arxiv}` : ''
      ].filter(Boolean);
      const details = [authors, ...where].filter(Boolean).join(' · ');
      if (details) {
        li.append(el('div', 'odl-CitedBy-details', details));
      }
      return li;
    };
    list.append(...found.papers.slice(0, PAPERS_SHOWN).map(item));
    box.append(list);
    if (found.papers.length > PAPERS_SHOWN) {
      const more = el('details', 'odl-CitedBy-more') as HTMLDetailsElement;
      more.append(
        el(
          'summary',
          '',
          trans.__('%1 more papers', formatNumber(found.papers.length - PAPERS_SHOWN))
        )
      );
      const rest = el('ul', 'odl-CitedBy-list');
      rest.append(...found.papers.slice(PAPERS_SHOWN).map(item));
      more.append(rest);
      box.append(more);
    }
    if (found.total > found.papers.length) {
      const all = linkElement(
        { kind: 'page', url: found.searchUrl },
        trans.__('All %1 papers on INSPIRE', formatNumber(found.total))
      );
      const p = el('p', 'odl-CitedBy-all');
      p.append(all);
      box.append(p);
    }
    // TeX in titles ("$H\to ZZ^*$") typeset as in the record's own title.
    void latexTypesetter?.typeset(list);
  }
}

/** The papers citing a DOI, asked of INSPIRE through the server's route (`opendata-lab/inspire`). */
export function citingPapersThroughServer(doi: string): Promise<CitingPapers> {
  const base = URLExt.join(PageConfig.getBaseUrl(), 'opendata-lab', 'inspire');
  return fetchCitingPapers(doi, { baseUrl: base, fetch: serverFetch, timeoutMs: 20_000 });
}
