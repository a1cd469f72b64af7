import { nullTranslator, type ITranslator, type TranslationBundle } from '@jupyterlab/translation';
import {
  circleIcon,
  filterIcon,
  offlineBoltIcon,
  SidePanel,
  type LabIcon
} from '@jupyterlab/ui-components';
import type { SortOrder } from '@opendata-lab/kernel-helpers/core';
import type { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';
import { element } from './dom';
import { FacetFilters } from './facet-filters';
import { formatNumber } from './format';
import { TRANSLATION_DOMAIN } from './i18n';
import { DEFAULT_SETTINGS } from './settings';
import { openDataIcon } from './icons';
import { createPlaceholderRow, createRecordRow, createSkippedRow } from './record-row';
import type { ISearchResults, SearchModel } from './search-model';
import type { ICatalogModel } from './tokens';
import { VirtualList } from './virtual-list';

/** Until a row is laid out; the stylesheet fixes the real height (`.odl-RecordRow`). */
const ROW_HEIGHT = 100;

/** Which source answers the list, as the indicator shows it. */
export type SourceState = 'snapshot' | 'connecting' | 'portal' | 'offline';

/**
 * The dataset browser side panel: search-as-you-type, facet filters with counts, sort, and a
 * virtual list of every hit, over the snapshot or the portal (with an indicator saying which).
 */
export class OpenDataBrowser extends SidePanel {
  static readonly ID = 'opendata-lab-browser';

  constructor(options: OpenDataBrowser.IOptions) {
    const translator = options.translator ?? nullTranslator;
    // A plain Panel as content: the browser is one view, not a stack of accordion sections.
    super({ content: new Panel(), translator });
    const trans = (this._strings = translator.load(TRANSLATION_DOMAIN));
    this._model = options.model;
    this._search = options.search;
    this._search.blockSize = options.pageSize ?? DEFAULT_SETTINGS.pageSize;

    this.id = OpenDataBrowser.ID;
    this.addClass('odl-Browser');
    this.title.icon = openDataIcon;
    this.title.caption = trans.__('CERN Open Data');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', trans.__('CERN Open Data browser'));

    this._facets = new FacetFilters(this._search, trans);
    this._facets.id = `${OpenDataBrowser.ID}-filters`;
    this._facets.hide();
    this.header.addWidget(this._createHeader());

    this._summary.addClass('odl-Browser-summary');
    this._results.addClass('odl-Browser-results');
    this._results.id = `${OpenDataBrowser.ID}-results`;
    this._list = new VirtualList({
      scroller: this._results.node,
      rowHeight: ROW_HEIGHT,
      label: trans.__('Records'),
      renderRow: index => {
        const hit = this._search.hit(index);
        return hit
          ? createRecordRow(hit, trans)
          : this._search.skipped(index)
            ? createSkippedRow(trans)
            : createPlaceholderRow(trans);
      },
      onRange: (start, end) => this._search.ensure(start, end)
    });
    this._results.node.appendChild(this._list.sizer);
    this.addWidget(this._facets);
    this.addWidget(this._summary);
    this.addWidget(this._results);

    this._model.stateChanged.connect(this._render, this);
    this._search.changed.connect(this._render, this);
    this._search.rowsChanged.connect(this._onRows, this);
    this._render();
  }

  get model(): ICatalogModel {
    return this._model;
  }

  get search(): SearchModel {
    return this._search;
  }

  /** Hits fetched per request (the `pageSize` setting). */
  get pageSize(): number {
    return this._search.blockSize;
  }

  set pageSize(value: number) {
    this._search.blockSize =
      Number.isInteger(value) && value > 0 ? value : DEFAULT_SETTINGS.pageSize;
  }

  /** The search box. */
  get searchInput(): HTMLInputElement {
    return this._searchInput;
  }

  /** The list's rows as they are in the DOM (only those in view). */
  get list(): VirtualList {
    return this._list;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.stateChanged.disconnect(this._render, this);
    this._search.changed.disconnect(this._render, this);
    this._search.rowsChanged.disconnect(this._onRows, this);
    this._list.dispose();
    super.dispose();
  }

  // The snapshot is ~0.8 MB: fetch it when the panel is first seen, not at page load.
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._loadIfIdle();
    this._list.resize();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this._loadIfIdle();
    }
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this._list.resize();
  }

  private _loadIfIdle(): void {
    if (this._model.state.status === 'idle') {
      this._model.load().catch(() => undefined); // rendered from the model's error state
    }
    if (this._search.status === 'idle') {
      void this._search.refresh();
    }
  }

  private _retry(): void {
    this._model.load().catch(() => undefined);
    void this._search.refresh();
  }

  private _createHeader(): Widget {
    const trans = this._strings;
    const header = new Widget();
    header.addClass('odl-Browser-header');

    const heading = element(
      'h2',
      'odl-Browser-heading jp-text-truncated',
      trans.__('CERN Open Data')
    );

    const search = element('input', 'odl-Browser-search jp-mod-styled');
    search.type = 'search';
    search.placeholder = trans.__('Search, e.g. dimuon 2011');
    search.setAttribute('aria-label', trans.__('Search records'));
    search.setAttribute('aria-controls', `${OpenDataBrowser.ID}-results`);
    search.spellcheck = false;
    search.autocomplete = 'off';
    search.addEventListener('input', () => this._search.setText(search.value));
    // Down from the search box goes to the first result, as in JupyterLab's own filter boxes.
    search.addEventListener('keydown', event => {
      if (event.key === 'ArrowDown' && this._list.count > 0) {
        event.preventDefault();
        this._list.focusRow(0);
      }
    });
    this._searchInput = search;

    const tools = element('div', 'odl-Browser-tools');
    const sortLabel = element('label', 'odl-Browser-sortLabel');
    sortLabel.appendChild(element('span', 'odl-Browser-sortText', trans.__('Sort')));
    const sort = element('select', 'jp-mod-styled odl-Browser-sort');
    sort.setAttribute('aria-label', trans.__('Sort records by'));
    sort.title = trans.__('Sort records by');
    const orders: [SortOrder, string][] = [
      ['bestmatch', trans.__('Best match')],
      ['mostrecent', trans.__('Most recent')],
      ['title', trans.__('Title A–Z')],
      ['title_desc', trans.__('Title Z–A')]
    ];
    for (const [value, label] of orders) {
      const option = element('option', '', label);
      option.value = value;
      sort.appendChild(option);
    }
    sort.addEventListener('change', () => this._search.setSort(sort.value as SortOrder));
    sortLabel.appendChild(sort);
    this._sort = sort;

    const toggle = element(
      'button',
      'jp-Button jp-mod-minimal jp-mod-styled odl-Browser-filterToggle'
    );
    toggle.type = 'button';
    toggle.setAttribute('aria-controls', this._facets.id);
    toggle.setAttribute('aria-expanded', 'false');
    const icon = element('span', 'odl-Browser-filterIcon');
    filterIcon.element({ container: icon, tag: 'span' });
    this._filterLabel = element('span', 'odl-Browser-filterLabel');
    toggle.append(icon, this._filterLabel);
    toggle.addEventListener('click', () => {
      this._facets.setHidden(!this._facets.isHidden);
      toggle.setAttribute('aria-expanded', String(!this._facets.isHidden));
      toggle.classList.toggle('jp-mod-active', !this._facets.isHidden);
      if (!this._facets.isHidden) this._facets.render();
    });
    tools.append(sortLabel, toggle);

    // Which source answers: text and icon, announced politely when it changes.
    this._sourceStatus = element('div', 'odl-SourceStatus');
    this._sourceStatus.setAttribute('role', 'status');
    this._sourceStatus.setAttribute('aria-live', 'polite');

    header.node.append(heading, search, tools, this._sourceStatus);
    return header;
  }

  /** The source indicator, the count line, the facets and (for new results) the list. */
  private _render(): void {
    const search = this._search;
    const results = search.results;
    this._renderSource();
    this._renderFilterToggle();
    const busy = search.status === 'searching' || (!results && search.status !== 'error');
    this._results.node.setAttribute('aria-busy', String(busy));

    const state = this._model.state;
    if (!results) {
      const failed = search.status === 'error' || state.status === 'error';
      this._summary.node.replaceChildren(
        ...(failed
          ? this._errorMessage()
          : [status('odl-Browser-loading', this._strings.__('Loading the catalog snapshot…'))])
      );
      this._list.reset(0);
      return;
    }
    if (results !== this._shown) {
      this._shown = results;
      this._list.reset(results.count);
      this._summary.node.replaceChildren(this._countLine(results));
      if (!this._facets.isHidden) this._facets.render();
      this._sort.value =
        results.query.sort ?? (results.query.text.trim() ? 'bestmatch' : 'mostrecent');
      // The query these rows answer: lets the UI test time keystroke → results.
      this._results.node.dataset.query = results.query.text;
    } else if (search.status === 'error') {
      this._summary.node.replaceChildren(...this._errorMessage());
    }
  }

  private _onRows(): void {
    this._list.refresh();
  }

  private _errorMessage(): HTMLElement[] {
    const trans = this._strings;
    const state = this._model.state;
    const error = state.status === 'error' ? state.error : this._search.error;
    // With the `portal` source there is no fallback: say so, and how to get one.
    const portalOnly = state.status !== 'error' && this._search.source === 'portal';
    const message = status(
      'odl-Browser-error',
      portalOnly
        ? trans.__(
            'The portal cannot be reached. Set the record source to “auto” to use the bundled snapshot meanwhile.'
          )
        : trans.__('Could not load the CERN Open Data catalog.'),
      'alert'
    );
    const detail = element('p', 'odl-Browser-errorDetail', error?.message ?? '');
    const retry = element(
      'button',
      'jp-mod-styled jp-mod-accept odl-Browser-retry',
      trans.__('Try again')
    );
    retry.addEventListener('click', () => this._retry());
    return [message, detail, retry];
  }

  private _countLine(results: ISearchResults): HTMLElement {
    const trans = this._strings;
    const line = element('div', 'odl-Browser-countLine');
    const text =
      results.total === 0
        ? trans.__('No records match.')
        : results.count < results.total
          ? trans.__(
              'First %1 of %2 records (the portal lists no more: narrow the search)',
              formatNumber(results.count),
              formatNumber(results.total)
            )
          : trans._n('%2 record', '%2 records', results.total, formatNumber(results.total));
    line.appendChild(status('odl-Browser-count', text));
    if (this._facets.activeCount > 0) {
      const clear = element('button', 'jp-Button jp-mod-minimal jp-mod-styled odl-Browser-clear');
      clear.type = 'button';
      clear.textContent = trans.__('Clear filters');
      clear.addEventListener('click', () => this._search.clearFilters());
      line.appendChild(clear);
    }
    return line;
  }

  private _renderFilterToggle(): void {
    const active = this._facets.activeCount;
    const text = active ? this._strings.__('Filters (%1)', active) : this._strings.__('Filters');
    if (this._filterLabel.textContent !== text) {
      this._filterLabel.textContent = text;
    }
  }

  private _renderSource(): void {
    const trans = this._strings;
    const search = this._search;
    const state: SourceState =
      search.source === 'snapshot'
        ? 'snapshot'
        : search.portalStatus === 'offline'
          ? 'offline'
          : search.portalStatus === 'online'
            ? 'portal'
            : 'connecting';
    const node = this._sourceStatus;
    if (node.dataset.source === state) {
      return; // unchanged: no repeated announcement
    }
    node.dataset.source = state;
    const [icon, text]: [LabIcon, string] =
      state === 'snapshot'
        ? [openDataIcon, trans.__('Bundled snapshot (works offline)')]
        : state === 'portal'
          ? [circleIcon, trans.__('Live portal')]
          : state === 'connecting'
            ? [circleIcon, trans.__('Live portal: connecting…')]
            : search.source === 'portal'
              ? [offlineBoltIcon, trans.__('Portal unreachable')]
              : [offlineBoltIcon, trans.__('Portal unreachable: showing the bundled snapshot')];
    const iconNode = element('span', 'odl-SourceStatus-icon');
    iconNode.setAttribute('aria-hidden', 'true');
    icon.element({ container: iconNode, tag: 'span' });
    const children: HTMLElement[] = [iconNode, element('span', 'odl-SourceStatus-text', text)];
    if (state === 'offline') {
      const retry = element(
        'button',
        'jp-Button jp-mod-minimal jp-mod-styled odl-SourceStatus-retry'
      );
      retry.type = 'button';
      retry.textContent = trans.__('Retry');
      retry.title = trans.__('Ask the portal again');
      retry.addEventListener('click', () => search.retryPortal());
      children.push(retry);
    }
    node.replaceChildren(...children);
  }

  private readonly _model: ICatalogModel;
  private readonly _search: SearchModel;
  private readonly _strings: TranslationBundle;
  private readonly _facets: FacetFilters;
  private readonly _summary = new Widget();
  private readonly _results = new Widget();
  private readonly _list: VirtualList;
  private _searchInput!: HTMLInputElement;
  private _sort!: HTMLSelectElement;
  private _filterLabel!: HTMLSpanElement;
  private _sourceStatus!: HTMLDivElement;
  private _shown: ISearchResults | null = null;
}

export namespace OpenDataBrowser {
  export interface IOptions {
    /** The catalog snapshot (its loading state and errors). */
    model: ICatalogModel;
    /** The list's search over the snapshot or the portal. */
    search: SearchModel;
    translator?: ITranslator;
    pageSize?: number;
  }
}

/** A live region, so screen readers hear loading, counts and errors. */
function status(
  className: string,
  text: string,
  role: 'status' | 'alert' = 'status'
): HTMLParagraphElement {
  const node = element('p', className, text);
  node.setAttribute('role', role);
  return node;
}
