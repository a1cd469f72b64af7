/**
 * A list of fixed-height rows of which only the visible ones (plus a few) are in the DOM, so tens
 * of thousands of hits scroll like a short list. The scroller is the caller's element; the list
 * fills it with a sizer as tall as every row together and the rendered rows moved into view.
 *
 * Keyboard: one row is tabbable (roving tabindex); arrows, Page Up/Down, Home and End move focus
 * and scroll, reaching rows that were not rendered yet.
 */
export class VirtualList {
  constructor(options: VirtualList.IOptions) {
    this._scroller = options.scroller;
    this._renderRow = options.renderRow;
    this._onRange = options.onRange ?? (() => undefined);
    this._rowHeight = options.rowHeight;
    this._overscan = options.overscan ?? 4;

    this._sizer.className = 'odl-VirtualList';
    this.node.className = 'odl-Browser-list';
    this.node.setAttribute('aria-label', options.label);
    this._sizer.appendChild(this.node);
    this.node.addEventListener('keydown', this._onKeyDown);
    this._scroller.addEventListener('scroll', this._onScroll, { passive: true });
    // The scroller's height changes with the panel and with the facets above it; a ResizeObserver
    // reports it after layout, at no cost to the render (jsdom has none: resize() is called).
    if (typeof ResizeObserver !== 'undefined') {
      this._resizeObserver = new ResizeObserver(() => this.resize());
      this._resizeObserver.observe(this._scroller);
      // A row's height is the stylesheet's, in the theme's font sizes (which the settings can
      // change): a row in view is watched, and a new height lays every row out again.
      this._rowObserver = new ResizeObserver(() => {
        const row = this._measuredRow;
        const height = row?.isConnected ? rowHeightOf(row) : 0;
        if (height > 0 && height !== this._rowHeight) {
          this._measured = false;
          this.update();
        }
      });
    }
  }

  /** The `<ul>` of rendered rows. */
  readonly node = document.createElement('ul');

  /** The element to put into the scroller. */
  get sizer(): HTMLElement {
    return this._sizer;
  }

  get count(): number {
    return this._count;
  }

  get rowHeight(): number {
    return this._rowHeight;
  }

  /** The rendered rows' positions: [first, last) . */
  get range(): [number, number] {
    return [this._first, this._first + this.node.childElementCount];
  }

  /** New rows (a new search): forget every rendered row, back to the top. */
  reset(count: number): void {
    this._count = count;
    this._cache.clear();
    this._focusIndex = 0;
    this.node.replaceChildren();
    if (this._scrollTop !== 0) {
      this._scroller.scrollTop = this._scrollTop = 0;
    }
    this.update();
  }

  /** The scroller's size changed (shown, resized): read its height again. */
  resize(): void {
    const height = this._scroller.clientHeight;
    if (height !== this._viewport) {
      this._viewport = height;
      this.update();
    }
  }

  /** Rows that were placeholders may have their data now: render them again. */
  refresh(): void {
    for (const [index, row] of this._cache) {
      if (row.classList.contains(VirtualList.PLACEHOLDER_CLASS)) this._cache.delete(index);
    }
    this.update();
  }

  /** Renders the rows in view, reusing rows that stay (so focus survives scrolling). */
  update(): void {
    this._measure();
    const h = this._rowHeight;
    const viewport = this._viewportHeight();
    const top = this._scrollTop;
    const first = Math.max(0, Math.floor(top / h) - this._overscan);
    const end = Math.min(this._count, Math.ceil((top + viewport) / h) + this._overscan);
    this._onRange(first, end);

    this._sizer.style.height = `${this._count * h}px`;
    this.node.style.transform = `translateY(${first * h}px)`;

    // Drop rows out of range (and rows rebuilt since), keep the rest in place, add the new ones.
    const kept = new Map<number, HTMLElement>();
    for (const child of Array.from(this.node.children) as HTMLElement[]) {
      const index = Number(child.dataset.index);
      if (index >= first && index < end && this._cache.get(index) === child) kept.set(index, child);
      else child.remove();
    }
    for (const index of this._cache.keys()) {
      if (index < first - this._overscan * 4 || index >= end + this._overscan * 4) {
        this._cache.delete(index);
      }
    }
    let before: HTMLElement | null = (this.node.firstElementChild as HTMLElement | null) ?? null;
    for (let index = first; index < end; index++) {
      const existing = kept.get(index);
      if (existing) {
        before = (existing.nextElementSibling as HTMLElement | null) ?? null;
        continue;
      }
      const row = this._row(index);
      this.node.insertBefore(row, before);
    }
    this._first = first;
    this._updateTabStop();
    // Rows were just added, or the watched one scrolled away: watch one in view. The observer
    // reads its height after layout, so the first rows' height is known before any scroll.
    const firstRow = this.node.firstElementChild as HTMLElement | null;
    if (firstRow && !this._measuredRow?.isConnected) this._watch(firstRow);
  }

  /** Scrolls so that row `index` is in view and moves keyboard focus to it. */
  focusRow(index: number): void {
    if (this._count === 0) return;
    index = Math.max(0, Math.min(this._count - 1, index));
    this._focusIndex = index;
    const h = this._rowHeight;
    const viewport = this._viewportHeight();
    const top = index * h;
    if (top < this._scrollTop) {
      this._scroller.scrollTop = this._scrollTop = top;
    } else if (top + h > this._scrollTop + viewport) {
      this._scroller.scrollTop = this._scrollTop = top + h - viewport;
    }
    this.update();
    this._rendered(index)?.focus();
  }

  dispose(): void {
    this.node.removeEventListener('keydown', this._onKeyDown);
    this._scroller.removeEventListener('scroll', this._onScroll);
    this._resizeObserver?.disconnect();
    this._rowObserver?.disconnect();
  }

  private _row(index: number): HTMLElement {
    let row = this._cache.get(index);
    if (!row) {
      row = this._renderRow(index);
      row.dataset.index = String(index);
      row.setAttribute('aria-setsize', String(this._count));
      row.setAttribute('aria-posinset', String(index + 1));
      row.tabIndex = -1;
      this._cache.set(index, row);
    }
    return row;
  }

  private _rendered(index: number): HTMLElement | null {
    const row = this._cache.get(index);
    return row && row.parentElement === this.node ? row : null;
  }

  /** The focused row is the tab stop; if it scrolled away, the first rendered row is. */
  private _updateTabStop(): void {
    const rows = Array.from(this.node.children) as HTMLElement[];
    const stop = this._rendered(this._focusIndex) ?? rows[0];
    for (const row of rows) row.tabIndex = row === stop ? 0 : -1;
  }

  /**
   * Rows have a fixed height set by the stylesheet: read it once a row is laid out (reading it
   * forces a layout, so not on every update).
   */
  private _measure(): void {
    if (this._measured) return;
    const row = this.node.firstElementChild as HTMLElement | null;
    const height = row ? rowHeightOf(row) : 0;
    if (row && height > 0) {
      this._rowHeight = height;
      this._measured = true;
      this._watch(row);
    }
  }

  private _watch(row: HTMLElement): void {
    if (!this._rowObserver || row === this._measuredRow) return;
    if (this._measuredRow) this._rowObserver.unobserve(this._measuredRow);
    this._measuredRow = row;
    this._rowObserver.observe(row);
  }

  /**
   * The scroller's height and scroll offset are kept here, read only on resize and scroll events:
   * reading them after the DOM changed would force a layout on every keystroke's render.
   */
  private _viewportHeight(): number {
    if (this._viewport === 0) {
      this._viewport = this._scroller.clientHeight;
    }
    return this._viewport || this._rowHeight * 10;
  }

  private readonly _onScroll = (): void => {
    this._scrollTop = this._scroller.scrollTop;
    this.update();
  };

  private readonly _onKeyDown = (event: KeyboardEvent): void => {
    const row = (event.target as HTMLElement).closest?.<HTMLElement>('[data-index]');
    if (!row || row.parentElement !== this.node) return;
    const current = Number(row.dataset.index);
    const page = Math.max(1, Math.floor(this._viewportHeight() / this._rowHeight) - 1);
    const next: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + page,
      PageUp: current - page,
      Home: 0,
      End: this._count - 1
    };
    if (!(event.key in next) || event.target !== row) return;
    event.preventDefault();
    this.focusRow(next[event.key]);
  };

  private readonly _scroller: HTMLElement;
  private readonly _sizer = document.createElement('div');
  private readonly _renderRow: (index: number) => HTMLElement;
  private readonly _onRange: (start: number, end: number) => void;
  private readonly _overscan: number;
  private readonly _cache = new Map<number, HTMLElement>();
  private _rowHeight: number;
  private _measured = false;
  private _viewport = 0;
  private _resizeObserver: ResizeObserver | null = null;
  private _rowObserver: ResizeObserver | null = null;
  private _measuredRow: HTMLElement | null = null;
  private _scrollTop = 0;
  private _count = 0;
  private _first = 0;
  private _focusIndex = 0;
}

export namespace VirtualList {
  export const PLACEHOLDER_CLASS = 'odl-mod-placeholder';

  export interface IOptions {
    /** The scrolling element the list lives in. */
    scroller: HTMLElement;
    /** Builds row `index`; a row whose data has not arrived carries `PLACEHOLDER_CLASS`. */
    renderRow: (index: number) => HTMLElement;
    /** Told which rows are about to render, so their data can be fetched. */
    onRange?: (start: number, end: number) => void;
    /** Until a row can be measured (the stylesheet fixes the real height). */
    rowHeight: number;
    overscan?: number;
    label: string;
  }
}

/**
 * A row's laid-out height, fractions included: rows stack in the list's flow, so a height rounded
 * to whole pixels (offsetHeight) would drift from their positions by a fraction per row (at a
 * larger UI font size, 122.39 px rows placed every 122 px).
 */
function rowHeightOf(row: HTMLElement): number {
  return row.getBoundingClientRect().height;
}
