// Citations of a record: the portal's "Cite as" text, BibTeX, CSL-JSON and RIS. Every value comes
// from untrusted metadata: HTML is stripped, values are cut to sane lengths (a record with a 1 MB
// title and 50,000 authors froze the tab that rendered its citation), and each format escapes
// what it must. citationMarkdown makes a citation inert markdown for a notebook cell.
import { PORTAL_URL } from './portal-catalog';
import { texToText } from './tex-text';

/** The fields a citation reads: a full record, or a snapshot summary of a skeleton record. */
export interface CitableRecord {
  recid: string | number;
  title?: string;
  title_additional?: string;
  doi?: string;
  date_published?: string;
  publisher?: string;
  experiment?: string[];
  collaboration?: { name?: string };
  authors?: { name?: string }[];
}

export type CitationFormat = 'text' | 'bibtex' | 'csl-json' | 'ris';
export const CITATION_FORMATS: CitationFormat[] = ['text', 'bibtex', 'csl-json', 'ris'];

/** One CSL-JSON item (the fields we write; see the CSL-data schema). */
export interface CslItem {
  id: string;
  type: 'dataset';
  title: string;
  publisher: string;
  URL: string;
  DOI?: string;
  issued?: { 'date-parts': number[][] };
  author?: ({ literal: string } | { family: string; given: string })[];
}

/** What every format shares, cleaned once. */
interface Parts {
  recid: string;
  title: string;
  doi: string;
  year: number | null;
  date: string;
  publisher: string;
  url: string;
  persons: string[];
  /** The record names more authors than `persons` holds (cited as "et al."). */
  morePersons: boolean;
  collaboration: string;
  key: string;
}

/**
 * Authors a citation names before "et al." (BibTeX: "and others"), as APA lists up to 20 and
 * INSPIRE cuts collaboration papers; the record view shows them all. Real records reach 3,308.
 */
export const CITATION_MAX_AUTHORS = 20;
/** Characters of a title in a citation before it is cut with "…" (the longest real one: 179). */
export const CITATION_MAX_TITLE = 2000;
/** Characters of one name, a collaboration, publisher, DOI or date before "…". */
export const CITATION_MAX_NAME = 300;

/** `text` cut to `max` characters (code points kept whole) with "…" when longer. */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // not between the halves of a surrogate pair
  return text.slice(0, end).trimEnd() + '…';
}

// Tags that decoding revealed (`&lt;script&gt;` → `<script>`): a citation is text, never markup.
const TAG_LIKE = /<\/?[A-Za-z!?][^<>]*>/g;
// Style sheets and scripts, raw or entity-encoded: their content is not text of the record.
const CODE_ELEMENT = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
// C0/C1 controls and bidi overrides/isolates (they would reorder the text around them).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'"
};

/** An entity's character; `&…;` itself when it names none (or a code point that is none). */
function entity(whole: string, name: string): string {
  if (name[0] !== '#') return NAMED_ENTITIES[name] ?? whole;
  const code =
    name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
  const ok = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return ok ? String.fromCodePoint(code) : whole;
}

/**
 * A metadata value as plain text of at most `max` characters: tags and style/script elements
 * removed, entities decoded once, then tags that decoding revealed removed too; no controls.
 * Linear in the input (`<[^<>]*>`, not `<[^>]*>`, which is quadratic on a run of `<`).
 */
function clean(value: unknown, max: number): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '';
  // Only a bounded prefix is cleaned: tags shrink text, but not a thousandfold.
  const raw = String(value).slice(0, max * 4 + 1000);
  const text = raw
    .replace(CODE_ELEMENT, ' ')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&([a-z]+|#\d{1,7}|#x[0-9a-f]{1,6});/gi, entity)
    .replace(CODE_ELEMENT, ' ')
    .replace(TAG_LIKE, ' ')
    .replace(INVISIBLE, ' ');
  return cutText(text.replace(/\s+/g, ' ').trim(), max);
}

function parts(record: CitableRecord): Parts {
  const recid = clean(record.recid, 40);
  const date = clean(record.date_published, CITATION_MAX_NAME);
  const yearMatch = /^(\d{4})/.exec(date);
  const year = yearMatch ? Number(yearMatch[1]) : null;
  const experiment = Array.isArray(record.experiment) ? clean(record.experiment[0], 100) : '';
  const prefix = experiment.toLowerCase().replace(/[^a-z0-9]/g, '') || 'opendata';
  const authors = Array.isArray(record.authors) ? record.authors : [];
  const persons: string[] = [];
  // Only as many entries are read as can be cited (50,000 authors are not all cleaned).
  for (let i = 0; i < authors.length && persons.length <= CITATION_MAX_AUTHORS; i++) {
    const name = clean(authors[i]?.name, CITATION_MAX_NAME);
    if (name !== '') persons.push(name);
  }
  const more = persons.length > CITATION_MAX_AUTHORS;
  return {
    recid,
    title:
      clean(record.title_additional, CITATION_MAX_TITLE) ||
      clean(record.title, CITATION_MAX_TITLE) ||
      `Record ${recid}`,
    doi: clean(record.doi, CITATION_MAX_NAME),
    year,
    date,
    publisher: clean(record.publisher, CITATION_MAX_NAME) || 'CERN Open Data Portal',
    url: `${PORTAL_URL}/record/${encodeURIComponent(recid)}`,
    persons: more ? persons.slice(0, CITATION_MAX_AUTHORS) : persons,
    morePersons: more,
    collaboration: clean(record.collaboration?.name, CITATION_MAX_NAME),
    key: [prefix, year, recid.replace(/[^A-Za-z0-9]/g, '')].filter(p => p != null).join('_')
  };
}

/**
 * The portal's "Cite as" text: `Author; … Collaboration (date). Title. Publisher. DOI:doi`.
 * Without a DOI the record's URL takes its place; parts the record lacks are left out.
 */
export function citationText(record: CitableRecord): string {
  const p = parts(record);
  const who = [
    ...p.persons.map(n => `${n};`),
    p.morePersons ? 'et al.' : '',
    p.collaboration,
    p.date ? `(${p.date}).` : ''
  ]
    .filter(s => s !== '')
    .join(' ');
  const where = p.doi ? `DOI:${p.doi}` : p.url;
  // Plain text has no typesetter: TeX in a title is written as readable characters.
  return `${who ? who + ' ' : ''}${texToText(p.title)}. ${p.publisher}. ${where}`;
}

// LaTeX for characters BibTeX would misread; `{\x}` forms keep bibtex's case changes away.
const TEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '%': '\\%',
  '&': '\\&',
  _: '\\_',
  '#': '\\#',
  $: '\\$',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  // In LaTeX's default OT1 text encoding these print as ¡ ¿ and an em dash.
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}'
};
const TEX_LETTERS: Record<string, string> = {
  ß: '{\\ss}',
  æ: '{\\ae}',
  Æ: '{\\AE}',
  œ: '{\\oe}',
  Œ: '{\\OE}',
  ø: '{\\o}',
  Ø: '{\\O}',
  ł: '{\\l}',
  Ł: '{\\L}',
  ı: '{\\i}',
  α: '\\ensuremath{\\alpha}',
  β: '\\ensuremath{\\beta}',
  γ: '\\ensuremath{\\gamma}',
  δ: '\\ensuremath{\\delta}',
  η: '\\ensuremath{\\eta}',
  μ: '\\ensuremath{\\mu}',
  ν: '\\ensuremath{\\nu}',
  π: '\\ensuremath{\\pi}',
  τ: '\\ensuremath{\\tau}',
  φ: '\\ensuremath{\\phi}',
  ψ: '\\ensuremath{\\psi}',
  Υ: '\\ensuremath{\\Upsilon}',
  '±': '\\ensuremath{\\pm}',
  '→': '\\ensuremath{\\rightarrow}',
  '–': '--',
  '—': '---'
};
// Combining marks (after NFD) → the LaTeX accent command for them.
const TEX_ACCENTS: Record<string, string> = {
  '\u0300': '`',
  '\u0301': "'",
  '\u0302': '^',
  '\u0303': '~',
  '\u0304': '=',
  '\u0306': 'u',
  '\u0307': '.',
  '\u0308': '"',
  '\u030a': 'r',
  '\u030b': 'H',
  '\u030c': 'v',
  '\u0327': 'c',
  '\u0328': 'k'
};

/**
 * Text as BibTeX field content: specials escaped, accented Latin letters as `{\'e}`, a few Greek
 * letters and symbols as math; other non-ASCII stays UTF-8 (biber and LaTeX since 2018 read it).
 */
export function escapeBibTeX(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) {
      out += TEX_SPECIALS[ch] ?? (code < 0x20 || code === 0x7f ? ' ' : ch);
      continue;
    }
    const mapped = TEX_LETTERS[ch];
    if (mapped) {
      out += mapped;
      continue;
    }
    const [base, ...marks] = ch.normalize('NFD');
    const accent = marks.length === 1 ? TEX_ACCENTS[marks[0]] : undefined;
    if (accent && /^[A-Za-z]$/.test(base)) {
      // Dotless i/j under an accent, as LaTeX wants them.
      const letter = base === 'i' ? '\\i' : base === 'j' ? '\\j' : base;
      out += /^[A-Za-z]$/.test(accent) ? `{\\${accent}{${letter}}}` : `{\\${accent}${letter}}`;
    } else {
      out += ch;
    }
  }
  return out;
}

/** A URL or DOI for a verbatim field: only braces, backslashes and whitespace need encoding. */
function verbatim(value: string): string {
  return value.replace(
    /[{}\\\s%]/g,
    c => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')
  );
}

function bibtexName(name: string): string {
  const escaped = escapeBibTeX(name);
  // "and" inside a name would split it; a name without a comma is kept whole (corporate-like).
  return /\band\b/i.test(name) || !name.includes(',') ? `{${escaped}}` : escaped;
}

export interface BibTeXOptions {
  /** `misc` (default: classic bibtex and biblatex) or biblatex's `dataset`. */
  entryType?: 'misc' | 'dataset';
}

/** A BibTeX entry: key `<experiment>_<year>_<recid>`, collaboration braced as a corporate author. */
export function citationBibTeX(record: CitableRecord, options: BibTeXOptions = {}): string {
  const p = parts(record);
  const authors = [...p.persons.map(bibtexName)];
  if (p.collaboration) authors.push(`{${escapeBibTeX(p.collaboration)}}`);
  // BibTeX's own "et al.": styles print it so.
  if (p.morePersons) authors.push('others');
  const fields: [string, string][] = [];
  if (authors.length > 0) fields.push(['author', authors.join(' and ')]);
  fields.push(['title', `{${escapeBibTeX(p.title)}}`]);
  fields.push(['publisher', escapeBibTeX(p.publisher)]);
  if ((options.entryType ?? 'misc') === 'misc') {
    fields.push(['howpublished', escapeBibTeX(p.publisher)]);
  }
  if (p.year != null) fields.push(['year', String(p.year)]);
  if (p.doi) fields.push(['doi', verbatim(p.doi)]);
  fields.push(['url', verbatim(p.doi ? `https://doi.org/${p.doi}` : p.url)]);
  fields.push(['note', `CERN Open Data Portal record ${escapeBibTeX(p.recid)}`]);
  const body = fields.map(([name, value]) => `  ${name} = {${value}}`).join(',\n');
  return `@${options.entryType ?? 'misc'}{${p.key},\n${body}\n}\n`;
}

/** A CSL-JSON item of type `dataset`. */
export function citationCsl(record: CitableRecord): CslItem {
  const p = parts(record);
  const item: CslItem = {
    id: p.key,
    type: 'dataset',
    title: p.title,
    publisher: p.publisher,
    URL: p.doi ? `https://doi.org/${p.doi}` : p.url
  };
  if (p.doi) item.DOI = p.doi;
  if (p.year != null) item.issued = { 'date-parts': [[p.year]] };
  const authors: CslItem['author'] = p.persons.map(name => {
    const comma = name.indexOf(',');
    if (comma < 0) return { literal: name };
    return { family: name.slice(0, comma).trim(), given: name.slice(comma + 1).trim() };
  });
  if (p.collaboration) authors.push({ literal: p.collaboration });
  if (authors.length > 0) item.author = authors;
  return item;
}

/** A RIS record (`TY  - DATA` … `ER  - `), one tag a line. */
export function citationRis(record: CitableRecord): string {
  const p = parts(record);
  const lines: [string, string][] = [['TY', 'DATA']];
  for (const name of p.persons) lines.push(['AU', name]);
  if (p.collaboration) lines.push(['AU', p.collaboration]);
  lines.push(['TI', p.title]);
  if (p.year != null) lines.push(['PY', String(p.year)]);
  lines.push(['PB', p.publisher]);
  if (p.doi) lines.push(['DO', p.doi]);
  lines.push(['UR', p.doi ? `https://doi.org/${p.doi}` : p.url]);
  lines.push(['ID', p.key]);
  lines.push(['ER', '']);
  // clean() collapsed newlines: a value cannot start a tag line of its own.
  return lines.map(([tag, value]) => `${tag}  - ${value}`).join('\n') + '\n';
}

/** The citation in `format`; CSL-JSON as a JSON array of one item (the CSL-data shape). */
export function formatCitation(record: CitableRecord, format: CitationFormat): string {
  switch (format) {
    case 'text':
      return citationText(record) + '\n';
    case 'bibtex':
      return citationBibTeX(record);
    case 'csl-json':
      return JSON.stringify([citationCsl(record)], null, 2) + '\n';
    case 'ris':
      return citationRis(record);
  }
}

/** One bibliography of several records: entries one after another; CSL-JSON as one array. */
export function bibliography(records: CitableRecord[], format: CitationFormat): string {
  if (format === 'csl-json') {
    return JSON.stringify(records.map(citationCsl), null, 2) + '\n';
  }
  return records.map(r => formatCitation(r, format)).join(format === 'text' ? '' : '\n');
}

/**
 * Plain text as markdown that shows that text in every renderer (JupyterLab, nbconvert's
 * mistune, GitHub): markdown punctuation backslash-escaped, `<`, `>` and `&` as entities (no HTML,
 * no autolink), `$` escaped so no math is typeset, a list or heading marker at the start escaped.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]{}|~$]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/^(\s*)(?:([#+=-])|(\d+)([.)]))/, (_, space, marker, digits, dot) =>
      marker ? `${space}\\${marker}` : `${space}${digits}\\${dot}`
    );
}

/**
 * A citation (as `bibliography` writes it) as the source of a markdown cell: the text format as
 * escaped paragraphs (no HTML from the record, no links but GFM's autolinks of http(s) URLs in
 * the text, no math), the others in a fenced
 * code block that no value can close (the fence is longer than any backtick run inside).
 */
export function citationMarkdown(citation: string, format: CitationFormat): string {
  if (format === 'text') {
    return citation
      .trim()
      .split('\n')
      .map(line => line.trim())
      .filter(line => line !== '')
      .map(line =>
        // MathJax scans the rendered text, where an escaped `\$` is a `$` again: a line with `$`
        // or `\(` is marked as no math (MathJax 2's class for nbconvert, MathJax 3's for Lab).
        /[$\\]/.test(line)
          ? `<span class="tex2jax_ignore mathjax_ignore">${escapeMarkdown(line)}</span>`
          : escapeMarkdown(line)
      )
      .join('\n\n');
  }
  // No info string for RIS: nbconvert prints an info string it has no highlighter for as text.
  const language = format === 'csl-json' ? 'json' : format === 'ris' ? '' : format;
  const longest = Math.max(2, ...(citation.match(/`+/g) ?? []).map(run => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${citation.trimEnd()}\n${fence}`;
}
