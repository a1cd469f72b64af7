// Hover labels, one way for every figure kind: the bin's range and its content, written into the
// figure as customdata. Expected labels are built here from the data itself: Zmumu.csv parsed by
// hand (not by readCSV), and stored ROOT histograms as uproot (in .venv) reads them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  Axis,
  Hist1D,
  Hist2D,
  histogram2DFigure,
  histogramFigure,
  histogramsFigure,
  show
} from '../../kernel-helpers/src';
import { REPO_ROOT, sharedPath } from '../support/shared-data';

const run = promisify(execFile);
const ZMUMU = path.join(REPO_ROOT, 'data', 'events', 'Zmumu.csv');
const HEPDATA_ROOT = sharedPath('events', 'root', 'uproot-hepdata-example.root');
const MINUS = '\u2212';

/** Zmumu.csv's columns by name, parsed here line by line (plain numbers, no quotes). */
function zmumuColumns(...names: string[]): number[][] {
  const [header, ...rows] = fs.readFileSync(ZMUMU, 'utf8').trim().split(/\r?\n/);
  const index = names.map(n => header.split(',').indexOf(n));
  return index.map(i => rows.map(r => Number(r.split(',')[i])));
}

/** A fixed-decimals edge with a real minus sign, as the labels write it. */
const edge = (x: number, decimals: number) =>
  (Math.abs(x) < 1e-9 ? 0 : x).toFixed(decimals).replace('-', MINUS);

describe('hover labels: bin range and content', () => {
  const [m, eta1, eta2] = zmumuColumns('M', 'eta1', 'eta2');
  // ROOT's binning of M in 60 bins of 1 GeV from 60 GeV, counted here.
  const countsM = new Array<number>(60).fill(0);
  for (const v of m) if (v >= 60 && v < 120) countsM[Math.floor(v - 60)]++;

  test('1-D bars (histogramFigure) of Zmumu.csv M: "90–91 GeV: 123" for every bin', () => {
    const fig = histogramFigure(new Hist1D(60, 60, 120).fill(Float64Array.from(m)), {
      xTitle: 'M(μμ) [GeV]'
    });
    const trace = fig.data[0];
    expect(trace.hovertemplate).toBe('%{customdata}<extra></extra>');
    expect(trace.customdata).toEqual(
      countsM.map((c, k) => `${60 + k}–${61 + k} GeV: ${c.toLocaleString('en-US')}`)
    );
    // The Z peak, spelled out: the bin from 90 to 91 GeV.
    expect(trace.customdata[30]).toBe(`90–91 GeV: ${countsM[30]}`);
    expect(countsM[30]).toBeGreaterThan(100);
    // A named trace shows its name beside the label.
    const named = histogramFigure(new Hist1D(60, 60, 120).fill(Float64Array.from(m)), {
      name: 'data'
    });
    expect(named.data[0].hovertemplate).toBe('%{customdata}<extra>%{fullData.name}</extra>');
    expect(named.data[0].customdata[30]).toBe(`90–91: ${countsM[30]}`);
  });

  test('step outlines (histogramsFigure): every point of a bin carries that bin’s label', () => {
    const edges = [60, 80, 85, 90, 95, 100, 120];
    const counts = edges
      .slice(0, -1)
      .map((lo, k) => m.filter(v => v >= lo && v < edges[k + 1]).length);
    const fig = histogramsFigure(
      [{ hist: new Hist1D(Float64Array.from(edges)).fill(Float64Array.from(m)), name: 'all' }],
      { xTitle: 'M [GeV]' }
    );
    const step = fig.data[0];
    const labels = counts.map(
      (c, k) => `${edges[k]}–${edges[k + 1]} GeV: ${c.toLocaleString('en-US')}`
    );
    // (60, 0), then per bin its top-left corner and top centre, then (120, 0).
    expect(step.x).toEqual([60, 60, 70, 80, 82.5, 85, 87.5, 90, 92.5, 95, 97.5, 100, 110, 120]);
    expect(step.y).toEqual([0, ...counts.flatMap(c => [c, c]), 0]);
    expect(step.customdata).toEqual([labels[0], ...labels.flatMap(l => [l, l]), labels[5]]);
    expect(step.hovertemplate).toBe('%{customdata}<extra>%{fullData.name}</extra>');
  });

  test('2-D heatmap (histogram2DFigure) of Zmumu.csv eta1 × eta2: "η₁ lo–hi, η₂ lo–hi: n"', () => {
    const h = new Hist2D(new Axis(24, -2.4, 2.4), new Axis(24, -2.4, 2.4)).fill(
      Float64Array.from(eta1),
      Float64Array.from(eta2)
    );
    const fig = histogram2DFigure(h, { xTitle: 'η₁', yTitle: 'η₂' });
    const trace = fig.data[0];
    expect(trace.hovertemplate).toBe('%{customdata}<extra></extra>');
    expect(trace.customdata).toHaveLength(24);
    // Counted here in exact decimal steps (the file has 5 decimals): bin = floor((η + 2.4) / 0.2).
    const steps = (v: number) => Math.round(v * 1e5) + 240000;
    const cell = (v: number) => Math.floor(steps(v) / 20000);
    const counts = Array.from({ length: 24 }, () => new Array<number>(24).fill(0));
    const onEdge = new Set<string>(); // cells whose count depends on an edge's rounding: left to the binning tests
    eta1.forEach((e, i) => {
      const [ix, iy] = [cell(e), cell(eta2[i])];
      if (ix < 0 || ix > 23 || iy < 0 || iy > 23) return;
      counts[iy][ix]++;
      if (steps(e) % 20000 === 0 || steps(eta2[i]) % 20000 === 0) onEdge.add(`${ix},${iy}`);
    });
    let checked = 0;
    for (let iy = 0; iy < 24; iy++) {
      for (let ix = 0; ix < 24; ix++) {
        if (onEdge.has(`${ix},${iy}`)) continue;
        const x = `η₁ ${edge(-2.4 + 0.2 * ix, 1)}–${edge(-2.2 + 0.2 * ix, 1)}`;
        const y = `η₂ ${edge(-2.4 + 0.2 * iy, 1)}–${edge(-2.2 + 0.2 * iy, 1)}`;
        expect(trace.customdata[iy][ix]).toBe(`${x}, ${y}: ${counts[iy][ix]}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(24 * 24 - 10);
    // Spelled out: both muons central, just above zero.
    expect(trace.customdata[12][12]).toMatch(/^η₁ 0\.0–0\.2, η₂ 0\.0–0\.2: \d+$/);
    expect(trace.customdata[0][0]).toMatch(new RegExp(`^η₁ ${MINUS}2\\.4–${MINUS}2\\.2, `));
  });

  test('stored ROOT histograms (TH1F hpx, TH2F hpxpy) as uproot reads them; show() draws a TH2 as a heatmap', async () => {
    const opendata = async (name: string) =>
      JSON.parse(
        (
          await run(process.execPath, [
            path.join(REPO_ROOT, 'kernel-helpers', 'bin', 'opendata.js'),
            'object',
            HEPDATA_ROOT,
            name,
            '--json'
          ])
        ).stdout
      );
    const [hpx, hpxpy, truth] = await Promise.all([
      opendata('hpx'),
      opendata('hpxpy'),
      run(path.join(REPO_ROOT, '.venv', 'bin', 'python'), [
        path.join(REPO_ROOT, 'test', 'support', 'uproot_dump.py'),
        '--objects',
        HEPDATA_ROOT
      ]).then(r => JSON.parse(r.stdout)[HEPDATA_ROOT])
    ]);
    const want1 = truth.hpx as { values: number[]; edges: number[][] };
    const labels1 = histogramFigure(hpx).data[0].customdata;
    // In-range bins are values[1..n] (uproot gives the flow bins too); edges to 2 decimals (0.08 wide).
    expect(labels1).toEqual(
      want1.values
        .slice(1, -1)
        .map(
          (v, k) =>
            `${edge(want1.edges[0][k], 2)}–${edge(want1.edges[0][k + 1], 2)}: ${v.toLocaleString('en-US')}`
        )
    );
    expect(labels1[50]).toBe(`0.00–0.08: ${want1.values[51].toLocaleString('en-US')}`);
    expect(want1.values[51]).toBeGreaterThan(1000); // so the thousands separator is checked

    const want2 = truth.hpxpy as { values: number[][]; edges: number[][] };
    const fig2 = histogram2DFigure(hpxpy, { xTitle: 'px', yTitle: 'py' });
    const [ex, ey] = want2.edges;
    const nx = ex.length - 1;
    const ny = ey.length - 1;
    expect(fig2.data[0].customdata).toHaveLength(ny);
    for (let iy = 0; iy < ny; iy++) {
      for (let ix = 0; ix < nx; ix++) {
        const v = want2.values[ix + 1][iy + 1]; // uproot: [x][y] with flow
        expect(fig2.data[0].customdata[iy][ix]).toBe(
          `px ${edge(ex[ix], 1)}–${edge(ex[ix + 1], 1)}, py ${edge(ey[iy], 1)}–${edge(ey[iy + 1], 1)}: ${v.toLocaleString('en-US')}`
        );
        expect(fig2.data[0].z[iy][ix]).toBe(v);
      }
    }
    // show() takes the stored TH2 as it is and sends a heatmap with the same labels.
    const sent: unknown[] = [];
    show(hpxpy, { raw: (_type, value) => sent.push(value) });
    const shown = sent[0] as ReturnType<typeof histogram2DFigure>;
    expect(shown.data[0].type).toBe('heatmap');
    expect(shown.data[0].customdata[20][20]).toBe(
      `x ${edge(ex[20], 1)}–${edge(ex[21], 1)}, y ${edge(ey[20], 1)}–${edge(ey[21], 1)}: ${want2.values[21][21].toLocaleString('en-US')}`
    );
    expect(() => histogramFigure(hpxpy)).toThrow('use histogram2DFigure');
  }, 60_000);

  test('weighted contents to six significant digits; titles shown as written, not as markup', () => {
    const fig = histogramFigure(new Hist1D(2, 0, 1).fill([0.25, 0.75, 0.75], [1 / 3, 1000.5, 1]), {
      xTitle: 'p<sub>T</sub> [<b>GeV</b>]'
    });
    expect(fig.data[0].customdata).toEqual([
      '0.0–0.5 &lt;b&gt;GeV&lt;/b&gt;: 0.333333',
      '0.5–1.0 &lt;b&gt;GeV&lt;/b&gt;: 1,001.5'
    ]);
    const h2 = histogram2DFigure(
      { xedges: [0, 1e-7, 2e-7], yedges: [-1, 0], counts: [[-2], [1234567]] },
      { xTitle: 'a & b', yTitle: '<i>y</i>' }
    );
    expect(h2.data[0].customdata).toEqual([
      [
        `a &amp; b 0–1e-7, &lt;i&gt;y&lt;/i&gt; ${MINUS}1–0: ${MINUS}2`,
        `a &amp; b 1e-7–2e-7, &lt;i&gt;y&lt;/i&gt; ${MINUS}1–0: 1,234,567`
      ]
    ]);
  });
});
