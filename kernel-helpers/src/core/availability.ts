// Datasets on tape (docs/portal.md#availability): the portal's `distribution.availability` is
// `online`, `ondemand` (every file on tape) or `partial` (some); files on tape must be staged
// (requested on the record's portal page) before they can be downloaded.

export type Availability = 'online' | 'ondemand' | 'partial';

/** The record's availability; null when it does not say (snapshot records, older answers). */
export function recordAvailability(record: object): Availability | null {
  const r = record as { distribution?: unknown; availability?: unknown } | null;
  const d = r?.distribution as { availability?: unknown } | null | undefined;
  const value = typeof d?.availability === 'string' ? d.availability : r?.availability;
  return availabilityOf(value);
}

/** A known availability word (case and surrounding space ignored; `on demand` too), else null. */
export function availabilityOf(value: unknown): Availability | null {
  if (typeof value !== 'string') return null;
  const v = value.trim().toLowerCase().replace(/\s+/g, '');
  return v === 'online' || v === 'ondemand' || v === 'partial' ? v : null;
}

/** Whether some of the record's files are on tape (ondemand or partial). */
export function onTape(availability: Availability | null): boolean {
  return availability === 'ondemand' || availability === 'partial';
}

/** The record's portal page, where staging files from tape is requested. */
export function stagingUrl(recid: string | number, portalUrl = 'https://opendata.cern.ch'): string {
  return `${portalUrl.replace(/\/+$/, '')}/record/${encodeURIComponent(String(recid))}`;
}
