// The figures' PDF pictures (application/pdf in every figure bundle, what nbconvert's LaTeX export
// includes): the file's structure (cross-reference offsets, stream lengths), text escaping, and the
// drawing read back from the SVG (bars as rectangles, heatmap as an image XObject).
import zlib from 'node:zlib';
import {
  Axis,
  Hist1D,
  Hist2D,
  figureBundle,
  figureSvg,
  histogram2DFigure
} from '../../kernel-helpers/src';
import { explorerSvg } from '../../kernel-helpers/src/core/explorer-svg';
import { pdfFile, pdfString } from '../../kernel-helpers/src/core/pdf-writer';
import { svgToPdf } from '../../kernel-helpers/src/core/svg-pdf';

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** Checks what a reader checks first: every xref offset starts its object, streams' lengths. */
function checkStructure(pdf: Uint8Array): string {
  const text = latin1(pdf);
  expect(text.startsWith('%PDF-1.4\n')).toBe(true);
  expect(text.endsWith('%%EOF\n')).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
  expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!;
  expect(Number(first)).toBe(0);
  const entries = text
    .slice(startxref)
    .split('\n')
    .slice(2, 2 + Number(count));
  expect(entries[0]).toBe('0000000000 65535 f ');
  entries.slice(1).forEach((entry, k) => {
    expect(entry).toMatch(/^\d{10} 00000 n $/);
    const offset = Number(entry.slice(0, 10));
    expect(text.slice(offset, offset + `${k + 1} 0 obj\n`.length)).toBe(`${k + 1} 0 obj\n`);
  });
  expect(new RegExp(`/Size ${count} `).test(text)).toBe(true);
  for (const m of text.matchAll(/\/Length (\d+)(?:>>|[^\n]*>>)\nstream\n/g)) {
    const start = m.index! + m[0].length;
    expect(text.slice(start + Number(m[1]), start + Number(m[1]) + 10)).toBe('\nendstream');
  }
  return text;
}

function contentStream(text: string): string {
  return /4 0 obj\n<<\/Length \d+>>\nstream\n([\s\S]*?)\nendstream/.exec(text)![1];
}

describe('pdf writer', () => {
  it('writes a file whose cross-reference offsets and stream lengths are right', () => {
    const pdf = pdfFile({ width: 100, height: 50, content: '0 0 1 rg 10 10 20 20 re f' });
    const text = checkStructure(pdf);
    expect(text).toContain('/MediaBox [0 0 100 50]');
    expect(contentStream(text)).toBe('0 0 1 rg 10 10 20 20 re f');
  });

  it('escapes parentheses and backslashes, writes Latin-1 as octal and replaces the rest', () => {
    expect(pdfString('f(x) = a\\b')).toBe('(f\\(x\\) = a\\\\b)');
    expect(pdfString('é µ')).toBe('(\\351 \\265)');
    // Minus sign and en dash have WinAnsi codes, subscript digits are drawn plain; Greek (drawn
    // in Symbol by the figure) and emoji have none here: one '?' per character.
    expect(pdfString('\u2212 \u2013')).toBe('(- \\226)');
    expect(pdfString('η₁ m² 😀')).toBe('(?1 m\\262 ?)');
    expect(pdfString('a\nb')).toBe('(a?b)');
  });

  it('draws Greek letters in the Symbol font, switching back for the rest', () => {
    const text = checkStructure(
      svgToPdf(figureSvg({ data: [], layout: { title: 'η₁ vs Δφ (μμ)' } }))
    );
    const stream = contentStream(text);
    expect(stream).toContain(
      '/F3 16 Tf (h) Tj /F1 16 Tf (1 vs ) Tj /F3 16 Tf (Df) Tj /F1 16 Tf ( \\() Tj /F3 16 Tf (mm) Tj /F1 16 Tf (\\)) Tj'
    );
    expect(text).toContain('/F3 7 0 R');
    expect(text).toContain('7 0 obj\n<</Type /Font /Subtype /Type1 /BaseFont /Symbol>>');
  });

  it('keeps a hostile title inside its string in the figure', () => {
    const title = 'Z) Tj ET 0 0 m (\\';
    const text = checkStructure(svgToPdf(figureSvg({ data: [], layout: { title } })));
    const stream = contentStream(text);
    expect(stream).toContain('(Z\\) Tj ET 0 0 m \\(\\\\) Tj');
  });
});

describe('figure PDFs', () => {
  it('draws one rectangle per non-empty bin, heights proportional to the counts', () => {
    const values = [1, 1, 2, 3, 3, 3, 5, 7, 7, 7, 7, 9];
    const h = new Hist1D(10, 0, 10).fill(values);
    const bundle = figureBundle(h);
    const text = checkStructure(Buffer.from(bundle['application/pdf']!, 'base64'));
    const bars = /\/bars BMC (.*?) EMC/s.exec(contentStream(text))![1];
    const rects = [...bars.matchAll(/(\S+) (\S+) (\S+) (\S+) re/g)].map(m =>
      m.slice(1).map(Number)
    );
    const counts = Array.from(
      { length: 10 },
      (_, b) => values.filter(v => Math.floor(v) === b).length
    );
    const filled = counts.filter(c => c > 0);
    expect(rects).toHaveLength(filled.length);
    const unit = rects[0][3] / filled[0];
    rects.forEach((r, k) => expect(r[3]).toBeCloseTo(filled[k] * unit, 0));
    // The same bars as the SVG's path, one subpath each.
    const svgBars = /class="bars"[^>]* d="([^"]*)"/.exec(bundle['image/svg+xml'])![1];
    expect(svgBars.match(/M/g)).toHaveLength(rects.length);
  });

  it('carries the heatmap as an indexed image whose rows are the PNG rows', () => {
    const h2 = new Hist2D(new Axis(3, 0, 3), new Axis(2, 0, 2)).fill(
      [0.5, 1.5, 2.5, 2.5],
      [0.5, 1.5, 1.5, 1.5]
    );
    const pdf = svgToPdf(figureSvg(histogram2DFigure(h2)));
    const text = checkStructure(pdf);
    const image = /\/Width 3 \/Height 2 [^\n]*\/Length (\d+)>>\nstream\n/.exec(text)!;
    const start = image.index! + image[0].length;
    const rows = zlib.inflateSync(Buffer.from(pdf.subarray(start, start + Number(image[1]))));
    // Two rows of a filter byte and 3 indices; top row is y bin 1: counts 0, 1, 2 → 0, 127, 254; then 1, 0, 0.
    expect([...rows]).toEqual([0, 0, 127, 254, 0, 127, 0, 0]);
    expect(text).toMatch(/\/ColorSpace \[\/Indexed \/DeviceRGB 255 <[0-9a-f]{1536}>\]/);
    expect(contentStream(text)).toMatch(/cm \/Im0 Do Q/);
  });

  it('reads the explorer picture too, bold panel names in Helvetica-Bold', () => {
    const svg = explorerSvg(
      [{ name: 'pt (GeV)', lo: 0, hi: 10, counts: [1, 2, 0, 4], totals: [2, 2, 1, 4], log: false }],
      'Explorer',
      ['pt > 2']
    );
    const stream = contentStream(checkStructure(svgToPdf(svg)));
    expect(stream).toContain('/F2 13 Tf');
    expect(stream).toContain('(pt \\(GeV\\)) Tj');
    expect(stream.match(/ re/g)!.length).toBeGreaterThanOrEqual(1 + 3); // card + 3 bars
  });

  it('refuses SVG it does not understand instead of dropping it', () => {
    expect(() => svgToPdf('<svg width="10" height="10"><circle r="3"/></svg>')).toThrow(/circle/);
  });
});
