// The record view renders real records as the portal's record page does (links kept, dates
// labelled, indexes expanded offline, big file lists filtered and paged), and hostile metadata
// stays inert. Records come from the bundled shards the extension ships (data/catalog/records).
import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { Sanitizer } from '@jupyterlab/apputils';
import type { CatalogRecord } from '@opendata-lab/kernel-helpers/core';
import { CatalogModel } from '../../extension/catalog-model';
import { urlIndexLoader } from '../../extension/index-loader';
import { RecordView, recordTitleFrom } from '../../extension/record-view';
import { readSnapshot } from './snapshot-fixture';

const DATA = path.resolve(__dirname, '../../data');
const INDEX_DIR = path.join(DATA, 'catalog', 'file-indices');

/** A full record from the bundled shard that holds it (shard = recid % 64). */
function shardRecord(recid: number): CatalogRecord {
  const file = path.join(
    DATA,
    'catalog',
    'records',
    `${String(recid % 64).padStart(2, '0')}.json.gz`
  );
  const shard = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Record<
    string,
    CatalogRecord
  >;
  const record = shard[String(recid)];
  if (!record) throw new Error(`${file}: no record ${recid}`);
  return record;
}

interface IFile {
  uri: string;
  size: number;
  checksum: string;
}
const filesOf = (record: CatalogRecord) => record.files as IFile[];
const baseName = (uri: string) => uri.slice(uri.lastIndexOf('/') + 1);
/** "5178" → "5,178", written out here rather than formatted by the code under test. */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

/** Commands that record what the view asks to run. */
function fakeCommands() {
  const executed: { id: string; args: unknown }[] = [];
  const commands = {
    caption: () => '',
    execute: (id: string, args: unknown) => {
      executed.push({ id, args });
      return Promise.resolve();
    }
  };
  return { executed, commands: commands as unknown as RecordView.IOptions['commands'] };
}

/** The bundled index files as a loader, read from the repository like the labextension serves them. */
function bundledIndexes() {
  const urls: Record<string, string> = {};
  for (const name of readdirSync(INDEX_DIR).filter(n => n.endsWith('.json'))) {
    urls[name] = path.join(INDEX_DIR, name);
  }
  const fetched: string[] = [];
  const loader = urlIndexLoader(urls, async url => {
    fetched.push(String(url));
    return new Response(readFileSync(String(url)));
  });
  return { loader, fetched };
}

function render(
  record: CatalogRecord,
  options: Partial<RecordView.IOptions> = {},
  origin = 'snapshot'
): RecordView {
  const view = new RecordView({ sanitizer: new Sanitizer(), filesPageSize: 50, ...options });
  view.render(record, origin);
  document.body.appendChild(view.node);
  return view;
}

function section(view: RecordView, name: string): HTMLElement {
  const found = view.node.querySelector(`section[aria-label="${name}"]`);
  if (!found) throw new Error(`no section ${name}`);
  return found as HTMLElement;
}

function expand(details: Element): void {
  (details as HTMLDetailsElement).open = true;
  details.dispatchEvent(new Event('toggle'));
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));

afterEach(() => {
  document.body.replaceChildren();
  delete (window as { __pwned?: unknown }).__pwned;
});

describe('RecordView', () => {
  it('shows a real record: title, DOI, landing page, licence, distribution and its files with size and checksum', () => {
    const record = shardRecord(5200);
    const view = render(record);
    const node = view.node;
    expect(node.querySelector('.odl-RecordView-title')!.textContent).toBe(record.title);
    const links = Array.from(node.querySelectorAll('a')).map(a => a.href);
    expect(links).toContain(`https://doi.org/${record.doi}`);
    expect(links).toContain('https://opendata.cern.ch/record/5200');
    expect(node.textContent).toContain((record.license as { attribution: string }).attribution);
    const files = filesOf(record);
    const rows = node.querySelectorAll('.odl-FileTable-row');
    expect(rows).toHaveLength(files.length);
    const first = rows[0];
    expect(first.querySelector('.odl-FileTable-name')!.textContent).toBe(baseName(files[0].uri));
    expect(first.querySelector('.odl-FileTable-checksum')!.textContent).toBe(files[0].checksum);
    expect(node.querySelector('[role="toolbar"]')!.querySelectorAll('button')).toHaveLength(4);
  });

  it("opens the landing page on the portal, not as this record's view again", () => {
    const { executed, commands } = fakeCommands();
    const view = render(shardRecord(5200), { commands });
    const landing = Array.from(view.node.querySelectorAll('a')).find(
      a => a.textContent === 'https://opendata.cern.ch/record/5200'
    )!;
    expect(landing.target).toBe('_blank');
    expect(landing.rel).toBe('noopener noreferrer');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
    landing.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(false);
    expect(executed).toEqual([]);
  });

  describe('links', () => {
    it("keeps the links that record 17's abstract leads into, named by the linked record's title", async () => {
      const record = shardRecord(17);
      const abstract = record.abstract as { description: string; links: { recid: string }[] };
      // The text ends mid-sentence: the portal completes it with the field's links.
      expect(abstract.description.trim()).toMatch(/can be found in<\/p>$/);
      const target = abstract.links[0].recid;
      const snapshot = readSnapshot();
      const title = snapshot.columns.title[snapshot.columns.recid.indexOf(target)];
      expect(title).toBeTruthy();
      const { executed, commands } = fakeCommands();
      const view = render(record, {
        commands,
        recordTitle: recordTitleFrom(new CatalogModel(async () => readSnapshot()))
      });
      const link = section(view, 'Abstract').querySelector('.odl-RecordView-links a')!;
      expect(link.getAttribute('href')).toBe(`https://opendata.cern.ch/record/${target}`);
      expect(link.textContent).toBe(`Record ${target}`);
      await flush();
      await flush();
      expect(link.textContent).toBe(title);
      // A plain click opens the record in JupyterLab, not the portal.
      const click = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
      link.dispatchEvent(click);
      expect(click.defaultPrevented).toBe(true);
      expect(executed).toEqual([{ id: 'opendata:open-record', args: { recid: target } }]);
      // A Ctrl+click keeps the browser's meaning (the portal's page in a new tab).
      const ctrl = new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true });
      link.dispatchEvent(ctrl);
      expect(ctrl.defaultPrevented).toBe(false);
      expect(executed).toHaveLength(1);
    });

    it("completes record 5200's usage note ('examples are given in') with its four record links", () => {
      const record = shardRecord(5200);
      const usage = record.usage as { description: string; links: { recid: string }[] };
      expect(usage.description.trim()).toMatch(/examples are given in<\/p>$/);
      const view = render(record);
      const hrefs = Array.from(
        section(view, 'Usage').querySelectorAll('.odl-RecordView-links a')
      ).map(a => a.getAttribute('href'));
      expect(hrefs).toEqual(usage.links.map(l => `https://opendata.cern.ch/record/${l.recid}`));
    });

    it("resolves record 5500's relative links against the portal: /record/N opens in JupyterLab, others in a new tab", () => {
      const record = shardRecord(5500);
      const { executed, commands } = fakeCommands();
      const view = render(record, { commands });
      const usage = section(view, 'Usage');
      const byText = (t: string) =>
        Array.from(usage.querySelectorAll('a')).find(a => a.textContent!.trim() === t)!;
      // "The root files needed for the Level 3 exercise can be found <a href="/record/5501">here</a>."
      const here = byText('here');
      expect(here.getAttribute('href')).toBe('https://opendata.cern.ch/record/5501');
      here.click();
      expect(executed).toEqual([{ id: 'opendata:open-record', args: { recid: '5501' } }]);
      const docs = byText('CMS 2011 Virtual Machines: How to install');
      expect(docs.getAttribute('href')).toBe(
        'https://opendata.cern.ch/docs/cms-virtual-machine-2011'
      );
      const file = byText('mass4l_combine.pdf');
      expect(file.getAttribute('href')).toBe(
        'https://opendata.cern.ch/record/5500/files/mass4l_combine.pdf'
      );
      for (const a of [docs, file, byText('a github repository')]) {
        expect(a.target).toBe('_blank');
        expect(a.rel).toBe('noopener noreferrer');
        const click = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
        a.dispatchEvent(click);
        expect(click.defaultPrevented).toBe(false);
      }
      expect(executed).toHaveLength(1);
      // Every link in the view looks like one (styled by its class).
      for (const a of Array.from(view.node.querySelectorAll('a'))) {
        expect(a.classList.contains('odl-RecordView-link')).toBe(true);
      }
    });

    it("keeps record 12342's image from the portal and turns the GitHub-hosted one into a link", () => {
      const view = render(shardRecord(12342));
      const abstract = section(view, 'Abstract');
      const images = Array.from(abstract.querySelectorAll('img'));
      expect(images.map(i => i.getAttribute('src'))).toEqual([
        'https://opendata.cern.ch/static/records/12342/pictures_samples_dimuonSpectrum_40pb-1_mod-combined.png'
      ]);
      const link = Array.from(abstract.querySelectorAll('a')).find(a =>
        a.href.startsWith('https://github.com/')
      )!;
      expect(link.textContent).toBe('Image: dimuonSpectrum.png');
      expect(link.rel).toBe('noopener noreferrer');
    });
  });

  it("labels record 17's dates: collected 2011 (its row's year), published 2016", () => {
    const record = shardRecord(17);
    expect(record.date_created).toEqual(['2011']);
    expect(record.date_published).toBe('2016');
    const view = render(record);
    const pairs = Array.from(view.node.querySelectorAll('.odl-RecordView-dates > div')).map(d => [
      d.querySelector('dt')!.textContent,
      d.querySelector('dd')!.textContent
    ]);
    expect(pairs).toEqual([
      ['Collected', '2011'],
      ['Run period', 'Run2011A'],
      ['Published', '2016']
    ]);
    // No bare year left in the meta line.
    expect(view.node.querySelector('.odl-RecordView-meta')!.textContent).not.toMatch(/\b20\d\d\b/);
  });

  describe('files', () => {
    it("expands record 6003's bundled index to its data files offline; the other indexes need the portal", async () => {
      const record = shardRecord(6003);
      const bundledName = 'CMS_Run2012B_DoubleElectron_AOD_22Jan2013-v1_30000';
      const listed = JSON.parse(
        readFileSync(path.join(INDEX_DIR, `${bundledName}_file_index.json`), 'utf8')
      ) as IFile[];
      const { loader, fetched } = bundledIndexes();
      const view = render(record, { indexLoader: loader, portalOnline: () => false });
      const indexes = Array.from(view.node.querySelectorAll('details.odl-RecordView-index'));
      expect(indexes).toHaveLength(3);
      const bundled = indexes.find(
        d => d.querySelector('.odl-RecordView-indexName')!.textContent === bundledName
      )!;
      expect(bundled.querySelector('.odl-RecordView-indexNote')!.textContent).toBe(
        'bundled index: lists its files offline'
      );
      expect(fetched).toEqual([]); // nothing read before it is expanded
      expand(bundled);
      await flush();
      await flush();
      const names = Array.from(bundled.querySelectorAll('.odl-FileTable-name'))
        .slice(1)
        .map(n => n.textContent);
      expect(names).toEqual(listed.map(f => baseName(f.uri)));
      expect(names.every(n => n!.endsWith('.root'))).toBe(true);
      // Offline and not bundled: each data file says it needs the portal (text and icon).
      const status = bundled.querySelector('td.odl-FileTable-status')!;
      expect(status.textContent).toBe('Needs the portal');
      expect(status.querySelector('svg')).not.toBeNull();
      // An index without a bundled copy shows its listing files, which need the portal too.
      const other = indexes.find(d => d !== bundled)!;
      expect(other.querySelector('.odl-RecordView-indexNote')!.textContent).toBe(
        'needs the portal to list its files'
      );
      expand(other);
      expect(
        Array.from(other.querySelectorAll('.odl-FileTable-name'))
          .slice(1)
          .map(n => n.textContent)
      ).toEqual([
        `${other.querySelector('.odl-RecordView-indexName')!.textContent}_file_index.json`,
        `${other.querySelector('.odl-RecordView-indexName')!.textContent}_file_index.txt`
      ]);
    });

    it('says which files load now (bundled), can be downloaded, or need the portal, and follows the portal status', () => {
      const record = shardRecord(5200);
      let online: boolean | null = null;
      const view = render(record, { portalOnline: () => online });
      const statusOf = (name: string) => {
        const row = Array.from(view.node.querySelectorAll('.odl-FileTable-row')).find(
          r => r.querySelector('.odl-FileTable-name')!.textContent === name
        )!;
        return row.querySelector('td.odl-FileTable-status')!.textContent;
      };
      // data/events/4mu_2012.csv is a copy of this record's file (data/README.md).
      expect(statusOf('4mu_2012.csv')).toBe('Bundled');
      const other = filesOf(record)
        .map(f => baseName(f.uri))
        .find(n => !['4mu_2012.csv', '4e_2012.csv', '2e2mu_2011.csv'].includes(n))!;
      expect(statusOf(other)).toBe('On the portal');
      online = true;
      view.refreshFileStatus();
      expect(statusOf(other)).toBe('Downloadable');
      online = false;
      view.refreshFileStatus();
      expect(statusOf(other)).toBe('Needs the portal');
      expect(statusOf('4mu_2012.csv')).toBe('Bundled');
    });

    it("filters DELPHI record 81435's 5,178 files by name and jumps to a page, numbers formatted one way", () => {
      const record = shardRecord(81435);
      const files = filesOf(record);
      expect(files).toHaveLength(5178);
      const node = render(record).node;
      const summary = node.querySelector('.odl-FileTable-summary')!;
      expect(summary.textContent).toBe('Files 1–50 of 5,178');
      expect(node.querySelectorAll('.odl-FileTable-row')).toHaveLength(50);
      expect(node.querySelector('.odl-FileTable-pageOf')!.textContent).toBe('of 104');

      // Page jump: type 3, press Enter.
      const page = node.querySelector('input.odl-FileTable-page') as HTMLInputElement;
      expect(page.max).toBe('104');
      page.value = '3';
      page.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      expect(summary.textContent).toBe('Files 101–150 of 5,178');
      expect(node.querySelector('td.odl-FileTable-name')!.textContent).toBe(
        baseName(files[100].uri)
      );
      // Out of range: the last page.
      page.value = '999';
      page.dispatchEvent(new Event('change'));
      expect(summary.textContent).toBe('Files 5,151–5,178 of 5,178');
      expect(page.value).toBe('104');

      // The name filter, as one types.
      const needle = baseName(files[1234].uri).slice(0, 8);
      const expected = files.filter(f =>
        baseName(f.uri).toLowerCase().includes(needle.toLowerCase())
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(files.length);
      const filter = node.querySelector('input.odl-FileTable-filter') as HTMLInputElement;
      filter.value = needle;
      filter.dispatchEvent(new Event('input'));
      expect(
        summary.textContent!.startsWith(`${grouped(expected.length)} of 5,178 files match`)
      ).toBe(true);
      const shown = Array.from(node.querySelectorAll('.odl-FileTable-name'))
        .slice(1)
        .map(n => n.textContent);
      expect(shown).toEqual(expected.slice(0, 50).map(f => baseName(f.uri)));
      filter.value = 'no such file name';
      filter.dispatchEvent(new Event('input'));
      expect(summary.textContent).toBe('0 of 5,178 files match');
      expect(node.querySelectorAll('.odl-FileTable-row')).toHaveLength(0);
      // Every control is labelled for the keyboard and screen readers.
      expect((node.querySelector(`label[for="${filter.id}"]`) as HTMLElement).textContent).toBe(
        'Filter'
      );
      expect(node.querySelector(`label[for="${page.id}"]`)).not.toBeNull();
    });
  });

  it('keeps hostile record HTML inert: no scripts, handlers, javascript:/data: links, class, style, id, command-linker or remote images', () => {
    const real = shardRecord(5200);
    const hostile = [
      '<p>Real text.</p>',
      '<script>window.__pwned = 1</script>',
      '<img src=x onerror="window.__pwned = 2">',
      '<a href="javascript:window.__pwned=3">js link</a>',
      '<a href=" JaVaScRiPt:window.__pwned=3">spaced js</a>',
      '<a href="data:text/html,<script>alert(1)</script>">data link</a>',
      '<a href="vbscript:msgbox(1)">vb link</a>',
      '<svg onload="window.__pwned=4"></svg>',
      '<iframe src="https://example.org"></iframe>',
      // Covering the view, faking JupyterLab's own elements and commands (issue 18).
      '<div class="lm-Widget jp-Dialog" style="position:fixed;inset:0;z-index:100000" id="jp-main-dock-panel">Fake dialog</div>',
      '<button data-commandlinker-command="notebook:run-all-cells" data-commandlinker-args="{}">Run</button>',
      '<a href="/record/5501" class="jp-Button" style="position:fixed" id="x" onclick="window.__pwned=5" data-commandlinker-command="filebrowser:delete">record link</a>',
      '<span data-jupyter-id="y" title="t" tabindex="0" draggable="true">span</span>',
      '<img src="https://tracker.example/pixel.png" alt="tracker">',
      '<img src="//tracker.example/pixel.png">',
      '<img src="data:image/png;base64,iVBORw0KGgo=">',
      '<form action="https://example.org"><input name="q" value="x"></form>',
      '<table class="table"><tr><td colspan="2" style="color:red">cell</td></tr></table>',
      '<style>.jp-LabShell{display:none}</style>'
    ].join(' ');
    const record: CatalogRecord = {
      ...real,
      title: hostile,
      abstract: { description: hostile },
      usage: {
        description: hostile,
        links: [
          { url: 'javascript:window.__pwned=6', description: 'bad' },
          { recid: '1 onclick=x' }
        ]
      },
      system_details: { description: hostile },
      collaboration: { name: hostile },
      authors: [{ name: hostile }]
    };
    const { executed, commands } = fakeCommands();
    const view = render(record, { commands });
    const node = view.node;
    // Plain fields are text: the payload is shown, not parsed.
    expect(node.querySelector('.odl-RecordView-title')!.textContent).toBe(hostile);
    expect(node.querySelector('.odl-RecordView-collaboration')!.textContent).toBe(hostile);
    const html = ['Abstract', 'Usage', 'System details'].map(name =>
      section(view, name).querySelector('.odl-RecordView-html')!
    );
    for (const field of html) {
      expect(field.querySelector('p')!.textContent).toBe('Real text.');
      expect(field.textContent).toContain('Fake dialog'); // the text stays, the overlay does not
      expect(
        field.querySelectorAll('script, style, iframe, svg, button, form, input')
      ).toHaveLength(0);
      // Images only from the portal (`<img src=x>` is the portal's /x, its handler gone).
      for (const img of Array.from(field.querySelectorAll('img'))) {
        expect(img.getAttribute('src')).toBe('https://opendata.cern.ch/x');
      }
      for (const element of Array.from(field.querySelectorAll('*'))) {
        for (const attribute of Array.from(element.attributes)) {
          const allowed: Record<string, string[]> = {
            a: ['href', 'class', 'target', 'rel'],
            img: ['src', 'alt', 'loading', 'referrerpolicy', 'class'],
            td: ['colspan']
          };
          expect([element.localName, attribute.name]).toEqual([
            element.localName,
            (allowed[element.localName] ?? []).includes(attribute.name) ? attribute.name : '(none)'
          ]);
        }
      }
      // Links: only http(s), resolved against the portal; the others became their text.
      const hrefs = Array.from(field.querySelectorAll('a')).map(a => a.getAttribute('href'));
      expect(hrefs).toEqual([
        'https://opendata.cern.ch/record/5501',
        'https://tracker.example/pixel.png',
        'https://tracker.example/pixel.png'
      ]);
      for (const a of Array.from(field.querySelectorAll('a'))) {
        expect(a.className).toMatch(/^odl-RecordView-link( odl-mod-external)?$/);
      }
      expect(field.textContent).toContain('js link');
    }
    // The usage links: the javascript: URL and the malformed recid are not links.
    expect(node.querySelectorAll('.odl-RecordView-links a')).toHaveLength(0);
    // The record link still opens the record, nothing else runs.
    (html[0].querySelector('a') as HTMLAnchorElement).click();
    expect(executed).toEqual([{ id: 'opendata:open-record', args: { recid: '5501' } }]);
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  it('renders fields of the wrong type (hostile or malformed answers) without failing', () => {
    const record = {
      recid: '990111',
      title: { not: 'a string' },
      experiment: 'CMS',
      type: { primary: 5, secondary: 'Collision' },
      date_created: '2011',
      date_published: ['2016'],
      run_period: null,
      authors: 'Someone',
      collaboration: null,
      abstract: { description: 42, links: 'not a list' },
      usage: { links: [null, 5, { recid: 'abc' }, { url: 'javascript:alert(1)' }, { recid: 7 }] },
      distribution: { formats: 'root', number_files: '12' },
      license: null,
      files: 'none'
    } as unknown as CatalogRecord;
    const view = render(record);
    expect(view.node.querySelector('.odl-RecordView-title')!.textContent).toBe('Record 990111');
    expect(view.node.querySelector('.odl-RecordView-meta')!.textContent).toContain('CMS');
    const dates = view.node.querySelector('.odl-RecordView-dates')!.textContent;
    expect(dates).toBe('Collected2011');
    // Only the numeric recid became a link.
    expect(
      Array.from(view.node.querySelectorAll('.odl-RecordView-links a')).map(a =>
        a.getAttribute('href')
      )
    ).toEqual(['https://opendata.cern.ch/record/7']);
  });

  it('folds long author lists', () => {
    const real = shardRecord(5200);
    const authors = Array.from({ length: 3308 }, (_, i) => ({ name: `Author${i}, A.` }));
    const node = render({ ...real, authors }).node;
    expect(node.querySelector('.odl-RecordView-authorList')!.textContent!.split('; ')).toHaveLength(
      10
    );
    expect(node.querySelector('.odl-RecordView-moreAuthors summary')!.textContent).toBe(
      '3,298 more authors'
    );
  });

  it('bundles every index file of data/catalog/file-indices in the labextension', () => {
    const source = readFileSync(
      path.resolve(__dirname, '../../extension/bundled-file-indices.ts'),
      'utf8'
    );
    const urls = Array.from(
      source.matchAll(
        /new URL\(\s*'\.\.\/data\/catalog\/file-indices\/([^']+)',\s*import\.meta\.url\s*\)/g
      )
    ).map(m => m[1]);
    const keys = Array.from(source.matchAll(/^\s*'([^']+_file_index\.json)':/gm)).map(m => m[1]);
    const files = readdirSync(INDEX_DIR)
      .filter(n => n.endsWith('.json'))
      .sort();
    expect(urls.sort()).toEqual(files);
    expect(keys.sort()).toEqual(files);
  });

  it('rejects a bundled index whose bytes do not match the checksum its record declares', async () => {
    const record = shardRecord(6003);
    const name = 'CMS_Run2012B_DoubleElectron_AOD_22Jan2013-v1_30000_file_index.json';
    const bytes = readFileSync(path.join(INDEX_DIR, name));
    bytes[10] ^= 1; // one flipped bit, same size
    const loader = urlIndexLoader({ [name]: 'x' }, async () => new Response(bytes));
    const view = render(record, { indexLoader: loader });
    const bundled = Array.from(view.node.querySelectorAll('details.odl-RecordView-index')).find(
      d => d.querySelector('.odl-RecordView-indexName')!.textContent + '_file_index.json' === name
    )!;
    expand(bundled);
    await flush();
    await flush();
    const alert = bundled.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('CMS_Run2012B_DoubleElectron_AOD_22Jan2013-v1_30000');
    expect(alert.textContent).toContain('adler32');
    expect(bundled.querySelector('.odl-FileTable')).toBeNull();
  });
});

// Issue 18: "Cite in notebook" and the record tab froze on a record with a 1 MB title and 50,000
// authors; the record view must stay quick with any sizes, the full values one click away.
describe('RecordView with huge values', () => {
  const real = shardRecord(5500);
  const realTitle = String(real.title);
  const realAuthors = real.authors as { name: string }[];
  const realAbstract = String((real.abstract as { description: string }).description);
  const repeat = (text: string, length: number) =>
    (text + ' ').repeat(Math.ceil(length / (text.length + 1)));
  const huge: CatalogRecord = {
    ...real,
    title: repeat(realTitle, 1_000_000),
    title_additional: repeat(realTitle, 1_000_000),
    authors: Array.from({ length: 50_000 }, (_, i) => realAuthors[i % realAuthors.length]),
    collaboration: { name: repeat('CMS', 100_000) },
    abstract: { description: repeat(realAbstract, 1_000_000) }
  };

  it('renders a 1 MB title, subtitle and abstract and 50,000 authors (from record 5500) in < 1 s', () => {
    const started = performance.now();
    const view = render(huge);
    const elapsed = performance.now() - started;
    console.log(`record view of a 1 MB title and 50,000 authors: ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(1000);
    const node = view.node;
    expect(node.textContent!.length).toBeLessThan(100_000);
  });

  it('cuts what it lays out and keeps every full value one click away', () => {
    const node = render(huge).node;
    const title = node.querySelector('.odl-RecordView-title')!.textContent!;
    expect(title.endsWith('…')).toBe(true);
    expect(title.length).toBeLessThanOrEqual(2000);
    expect(String(huge.title).startsWith(title.slice(0, -1))).toBe(true);
    // Folds: full title, subtitle, collaboration and abstract, and the other 49,990 authors.
    const folds = Array.from(node.querySelectorAll('details'));
    const full = (summary: RegExp) => {
      const fold = folds.find(d => summary.test(d.querySelector('summary')!.textContent!))!;
      expect(fold.childElementCount).toBe(1); // nothing laid out before it is opened
      expect(fold.open).toBe(false);
      expand(fold);
      return fold.lastElementChild!.textContent!;
    };
    expect(full(/^Full title \(1,000,\d{3} characters\)$/)).toBe(String(huge.title).trim());
    expect(full(/^Full subtitle/)).toBe(String(huge.title_additional).trim());
    expect(full(/^Full name/)).toBe(String((huge.collaboration as { name: string }).name).trim());
    const others = full(/^49,990 more authors$/).split('; ');
    expect(others).toHaveLength(49_990);
    expect(others[0]).toBe(realAuthors[10 % realAuthors.length].name);
    // The abstract: its text, cut; the cleaned HTML on request, with its text whole.
    const abstract = section(render(huge), 'Abstract');
    expect(abstract.querySelector('p')!.textContent!.length).toBeLessThanOrEqual(10_000);
    const fold = abstract.querySelector('details')!;
    expand(fold);
    expect(fold.lastElementChild!.textContent!.length).toBeGreaterThan(900_000);
  });

  it('lays out real records whole: no fold for a real title, name or abstract', () => {
    for (const recid of [5500, 17, 5200]) {
      const view = render(shardRecord(recid));
      expect(view.node.querySelectorAll('.odl-RecordView-fullText')).toHaveLength(0);
      expect(view.node.querySelector('.odl-RecordView-title')!.textContent).toBe(
        String(shardRecord(recid).title).trim()
      );
      document.body.replaceChildren();
    }
  });
});
