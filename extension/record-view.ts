import {
  fileName,
  recordFiles,
  type CatalogRecord,
  type FileIndex,
  type RecordFile
} from '@opendata-lab/kernel-helpers/core';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { nullTranslator, type ITranslator, type TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { CommandIDs } from './commands';
import { TRANSLATION_DOMAIN } from './i18n';
import { formatType } from './record-row';
import { element as el } from './dom';

/** Authors shown before the rest are folded away (author lists reach 3,308 names). */
const AUTHORS_SHOWN = 10;
export const DEFAULT_FILES_PAGE = 50;

/**
 * One record in full: everything the portal's record page shows that matters for using the
 * data. Metadata is untrusted: plain fields are set as text, HTML fields (abstract, usage, system
 * details) go through the sanitizer before they reach the DOM.
 */
export class RecordView extends Widget {
  constructor(options: RecordView.IOptions) {
    super();
    this.addClass('odl-RecordView');
    this._options = options;
    this._trans = (options.translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    this.node.tabIndex = -1;
    this.node.setAttribute('role', 'article');
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
    this.node.replaceChildren();

    const header = el('header', 'odl-RecordView-header');
    const title = el('h1', 'odl-RecordView-title', text(r.title) || trans.__('Record %1', r.recid));
    void this._options.latexTypesetter?.typeset(title); // e.g. "ATLAS $t\bar{t}$ simulation …"
    header.append(title);
    if (text(r.title_additional)) {
      header.append(el('p', 'odl-RecordView-subtitle', text(r.title_additional)));
    }
    const meta = el('p', 'odl-RecordView-meta');
    const parts = [
      (r.experiment ?? []).map(text).join(', '),
      r.type
        ? [text(r.type.primary), ...(r.type.secondary ?? []).map(text)]
            .filter(Boolean)
            .map(formatType)
            .join(' / ')
        : '',
      text(r.date_published),
      trans.__('record %1', r.recid),
      origin === 'portal' ? trans.__('from the portal') : trans.__('from the bundled snapshot')
    ].filter(Boolean);
    meta.textContent = parts.join(' · ');
    header.append(meta, this._actions(String(r.recid)));
    this.node.append(header);

    this._section(trans.__('Abstract'), this._html(r.abstract?.description));
    this._section(trans.__('Authors'), this._authors(r));
    this._section(trans.__('Identifiers'), this._identifiers(r));
    this._section(trans.__('Collision'), this._collision(r));
    this._section(trans.__('Distribution'), this._distribution(r));
    this._section(trans.__('System details'), this._html(r.system_details?.description));
    this._section(trans.__('Usage'), this._html(r.usage?.description));
    this._section(trans.__('Files'), this._files(record));
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

  /** Sanitized HTML of a metadata field, or null when empty. */
  private _html(html: unknown): HTMLElement | null {
    const source = typeof html === 'string' ? html.trim() : '';
    if (!source) {
      return null;
    }
    const div = el('div', 'odl-RecordView-html jp-RenderedHTMLCommon');
    // The sanitizer keeps formatting and drops scripts, event handlers and unsafe URLs.
    div.innerHTML = this._options.sanitizer.sanitize(source);
    for (const link of div.querySelectorAll('a')) {
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
    }
    // Abstracts write formulas in TeX ($H\rightarrow ZZ$): JupyterLab's typesetter (MathJax)
    // renders them as in markdown cells. It reads the sanitized text, not the raw metadata.
    void this._options.latexTypesetter?.typeset(div);
    return div;
  }

  private _authors(r: RecordFields): HTMLElement | null {
    const trans = this._trans;
    const collaboration = text(r.collaboration?.name);
    const names = (r.authors ?? []).map(a => text(a?.name)).filter(Boolean);
    if (!collaboration && names.length === 0) {
      return null;
    }
    const box = el('div', 'odl-RecordView-authors');
    if (collaboration) {
      box.append(el('p', 'odl-RecordView-collaboration', collaboration));
    }
    if (names.length > 0) {
      box.append(el('p', 'odl-RecordView-authorList', names.slice(0, AUTHORS_SHOWN).join('; ')));
      if (names.length > AUTHORS_SHOWN) {
        const more = el('details', 'odl-RecordView-moreAuthors');
        more.append(
          el('summary', '', trans.__('%1 more authors', names.length - AUTHORS_SHOWN)),
          el('p', '', names.slice(AUTHORS_SHOWN).join('; '))
        );
        box.append(more);
      }
    }
    return box;
  }

  private _identifiers(r: RecordFields): HTMLElement {
    const trans = this._trans;
    const dl = el('dl', 'odl-RecordView-fields');
    const doi = text(r.doi);
    if (doi) {
      add(
        dl,
        trans.__('DOI'),
        link(`https://doi.org/${doi.split('/').map(encodeURIComponent).join('/')}`, doi)
      );
    }
    const landing = `https://opendata.cern.ch/record/${encodeURIComponent(String(r.recid))}`;
    add(dl, trans.__('Landing page'), link(landing, landing));
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
    const periods = (r.run_period ?? []).map(text).filter(Boolean);
    if (periods.length > 0) {
      add(dl, trans.__('Run period'), document.createTextNode(periods.join(', ')));
    }
    return dl;
  }

  private _distribution(r: RecordFields): HTMLElement | null {
    const d = r.distribution;
    if (!d) {
      return null;
    }
    const trans = this._trans;
    const number = new Intl.NumberFormat();
    const dl = el('dl', 'odl-RecordView-fields');
    const formats = (d.formats ?? []).map(text).filter(Boolean);
    if (formats.length > 0) {
      add(dl, trans.__('Formats'), document.createTextNode(formats.join(', ')));
    }
    if (typeof d.number_files === 'number') {
      add(dl, trans.__('Files'), document.createTextNode(number.format(d.number_files)));
    }
    if (typeof d.size === 'number') {
      add(dl, trans.__('Size'), document.createTextNode(formatBytes(d.size)));
    }
    if (typeof d.number_events === 'number') {
      add(dl, trans.__('Events'), document.createTextNode(number.format(d.number_events)));
    }
    if (text(d.availability)) {
      add(dl, trans.__('Availability'), document.createTextNode(text(d.availability)));
    }
    return dl.childElementCount > 0 ? dl : null;
  }

  private _files(record: CatalogRecord): HTMLElement | null {
    const trans = this._trans;
    let listing;
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
    for (const index of listing.indices) {
      box.append(this._indexEntry(index, String(record.recid)));
    }
    if (box.childElementCount === 0) {
      box.append(el('p', '', trans.__('No files')));
    }
    return box;
  }

  /** A file index, expanded on demand: its files when the source has them, else its listing files. */
  private _indexEntry(index: FileIndex, recid: string): HTMLElement {
    const trans = this._trans;
    const details = el('details', 'odl-RecordView-index');
    const summary = el('summary', 'odl-RecordView-indexName', index.key);
    details.append(summary);
    let filled = false;
    details.addEventListener('toggle', () => {
      if (!details.open || filled) {
        return;
      }
      filled = true;
      if (index.files) {
        details.append(this._pagedFiles(index.files, recid));
      } else {
        const listing = [index.json, index.txt].filter((f): f is RecordFile => !!f);
        details.append(
          el(
            'p',
            'odl-RecordView-note',
            trans.__('The index lists its files on the portal; these are its listing files:')
          ),
          this._pagedFiles(listing, recid)
        );
      }
    });
    return details;
  }

  /** A table of files, a page at a time (DELPHI records list thousands). */
  private _pagedFiles(files: RecordFile[], recid: string): HTMLElement {
    const trans = this._trans;
    const pageSize = this._options.filesPageSize ?? DEFAULT_FILES_PAGE;
    const box = el('div', 'odl-FileTable');
    const table = el('table', 'odl-FileTable-table');
    const head = el('thead');
    const headRow = el('tr');
    for (const name of [trans.__('File'), trans.__('Size'), trans.__('Checksum'), '']) {
      const th = el('th', '', name);
      th.scope = 'col';
      headRow.append(th);
    }
    head.append(headRow);
    const body = el('tbody');
    table.append(head, body);
    const footer = el('div', 'odl-FileTable-pager');
    const status = el('span', 'odl-FileTable-status');
    status.setAttribute('role', 'status');
    const prev = el('button', 'jp-mod-styled odl-FileTable-prev', trans.__('Previous'));
    const next = el('button', 'jp-mod-styled odl-FileTable-next', trans.__('Next'));
    prev.type = next.type = 'button';
    let page = 0;
    const pages = Math.max(1, Math.ceil(files.length / pageSize));
    const draw = () => {
      const start = page * pageSize;
      body.replaceChildren(
        ...files.slice(start, start + pageSize).map(file => this._fileRow(file, recid))
      );
      status.textContent = trans.__(
        'Files %1–%2 of %3',
        start + 1,
        Math.min(start + pageSize, files.length),
        files.length
      );
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    };
    prev.addEventListener('click', () => {
      page = Math.max(0, page - 1);
      draw();
    });
    next.addEventListener('click', () => {
      page = Math.min(pages - 1, page + 1);
      draw();
    });
    draw();
    box.append(table);
    if (pages > 1) {
      footer.append(prev, status, next);
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
    row.append(name, size, checksum, action);
    return row;
  }

  private readonly _options: RecordView.IOptions;
  private readonly _trans: TranslationBundle;
  private _recid: string | null = null;
}

export namespace RecordView {
  export interface IOptions {
    sanitizer: IRenderMime.ISanitizer;
    translator?: ITranslator;
    /** Runs the action buttons; without it the view has no actions that do anything. */
    commands?: CommandRegistry;
    filesPageSize?: number;
    /** Renders TeX in the HTML fields (JupyterLab's MathJax typesetter); none: shown as written. */
    latexTypesetter?: IRenderMime.ILatexTypesetter | null;
  }
}

/** The record fields the view reads; every one may be missing or of the wrong type. */
interface RecordFields {
  recid: string;
  title?: unknown;
  title_additional?: unknown;
  experiment?: unknown[];
  type?: { primary?: unknown; secondary?: unknown[] };
  date_published?: unknown;
  abstract?: { description?: unknown };
  collaboration?: { name?: unknown };
  authors?: { name?: unknown }[];
  doi?: unknown;
  license?: { attribution?: unknown };
  publisher?: unknown;
  collision_information?: { energy?: unknown; type?: unknown };
  run_period?: unknown[];
  distribution?: {
    formats?: unknown[];
    number_files?: unknown;
    size?: unknown;
    number_events?: unknown;
    availability?: unknown;
  };
  system_details?: { description?: unknown };
  usage?: { description?: unknown };
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

function link(href: string, label: string): HTMLAnchorElement {
  const a = el('a', 'odl-RecordView-link', label);
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

function add(dl: HTMLElement, term: string, value: Node): void {
  dl.append(el('dt', '', term));
  const dd = el('dd');
  dd.append(value);
  dl.append(dd);
}
