// A minimal PDF 1.4 writer: one page, a content stream of drawing operators, the base-14
// Helvetica fonts (no font embedded) and indexed-colour images. nbconvert's LaTeX/PDF export
// includes a figure's application/pdf as it is, where it would otherwise need Inkscape to convert
// the SVG. Browser-safe, no dependencies.

/** An image XObject: Flate-compressed rows with PNG predictors (a PNG's IDAT data, unchanged). */
export interface PdfImage {
  width: number;
  height: number;
  /** RGB triples of the palette the pixels index. */
  palette: Uint8Array;
  /** zlib data of the rows, each led by its PNG filter byte. */
  data: Uint8Array;
  /** A palette index drawn transparent (a colour-key mask). */
  transparent?: number;
}

export interface PdfPage {
  width: number;
  height: number;
  /** Content stream operators; fonts are /F1 (Helvetica), /F2 (Helvetica-Bold), /F3 (Symbol). */
  content: string;
  /** Images the content draws as /Im0, /Im1, … in this order. */
  images?: PdfImage[];
  /** Fill opacities the content selects as /A0, /A1, … with `gs`. */
  fillOpacities?: number[];
}

/** A number for a content stream: at most 2 decimals (a hundredth of a point), no exponent. */
export function pdfNumber(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const rounded = Math.round(v * 100) / 100;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

// WinAnsiEncoding codes of the characters beyond Latin-1 it holds (figures' minus signs, dashes…).
const WIN_ANSI_EXTRA: Record<number, number> = {
  0x20ac: 0x80,
  0x201a: 0x82,
  0x0192: 0x83,
  0x201e: 0x84,
  0x2026: 0x85,
  0x2020: 0x86,
  0x2021: 0x87,
  0x02c6: 0x88,
  0x2030: 0x89,
  0x0160: 0x8a,
  0x2039: 0x8b,
  0x0152: 0x8c,
  0x017d: 0x8e,
  0x2018: 0x91,
  0x2019: 0x92,
  0x201c: 0x93,
  0x201d: 0x94,
  0x2022: 0x95,
  0x2013: 0x96,
  0x2014: 0x97,
  0x02dc: 0x98,
  0x2122: 0x99,
  0x0161: 0x9a,
  0x203a: 0x9b,
  0x0153: 0x9c,
  0x017e: 0x9e,
  0x0178: 0x9f,
  0x2212: 0x2d
};

// Sub- and superscript digits and signs (η₁, m²… come as Unicode from figure titles): drawn as
// the plain character, since the base-14 fonts have no such glyphs.
function plainScript(code: number): number {
  if (code >= 0x2080 && code <= 0x2089) return 0x30 + code - 0x2080;
  if (code === 0x2070) return 0x30;
  if (code >= 0x2074 && code <= 0x2079) return 0x30 + code - 0x2070;
  if (code === 0x207a || code === 0x208a) return 0x2b;
  if (code === 0x207b || code === 0x208b) return 0x2d;
  return code;
}

// Greek letters in the Symbol font's own encoding (α is 'a', η is 'h', Δ is 'D'…), in Unicode order.
const GREEK_LOWER = 'abgdezhqiklmnxoprVstufcyw'; // α…ω, with ς (final sigma) as 'V'
const GREEK_UPPER = 'ABGDEZHQIKLMNXOPR STUFCYW'; // Α…Ω (U+03A2 is unassigned)

/** The Symbol-font byte of a Greek letter (or µ), else undefined. */
export function symbolByte(code: number): number | undefined {
  let c: string | undefined;
  if (code >= 0x03b1 && code <= 0x03c9) c = GREEK_LOWER[code - 0x03b1];
  else if (code >= 0x0391 && code <= 0x03a9) c = GREEK_UPPER[code - 0x0391];
  return c && c !== ' ' ? c.charCodeAt(0) : undefined;
}

/** Text cut where it changes between Helvetica and the Symbol font (Greek letters). */
export function fontRuns(text: string): { symbol: boolean; text: string }[] {
  const runs: { symbol: boolean; text: string }[] = [];
  for (const ch of text) {
    const symbol = symbolByte(ch.codePointAt(0)!) !== undefined;
    const last = runs[runs.length - 1];
    if (last && last.symbol === symbol) last.text += ch;
    else runs.push({ symbol, text: ch });
  }
  return runs;
}

/** Greek text as a PDF string in the Symbol font's encoding. */
export function symbolString(text: string): string {
  let s = '(';
  for (const ch of text) {
    const b = symbolByte(ch.codePointAt(0)!) ?? 0x3f;
    s += String.fromCharCode(b);
  }
  return `${s})`;
}

/**
 * Text as WinAnsiEncoding bytes (what the base-14 fonts draw): Latin-1 as itself, a few
 * typographic characters mapped, anything else (Greek, CJK, emoji) a '?'.
 */
export function winAnsiBytes(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const code = plainScript(ch.codePointAt(0)!);
    if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff)) out.push(code);
    else if (WIN_ANSI_EXTRA[code] !== undefined) out.push(WIN_ANSI_EXTRA[code]);
    else out.push(0x3f);
  }
  return out;
}

/** A PDF literal string of text: parentheses and backslashes escaped, non-ASCII bytes octal. */
export function pdfString(text: string): string {
  let s = '(';
  for (const b of winAnsiBytes(text)) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) s += `\\${b.toString(8).padStart(3, '0')}`;
    else s += String.fromCharCode(b);
  }
  return `${s})`;
}

// Helvetica advance widths (1/1000 em) of ASCII 32..126, from the font's published metrics.
const HELVETICA_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
  556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
  611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
  667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
  222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584
];

/**
 * Width of text drawn in Helvetica at `size` (Greek letters in Symbol, ~549 units each): to
 * anchor text at its middle or end.
 */
export function helveticaWidth(text: string, size: number): number {
  let units = 0;
  for (const run of fontRuns(text)) {
    if (run.symbol) units += 549 * [...run.text].length;
    else {
      for (const b of winAnsiBytes(run.text)) {
        units += b >= 32 && b <= 126 ? HELVETICA_WIDTHS[b - 32] : 556;
      }
    }
  }
  return (units * size) / 1000;
}

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** The PDF file of one page. */
export function pdfFile(page: PdfPage): Uint8Array {
  const images = page.images ?? [];
  const opacities = page.fillOpacities ?? [];
  // Objects 1..: catalog, pages, page, content, three fonts, then one per image.
  const objects: (string | Uint8Array)[][] = [];
  const content = ascii(page.content);
  const xobjects = images.map((_, k) => `/Im${k} ${8 + k} 0 R`).join(' ');
  const states = opacities.map((a, k) => `/A${k} <</ca ${pdfNumber(a)}>>`).join(' ');
  objects.push(['<</Type /Catalog /Pages 2 0 R>>']);
  objects.push(['<</Type /Pages /Kids [3 0 R] /Count 1>>']);
  objects.push([
    `<</Type /Page /Parent 2 0 R /MediaBox [0 0 ${pdfNumber(page.width)} ${pdfNumber(page.height)}]` +
      ` /Resources <</Font <</F1 5 0 R /F2 6 0 R /F3 7 0 R>>` +
      (xobjects ? ` /XObject <<${xobjects}>>` : '') +
      (states ? ` /ExtGState <<${states}>>` : '') +
      `>> /Contents 4 0 R>>`
  ]);
  objects.push([`<</Length ${content.length}>>\nstream\n`, content, '\nendstream']);
  for (const name of ['Helvetica', 'Helvetica-Bold']) {
    objects.push([`<</Type /Font /Subtype /Type1 /BaseFont /${name} /Encoding /WinAnsiEncoding>>`]);
  }
  // Symbol keeps its built-in encoding (Greek letters at Latin letters' codes).
  objects.push(['<</Type /Font /Subtype /Type1 /BaseFont /Symbol>>']);
  for (const image of images) {
    const colours = image.palette.length / 3;
    const mask =
      image.transparent === undefined ? '' : ` /Mask [${image.transparent} ${image.transparent}]`;
    objects.push([
      `<</Type /XObject /Subtype /Image /Width ${image.width} /Height ${image.height}` +
        ` /ColorSpace [/Indexed /DeviceRGB ${colours - 1} <${hex(image.palette)}>]` +
        ` /BitsPerComponent 8${mask} /Filter /FlateDecode` +
        ` /DecodeParms <</Predictor 15 /Colors 1 /BitsPerComponent 8 /Columns ${image.width}>>` +
        ` /Length ${image.data.length}>>\nstream\n`,
      image.data,
      '\nendstream'
    ]);
  }

  // A binary comment after the header tells transfer tools the file is binary.
  const parts: Uint8Array[] = [ascii('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')];
  let length = parts[0].length;
  const offsets: number[] = [];
  const add = (part: string | Uint8Array): void => {
    const bytes = typeof part === 'string' ? ascii(part) : part;
    parts.push(bytes);
    length += bytes.length;
  };
  objects.forEach((pieces, k) => {
    offsets.push(length);
    add(`${k + 1} 0 obj\n`);
    pieces.forEach(add);
    add('\nendobj\n');
  });
  const xref = length;
  // Each cross-reference entry is exactly 20 bytes: 10-digit offset, generation, type, EOL.
  add(
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
      offsets.map(o => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
      `trailer\n<</Size ${objects.length + 1} /Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`
  );
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
