// The explorer's static picture and text: what GitHub, nbviewer, nbconvert or a front end without
// the extension show instead of the interactive histograms. Browser-safe string building.
import { escapeXml } from './figure-svg';

/** One histogram of the picture: bins on [lo, hi), counts per bin. */
export interface ExplorerPanel {
  name: string;
  lo: number;
  hi: number;
  /** Selected events per bin (with the initial cuts). */
  counts: ArrayLike<number>;
  /** All events per bin, drawn as a grey outline behind when given. */
  totals?: ArrayLike<number>;
  /** A reference outline: its own edges and values (already scaled). */
  reference?: { edges: ArrayLike<number>; values: ArrayLike<number> };
  log: boolean;
}

const WIDTH = 260;
const HEIGHT = 170;
const PER_ROW = 3;
const PAD = { left: 44, right: 10, top: 22, bottom: 30 };

/** A number for an axis label: up to 4 significant digits, no trailing zeros. */
function tick(v: number): string {
  return String(Number(v.toPrecision(4)));
}

/** Round coordinates keep the picture small. */
const r = (v: number): string => String(Math.round(v * 10) / 10);

function panelSvg(p: ExplorerPanel, x0: number, y0: number): string {
  const w = WIDTH - PAD.left - PAD.right;
  const h = HEIGHT - PAD.top - PAD.bottom;
  const bins = p.counts.length;
  let top = 0;
  for (let b = 0; b < bins; b++) top = Math.max(top, p.counts[b], p.totals?.[b] ?? 0);
  const refValues = p.reference?.values ?? [];
  for (let b = 0; b < refValues.length; b++) top = Math.max(top, refValues[b]);
  top = top > 0 ? top : 1;
  const y = (v: number): number => {
    if (!p.log) return y0 + PAD.top + h - (v / top) * h;
    if (v <= 0) return y0 + PAD.top + h;
    return y0 + PAD.top + h - (Math.log10(v + 1) / Math.log10(top + 1)) * h;
  };
  const x = (v: number): number => x0 + PAD.left + ((v - p.lo) / (p.hi - p.lo)) * w;
  const bars: string[] = [];
  const width = w / bins;
  for (let b = 0; b < bins; b++) {
    if (p.counts[b] <= 0) continue;
    const left = x0 + PAD.left + b * width;
    bars.push(`M${r(left)} ${r(y(0))}V${r(y(p.counts[b]))}h${r(width)}V${r(y(0))}z`);
  }
  const step = (edges: ArrayLike<number>, values: ArrayLike<number>): string => {
    let d = `M${r(x(edges[0]))} ${r(y(0))}`;
    for (let b = 0; b < values.length; b++) {
      d += `V${r(y(values[b]))}H${r(x(edges[b + 1]))}`;
    }
    return `${d}V${r(y(0))}`;
  };
  const parts = [
    `<text x="${r(x0 + PAD.left)}" y="${r(y0 + 15)}" font-weight="bold">${escapeXml(p.name)}</text>`,
    `<path d="${bars.join('')}" fill="#1976d2"/>`
  ];
  if (p.totals) {
    const edges = Array.from({ length: bins + 1 }, (_, b) => p.lo + ((p.hi - p.lo) * b) / bins);
    parts.splice(1, 0, `<path d="${step(edges, p.totals)}" fill="#e0e0e0" stroke="none"/>`);
  }
  if (p.reference && p.reference.values.length > 0) {
    parts.push(
      `<path d="${step(p.reference.edges, p.reference.values)}" fill="none" stroke="#e65100" stroke-width="1.5"/>`
    );
  }
  const bottom = y0 + PAD.top + h;
  parts.push(
    `<path d="M${r(x0 + PAD.left)} ${r(y0 + PAD.top)}V${r(bottom)}H${r(x0 + PAD.left + w)}" fill="none" stroke="#616161"/>`,
    `<text x="${r(x0 + PAD.left)}" y="${r(bottom + 14)}" text-anchor="middle">${tick(p.lo)}</text>`,
    `<text x="${r(x0 + PAD.left + w)}" y="${r(bottom + 14)}" text-anchor="middle">${tick(p.hi)}</text>`,
    `<text x="${r(x0 + PAD.left - 4)}" y="${r(y0 + PAD.top + 4)}" text-anchor="end">${tick(top)}</text>`,
    `<text x="${r(x0 + PAD.left - 4)}" y="${r(bottom)}" text-anchor="end">0</text>`
  );
  if (p.log) {
    parts.push(`<text x="${r(x0 + PAD.left + w)}" y="${r(y0 + 15)}" text-anchor="end">log</text>`);
  }
  return parts.join('');
}

/**
 * The explorer as one SVG: a grid of histograms (selected events in blue over all events in
 * grey, a reference in orange), on a white card so it reads on light and dark pages alike.
 */
export function explorerSvg(panels: ExplorerPanel[], title: string, lines: string[] = []): string {
  const rows = Math.ceil(panels.length / PER_ROW);
  const columns = Math.min(PER_ROW, panels.length);
  const head = 24 + 16 * lines.length;
  const width = Math.max(columns, 1) * WIDTH;
  const height = head + rows * HEIGHT;
  const body = panels.map((p, k) =>
    panelSvg(p, (k % PER_ROW) * WIDTH, head + Math.floor(k / PER_ROW) * HEIGHT)
  );
  const text = lines.map(
    (line, k) => `<text x="8" y="${38 + 16 * k}" fill="#616161">${escapeXml(line)}</text>`
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" fill="#212121">` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>` +
    `<text x="8" y="17" font-size="13" font-weight="bold">${escapeXml(title)}</text>` +
    text.join('') +
    body.join('') +
    '</svg>'
  );
}
