// The explorer's brush in Chromium: ms per brush move for 100,000 and 1,000,000 events × 6
// columns, ours (the built ExplorerFilter and the extension's own HistogramPlot redrawing all six
// histograms) side by side with the crossfilter2 npm library (dimension.filterRange,
// group.all() per histogram, the same redraw) in the same page, on the same codes and the same
// brush moves. Every move's counts are checked equal on both sides. Goals: 16 ms and 50 ms.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { benchDir, row } from './lib.mjs';

// measure() runs in the page
/* global window, document, performance */

const require = createRequire(import.meta.url);
const root = path.resolve(benchDir, '..', '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/lib/chromium/chromium';

/**
 * The built core modules the filter needs, as one script that defines them CommonJS-style in the
 * page (dist is CommonJS): window.odl = require('./explorer-filter') and the encoding.
 */
function coreScript() {
  const dir = path.join(root, 'kernel-helpers', 'dist', 'core');
  const sources = {};
  const visit = name => {
    if (name in sources) return;
    const text = fs.readFileSync(path.join(dir, `${name}.js`), 'utf8');
    sources[name] = text;
    for (const m of text.matchAll(/require\("\.\/([\w-]+)"\)/g)) visit(m[1]);
  };
  visit('explorer-filter');
  visit('explorer-encoding');
  return `(() => {
  const sources = ${JSON.stringify(sources)};
  const cache = {};
  const load = name => {
    const key = name.replace(/^\\.\\//, '');
    if (cache[key]) return cache[key].exports;
    const module = { exports: {} };
    cache[key] = module;
    new Function('exports', 'require', 'module', sources[key])(module.exports, load, module);
    return module.exports;
  };
  window.odl = { ...load('explorer-encoding'), ...load('explorer-filter') };
})();`;
}

/** The extension's histogram drawing (lib/explorer-histogram.js, an ES module with no imports). */
function plotScript() {
  const text = fs.readFileSync(path.join(root, 'lib', 'explorer-histogram.js'), 'utf8');
  return `${text.replace(/^export /gm, '')}\nwindow.HistogramPlot = HistogramPlot;`;
}

/** Runs in the page: both sides on the same data and moves; returns ms per move. */
async function measure({ events, columns, bins, moves, rounds }) {
  const { ExplorerFilter, quantizationLevels, overflowCode } = window.odl;
  const levels = quantizationLevels(bins);
  const perBin = levels / bins;
  // Codes of correlated, peaked columns (a mass-like peak and tails), seeded.
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const codes = [];
  const shared = Float64Array.from({ length: events }, gauss);
  for (let d = 0; d < columns; d++) {
    const c = new Uint16Array(events);
    for (let i = 0; i < events; i++) {
      const x = 0.5 + 0.15 * (0.6 * shared[i] + 0.8 * gauss());
      c[i] = x < 0 ? 0 : x >= 1 ? overflowCode(levels) : 1 + Math.floor(x * levels);
    }
    codes.push(c);
  }
  // Brush moves on column 0, as a drag makes them: one end grows a bin at a time, then the
  // window slides, then shrinks (bins 8..32 of 40).
  const path = [];
  for (let k = 0; path.length < moves; k++) {
    const phase = k % 60;
    const a = phase < 20 ? 8 : phase < 40 ? 8 + (phase - 20) : 28 - Math.min(phase - 40, 10);
    const b = phase < 20 ? 9 + phase : phase < 40 ? 29 + Math.min(phase - 20, 3) : 32;
    path.push([a * perBin + 1, Math.max(a + 1, b) * perBin + 1]);
  }
  const host = document.createElement('div');
  document.body.appendChild(host);
  const plots = Array.from({ length: columns }, () => {
    const p = new window.HistogramPlot(0, 1, 'bench', () => undefined);
    host.appendChild(p.node);
    return p;
  });
  const view = (counts, totals) => ({ counts, totals, reference: null, log: false, brush: null });

  // ours
  const filter = new ExplorerFilter(
    codes.map(c => ({ codes: c, levels })),
    codes.map(() => bins)
  );
  const oursCounts = [];
  const runOurs = (record, draw = true) => {
    for (const [a, b] of path) {
      filter.setCut(0, [a, b]);
      for (let d = 0; d < columns; d++) {
        const counts = filter.counts(d);
        if (draw) plots[d].draw(view(counts, filter.totals(d)));
      }
      if (record) oursCounts.push(Array.from(filter.counts(1).subarray(1, bins + 1)));
    }
    filter.setCut(0, null);
  };

  // crossfilter2: one record per event (its index), a dimension and a binned group per column
  const cf = window.crossfilter(Array.from({ length: events }, (_, i) => i));
  const dims = codes.map(c => cf.dimension(i => c[i]));
  const groups = dims.map(dim =>
    dim.group(v => (v === 0 ? -1 : v > levels ? bins : Math.floor((v - 1) / perBin)))
  );
  const binned = new Int32Array(bins + 3);
  const theirsCounts = [];
  const runTheirs = (record, draw = true) => {
    for (const [a, b] of path) {
      dims[0].filterRange([a, b]);
      for (let d = 0; d < columns; d++) {
        binned.fill(0);
        for (const { key, value } of groups[d].all()) binned[key + 1] = value;
        if (draw) plots[d].draw(view(binned, binned));
      }
      if (record) {
        binned.fill(0);
        for (const { key, value } of groups[1].all()) binned[key + 1] = value;
        theirsCounts.push(Array.from(binned.subarray(1, bins + 1)));
      }
    }
    dims[0].filterAll();
  };

  runOurs(true);
  runTheirs(true);
  const same = JSON.stringify(oursCounts) === JSON.stringify(theirsCounts);
  const times = { ours: [], theirs: [], oursFilter: [], theirsFilter: [] };
  const sides = [
    ['ours', () => runOurs(false)],
    ['theirs', () => runTheirs(false)],
    ['oursFilter', () => runOurs(false, false)],
    ['theirsFilter', () => runTheirs(false, false)]
  ];
  for (let r = 0; r < rounds; r++) {
    // alternate, so neither side always runs on a warmer page
    for (const [side, fn] of r % 2 ? sides.slice().reverse() : sides) {
      const t0 = performance.now();
      fn();
      times[side].push((performance.now() - t0) / path.length);
    }
  }
  const median = xs => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  host.remove();
  return {
    ours: median(times.ours),
    theirs: median(times.theirs),
    oursFilter: median(times.oursFilter),
    theirsFilter: median(times.theirsFilter),
    same
  };
}

export async function run(ctx) {
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-gpu'] });
  const rows = [];
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: coreScript() });
    await page.addScriptTag({ content: plotScript() });
    await page.addScriptTag({
      content: fs.readFileSync(require.resolve('crossfilter2/crossfilter.min.js'), 'utf8')
    });
    const cases = [
      { events: 100_000, goal: 16 },
      { events: 1_000_000, goal: 50 }
    ];
    for (const { events, goal } of cases) {
      ctx.log(`explorer: ${events} events x 6 columns in Chromium`);
      const result = await page.evaluate(measure, {
        events,
        columns: 6,
        bins: 40,
        moves: ctx.quick ? 60 : 240,
        rounds: ctx.quick ? 3 : 5
      });
      if (!result.same) throw new Error(`ours and crossfilter2 counted differently (${events})`);
      rows.push(
        row(
          `explorer brush move + redraw, ${events / 1000}k events x 6 (Chromium)`,
          result.ours,
          'crossfilter2 1.5.4',
          result.theirs,
          'ms/move',
          {
            higherIsBetter: false,
            goal_ms: goal,
            within_goal: result.ours <= goal,
            // the filter and grouping alone, no redraw
            filter_ms: Number(result.oursFilter.toPrecision(3)),
            peer_filter_ms: Number(result.theirsFilter.toPrecision(3))
          }
        )
      );
    }
  } finally {
    await browser.close();
  }
  return rows;
}
