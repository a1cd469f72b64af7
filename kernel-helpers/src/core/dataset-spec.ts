// A per-file analysis written as data, so it can cross into a worker thread (or be read aloud):
// the tree, event cuts applied in order (a cut-flow), histograms of branches of the events that
// pass every cut. Browser-safe: the analysis of one chunk of entries (an Arrow Table) is here too.
import { type Data, DataType, Precision, type Table, type Vector } from 'apache-arrow';
import { OpenDataError } from './errors';
import { Hist1D } from './histogram';
import { flatNumbers, jagged, type Jagged } from './physics';

export type CutOp = '>' | '>=' | '<' | '<=' | '==' | '!=';
const CUT_OPS: CutOp[] = ['>=', '<=', '==', '!=', '>', '<'];

/**
 * An event cut: `branch op value`. On a jagged branch (one value per object, e.g. Muon_pt) an event
 * passes when at least `atLeast` (default 1) of its objects pass.
 */
export interface Cut {
  /** What the cut-flow table calls it (default: the cut as text, e.g. `nMuon >= 2`). */
  name?: string;
  branch: string;
  op: CutOp;
  value: number;
  atLeast?: number;
}

/**
 * A histogram of a branch (jagged branches: every object of the selected events), or without a
 * branch one that the spec's module fills by name (a derived quantity such as a pair mass).
 */
export interface HistogramSpec {
  /** Its key in the result (default: the branch name). */
  name?: string;
  branch?: string;
  bins: number;
  range: [number, number];
}

export interface AnalysisSpec {
  tree: string;
  cuts?: (Cut | string)[];
  histograms: HistogramSpec[];
  /** A per-event weight branch (flat); each object of an event gets the event's weight. */
  weight?: string;
  /** More branches to read, for the module. */
  branches?: string[];
  /**
   * A CommonJS module (an absolute path, or relative to the working directory) exporting
   * `analyze(chunk, api)`: called for every chunk after the cuts with the chunk's Arrow Table
   * and `api` (see ChunkAPI); it fills the spec's histograms by name. Runs in each worker.
   */
  module?: string;
}

/** What a spec's module gets with each chunk of entries. */
export interface ChunkAPI {
  /** 1 for the events that passed every cut, 0 for the others; null without cuts. */
  keep: Uint8Array | null;
  /** Fills the histogram `name` of the spec (E_USAGE for a name the spec does not declare). */
  fill(name: string, values: ArrayLike<number>, weights?: ArrayLike<number>): void;
  /** A branch of the chunk as float64 values (flat branches) or offsets + values (jagged). */
  flat(branch: string): Float64Array;
  jagged(branch: string): Jagged;
}

/** The per-chunk function of a spec's module. */
export type ChunkAnalysis = (chunk: Table, api: ChunkAPI) => void;

/** One row of a cut-flow table: the events left after this cut (the first row: all events). */
export interface CutFlowRow {
  cut: string;
  events: number;
}

/** `nMuon >= 2` → a Cut; E_USAGE for anything else. */
export function parseCut(text: string): Cut {
  const m = /^\s*([A-Za-z_][\w.]*)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$/.exec(text);
  const value = m ? Number(m[3]) : NaN;
  if (!m || !Number.isFinite(value)) {
    throw new OpenDataError(
      'E_USAGE',
      `cut ${JSON.stringify(text)}: expected BRANCH OP NUMBER, e.g. "nMuon >= 2" (OP one of ${CUT_OPS.join(' ')})`
    );
  }
  return { branch: m[1], op: m[2] as CutOp, value };
}

export function cutText(cut: Cut): string {
  const base = `${cut.branch} ${cut.op} ${cut.value}`;
  return cut.name ?? (cut.atLeast && cut.atLeast > 1 ? `${cut.atLeast} × (${base})` : base);
}

export interface NormalizedSpec {
  tree: string;
  cuts: Cut[];
  histograms: (HistogramSpec & { name: string })[];
  weight?: string;
  branches: string[];
  module?: string;
}

/** The spec with cuts parsed and names filled in, checked (E_USAGE naming what is wrong). */
export function normalizeSpec(spec: AnalysisSpec): NormalizedSpec {
  if (!spec || typeof spec.tree !== 'string' || spec.tree === '') {
    throw new OpenDataError('E_USAGE', 'analysis: give the tree to read (tree: "Events")');
  }
  const histograms = (spec.histograms ?? []).map(h => {
    new Hist1D(h.bins, h.range?.[0], h.range?.[1]); // checks bins and range
    const name = h.name ?? h.branch;
    if (name === undefined || (h.branch === undefined && !spec.module)) {
      throw new OpenDataError(
        'E_USAGE',
        "analysis: a histogram needs a branch (or a name, filled by the spec's module)"
      );
    }
    return { ...h, name };
  });
  const cuts = (spec.cuts ?? []).map(c => (typeof c === 'string' ? parseCut(c) : { ...c }));
  for (const c of cuts) {
    if (!CUT_OPS.includes(c.op) || !Number.isFinite(c.value)) {
      throw new OpenDataError('E_USAGE', `cut on ${c.branch}: invalid operator or value`);
    }
  }
  if (histograms.length === 0 && cuts.length === 0) {
    throw new OpenDataError('E_USAGE', 'analysis: give at least one histogram or cut');
  }
  const names = new Set<string>();
  for (const h of histograms) {
    if (names.has(h.name)) {
      throw new OpenDataError('E_USAGE', `analysis: two histograms named ${h.name}`);
    }
    names.add(h.name);
  }
  return {
    tree: spec.tree,
    cuts,
    histograms,
    weight: spec.weight,
    branches: spec.branches ?? [],
    module: spec.module
  };
}

/** Every branch the analysis reads, once each. */
export function branchesOf(spec: AnalysisSpec): string[] {
  const s = normalizeSpec(spec);
  const out = [
    ...s.cuts.map(c => c.branch),
    ...s.histograms.flatMap(h => (h.branch === undefined ? [] : [h.branch])),
    ...s.branches
  ];
  if (s.weight) out.push(s.weight);
  return [...new Set(out)];
}

/** What a file (or a whole run) adds up to: histograms, the cut-flow, entries read. */
export class AnalysisResult {
  readonly histograms: Record<string, Hist1D> = {};
  readonly cutflow: CutFlowRow[];
  entries = 0;

  constructor(spec: AnalysisSpec) {
    const s = normalizeSpec(spec);
    for (const h of s.histograms) {
      this.histograms[h.name] = new Hist1D(h.bins, h.range[0], h.range[1]);
    }
    this.cutflow = [
      { cut: 'all events', events: 0 },
      ...s.cuts.map(c => ({ cut: cutText(c), events: 0 }))
    ];
  }

  /** Adds another result of the same spec (histograms add, counts sum). */
  add(other: AnalysisResult): this {
    this.entries += other.entries;
    other.cutflow.forEach((row, i) => (this.cutflow[i].events += row.events));
    for (const [name, h] of Object.entries(other.histograms)) this.histograms[name].add(h);
    return this;
  }

  /** A plain object that survives structured cloning (postMessage) exactly. */
  toState(): AnalysisState {
    return {
      entries: this.entries,
      cutflow: this.cutflow.map(r => r.events),
      histograms: Object.fromEntries(
        Object.entries(this.histograms).map(([name, h]) => [name, histState(h)])
      )
    };
  }

  static fromState(spec: AnalysisSpec, state: AnalysisState): AnalysisResult {
    const out = new AnalysisResult(spec);
    out.entries = state.entries;
    state.cutflow.forEach((n, i) => (out.cutflow[i].events = n));
    for (const [name, h] of Object.entries(state.histograms)) {
      out.histograms[name] = histFromState(h);
    }
    return out;
  }
}

export interface AnalysisState {
  entries: number;
  cutflow: number[];
  histograms: Record<string, HistState>;
}

/**
 * A Hist1D as plain data, moments and sums of squared weights included, so that a histogram
 * filled in a worker adds up exactly as if it had been filled here. Hist1D keeps these two in
 * fields of its own (no public setter): they are read and written as such, in this package only.
 */
export interface HistState {
  bins: number;
  lo: number;
  hi: number;
  counts: Float64Array;
  underflow: number;
  overflow: number;
  entries: number;
  moments: { sumw: number; sumwx: number; sumwx2: number };
  sumw2: Float64Array | null;
}

type HistInternals = { _moments: HistState['moments']; _sumw2: Float64Array | null };

export function histState(h: Hist1D): HistState {
  const inner = h as unknown as HistInternals;
  return {
    bins: h.bins,
    lo: h.lo,
    hi: h.hi,
    counts: h.counts.slice(),
    underflow: h.underflow,
    overflow: h.overflow,
    entries: h.entries,
    moments: { ...inner._moments },
    sumw2: inner._sumw2 ? inner._sumw2.slice() : null
  };
}

export function histFromState(s: HistState): Hist1D {
  const h = new Hist1D(s.bins, s.lo, s.hi);
  h.counts.set(s.counts);
  h.underflow = s.underflow;
  h.overflow = s.overflow;
  h.entries = s.entries;
  const inner = h as unknown as HistInternals;
  inner._moments = { ...s.moments };
  inner._sumw2 = s.sumw2 ? Float64Array.from(s.sumw2) : null;
  return h;
}

/** A branch of a chunk: its values (every object's, for a jagged branch) and event offsets. */
interface Column {
  values: ArrayLike<number>;
  offsets: Int32Array | null;
  vector: Vector;
}

/**
 * A column's values as Arrow holds them when they can be read as they are (one chunk, no nulls, no
 * slice, 32-bit or narrower numbers: a ROOT read), else null. No copy: converting every chunk to
 * float64 cost more in garbage collection than in the conversion itself.
 */
function plainValues(data: Data): ArrayLike<number> | null {
  const type = data.type;
  if (data.nullCount > 0 || data.offset !== 0) return null;
  if (DataType.isInt(type) ? type.bitWidth === 64 : !DataType.isFloat(type)) return null;
  if (DataType.isFloat(type) && type.precision === Precision.HALF) return null;
  const values = data.values as unknown;
  return ArrayBuffer.isView(values) ? (values as Float32Array).subarray(0, data.length) : null;
}

function columnOf(table: Table, branch: string, where: string): Column {
  const vector = table.getChild(branch) as Vector | null;
  if (!vector) throw new OpenDataError('E_NOT_FOUND', `${where}: no branch ${branch} read`);
  const isList = DataType.isList(vector.type) || DataType.isFixedSizeList(vector.type);
  if (vector.data.length === 1) {
    const data = vector.data[0];
    if (!isList) {
      const values = plainValues(data);
      if (values) return { values, offsets: null, vector };
    } else if (DataType.isList(vector.type) && data.nullCount === 0 && data.offset === 0) {
      const o = data.valueOffsets as unknown;
      const values = data.children[0] ? plainValues(data.children[0]) : null;
      if (o instanceof Int32Array && o.length === data.length + 1 && o[0] === 0 && values) {
        return { values: (values as Float32Array).subarray(0, o[data.length]), offsets: o, vector };
      }
    }
  }
  if (!isList) return { values: flatNumbers(vector, branch), offsets: null, vector };
  const j = jagged(vector, `${where}: branch ${branch}`);
  return { values: j.values, offsets: j.offsets, vector };
}

// Scratch arrays of this thread, grown as needed and reused chunk after chunk (see plainValues).
let scratchValues = new Float64Array(0);
let scratchWeights = new Float64Array(0);
let scratchMask = new Uint8Array(0);

function grown<T extends Float64Array | Uint8Array>(
  array: T,
  size: number,
  make: (n: number) => T
): T {
  return array.length >= size ? array : make(Math.max(size, 2 * array.length));
}

function passes(x: number, op: CutOp, v: number): boolean {
  switch (op) {
    case '>':
      return x > v;
    case '>=':
      return x >= v;
    case '<':
      return x < v;
    case '<=':
      return x <= v;
    case '==':
      return x === v;
    default:
      return x !== v;
  }
}

/**
 * Adds one chunk of entries (a Table with the spec's branches) to `into`: the cuts in order (each
 * counted in the cut-flow), then the histograms filled from the events that passed them all.
 */
export function analyzeChunk(
  table: Table,
  spec: AnalysisSpec,
  into: AnalysisResult,
  where = 'chunk',
  module?: ChunkAnalysis
): void {
  const s = normalizeSpec(spec);
  const n = table.numRows;
  const columns = new Map<string, Column>();
  const column = (b: string) => {
    let c = columns.get(b);
    if (!c) columns.set(b, (c = columnOf(table, b, where)));
    return c;
  };
  into.entries += n;
  into.cutflow[0].events += n;
  let keep: Uint8Array | null = null;
  s.cuts.forEach((cut, k) => {
    const c = column(cut.branch);
    if (keep === null) {
      scratchMask = grown(scratchMask, n, size => new Uint8Array(size));
      keep = scratchMask.subarray(0, n).fill(1);
    }
    const mask: Uint8Array = keep;
    const need = cut.atLeast ?? 1;
    const o = c.offsets;
    const v = c.values;
    if (!o && v.length !== n) {
      throw new OpenDataError(
        'E_UNSUPPORTED',
        `${where}: branch ${cut.branch} is not one value per event`
      );
    }
    for (let i = 0; i < n; i++) {
      if (!mask[i]) continue;
      if (o) {
        let count = 0;
        for (let j = o[i]; j < o[i + 1] && count < need; j++) {
          if (passes(v[j], cut.op, cut.value)) count++;
        }
        mask[i] = count >= need ? 1 : 0;
      } else {
        mask[i] = passes(v[i], cut.op, cut.value) ? 1 : 0;
      }
    }
    let passed = 0;
    for (let i = 0; i < n; i++) passed += mask[i];
    into.cutflow[k + 1].events += passed;
  });
  const weights = s.weight ? column(s.weight).values : undefined;
  if (weights && weights.length !== n) {
    throw new OpenDataError(
      'E_USAGE',
      `${where}: weight branch ${s.weight} is not one value per event`
    );
  }
  for (const h of s.histograms) {
    if (h.branch === undefined) continue; // the module's
    const c = column(h.branch);
    const hist = into.histograms[h.name];
    if (keep === null && (!weights || !c.offsets)) {
      if (!c.offsets && c.values.length !== n) {
        throw new OpenDataError(
          'E_UNSUPPORTED',
          `${where}: branch ${h.branch} is not one value per event`
        );
      }
      hist.fill(c.values, weights);
      continue;
    }
    const { values, w } = selected(c, keep, weights, n, `${where}: branch ${h.branch}`);
    hist.fill(values, w);
  }
  module?.(table, {
    keep,
    fill(name, values, w) {
      const hist = into.histograms[name];
      if (!hist) {
        throw new OpenDataError(
          'E_USAGE',
          `${where}: the module fills ${name}, which the spec does not declare`
        );
      }
      hist.fill(values, w);
    },
    flat: branch => Float64Array.from(column(branch).values),
    jagged: branch => {
      const c = column(branch);
      if (!c.offsets) {
        throw new OpenDataError('E_USAGE', `${where}: branch ${branch} is not jagged`);
      }
      return { offsets: c.offsets, values: Float64Array.from(c.values) };
    }
  });
}

/** The values of the kept events (all objects of each), with each event's weight per value. */
function selected(
  c: Column,
  keep: Uint8Array | null,
  weights: ArrayLike<number> | undefined,
  n: number,
  where: string
): { values: Float64Array; w?: Float64Array } {
  const o = c.offsets;
  const v = c.values;
  if (!o && v.length !== n) {
    throw new OpenDataError('E_UNSUPPORTED', `${where}: nested lists cannot be cut by event`);
  }
  let total = 0;
  for (let i = 0; i < n; i++) if (!keep || keep[i]) total += o ? o[i + 1] - o[i] : 1;
  scratchValues = grown(scratchValues, total, size => new Float64Array(size));
  const values = scratchValues.subarray(0, total);
  let w: Float64Array | undefined;
  if (weights) {
    scratchWeights = grown(scratchWeights, total, size => new Float64Array(size));
    w = scratchWeights.subarray(0, total);
  }
  let at = 0;
  for (let i = 0; i < n; i++) {
    if (keep && !keep[i]) continue;
    const from = o ? o[i] : i;
    const to = o ? o[i + 1] : i + 1;
    for (let j = from; j < to; j++, at++) {
      values[at] = v[j];
      if (w) w[at] = weights![i];
    }
  }
  return { values, w };
}
