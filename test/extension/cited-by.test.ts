// The record view's "Cited by" section (INSPIRE) and the on-tape marks of the row and the record
// view. INSPIRE answers come from the stand-in's fixture (test/fixtures/inspire) through the real
// client (core/inspire.ts) with a fetch that serves them; records are real (bundled shards and
// portal fixtures), marked on tape as the portal marks them.
import { readFileSync } from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { Sanitizer } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import {
  PortalCatalog,
  fetchCitingPapers,
  type CatalogRecord,
  type FetchLike
} from '@opendata-lab/kernel-helpers/core';
import { createRecordRow } from '../../extension/record-row';
import { RecordView } from '../../extension/record-view';
import { literatureAnswer, readInspireHits } from '../support/inspire-api';

const DOI = '10.7483/OPENDATA.CMS.JKB8.RR42'; // record 5500's
const hits = readInspireHits();
const citing = hits
  .filter(h => h.cites.includes(DOI))
  .sort((a, b) => b.created.localeCompare(a.created));
const trans = nullTranslator.load('opendata-lab');

function shardRecord(recid: number): CatalogRecord {
  const file = path.resolve(
    __dirname,
    '../../data/catalog/records',
    `${String(recid % 64).padStart(2, '0')}.json.gz`
  );
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'))[String(recid)];
}

/** A fetch answering INSPIRE's literature search as the stand-in does; records what it was asked. */
function inspireFetch(transform: (body: unknown) => unknown = b => b) {
  const asked: string[] = [];
  const fetch: FetchLike = async url => {
    asked.push(url);
    const params = new URL(url, 'http://localhost').searchParams;
    const body = transform(literatureAnswer(hits, params, 'https://inspirehep.net'));
    return { ok: true, status: 200, text: async () => JSON.stringify(body) };
  };
  return { fetch, asked };
}

function render(record: CatalogRecord, options: Partial<RecordView.IOptions> = {}): RecordView {
  const view = new RecordView({ sanitizer: new Sanitizer(), filesPageSize: 50, ...options });
  view.render(record, 'portal');
  document.body.appendChild(view.node);
  return view;
}

const citedBy = (view: RecordView) =>
  view.node.querySelector('section[aria-label="Cited by"]') as HTMLElement | null;
const flush = () => new Promise(resolve => setTimeout(resolve, 0));

afterEach(() => document.body.replaceChildren());

describe('Cited by', () => {
  test('with the snapshot source (no network promised), INSPIRE is asked only on request', async () => {
    const { fetch, asked } = inspireFetch();
    const view = render(shardRecord(5500), {
      citingPapers: doi => fetchCitingPapers(doi, { baseUrl: '/lab/opendata-lab/inspire', fetch }),
      askBeforeNetwork: () => true
    });
    const section = citedBy(view)!;
    await flush();
    expect(asked).toHaveLength(0);
    const button = section.querySelector<HTMLButtonElement>('button.odl-CitedBy-lookup')!;
    expect(button.textContent).toBe('Look up on INSPIRE');
    button.click();
    await flush();
    expect(asked).toHaveLength(1);
    expect(section.querySelector('button')).toBeNull();
    expect(section.querySelector('.odl-CitedBy-status')!.textContent).toBe(
      `${citing.length} papers on INSPIRE cite this dataset.`
    );
  });

  test('the count and the papers, each a link to its INSPIRE page, newest first', async () => {
    const { fetch, asked } = inspireFetch();
    const view = render(shardRecord(5500), {
      citingPapers: doi => fetchCitingPapers(doi, { baseUrl: '/lab/opendata-lab/inspire', fetch })
    });
    const section = citedBy(view)!;
    expect(section.textContent).toContain('Looking up');
    expect(section.querySelector('.odl-CitedBy')!.getAttribute('aria-busy')).toBe('true');
    await flush();
    expect(asked).toHaveLength(1);
    expect(asked[0].startsWith('/lab/opendata-lab/inspire/api/literature?')).toBe(true);
    expect(section.querySelector('.odl-CitedBy-status')!.textContent).toBe(
      `${citing.length} papers on INSPIRE cite this dataset.`
    );
    const links = [...section.querySelectorAll<HTMLAnchorElement>('a.odl-CitedBy-title')];
    expect(links.map(a => a.href)).toEqual(
      citing.map(h => `https://inspirehep.net/literature/${h.id}`)
    );
    expect(links.map(a => a.textContent)).toEqual(
      citing.map(h => (h.metadata as { titles: { title: string }[] }).titles[0].title)
    );
    for (const a of links) {
      expect(a.target).toBe('_blank');
      expect(a.rel).toBe('noopener noreferrer');
    }
    const details = [...section.querySelectorAll('.odl-CitedBy-details')].map(d => d.textContent);
    expect(details[0]).toBe(
      'Doe, Jane; Roe, Richard; Müller, Anna · Eur.Phys.J.C 84 (2024) 123 · arXiv:2309.01234'
    );
    expect(details[2]).toBe(
      'Lee, K. et al. · Phys.Rev.D 105 (2022) 032001-032015 · arXiv:2111.01234'
    );
    // Placed after the identifiers, the files still there.
    expect(view.node.querySelector('section[aria-label="Files"]')).not.toBeNull();
  });

  test('more papers than asked for: a link to all of them on INSPIRE', async () => {
    const { fetch } = inspireFetch();
    const view = render(shardRecord(5500), {
      citingPapers: doi => fetchCitingPapers(doi, { fetch, size: 1 })
    });
    await flush();
    const section = citedBy(view)!;
    expect(section.querySelectorAll('a.odl-CitedBy-title')).toHaveLength(1);
    const all = section.querySelector<HTMLAnchorElement>('.odl-CitedBy-all a')!;
    expect(all.textContent).toBe(`All ${citing.length} papers on INSPIRE`);
    expect(all.href).toBe(
      `https://inspirehep.net/literature?q=${encodeURIComponent(`references.reference.dois:"${DOI}"`)}`
    );
  });

  test('INSPIRE unreachable or the route failing: "Citations unavailable offline", the view intact', async () => {
    const failures: FetchLike[] = [
      async () => {
        throw new TypeError('Failed to fetch');
      },
      async () => ({
        ok: false,
        status: 502,
        text: async () => '{"error": "cannot reach INSPIRE at inspirehep.net"}'
      })
    ];
    for (const fetch of failures) {
      const view = render(shardRecord(5500), {
        citingPapers: doi => fetchCitingPapers(doi, { fetch })
      });
      await flush();
      const status = citedBy(view)!.querySelector('.odl-CitedBy-status')!;
      expect(status.textContent).toBe('Citations unavailable offline');
      expect(citedBy(view)!.querySelectorAll('a')).toHaveLength(0);
      expect(view.node.querySelector('.odl-RecordView-error')).toBeNull();
      expect(view.node.querySelector('section[aria-label="Files"]')).not.toBeNull();
      document.body.replaceChildren();
    }
  });

  test('no option, or a record without a DOI: no section and no request', async () => {
    expect(citedBy(render(shardRecord(5500)))).toBeNull();
    const { fetch, asked } = inspireFetch();
    const record = { ...shardRecord(5500), doi: 'not a doi' } as CatalogRecord;
    const view = render(record, { citingPapers: doi => fetchCitingPapers(doi, { fetch }) });
    await flush();
    expect(citedBy(view)).toBeNull();
    expect(asked).toEqual([]);
  });

  test('a hostile answer stays text: no element, no link but the INSPIRE page', async () => {
    const { fetch } = inspireFetch(() => ({
      hits: {
        total: 1,
        hits: [
          {
            metadata: {
              control_number: 7,
              titles: [
                { title: '<img src=x onerror="window.__pwned=1"><a href="javascript:x">t</a>' }
              ],
              authors: [{ full_name: '<script>window.__pwned=1</script>' }]
            },
            links: { json: 'javascript:alert(1)' }
          }
        ]
      }
    }));
    const view = render(shardRecord(5500), {
      citingPapers: doi => fetchCitingPapers(doi, { fetch })
    });
    await flush();
    const section = citedBy(view)!;
    expect(section.querySelectorAll('img, script')).toHaveLength(0);
    expect([...section.querySelectorAll('a')].map(a => a.getAttribute('href'))).toEqual([
      'https://inspirehep.net/literature/7'
    ]);
    expect(section.querySelector('a')!.textContent).toContain('<img src=x');
  });
});

describe('on tape', () => {
  const onTape = (availability: string) => {
    const r = JSON.parse(JSON.stringify(shardRecord(5200))) as CatalogRecord & {
      distribution: Record<string, unknown>;
    };
    r.distribution = { ...(r.distribution ?? {}), availability };
    return r;
  };

  test('the record view says so, with the portal page to request staging on', () => {
    for (const [availability, badge] of [
      ['ondemand', 'On tape'],
      ['partial', 'Partly on tape']
    ]) {
      const view = render(onTape(availability));
      const note = view.node.querySelector('.odl-RecordView-onTape')!;
      expect(note.querySelector('.odl-OnTapeBadge')!.textContent).toBe(badge);
      expect(note.textContent).toContain('must be staged before they can be downloaded');
      expect(note.querySelector('a')!.href).toBe('https://opendata.cern.ch/record/5200');
      document.body.replaceChildren();
    }
    for (const record of [onTape('online'), shardRecord(5200)]) {
      expect(render(record).node.querySelector('.odl-RecordView-onTape')).toBeNull();
    }
  });

  test('a portal search row says "On tape" in words', async () => {
    const answer = {
      hits: { hits: [{ metadata: onTape('ondemand') }, { metadata: shardRecord(5500) }], total: 2 },
      aggregations: {}
    };
    const portal = new PortalCatalog('https://opendata.cern.ch', {
      fetch: async () => ({ ok: true, status: 200, text: async () => JSON.stringify(answer) })
    });
    const { hits: summaries } = await portal.search('', { ondemand: true });
    expect(summaries.map(s => s.availability)).toEqual(['ondemand', undefined]);
    const [tape, plain] = summaries.map(s => createRecordRow(s, trans));
    const badge = tape.querySelector('.odl-OnTapeBadge')!;
    expect(badge.textContent).toBe('On tape');
    expect(badge.getAttribute('title')).toContain('staged');
    expect(plain.querySelector('.odl-OnTapeBadge')).toBeNull();
  });
});
