import {
  bundledSample,
  clipText,
  fileName,
  indexFiles,
  isDoi,
  onTape,
  recordAvailability,
  recordFiles,
  stagingUrl,
  type CitingPapers,
  type CatalogRecord,
  type FileIndex,
  type RecordFile,
  type RecordFiles
} from '@opendata-lab/kernel-helpers/core';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { nullTranslator, type ITranslator, type TranslationBundle } from '@jupyterlab/translation';
import { checkIcon, downloadIcon, offlineBoltIcon, type LabIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { CommandIDs } from './commands';
import { element as el } from './dom';
import { formatBytes, formatNumber } from './format';
import { TRANSLATION_DOMAIN } from './i18n';
import { DEFAULT_SETTINGS } from './settings';
import type { IIndexLoader } from './index-loader';
import { citedBySection } from './cited-by';
import { cleanRecordHtml, linkElement, recordLink } from './record-html';
import { formatType } from './record-row';
import type { ICatalogModel } from './tokens';

/** Authors shown before the rest are folded away (author lists reach 3,308 names). */
const AUTHORS_SHOWN = 10;
// A portal answer sets every size (a 1 MB title and 50,000 authors froze the tab): longer values
// are cut, with the whole value laid out only when asked for. Real titles reach 179 characters,
// abstracts 31,738.
const TITLE_SHOWN = 2000;
const NAME_SHOWN = 300;
/** HTML fields longer than this are shown as cut text, the HTML on request. */
const HTML_SHOWN = 100_000;
const HTML_TEXT_SHOWN = 10_000;
const ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'"
};

/** Where a file loads from: a bundled copy, the portal (reachable, unreachable, not asked yet). */
export type FileAvailability = 'bundled' | 'downloadable' | 'needs-portal' | 'portal';

/**
 * One record in full: everything the portal's record page shows that matters for using the
 * data. Metadata is untrusted: plain fields are set as text, HTML fields (abstract, usage, system
 * details) are sanitized and cleaned (record-html.ts) before they reach the DOM.
 */
export class RecordView extends Widget {
  constructor(options: RecordView.IOptions) {
    super();
    this.addClass('odl-RecordView');
    this._options = options;
    this._trans = (options.translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    this.node.tabIndex = -1;
    this.node.setAttribute('role', 'article');
    // One listener for every link to another record, wherever it is in the view.
    this.node.addEventListener('click', event => this._onClick(event));
  }

  get recid(): string | null {
    return this._recid;
  }

  /** Shows a loading line, then the record or the failure. */
  async showRecord(
    load: Promise<{ record: CatalogRecord; origin: string }>,
    recid: string
  ): Promise<void> {
    const trans = this._trans;
    this._recid = recid;
    this.node.setAttribute('aria-busy', 'true');
    this.node.replaceChildren(
      el('p', 'odl-RecordView-status', trans.__('Loading record %1…', recid))
    );
    try {
      const { record, origin } = await load;
      this.render(record, origin);
    } catch (error) {
      const alert = el(
        'p',
        'odl-RecordView-error',
        trans.__('Could not load record %1: %2', recid, String((error as Error).message ?? error))
      );
      alert.setAttribute('role', 'alert');
      this.node.replaceChildren(alert);
    } finally {
      this.node.setAttribute('aria-busy', 'false');
    }
  }

  render(record: CatalogRecord, origin = 'snapshot'): void {
    const trans = this._trans;
    const r = record as RecordFields;
    this._recid = String(r.recid);
    this._origin = origin;
    this.node.replaceChildren();

    const header = el('header', 'odl-RecordView-header');
    const fullTitle = text(r.title);
    const title = el(
      'h1',
      'odl-RecordView-title',
      clipText(fullTitle, TITLE_SHOWN) || trans.__('Record %1', r.recid)
    );
    void this._options.latexTypesetter?.typeset(title); // e.g. "ATLAS $t\bar{t}$ simulation …"
    header.append(title, ...this._rest(fullTitle, TITLE_SHOWN, trans.__('Full title')));
    const subtitle = text(r.title_additional);
    if (subtitle) {
      header.append(
        el('p', 'odl-RecordView-subtitle', clipText(subtitle, TITLE_SHOWN)),
        ...this._rest(subtitle, TITLE_SHOWN, trans.__('Full subtitle'))
      );
    }
    const meta = el('p', 'odl-RecordView-meta');
    const parts = [
      texts(r.experiment).join(', '),
      r.type
        ? [text(r.type.primary), ...texts(r.type.secondary)]
            .filter(Boolean)
            .map(formatType)
            .join(' / ')
        : '',
      trans.__('record %1', r.recid),
      origin === 'portal' ? trans.__('from the portal') : trans.__('from the bundled snapshot')
    ].filter(Boolean);
    meta.textContent = parts.join(' · ');
    header.append(meta);
    const dates = this._dates(r);
    if (dates) {
      header.append(dates);
    }
    const tape = this._onTape(record);
    if (tape) {
      header.append(tape);
    }
    header.append(this._actions(String(r.recid)));
    this.node.append(header);

    const dataset = text(r.type?.primary) === 'Dataset';
    const simulated = texts(r.type?.secondary).includes('Simulated');
    this._section(trans.__('Abstract'), this._described(r.abstract));
    this._section(trans.__('Note'), this._described(r.note));
    this._section(trans.__('Authors'), this._authors(r));
    this._section(trans.__('Identifiers'), this._identifiers(r));
    // The papers citing the dataset, from INSPIRE (when the option is given and online).
    const doi = text(r.doi);
    const citing = this._options.citingPapers;
    if (citing && isDoi(doi)) {
      const load = () => citing(doi);
      this._section(
        trans.__('Cited by'),
        citedBySection(load, trans, this._options.latexTypesetter, {
          ask: this._options.askBeforeNetwork?.() ?? false
        })
      );
    }
    this._section(trans.__('Collision'), this._collision(r));
    this._section(trans.__('Distribution'), this._distribution(r));
    this._section(trans.__('System details'), this._described(r.system_details));
    // The portal's headings for these fields.
    this._section(
      !dataset
        ? trans.__('Methodology')
        : simulated
          ? trans.__('How were these data generated?')
          : trans.__('How were these data selected?'),
      this._described(r.methodology)
    );
    this._section(
      dataset ? trans.__('How were these data validated?') : trans.__('Validation'),
      this._described(r.validation)
    );
    this._section(trans.__('Usage'), this._described(r.usage));
    this._section(trans.__('Use with'), this._described(r.use_with));
    this._section(trans.__('Files'), this._files(record));
  }

  /**
   * Re-reads `portalOnline` and updates what every shown file says about where it loads from.
   * Call it when the portal's status changes.
   */
  refreshFileStatus(): void {
    for (const cell of this.node.querySelectorAll<HTMLElement>('td.odl-FileTable-status')) {
      const file = this._statusCells.get(cell);
      if (file) {
        this._fillStatus(cell, file);
      }
    }
    for (const note of this.node.querySelectorAll<HTMLElement>('.odl-RecordView-indexNote')) {
      const index = this._indexNotes.get(note);
      if (index) {
        note.textContent = this._indexNote(index);
      }
    }
  }

  /** Whether the portal answers now: the option's answer, else what the record's origin tells. */
  private _portalOnline(): boolean | null {
    const online = this._options.portalOnline?.();
    if (online !== undefined && online !== null) {
      return online;
    }
    return this._origin === 'portal' ? true : null;
  }

  /** Where a file of this record loads from. */
  availability(file: RecordFile): FileAvailability {
    if (bundledSample(this._recid, file.uri)) {
      return 'bundled';
    }
    const online = this._portalOnline();
    return online === true ? 'downloadable' : online === false ? 'needs-portal' : 'portal';
  }

  private _onClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    const anchor = target?.closest?.('a.odl-RecordView-link') as HTMLAnchorElement | null;
    const commands = this._options.commands;
    // A modified or middle click keeps the browser's meaning: the portal's page in a new tab.
    if (!anchor || !commands || event.button !== 0 || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.shiftKey || event.altKey) {
      return;
    }
    // Pages (the landing page too, though it is /record/N) are marked external: they stay pages.
    const link = anchor.classList.contains('odl-mod-external')
      ? null
      : recordLink(anchor.getAttribute('href') ?? '');
    if (link?.kind === 'record') {
      event.preventDefault();
      void commands.execute(CommandIDs.openRecord, { recid: link.recid });
    }
  }

  /** Labelled dates, as the portal means them (record-v1.0.0 schema). */
  private _dates(r: RecordFields): HTMLElement | null {
    const trans = this._trans;
    const secondary = texts(r.type?.secondary);
    const created = texts(r.date_created);
    const periods = texts(r.run_period);
    const reprocessed = text(r.date_reprocessed);
    const published = text(r.date_published);
    const dl = el('dl', 'odl-RecordView-dates');
    const add = (term: string, value: string) => {
      const pair = el('div', 'odl-RecordView-date');
      pair.append(el('dt', '', term), el('dd', '', value));
      dl.append(pair);
    };
    if (created.length > 0) {
      // date_created: the data-taking year of collision data, the year simulated data stand for.
      const label = secondary.includes('Collision')
        ? trans.__('Collected')
        : secondary.includes('Simulated')
          ? trans.__('Simulated for')
          : trans.__('Created');
      add(label, created.join(', '));
    }
    if (periods.length > 0) {
      add(trans.__('Run period'), periods.join(', '));
    }
    if (reprocessed && created.join(', ') !== reprocessed) {
      add(trans.__('Reprocessed'), reprocessed);
    }
    if (published) {
      add(trans.__('Published'), published);
    }
    return dl.childElementCount > 0 ? dl : null;
  }

  /** For a record on tape: says so, with the portal page where staging is requested. */
  private _onTape(record: CatalogRecord): HTMLElement | null {
    const availability = recordAvailability(record);
    if (!onTape(availability)) {
      return null;
    }
    const trans = this._trans;
    const note = el('p', 'odl-RecordView-onTape');
    note.setAttribute('role', 'note');
    note.append(
      el(
        'span',
        'odl-OnTapeBadge',
        availability === 'partial' ? trans.__('Partly on tape') : trans.__('On tape')
      ),
      ' ',
      availability === 'partial'
        ? trans.__(
            'Some files of this dataset are on tape: they must be staged before they can be downloaded.'
          )
        : trans.__(
            'The files of this dataset are on tape: they must be staged before they can be downloaded.'
          ),
      ' ',
      linkElement(
        { kind: 'page', url: stagingUrl(String(record.recid)) },
        trans.__('Request staging on the portal')
      )
    );
    return note;
  }

  private _actions(recid: string): HTMLElement {
    const trans = this._trans;
    const bar = el('div', 'odl-RecordView-actions');
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', trans.__('Record actions'));
    const commands = this._options.commands;
    const buttons: [string, string, Record<string, string>][] = [
      [CommandIDs.insertLoader, trans.__('Insert loader'), { recid }],
      [CommandIDs.cite, trans.__('Copy citation'), { recid, target: 'clipboard' }],
      [CommandIDs.cite, trans.__('Cite in notebook'), { recid, target: 'markdown' }],
      [CommandIDs.openOnPortal, trans.__('Open on portal'), { recid }]
    ];
    for (const [command, label, args] of buttons) {
      const button = el('button', 'jp-mod-styled odl-RecordView-action', label);
      button.type = 'button';
      button.dataset.command = command;
      button.title = commands?.caption(command, args) || label;
      button.addEventListener('click', () => {
        void commands?.execute(command, args);
      });
      bar.append(button);
    }
    return bar;
  }

  private _section(heading: string, body: HTMLElement | null): void {
    if (!body) {
      return;
    }
    const section = el('section', 'odl-RecordView-section');
    const h = el('h2', 'odl-RecordView-heading', heading);
    section.append(h, body);
    section.setAttribute('aria-label', heading);
    this.node.append(section);
  }

  /**
   * A described field (`{description, links}`) as the portal shows it: the description's HTML,
   * then its links, which the text often leads into ("… can be found in").
   */
  private _described(field: DescribedField | undefined): HTMLElement | null {
    if (!field || typeof field !== 'object') {
      return null;
    }
    const html = this._html(field.description);
    const links = this._links(field.links);
    if (!html && !links) {
      return null;
    }
    if (!links) {
      return html;
    }
    const box = el('div', 'odl-RecordView-described');
    box.append(...[html, links].filter((n): n is HTMLElement => n !== null));
    return box;
  }

  /** Sanitized HTML of a metadata field, or null when empty. */
  private _html(html: unknown): HTMLElement | null {
    const source = typeof html === 'string' ? html.trim() : '';
    if (!source) {
      return null;
    }
    const div = el('div', 'odl-RecordView-html jp-RenderedHTMLCommon');
    const clean = () =>
      cleanRecordHtml(this._options.sanitizer, source, name => this._trans.__('Image: %1', name));
    if (source.length > HTML_SHOWN) {
      // Too long to sanitize and lay out at once: its text, cut; the HTML when asked for.
      const words = source
        .slice(0, HTML_TEXT_SHOWN * 4)
        .replace(/<[^<>]*>/g, ' ')
        .replace(/&(nbsp|amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e])
        .replace(/\s+/g, ' ')
        .trim();
      const summary = this._trans.__('Full text (%1 characters)', formatNumber(source.length));
      div.append(
        el('p', '', clipText(words, HTML_TEXT_SHOWN)),
        this._fold('odl-RecordView-fullText', summary, () => {
          const full = el('div');
          full.append(clean());
          return full;
        })
      );
      return div;
    }
    div.append(clean());
    // Abstracts write formulas in TeX ($H\rightarrow ZZ$): JupyterLab's typesetter (MathJax)
    // renders them as in markdown cells. It reads the cleaned text, not the raw metadata.
    void this._options.latexTypesetter?.typeset(div);
    return div;
  }

  /** A field's `links`: `{url}` or `{recid}`, named by description, title, else URL or record title. */
  private _links(links: unknown): HTMLElement | null {
    if (!Array.isArray(links)) {
      return null;
    }
    const list = el('ul', 'odl-RecordView-links');
    for (const raw of links as LinkField[]) {
      if (!raw || typeof raw !== 'object') {
        continue;
      }
      const label = text(raw.description) || text(raw.title);
      const recid = text(raw.recid);
      const url = text(raw.url);
      let a: HTMLAnchorElement | null = null;
      if (/^\d+$/.test(recid)) {
        const link = recordLink(`/record/${recid}`)!;
        a = linkElement(link, label || this._trans.__('Record %1', recid));
        if (!label) {
          void this._recordTitle(a, recid);
        }
      } else if (url) {
        const link = recordLink(url);
        if (link) {
          a = linkElement(link, label || url);
        }
      }
      if (a) {
        const item = el('li');
        item.append(a);
        list.append(item);
      }
    }
    return list.childElementCount > 0 ? list : null;
  }

  /** Names a link to a record by its title, as the portal does, once the title is known. */
  private async _recordTitle(a: HTMLAnchorElement, recid: string): Promise<void> {
    let title: string | null = null;
    try {
      title = (await this._options.recordTitle?.(recid)) ?? null;
    } catch {
      return; // the link keeps "Record N"
    }
    if (title && title.trim()) {
      a.textContent = title.trim();
      void this._options.latexTypesetter?.typeset(a);
    }
  }

  private _authors(r: RecordFields): HTMLElement | null {
    const trans = this._trans;
    const collaboration = text(r.collaboration?.name);
    const names = (Array.isArray(r.authors) ? r.authors : [])
      .map(a => text(a?.name))
      .filter(Boolean);
    if (!collaboration && names.length === 0) {
      return null;
    }
    const box = el('div', 'odl-RecordView-authors');
    if (collaboration) {
      box.append(
        el('p', 'odl-RecordView-collaboration', clipText(collaboration, TITLE_SHOWN)),
        ...this._rest(collaboration, TITLE_SHOWN, trans.__('Full name'))
      );
    }
    if (names.length > 0) {
      const shown = names.slice(0, AUTHORS_SHOWN).map(name => clipText(name, NAME_SHOWN));
      box.append(el('p', 'odl-RecordView-authorList', shown.join('; ')));
      if (names.length > AUTHORS_SHOWN) {
        // The rest (up to 50,000 names seen) is laid out when the fold is opened.
        box.append(
          this._fold(
            'odl-RecordView-moreAuthors',
            trans.__('%1 more authors', formatNumber(names.length - AUTHORS_SHOWN)),
            () => el('p', '', names.slice(AUTHORS_SHOWN).join('; '))
          )
        );
      }
    }
    return box;
  }

  /** A closed fold whose content is made when it is first opened. */
  private _fold(className: string, summary: string, content: () => HTMLElement): HTMLElement {
    const fold = el('details', className) as HTMLDetailsElement;
    fold.append(el('summary', '', summary));
    fold.addEventListener('toggle', () => {
      if (fold.open && fold.childElementCount === 1) {
        fold.append(content());
      }
    });
    return fold;
  }

  /** For a value cut to `max` characters: a fold with the whole value; nothing when it was not cut. */
  private _rest(value: string, max: number, label: string): HTMLElement[] {
    if (value.length <= max) {
      return [];
    }
    const summary = this._trans.__('%1 (%2 characters)', label, formatNumber(value.length));
    return [this._fold('odl-RecordView-fullText', summary, () => el('p', '', value))];
  }

  private _identifiers(r: RecordFields): HTMLElement {
    const trans = this._trans;
    const dl = el('dl', 'odl-RecordView-fields');
    const doi = text(r.doi);
    if (doi) {
      const href = `https://doi.org/${doi.split('/').map(encodeURIComponent).join('/')}`;
      add(dl, trans.__('DOI'), linkElement({ kind: 'page', url: href }, doi));
    }
    const landing = `https://opendata.cern.ch/record/${encodeURIComponent(String(r.recid))}`;
    // The landing page is the portal's page of this record: it opens there, in a new tab.
    add(dl, trans.__('Landing page'), linkElement({ kind: 'page', url: landing }, landing));
    const licence = text(r.license?.attribution);
    if (licence) {
      add(dl, trans.__('Licence'), document.createTextNode(licence));
    }
    const publisher = text(r.publisher);
    if (publisher) {
      add(dl, trans.__('Publisher'), document.createTextNode(publisher));
    }
    return dl;
  }

  private _collision(r: RecordFields): HTMLElement | null {
    const c = r.collision_information;
    if (!c || (!text(c.energy) && !text(c.type))) {
      return null;
    }
    const trans = this._trans;
    const dl = el('dl', 'odl-RecordView-fields');
    if (text(c.energy)) {
      add(dl, trans.__('Energy'), document.createTextNode(text(c.energy)));
    }
    if (text(c.type)) {
      add(dl, trans.__('Type'), document.createTextNode(text(c.type)));
    }
    return dl;
  }

  private _distribution(r: RecordFields): HTMLElement | null {
    const d = r.distribution;
    if (!d) {
      return null;
    }
    const trans = this._trans;
    const dl = el('dl', 'odl-RecordView-fields');
    const formats = texts(d.formats);
    if (formats.length > 0) {
      add(dl, trans.__('Formats'), document.createTextNode(formats.join(', ')));
    }
    if (typeof d.number_files === 'number') {
      add(dl, trans.__('Files'), document.createTextNode(formatNumber(d.number_files)));
    }
    if (typeof d.size === 'number') {
      add(dl, trans.__('Size'), document.createTextNode(formatBytes(d.size)));
    }
    if (typeof d.number_events === 'number') {
      add(dl, trans.__('Events'), document.createTextNode(formatNumber(d.number_events)));
    }
    if (text(d.availability)) {
      add(dl, trans.__('Availability'), document.createTextNode(text(d.availability)));
    }
    return dl.childElementCount > 0 ? dl : null;
  }

  private _files(record: CatalogRecord): HTMLElement | null {
    const trans = this._trans;
    let listing: RecordFiles;
    try {
      listing = recordFiles(record);
    } catch (error) {
      return el('p', 'odl-RecordView-error', String((error as Error).message));
    }
    const isIndex = (f: RecordFile) => listing.indices.some(i => i.json === f || i.txt === f);
    const dataFiles = listing.files.filter(f => !isIndex(f));
    if (dataFiles.length === 0 && listing.indices.length === 0) {
      return null;
    }
    const box = el('div', 'odl-RecordView-files');
    if (dataFiles.length > 0) {
      box.append(this._pagedFiles(dataFiles, String(record.recid)));
    }
    if (listing.indices.length > 0) {
      box.append(
        el(
          'p',
          'odl-RecordView-note',
          trans.__(
            'File indexes (%1): each lists files of the dataset. Expand one to see its files.',
            formatNumber(listing.indices.length)
          )
        )
      );
    }
    for (const index of listing.indices) {
      box.append(this._indexEntry(index, String(record.recid)));
    }
    return box;
  }

  /** Whether an index's files are known here: in the record, a bundled copy, or on the portal only. */
  private _indexNote(index: FileIndex): string {
    const trans = this._trans;
    if (index.files) {
      return trans.__('%1 files', formatNumber(index.files.length));
    }
    const listing = index.json ?? index.txt;
    if (listing && this._options.indexLoader?.has(listing)) {
      return trans.__('bundled index: lists its files offline');
    }
    return this._portalOnline() === false
      ? trans.__('needs the portal to list its files')
      : trans.__('its files are listed on the portal');
  }

  /** A file index, expanded on demand: its files when known here, else its listing files. */
  private _indexEntry(index: FileIndex, recid: string): HTMLElement {
    const trans = this._trans;
    const details = el('details', 'odl-RecordView-index');
    const summary = el('summary', 'odl-RecordView-indexSummary');
    const note = el('span', 'odl-RecordView-indexNote', this._indexNote(index));
    this._indexNotes.set(note, index);
    summary.append(el('span', 'odl-RecordView-indexName', index.key), note);
    details.append(summary);
    let filled = false;
    details.addEventListener('toggle', () => {
      if (!details.open || filled) {
        return;
      }
      filled = true;
      const listing = index.json ?? index.txt;
      const loader = this._options.indexLoader;
      if (index.files) {
        details.append(this._pagedFiles(index.files, recid));
      } else if (listing && loader?.has(listing)) {
        const status = el('p', 'odl-RecordView-status', trans.__('Reading the bundled index…'));
        status.setAttribute('role', 'status');
        details.append(status);
        void indexFiles(index, file => loader.load(file)).then(
          files => status.replaceWith(this._pagedFiles(files, recid)),
          (error: unknown) => {
            status.className = 'odl-RecordView-error';
            status.setAttribute('role', 'alert');
            status.textContent = trans.__(
              'Could not read file index %1: %2',
              index.key,
              String((error as Error).message ?? error)
            );
          }
        );
      } else {
        const files = [index.json, index.txt].filter((f): f is RecordFile => !!f);
        details.append(
          el(
            'p',
            'odl-RecordView-note',
            trans.__('Its files are listed on the portal. These are its listing files:')
          ),
          this._pagedFiles(files, recid)
        );
      }
    });
    return details;
  }

  /**
   * A table of files, a page at a time (DELPHI records list thousands), with a name filter and
   * a page number to jump to when there is more than one page.
   */
  private _pagedFiles(files: RecordFile[], recid: string): HTMLElement {
    const trans = this._trans;
    const pageSize = Math.max(1, this._options.filesPageSize ?? DEFAULT_SETTINGS.filesPageSize);
    const id = `odl-FileTable-${++tableCount}`;
    const box = el('div', 'odl-FileTable');
    const table = el('table', 'odl-FileTable-table');
    const head = el('thead');
    const headRow = el('tr');
    const columns: [string, string][] = [
      [trans.__('File'), 'odl-FileTable-name'],
      [trans.__('Size'), 'odl-FileTable-size'],
      [trans.__('Checksum'), 'odl-FileTable-checksum'],
      [trans.__('Availability'), 'odl-FileTable-status'],
      ['', 'odl-FileTable-action']
    ];
    for (const [name, className] of columns) {
      const th = el('th', className, name);
      th.scope = 'col';
      if (!name) {
        th.append(el('span', 'odl-FileTable-srOnly', trans.__('Actions')));
      }
      headRow.append(th);
    }
    head.append(headRow);
    const body = el('tbody');
    table.append(head, body);

    const paged = files.length > pageSize;
    const filter = el('input', 'jp-mod-styled odl-FileTable-filter');
    filter.type = 'search';
    filter.id = `${id}-filter`;
    filter.placeholder = trans.__('Filter by file name');
    filter.setAttribute('aria-controls', `${id}-table`);
    table.id = `${id}-table`;
    const filterLabel = el('label', 'odl-FileTable-filterLabel', trans.__('Filter'));
    filterLabel.htmlFor = filter.id;

    const footer = el('div', 'odl-FileTable-pager');
    const status = el('span', 'odl-FileTable-summary');
    status.setAttribute('role', 'status');
    const prev = el('button', 'jp-mod-styled odl-FileTable-prev', trans.__('Previous'));
    const next = el('button', 'jp-mod-styled odl-FileTable-next', trans.__('Next'));
    prev.type = next.type = 'button';
    const pageInput = el('input', 'jp-mod-styled odl-FileTable-page');
    pageInput.type = 'number';
    pageInput.min = '1';
    pageInput.id = `${id}-page`;
    const pageLabel = el('label', 'odl-FileTable-pageLabel');
    pageLabel.htmlFor = pageInput.id;
    const pageOf = el('span', 'odl-FileTable-pageOf');
    const pageJump = el('span', 'odl-FileTable-jump');
    pageLabel.textContent = trans.__('Page');
    pageJump.append(pageLabel, pageInput, pageOf);

    let shown = files;
    let page = 0;
    const pages = () => Math.max(1, Math.ceil(shown.length / pageSize));
    const draw = () => {
      const start = page * pageSize;
      const end = Math.min(start + pageSize, shown.length);
      body.replaceChildren(...shown.slice(start, end).map(file => this._fileRow(file, recid)));
      const range =
        shown.length === 0
          ? ''
          : trans.__(
              'Files %1–%2 of %3',
              formatNumber(start + 1),
              formatNumber(end),
              formatNumber(shown.length)
            );
      if (filter.value.trim()) {
        const matches = trans.__(
          '%1 of %2 files match',
          formatNumber(shown.length),
          formatNumber(files.length)
        );
        status.textContent = pages() > 1 ? `${matches} · ${range}` : matches;
      } else {
        status.textContent = range;
      }
      pageInput.max = String(pages());
      pageInput.value = String(page + 1);
      pageOf.textContent = trans.__('of %1', formatNumber(pages()));
      pageInput.setAttribute('aria-label', trans.__('Page (1 to %1)', formatNumber(pages())));
      // One page (a filter can make it so): no page controls.
      prev.hidden = next.hidden = pageJump.hidden = pages() <= 1;
      prev.disabled = page === 0;
      next.disabled = page >= pages() - 1;
    };
    const goTo = (value: number) => {
      page = Math.min(pages() - 1, Math.max(0, Number.isFinite(value) ? value : 0));
      draw();
    };
    prev.addEventListener('click', () => goTo(page - 1));
    next.addEventListener('click', () => goTo(page + 1));
    // `change` comes on Enter, on the spinner's arrows and on leaving the field.
    pageInput.addEventListener('change', () => goTo(Math.round(Number(pageInput.value)) - 1));
    pageInput.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        event.preventDefault();
        goTo(Math.round(Number(pageInput.value)) - 1);
      }
    });
    filter.addEventListener('input', () => {
      const needle = filter.value.trim().toLowerCase();
      shown = needle ? files.filter(f => fileName(f.uri).toLowerCase().includes(needle)) : files;
      page = 0;
      draw();
    });
    draw();
    if (paged) {
      const tools = el('div', 'odl-FileTable-tools');
      tools.append(filterLabel, filter);
      box.append(tools);
    }
    box.append(table);
    if (paged) {
      footer.append(prev, pageJump, next, status);
    } else {
      footer.append(status);
    }
    box.append(footer);
    return box;
  }

  private _fileRow(file: RecordFile, recid: string): HTMLTableRowElement {
    const trans = this._trans;
    const row = el('tr', 'odl-FileTable-row');
    const name = el('td', 'odl-FileTable-name', fileName(file.uri));
    name.title = file.uri;
    const size = el('td', 'odl-FileTable-size', file.size === null ? '' : formatBytes(file.size));
    const checksum = el('td', 'odl-FileTable-checksum', file.checksum ?? '');
    const status = el('td', 'odl-FileTable-status');
    this._fillStatus(status, file);
    this._statusCells.set(status, file);
    const action = el('td', 'odl-FileTable-action');
    const loadable = /\.(csv|root)$/i.test(fileName(file.uri));
    if (loadable && this._options.commands) {
      const button = el(
        'button',
        'jp-mod-styled jp-mod-minimal odl-FileTable-load',
        trans.__('Load')
      );
      button.type = 'button';
      button.setAttribute('aria-label', trans.__('Insert a loader for %1', fileName(file.uri)));
      button.addEventListener('click', () => {
        void this._options.commands?.execute(CommandIDs.insertLoader, { recid, file: file.uri });
      });
      action.append(button);
    }
    row.append(name, size, checksum, status, action);
    return row;
  }

  /** Icon and text (never colour alone) of where a file loads from. */
  private _fillStatus(cell: HTMLElement, file: RecordFile): void {
    const trans = this._trans;
    const availability = this.availability(file);
    const [icon, label, help]: [LabIcon, string, string] =
      availability === 'bundled'
        ? [
            checkIcon,
            trans.__('Bundled'),
            trans.__('A copy ships with opendata-lab: it loads now, offline')
          ]
        : availability === 'downloadable'
          ? [
              downloadIcon,
              trans.__('Downloadable'),
              trans.__('The portal answers: loading downloads it first')
            ]
          : availability === 'needs-portal'
            ? [
                offlineBoltIcon,
                trans.__('Needs the portal'),
                trans.__('The portal does not answer now: this file cannot be loaded offline')
              ]
            : [
                downloadIcon,
                trans.__('On the portal'),
                trans.__('Loading downloads it from the portal')
              ];
    cell.dataset.availability = availability;
    cell.title = help;
    const badge = el('span', `odl-FileTable-badge odl-mod-${availability}`);
    const iconBox = el('span', 'odl-FileTable-badgeIcon');
    iconBox.setAttribute('aria-hidden', 'true');
    icon.element({ container: iconBox, tag: 'span' });
    badge.append(iconBox, el('span', 'odl-FileTable-badgeText', label));
    cell.replaceChildren(badge);
  }

  private readonly _options: RecordView.IOptions;
  private readonly _trans: TranslationBundle;
  private _recid: string | null = null;
  private _origin = 'snapshot';
  // What each shown status cell and index note is about (weak: pages replace their rows).
  private readonly _statusCells = new WeakMap<HTMLElement, RecordFile>();
  private readonly _indexNotes = new WeakMap<HTMLElement, FileIndex>();
}

export namespace RecordView {
  export interface IOptions {
    sanitizer: IRenderMime.ISanitizer;
    translator?: ITranslator;
    /** Runs the action buttons and opens linked records; without it links go to the portal. */
    commands?: CommandRegistry;
    filesPageSize?: number;
    /** Renders TeX in the HTML fields (JupyterLab's MathJax typesetter); none: shown as written. */
    latexTypesetter?: IRenderMime.ILatexTypesetter | null;
    /** Local copies of file indexes (bundled-file-indices.ts): indexes expand offline. */
    indexLoader?: IIndexLoader | null;
    /**
     * Whether the portal answers now (null: not known): tells a file that can be downloaded
     * from one that needs the portal. Call `refreshFileStatus()` when it changes.
     */
    portalOnline?: () => boolean | null;
    /** The title of another record, for links that name only its recid (the portal does so). */
    recordTitle?: (recid: string) => Promise<string | null> | string | null;
    /** The papers citing a DOI (INSPIRE, through the server); none: no "Cited by" section. */
    citingPapers?: (doi: string) => Promise<CitingPapers>;
    /** True while the network is to be used only on request (the snapshot source). */
    askBeforeNetwork?: () => boolean;
  }
}

/** `recordTitle` over the catalog snapshot's index (titles of all records, not only full ones). */
export function recordTitleFrom(catalog: ICatalogModel): (recid: string) => Promise<string | null> {
  return async recid => {
    const index = await catalog.load();
    const position = index.positionOf(recid);
    return position < 0 ? null : index.summary(position).title || null;
  };
}

/** A described field of a record: HTML text and links (`abstract`, `usage`, `validation`, ...). */
interface DescribedField {
  description?: unknown;
  links?: unknown;
}

interface LinkField {
  description?: unknown;
  title?: unknown;
  url?: unknown;
  recid?: unknown;
}

/** The record fields the view reads; every one may be missing or of the wrong type. */
interface RecordFields {
  recid: string;
  title?: unknown;
  title_additional?: unknown;
  experiment?: unknown;
  type?: { primary?: unknown; secondary?: unknown };
  date_created?: unknown;
  date_published?: unknown;
  date_reprocessed?: unknown;
  run_period?: unknown;
  abstract?: DescribedField;
  note?: DescribedField;
  collaboration?: { name?: unknown };
  authors?: { name?: unknown }[];
  doi?: unknown;
  license?: { attribution?: unknown };
  publisher?: unknown;
  collision_information?: { energy?: unknown; type?: unknown };
  distribution?: {
    formats?: unknown;
    number_files?: unknown;
    size?: unknown;
    number_events?: unknown;
    availability?: unknown;
  };
  system_details?: DescribedField;
  methodology?: DescribedField;
  validation?: DescribedField;
  usage?: DescribedField;
  use_with?: DescribedField;
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/** A field that is a list of strings, or one string (both occur), as non-empty strings. */
function texts(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map(text).filter(Boolean);
}

function add(dl: HTMLElement, term: string, value: Node): void {
  dl.append(el('dt', '', term));
  const dd = el('dd');
  dd.append(value);
  dl.append(dd);
}

/** Makes the ids of each file table's controls unique in the document. */
let tableCount = 0;
