// The static pictures of figures (figureSvg) read back: bar heights and positions, outline levels,
// points and error bars, heatmap cells are turned back into numbers through the picture's own
// tick marks and labels, and compared with counts made here from the data files line by line.
import path from 'node:path';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { JSDOM } from 'jsdom';
import {
  Axis,
  Hist1D,
  Hist2D,
  comparisonFigure,
  compareHEPData,
  figureBundle,
  figureSvg,
  histogram2DFigure,
  histogramFigure,
  histogramSummary,
  histogramsFigure,
  numericColumn,
  readCSV,
  readHEPData
} from '../../kernel-helpers/src';
import { REPO_ROOT, sharedPath } from '../support/shared-data';

const ZMUMU = path.join(REPO_ROOT, 'data', 'events', 'Zmumu.csv');
const { DOMParser } = new JSDOM('').window;

/** Zmumu.csv's columns by name, parsed here line by line. */
function columns(file: string, ...names: string[]): number[][] {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const index = names.map(n => header.split(',').indexOf(n));
  return index.map(i => rows.map(r => Number(r.split(',')[i])));
}

/** Counts of values in uniform bins [lo + k·w, lo + (k+1)·w), counted here. */
function countBins(values: number[], bins: number, lo: number, hi: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins;
  for (const v of values) {
    if (v >= lo && v < hi) counts[Math.min(bins - 1, Math.floor((v - lo) / w))]++;
  }
  return counts;
}

/** Parses the SVG as XML (fails on anything not well-formed). */
function parse(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  expect(doc.documentElement.tagName).toBe('svg');
  return doc;
}

/** A tick label as a number: "−2", "1.5k", "10". */
function labelValue(text: string): number {
  const m = /^(-?[\d.]+)([kMG]?)$/.exec(text.replace('\u2212', '-'));
  if (!m) throw new Error(`not a tick label: ${text}`);
  return Number(m[1]) * { '': 1, k: 1e3, M: 1e6, G: 1e9 }[m[2] as '' | 'k' | 'M' | 'G'];
}

/**
 * The map pixel → value of an axis, fitted through its tick marks and their labels (log axes in
 * log10 units), with the value one pixel spans.
 */
function axisMap(doc: Document, id: string, log = false) {
  const isX = id.startsWith('x');
  const axisPath = doc.querySelector(`path.axis[data-axis="${id}"]`)!.getAttribute('d')!;
  const marks = [...axisPath.matchAll(isX ? /M([\d.]+) [\d.]+v5/g : /M[\d.]+ ([\d.]+)h-5/g)].map(
    m => Number(m[1])
  );
  const labels = [...doc.querySelectorAll(`g.${isX ? 'xtick' : 'ytick'}[data-axis="${id}"] text`)]
    .map(t => labelValue(t.textContent!))
    .map(v => (log ? Math.log10(v) : v));
  expect(labels.length).toBe(marks.length);
  expect(labels.length).toBeGreaterThanOrEqual(3);
  const [p0, p1] = [marks[0], marks[marks.length - 1]];
  const [v0, v1] = [labels[0], labels[labels.length - 1]];
  const perPixel = (v1 - v0) / (p1 - p0);
  // Every tick sits where the fit says (labels are the values at the marks).
  marks.forEach((p, i) =>
    expect(Math.abs(v0 + (p - p0) * perPixel - labels[i])).toBeLessThan(Math.abs(perPixel) * 0.15)
  );
  const value = (p: number) => v0 + (p - p0) * perPixel;
  return { value: log ? (p: number) => 10 ** value(p) : value, perPixel: Math.abs(perPixel) };
}

/** Bars of a bars path: [x0, x1, base, top] each. */
function bars(doc: Document): number[][] {
  const d = doc.querySelector('path.bars')!.getAttribute('d')!;
  return [...d.matchAll(/M([\d.]+) ([\d.]+)V([\d.]+)H([\d.]+)V([\d.]+)Z/g)].map(m => [
    Number(m[1]),
    Number(m[4]),
    Number(m[2]),
    Number(m[3])
  ]);
}

/** A pull as the summary writes it: 4 significant digits, a real minus sign. */
function fmtPull(v: number): string {
  return String(Number(v.toPrecision(4))).replace('-', '\u2212');
}

/** The CMS four-muon masses (in TeV) compared with a HEPData table of the validator's test data. */
function fourLeptonComparison() {
  const [table] = readHEPData(
    sharedPath('hepdata', 'validator', 'test_data', 'valid_data_with_percent.yaml')
  );
  const edges = [0.26, ...table.independent_variables[0].values.map(b => b.high!)];
  const fourMu = readCSV(path.join(REPO_ROOT, 'data', 'events', '4mu_2012.csv'));
  const h = new Hist1D(edges).fill(numericColumn(fourMu, 'M').map(m => m / 1000));
  return { table, c: compareHEPData(table, h, { normalize: 'table' }) };
}

// Coordinates are written to 0.1 px: a value read back is within ~0.15 px of the truth.
const PX = 0.15;

describe('figureSvg', () => {
  const [mass] = columns(ZMUMU, 'M');
  const counts = countBins(mass, 100, 60, 120);

  test('a 100-bin histogram: each bar spans its bin and rises to its count', () => {
    const h = new Hist1D(100, 60, 120).fill(mass);
    const doc = parse(figureSvg(histogramFigure(h, { xTitle: 'M [GeV]' })));
    const x = axisMap(doc, 'x');
    const y = axisMap(doc, 'y');
    const drawn = bars(doc);
    expect(drawn).toHaveLength(counts.filter(c => c > 0).length);
    const seen = new Array<number>(100).fill(0);
    for (const [x0, x1, base, top] of drawn) {
      const lo = x.value(x0);
      const k = Math.round((lo - 60) / 0.6);
      expect(Math.abs(lo - (60 + 0.6 * k))).toBeLessThan(x.perPixel * PX);
      expect(Math.abs(x.value(x1) - (60 + 0.6 * (k + 1)))).toBeLessThan(x.perPixel * PX);
      expect(Math.abs(y.value(base))).toBeLessThan(y.perPixel * PX);
      seen[k] = y.value(top);
    }
    seen.forEach((v, k) => expect(Math.abs(v - counts[k])).toBeLessThan(y.perPixel * 2 * PX));
    expect(Math.max(...counts)).toBeGreaterThan(100); // so the heights are checked at scale
  });

  test('a log y axis: decades labelled, bar tops at log10 of the counts, empty bins not drawn', () => {
    const sparse = countBins(mass, 100, 0, 200);
    const h = new Hist1D(100, 0, 200).fill(mass);
    const figure = histogramFigure(h);
    (figure.layout.yaxis as { type?: string }).type = 'log';
    const doc = parse(figureSvg(figure));
    const labels = [...doc.querySelectorAll('g.ytick text')].map(t => t.textContent);
    // Every power of ten between the smallest and the largest count is labelled.
    const positive = sparse.filter(c => c > 0);
    const decades: string[] = [];
    for (
      let d = Math.ceil(Math.log10(Math.min(...positive)));
      10 ** d <= Math.max(...positive);
      d++
    ) {
      decades.push(String(10 ** d));
    }
    expect(decades.length).toBeGreaterThanOrEqual(2);
    expect(labels).toEqual(expect.arrayContaining(decades));
    const x = axisMap(doc, 'x');
    const y = axisMap(doc, 'y', true);
    const drawn = bars(doc);
    expect(drawn).toHaveLength(sparse.filter(c => c > 0).length);
    expect(sparse.filter(c => c === 0).length).toBeGreaterThan(10);
    for (const [x0, , , top] of drawn) {
      const k = Math.round(x.value(x0) / 2);
      expect(sparse[k]).toBeGreaterThan(0);
      // log10 of the count within what 0.15 px spans on this axis (log units per pixel).
      expect(Math.abs(Math.log10(y.value(top)) - Math.log10(sparse[k]))).toBeLessThan(
        y.perPixel * 2 * PX
      );
    }
  });

  test('overlaid outlines: the level over each bin centre is its count; a legend per histogram', () => {
    const [m, q1, q2] = columns(ZMUMU, 'M', 'Q1', 'Q2');
    const same = m.filter((_, i) => q1[i] === q2[i]);
    const opposite = m.filter((_, i) => q1[i] !== q2[i]);
    const figure = histogramsFigure(
      [
        { hist: new Hist1D(60, 60, 120).fill(opposite), name: 'opposite' },
        { hist: new Hist1D(60, 60, 120).fill(same), name: 'same <charge>' }
      ],
      { xTitle: 'M [GeV]' }
    );
    const doc = parse(figureSvg(figure));
    const x = axisMap(doc, 'x');
    const y = axisMap(doc, 'y');
    const lines = [...doc.querySelectorAll('path.line')].map(p => p.getAttribute('d')!);
    expect(lines).toHaveLength(2);
    [opposite, same].forEach((values, t) => {
      const want = countBins(values, 60, 60, 120);
      // Walk the path: horizontal runs [x0, x1] at a level.
      const runs: [number, number, number][] = [];
      let cx = 0;
      let cy = 0;
      for (const [, cmd, a, b] of lines[t].matchAll(/([MHV])([\d.]+)(?: ([\d.]+))?/g)) {
        if (cmd === 'M') [cx, cy] = [Number(a), Number(b)];
        else if (cmd === 'H') {
          runs.push([cx, Number(a), cy]);
          cx = Number(a);
        } else cy = Number(a);
      }
      want.forEach((count, k) => {
        const inside = 60.25 + k; // within the bin, off its centre (where the outline has a point)
        const run = runs.find(([x0, x1]) => x.value(x0) < inside && x.value(x1) > inside)!;
        expect(Math.abs(y.value(run[2]) - count)).toBeLessThan(y.perPixel * 2 * PX);
      });
    });
    const legend = [...doc.querySelectorAll('g.legend text')].map(t => t.textContent);
    expect(legend).toEqual(['opposite', 'same <charge>']);
  });

  test('a HEPData comparison: points at the table values, error bars as the table says', () => {
    const { table, c } = fourLeptonComparison();
    const doc = parse(figureSvg(comparisonFigure(c), { theme: 'dark' }));
    const y = axisMap(doc, 'y');
    const dots = [
      ...doc
        .querySelector('path.markers')!
        .getAttribute('d')!
        .matchAll(/M([\d.]+) ([\d.]+)h0/g)
    ].map(m => [Number(m[1]), Number(m[2])]);
    // Table values from the YAML itself, in the table's units.
    const values = table.dependent_variables[0].values.map(v => Number(v.value));
    expect(dots.map(([, p]) => y.value(p))).toHaveLength(values.length);
    dots.forEach(([, p], i) =>
      expect(Math.abs(y.value(p) - values[i])).toBeLessThan(y.perPixel * 2 * PX)
    );
    // The points' vertical error bars: from value − down to value + up.
    const errors = [...doc.querySelectorAll('path.errors')].map(e => e.getAttribute('d')!);
    const vertical = errors
      .flatMap(d => [...d.matchAll(/M([\d.]+) ([\d.]+)V([\d.]+)/g)])
      .map(m => [Number(m[1]), Number(m[2]), Number(m[3])]);
    dots.forEach(([px], i) => {
      const bar = vertical.find(
        ([x, , y1]) =>
          Math.abs(x - px) < 0.05 &&
          Math.abs(y.value(y1) - (values[i] + c.data.errorsUp[i])) < y.perPixel * 2 * PX
      )!;
      expect(bar).toBeDefined();
      expect(Math.abs(y.value(bar[1]) - (values[i] - c.data.errorsDown[i]))).toBeLessThan(
        y.perPixel * 2 * PX
      );
    });
    // The text says what each trace is: the points with their range, the pulls, χ²/ndf.
    const text = histogramSummary(comparisonFigure(c)).split('\n');
    const table7 = `${values.length} points, y from`;
    expect(text.find(l => l.startsWith(`${c.table}: `))).toContain(table7);
    const pulls = c.pulls.filter(Number.isFinite);
    expect(text).toContain(
      `pull: ${pulls.length} values from ${fmtPull(Math.min(...pulls))} to ${fmtPull(Math.max(...pulls))}`
    );
    expect(text[text.length - 1]).toMatch(new RegExp(`^χ²/ndf = [\\d,.]+/${c.ndf}, p = `));
    // Black points take the theme's ink: white on the dark background.
    expect(doc.querySelector('path.markers')!.getAttribute('stroke')).toBe('#ffffff');
    expect(doc.querySelector('rect')!.getAttribute('fill')).toBe('#111111');
  });

  test("a long y title is cut to its panel's height, so the pull panel's title does not run into it", () => {
    const figure = comparisonFigure(fourLeptonComparison().c);
    const doc = parse(figureSvg(figure));
    const titles = [...doc.querySelectorAll('text[transform]')];
    expect(titles.length).toBe(2); // the main panel's y title and the pull panel's
    const heights = ['y', 'y2'].map(id => {
      const ticks = [...doc.querySelectorAll(`g.ytick[data-axis="${id}"] text`)];
      const ys = ticks.map(t => Number(t.getAttribute('y')));
      return Math.max(...ys) - Math.min(...ys);
    });
    // The table's y title (with its units) is longer than the main panel is high, at 0.6 em a glyph.
    const full = (figure.layout as { yaxis: { title: { text: string } } }).yaxis.title.text;
    expect(full.length * 12 * 0.6).toBeGreaterThan(heights[0] + 40);
    titles.forEach((t, i) =>
      expect(t.textContent!.length * 12 * 0.6).toBeLessThanOrEqual(heights[i] + 40)
    );
    expect(titles[0].textContent).toBe(`${full.slice(0, titles[0].textContent!.length - 1)}…`);
    expect(titles[1].textContent).toBe('Pull');
  });

  test('a heatmap is one PNG, a pixel per cell, its colour index scaled to the count', () => {
    const [eta1, eta2] = columns(ZMUMU, 'eta1', 'eta2');
    const h = new Hist2D(new Axis(24, -2.4, 2.4), new Axis(24, -2.4, 2.4)).fill(eta1, eta2);
    const doc = parse(figureSvg(histogram2DFigure(h)));
    const href = doc.querySelector('image')!.getAttribute('xlink:href')!;
    const png = Buffer.from(href.replace(/^data:image\/png;base64,/, ''), 'base64');
    // Read back with zlib (not the writer's code): chunks, IHDR, palette indices per row.
    let at = 8;
    const idat: Buffer[] = [];
    let width = 0;
    let height = 0;
    while (at < png.length) {
      const length = png.readUInt32BE(at);
      const type = png.toString('latin1', at + 4, at + 8);
      const data = png.subarray(at + 8, at + 8 + length);
      expect(png.readUInt32BE(at + 8 + length)).toBe(
        zlib.crc32(png.subarray(at + 4, at + 8 + length))
      );
      if (type === 'IHDR') [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
      if (type === 'IDAT') idat.push(data);
      at += 12 + length;
    }
    expect([width, height]).toEqual([24, 24]);
    const raw = zlib.inflateSync(Buffer.concat(idat));
    // Counted here: cell (ix, iy) of η1, η2 in 0.2-wide bins from −2.4.
    const cells = Array.from({ length: 24 }, () => new Array<number>(24).fill(0));
    eta1.forEach((a, i) => {
      const ix = Math.floor((a + 2.4) / 0.2 + 1e-9);
      const iy = Math.floor((eta2[i] + 2.4) / 0.2 + 1e-9);
      if (ix >= 0 && ix < 24 && iy >= 0 && iy < 24) cells[iy][ix]++;
    });
    const max = Math.max(...cells.flat());
    let checked = 0;
    for (let row = 0; row < 24; row++) {
      expect(raw[row * 25]).toBe(0); // filter: none
      for (let ix = 0; ix < 24; ix++) {
        const iy = 23 - row; // the image's top row is the highest y
        const count = cells[iy][ix];
        const index = raw[row * 25 + 1 + ix];
        // Cells on a bin edge (rounding of η to 5 digits) may fall either side: allow one count.
        expect(Math.abs(index - (count / max) * 254)).toBeLessThanOrEqual(0.5 + 254 / max);
        checked++;
      }
    }
    expect(checked).toBe(576);
  });

  test('text from metadata is escaped; Plotly markup is read as text; the SVG stays well-formed', () => {
    const hostile = `<script>alert(1)</script> & "q" 'a' \u0001 ]]> <!-- x`;
    const figure = histogramFigure(
      { edges: [0, 1, 2], counts: [1, 2] },
      { title: hostile, xTitle: `<img src=x onerror=alert(2)>`, name: '<b>bold</b> &amp; more' }
    );
    const svg = figureSvg(figure);
    const doc = parse(svg);
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    expect(doc.getElementsByTagName('img')).toHaveLength(0);
    expect(svg).not.toMatch(/<script|<img|<!--/);
    expect(doc.querySelector('title')!.textContent).toBe(
      `<script>alert(1)</script> & "q" 'a' \ufffd ]]> <!-- x`
    );
    const texts = [...doc.querySelectorAll('text')].map(t => t.textContent);
    expect(texts).toContain('<img src=x onerror=alert(2)>');
    expect(texts).toContain('bold & more');
  });

  test('odd figures still give a well-formed picture with finite coordinates', () => {
    const figures: object[] = [
      { data: [] },
      { data: [{ type: 'bar', x: [1], y: [0] }] },
      histogramFigure({ edges: [0, 1, 2], counts: [0, 0] }),
      { data: [{ type: 'bar', x: [1, 2], y: [0, 0] }], layout: { yaxis: { type: 'log' } } },
      { data: [{ type: 'scatter', x: [1, NaN, 3, null], y: [1, 2, NaN, 4] }] },
      { data: [{ type: 'surface', z: [[1]] }], layout: { title: '3-D' } },
      histogramFigure({ edges: [-5, -1, 0, 3], counts: [-2, 5, 1e9] }),
      histogramFigure({ edges: [1e-12, 2e-12, 3e-12], counts: [1e-9, 3e-9] }),
      histogram2DFigure({
        xedges: [0, 1, 3, 10],
        yedges: [0, 2, 3],
        counts: [
          [1, 2],
          [3, 0],
          [0, 7]
        ]
      }),
      {
        data: [
          {
            type: 'heatmap',
            z: [
              [1, null],
              [NaN, 2]
            ]
          }
        ]
      },
      { data: [{ type: 'bar', x: [1], y: [1], marker: { color: 'red" onload="alert(1)' } }] },
      {
        data: [{ type: 'scatter', mode: 'markers', x: [1, 10, 100], y: [1, 2, 3] }],
        layout: { xaxis: { type: 'log' }, width: 300, height: 200 }
      }
    ];
    for (const figure of figures) {
      const svg = figureSvg(figure as { data: object[] });
      parse(svg);
      expect(svg).not.toMatch(/NaN|Infinity|undefined|onload/);
    }
    // The figure's own size unless one is asked for.
    const last = figures[figures.length - 1] as { data: object[] };
    expect(figureSvg(last)).toMatch(/^<svg [^>]*width="300" height="200"/);
    expect(figureSvg(last, { width: 500, height: 300 })).toMatch(
      /^<svg [^>]*width="500" height="300"/
    );
  });

  test('deterministic and small: sizes stay within budget', () => {
    const h = new Hist1D(100, 60, 120).fill(mass);
    const figure = histogramFigure(h, { title: 'Dimuon mass', xTitle: 'M [GeV]' });
    const svg = figureSvg(figure);
    expect(figureSvg(JSON.parse(JSON.stringify(figure)))).toBe(svg);
    expect(Buffer.byteLength(svg)).toBeLessThan(4_000);
    const bundle = figureBundle(h);
    expect(Buffer.byteLength(JSON.stringify(bundle))).toBeLessThan(20_000);
    const [eta1, eta2] = columns(ZMUMU, 'eta1', 'eta2');
    const h2 = new Hist2D(new Axis(100, -2.5, 2.5), new Axis(100, -2.5, 2.5)).fill(eta1, eta2);
    expect(Buffer.byteLength(figureSvg(histogram2DFigure(h2)))).toBeLessThan(20_000);
  });
});

describe('histogramSummary', () => {
  test('a Hist1D: entries, mean, std, underflow and overflow as computed here from the values', () => {
    const [mass] = columns(ZMUMU, 'M');
    const h = new Hist1D(40, 70, 110).fill(mass);
    const inRange = mass.filter(m => m >= 70 && m < 110);
    const mean = inRange.reduce((a, b) => a + b, 0) / inRange.length;
    const std = Math.sqrt(inRange.reduce((a, b) => a + (b - mean) ** 2, 0) / inRange.length);
    const text = histogramSummary(h);
    const number = (label: string) =>
      Number(new RegExp(`${label} ([\\d,.−]+)`).exec(text)![1].replace(/,/g, '').replace('−', '-'));
    expect(number('entries')).toBe(mass.length);
    expect(number('underflow')).toBe(mass.filter(m => m < 70).length);
    expect(number('overflow')).toBe(mass.filter(m => m >= 110).length);
    expect(number('mean')).toBeCloseTo(mean, 1);
    expect(Math.abs(number('mean') / mean - 1)).toBeLessThan(5e-4);
    expect(Math.abs(number('std') / std - 1)).toBeLessThan(5e-4);
    expect(text).toMatch(/^histogram: 40 bins from 70 to 110, [\d,]+ in range$/m);
  });

  test('a figure made from a histogram keeps its entries, flows and moments for the summary', () => {
    const [mass] = columns(ZMUMU, 'M');
    const h = new Hist1D(40, 70, 110).fill(mass);
    const below = mass.filter(m => m < 70).length;
    const above = mass.filter(m => m >= 110).length;
    expect(below).toBeGreaterThan(0);
    const figure = histogramFigure(h, { title: 'Dimuon mass' });
    // The same numbers as from the histogram itself, under the figure's title.
    expect(histogramSummary(figure)).toBe(`Dimuon mass\n${histogramSummary(h)}`);
    expect(histogramSummary(figure)).toContain(`underflow ${below}, overflow ${above}`);
    const overlay = histogramsFigure([{ hist: h, name: 'all' }]);
    expect(histogramSummary(overlay)).toBe(
      histogramSummary(h).replace(/^histogram: /, 'all: histogram, ')
    );
  });

  test('a Hist2D and a figure of one: binning, entries, out of range', () => {
    const [eta1, eta2] = columns(ZMUMU, 'eta1', 'eta2');
    const h = new Hist2D(new Axis(10, -1, 1), new Axis(10, -1, 1)).fill(eta1, eta2);
    const inside = eta1.filter((a, i) => a >= -1 && a < 1 && eta2[i] >= -1 && eta2[i] < 1).length;
    const text = histogramSummary(h);
    expect(text).toContain(
      `2-D histogram: 10 × 10 bins, x from −1 to 1, y from −1 to 1, ${inside.toLocaleString('en-US')} in range`
    );
    expect(text).toContain(`entries ${eta1.length.toLocaleString('en-US')}`);
    expect(text).toContain(`outside the range ${(eta1.length - inside).toLocaleString('en-US')}`);
    // The figure keeps the histogram's entries, flows and moments: the same summary.
    expect(histogramSummary(histogram2DFigure(h, { title: 'η₁ vs η₂' }))).toBe(`η₁ vs η₂\n${text}`);
  });
});
