// The explorer's output: event columns quantized to their histogram range as 16-bit codes
// (base64 in JSON), so 100,000 events × 6 columns travel in ~1.6 MB. Browser-safe: the kernel
// encodes, the extension's renderer decodes, with these same functions.
import { OpenDataError } from './errors';

/** The mime type of an explorer output (od.explore), drawn by the extension's renderer. */
export const EXPLORER_MIME = 'application/vnd.opendata-lab.explorer+json';

/** Codes of one column: in-range values 1..levels, these for the rest. */
export const CODE_UNDERFLOW = 0;
/** A missing value (NaN): in no bin, dropped by any cut on its column. */
export const CODE_MISSING = 0xffff;
/** The largest number of quantization levels of a column (codes 1..levels, overflow levels+1). */
export const MAX_LEVELS = 65520;

/** The overflow code of a column with `levels` levels. */
export const overflowCode = (levels: number): number => levels + 1;

/** One column as it travels: its histogram range and bins, its events' codes. */
export interface ExplorerColumnData {
  name: string;
  /** The histogram range [lo, hi): values are quantized to `levels` steps across it. */
  lo: number;
  hi: number;
  /** Bins shown first; every bin count offered divides `levels` (see binChoices). */
  bins: number;
  levels: number;
  log: boolean;
  /** Uint16 little-endian codes, base64 (one per event shown). */
  codes: string;
}

/** A reference drawn over one column's histogram as a scaled outline. */
export interface ExplorerReferenceHistogram {
  column: string;
  edges: number[];
  values: number[];
  label: string;
  /** A number multiplies the values; 'area' scales them to the selected data in their range. */
  scale: number | 'area';
}

export interface ExplorerPayload {
  version: 1;
  title: string;
  /** The variable the cut code names (`od.maskWhere(<table>, ...)`). */
  table: string;
  /** Events of the table given; `shown` of them travel (every one, or an evenly spaced sample). */
  events: number;
  shown: number;
  /** Said above the histograms when the events are a sample (never silently cut). */
  notice?: string;
  columns: ExplorerColumnData[];
  /** Initial cuts, as value ranges [lo, hi) (null for an open side: JSON has no Infinity). */
  cuts?: Record<string, [number | null, number | null]>;
  /** A second table (e.g. simulation) filtered by the same cuts, drawn scaled over the data. */
  referenceTable?: {
    label: string;
    events: number;
    shown: number;
    scale: number | 'area';
    /** Codes per column, in `columns`' order, on the same ranges and levels. */
    codes: string[];
  };
  referenceHistograms?: ExplorerReferenceHistogram[];
}

/**
 * Quantization levels for a column shown with `bins` bins: bins × m, m the 5-smooth number
 * (2^a·3^b·5^c) up to MAX_LEVELS / bins with the most divisors. Rebinning in the browser offers
 * the divisors of the levels, so every bin edge falls on a level edge and the counts are exact:
 * floor(floor(t·L) / (L/n)) = floor(t·n) when n divides L.
 */
export function quantizationLevels(bins: number): number {
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000) {
    throw new OpenDataError('E_USAGE', `explore: bins must be an integer 1-1000 (got ${bins})`);
  }
  const most = Math.floor(MAX_LEVELS / bins);
  let best = 1;
  let bestDivisors = 1;
  for (let p2 = 1; p2 <= most; p2 *= 2) {
    for (let p3 = p2; p3 <= most; p3 *= 3) {
      for (let m = p3; m <= most; m *= 5) {
        const d = divisors(bins * m).length;
        if (d > bestDivisors || (d === bestDivisors && m > best)) {
          best = m;
          bestDivisors = d;
        }
      }
    }
  }
  return bins * best;
}

function divisors(n: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d === 0) {
      small.push(d);
      if (d * d !== n) large.unshift(n / d);
    }
  }
  return small.concat(large);
}

/** The bin counts a column can be rebinned to exactly: divisors of its levels, 2 to 500. */
export function binChoices(levels: number): number[] {
  return divisors(levels).filter(d => d >= 2 && d <= 500);
}

/** Codes of values on [lo, hi) with `levels` levels: ROOT's convention, x = hi overflows. */
export function quantize(
  values: ArrayLike<number>,
  lo: number,
  hi: number,
  levels: number,
  pick?: ArrayLike<number>
): Uint16Array {
  const n = pick ? pick.length : values.length;
  const out = new Uint16Array(n);
  const scale = levels / (hi - lo);
  const over = overflowCode(levels);
  for (let k = 0; k < n; k++) {
    const x = values[pick ? pick[k] : k];
    if (x < lo) out[k] = CODE_UNDERFLOW;
    else if (x >= hi) out[k] = over;
    else if (x === x) out[k] = Math.min(Math.floor((x - lo) * scale), levels - 1) + 1;
    else out[k] = CODE_MISSING;
  }
  return out;
}

/** The value at level edge k (0..levels) of a column: where a cut in code space starts or ends. */
export function levelEdge(column: { lo: number; hi: number; levels: number }, k: number): number {
  const { lo, hi, levels } = column;
  return k <= 0 ? lo : k >= levels ? hi : lo + (k * (hi - lo)) / levels;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Uint16 codes as little-endian bytes in base64 (no Buffer or btoa: runs in both places). */
export function encodeCodes(codes: Uint16Array): string {
  const bytes = new Uint8Array(codes.length * 2);
  for (let i = 0; i < codes.length; i++) {
    bytes[2 * i] = codes[i] & 0xff;
    bytes[2 * i + 1] = codes[i] >> 8;
  }
  const parts: string[] = [];
  const chunk = 3 * 4096;
  for (let start = 0; start < bytes.length; start += chunk) {
    const end = Math.min(start + chunk, bytes.length);
    let s = '';
    for (let i = start; i < end; i += 3) {
      const b0 = bytes[i];
      const b1 = i + 1 < end ? bytes[i + 1] : 0;
      const b2 = i + 2 < end ? bytes[i + 2] : 0;
      s += ALPHABET[b0 >> 2] + ALPHABET[((b0 & 3) << 4) | (b1 >> 4)];
      s += i + 1 < end ? ALPHABET[((b1 & 15) << 2) | (b2 >> 6)] : '=';
      s += i + 2 < end ? ALPHABET[b2 & 63] : '=';
    }
    parts.push(s);
  }
  return parts.join('');
}

/** The inverse of encodeCodes; `expected` checks the count (a damaged output is an error). */
export function decodeCodes(text: string, expected: number, what = 'column'): Uint16Array {
  const clean = text.replace(/=+$/, '');
  const byteLength = Math.floor((clean.length * 3) / 4);
  if (byteLength !== expected * 2 || /[^A-Za-z0-9+/]/.test(clean)) {
    throw new OpenDataError(
      'E_FORMAT',
      `explorer ${what}: expected ${expected} events of 2 bytes in base64, got ${byteLength} bytes`
    );
  }
  const bytes = new Uint8Array(byteLength);
  let at = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const a = LOOKUP[clean.charCodeAt(i)];
    const b = LOOKUP[clean.charCodeAt(i + 1)];
    const c = i + 2 < clean.length ? LOOKUP[clean.charCodeAt(i + 2)] : 0;
    const d = i + 3 < clean.length ? LOOKUP[clean.charCodeAt(i + 3)] : 0;
    bytes[at++] = (a << 2) | (b >> 4);
    if (at < byteLength) bytes[at++] = ((b & 15) << 4) | (c >> 2);
    if (at < byteLength) bytes[at++] = ((c & 3) << 6) | d;
  }
  const out = new Uint16Array(expected);
  for (let i = 0; i < expected; i++) out[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
  return out;
}

/**
 * A cut as a range of codes [a, b) of a column: a value range [lo, hi) (±Infinity for an open
 * side, which takes the under- or overflow too) snapped to the nearest level edges.
 */
export function cutToCodes(
  column: { lo: number; hi: number; levels: number },
  range: readonly [number, number]
): [number, number] {
  const { lo, hi, levels } = column;
  const toLevel = (v: number) =>
    Math.max(0, Math.min(levels, Math.round(((v - lo) / (hi - lo)) * levels)));
  const a = range[0] === -Infinity ? CODE_UNDERFLOW : toLevel(range[0]) + 1;
  const b = range[1] === Infinity ? overflowCode(levels) + 1 : toLevel(range[1]) + 1;
  return [a, Math.max(a, b)];
}

/** The value range of a code range (the inverse of cutToCodes on level edges). */
export function codesToCut(
  column: { lo: number; hi: number; levels: number },
  codes: readonly [number, number]
): [number, number] {
  const [a, b] = codes;
  const over = overflowCode(column.levels);
  return [
    a <= CODE_UNDERFLOW ? -Infinity : levelEdge(column, a - 1),
    b > over ? Infinity : levelEdge(column, b - 1)
  ];
}

/** An explorer output's data decoded for the browser: each column's codes, checked. */
export interface DecodedExplorer {
  payload: ExplorerPayload;
  codes: Uint16Array[];
  referenceCodes: Uint16Array[] | null;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/**
 * Checks an output's value (it comes from a notebook file: anything) and decodes its codes. The
 * errors say what is wrong; nothing of the value is trusted beyond these checks.
 */
export function decodeExplorer(value: unknown): DecodedExplorer {
  const bad = (what: string): never => {
    throw new OpenDataError('E_FORMAT', `not an explorer output: ${what}`);
  };
  if (!isObj(value) || value.version !== 1) bad('no version 1 object');
  const p = value as unknown as ExplorerPayload;
  if (!Array.isArray(p.columns) || p.columns.length === 0 || p.columns.length > 31) {
    bad('1 to 31 columns expected');
  }
  if (!isCount(p.shown) || !isCount(p.events)) bad('event counts missing');
  if (typeof p.title !== 'string' || typeof p.table !== 'string') bad('title or table missing');
  for (const c of p.columns) {
    if (
      !isObj(c) ||
      typeof c.name !== 'string' ||
      !Number.isFinite(c.lo) ||
      !Number.isFinite(c.hi) ||
      !(c.hi > c.lo) ||
      !isCount(c.levels) ||
      c.levels < 1 ||
      c.levels > MAX_LEVELS ||
      !isCount(c.bins) ||
      c.bins < 1 ||
      c.levels % c.bins !== 0 ||
      typeof c.codes !== 'string'
    ) {
      bad(`column ${JSON.stringify(isObj(c) ? c.name : c)} is malformed`);
    }
  }
  const codes = p.columns.map(c => decodeCodes(c.codes, p.shown, `column "${c.name}"`));
  let referenceCodes: Uint16Array[] | null = null;
  const ref = p.referenceTable;
  if (ref !== undefined) {
    if (
      !isObj(ref) ||
      !Array.isArray(ref.codes) ||
      ref.codes.length !== p.columns.length ||
      !isCount(ref.shown) ||
      !(ref.scale === 'area' || Number.isFinite(ref.scale))
    ) {
      bad('the reference table is malformed');
    }
    referenceCodes = ref.codes.map((c, k) =>
      decodeCodes(String(c), ref.shown, `reference column "${p.columns[k].name}"`)
    );
  }
  for (const h of p.referenceHistograms ?? []) {
    if (
      !isObj(h) ||
      !Array.isArray(h.edges) ||
      !Array.isArray(h.values) ||
      h.edges.length !== h.values.length + 1 ||
      !h.edges.every(Number.isFinite) ||
      !h.values.every(Number.isFinite) ||
      !(h.scale === 'area' || Number.isFinite(h.scale))
    ) {
      bad('a reference histogram is malformed');
    }
  }
  return { payload: p, codes, referenceCodes };
}
