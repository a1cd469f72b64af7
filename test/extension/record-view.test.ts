// The record view renders real records, and hostile metadata stays inert text.
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { Sanitizer } from '@jupyterlab/apputils';
import type { CatalogRecord } from '@opendata-lab/kernel-helpers/core';
import { RecordView } from '../../extension/record-view';

const SHARED = process.env.OPENDATA_SHARED_DATA ?? path.resolve(__dirname, '../../../shared/data');

function fixture(file: string, recid: string): CatalogRecord {
  const records = JSON.parse(
    readFileSync(path.join(SHARED, 'records', 'fixtures', file), 'utf8')
  ) as CatalogRecord[];
  const record = records.find(r => String(r.recid) === recid);
  if (!record) throw new Error(`${file}: no record ${recid}`);
  return record;
}

/** A real fixture file with the largest file list (DELPHI lists thousands of files). */
function largestFileList(): CatalogRecord {
  const dir = path.join(SHARED, 'records', 'fixtures');
  let best: CatalogRecord | null = null;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('delphi')) continue;
    for (const r of JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as CatalogRecord[]) {
      const n = Array.isArray(r.files) ? r.files.length : 0;
      if (!best || n > ((best.files as unknown[] | undefined)?.length ?? 0)) best = r;
    }
  }
  if (!best) throw new Error('no DELPHI fixture');
  return best;
}

const HOSTILE = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned = 2">',
  '<a href="javascript:window.__pwned=3">click</a>',
  '<svg onload="window.__pwned=4"></svg>',
  '<iframe src="https://example.org"></iframe>',
  '"quotes" \'single\' `backticks` ${template} \\ backslash'
].join(' ');

function render(record: CatalogRecord): RecordView {
  const view = new RecordView({ sanitizer: new Sanitizer(), filesPageSize: 50 });
  view.render(record);
  document.body.appendChild(view.node);
  return view;
}

afterEach(() => {
  document.body.replaceChildren();
  delete (window as { __pwned?: unknown }).__pwned;
});

describe('RecordView', () => {
  it('shows a real record: title, DOI, landing page, licence, distribution and its files with size and checksum', () => {
    const record = fixture('cms-derived-csv-2012.json', '5200');
    const view = render(record);
    const node = view.node;
    expect(node.querySelector('.odl-RecordView-title')!.textContent).toBe(record.title);
    const links = Array.from(node.querySelectorAll('a')).map(a => a.href);
    expect(links).toContain(`https://doi.org/${record.doi}`);
    expect(links).toContain('https://opendata.cern.ch/record/5200');
    expect(node.textContent).toContain((record.license as { attribution: string }).attribution);
    const files = record.files as { uri: string; size: number; checksum: string }[];
    const rows = node.querySelectorAll('.odl-FileTable-row');
    expect(rows).toHaveLength(Math.min(files.length, 50));
    const first = rows[0];
    expect(first.querySelector('.odl-FileTable-name')!.textContent).toBe(
      files[0].uri.split('/').pop()
    );
    expect(first.querySelector('.odl-FileTable-checksum')!.textContent).toBe(files[0].checksum);
    expect(node.querySelector('[role="toolbar"]')!.querySelectorAll('button')).toHaveLength(4);
  });

  it('pages a DELPHI file list of thousands instead of rendering it whole', () => {
    const record = largestFileList();
    const total = (record.files as unknown[]).length;
    expect(total).toBeGreaterThan(1000);
    const node = render(record).node;
    expect(node.querySelectorAll('.odl-FileTable-row')).toHaveLength(50);
    const status = node.querySelector('.odl-FileTable-status')!;
    expect(status.textContent).toBe(`Files 1–50 of ${total}`);
    (node.querySelector('.odl-FileTable-next') as HTMLButtonElement).click();
    expect(status.textContent).toBe(`Files 51–100 of ${total}`);
    const names = Array.from(node.querySelectorAll('.odl-FileTable-name')).map(n => n.textContent);
    expect(names[0]).toBe((record.files as { uri: string }[])[50].uri.split('/').pop());
  });

  it('expands a file index only on demand', () => {
    const record = fixture('cms-primary-datasets-Run2011A.json', '17');
    const node = render(record).node;
    const indexes = node.querySelectorAll('details.odl-RecordView-index');
    expect(indexes.length).toBeGreaterThan(0);
    const first = indexes[0] as HTMLDetailsElement;
    expect(first.querySelector('.odl-FileTable')).toBeNull();
    first.open = true;
    first.dispatchEvent(new Event('toggle'));
    expect(first.querySelector('.odl-FileTable')).not.toBeNull();
  });

  it('renders hostile title, abstract and usage inert: no scripts, no handlers, no javascript: links', () => {
    const real = fixture('cms-derived-csv-2012.json', '5200');
    const record: CatalogRecord = {
      ...real,
      title: HOSTILE,
      abstract: { description: `<p>Real text.</p>${HOSTILE}` },
      usage: { description: HOSTILE },
      system_details: { description: HOSTILE },
      collaboration: { name: HOSTILE },
      authors: [{ name: HOSTILE }]
    };
    const node = render(record).node;
    // Plain fields are text: the payload is shown, not parsed.
    expect(node.querySelector('.odl-RecordView-title')!.textContent).toBe(HOSTILE);
    expect(node.querySelector('.odl-RecordView-collaboration')!.textContent).toBe(HOSTILE);
    // HTML fields went through the sanitizer: formatting stays, everything active is gone.
    expect(node.querySelector('.odl-RecordView-html p')!.textContent).toBe('Real text.');
    expect(node.querySelectorAll('script, iframe, svg, img[onerror]')).toHaveLength(0);
    for (const element of Array.from(node.querySelectorAll('*'))) {
      for (const attribute of Array.from(element.attributes)) {
        expect(attribute.name.startsWith('on')).toBe(false);
        expect(attribute.value.trim().toLowerCase().startsWith('javascript:')).toBe(false);
      }
    }
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  it('folds long author lists', () => {
    const real = fixture('cms-derived-csv-2012.json', '5200');
    const authors = Array.from({ length: 3308 }, (_, i) => ({ name: `Author${i}, A.` }));
    const node = render({ ...real, authors }).node;
    expect(node.querySelector('.odl-RecordView-authorList')!.textContent!.split('; ')).toHaveLength(
      10
    );
    expect(node.querySelector('.odl-RecordView-moreAuthors summary')!.textContent).toBe(
      '3298 more authors'
    );
  });
});
