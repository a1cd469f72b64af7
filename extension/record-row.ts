import type { RecordSummary } from '@opendata-lab/kernel-helpers/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { element } from './dom';
import { formatBytes, formatCompact, formatNumber } from './format';

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
  row.appendChild(meta);

  // Second line: DOI, size, events (each only when the record has it).
  const distribution = element('div', 'odl-RecordRow-meta odl-RecordRow-distribution');
  if (record.doi) {
    distribution.appendChild(createDoiBadge(record.doi, trans));
  }
  if (record.size !== null && record.size > 0) {
    const size = element('span', 'odl-RecordRow-size', formatBytes(record.size));
    size.title = trans.__('Size: %1 bytes', formatNumber(record.size));
    distribution.appendChild(size);
  }
  if (record.number_events !== null && record.number_events > 0) {
    const events = element(
      'span',
      'odl-RecordRow-events',
      formatEvents(record.number_events, trans)
    );
    events.title = trans._n(
      '%2 event',
      '%2 events',
      record.number_events,
      formatNumber(record.number_events)
    );
    distribution.appendChild(events);
  }
  if (distribution.childElementCount) {
    row.appendChild(distribution);
  }
  return row;
}

/** A placeholder while a row's record is on its way (the list keeps every row the same height). */
export function createPlaceholderRow(trans: TranslationBundle): HTMLLIElement {
  const row = element('li', 'odl-RecordRow odl-mod-placeholder');
  row.setAttribute('aria-busy', 'true');
  row.appendChild(element('div', 'odl-RecordRow-title', trans.__('Loading…')));
  return row;
}

/** 1234567 → "1.2M events" (compact number in the user's locale, translated noun). */
export function formatEvents(events: number, trans: TranslationBundle): string {
  // `_n` puts the count in %1 and further arguments from %2: the text shows the formatted one.
  return trans._n('%2 event', '%2 events', events, formatCompact(events));
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
