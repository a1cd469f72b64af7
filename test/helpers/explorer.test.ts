// The explorer's pieces: the crossfilter engine against a direct loop over the events after every
// brush move and rebin, the column encoding against Node's own base64 and the plain formula, the
// output's size budget, and the cut code (maskWhere with ranges) against Zmumu.csv read here.
import {
  CODE_MISSING,
  EXPLORER_MIME,
  ExplorerFilter,
  ExplorerPayload,
  Hist1D,
  MimeBundle,
  binChoices,
  codesToCut,
  cutCode,
  cutToCodes,
  decodeCodes,
  decodeExplorer,
  encodeCodes,
  explore,
  exploreBundle,
  maskWhere,
  overflowCode,
  quantizationLevels,
  quantize,
  readCSV
} from '../../kernel-helpers/src';
import { ZMUMU_CSV, zmumuColumns } from '../support/zmumu';

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Column d's histogram by a direct loop: events passing every cut but d's, per bin slot. */
function directCounts(
  codes: Uint16Array[],
  levels: number[],
  cuts: ([number, number] | null)[],
  d: number,
  bins: number
): number[] {
  const out = new Array<number>(bins + 3).fill(0);
  for (let i = 0; i < codes[d].length; i++) {
    let pass = true;
    for (let e = 0; e < codes.length && pass; e++) {
      const cut = cuts[e];
      if (e !== d && cut && !(codes[e][i] >= cut[0] && codes[e][i] < cut[1])) pass = false;
    }
    if (!pass) continue;
    const c = codes[d][i];
    const slot =
      c === 0
        ? 0
        : c === CODE_MISSING
          ? bins + 2
          : c === overflowCode(levels[d])
            ? bins + 1
            : 1 + Math.floor(((c - 1) * bins) / levels[d]);
    out[slot]++;
  }
  return out;
}

test('the filter equals a direct loop after every brush move, jump, clear and rebin', () => {
  const rand = random(7);
  const n = 5000;
  const levels = [quantizationLevels(40), quantizationLevels(60), quantizationLevels(25), 1000];
  const bins = [40, 60, 25, 10];
  const codes = levels.map(L =>
    Uint16Array.from({ length: n }, () => {
      const r = rand();
      // some underflow, overflow and missing values in every column
      if (r < 0.03) return 0;
      if (r < 0.06) return overflowCode(L);
      if (r < 0.08) return CODE_MISSING;
      return 1 + Math.floor(rand() * L);
    })
  );
  const filter = new ExplorerFilter(
    codes.map((c, k) => ({ codes: c, levels: levels[k] })),
    bins
  );
  const cuts: ([number, number] | null)[] = levels.map(() => null);
  const check = () => {
    for (let d = 0; d < codes.length; d++) {
      expect(Array.from(filter.counts(d))).toEqual(
        directCounts(codes, levels, cuts, d, filter.bins(d))
      );
    }
    let selected = 0;
    for (let i = 0; i < n; i++) {
      selected += cuts.every((c, e) => !c || (codes[e][i] >= c[0] && codes[e][i] < c[1])) ? 1 : 0;
    }
    expect(filter.selected).toBe(selected);
  };
  check();
  for (let step = 0; step < 120; step++) {
    const d = Math.floor(rand() * codes.length);
    const r = rand();
    if (r < 0.1) {
      cuts[d] = null;
      filter.setCut(d, null);
    } else if (r < 0.2) {
      const choices = binChoices(levels[d]);
      const b = choices[Math.floor(rand() * choices.length)];
      filter.setBins(d, b);
    } else if (r < 0.7 && cuts[d]) {
      // a brush move: one end or both shift a little (overlapping ranges)
      const [a, b] = cuts[d]!;
      const shift = () => Math.round((rand() - 0.5) * levels[d] * 0.1);
      const a1 = Math.max(0, a + shift());
      cuts[d] = [a1, Math.max(a1, b + shift())];
      filter.setCut(d, cuts[d]);
    } else {
      // a jump: a new range anywhere, open ends (flows) included sometimes
      const a = rand() < 0.2 ? 0 : Math.floor(rand() * levels[d]);
      const b = rand() < 0.2 ? overflowCode(levels[d]) + 1 : a + Math.floor(rand() * levels[d]);
      cuts[d] = [a, b];
      filter.setCut(d, cuts[d]);
    }
    check();
  }
  filter.reset();
  cuts.fill(null);
  check();
  expect(filter.selected).toBe(n);
});

test('column codes: quantized as the plain formula says, base64 as Node writes it', () => {
  const values = [60, 59.999, 61.5, 119.9999, 120, 150, NaN, -1e9, 89.123456];
  const levels = quantizationLevels(60);
  const codes = quantize(values, 60, 120, levels);
  const expected = values.map(v =>
    Number.isNaN(v)
      ? 0xffff
      : v < 60
        ? 0
        : v >= 120
          ? levels + 1
          : 1 + Math.floor(((v - 60) / 60) * levels)
  );
  expect(Array.from(codes)).toEqual(expected);
  const rand = random(3);
  for (const length of [0, 1, 2, 3, 1000, 12289]) {
    const c = Uint16Array.from({ length }, () => Math.floor(rand() * 65536));
    const text = encodeCodes(c);
    const le = Buffer.alloc(length * 2);
    c.forEach((v, i) => le.writeUInt16LE(v, 2 * i));
    expect(text).toBe(le.toString('base64'));
    expect(Array.from(decodeCodes(text, length))).toEqual(Array.from(c));
  }
  expect(() => decodeCodes(encodeCodes(new Uint16Array(4)), 5)).toThrow(/expected 5 events/);
});

test('every bin count offered is exact: level edges fall on bin edges', () => {
  for (const bins of [10, 40, 50, 60, 64, 100, 120, 333]) {
    const levels = quantizationLevels(bins);
    expect(levels % bins).toBe(0);
    expect(levels).toBeLessThanOrEqual(65520);
    const choices = binChoices(levels);
    expect(choices).toContain(bins);
    for (const b of choices) expect(levels % b).toBe(0);
  }
  // 60 bins on 60 GeV: halves, thirds, fifths, 2 GeV, 3 GeV, 5 GeV bins and more
  expect(binChoices(quantizationLevels(60))).toEqual(
    expect.arrayContaining([10, 12, 15, 20, 24, 30, 40, 45, 48, 50, 60, 72, 80, 90, 100, 120])
  );
});

function shownBundle(table: Parameters<typeof explore>[0], columns: string[], options = {}) {
  const shown: MimeBundle[] = [];
  explore(table, columns, { ...options, display: { bundle: b => void shown.push(b) } });
  expect(shown).toHaveLength(1);
  return shown[0];
}

test('a real sample: histograms, rebins and cuts in the browser equal the file counted here', () => {
  const data = zmumuColumns();
  const events = readCSV(ZMUMU_CSV);
  const ranges = { M: [60, 120] as [number, number], pt1: [0, 100] as [number, number] };
  const bundle = shownBundle(events, ['M', 'pt1'], {
    ranges,
    bins: { M: 60, pt1: 50 },
    tableName: 'events'
  });
  expect(Object.keys(bundle)).toEqual([
    EXPLORER_MIME,
    'image/svg+xml',
    'text/plain',
    'application/pdf'
  ]);
  // The output as a notebook keeps it: JSON.
  const { payload, codes } = decodeExplorer(JSON.parse(JSON.stringify(bundle[EXPLORER_MIME])));
  const filter = new ExplorerFilter(
    payload.columns.map((c, k) => ({ codes: codes[k], levels: c.levels })),
    payload.columns.map(c => c.bins)
  );
  const count = (
    values: number[],
    [lo, hi]: number[],
    bins: number,
    keep: (i: number) => boolean
  ) => {
    const out = new Array<number>(bins).fill(0);
    values.forEach((v, i) => {
      if (keep(i) && v >= lo && v < hi) out[Math.floor(((v - lo) / (hi - lo)) * bins)]++;
    });
    return out;
  };
  const inner = (d: number) => Array.from(filter.counts(d).subarray(1, filter.bins(d) + 1));
  expect(inner(0)).toEqual(count(data.M, ranges.M, 60, () => true));
  for (const b of [12, 20, 30, 120]) {
    filter.setBins(0, b);
    expect(inner(0)).toEqual(count(data.M, ranges.M, b, () => true));
  }
  // Cut 80 <= M < 100, then pt1 >= 25 (open: the overflow too).
  const M = payload.columns[0];
  const pt1 = payload.columns[1];
  filter.setCut(0, cutToCodes(M, [80, 100]));
  filter.setCut(1, cutToCodes(pt1, [25, Infinity]));
  const keep = (i: number) => data.M[i] >= 80 && data.M[i] < 100 && data.pt1[i] >= 25;
  expect(filter.selected).toBe(data.M.filter((_, i) => keep(i)).length);
  expect(inner(1)).toEqual(
    count(data.pt1, ranges.pt1, 50, i => data.M[i] >= 80 && data.M[i] < 100)
  );
  // The code the renderer shows, and what maskWhere keeps when it runs.
  const cuts = { M: codesToCut(M, filter.cut(0)!), pt1: codesToCut(pt1, filter.cut(1)!) };
  expect(cuts).toEqual({ M: [80, 100], pt1: [25, Infinity] });
  expect(cutCode(payload.table, cuts)).toBe(
    'const selected = od.maskWhere(events, { M: [80, 100], pt1: [25, Infinity] });\n' +
      'console.log(`${selected.reduce((n, keep) => n + keep, 0)} events selected`);'
  );
  const mask = maskWhere(events, cuts);
  expect(mask.reduce((a, b) => a + b, 0)).toBe(filter.selected);
  mask.forEach((m, i) => expect(m).toBe(keep(i) ? 1 : 0));

  // The text summary: statistics of the values in range, as computed here.
  const inRange = data.M.filter(v => v >= 60 && v < 120);
  const mean = inRange.reduce((a, b) => a + b, 0) / inRange.length;
  const std = Math.sqrt(inRange.reduce((a, b) => a + (b - mean) ** 2, 0) / inRange.length);
  const row = String(bundle['text/plain'])
    .split('\n')
    .find(l => l.startsWith('M '))!
    .split(/\s+/);
  expect(row.slice(1, 6).map(Number)).toEqual([
    data.M.length,
    Number(mean.toPrecision(5)),
    Number(std.toPrecision(5)),
    data.M.filter(v => v < 60).length,
    data.M.filter(v => v >= 120).length
  ]);
  // The picture: one bar path per histogram, and the title.
  const svg = String(bundle['image/svg+xml']);
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.match(/fill="#1976d2"/g)).toHaveLength(2);
});

test('names and cut values are escaped into the code and the picture', () => {
  const table = { 'p"t': [1, 2, 3], '<b>': [1, 2, 3] };
  const bundle = exploreBundle(table, ['p"t', '<b>'], {
    tableName: 'x; alert(1)',
    title: '<script>alert(1)</script>',
    cuts: { 'p"t': [1.5, Infinity] }
  });
  const payload = bundle[EXPLORER_MIME] as ExplorerPayload;
  expect(payload.table).toBe('table');
  expect(payload.cuts).toEqual({ 'p"t': [1.5, null] });
  expect(cutCode(payload.table, { 'p"t': [1.5, Infinity] })).toContain(
    'od.maskWhere(table, { "p\\"t": [1.5, Infinity] })'
  );
  const svg = String(bundle['image/svg+xml']);
  expect(svg).not.toContain('<script>');
  expect(svg).not.toContain('<b>');
  expect(svg).toContain('&lt;script&gt;');
  expect(maskWhere(table, { 'p"t': [1.5, Infinity] })).toEqual(Uint8Array.from([0, 1, 1]));
});

test('100,000 events × 6 columns stay within 2 MB; larger tables send a sample and say so', () => {
  const rand = random(11);
  const columns = ['a', 'b', 'c', 'd', 'e', 'f'];
  const make = (n: number) =>
    Object.fromEntries(columns.map(c => [c, Float64Array.from({ length: n }, () => rand() * 100)]));
  const small = exploreBundle(make(100_000), columns, { ranges: { a: [0, 100] } });
  const size = (b: MimeBundle) => Buffer.byteLength(JSON.stringify(b));
  expect(size(small)).toBeLessThanOrEqual(2_000_000);
  const p = small[EXPLORER_MIME] as ExplorerPayload;
  expect(p.shown).toBe(100_000);
  expect(p.notice).toBeUndefined();

  const large = exploreBundle(make(300_000), columns);
  expect(size(large)).toBeLessThanOrEqual(2_000_000);
  const q = large[EXPLORER_MIME] as ExplorerPayload;
  expect(q.events).toBe(300_000);
  expect(q.shown).toBe(120_000);
  expect(q.notice).toMatch(/sample of 120,000 of 300,000 events/);
  expect(String(large['text/plain'])).toContain('sample of 120,000 of 300,000');
  expect(String(large['text/plain'])).toMatch(/^Event explorer: 300000 events/);

  // A reference takes what the data leave, and at least a quarter of the budget.
  const withRef = (n: number, m: number) =>
    exploreBundle(make(n), columns, { reference: { table: make(m) } })[
      EXPLORER_MIME
    ] as ExplorerPayload;
  const fits = withRef(100_000, 20_000);
  expect([fits.shown, fits.referenceTable!.shown, fits.notice]).toEqual([
    100_000,
    20_000,
    undefined
  ]);
  const both = withRef(200_000, 200_000);
  expect([both.shown, both.referenceTable!.shown]).toEqual([90_000, 30_000]);
  expect(both.notice).toMatch(
    /sample of 90,000 of 200,000 events.*reference is a sample of 30,000 of 200,000/
  );
  expect(size({ x: both })).toBeLessThanOrEqual(2_000_000);
});

test('references: a table cut alike, a Hist1D or a HEPData table over one column', () => {
  const data = { x: [1, 2, 3, 4], y: [0.5, 0.5, 1.5, 1.5] };
  const sim = { x: [1, 1, 2, 3, 3, 3], y: [0.5, 1.5, 0.5, 0.5, 1.5, 1.5] };
  const h = new Hist1D(4, 0, 4).fill([1, 1, 2]);
  const hepdata = {
    name: 'Table 1',
    description: '',
    independent_variables: [
      {
        header: { name: 'x' },
        values: [
          { low: 0, high: 2 },
          { low: 2, high: 4 }
        ]
      }
    ],
    dependent_variables: [{ header: { name: 'N' }, values: [{ value: 5 }, { value: 7 }] }]
  };
  const bundle = exploreBundle(data, ['x', 'y'], {
    ranges: { x: [0, 5], y: [0, 2] },
    reference: [
      { table: sim, label: 'simulation', scale: 2 },
      { column: 'y', histogram: h, label: 'fit' },
      { column: 'x', histogram: hepdata }
    ]
  });
  const { payload, referenceCodes } = decodeExplorer(
    JSON.parse(JSON.stringify(bundle[EXPLORER_MIME]))
  );
  expect(payload.referenceTable).toMatchObject({
    label: 'simulation',
    events: 6,
    shown: 6,
    scale: 2
  });
  expect(referenceCodes).toHaveLength(2);
  const levels = payload.columns[0].levels;
  expect(Array.from(referenceCodes![0])).toEqual(sim.x.map(v => 1 + Math.floor((v / 5) * levels)));
  expect(payload.referenceHistograms).toEqual([
    { column: 'y', edges: [0, 1, 2, 3, 4], values: [0, 2, 1, 0], label: 'fit', scale: 'area' },
    { column: 'x', edges: [0, 2, 4], values: [5, 7], label: 'Table 1', scale: 'area' }
  ]);
});

test('malformed outputs are refused with a reason, not drawn', () => {
  const good = exploreBundle({ x: [1, 2] }, ['x'])[EXPLORER_MIME] as ExplorerPayload;
  expect(() => decodeExplorer(null)).toThrow(/not an explorer output/);
  expect(() => decodeExplorer({ ...good, version: 2 })).toThrow(/version/);
  expect(() => decodeExplorer({ ...good, shown: 3 })).toThrow(/expected 3 events/);
  expect(() =>
    decodeExplorer({ ...good, columns: [{ ...good.columns[0], bins: 7, levels: 100 }] })
  ).toThrow(/malformed/);
  expect(() =>
    decodeExplorer({ ...good, columns: [{ ...good.columns[0], codes: '!!!!' }] })
  ).toThrow(/base64/);
});

test('maskWhere with ranges: arrays, missing values outside, unknown columns and lengths refused', () => {
  const values = [1, NaN, 3, 4];
  expect(maskWhere({ a: values }, { a: [2, Infinity] })).toEqual(Uint8Array.from([0, 0, 1, 1]));
  expect(maskWhere({ a: values }, {})).toEqual(Uint8Array.from([1, 1, 1, 1]));
  expect(() => maskWhere({ a: values }, { b: [0, 1] })).toThrow(/no column "b"/);
  expect(() => maskWhere({ a: values, b: [1] }, { a: [0, 9], b: [0, 9] })).toThrow(
    /has 1 values for 4 events/
  );
  // the old form still works
  expect(maskWhere(values, v => v > 2)).toEqual(Uint8Array.from([0, 0, 1, 1]));
});
