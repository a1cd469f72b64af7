// od.explore(): linked histograms of event columns in the notebook (a masterclass explorer). The
// kernel encodes the columns once into one output; the extension's renderer brushes, cuts and
// rebins in the browser from that output alone (tslab has no comm channel), and shows the cuts as
// od.maskWhere code. The same output carries a static SVG and a text summary for viewers
// without the extension.
import {
  EXPLORER_MIME,
  ExplorerColumnData,
  ExplorerPayload,
  ExplorerReferenceHistogram,
  encodeCodes,
  quantizationLevels,
  quantize
} from '../core/explorer-encoding';
import { codeIdentifier, cutValueCode } from '../core/explorer-cuts';
import { ExplorerPanel, explorerSvg } from '../core/explorer-svg';
import { OpenDataError } from '../core/errors';
import { pdfEntry } from '../core/figure-bundle';
import type { HEPDataTable } from '../core/hepdata';
import { Hist1D, HistogramLike } from '../core/histogram';
import { ColumnRanges, ColumnsLike, applyMask, eventColumn, maskWhere } from '../core/physics';
import { BundleDisplay, MimeBundle, kernelBundleDisplay } from './display';

/** A reference drawn over the data: a second table cut like it, or a fixed histogram. */
export type ExploreReference =
  | {
      /** e.g. simulation with the same columns: filtered by the same cuts, drawn as outlines. */
      table: ColumnsLike;
      label?: string;
      /** A factor, or 'area' (default): scaled to the selected data in each histogram. */
      scale?: number | 'area';
    }
  | {
      /** The column whose histogram it is drawn over. */
      column: string;
      /** A Hist1D (or edges + counts), or a HEPData table (its first dependent variable). */
      histogram: HistogramLike | HEPDataTable;
      label?: string;
      scale?: number | 'area';
    };

export interface ExploreOptions {
  /** Bins per histogram: one number for all, or per column (default 40). */
  bins?: number | Record<string, number>;
  /** Histogram ranges [lo, hi) per column (default: the values' range, rounded outward). */
  ranges?: Record<string, [number, number]>;
  /** Log y axes: all, or the columns named. */
  log?: boolean | string[];
  /** Cuts to start with, as value ranges (±Infinity for an open side). */
  cuts?: ColumnRanges;
  reference?: ExploreReference | ExploreReference[];
  title?: string;
  /** The table's variable name in the notebook, for the cut code (default "table"). */
  tableName?: string;
  /**
   * Event values (events × columns, reference included) sent to the browser at most; larger
   * tables send an evenly spaced sample and say so. Default 720,000: 100,000 events × 6 columns
   * and a bit, ≤ 2 MB of output.
   */
  maxValues?: number;
  /** Where to show it (default: the running kernel's display); tests pass their own. */
  display?: BundleDisplay;
}

const DEFAULT_BINS = 40;
const DEFAULT_MAX_VALUES = 720_000;

/**
 * Shows linked histograms of `columns` of `table` (an Arrow table from the readers, or plain
 * arrays by name): brushing a range on one cuts the events and every other histogram follows.
 * Shows one output: the explorer's data, an SVG picture and a text summary (see exploreBundle).
 * Returns nothing, so that a cell ending with it shows the explorer only.
 */
export function explore(table: ColumnsLike, columns: string[], options: ExploreOptions = {}): void {
  (options.display ?? kernelBundleDisplay()).bundle(exploreBundle(table, columns, options));
}

/** The mime bundle od.explore shows: its data, a static SVG and a text summary. */
export function exploreBundle(
  table: ColumnsLike,
  columns: string[],
  options: Omit<ExploreOptions, 'display'> = {}
): MimeBundle {
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new OpenDataError('E_USAGE', 'explore: name the columns to show, e.g. ["M", "pt1"]');
  }
  if (new Set(columns).size !== columns.length) {
    throw new OpenDataError('E_USAGE', 'explore: a column is named twice');
  }
  const values = columns.map(name => eventColumn(table, name));
  const events = values[0].length;
  values.forEach((v, k) => {
    if (v.length !== events) {
      throw new OpenDataError(
        'E_USAGE',
        `explore: column "${columns[k]}" has ${v.length} values, "${columns[0]}" ${events}`
      );
    }
  });
  const cuts = options.cuts ?? {};
  for (const name of Object.keys(cuts)) {
    if (!columns.includes(name)) {
      throw new OpenDataError('E_USAGE', `explore: a cut on "${name}", which is not shown`);
    }
  }
  const binning = columns.map((name, k) => {
    const bins = typeof options.bins === 'number' ? options.bins : options.bins?.[name];
    const range = options.ranges?.[name] ?? autoRange(values[k], name);
    if (!(range[1] > range[0]) || !Number.isFinite(range[0]) || !Number.isFinite(range[1])) {
      throw new OpenDataError('E_USAGE', `explore: the range of "${name}" is not [lo < hi]`);
    }
    const b = bins ?? DEFAULT_BINS;
    return { lo: range[0], hi: range[1], bins: b, levels: quantizationLevels(b) };
  });
  const logOf = (name: string): boolean =>
    Array.isArray(options.log) ? options.log.includes(name) : options.log === true;

  const references = ([] as ExploreReference[]).concat(options.reference ?? []);
  const refTables = references.filter((r): r is Extract<ExploreReference, { table: unknown }> =>
    Object.prototype.hasOwnProperty.call(r, 'table')
  );
  if (refTables.length > 1) {
    throw new OpenDataError('E_USAGE', 'explore: one reference table at most');
  }
  const refTable = refTables[0];
  const refValues = refTable ? columns.map(name => eventColumn(refTable.table, name)) : null;
  const refEvents = refValues ? refValues[0].length : 0;

  // The budget of values: the data first; a reference gets what is left, at least a quarter.
  const budget = options.maxValues ?? DEFAULT_MAX_VALUES;
  const perEvent = columns.length;
  const left = Math.floor(budget / perEvent) - events;
  const refShown = refValues
    ? Math.min(refEvents, Math.max(left, Math.floor(budget / 4 / perEvent)))
    : 0;
  const shown = Math.min(events, Math.floor((budget - refShown * perEvent) / perEvent));
  const pick = shown < events ? evenlySpaced(events, shown) : undefined;
  const refPick = refShown < refEvents ? evenlySpaced(refEvents, refShown) : undefined;

  const data: ExplorerColumnData[] = columns.map((name, k) => {
    const { lo, hi, bins, levels } = binning[k];
    const codes = quantize(values[k], lo, hi, levels, pick);
    return { name, lo, hi, bins, levels, log: logOf(name), codes: encodeCodes(codes) };
  });
  const refLabel = refTable?.label ?? 'reference';
  const notices: string[] = [];
  if (pick) {
    notices.push(
      `Showing an evenly spaced sample of ${shown.toLocaleString('en-US')} of ${events.toLocaleString('en-US')} events (the output's size budget); counts here are of the sample, the cut code runs on all events.`
    );
  }
  if (refPick) {
    notices.push(
      `The ${refLabel} is a sample of ${refShown.toLocaleString('en-US')} of ${refEvents.toLocaleString('en-US')} events, scaled up to all of them.`
    );
  }
  const payload: ExplorerPayload = {
    version: 1,
    title: options.title ?? 'Event explorer',
    table: codeIdentifier(options.tableName),
    events,
    shown,
    columns: data
  };
  if (notices.length > 0) payload.notice = notices.join(' ');
  if (Object.keys(cuts).length > 0) {
    const side = (v: number) => (Number.isFinite(v) ? v : null);
    payload.cuts = Object.fromEntries(
      Object.entries(cuts).map(([k, v]) => [k, [side(v[0]), side(v[1])]])
    );
  }
  if (refTable && refValues) {
    const scale = refTable.scale ?? 'area';
    payload.referenceTable = {
      label: refLabel,
      events: refEvents,
      shown: refShown,
      // a sample stands for all the reference's events
      scale: scale === 'area' ? 'area' : (scale * refEvents) / Math.max(refShown, 1),
      codes: columns.map((_, k) =>
        encodeCodes(
          quantize(refValues[k], binning[k].lo, binning[k].hi, binning[k].levels, refPick)
        )
      )
    };
  }
  const refHists = references
    .filter((r): r is Extract<ExploreReference, { column: string }> =>
      Object.prototype.hasOwnProperty.call(r, 'column')
    )
    .map(r => referenceHistogram(r, columns));
  if (refHists.length > 0) payload.referenceHistograms = refHists;

  const summary = summarize(columns, values, binning, cuts, logOf);
  const svg = explorerSvg(summary.panels, payload.title, [
    ...summary.cutLines,
    ...(payload.notice ? [payload.notice] : [])
  ]);
  // The PDF is the picture for nbconvert's LaTeX/PDF export (no Inkscape needed).
  const bundle: MimeBundle = {
    [EXPLORER_MIME]: payload,
    'image/svg+xml': svg,
    'text/plain': summary.text(payload),
    ...pdfEntry(svg)
  };
  return bundle;
}

/** `count` indices spread evenly over [0, n): a sample that keeps the file's order. */
function evenlySpaced(n: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let k = 0; k < count; k++) out[k] = Math.floor((k * n) / count);
  return out;
}

/** The finite values' range rounded outward to a step of 1, 2 or 5 × 10^k (a tenth of it). */
export function autoRange(values: ArrayLike<number>, name = 'column'): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max) || !Number.isFinite(min) || !Number.isFinite(max)) {
    throw new OpenDataError(
      'E_USAGE',
      `explore: "${name}" has no finite values; give its range (ranges: { ${JSON.stringify(name)}: [lo, hi] })`
    );
  }
  const span = max - min || Math.abs(max) || 1;
  const raw = span / 10;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(m => m * power).find(s => s >= raw)!;
  const lo = Math.floor(min / step) * step;
  let hi = Math.ceil(max / step) * step;
  if (hi <= max) hi += step; // the largest value in range, not overflow
  return [Number(lo.toPrecision(12)), Number(hi.toPrecision(12))];
}

function referenceHistogram(
  r: Extract<ExploreReference, { column: string }>,
  columns: string[]
): ExplorerReferenceHistogram {
  if (!columns.includes(r.column)) {
    throw new OpenDataError(
      'E_USAGE',
      `explore: a reference for "${r.column}", which is not shown`
    );
  }
  const h = r.histogram as Partial<HEPDataTable> & Partial<HistogramLike>;
  let edges: number[];
  let valuesOut: number[];
  if (Array.isArray(h.independent_variables) && Array.isArray(h.dependent_variables)) {
    const bins = h.independent_variables[0]?.values ?? [];
    const dep = h.dependent_variables[0]?.values ?? [];
    if (bins.length === 0 || dep.length !== bins.length) {
      throw new OpenDataError('E_USAGE', `explore: HEPData table "${h.name}" has no bins to draw`);
    }
    edges = [];
    valuesOut = [];
    bins.forEach((b, i) => {
      if (typeof b.low !== 'number' || typeof b.high !== 'number') {
        throw new OpenDataError('E_USAGE', `explore: HEPData table "${h.name}" is not binned`);
      }
      if (i === 0) edges.push(b.low);
      edges.push(b.high);
      valuesOut.push(Number(dep[i].value));
    });
  } else if (h.edges && h.counts) {
    edges = Array.from(h.edges);
    valuesOut = Array.from(h.counts);
  } else {
    throw new OpenDataError(
      'E_USAGE',
      'explore: a reference histogram is a Hist1D or a HEPData table'
    );
  }
  if (edges.length !== valuesOut.length + 1) {
    throw new OpenDataError('E_USAGE', 'explore: the reference has not one edge more than values');
  }
  return {
    column: r.column,
    edges,
    values: valuesOut,
    label: r.label ?? (typeof h.name === 'string' ? h.name : 'reference'),
    scale: r.scale ?? 'area'
  };
}

/** "80 ≤ M < 100", "pt1 ≥ 20", "eta1 < 1". */
function cutText(name: string, [lo, hi]: readonly [number, number]): string {
  if (lo === -Infinity) return `${name} < ${cutValueCode(hi)}`;
  if (hi === Infinity) return `${name} ≥ ${cutValueCode(lo)}`;
  return `${cutValueCode(lo)} ≤ ${name} < ${cutValueCode(hi)}`;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(5))) : String(v);
}

/** Histograms and statistics of all events (the picture and the text), the initial cuts applied. */
function summarize(
  columns: string[],
  values: ArrayLike<number>[],
  binning: { lo: number; hi: number; bins: number }[],
  cuts: ColumnRanges,
  logOf: (name: string) => boolean
) {
  const cutNames = Object.keys(cuts);
  const all = values.length > 0 ? values[0].length : 0;
  const maskWithout = (skip: string) => {
    const ranges: ColumnRanges = {};
    for (const name of cutNames) if (name !== skip) ranges[name] = cuts[name];
    const table: Record<string, ArrayLike<number>> = {};
    columns.forEach((c, k) => (table[c] = values[k]));
    return Object.keys(ranges).length > 0 ? maskWhere(table, ranges) : null;
  };
  const totals = columns.map((_, k) => {
    const { bins, lo, hi } = binning[k];
    return new Hist1D(bins, lo, hi).fill(values[k]);
  });
  const panels: ExplorerPanel[] = columns.map((name, k) => {
    const { bins, lo, hi } = binning[k];
    const mask = maskWithout(name);
    const counts = mask ? new Hist1D(bins, lo, hi).fill(applyMask(values[k], mask)).counts : null;
    return {
      name,
      lo,
      hi,
      counts: counts ?? totals[k].counts,
      totals: counts ? totals[k].counts : undefined,
      log: logOf(name)
    };
  });
  const selectedMask = maskWithout('');
  let selected = all;
  if (selectedMask) {
    selected = 0;
    for (let i = 0; i < selectedMask.length; i++) selected += selectedMask[i];
  }
  const cutLines =
    cutNames.length > 0
      ? [
          `Cuts: ${cutNames.map(n => cutText(n, cuts[n])).join(', ')}: ${selected.toLocaleString('en-US')} of ${all.toLocaleString('en-US')} events`
        ]
      : [`${all.toLocaleString('en-US')} events`];
  const text = (payload: ExplorerPayload): string => {
    const header = ['column', 'entries', 'mean', 'std', 'underflow', 'overflow', 'range', 'bins'];
    const rows = columns.map((name, k) => {
      const h = totals[k];
      return [
        name,
        String(h.entries),
        fmt(h.mean),
        fmt(h.std),
        String(h.underflow),
        String(h.overflow),
        `[${fmt(h.lo)}, ${fmt(h.hi)})`,
        String(h.bins)
      ];
    });
    const widths = header.map((t, j) => Math.max(t.length, ...rows.map(r => r[j].length)));
    const line = (cells: string[]) =>
      cells
        .map((c, j) => c.padEnd(widths[j]))
        .join('  ')
        .trimEnd();
    return [
      `${payload.title}: ${all} events, ${columns.length} columns (mean and std of the values in range)`,
      line(header),
      ...rows.map(line),
      ...cutLines.slice(cutNames.length > 0 ? 0 : 1),
      ...(payload.notice ? [payload.notice] : []),
      'Brush ranges and cut in JupyterLab with the opendata-lab extension.'
    ].join('\n');
  };
  return { panels, cutLines, text };
}
