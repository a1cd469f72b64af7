// The catalog search engine and the local sources, checked against brute-force counts this test
// computes itself from the real portal fixtures in ../shared/data/records.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CatalogIndex,
  CatalogSearch,
  CatalogSource,
  IndexedCatalog,
  OpenDataError,
  catalog,
  fixtureCatalog,
  openCatalogDir
} from '../../kernel-helpers/src';

const RECORDS = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'records');
const FIXTURES = path.join(RECORDS, 'fixtures');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw portal JSON, read field by field
type Rec = { recid: string; title: string; [k: string]: any };
const records: Rec[] = fs
  .readdirSync(FIXTURES)
  .filter(f => f.endsWith('.json'))
  .flatMap(f => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')));

// Independent facet values of a raw record (the portal's fields, docs/portal.md).
const facetValues: Record<string, (r: Rec) => string[]> = {
  experiment: r => r.experiment ?? [],
  type: r => {
    const p = r.type?.primary;
    const s: string[] = r.type?.secondary ?? [];
    return p ? [p, ...s.map(x => `${p}::${x}`)] : [];
  },
  year: r => {
    const ys = new Set<string>();
    for (const d of r.date_created ?? []) {
      const m = String(d).match(/\d{4}/g) ?? [];
      if (m.length === 2) for (let y = +m[0]; y <= +m[1]; y++) ys.add(String(y));
      else m.forEach(y => ys.add(y));
    }
    return [...ys];
  },
  collision_energy: r => (r.collision_information?.energy ? [r.collision_information.energy] : []),
  file_type: r => r.distribution?.formats ?? []
};

function bruteCounts(
  facet: string,
  pass: (r: Rec, except: string) => boolean
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    if (!pass(r, facet)) continue;
    for (const v of new Set(facetValues[facet](r))) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

const asMap = (buckets: { key: string; count: number }[] | undefined) =>
  new Map((buckets ?? []).map(b => [b.key, b.count]));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OpenDataError);
    return (err as OpenDataError).code;
  }
  throw new Error('expected an OpenDataError');
}

const baseName = (uri: string) => uri.slice(uri.lastIndexOf('/') + 1);

// Words of a record's searchable text, split and stripped independently of the helpers: its
// fields, its file names, and hyphenated short-word compounds of title and abstract ("di-muon"
// is also "dimuon").
function words(r: Rec): Set<string> {
  const abstract = String(r.abstract?.description ?? '').replace(/<[^>]*>/g, ' ');
  const text = [
    r.title,
    r.title_additional,
    r.doi,
    r.recid,
    ...(r.keywords ?? []),
    abstract,
    ...(r.files ?? []).map((f: { uri: string }) => baseName(f.uri))
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  const compounds = [r.title, abstract].flatMap(t =>
    [
      ...t.toLowerCase().matchAll(/(?<![\p{L}\p{N}])(\p{L}{1,4})-(?=(\p{L}+)(?![\p{L}\p{N}]))/gu)
    ].map(m => m[1] + m[2])
  );
  return new Set([...text.split(/[^\p{L}\p{N}]+/u).filter(Boolean), ...compounds]);
}

let fixtures: IndexedCatalog;
beforeAll(() => {
  fixtures = fixtureCatalog(FIXTURES);
});

describe('facets, computed the portal way', () => {
  test('each facet applies every other active filter but not its own', async () => {
    const filters = { experiment: ['CMS'], type: 'Dataset::Collision', year: '2011--2012' };
    const pass = (r: Rec, except: string) =>
      (except === 'experiment' || facetValues.experiment(r).includes('CMS')) &&
      (except === 'type' || facetValues.type(r).includes('Dataset::Collision')) &&
      (except === 'year' || facetValues.year(r).some(y => +y >= 2011 && +y <= 2012));
    const result = await fixtures.search('', { ...filters, size: 5 });
    expect(result.total).toBe(records.filter(r => pass(r, '')).length);
    expect(result.total).toBeGreaterThan(0);
    for (const facet of ['experiment', 'type', 'year', 'collision_energy', 'file_type']) {
      expect({ facet, counts: asMap(result.facets[facet as 'year']) }).toEqual({
        facet,
        counts: bruteCounts(facet, pass)
      });
    }
    // The own-facet rule: the experiment facet still offers other experiments.
    expect(asMap(result.facets.experiment).size).toBeGreaterThan(1);
  });

  test('values of one facet are alternatives; a year range includes both ends', async () => {
    const cms = (await fixtures.search('', { experiment: 'CMS' })).total;
    const alice = (await fixtures.search('', { experiment: 'ALICE' })).total;
    const both = await fixtures.search('', { experiment: ['CMS', 'ALICE'] });
    const either = records.filter(
      r => r.experiment.includes('CMS') || r.experiment.includes('ALICE')
    );
    expect(both.total).toBe(either.length);
    expect(both.total).toBeGreaterThan(Math.max(cms, alice));
    expect(cms).toBe(records.filter(r => r.experiment.includes('CMS')).length);
    const y2011 = (await fixtures.search('', { year: '2011' })).total;
    const y2012 = (await fixtures.search('', { year: '2012' })).total;
    const range = (await fixtures.search('', { year: '2011--2012' })).total;
    const inBoth = records.filter(
      r => facetValues.year(r).includes('2011') && facetValues.year(r).includes('2012')
    ).length;
    expect(range).toBe(y2011 + y2012 - inBoth);
  });

  test('type filters by primary or by Primary::Secondary', async () => {
    const dataset = await fixtures.search('', { type: 'Dataset' });
    expect(dataset.total).toBe(records.filter(r => r.type.primary === 'Dataset').length);
    const sub = await fixtures.search('', { type: 'Dataset::Derived' });
    expect(sub.total).toBe(
      records.filter(r => r.type.primary === 'Dataset' && r.type.secondary?.includes('Derived'))
        .length
    );
    // The type facet lists each primary, then its subtypes.
    const keys = dataset.facets.type!.map(b => b.key);
    expect(keys.indexOf('Dataset')).toBeLessThan(keys.indexOf('Dataset::Collision'));
  });

  test('number_events ranges', async () => {
    const withEvents = records.filter(r => r.distribution?.number_events != null);
    const lo = 1000;
    const hi = 99_999;
    const got = await fixtures.search('', { number_events: `${lo}--${hi}` });
    expect(got.total).toBe(
      withEvents.filter(
        r => r.distribution.number_events >= lo && r.distribution.number_events <= hi
      ).length
    );
    const open = await fixtures.search('', { number_events: '1000000--' });
    expect(open.total).toBe(withEvents.filter(r => r.distribution.number_events >= 1e6).length);
    const bucketSum = (await fixtures.search('')).facets.number_events!.reduce(
      (s, b) => s + b.count,
      0
    );
    expect(bucketSum).toBe(withEvents.length);
    expect(await codeOf(fixtures.search('', { number_events: 'many' }))).toBe('E_USAGE');
  });
});

describe('free text', () => {
  test('every word must occur (AND), across title, abstract, DOI, keywords', async () => {
    const query = ['higgs', 'lepton'];
    const expected = records.filter(r => query.every(w => words(r).has(w))).map(r => r.recid);
    const got = await fixtures.search('Higgs lepton ', { size: 1000 });
    expect(got.total).toBe(expected.length);
    expect(got.hits.map(h => h.recid).sort()).toEqual(expected.sort());
  });

  test('the last word is a prefix while typing, unless followed by a space', async () => {
    const expected = records.filter(r => {
      const ws = [...words(r)];
      return ws.includes('higgs') && ws.some(w => w.startsWith('lept'));
    });
    expect((await fixtures.search('higgs lept')).total).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
    expect((await fixtures.search('higgs lept ')).total).toBe(
      records.filter(r => words(r).has('higgs') && words(r).has('lept')).length
    );
  });

  test('a DOI or a recid finds its record', async () => {
    const r5500 = records.find(r => r.recid === '5500')!;
    const byDoi = await fixtures.search(r5500.doi);
    expect(byDoi.hits[0].recid).toBe('5500');
    expect(byDoi.total).toBe(1);
    expect((await fixtures.search('5500 ')).hits.map(h => h.recid)).toContain('5500');
  });

  test('best match ranks title hits over abstract-only hits', async () => {
    const got = await fixtures.search('dimuon ', { size: 10_000 });
    const inTitle = got.hits.map(h =>
      h.title
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .includes('dimuon')
    );
    const firstNonTitle = inTitle.indexOf(false);
    expect(firstNonTitle).toBeGreaterThan(0);
    expect(inTitle.slice(firstNonTitle).every(x => !x)).toBe(true);
  });
});

describe('sort and pages', () => {
  test('mostrecent by date_published then recid; title and title_desc are mirror orders', async () => {
    const recent = await fixtures.search('', {
      experiment: 'ALICE',
      sort: 'mostrecent',
      size: 500
    });
    for (let i = 1; i < recent.hits.length; i++) {
      const [a, b] = [recent.hits[i - 1], recent.hits[i]];
      expect(a.date_published >= b.date_published).toBe(true);
      if (a.date_published === b.date_published) expect(+a.recid).toBeGreaterThan(+b.recid);
    }
    const up = await fixtures.search('', { experiment: 'ALICE', sort: 'title', size: 500 });
    const down = await fixtures.search('', { experiment: 'ALICE', sort: 'title_desc', size: 500 });
    expect(up.hits.map(h => h.recid)).toEqual(down.hits.map(h => h.recid).reverse());
    const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
    for (let i = 1; i < up.hits.length; i++) {
      expect(collator.compare(up.hits[i - 1].title, up.hits[i].title)).toBeLessThanOrEqual(0);
    }
    // Without a query the default is mostrecent; with one, bestmatch.
    expect((await fixtures.search('', { experiment: 'ALICE', size: 500 })).hits).toEqual(
      recent.hits
    );
  });

  test('pages tile the result; past the end is empty; page 0 is a usage error', async () => {
    const all = await fixtures.search('muon', { size: 30 });
    const pages = [1, 2, 3].map(page => fixtures.search('muon', { page, size: 10 }));
    const tiled = (await Promise.all(pages)).flatMap(p => p.hits);
    expect(tiled.map(h => h.recid)).toEqual(all.hits.map(h => h.recid));
    const past = await fixtures.search('muon', { page: 10_000, size: 10 });
    expect(past.hits).toEqual([]);
    expect(past.total).toBe(all.total);
    expect(await codeOf(fixtures.search('', { page: 0 }))).toBe('E_USAGE');
    expect(await codeOf(fixtures.search('', { sort: 'newest' as 'title' }))).toBe('E_USAGE');
  });

  test('on-tape datasets are hidden unless asked for', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-ondemand-'));
    try {
      const some = records.filter(r => r.distribution).slice(0, 3);
      const onTape = {
        ...some[0],
        distribution: { ...some[0].distribution, availability: 'ondemand' }
      };
      fs.writeFileSync(path.join(tmp, 'a.json'), JSON.stringify([onTape, ...some.slice(1)]));
      const cat = fixtureCatalog(tmp);
      expect((await cat.search('')).total).toBe(2);
      expect((await cat.search('', { ondemand: true })).total).toBe(3);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('lookup', () => {
  const r5500 = records.find(r => r.recid === '5500')!;

  test.each<[string, () => Promise<CatalogSource>]>([
    ['fixtures', async () => fixtures],
    ['bundled snapshot', () => catalog()]
  ])('%s: by recid, DOI (any case) and exact title', async (_name, open) => {
    const cat = await open();
    expect((await cat.get(5500)).doi).toBe(r5500.doi);
    expect((await cat.lookup({ doi: r5500.doi.toLowerCase() })).recid).toBe('5500');
    expect((await cat.lookup({ doi: `https://doi.org/${r5500.doi}` })).recid).toBe('5500');
    expect((await cat.lookup({ title: r5500.title })).recid).toBe('5500');
    expect(await codeOf(cat.get('999999999'))).toBe('E_NOT_FOUND');
    expect(await codeOf(cat.lookup({ doi: '10.7483/OPENDATA.NONE' }))).toBe('E_NOT_FOUND');
    // Titles shared by several records name them all instead of picking one.
    const counts = new Map<string, number>();
    records.forEach(r => counts.set(r.title, (counts.get(r.title) ?? 0) + 1));
    const shared = [...counts].find(([, n]) => n > 1)![0];
    expect(await codeOf(cat.lookup({ title: shared }))).toBe('E_USAGE');
  });

  test('the bundled snapshot holds every fixture and skeleton record', async () => {
    const cat = (await catalog()) as IndexedCatalog;
    const skeletons = fs
      .readdirSync(path.join(RECORDS, 'skeletons'))
      .flatMap(f => JSON.parse(fs.readFileSync(path.join(RECORDS, 'skeletons', f), 'utf8')));
    const recids = new Set([...records, ...skeletons].map(r => String(r.recid)));
    expect(cat.index.count).toBe(recids.size);
    // A skeleton record is what the skeleton file carries.
    const s = skeletons.find(k => !records.some(r => r.recid === String(k.recid)));
    expect(await cat.get(s.recid)).toEqual({ recid: String(s.recid), title: s.title, doi: s.doi });
    // A full record comes from its shard exactly as in the fixture.
    expect(await cat.get('5500')).toEqual(r5500);
    const cms2016 = await cat.search('', {
      experiment: 'CMS',
      type: 'Dataset::Simulated',
      year: '2016'
    });
    expect(cms2016.total).toBeGreaterThanOrEqual(skeletons.length);
  });
});

describe('--catalog directories', () => {
  test('a temp dir of a few fixture files is searchable; the snapshot dir opens as a snapshot', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-fixtures-'));
    try {
      const files = ['cms-derived-csv-Run2011A.json', 'cms-higgs-4l-full.json'].filter(f =>
        fs.existsSync(path.join(FIXTURES, f))
      );
      const picked = files.length === 2 ? files : fs.readdirSync(FIXTURES).slice(0, 2);
      for (const f of picked) fs.copyFileSync(path.join(FIXTURES, f), path.join(tmp, f));
      const raw = picked.flatMap(f => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')));
      const cat = openCatalogDir(tmp);
      expect((await cat.search('')).total).toBe(raw.length);
      expect(await cat.get(raw[0].recid)).toEqual(raw[0]);
      fs.writeFileSync(path.join(tmp, 'broken.json'), '{"recid": 1}');
      expect(() => openCatalogDir(tmp)).toThrow(/broken\.json: not a JSON array/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    const snapshotDir = path.join(__dirname, '..', '..', 'data', 'catalog');
    expect(openCatalogDir(snapshotDir).index.count).toBe(
      ((await catalog()) as IndexedCatalog).index.count
    );
    expect(() => openCatalogDir(path.join(os.tmpdir(), 'no-such-catalog-dir'))).toThrow(
      OpenDataError
    );
  });
});

describe('best match: names, dataset paths and file names', () => {
  const byRecid = new Map(records.map(r => [r.recid, r]));
  const recidsOf = (hits: { recid: string }[]) => hits.map(h => h.recid);
  const filesOf = (recid: string) =>
    (byRecid.get(recid)!.files ?? []).map((f: { uri: string }) => baseName(f.uri));

  test('file names are searched: a record is found by the name of a file it holds', async () => {
    // Records holding a file whose name has the word "zmumu", counted from the raw records.
    const holders = records.filter(r => words(r).has('zmumu')).map(r => r.recid);
    expect(holders).toEqual(
      expect.arrayContaining(['5208', '307', '545', '3821']) // Zmumu.csv, mc_147771.Zmumu.root
    );
    const got = await fixtures.search('Zmumu ', { size: 1000 });
    expect(recidsOf(got.hits).sort()).toEqual(holders.sort());
    // The record whose only file is Zmumu.csv comes before records with hundreds of files.
    expect(filesOf(got.hits[0].recid)).toEqual(expect.arrayContaining(['Zmumu.csv']));
    expect(filesOf(got.hits[0].recid).length).toBeLessThan(10);
    // A full file name, typed or pasted, finds its record first.
    expect(filesOf('5200')).toContain('4mu_2011.csv');
    for (const q of ['4mu_2011.csv', '4mu_2011', '4mu_20']) {
      expect({ q, first: (await fixtures.search(q)).hits[0]?.recid }).toEqual({ q, first: '5200' });
    }
    expect((await fixtures.search('mc_147771.Zmumu.root')).hits[0].recid).toBe('3821');
  });

  test('records with many files keep their file-name words; bundled file indexes add their names', async () => {
    // DELPHI rawd94 (81435) lists 5,178 run files: its index entry holds their distinct words.
    const delphi = byRecid.get('81435')!;
    expect(delphi.files.length).toBeGreaterThan(100);
    const index = (fixtures as IndexedCatalog).index;
    const entry = index.columns.files![index.positionOf('81435')];
    expect(entry).not.toContain(' ');
    const word = baseName(delphi.files[1234].uri).split('.')[0]; // e.g. "Y13713"
    expect(recidsOf((await fixtures.search(`${word} `)).hits)).toContain('81435');
    // A data file named in a bundled file index (data/catalog/file-indices) finds the record
    // whose files[] holds that index, in the bundled snapshot.
    const dir = path.join(__dirname, '..', '..', 'data', 'catalog', 'file-indices');
    const txt = fs.readdirSync(dir).find(f => f.endsWith('.txt'))!;
    const holder = records.find(r =>
      (r.files ?? []).some((f: { uri: string }) => baseName(f.uri) === txt)
    )!;
    const dataFile = baseName(fs.readFileSync(path.join(dir, txt), 'utf8').trim().split('\n')[0]);
    expect(dataFile).toMatch(/\.root$/);
    const found = await (await catalog()).search(dataFile);
    expect(recidsOf(found.hits)).toEqual([holder.recid]);
  });

  test('a dataset path whose parts hold the query words ranks first (issue 10: it was 5th)', async () => {
    const got = await fixtures.search('DoubleMu Run2011A', { size: 100 });
    // Every record with both words, found independently.
    const both = records.filter(
      r => words(r).has('doublemu') && [...words(r)].some(w => w.startsWith('run2011a'))
    );
    expect(got.total).toBe(both.length);
    const isPath = (t: string) => /^\/[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(t);
    const pathHolds = (t: string) => {
      const [, primary, era] = t.split('/');
      return isPath(t) && primary === 'DoubleMu' && era.startsWith('Run2011A');
    };
    const flags = got.hits.map(h => pathHolds(h.title));
    expect(flags.filter(Boolean).length).toBeGreaterThanOrEqual(2); // the AOD (17) and the RAW (47)
    expect(flags.indexOf(false)).toBe(flags.filter(Boolean).length); // all such paths first
    // Of the two, the AOD that other records are derived from ("derived from /DoubleMu/...").
    expect(got.hits[0].recid).toBe('17');
    const mentioning = records.filter(
      r =>
        r.recid !== '17' &&
        `${r.title} ${r.abstract?.description ?? ''}`.includes(byRecid.get('17')!.title)
    );
    expect(mentioning.length).toBeGreaterThan(0);
    const index = (fixtures as IndexedCatalog).index;
    expect(index.columns.mentions![index.positionOf('17')]).toBe(mentioning.length);
    expect(index.columns.mentions![index.positionOf('47')]).toBe(0);
  });

  test('an exact title first, also while its last word is typed', async () => {
    const title = byRecid.get('47')!.title; // /DoubleMu/Run2011A-v1/RAW
    expect((await fixtures.search(title)).hits[0].recid).toBe('47');
    expect((await fixtures.search(title.slice(0, -1))).hits[0].recid).toBe('47');
    const aod = byRecid.get('17')!.title;
    expect((await fixtures.search(aod)).hits[0].recid).toBe('17');
  });

  test('a whole name before one spread over a title or continued', async () => {
    // "MinBias_TuneZ2star_7TeV_pythia6" is the primary name of 727/728; the HFshowerLibrary and
    // Castor samples hold the same words in a longer name.
    const got = await fixtures.search('MinBias_TuneZ2star_7TeV_pythia6', { size: 20 });
    const whole = (t: string) => t.split('/')[1] === 'MinBias_TuneZ2star_7TeV_pythia6';
    expect(got.hits.filter(h => whole(h.title)).length).toBeGreaterThanOrEqual(2);
    const flags = got.hits.map(h => whole(h.title));
    expect(flags.indexOf(false)).toBe(flags.filter(Boolean).length);
    // A trigger path's exact name before its longer variants (HLT_Mu17_Mu8_SameSign, ...).
    const trig = await fixtures.search('HLT_Mu17_Mu8', { size: 3 });
    for (const h of trig.hits) expect(h.title).toMatch(/ HLT_Mu17_Mu8( \(|$)/);
  });

  test('a DOI, bare, as a doi: label or a resolver URL, finds its record first', async () => {
    const doi = byRecid.get('5500')!.doi;
    for (const q of [doi, `doi:${doi}`, `doi ${doi}`, `https://doi.org/${doi}`]) {
      expect({ q, first: (await fixtures.search(q)).hits[0]?.recid }).toEqual({ q, first: '5500' });
    }
  });

  test('hyphenated compounds: "dimuon" finds a "di-muon" title', async () => {
    expect(byRecid.get('5001')!.title).toContain('di-muon');
    const got = await fixtures.search('dimuon spectrum ', { size: 50 });
    expect(recidsOf(got.hits)).toContain('5001');
    expect(
      (await fixtures.search('di-muon spectrum ', { size: 50 })).hits.map(h => h.recid)
    ).toContain('5001');
  });

  test('an index without file names or mentions (an older snapshot) still searches', async () => {
    const cat = (await catalog()) as IndexedCatalog;
    const { files, mentions, ...columns } = cat.index.columns;
    expect(files).toBeDefined();
    expect(mentions).toBeDefined();
    const old = CatalogIndex.fromJSON({
      format: 'opendata-lab/catalog-index',
      version: 1,
      shards: cat.index.shards,
      count: cat.index.count,
      columns
    });
    const engine = new CatalogSearch(old);
    expect(engine.search('Zmumu ').total).toBe(0); // only file names hold it
    expect(engine.search('DoubleMu Run2011A').hits.map(h => h.recid)).toContain('17');
  });
});

describe('search quality (kernel-helpers/bench/search-quality.json)', () => {
  interface Quality {
    queries: { query: string; expect: string[]; reason: string }[];
  }
  const file = path.join(__dirname, '..', '..', 'kernel-helpers', 'bench', 'search-quality.json');
  const { queries } = JSON.parse(fs.readFileSync(file, 'utf8')) as Quality;

  test('the queries name real records, each with a reason', () => {
    expect(queries.length).toBeGreaterThanOrEqual(30);
    const recids = new Set(records.map(r => r.recid));
    for (const q of queries) {
      expect({ q: q.query, missing: q.expect.filter(id => !recids.has(id)) }).toEqual({
        q: q.query,
        missing: []
      });
      expect(q.reason.length).toBeGreaterThan(10);
    }
  });

  test('the expected record is in the top 3 for at least 90% of the queries (bundled snapshot)', async () => {
    const cat = await catalog();
    const misses: string[] = [];
    for (const q of queries) {
      const { hits } = await cat.search(q.query, { size: 3 });
      if (!hits.some(h => q.expect.includes(h.recid))) {
        misses.push(`${q.query} → ${hits.map(h => h.recid).join(', ') || 'nothing'}`);
      }
    }
    const rate = (queries.length - misses.length) / queries.length;
    expect({ rate: rate >= 0.9, misses }).toEqual({ rate: true, misses: expect.any(Array) });
  });
});
