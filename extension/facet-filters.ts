import type { TranslationBundle } from '@jupyterlab/translation';
import type { FacetBucket, FacetName } from '@opendata-lab/kernel-helpers/core';
import { Widget } from '@lumino/widgets';
import { element } from './dom';
import { formatNumber } from './format';
import type { SearchModel } from './search-model';

/** Buckets listed before "Show more" (few: the year and file type sections stay in view). */
export const SHOWN_BUCKETS = 5;

/** The facets the panel filters by, in display order. */
const CHECKBOX_FACETS: FacetName[] = [
  'experiment',
  'type',
  'collision_energy',
  'file_type',
  'keywords'
];

/**
 * Facet filters with the counts of the current results: checkboxes per facet (type nested as
 * primary / subtype), a from–to year range and "clear all". Rebuilt on each answer; which sections
 * are open, which are expanded and where keyboard focus was survive the rebuild.
 */
export class FacetFilters extends Widget {
  constructor(model: SearchModel, trans: TranslationBundle) {
    super();
    this._model = model;
    this._trans = trans;
    this.addClass('odl-Facets');
    this.node.setAttribute('role', 'group');
    this.node.setAttribute('aria-label', trans.__('Filters'));
    this.node.addEventListener('change', this._onChange);
    this.node.addEventListener('click', this._onClick);
    this.node.addEventListener('toggle', this._onToggle, true);
  }

  /** Selected values over all facets (the year range counts as one). */
  get activeCount(): number {
    return Object.values(this._model.query.filters).reduce<number>(
      (n, v) => n + (Array.isArray(v) ? v.length : v === undefined ? 0 : 1),
      0
    );
  }

  /** Rebuilds the sections from the model's results. */
  render(): void {
    const results = this._model.results;
    const trans = this._trans;
    const focusKey = (document.activeElement as HTMLElement | null)?.closest?.<HTMLElement>(
      '[data-focus-key]'
    );
    const refocus = focusKey && this.node.contains(focusKey) ? focusKey.dataset.focusKey : null;

    const head = element('div', 'odl-Facets-head');
    head.appendChild(element('span', 'odl-Facets-title', trans.__('Filters')));
    const clear = element('button', 'jp-Button jp-mod-minimal jp-mod-styled odl-Facets-clear');
    clear.type = 'button';
    clear.textContent = trans.__('Clear all');
    clear.dataset.action = 'clear';
    clear.dataset.focusKey = 'clear';
    clear.disabled = this.activeCount === 0;
    head.appendChild(clear);

    const sections: HTMLElement[] = [head];
    const facets = results?.facets ?? {};
    for (const facet of ['experiment', 'type'] as FacetName[]) {
      sections.push(this._checkboxSection(facet, facets[facet] ?? []));
    }
    sections.push(this._yearSection(facets.year ?? []));
    for (const facet of CHECKBOX_FACETS.slice(2)) {
      sections.push(this._checkboxSection(facet, facets[facet] ?? []));
    }
    this.node.replaceChildren(...sections);

    if (refocus) {
      Array.from(this.node.querySelectorAll<HTMLElement>('[data-focus-key]'))
        .find(node => node.dataset.focusKey === refocus)
        ?.focus();
    }
  }

  dispose(): void {
    this.node.removeEventListener('change', this._onChange);
    this.node.removeEventListener('click', this._onClick);
    this.node.removeEventListener('toggle', this._onToggle, true);
    super.dispose();
  }

  private _label(facet: FacetName): string {
    const trans = this._trans;
    switch (facet) {
      case 'experiment':
        return trans.__('Experiment');
      case 'type':
        return trans.__('Type');
      case 'year':
        return trans.__('Year');
      case 'collision_energy':
        return trans.__('Collision energy');
      case 'file_type':
        return trans.__('File type');
      case 'keywords':
        return trans.__('Keywords');
      default:
        return facet;
    }
  }

  private _section(facet: FacetName, count: number): [HTMLDetailsElement, HTMLElement] {
    const details = element('details', 'odl-Facet');
    details.dataset.facet = facet;
    details.open = this._open.has(facet);
    const summary = element('summary', 'odl-Facet-summary');
    summary.dataset.focusKey = `summary:${facet}`;
    summary.appendChild(element('span', 'odl-Facet-label', this._label(facet)));
    if (count > 0) {
      const badge = element('span', 'odl-Facet-active', String(count));
      badge.title = this._trans._n('%1 selected', '%1 selected', count);
      summary.appendChild(badge);
    }
    details.appendChild(summary);
    const body = element('div', 'odl-Facet-body');
    details.appendChild(body);
    return [details, body];
  }

  private _checkboxSection(facet: FacetName, buckets: FacetBucket[]): HTMLElement {
    const trans = this._trans;
    const selected = this._model.selected(facet);
    const [details, body] = this._section(facet, selected.length);
    if (!details.open) {
      return details; // built when opened: closed sections cost nothing per keystroke
    }
    // Selected values stay listed (with 0) even when the other filters leave them no records.
    const all = [...buckets];
    for (const key of selected) {
      if (!all.some(b => b.key === key)) all.push({ key, count: 0 });
    }
    if (all.length === 0) {
      body.appendChild(element('p', 'odl-Facet-empty', trans.__('No values')));
      return details;
    }
    const list = element('ul', 'odl-Facet-list');
    list.setAttribute('aria-label', this._label(facet));
    const topLevel = facet === 'type' ? all.filter(b => !b.key.includes('::')) : all;
    const expanded = this._expanded.has(facet);
    const shown = expanded ? topLevel : topLevel.slice(0, SHOWN_BUCKETS);
    for (const bucket of shown) {
      const item = this._checkbox(facet, bucket, bucket.key, selected);
      if (facet === 'type') {
        const children = all.filter(b => b.key.startsWith(`${bucket.key}::`));
        if (children.length) {
          const nested = element('ul', 'odl-Facet-list odl-Facet-nested');
          nested.setAttribute('aria-label', bucket.key);
          for (const child of children) {
            nested.appendChild(
              this._checkbox(facet, child, child.key.slice(bucket.key.length + 2), selected)
            );
          }
          item.appendChild(nested);
        }
      }
      list.appendChild(item);
    }
    body.appendChild(list);
    if (topLevel.length > SHOWN_BUCKETS) {
      const more = element('button', 'jp-Button jp-mod-minimal jp-mod-styled odl-Facet-more');
      more.type = 'button';
      more.dataset.action = 'more';
      more.dataset.facet = facet;
      more.dataset.focusKey = `more:${facet}`;
      more.setAttribute('aria-expanded', String(expanded));
      more.textContent = expanded
        ? trans.__('Show fewer')
        : trans.__('Show %1 more', topLevel.length - SHOWN_BUCKETS);
      body.appendChild(more);
    }
    return details;
  }

  private _checkbox(
    facet: FacetName,
    bucket: FacetBucket,
    name: string,
    selected: string[]
  ): HTMLLIElement {
    const item = element('li', 'odl-Facet-item');
    const label = element('label', 'odl-Facet-option');
    const box = element('input', 'odl-Facet-checkbox');
    box.type = 'checkbox';
    box.checked = selected.includes(bucket.key);
    box.dataset.facet = facet;
    box.dataset.key = bucket.key;
    box.dataset.focusKey = `${facet}:${bucket.key}`;
    const count = formatNumber(bucket.count);
    box.setAttribute('aria-label', this._trans.__('%1 (%2 records)', name, count));
    const text = element('span', 'odl-Facet-name', name);
    text.title = name;
    label.append(box, text, element('span', 'odl-Facet-count', count));
    item.appendChild(label);
    return item;
  }

  private _yearSection(buckets: FacetBucket[]): HTMLElement {
    const trans = this._trans;
    const [from, to] = this._model.yearRange;
    const [details, body] = this._section('year', from !== null || to !== null ? 1 : 0);
    if (!details.open) {
      return details;
    }
    const years = new Map(buckets.map(b => [Number(b.key), b.count]));
    for (const y of [from, to]) if (y !== null && !years.has(y)) years.set(y, 0);
    const sorted = [...years.keys()].sort((a, b) => a - b);
    const range = element('div', 'odl-YearRange');
    const select = (end: 'from' | 'to', value: number | null, label: string) => {
      const wrap = element('label', 'odl-YearRange-end');
      wrap.appendChild(element('span', 'odl-YearRange-label', label));
      const s = element('select', 'jp-mod-styled odl-YearRange-select');
      s.dataset.year = end;
      s.dataset.focusKey = `year:${end}`;
      const any = element('option', '', trans.__('Any'));
      any.value = '';
      s.appendChild(any);
      for (const y of sorted) {
        const option = element('option', '', `${y} (${formatNumber(years.get(y) ?? 0)})`);
        option.value = String(y);
        s.appendChild(option);
      }
      s.value = value === null ? '' : String(value);
      wrap.appendChild(s);
      return wrap;
    };
    range.append(select('from', from, trans.__('From')), select('to', to, trans.__('To')));
    body.appendChild(range);
    return details;
  }

  private readonly _onChange = (event: Event): void => {
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    if (target instanceof HTMLInputElement && target.dataset.facet && target.dataset.key) {
      this._model.toggle(target.dataset.facet as FacetName, target.dataset.key);
    } else if (target instanceof HTMLSelectElement && target.dataset.year) {
      const value = (end: string) => {
        const v = this.node.querySelector<HTMLSelectElement>(`select[data-year="${end}"]`)?.value;
        return v ? Number(v) : null;
      };
      this._model.setYearRange(value('from'), value('to'));
    }
  };

  private readonly _onClick = (event: Event): void => {
    const button = (event.target as HTMLElement).closest?.<HTMLButtonElement>('button');
    if (!button) return;
    if (button.dataset.action === 'clear') {
      this._model.clearFilters();
    } else if (button.dataset.action === 'more' && button.dataset.facet) {
      const facet = button.dataset.facet as FacetName;
      if (!this._expanded.delete(facet)) this._expanded.add(facet);
      this.render();
    }
  };

  private readonly _onToggle = (event: Event): void => {
    const details = event.target as HTMLDetailsElement;
    const facet = details.dataset?.facet as FacetName | undefined;
    if (!facet) return;
    if (details.open === this._open.has(facet)) return; // a rebuilt section, not a user's toggle
    if (details.open) {
      this._open.add(facet);
      this.render(); // its values are built now
    } else {
      this._open.delete(facet);
    }
  };

  private readonly _model: SearchModel;
  private readonly _trans: TranslationBundle;
  // Experiment and year start open (short: every section's heading fits a narrow sidebar at the
  // default window size); the rest on demand.
  private readonly _open = new Set<FacetName>(['experiment', 'year']);
  private readonly _expanded = new Set<FacetName>();
}
