// Hist1D follows ROOT's binning convention; the Zmumu mass histogram matches a count made here.
import fs from 'node:fs';
import path from 'node:path';
import {
  Hist1D,
  OpenDataError,
  PLOTLY_MIME,
  histogramFigure,
  histogramsFigure,
  numericColumn,
  readCSV
} from '../../kernel-helpers/src';

describe('Hist1D binning convention', () => {
  test('lo edge is in bin 0, hi edge is overflow, below lo is underflow', () => {
    const h = new Hist1D(4, 0, 4).fill([0, 1, 3.999, 4, 5, -0.001, -7]);
    expect(Array.from(h.counts)).toEqual([1, 1, 0, 1]);
    expect(h.underflow).toBe(2);
    expect(h.overflow).toBe(2);
    expect(h.entries).toBe(7);
  });

  test('interior edges belong to the bin above', () => {
    const h = new Hist1D(3, -1.5, 1.5).fill([-0.5, 0.5]);
    expect(Array.from(h.counts)).toEqual([0, 1, 1]);
  });

  test("values on and beside every bin edge take ROOT's bin, floor(bins·(x − lo)/(hi − lo))", () => {
    // The fill multiplies by bins/(hi − lo) and falls back on ROOT's division only near an edge:
    // here every value is within a few ulps of one, on awkward axes.
    const step = (x: number, ulps: number) => {
      const f = new Float64Array([x]);
      const i = new BigInt64Array(f.buffer);
      i[0] += BigInt(x >= 0 ? ulps : -ulps);
      return f[0];
    };
    for (const [bins, lo, hi] of [
      [100, -4, 4],
      [7, 0.1, 0.8],
      [60, 60, 120],
      [1000, -3.3, 1.7],
      [3, 1e-3, 2e-3]
    ]) {
      const values: number[] = [];
      for (let k = 0; k <= bins; k++) {
        const edge = lo + ((hi - lo) * k) / bins;
        for (let u = -3; u <= 3; u++) values.push(step(edge, u));
      }
      const h = new Hist1D(bins, lo, hi).fill(values);
      const expected = new Float64Array(bins);
      for (const x of values) {
        if (x >= lo && x < hi) {
          expected[Math.min(Math.floor((bins * (x - lo)) / (hi - lo)), bins - 1)]++;
        }
      }
      expect({ bins, lo, hi, counts: Array.from(h.counts) }).toEqual({
        bins,
        lo,
        hi,
        counts: Array.from(expected)
      });
      const weighted = new Hist1D(bins, lo, hi).fill(
        values,
        values.map(() => 1)
      );
      expect(Array.from(weighted.counts)).toEqual(Array.from(expected));
    }
  });

  test('the largest double below hi stays in the last bin despite rounding', () => {
    const justBelow = 0.9999999999999999; // floor(1 * (x - -1) / 2) rounds to 1 here
    expect(Math.floor((1 * (justBelow - -1)) / 2)).toBe(1);
    const h = new Hist1D(1, -1, 1).fill([justBelow]);
    expect(Array.from(h.counts)).toEqual([1]);
    expect(h.overflow).toBe(0);
  });

  test('NaN is skipped entirely; infinities go to the flow bins', () => {
    const h = new Hist1D(2, 0, 2).fill([NaN, 0.5, NaN, Infinity, -Infinity]);
    expect(Array.from(h.counts)).toEqual([1, 0]);
    expect(h.entries).toBe(3);
    expect(h.underflow).toBe(1);
    expect(h.overflow).toBe(1);
  });

  test('weights: contents, flows, sum of squared weights, errors', () => {
    const h = new Hist1D(2, 0, 2);
    h.fill([0.5, 1.5]); // unweighted first: w = 1
    h.fill([0.5, 1.5, 3, -1, 0.25], [2, 0.5, 4, 3, NaN]);
    expect(Array.from(h.counts)).toEqual([3, 1.5]);
    expect(Array.from(h.sumw2)).toEqual([1 + 4, 1 + 0.25]);
    expect(Array.from(h.errors)).toEqual([Math.sqrt(5), Math.sqrt(1.25)]);
    expect(h.overflow).toBe(4);
    expect(h.underflow).toBe(3);
    expect(h.entries).toBe(6); // the value with a NaN weight is skipped
    expect(h.sumWeights).toBe(4.5);
  });

  test('edges, centres, mean and std of in-range values', () => {
    const h = new Hist1D(4, 60, 120).fill([70, 80, 90, 100, 200]);
    expect(Array.from(h.edges)).toEqual([60, 75, 90, 105, 120]);
    expect(Array.from(h.centers)).toEqual([67.5, 82.5, 97.5, 112.5]);
    expect(h.mean).toBe(85);
    expect(h.std).toBeCloseTo(Math.sqrt(125), 12);
    expect(new Hist1D(2, 0, 1).mean).toBeNaN();
  });

  test('bad construction and mismatched weights are usage errors', () => {
    for (const make of [
      () => new Hist1D(0, 0, 1),
      () => new Hist1D(2.5, 0, 1),
      () => new Hist1D(2, 1, 1),
      () => new Hist1D(2, 0, NaN)
    ]) {
      expect(make).toThrow(OpenDataError);
    }
    expect(() => new Hist1D(2, 0, 1).fill([1, 2], [1])).toThrow(/2 values but 1 weights/);
  });

  test('toJSON has the CLI shape', () => {
    const json = new Hist1D(2, 0, 2).fill([0.5, 2.5, -1]).toJSON();
    expect(json).toEqual({
      edges: [0, 1, 2],
      counts: [1, 0],
      underflow: 1,
      overflow: 1,
      entries: 3,
      sum_weights: 1
    });
  });
});

test('Zmumu mass histogram equals an independent count from the raw CSV text', () => {
  const file = path.join(__dirname, '..', '..', 'data', 'events', 'Zmumu.csv');
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const mIndex = head.split(',').indexOf('M');
  const masses = lines.map(l => Number(l.split(',')[mIndex]));
  // 60 bins of 1 GeV in [60, 120): a value's bin is its integer part minus 60.
  const expected = new Array(60).fill(0);
  let under = 0;
  let over = 0;
  for (const m of masses) {
    if (m < 60) under++;
    else if (m >= 120) over++;
    else expected[Math.trunc(m) - 60]++;
  }
  const h = new Hist1D(60, 60, 120).fill(numericColumn(readCSV(file), 'M'));
  expect(Array.from(h.counts)).toEqual(expected);
  expect(h.underflow).toBe(under);
  expect(h.overflow).toBe(over);
  expect(h.entries).toBe(masses.length);
});

describe('histogramFigure', () => {
  test('a bar trace of centres, contents and widths with no gap, as plain arrays', () => {
    const h = new Hist1D(3, 0, 3).fill([0.5, 1.5, 1.5]);
    const fig = histogramFigure(h, { title: 'T', xTitle: 'x', yTitle: 'y' });
    const trace = fig.data[0];
    expect(trace.type).toBe('bar');
    expect(Array.isArray(trace.x) && Array.isArray(trace.y) && Array.isArray(trace.width)).toBe(
      true
    );
    expect(trace.x).toEqual([0.5, 1.5, 2.5]);
    expect(trace.y).toEqual([1, 2, 0]);
    expect(trace.width).toEqual([1, 1, 1]);
    expect(fig.layout.bargap).toBe(0);
    expect(fig.layout.title).toEqual({ text: 'T' });
    expect(fig.layout.xaxis).toEqual({ title: { text: 'x' } });
    expect(fig.layout.yaxis).toEqual({ title: { text: 'y' } });
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig);
    expect(PLOTLY_MIME).toBe('application/vnd.plotly.v1+json');
  });

  test('its size depends on the bins, not on the number of values', () => {
    const values = Float64Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 100);
    const small = JSON.stringify(
      histogramFigure(new Hist1D(50, 0, 100).fill(values.subarray(0, 100)))
    );
    const large = JSON.stringify(histogramFigure(new Hist1D(50, 0, 100).fill(values)));
    // Only the counts grow (4,000 per bin, not 2): in y and in the hover label ("4,000").
    expect(large.length).toBeLessThan(small.length + 50 * 8);
  });

  test('accepts any {edges, counts}, e.g. CLI JSON', () => {
    const fig = histogramFigure({ edges: [0, 1, 3], counts: [4, 5] });
    expect(fig.data[0].width).toEqual([1, 2]);
    expect(() => histogramFigure({ edges: [0, 1], counts: [1, 2] })).toThrow(OpenDataError);
  });
});

describe('histogramsFigure', () => {
  test('overlays outlines: steps over every bin, closed at zero, one legend entry each', () => {
    // Opposite-charge pairs of Zmumu.csv over all pairs; the counts are checked against a
    // count made here from the column.
    const t = readCSV(path.join(__dirname, '../../data/events/Zmumu.csv'));
    const m = numericColumn(t, 'M');
    const q1 = numericColumn(t, 'Q1');
    const q2 = numericColumn(t, 'Q2');
    const opposite = Array.from(m).filter((_, i) => q1[i] * q2[i] < 0);
    const all = new Hist1D(12, 60, 120).fill(m);
    const selected = new Hist1D(new Float64Array([60, 80, 85, 90, 95, 100, 120])).fill(opposite);
    const fig = histogramsFigure(
      [
        { hist: all, name: 'all pairs' },
        { hist: selected, name: 'opposite charges' }
      ],
      { title: 'Z', xTitle: 'M [GeV]' }
    );
    expect(fig.data.map(d => d.name)).toEqual(['all pairs', 'opposite charges']);
    expect(fig.layout.showlegend).toBe(true);
    const step = fig.data[1];
    expect(step.type).toBe('scatter');
    expect(step.line.shape).toBe('hv');
    // (60, 0), then per bin its top-left corner and top centre, then (120, 0).
    expect(step.x).toEqual([60, 60, 70, 80, 82.5, 85, 87.5, 90, 92.5, 95, 97.5, 100, 110, 120]);
    const count = (lo: number, hi: number) => opposite.filter(x => x >= lo && x < hi).length;
    const tops = [
      count(60, 80),
      count(80, 85),
      count(85, 90),
      count(90, 95),
      count(95, 100),
      count(100, 120)
    ];
    expect(step.y).toEqual([0, ...tops.flatMap(c => [c, c]), 0]);
    expect(step.customdata[5]).toBe(`85–90 GeV: ${count(85, 90)}`);
    expect(fig.data[0].x).toHaveLength(2 * 12 + 2);
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig);
  });

  test('nothing to draw, or edges that do not fit the counts, is E_USAGE', () => {
    expect(() => histogramsFigure([])).toThrow('histogramsFigure: no histograms to draw');
    expect(() =>
      histogramsFigure([{ hist: { edges: [0, 1], counts: [1, 2] }, name: 'bad' }])
    ).toThrow('"bad" has 2 edges for 2 bins');
  });
});
