// The shape of the record fields the product reads, checked where an answer from the portal (or
// whatever poses as it) comes in, and the checks that keep its values out of file paths. One place
// for both, browser-safe and hand-written: a few shapes, coercions only where the meaning is plain.
import type { CatalogRecord } from './catalog-build';
import { OpenDataError } from './errors';

/**
 * `text`: a string (a finite number is taken as its decimal text); `count`: a finite number >= 0;
 * `{ list }`: an array (a lone text where texts are expected is taken as a list of one);
 * `{ fields }`: an object whose listed fields have these shapes (others pass unchecked).
 * A null or absent field is absent.
 */
export type FieldShape =
  'text' | 'count' | { list: FieldShape } | { fields: Readonly<Record<string, FieldShape>> };

const TEXTS: FieldShape = { list: 'text' };
const LINKS: FieldShape = {
  list: { fields: { url: 'text', recid: 'text', description: 'text', title: 'text' } }
};
const DESCRIBED: FieldShape = { fields: { description: 'text', links: LINKS } };
const FILES: FieldShape = {
  list: {
    fields: { uri: 'text', checksum: 'text', size: 'count', type: 'text', description: 'text' }
  }
};

/** The record fields read by the helpers, the CLI and the panel (the snapshot's records all fit). */
export const RECORD_SHAPE: Readonly<Record<string, FieldShape>> = {
  title: 'text',
  title_additional: 'text',
  doi: 'text',
  publisher: 'text',
  accelerator: 'text',
  date_published: 'text',
  date_reprocessed: 'text',
  experiment: TEXTS,
  keywords: TEXTS,
  date_created: TEXTS,
  run_period: TEXTS,
  collections: TEXTS,
  abstract: DESCRIBED,
  usage: DESCRIBED,
  methodology: DESCRIBED,
  note: DESCRIBED,
  validation: DESCRIBED,
  use_with: DESCRIBED,
  pileup: DESCRIBED,
  links: LINKS,
  type: { fields: { primary: 'text', secondary: TEXTS } },
  categories: { fields: { primary: 'text', secondary: TEXTS } },
  collaboration: { fields: { name: 'text', recid: 'text' } },
  collision_information: { fields: { energy: 'text', type: 'text' } },
  authors: {
    list: { fields: { name: 'text', affiliation: 'text', orcid: 'text', inspireid: 'text' } }
  },
  distribution: {
    fields: { formats: TEXTS, number_events: 'count', number_files: 'count', size: 'count' }
  },
  license: { fields: { attribution: 'text' } },
  system_details: {
    fields: { global_tag: 'text', release: 'text', description: 'text', recid: 'text' }
  },
  relations: {
    list: {
      fields: { recid: 'text', doi: 'text', title: 'text', type: 'text', description: 'text' }
    }
  },
  files: FILES,
  _file_indices: { list: { fields: { key: 'text', files: FILES } } }
};

/** A recid: digits only (the longest real one has 6; 16 keeps it a plain path component). */
const RECID = /^\d{1,16}$/;

/** The recid as digits without leading zeros, or null when `value` is not one. */
export function canonicalRecid(value: unknown): string | null {
  const text =
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
      ? String(value)
      : typeof value === 'string'
        ? value.trim()
        : null;
  if (text === null || !RECID.test(text)) return null;
  return text.replace(/^0+(?=\d)/, '');
}

/** A recid the user gave: digits only, else E_USAGE. */
export function askedRecid(value: unknown): string {
  const recid = canonicalRecid(value);
  if (recid === null) {
    throw new OpenDataError(
      'E_USAGE',
      `record ${quote(value)}: a recid is a record number (digits only)`
    );
  }
  return recid;
}

/**
 * The recid of a record from an answer: digits only and, when `asked` is given, the one asked
 * for; else E_FORMAT naming both (`where`: the URL or source it came from).
 */
export function recidOf(record: unknown, asked?: string | number, where?: string): string {
  const raw = (record as { recid?: unknown } | null)?.recid;
  const recid = canonicalRecid(raw);
  const from = where ? ` (from ${where})` : '';
  if (recid === null) {
    throw new OpenDataError(
      'E_FORMAT',
      asked === undefined
        ? `a record whose recid is ${quote(raw)}${from}: a recid is digits only`
        : `record ${asked}: the answer's recid is ${quote(raw)}, not a record number${from}`
    );
  }
  if (asked !== undefined && recid !== canonicalRecid(asked)) {
    throw new OpenDataError(
      'E_FORMAT',
      `record ${asked}: the answer is for record ${recid}, not the one asked for${from}`
    );
  }
  return recid;
}

/** A record in the shape RECORD_SHAPE describes (coerced), or what is wrong with it. */
export type ShapeCheck =
  { ok: true; record: CatalogRecord } | { ok: false; recid: string | null; problems: string[] };

/**
 * Checks a record's metadata: a digit recid, and RECORD_SHAPE's fields. Returns a copy with
 * plain coercions applied (null fields removed, a lone text as a list, numbers as texts), or the
 * problems, each naming the field (`authors[3].name: expected a text, got an object`).
 */
export function checkRecordShape(metadata: unknown): ShapeCheck {
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) {
    return { ok: false, recid: null, problems: [`not a record (${kind(metadata)})`] };
  }
  const m = metadata as Record<string, unknown>;
  const recid = canonicalRecid(m.recid);
  const problems: string[] = [];
  if (recid === null) problems.push(`recid: expected digits, got ${describe(m.recid)}`);
  const out: Record<string, unknown> = { ...m, recid: recid ?? m.recid };
  for (const [field, shape] of Object.entries(RECORD_SHAPE)) {
    if (!(field in m)) continue;
    const value = conform(m[field], shape, field, problems);
    if (value === undefined) delete out[field];
    else out[field] = value;
  }
  if (out.title === undefined) out.title = '';
  if (problems.length > 0) return { ok: false, recid, problems };
  return { ok: true, record: out as CatalogRecord };
}

/** A record answer's metadata, checked: its recid the one asked for, its fields in shape; else E_FORMAT. */
export function checkRecord(
  metadata: unknown,
  asked?: string | number,
  where?: string
): CatalogRecord {
  const recid = recidOf(metadata, asked, where);
  const check = checkRecordShape(metadata);
  if (!check.ok) {
    const more = check.problems.length > 1 ? ` (and ${check.problems.length - 1} more)` : '';
    throw new OpenDataError(
      'E_FORMAT',
      `record ${recid}: ${check.problems[0]}${more}${where ? ` (from ${where})` : ''}`
    );
  }
  return check.record;
}

function conform(value: unknown, shape: FieldShape, at: string, problems: string[]): unknown {
  if (value === null || value === undefined) return undefined;
  if (shape === 'text') {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    problems.push(`${at}: expected a text, got ${describe(value)}`);
    return undefined;
  }
  if (shape === 'count') {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    problems.push(`${at}: expected a number >= 0, got ${describe(value)}`);
    return undefined;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) {
      if (shape.list === 'text' && (typeof value === 'string' || typeof value === 'number')) {
        return [conform(value, 'text', at, problems)];
      }
      problems.push(`${at}: expected a list, got ${describe(value)}`);
      return undefined;
    }
    return value.map((item, i) => {
      if (item === null || item === undefined) {
        problems.push(`${at}[${i}]: expected a value, got ${describe(item)}`);
        return item;
      }
      return conform(item, shape.list, `${at}[${i}]`, problems);
    });
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${at}: expected an object, got ${describe(value)}`);
    return undefined;
  }
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = { ...object };
  for (const [field, inner] of Object.entries(shape.fields)) {
    if (!(field in object)) continue;
    const v = conform(object[field], inner, `${at}.${field}`, problems);
    if (v === undefined) delete out[field];
    else out[field] = v;
  }
  return out;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  const t = typeof value;
  return t === 'object' ? 'an object' : t === 'undefined' ? 'nothing' : `a ${t}`;
}

/** A value for a message: its kind, and short texts and numbers themselves. */
function describe(value: unknown): string {
  if (typeof value === 'string') return `the text ${quote(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${kind(value)} (${value})`;
  return kind(value);
}

/** JSON-quoted (control characters escaped) and cut to 80 characters. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return JSON.stringify(cut);
}

// ---- file names and paths from answers ----

/** Windows device names: a file called `con.csv` is the console there. */
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * Why `name` (a file name from an answer: a URI's last segment) cannot be a file in a directory
 * on any system, or null when it can: no separators, no `.`/`..`, no control characters, no drive
 * letter, no device name, no trailing dot or space, not percent-encoding a separator or NUL.
 */
export function unsafeFileNameReason(name: string): string | null {
  if (name === '') return 'it is empty';
  if (name === '.' || name === '..') return 'it names a directory, not a file';
  if (/[/\\]/.test(name)) return 'it holds a path separator';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'it holds a control character';
  if (/^[a-z]:/i.test(name)) return 'it starts with a drive letter';
  if (/%(2f|5c|00)/i.test(name) || /^(%2e){1,2}$/i.test(name)) {
    return 'it encodes a path separator, NUL or a relative directory';
  }
  if (DEVICE_NAME.test(name)) return 'it is a device name on Windows';
  if (/[. ]$/.test(name)) return 'it ends with a dot or a space';
  if (new TextEncoder().encode(name).length > 255) return 'it is longer than 255 bytes';
  return null;
}

/**
 * The file name a record's file URI is saved under (its last segment), checked: a remote URI
 * (http, https, root) whose path has no `.`/`..` segment and whose name is one safe path
 * component; else E_FORMAT naming the record and the file.
 */
export function recordFileName(uri: string, recid: string): string {
  const where = `record ${recid}: file ${quote(uri)}`;
  if (!/^(https?|root):\/\/[^/?#\s]/i.test(uri)) {
    throw new OpenDataError('E_FORMAT', `${where}: not an http(s) or root:// URI; refused`);
  }
  // The name as fileName() takes it: the last segment before any query or fragment.
  const uriPath = uri.replace(/[?#].*$/, '').replace(/^[a-z]+:\/\/[^/]*/i, '');
  const segments = uriPath.split('/');
  if (segments.some(s => /^(\.|%2e){1,2}$/i.test(s))) {
    throw new OpenDataError('E_FORMAT', `${where}: its path has a "." or ".." segment; refused`);
  }
  const name = segments[segments.length - 1];
  const reason = unsafeFileNameReason(name);
  if (reason) {
    throw new OpenDataError('E_FORMAT', `${where}: cannot save it as ${quote(name)}: ${reason}`);
  }
  return name;
}

/** Text with C0/C1 control characters (terminal escapes among them) shown as `\u001b` etc.; newlines and tabs kept. */
export function withoutControls(text: string): string {
  return text.replace(CONTROLS, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
