import type { RecordSummary } from '@opendata-lab/kernel-helpers/core';
import type { TranslationBundle } from '@jupyterlab/translation';

/**
 * One result row. Record fields come from the portal, so they are set as text or attribute
 * values only, never parsed as HTML.
 */
export function createRecordRow(record: RecordSummary, trans: TranslationBundle): HTMLLIElement {
  const row = element('li', 'odl-RecordRow');
  row.dataset.recid = record.recid;
  // Roving tabindex: the list makes one row tabbable and moves focus with the arrow keys.
  row.tabIndex = -1;
  row.setAttribute('aria-label', trans.__('Record %1: %2', record.recid, record.title));

  const title = element('div', 'odl-RecordRow-title', record.title);
  title.title = record.title;
  row.appendChild(title);

  const meta = element('div', 'odl-RecordRow-meta');
  const fields: [string, string][] = [
    ['odl-RecordRow-experiment', record.experiment.join(', ')],
    ['odl-RecordRow-type', record.type.map(formatType).join(', ')],
    ['odl-RecordRow-year', formatYears(record.year)]
  ];
  for (const [className, text] of fields) {
    if (text) {
      meta.appendChild(element('span', className, text));
    }
  }
  if (record.doi) {
    meta.appendChild(createDoiBadge(record.doi, trans));
  }
  row.appendChild(meta);
  return row;
}

function createDoiBadge(doi: string, trans: TranslationBundle): HTMLAnchorElement {
  const badge = element('a', 'odl-DoiBadge');
  // Fixed https origin; each path segment is encoded, so no record value can change the scheme.
  badge.href = `https://doi.org/${doi.split('/').map(encodeURIComponent).join('/')}`;
  badge.target = '_blank';
  badge.rel = 'noopener noreferrer';
  badge.title = trans.__('Open DOI %1', doi);
  badge.append(
    element('span', 'odl-DoiBadge-label', trans.__('DOI')),
    element('span', 'odl-DoiBadge-value', doi)
  );
  return badge;
}

/** `Dataset::Collision` → `Dataset / Collision`. */
export function formatType(type: string): string {
  return type.split('::').join(' / ');
}

/** A few years are listed, more become a range. */
export function formatYears(years: number[]): string {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  return sorted.length > 3 ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted.join(', ');
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}
