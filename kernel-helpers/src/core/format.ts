// Numbers and byte sizes as people read them, one implementation for the panel, the record view,
// the CLI and download progress. Intl formatters are costly to create and the list formats numbers
// on every keystroke, so each one is made once and reused.
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(key: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(undefined, options);
    formatters.set(key, format);
  }
  return format;
}

/** 1234567 → "1,234,567" (grouped in the user's locale). */
export function formatNumber(value: number): string {
  return formatter('number').format(value);
}

/** 1234567 → "1.2M". */
export function formatCompact(value: number): string {
  return formatter('compact', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'];

/**
 * 1234567 → "1.2 MB": decimal units, as the portal shows sizes. By default one decimal below 10
 * of a unit and none above; `fractionDigits` fixes the decimals (a progress line that does not
 * change width as it counts).
 */
export function formatBytes(bytes: number, fractionDigits?: number): string {
  let unit = 0;
  let value = bytes;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 ? 0 : (fractionDigits ?? (value < 10 ? 1 : 0));
  return formatter(`${BYTE_UNITS[unit]}:${digits}`, {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    unitDisplay: 'short',
    minimumFractionDigits: fractionDigits === undefined ? 0 : digits,
    maximumFractionDigits: digits
  }).format(value);
}

/**
 * At most `max` characters of untrusted text for display, cut with "…". Record fields are not
 * bounded (a portal answer can carry a megabyte title); laying that out would freeze the page.
 */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
