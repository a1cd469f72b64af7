// Citations from the real records: recid 5500's text as the portal shows it, and every record of
// the snapshot that has a DOI as BibTeX (parsed by a real BibTeX parser, each value read back),
// CSL-JSON (validated against the official CSL-data schema) and RIS.
import Ajv from 'ajv';
import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';
import {
  bibliography,
  CitableRecord,
  CITATION_FORMATS,
  CITATION_MAX_AUTHORS,
  CITATION_MAX_TITLE,
  citationBibTeX,
  citationCsl,
  citationMarkdown,
  citationRis,
  citationText,
  escapeMarkdown,
  formatCitation
} from '../../kernel-helpers/src/core/citation';
import { readFixtures } from '../support/portal-api';
import { REPO_ROOT } from '../support/shared-data';

const catalogDir = path.join(REPO_ROOT, 'data', 'catalog');
const gunzipJson = (file: string) =>
  JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));

/** Every record of the bundled snapshot with a DOI: full ones from the shards, skeletons from the index. */
function recordsWithDoi(): CitableRecord[] {
  const index = gunzipJson(path.join(catalogDir, 'index.json.gz'));
  const c = index.columns;
  const out: CitableRecord[] = [];
  const full = new Map<string, CitableRecord>();
  for (const name of fs.readdirSync(path.join(catalogDir, 'records'))) {
    for (const [recid, r] of Object.entries(gunzipJson(path.join(catalogDir, 'records', name)))) {
      full.set(recid, r as CitableRecord);
    }
  }
  for (let i = 0; i < c.recid.length; i++) {
    if (!c.doi[i]) continue;
    out.push(full.get(c.recid[i]) ?? { recid: c.recid[i], title: c.title[i], doi: c.doi[i] });
  }
  return out;
}

/** Parses BibTeX with @retorquere/bibtex-parser in a child process (see bibtex-parse.mjs). */
function parseBibTeX(input: string): Promise<{
  errors: unknown[];
  entries: { type: string; key: string; fields: Record<string, unknown> }[];
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(__dirname, '..', 'support', 'bibtex-parse.mjs')],
      {
        cwd: REPO_ROOT
      }
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('close', code =>
      code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(stderr))
    );
    child.stdin.end(input);
  });
}

const collapse = (s: string | undefined) =>
  String(s ?? '')
    .replace(/\s+/g, ' ')
    .trim();
/** Greek letters we write as math (\ensuremath{\mu}) read back as math letters (𝜇): compare NFKC. */
const nfkc = (s: unknown) => String(s).normalize('NFKC');

describe('recid 5500 (read from the real fixture)', () => {
  const r5500 = readFixtures().find(r => r.recid === '5500') as unknown as Required<CitableRecord>;

  test("the portal's Cite-as text: authors, (date). title. CERN Open Data Portal. DOI:doi", () => {
    expect(r5500.doi).toMatch(/^10\.7483\/OPENDATA\.CMS\./);
    expect(r5500.collaboration).toBeUndefined();
    const authors = r5500.authors.map(a => `${a.name};`).join(' ');
    expect(citationText(r5500)).toBe(
      `${authors} (${r5500.date_published}). ${r5500.title}. CERN Open Data Portal. DOI:${r5500.doi}`
    );
  });

  test('BibTeX, CSL-JSON and RIS carry the same DOI, title, year and authors', async () => {
    const bib = citationBibTeX(r5500);
    const { errors, entries } = await parseBibTeX(bib);
    expect(errors).toEqual([]);
    expect(entries).toHaveLength(1);
    const e = entries[0];
    expect(e.type).toBe('misc');
    expect(e.key).toBe(`cms_${r5500.date_published}_5500`);
    expect(e.fields.doi).toBe(r5500.doi);
    expect(e.fields.title).toBe(r5500.title);
    expect(e.fields.year).toBe(r5500.date_published);
    expect(e.fields.author).toEqual(
      r5500.authors.map(a => {
        const [last, first] = a.name!.split(', ');
        return { lastName: last, firstName: first };
      })
    );
    const csl = citationCsl(r5500);
    expect(csl).toMatchObject({
      type: 'dataset',
      DOI: r5500.doi,
      title: r5500.title,
      issued: { 'date-parts': [[Number(r5500.date_published)]] }
    });
    expect(csl.author?.[0]).toEqual({ family: 'Jomhari', given: 'Nur Zulaiha' });
    const ris = citationRis(r5500).split('\n');
    expect(ris[0]).toBe('TY  - DATA');
    expect(ris).toContain(`DO  - ${r5500.doi}`);
    expect(ris.filter(l => l.startsWith('AU  - '))).toHaveLength(r5500.authors.length);
  });
});

test('a record without a DOI still gets a citation, with its record URL', async () => {
  const noDoi = readFixtures().find(r => !r.doi && r.collaboration) as unknown as CitableRecord;
  const url = `https://opendata.cern.ch/record/${noDoi.recid}`;
  expect(citationText(noDoi)).toMatch(new RegExp(`\\. ${url.replace(/[./]/g, '\\$&')}$`));
  expect(citationText(noDoi)).toContain(noDoi.collaboration!.name!);
  expect(citationCsl(noDoi).URL).toBe(url);
  expect(citationRis(noDoi)).toContain(`UR  - ${url}`);
  const { errors, entries } = await parseBibTeX(citationBibTeX(noDoi));
  expect(errors).toEqual([]);
  expect(entries[0].fields.url).toBe(url);
  expect(entries[0].fields.doi).toBeUndefined();
});

test('hostile metadata: HTML stripped, every BibTeX special escaped and read back intact', async () => {
  const record: CitableRecord = {
    recid: '999999',
    title: '<b>50%</b> of {x} & y_1 #2 $\\alpha$ ~ ^ \\textbf{z} Müller ß Ørsted τ→μν "q"',
    date_published: '2020',
    experiment: ['CMS'],
    authors: [{ name: 'Smith and Jones, A.' }, { name: 'Łukasz, Żaneta' }, { name: 'Plain Name' }],
    collaboration: { name: 'R&D {Team}' },
    doi: '10.7483/OPENDATA.TEST.AB_C.1%2'
  };
  const title = '50% of {x} & y_1 #2 $\\alpha$ ~ ^ \\textbf{z} Müller ß Ørsted τ→μν "q"';
  const { errors, entries } = await parseBibTeX(citationBibTeX(record));
  expect(errors).toEqual([]);
  // \ensuremath{\mu} reads back as the math letter 𝜇: compatibility-equal to μ.
  expect(nfkc(entries[0].fields.title)).toBe(nfkc(title));
  // Accents read back decomposed ({\\.Z} → Z + U+0307): compare normalised.
  expect(JSON.parse(nfkc(JSON.stringify(entries[0].fields.author)))).toEqual([
    { name: 'Smith and Jones, A.' },
    { lastName: 'Łukasz', firstName: 'Żaneta' },
    { name: 'Plain Name' },
    { name: 'R&D {Team}' }
  ]);
  expect(entries[0].fields.doi).toBe('10.7483/OPENDATA.TEST.AB_C.1%252');
  // Plain text has no typesetter: the title's TeX is written as readable characters.
  expect(citationText(record)).toContain(
    `(2020). ${title.replace('$\\alpha$', 'α')}. CERN Open Data Portal.`
  );
  expect(
    citationRis(record)
      .split('\n')
      .filter(l => l !== '')
      .every(l => /^[A-Z][A-Z0-9] {2}- /.test(l))
  ).toBe(true);
  // The parser is strict: the same entry with one brace removed is reported, so a pass means something.
  const broken = citationBibTeX(record).replace('\\{x\\}', '{x');
  expect((await parseBibTeX(broken)).errors.length).toBeGreaterThan(0);
});

describe('every record with a DOI in the snapshot', () => {
  const records = recordsWithDoi();

  test('BibTeX: every entry parses with @retorquere/bibtex-parser; keys unique; title, DOI, year read back', async () => {
    expect(records.length).toBeGreaterThan(41_000);
    const text = records.map(r => citationBibTeX(r)).join('\n');
    const { errors, entries } = await parseBibTeX(text);
    expect(errors).toEqual([]);
    expect(entries).toHaveLength(records.length);
    expect(new Set(entries.map(e => e.key)).size).toBe(records.length);
    entries.forEach((e, i) => {
      const r = records[i];
      expect(e.key).toMatch(/^[a-z0-9]+_(\d{4}_)?\d+$/);
      expect(e.fields.doi).toBe(collapse(r.doi));
      expect(nfkc(e.fields.title)).toBe(nfkc(collapse(r.title_additional) || collapse(r.title)));
      expect(e.fields.year).toBe(/^\d{4}/.exec(r.date_published ?? '')?.[0]);
      const people = (r.authors ?? []).length + (r.collaboration?.name ? 1 : 0);
      expect(((e.fields.author as unknown[]) ?? []).length).toBe(people);
    });
    // Report how many entries were checked.
    console.log(`BibTeX: ${entries.length} entries parsed without error`);
  }, 180_000);

  test('CSL-JSON: every item validates against the CSL-data schema', () => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'csl', 'csl-data.json'), 'utf8')
    );
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const items = records.map(r => citationCsl(r));
    const valid = validate(items);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(items.every(i => i.type === 'dataset' && i.DOI)).toBe(true);
    // The schema is not vacuous: an item with an unknown field or a bad type fails.
    expect(validate([{ ...items[0], bogus: 1 }])).toBe(false);
    expect(validate([{ ...items[0], type: 'data-set' }])).toBe(false);
    // formatCitation's csl-json output is the same array shape.
    expect(JSON.parse(formatCitation(records[0], 'csl-json'))).toEqual([items[0]]);
    console.log(`CSL-JSON: ${items.length} items valid`);
  });
});

// Issue 18: a portal answer (or anything posing as one) controls every value of a record.
describe('hostile records', () => {
  const r5500 = readFixtures().find(r => r.recid === '5500') as unknown as Required<CitableRecord>;
  const PAYLOADS = [
    '<a href="javascript:alert(1)">click me</a>',
    '<style>body { display: none }</style>',
    '<img src=https://evil.example/x.png>',
    '[x](javascript:alert(2))',
    '&lt;script&gt;alert(4)&lt;/script&gt;',
    '&lt;a href="javascript:alert(5)"&gt;entity link&lt;/a&gt;',
    '```\n````',
    'bidi \u202e reversed \u0000 nul',
    '$\\href{javascript:alert(7)}{math}$'
  ].join(' ');
  const hostile: CitableRecord = {
    ...r5500,
    title: `Dimuon ${PAYLOADS}`,
    authors: [{ name: `Smith, Ann ${PAYLOADS}` }, ...r5500.authors],
    collaboration: { name: `CMS ${PAYLOADS}` }
  };

  test('citationText is plain text: no tags (also none decoded from entities), no style or script body, no controls', () => {
    const text = citationText(hostile);
    expect(text).not.toMatch(/<[A-Za-z/!?][^<>]*>/);
    expect(text).not.toMatch(/&(lt|gt|amp);/);
    expect(text).not.toContain('display: none');
    expect(text).not.toContain('alert(4)');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u001f\u202a-\u202e]/);
    // The words around the markup stay, in order.
    expect(text).toContain('Dimuon click me [x](javascript:alert(2)) entity link');
    expect(text.startsWith('Smith, Ann click me')).toBe(true);
    expect(text.endsWith(`CERN Open Data Portal. DOI:${r5500.doi}`)).toBe(true);
  });

  test('a 1 MB title and 50,000 authors (from record 5500) cite in every format in < 1 s, cut to sane lengths', async () => {
    const title = (r5500.title + ' ').repeat(Math.ceil(1_000_000 / (r5500.title.length + 1)));
    const authors = Array.from(
      { length: 50_000 },
      (_, i) => r5500.authors[i % r5500.authors.length]
    );
    const huge: CitableRecord = { ...r5500, title, authors };
    expect(title.length).toBeGreaterThanOrEqual(1_000_000);
    const started = performance.now();
    const out = Object.fromEntries(
      CITATION_FORMATS.map(f => [f, citationMarkdown(bibliography([huge], f), f)])
    );
    const elapsed = performance.now() - started;
    console.log(`cited a 1 MB title and 50,000 authors in 4 formats in ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(1000);
    for (const f of CITATION_FORMATS) expect(out[f].length).toBeLessThan(20_000);
    // Text: the first CITATION_MAX_AUTHORS names, then "et al."; the title cut with "…".
    const text = citationText(huge);
    const names = authors.slice(0, CITATION_MAX_AUTHORS).map(a => `${a.name};`);
    expect(text.startsWith(`${names.join(' ')} et al. (${r5500.date_published}). `)).toBe(true);
    const citedTitle = citationCsl(huge).title;
    expect(citedTitle.length).toBe(CITATION_MAX_TITLE);
    expect(citedTitle.endsWith('…')).toBe(true);
    expect(title.startsWith(citedTitle.slice(0, -1).trimEnd())).toBe(true);
    // BibTeX: the same names and BibTeX's own "and others", read back by a real parser.
    const { errors, entries } = await parseBibTeX(citationBibTeX(huge));
    expect(errors).toEqual([]);
    const read = entries[0].fields.author as { lastName?: string; name?: string }[];
    expect(read).toHaveLength(CITATION_MAX_AUTHORS + 1);
    expect(read[0].lastName).toBe(r5500.authors[0].name!.split(', ')[0]);
    expect(read.at(-1)).toEqual({ lastName: 'others' }); // what bibtex's styles print as et al.
    expect(citationCsl(huge).author).toHaveLength(CITATION_MAX_AUTHORS);
    expect(citationRis(huge).match(/^AU {2}- /gm)).toHaveLength(CITATION_MAX_AUTHORS);
  });

  test('markdown: the text is escaped (no tag, link or list from the record); a fence cannot be closed by a value', () => {
    const md = citationMarkdown(bibliography([hostile], 'text'), 'text');
    expect(md).not.toMatch(/<(?!\/?span\b)[A-Za-z/!?]/); // only our own no-math span
    expect(md).not.toMatch(/(^|[^\\])\[[^\]]*(^|[^\\])\]\(/); // no unescaped [..](
    expect(md).toContain('\\[x\\](javascript:alert(2))');
    expect(md.startsWith('<span class="tex2jax_ignore mathjax_ignore">Smith, Ann')).toBe(true);
    expect(escapeMarkdown('# one')).toBe('\\# one');
    expect(escapeMarkdown('1. one')).toBe('1\\. one');
    expect(escapeMarkdown('- a <b> & `c` *d* _e_ $f$ |g| ~h~ \\i')).toBe(
      '\\- a &lt;b&gt; &amp; \\`c\\` \\*d\\* \\_e\\_ \\$f\\$ \\|g\\| \\~h\\~ \\\\i'
    );
    for (const format of ['bibtex', 'csl-json', 'ris'] as const) {
      const block = citationMarkdown(bibliography([hostile], format), format);
      const fence = /^`+/.exec(block)![0];
      const lines = block.split('\n');
      // The opening and the last line are the only lines that start with a fence this long.
      expect(lines.filter(l => l.startsWith(fence))).toHaveLength(2);
      expect(lines.at(-1)).toBe(fence);
    }
  });
});
