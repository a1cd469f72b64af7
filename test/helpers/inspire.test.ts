// The papers citing a dataset, from INSPIRE's literature API: the helper (citingPapers) against a
// stand-in serving real-shaped answers (test/fixtures/inspire), over http and https, and the
// `opendata citations` command as a user runs it. Expected values come from the fixture file.
import { execFile } from 'node:child_process';
import path from 'node:path';
import {
  OpenDataError,
  citingPapers,
  citingPapersFrom,
  citingPapersUrl
} from '../../kernel-helpers/src';
import { addInspireApi, readInspireHits } from '../support/inspire-api';
import { PortalServer } from '../support/portal-server';
import { PROTOCOLS, trustTestCA } from '../support/tls';

const DOI = '10.7483/OPENDATA.CMS.JKB8.RR42'; // record 5500's
const FIELDS = 'titles,control_number,authors.full_name,publication_info,arxiv_eprints';
const hits = readInspireHits();
const citing = hits
  .filter(h => h.cites.includes(DOI))
  .sort((a, b) => b.created.localeCompare(a.created));

trustTestCA();

async function failure(p: Promise<unknown>): Promise<OpenDataError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OpenDataError);
    return err as OpenDataError;
  }
  throw new Error('expected an OpenDataError');
}

describe.each(PROTOCOLS)('citingPapers over %s', protocol => {
  let server: PortalServer;
  beforeAll(async () => {
    server = addInspireApi(await PortalServer.start(protocol));
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.clearFaults();
    server.requests.length = 0;
  });

  test('the papers citing a DOI, most recent first, as INSPIRE lists them', async () => {
    const found = await citingPapers(DOI, { baseUrl: server.url });
    expect(found.doi).toBe(DOI);
    expect(found.total).toBe(citing.length);
    expect(found.papers.map(p => p.inspireId)).toEqual(citing.map(h => Number(h.id)));
    const first = citing[0].metadata as {
      titles: { title: string }[];
      authors: { full_name: string }[];
      arxiv_eprints: { value: string }[];
    };
    expect(found.papers[0]).toEqual({
      inspireId: Number(citing[0].id),
      title: first.titles[0].title,
      authors: first.authors.map(a => a.full_name),
      authorCount: first.authors.length,
      journal: 'Eur.Phys.J.C 84 (2024) 123',
      year: 2024,
      arxiv: first.arxiv_eprints[0].value,
      url: `https://inspirehep.net/literature/${citing[0].id}`
    });
    // A preprint: no journal, no year.
    expect(found.papers[1]).toMatchObject({ journal: null, year: null, arxiv: '2303.00456' });
    // Twelve authors: the first ten kept, all counted; pages as a range.
    expect(found.papers[2].authors).toHaveLength(10);
    expect(found.papers[2].authorCount).toBe(12);
    expect(found.papers[2].journal).toBe('Phys.Rev.D 105 (2022) 032001-032015');
    expect(found.searchUrl).toBe(
      `https://inspirehep.net/literature?q=${encodeURIComponent(`references.reference.dois:"${DOI}"`)}`
    );
    // One request, of exactly the documented form.
    expect(server.requests).toHaveLength(1);
    const asked = new URL(server.requests[0].url, 'http://x');
    expect(asked.pathname).toBe('/api/literature');
    expect([...asked.searchParams]).toEqual([
      ['q', `references.reference.dois:"${DOI}"`],
      ['size', '25'],
      ['sort', 'mostrecent'],
      ['fields', FIELDS]
    ]);
  });

  test('a record number is looked up for its DOI; size limits the list, not the count', async () => {
    const found = await citingPapers(5500, { baseUrl: server.url, size: 1 });
    expect(found.doi).toBe(DOI);
    expect(found.total).toBe(citing.length);
    expect(found.papers.map(p => p.inspireId)).toEqual([Number(citing[0].id)]);
    const other = await citingPapers(`https://doi.org/${DOI.toLowerCase()}`, {
      baseUrl: server.url
    });
    expect(other.total).toBe(citing.length); // INSPIRE's DOI search ignores case, as the stand-in
  });

  test('an unknown DOI: none', async () => {
    const found = await citingPapers('10.7483/OPENDATA.CMS.NONE.0000', { baseUrl: server.url });
    expect(found).toMatchObject({ total: 0, papers: [] });
  });

  test('errors: INSPIRE failing, HTML, or not a literature answer', async () => {
    server.fault(/literature/, { kind: 'status', status: 502 });
    let e = await failure(citingPapers(DOI, { baseUrl: server.url }));
    expect(e.code).toBe('E_NETWORK');
    expect(e.message).toMatch(/HTTP 502/);
    server.fault(/literature/, { kind: 'html-error' });
    e = await failure(citingPapers(DOI, { baseUrl: server.url }));
    expect(e.code).toBe('E_FORMAT');
    server.fault(/literature/, { kind: 'answer', body: '{"hits": {"hits": "no"}}' });
    e = await failure(citingPapers(DOI, { baseUrl: server.url }));
    expect(e.code).toBe('E_FORMAT');
    expect(e.message).toContain('/api/literature');
  });
});

test('bad DOIs and sizes are usage errors, before any request', async () => {
  const fetch = jest.fn();
  for (const doi of [
    'OPENDATA.CMS.JKB8.RR42',
    '10.7483/has space',
    '10.7483/quote"OR"x',
    '10.7483/back\\slash',
    '10.7483/ü',
    `10.7483/${'x'.repeat(300)}`,
    '99999999999999999999'
  ]) {
    const e = await failure(citingPapers(doi, { fetch }));
    expect({ doi, code: e.code }).toEqual({
      doi,
      code: /^\d+$/.test(doi) ? 'E_NOT_FOUND' : 'E_USAGE'
    });
  }
  for (const size of [0, 101, 1.5]) {
    expect(() => citingPapersUrl(DOI, 'https://inspirehep.net', size)).toThrow(/size/);
  }
  expect(fetch).not.toHaveBeenCalled();
});

test('INSPIRE unreachable: E_NETWORK naming the URL', async () => {
  const server = await PortalServer.start('http');
  const url = server.url;
  await server.close();
  const e = await failure(citingPapers(DOI, { baseUrl: url }));
  expect(e.code).toBe('E_NETWORK');
  expect(e.message).toContain(`${url}/api/literature`);
});

test('answer values are untrusted: plain one-line text, cut; links built from the number only', () => {
  const metadata = {
    control_number: 42,
    titles: [{ title: `<b>x</b>\u001b[31m\n${'t'.repeat(5000)}` }],
    authors: Array.from({ length: 50_000 }, (_, i) => ({ full_name: `A${i}` })),
    publication_info: [{ journal_title: 'J', year: 'soon' }]
  };
  const answer = {
    hits: {
      total: 3,
      hits: [
        { metadata, links: { json: 'javascript:alert(1)' } },
        { metadata: { control_number: 'javascript:alert(1)', titles: [{ title: 'no number' }] } },
        null
      ]
    }
  };
  const found = citingPapersFrom(answer, DOI);
  expect(found.papers).toHaveLength(1);
  const [p] = found.papers;
  expect(p.url).toBe('https://inspirehep.net/literature/42');
  // eslint-disable-next-line no-control-regex
  expect(p.title).not.toMatch(/[\u0000-\u001f]/);
  expect(p.title.length).toBeLessThanOrEqual(2000);
  expect(p.authors).toHaveLength(10);
  expect(p.authorCount).toBe(50_000);
  expect(p.year).toBeNull();
});

describe('opendata citations', () => {
  let server: PortalServer;
  beforeAll(async () => {
    server = addInspireApi(await PortalServer.start('http'));
  });
  afterAll(() => server.close());

  const root = path.join(__dirname, '..', '..');
  const launcher = path.join(root, 'kernel-helpers', 'bin', 'opendata.js');
  function opendata(
    env: Record<string, string>,
    ...args: string[]
  ): Promise<{ status: number; stdout: string; stderr: string }> {
    return new Promise(resolve => {
      execFile(
        process.execPath,
        [launcher, ...args],
        { cwd: root, env: { ...process.env, ...env } },
        (err, stdout, stderr) => {
          const status = err ? ((err as { code?: number }).code ?? 1) : 0;
          resolve({ status, stdout, stderr });
        }
      );
    });
  }

  test('--json by RECID (INSPIRE from the environment) and by DOI (--inspire)', async () => {
    const byRecid = await opendata(
      { OPENDATA_LAB_INSPIRE_URL: server.url },
      'citations',
      '5500',
      '--json'
    );
    expect(byRecid.stderr).toBe('');
    expect(byRecid.status).toBe(0);
    const json = JSON.parse(byRecid.stdout);
    expect(json.doi).toBe(DOI);
    expect(json.total).toBe(citing.length);
    expect(json.papers.map((p: { url: string }) => p.url)).toEqual(
      citing.map(h => `https://inspirehep.net/literature/${h.id}`)
    );
    const byDoi = await opendata({}, 'citations', DOI, '--inspire', server.url, '--json');
    expect(JSON.parse(byDoi.stdout)).toEqual(json);
  });

  test('text: the count, each paper with its link, and the rest on INSPIRE', async () => {
    const r = await opendata({}, 'citations', DOI, '--inspire', server.url, '--size', '2');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${citing.length} papers on INSPIRE cite ${DOI}`);
    expect(r.stdout).toContain(`https://inspirehep.net/literature/${citing[0].id}`);
    expect(r.stdout).toContain('Doe, Jane et al. · Eur.Phys.J.C 84 (2024) 123, arXiv:2309.01234');
    expect(r.stdout).not.toContain(`/literature/${citing[2].id}`);
    expect(lines).toContain(
      `1 more: https://inspirehep.net/literature?q=${encodeURIComponent(`references.reference.dois:"${DOI}"`)}`
    );
  });

  test('bad DOI exits 2, INSPIRE unreachable exits 1, one line each', async () => {
    const bad = await opendata({}, 'citations', 'not-a-doi', '--inspire', server.url);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const big = await opendata({}, 'citations', DOI, '--inspire', server.url, '--size', '101');
    expect(big.status).toBe(2);
    const down = await opendata({}, 'citations', DOI, '--inspire', 'http://127.0.0.1:9');
    expect(down.status).toBe(1);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).toContain('http://127.0.0.1:9/api/literature');
  });
});
