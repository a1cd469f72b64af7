// A catalog record as a card in the notebook (see rich-display.ts for the protocol).
import { citationText, CitableRecord } from './citation';
import { DisplayBundle, JUPYTER_DISPLAY, defineDisplay, escapeHtml } from './rich-display';

/** A record as a card: its title, DOI (a link) and how to cite it. */
export function recordBundle(record: CitableRecord): DisplayBundle {
  const title = String(record.title ?? `record ${record.recid}`);
  const doi = typeof record.doi === 'string' && record.doi ? record.doi : undefined;
  const citation = citationText(record);
  const doiHtml = doi
    ? `<div>DOI: <a href="https://doi.org/${escapeHtml(encodeURI(doi))}" target="_blank" ` +
      `rel="noopener noreferrer">${escapeHtml(doi)}</a></div>`
    : '';
  return {
    'text/html':
      `<div class="opendata-record-card"><div><strong>${escapeHtml(title)}</strong> ` +
      `(record ${escapeHtml(String(record.recid))})</div>${doiHtml}` +
      `<div>Cite as: ${escapeHtml(citation)}</div></div>`,
    'text/plain': [
      title,
      `record ${record.recid}`,
      doi ? `DOI: ${doi}` : '',
      `Cite as: ${citation}`
    ]
      .filter(Boolean)
      .join('\n')
  };
}

/** The record, showing as its card when a cell ends with it (the object is returned, not copied). */
export function withRecordDisplay<T extends CitableRecord>(record: T): T {
  return Object.prototype.hasOwnProperty.call(record, JUPYTER_DISPLAY) ||
    !Object.isExtensible(record)
    ? record
    : defineDisplay(record, recordBundle);
}
