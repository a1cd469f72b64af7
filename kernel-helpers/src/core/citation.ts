// Citations of a record: the portal's "Cite as" text, BibTeX, CSL-JSON and RIS. Every value comes
// from untrusted metadata: HTML is stripped, and each format escapes what it must.
import { plainText } from './catalog-build';
import { PORTAL_URL } from './portal-catalog';

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
  collaboration: string;
  key: string;
}

function parts(record: CitableRecord): Parts {
  const recid = String(record.recid);
  const date = plainText(record.date_published);
  const yearMatch = /^(\d{4})/.exec(date);
  const year = yearMatch ? Number(yearMatch[1]) : null;
  const experiment = (record.experiment ?? [])[0] ?? '';
  const prefix = experiment.toLowerCase().replace(/[^a-z0-9]/g, '') || 'opendata';
  return {
    recid,
    title: plainText(record.title_additional) || plainText(record.title) || `Record ${recid}`,
    doi: plainText(record.doi),
    year,
    date,
    publisher: plainText(record.publisher) || 'CERN Open Data Portal',
    url: `${PORTAL_URL}/record/${encodeURIComponent(recid)}`,
    persons: (record.authors ?? []).map(a => plainText(a?.name)).filter(n => n !== ''),
    collaboration: plainText(record.collaboration?.name),
    key: [prefix, year, recid.replace(/[^A-Za-z0-9]/g, '')].filter(p => p != null).join('_')
  };
}

/**
 * The portal's "Cite as" text: `Author; … Collaboration (date). Title. Publisher. DOI:doi`.
 * Without a DOI the record's URL takes its place; parts the record lacks are left out.
 */
export function citationText(record: CitableRecord): string {
  const p = parts(record);
  const who = [...p.persons.map(n => `${n};`), p.collaboration, p.date ? `(${p.date}).` : '']
    .filter(s => s !== '')
    .join(' ');
  const where = p.doi ? `DOI:${p.doi}` : p.url;
  return `${who ? who + ' ' : ''}${p.title}. ${p.publisher}. ${where}`;
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
  // plainText already collapsed newlines: a value cannot start a tag line of its own.
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
