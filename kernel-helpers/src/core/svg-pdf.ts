// The PDF of a figure's SVG picture: the SVG that figure-svg.ts and explorer-svg.ts write is the
// one drawing description, and this reads it back into PDF operators, so the two pictures cannot
// drift apart. It understands exactly the subset those writers use — <svg>, <g>, <rect>, <path>
// (M L H V h v l m Z), <text> (anchor, weight, translate/rotate), <image> (our indexed PNGs) and
// <title> (skipped) —
// with fill, stroke, stroke-width, stroke-linecap, fill-opacity and font-size, inherited through
// groups. Anything else throws, so a new SVG feature cannot silently go missing from the PDF.
// Browser-safe.
import {
  fontRuns,
  helveticaWidth,
  pdfFile,
  pdfNumber,
  pdfString,
  symbolString,
  type PdfImage
} from './pdf-writer';

type Attrs = Record<string, string>;

const INHERITED = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'fill-opacity',
  'font-size',
  'font-weight',
  'text-anchor'
];

const NAMED: Record<string, string> = {
  black: '000000',
  white: 'ffffff',
  red: 'ff0000',
  green: '008000',
  blue: '0000ff',
  orange: 'ffa500',
  purple: '800080',
  gray: '808080',
  grey: '808080',
  yellow: 'ffff00',
  cyan: '00ffff',
  magenta: 'ff00ff',
  brown: 'a52a2a',
  pink: 'ffc0cb',
  navy: '000080',
  teal: '008080',
  olive: '808000',
  maroon: '800000',
  lime: '00ff00',
  silver: 'c0c0c0',
  steelblue: '4682b4',
  darkblue: '00008b',
  darkred: '8b0000',
  darkgreen: '006400',
  darkorange: 'ff8c00',
  crimson: 'dc143c',
  gold: 'ffd700',
  indigo: '4b0082',
  violet: 'ee82ee'
};

/** An SVG colour as PDF RGB components and its alpha; null for none. */
function parseColour(value: string | undefined): { rgb: string; alpha: number } | null {
  const v = (value ?? 'black').trim().toLowerCase();
  if (v === 'none' || v === 'transparent') return null;
  let r = 0;
  let g = 0;
  let b = 0;
  let alpha = 1;
  const hexMatch = /^#([0-9a-f]{3,8})$/.exec(v);
  const rgbMatch = /^rgba?\(([^)]*)\)$/.exec(v);
  const hex = hexMatch ? hexMatch[1] : NAMED[v];
  if (hex && (hex.length === 3 || hex.length === 4)) {
    [r, g, b] = [0, 1, 2].map(i => parseInt(hex[i] + hex[i], 16));
    if (hex.length === 4) alpha = parseInt(hex[3] + hex[3], 16) / 255;
  } else if (hex && (hex.length === 6 || hex.length === 8)) {
    [r, g, b] = [0, 2, 4].map(i => parseInt(hex.slice(i, i + 2), 16));
    if (hex.length === 8) alpha = parseInt(hex.slice(6, 8), 16) / 255;
  } else if (rgbMatch) {
    const parts = rgbMatch[1].split(',').map(p => p.trim());
    [r, g, b] = parts
      .slice(0, 3)
      .map(p => (p.endsWith('%') ? (parseFloat(p) * 255) / 100 : parseFloat(p)));
    if (parts[3] !== undefined) alpha = parseFloat(parts[3]);
  }
  const unit = (x: number): string => pdfNumber(Math.min(1, Math.max(0, (x || 0) / 255)));
  return { rgb: `${unit(r)} ${unit(g)} ${unit(b)}`, alpha: Number.isFinite(alpha) ? alpha : 1 };
}

function readAttributes(source: string): Attrs {
  const attrs: Attrs = {};
  for (const m of source.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[m[1]] = unescapeXml(m[2]);
  return attrs;
}

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#(\d+)|#x([0-9a-f]+));/gi, (_, name, dec, hex) => {
    if (dec !== undefined) return String.fromCodePoint(Number(dec));
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" } as Attrs)[name.toLowerCase()];
  });
}

/**
 * A path's data as PDF path operators (absolute coordinates). A closed four-corner subpath with
 * axis-parallel sides (a bar, a heatmap cell) becomes one `re`, half the bytes of its lines.
 */
function pathOperators(d: string): string {
  const ops: string[] = [];
  let points: [number, number][] = [];
  let x = 0;
  let y = 0;
  const n = pdfNumber;
  const flush = (closed: boolean): void => {
    if (points.length === 0) return;
    const rect = closed ? rectangle(points) : null;
    if (rect) ops.push(`${rect.map(n).join(' ')} re`);
    else {
      ops.push(points.map(([px, py], k) => `${n(px)} ${n(py)} ${k === 0 ? 'm' : 'l'}`).join(' '));
      if (closed) ops.push('h');
    }
    points = [];
  };
  for (const m of d.matchAll(/([MmLlHhVvZz])([^MmLlHhVvZz]*)/g)) {
    const command = m[1];
    const args = (m[2].match(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi) ?? []).map(Number);
    if (command === 'Z' || command === 'z') {
      if (points.length) [x, y] = points[0];
      flush(true);
      continue;
    }
    const step = command === 'H' || command === 'h' || command === 'V' || command === 'v' ? 1 : 2;
    for (let i = 0; i + step <= args.length; i += step) {
      const relative = command === command.toLowerCase();
      if (command === 'H' || command === 'h') x = relative ? x + args[i] : args[i];
      else if (command === 'V' || command === 'v') y = relative ? y + args[i] : args[i];
      else {
        x = relative ? x + args[i] : args[i];
        y = relative ? y + args[i + 1] : args[i + 1];
      }
      // A move starts a subpath; further pairs after it are lines (as SVG reads them).
      if ((command === 'M' || command === 'm') && i === 0) flush(false);
      else if (
        points.length >= 2 &&
        between(points[points.length - 2], points[points.length - 1], [x, y])
      ) {
        // A step outline repeats points along a straight run (H…H…): one line draws the same.
        points[points.length - 1] = [x, y];
        continue;
      }
      points.push([x, y]);
    }
  }
  flush(false);
  return ops.join(' ');
}

/** Whether b lies on the horizontal or vertical segment from a to c (so a–c draws a–b–c). */
function between(a: [number, number], b: [number, number], c: [number, number]): boolean {
  const within = (p: number, q: number, r: number): boolean =>
    (p <= q && q <= r) || (p >= q && q >= r);
  return (
    (a[1] === b[1] && b[1] === c[1] && within(a[0], b[0], c[0])) ||
    (a[0] === b[0] && b[0] === c[0] && within(a[1], b[1], c[1]))
  );
}

/** [x, y, width, height] of four corners that make an axis-parallel rectangle, else null. */
function rectangle(p: [number, number][]): number[] | null {
  if (p.length === 5 && p[4][0] === p[0][0] && p[4][1] === p[0][1]) p = p.slice(0, 4);
  if (p.length !== 4) return null;
  const xs = new Set(p.map(q => q[0]));
  const ys = new Set(p.map(q => q[1]));
  if (xs.size !== 2 || ys.size !== 2) return null;
  // Consecutive corners share an x or a y: the outline goes round, not across.
  for (let k = 0; k < 4; k++) {
    const [a, b] = [p[k], p[(k + 1) % 4]];
    if (a[0] !== b[0] && a[1] !== b[1]) return null;
  }
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  return [x0, y0, x1 - x0, y1 - y0];
}

/** SVG transform (translate, rotate, scale) as PDF `cm` operators, in order. */
function transformOperators(transform: string | undefined): string {
  if (!transform) return '';
  const ops: string[] = [];
  for (const m of transform.matchAll(/(translate|rotate|scale)\(([^)]*)\)/g)) {
    const a = m[2]
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if (m[1] === 'translate') ops.push(`1 0 0 1 ${pdfNumber(a[0])} ${pdfNumber(a[1] ?? 0)} cm`);
    else if (m[1] === 'scale') ops.push(`${pdfNumber(a[0])} 0 0 ${pdfNumber(a[1] ?? a[0])} 0 0 cm`);
    else {
      const t = (a[0] * Math.PI) / 180;
      const [cos, sin] = [Math.cos(t), Math.sin(t)].map(pdfNumber);
      ops.push(`${cos} ${sin} ${pdfNumber(-Math.sin(t))} ${cos} 0 0 cm`);
    }
  }
  return ops.join(' ');
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** An indexed-colour PNG (as png.ts writes them) as a PDF image: its IDAT data kept as is. */
export function pngImage(png: Uint8Array): PdfImage {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let width = 0;
  let height = 0;
  let palette: Uint8Array = new Uint8Array(0);
  let transparent: number | undefined;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      if (data[8] !== 8 || data[9] !== 3 || data[12] !== 0) {
        throw new Error('svg-pdf: only 8-bit indexed, non-interlaced PNGs are supported');
      }
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') {
      const clear = data.indexOf(0);
      if (clear >= 0) transparent = clear;
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const data = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  let at = 0;
  for (const d of idat) {
    data.set(d, at);
    at += d.length;
  }
  return { width, height, palette, data, transparent };
}

/** The PDF of an SVG picture written by figure-svg.ts or explorer-svg.ts. */
export function svgToPdf(svg: string): Uint8Array {
  const ops: string[] = [];
  const images: PdfImage[] = [];
  const opacities: number[] = [];
  // Open elements: their attributes (for inheritance) and whether they began marked content.
  const stack: { attrs: Attrs; marked: boolean }[] = [{ attrs: {}, marked: false }];
  let width = 0;
  let height = 0;
  let text: { attrs: Attrs; content: string } | null = null;
  let skipping = false;
  const textState: TextState = { fill: '', font: '' };

  const opacityState = (alpha: number): string => {
    if (alpha >= 1) return '';
    const a = Math.round(Math.max(0, alpha) * 1000) / 1000;
    let k = opacities.indexOf(a);
    if (k < 0) k = opacities.push(a) - 1;
    return `/A${k} gs `;
  };
  /** Colour and line state, then the paint operator for the element's fill and stroke. */
  const paint = (a: Attrs, path: string): string => {
    const fill = parseColour(a.fill);
    const stroke = a.stroke ? parseColour(a.stroke) : null;
    if (!fill && !stroke) return '';
    let state = '';
    if (fill) {
      state += opacityState(fill.alpha * Number(a['fill-opacity'] ?? 1));
      state += `${fill.rgb} rg `;
    }
    if (stroke) {
      state += `${stroke.rgb} RG ${pdfNumber(Number(a['stroke-width'] ?? 1))} w `;
      if (a['stroke-linecap'] === 'round') state += '1 J ';
    }
    return `q ${state}${path} ${fill && stroke ? 'B' : fill ? 'f' : 'S'} Q`;
  };
  /** Our writers' classes (bars, axis, legend…) kept as marked content: findable in the PDF. */
  const marked = (a: Attrs, body: string): string => {
    const tag = (a.class ?? '').replace(/[^A-Za-z0-9-]/g, '');
    return tag && body ? `/${tag} BMC ${body} EMC` : body;
  };

  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)((?:[^>"]|"[^"]*")*?)(\/?)>|([^<]+)/g)) {
    const [, closing, name, source, selfClosing, characters] = m;
    if (characters !== undefined) {
      if (text) text.content += unescapeXml(characters);
      continue;
    }
    // <title> names the picture for screen readers: nothing to draw, its text skipped.
    if (name === 'title') {
      skipping = !closing && !selfClosing;
      continue;
    }
    if (skipping) continue;
    if (closing) {
      if (name === 'text' && text) {
        ops.push(marked(text.attrs, textOperators(text.attrs, text.content, textState)));
        text = null;
      }
      if (stack.length > 1 && stack.pop()!.marked) ops.push('EMC');
      continue;
    }
    const own = readAttributes(source);
    const parent = stack[stack.length - 1].attrs;
    const attrs: Attrs = { ...own };
    for (const k of INHERITED) {
      if (attrs[k] === undefined && parent[k] !== undefined) attrs[k] = parent[k];
    }
    if (name === 'svg') {
      width = Number(own.width);
      height = Number(own.height);
      // SVG's y runs down: flip the page once, so coordinates are written as they are.
      ops.push(`1 0 0 -1 0 ${pdfNumber(height)} cm`);
    } else if (name === 'rect') {
      const path = ['x', 'y', 'width', 'height'].map(k => pdfNumber(Number(own[k] ?? 0))).join(' ');
      ops.push(marked(own, paint(attrs, `${path} re`)));
    } else if (name === 'path') {
      ops.push(marked(own, paint(attrs, pathOperators(own.d ?? ''))));
    } else if (name === 'text') {
      text = { attrs, content: '' };
    } else if (name === 'image') {
      const href = own['xlink:href'] ?? own.href ?? '';
      const data = /^data:image\/png;base64,(.*)$/.exec(href);
      if (!data) throw new Error('svg-pdf: an <image> must be a PNG data URI');
      images.push(pngImage(base64Bytes(data[1])));
      const [x, y, w, h] = ['x', 'y', 'width', 'height'].map(k => Number(own[k] ?? 0));
      ops.push(
        `q ${[w, 0, 0, -h, x, y + h].map(pdfNumber).join(' ')} cm /Im${images.length - 1} Do Q`
      );
    } else if (name !== 'g') {
      throw new Error(`svg-pdf: <${name}> is not part of the SVG subset this reads`);
    }
    if (!selfClosing) {
      // Groups begin marked content for their class (the ticks, the legend…) that ends with them.
      const tag = name === 'g' ? (own.class ?? '').replace(/[^A-Za-z0-9-]/g, '') : '';
      if (tag) ops.push(`/${tag} BMC`);
      stack.push({ attrs, marked: tag !== '' });
    }
  }
  return pdfFile({
    width,
    height,
    content: ops.filter(Boolean).join('\n'),
    images,
    fillOpacities: opacities
  });
}

/** The page's graphics state outside q…Q: text repeats its colour and font, so they are set once. */
interface TextState {
  fill: string;
  font: string;
}

/** A text element: Helvetica (bold when asked), anchored, glyphs upright in the flipped page. */
function textOperators(a: Attrs, content: string, state: TextState): string {
  if (!content) return '';
  const size = Number(a['font-size'] ?? 12);
  const fill = `${(parseColour(a.fill) ?? parseColour('black')!).rgb} rg`;
  const anchor = a['text-anchor'];
  const shift =
    anchor === 'middle'
      ? -helveticaWidth(content, size) / 2
      : anchor === 'end'
        ? -helveticaWidth(content, size)
        : 0;
  const x = Number(a.x ?? 0) + shift;
  const y = Number(a.y ?? 0);
  const font = `${a['font-weight'] === 'bold' ? '/F2' : '/F1'} ${pdfNumber(size)} Tf`;
  // Greek letters switch to the Symbol font and back, within the one text object.
  const runs = fontRuns(content);
  const shown = runs
    .map((run, k) =>
      run.symbol
        ? `/F3 ${pdfNumber(size)} Tf ${symbolString(run.text)} Tj`
        : `${k > 0 ? `${font} ` : ''}${pdfString(run.text)} Tj`
    )
    .join(' ');
  const show = `1 0 0 -1 ${pdfNumber(x)} ${pdfNumber(y)} Tm ${shown} ET`;
  const transform = transformOperators(a.transform);
  // Rotated text (axis titles) keeps its transform between q and Q; the state stays as it was.
  if (transform) return `q ${transform} ${fill} BT ${font} ${show} Q`;
  const ops = `${fill === state.fill ? '' : `${fill} `}BT ${font === state.font ? '' : `${font} `}${show}`;
  state.fill = fill;
  state.font = runs[runs.length - 1].symbol ? '' : font;
  return ops;
}
