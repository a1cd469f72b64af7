import { clipText, texToText, type RecordSummary } from '@opendata-lab/kernel-helpers/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { element } from './dom';
import { formatBytes, formatCompact, formatNumber } from './format';

/**
 * The portal's DOIs are `10.7483/OPENDATA.<experiment>.<id>`: the badge shows `<experiment>.<id>`
 * (`CMS.DBGO.GC50`), the part that differs. One record has `OOPENDATA`: the same rule covers it.
 */
const PORTAL_DOI = /^10\.7483\/[^./]+\.(.+)$/;

/** Longest title a row shows (the longest real one has 179 characters); the record view has it all. */
const TITLE_CHARS = 600;

/** A CMS dataset name: /primary/processed/tier. */
const DATASET_PATH = /^\/([^/\s]+)\/([^/\s]+)\/([^/\s]+)$/;

/**
 * One result row. Record fields come from the portal, so they are set as text or attribute
 * values only, never parsed as HTML. TeX in titles is shown as readable text (the record view
 * typesets it).
 */
export function createRecordRow(record: RecordSummary, trans: TranslationBundle): HTMLLIElement {
  const row = element('li', 'odl-RecordRow');
  row.dataset.recid = record.recid;
  // Roving tabindex: the list makes one row tabbable and moves focus with the arrow keys.
  row.tabIndex = -1;
  const titleText = texToText(clipText(record.title, TITLE_CHARS));
  row.setAttribute('aria-label', trans.__('Record %1: %2', record.recid, titleText));

  const title = createTitle(titleText);
  title.title = titleText;
  row.appendChild(title);

  // First line: who and when, and the DOI (whole: it is what tells records apart).
  const meta = element('div', 'odl-RecordRow-meta');
  const experiment = clipText(record.experiment.join(', '), 200);
  if (experiment) meta.appendChild(element('span', 'odl-RecordRow-experiment', experiment));
  const years = formatYears(record.year);
  if (years) meta.appendChild(element('span', 'odl-RecordRow-year', years));
  if (record.doi) meta.appendChild(createDoiBadge(record.doi, trans));
  row.appendChild(meta);

  // Second line: size and events (each only when the record has it), then the type, which
  // gives way when the line is full.
  const distribution = element('div', 'odl-RecordRow-meta odl-RecordRow-distribution');
  // On tape: said in words first on the line (never by colour alone); the record view says more.
  if (record.availability === 'ondemand' || record.availability === 'partial') {
    const tape = element(
      'span',
      'odl-OnTapeBadge',
      record.availability === 'partial' ? trans.__('Partly on tape') : trans.__('On tape')
    );
    tape.title = trans.__(
      'Files on tape must be staged on the portal before they can be downloaded'
    );
    distribution.appendChild(tape);
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
  const type = record.type.map(formatType).join(', ');
  if (type) {
    const typeNode = element('span', 'odl-RecordRow-type', type);
    typeNode.title = type;
    distribution.appendChild(typeNode);
  }
  if (distribution.childElementCount) {
    row.appendChild(distribution);
  }
  return row;
}

/**
 * The title, at most three lines. A dataset path keeps its distinctive tail in view: the primary
 * name takes up to two lines, the last line ends with the processing version and tier
 * (`…_v17-v1/MINIAODSIM`) and gives up the middle instead. The text content stays the whole title.
 */
export function createTitle(text: string): HTMLDivElement {
  const path = splitDatasetPath(text);
  if (!path) return element('div', 'odl-RecordRow-title', text);
  const title = element('div', 'odl-RecordRow-title odl-mod-path');
  const processed = element('span', 'odl-RecordRow-processed');
  processed.append(
    element('span', 'odl-RecordRow-processedHead', path.processedHead),
    element('span', 'odl-RecordRow-tail', path.tail)
  );
  title.append(element('span', 'odl-RecordRow-primary', path.primary), processed);
  return title;
}

/**
 * `/P/C/T` in three parts: `/P`, the head of `/C` and the tail: the last two `-`/`_` separated
 * pieces of C and the tier (`_ext1-v1/NANOAODSIM`), where sibling datasets differ.
 */
export function splitDatasetPath(
  title: string
): { primary: string; processedHead: string; tail: string } | null {
  const match = DATASET_PATH.exec(title);
  if (!match) return null;
  const [, primary, processed, tier] = match;
  const cut = /[-_][^-_]*[-_][^-_]*$/.exec(processed);
  const at = cut && cut.index > 0 ? cut.index : processed.length;
  return {
    primary: `/${primary}`,
    processedHead: `/${processed.slice(0, at)}`,
    tail: `${processed.slice(at)}/${tier}`
  };
}

/** A placeholder while a row's record is on its way (the list keeps every row the same height). */
export function createPlaceholderRow(trans: TranslationBundle): HTMLLIElement {
  const row = element('li', 'odl-RecordRow odl-mod-placeholder');
  row.setAttribute('aria-busy', 'true');
  row.appendChild(element('div', 'odl-RecordRow-title', trans.__('Loading…')));
  return row;
}

/** A row for a hit the source counted but did not send (a malformed record it left out). */
export function createSkippedRow(trans: TranslationBundle): HTMLLIElement {
  const row = element('li', 'odl-RecordRow odl-mod-skipped');
  row.appendChild(
    element('div', 'odl-RecordRow-title', trans.__('A malformed record was left out.'))
  );
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
  badge.setAttribute('aria-label', trans.__('DOI %1', doi));
  // Every portal DOI starts alike: the badge shows what follows, the whole DOI is in the tooltip.
  // Another DOI is shown whole, and may be cut when the line is full.
  const short = PORTAL_DOI.exec(doi)?.[1];
  if (!short) badge.classList.add('odl-mod-long');
  badge.append(
    element('span', 'odl-DoiBadge-label', trans.__('DOI')),
    element('span', 'odl-DoiBadge-value', short ?? doi)
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
