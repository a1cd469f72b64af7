// A cell ending with one of the helpers' values shows it through Jupyter's display protocol
// (a [Symbol.for('Jupyter.display')]() mime bundle, asked for by Deno's kernel and the patched
// tslab): a histogram as its plot, a table as its head, a record as its card, an error as its
// message. Everything from data or metadata arrives escaped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  Axis,
  Hist1D,
  Hist2D,
  OpenDataError,
  PLOTLY_MIME,
  readCSV,
  snapshotCatalog
} from '../../kernel-helpers/src';
import { recordBundle } from '../../kernel-helpers/src/core/record-display';

const SNAPSHOT = path.resolve(__dirname, '../../data/catalog');

const DISPLAY = Symbol.for('Jupyter.display');

function bundleOf(value: unknown): Record<string, unknown> {
  const method = (value as Record<symbol, unknown>)[DISPLAY];
  expect(typeof method).toBe('function');
  return (method as () => Record<string, unknown>).call(value);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** The text of an HTML fragment as a browser shows it: tags dropped, entities decoded. */
function shownText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ENTITIES[e]);
}

/** The shown texts of every <tag>…</tag> in an HTML fragment. */
function cells(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, 'g'))].map(m => shownText(m[1]));
}

test('a Hist1D shows as its Plotly bars, with a text summary', () => {
  const h = new Hist1D(4, 0, 2).fill([-1, 0.1, 0.6, 0.7, 1.9, 2, 5]);
  const bundle = bundleOf(h);
  const figure = bundle[PLOTLY_MIME] as { data: { x: number[]; y: number[] }[] };
  // Counted by hand: [0,0.5) 1, [0.5,1) 2, [1,1.5) 0, [1.5,2) 1; 1 below, 2 at or above 2.
  expect(figure.data[0].y).toEqual([1, 2, 0, 1]);
  expect(figure.data[0].x).toEqual([0.25, 0.75, 1.25, 1.75]);
  // The in-range values 0.1, 0.6, 0.7, 1.9: mean 0.825, std 0.661 (population), by hand.
  expect(bundle['text/plain']).toBe(
    'histogram: 4 bins from 0 to 2, 4 in range\nentries 7, mean 0.825, std 0.661, underflow 1, overflow 2'
  );
  expect(bundle['image/svg+xml']).toMatch(/^<svg /);
  // Not enumerable: JSON and the keys of a histogram are unchanged.
  expect(Object.keys(h)).not.toContain(String(DISPLAY));
  expect(JSON.parse(JSON.stringify(h)).counts).toEqual([1, 2, 0, 1]);
});

test('a Hist2D shows as its heatmap', () => {
  const h = new Hist2D(new Axis(2, 0, 2), new Axis(1, 0, 1)).fill([0.5, 1.5, 1.5], [0.5, 0.5, 0.2]);
  const figure = bundleOf(h)[PLOTLY_MIME] as { data: { type: string; z: number[][] }[] };
  expect(figure.data[0].type).toBe('heatmap');
  expect(figure.data[0].z).toEqual([[1, 2]]);
});

describe('a table', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rich-display-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('shows its head: column names, their types and the row count, escaped', () => {
    const file = path.join(dir, 'events.csv');
    const rows = Array.from({ length: 1234 }, (_, i) => `${i},${i / 4},mu`);
    fs.writeFileSync(
      file,
      ['Event,"<img src=x onerror=alert(1)>",kind', ...rows].join('\n') + '\n'
    );
    const bundle = bundleOf(readCSV(file));
    const html = bundle['text/html'] as string;
    expect(html).not.toContain('<img');
    expect(cells(html, 'th')).toEqual(['Event', '<img src=x onerror=alert(1)>', 'kind']);
    const types = cells(html, 'td');
    expect(types).toHaveLength(3);
    expect(types[1]).toMatch(/^Float/);
    expect(cells(html, 'div')).toEqual(['Table: 1,234 rows × 3 columns']);
    expect(bundle['text/plain']).toMatch(/^Table: 1,234 rows × 3 columns\n {2}Event: /);
  });
});

test('a record from the catalog shows as a card with its title, DOI and citation', async () => {
  const record = await snapshotCatalog(SNAPSHOT).get(5200);
  // The record as the snapshot stores it, read here without the helpers.
  const shards = fs.readdirSync(path.join(SNAPSHOT, 'records'));
  const stored = shards
    .map(f =>
      JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(SNAPSHOT, 'records', f))).toString())
    )
    .find(shard => shard['5200'])['5200'] as { title: string; doi: string };
  const html = bundleOf(record)['text/html'] as string;
  const text = shownText(html);
  expect(text).toContain(stored.title);
  expect(text).toContain(`DOI: ${stored.doi}`);
  expect(html).toContain(`href="https://doi.org/${stored.doi}"`);
  expect(text).toMatch(new RegExp(`Cite as: .*${stored.doi.replace(/[./]/g, '\\$&')}`, 'i'));
  // The record's own fields are unchanged: the method is not enumerable, JSON does not carry it.
  expect(JSON.parse(JSON.stringify(record))).toEqual(JSON.parse(JSON.stringify({ ...record })));
  expect(Object.keys(record)).toEqual(Object.keys(stored));
});

test('a hostile record card stays inert', () => {
  const html = recordBundle({
    recid: 1,
    title: 'Higgs <script>alert(1)</script>',
    doi: '10.1/x" onmouseover="alert(1)'
  })['text/html'] as string;
  expect(html).not.toMatch(/<script|" onmouseover/);
  expect(shownText(html)).toContain('Higgs <script>alert(1)</script>');
});

test('an error from the helpers shows its code and message, escaped', () => {
  const bundle = bundleOf(new OpenDataError('E_NOT_FOUND', 'no file "<b>x</b>.csv"'));
  expect(bundle['text/plain']).toBe('OpenDataError [E_NOT_FOUND]: no file "<b>x</b>.csv"');
  expect(shownText(bundle['text/html'] as string)).toBe(
    'OpenDataError [E_NOT_FOUND]: no file "<b>x</b>.csv"'
  );
});
