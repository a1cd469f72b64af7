import { nullTranslator, type ITranslator, type TranslationBundle } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';
import { TRANSLATION_DOMAIN } from './i18n';
import { openDataIcon } from './icons';
import { createRecordRow } from './record-row';
import type { ICatalogModel } from './tokens';

export const DEFAULT_PAGE_SIZE = 20;

/** The dataset browser side panel: a header and the first page of catalog records. */
export class OpenDataBrowser extends SidePanel {
  static readonly ID = 'opendata-lab-browser';

  constructor(options: OpenDataBrowser.IOptions) {
    const translator = options.translator ?? nullTranslator;
    // A plain Panel as content: the browser is one view, not a stack of accordion sections.
    super({ content: new Panel(), translator });
    this._strings = translator.load(TRANSLATION_DOMAIN);
    this._model = options.model;
    this._pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;

    const trans = this._strings;
    this.id = OpenDataBrowser.ID;
    this.addClass('odl-Browser');
    this.title.icon = openDataIcon;
    this.title.caption = trans.__('CERN Open Data');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', trans.__('CERN Open Data browser'));

    this.header.addWidget(this._createHeader());
    this._results.addClass('odl-Browser-results');
    this.addWidget(this._results);

    this._model.stateChanged.connect(this._render, this);
    this._render();
  }

  get model(): ICatalogModel {
    return this._model;
  }

  /** How many records the list shows (the first page, for now). */
  get pageSize(): number {
    return this._pageSize;
  }

  set pageSize(value: number) {
    const size = Number.isInteger(value) && value > 0 ? value : DEFAULT_PAGE_SIZE;
    if (size !== this._pageSize) {
      this._pageSize = size;
      this._render();
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.stateChanged.disconnect(this._render, this);
    super.dispose();
  }

  // The snapshot is ~0.8 MB: fetch it when the panel is first seen, not at page load.
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._loadIfIdle();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this._loadIfIdle();
    }
  }

  private _loadIfIdle(): void {
    if (this._model.state.status === 'idle') {
      this._load();
    }
  }

  private _load(): void {
    // Failures are rendered from the model's error state.
    this._model.load().catch(() => undefined);
  }

  private _createHeader(): Widget {
    const trans = this._strings;
    const header = new Widget();
    header.addClass('odl-Browser-header');

    const heading = document.createElement('h2');
    heading.className = 'odl-Browser-heading jp-text-truncated';
    heading.textContent = trans.__('CERN Open Data');

    // Placeholder until search lands; disabled so nobody types into a box that does nothing.
    const search = document.createElement('input');
    search.type = 'search';
    search.className = 'odl-Browser-search jp-mod-styled';
    search.placeholder = trans.__('Search records');
    search.setAttribute('aria-label', trans.__('Search records'));
    search.title = trans.__('Search is not available yet');
    search.disabled = true;

    header.node.append(heading, search);
    return header;
  }

  private _render(): void {
    const trans = this._strings;
    const node = this._results.node;
    const state = this._model.state;
    node.setAttribute('aria-busy', String(state.status === 'loading'));

    switch (state.status) {
      case 'idle':
      case 'loading':
        node.replaceChildren(
          status('odl-Browser-loading', trans.__('Loading the catalog snapshot…'))
        );
        break;
      case 'error': {
        const message = status(
          'odl-Browser-error',
          trans.__('Could not load the CERN Open Data catalog.'),
          'alert'
        );
        const detail = document.createElement('p');
        detail.className = 'odl-Browser-errorDetail';
        detail.textContent = state.error.message;
        const retry = document.createElement('button');
        retry.className = 'jp-mod-styled jp-mod-accept odl-Browser-retry';
        retry.textContent = trans.__('Try again');
        retry.addEventListener('click', () => this._load());
        node.replaceChildren(message, detail, retry);
        break;
      }
      case 'ready': {
        const page = state.catalog.page(1, this._pageSize);
        const format = new Intl.NumberFormat();
        const count = status(
          'odl-Browser-count',
          trans.__('%1 of %2 records', format.format(page.hits.length), format.format(page.total))
        );
        const list = document.createElement('ul');
        list.className = 'odl-Browser-list';
        list.setAttribute('aria-label', trans.__('Records'));
        list.append(...page.hits.map(record => createRecordRow(record, trans)));
        rovingFocus(list);
        node.replaceChildren(count, list);
        break;
      }
    }
  }

  private readonly _model: ICatalogModel;
  private readonly _results = new Widget();
  private readonly _strings: TranslationBundle;
  private _pageSize: number;
}

export namespace OpenDataBrowser {
  export interface IOptions {
    model: ICatalogModel;
    translator?: ITranslator;
    pageSize?: number;
  }
}

/** One row in the tab order; arrow keys, Home and End move focus between rows. */
function rovingFocus(list: HTMLElement): void {
  const rows = () => Array.from(list.children) as HTMLElement[];
  const first = rows()[0];
  if (first) {
    first.tabIndex = 0;
  }
  list.addEventListener('keydown', event => {
    const all = rows();
    const current = all.indexOf(event.target as HTMLElement);
    if (current < 0) {
      return;
    }
    const next =
      event.key === 'ArrowDown'
        ? Math.min(current + 1, all.length - 1)
        : event.key === 'ArrowUp'
          ? Math.max(current - 1, 0)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? all.length - 1
              : -1;
    if (next < 0) {
      return;
    }
    event.preventDefault();
    all[current].tabIndex = -1;
    all[next].tabIndex = 0;
    all[next].focus();
  });
}

/** A live region, so screen readers hear loading, counts and errors. */
function status(
  className: string,
  text: string,
  role: 'status' | 'alert' = 'status'
): HTMLParagraphElement {
  const node = document.createElement('p');
  node.className = className;
  node.setAttribute('role', role);
  node.textContent = text;
  return node;
}
