// A TTree: its branches (from jsroot's metadata) and reads of chosen branches over an entry range
// into apache-arrow Tables, whole or in chunks of N entries. Baskets are read through the file's
// ByteSource (local file or HTTP ranges) and decoded here (basket.ts, column-builder.ts).
import { Data, Table, makeVector } from 'apache-arrow';
import '../table-display'; // tables show their head in notebooks
import { ByteSource } from '../../core/byte-source';
import { OpenDataError } from '../../core/errors';
import { Basket, BasketRef, basketContentBytes, decodeBasket, embeddedBasket } from './basket';
import { BranchLayout, branchLayout, layoutTypeName } from './branch-layout';
import {
  Allocate,
  ColumnArena,
  CounterMismatch,
  columnBuilder,
  offsetsFromCounts
} from './column-builder';
import { inflatesOnThreadPool } from './decompress';
import { JsrootObject } from './jsroot';

/** A branch as listed by `inspect`: its name and type (awkward's notation), and whether we decode it. */
export interface ROOTBranchInfo {
  name: string;
  /** `float32`, `3 * int8`, `var * float32`, `var * var * float64`, `string`, or `unsupported`. */
  type: string;
  /** The branch title or C++ class as ROOT wrote it, e.g. `Jet_pt[nJet]/F` or `vector<float>`. */
  rootType: string;
  /** Set when reading the branch raises E_UNSUPPORTED: what it holds. */
  unsupported?: string;
}

/** Entries to read: 0-based, stop exclusive (uproot's entry_start/entry_stop); negative counts from the end. */
export interface EntryRange {
  entryStart?: number;
  entryStop?: number;
}

export interface ChunkOptions extends EntryRange {
  /** Entries per chunk (default 100,000). */
  step?: number;
  /**
   * Reuse a chunk's column memory for the next chunk: a chunk is then valid only until the next
   * one is asked for (for a loop that is done with each chunk before the next, as a dataset run).
   */
  recycle?: boolean;
}

interface BranchPlan {
  info: ROOTBranchInfo;
  layout: BranchLayout;
  baskets: BasketRef[];
  totBytes: number;
  /** A defect found while planning (e.g. a broken in-tree basket), raised when the branch is read. */
  error?: OpenDataError;
}

function flatten(branches: JsrootObject[], out: JsrootObject[] = []): JsrootObject[] {
  for (const b of branches) {
    out.push(b);
    flatten(b.fBranches?.arr ?? [], out);
  }
  return out;
}

function planBranch(branch: JsrootObject, treeEntries: number): BranchPlan {
  let layout = branchLayout(branch);
  const baskets: BasketRef[] = [];
  let nWritten = Number(branch.fWriteBasket ?? 0);
  const entry = (i: number) => Number(branch.fBasketEntry?.[i]);
  let error: OpenDataError | undefined;
  const stored = Math.min(
    branch.fBasketSeek?.length ?? 0,
    branch.fBasketBytes?.length ?? 0,
    (branch.fBasketEntry?.length ?? 0) - 1
  );
  if (!Number.isSafeInteger(nWritten) || nWritten < 0 || nWritten > stored) {
    // a damaged TBranch: its basket arrays do not hold what it claims
    error = new OpenDataError(
      'E_FORMAT',
      `branch ${branch.fName}: ${nWritten} baskets declared, ${stored} stored`
    );
    nWritten = 0;
  }
  for (let i = 0; i < nWritten; i++) {
    baskets.push({
      index: i,
      seek: Number(branch.fBasketSeek?.[i]),
      bytes: Number(branch.fBasketBytes?.[i]),
      firstEntry: entry(i),
      entries: entry(i + 1) - entry(i)
    });
  }
  let covered = nWritten > 0 ? entry(nWritten) : 0;
  const kept: JsrootObject[] = branch.fBaskets?.arr ?? [];
  const where = `branch ${branch.fName}`;
  for (
    let k = nWritten;
    k < kept.length && covered < treeEntries && layout.kind !== 'unsupported';
    k++
  ) {
    if (!kept[k]) continue;
    try {
      const variable = layout.kind !== 'fixed';
      const embedded = embeddedBasket(kept[k], variable, `${where}, basket ${k} kept in the TTree`);
      baskets.push({
        index: k,
        seek: 0,
        bytes: 0,
        firstEntry: covered,
        entries: embedded.entries,
        embedded
      });
      covered += embedded.entries;
    } catch (err) {
      error = err as OpenDataError; // reported when the branch is read
      break;
    }
  }
  if (layout.kind !== 'unsupported') {
    if (covered < treeEntries && error === undefined) {
      layout = {
        kind: 'unsupported',
        reason: `baskets for ${treeEntries - covered} of its ${treeEntries} entries are missing`
      };
    } else if (
      baskets.some(
        (b, i) =>
          !(b.entries >= 0) ||
          (i > 0 && b.firstEntry !== baskets[i - 1].firstEntry + baskets[i - 1].entries)
      )
    ) {
      layout = { kind: 'unsupported', reason: 'basket entry ranges that do not follow each other' };
    }
  }
  const className = branch._typename === 'TBranchElement' ? String(branch.fClassName ?? '') : '';
  const info: ROOTBranchInfo = {
    name: String(branch.fName),
    type: layoutTypeName(layout),
    rootType: className || String(branch.fTitle ?? '')
  };
  if (layout.kind === 'unsupported') info.unsupported = layout.reason;
  return { info, layout, baskets, totBytes: Number(branch.fTotBytes ?? 0), error };
}

export class ROOTTree {
  /** Path of the tree in its file, e.g. `events` or `dir/events`. */
  readonly name: string;
  readonly entries: number;
  readonly branches: ROOTBranchInfo[];
  private readonly _plans = new Map<string, BranchPlan>();
  /** Leaf-count branches whose values did not match their counter: read by their own offsets. */
  private readonly _ownOffsets = new Set<string>();
  private readonly _source: ByteSource;

  /** @internal Use ROOTFile.tree(). */
  constructor(source: ByteSource, name: string, tree: JsrootObject) {
    this._source = source;
    this.name = name;
    this.entries = Number(tree.fEntries);
    for (const b of flatten(tree.fBranches?.arr ?? [])) {
      const plan = planBranch(b, this.entries);
      if (!this._plans.has(plan.info.name)) this._plans.set(plan.info.name, plan);
    }
    this.branches = Array.from(this._plans.values(), p => p.info);
  }

  /**
   * Reads branches (all decodable ones when omitted) over an entry range into one Table, a column
   * per branch; jagged branches become Arrow lists. Unsupported branches raise E_UNSUPPORTED.
   */
  async read(branches?: string | string[], range: EntryRange = {}): Promise<Table> {
    const plans = this._select(branches);
    const [start, stop] = this._range(range);
    return this._readRange(plans, start, stop, new Map());
  }

  /** Reads the same columns in chunks of `step` entries, for trees larger than memory. */
  async *iterate(branches?: string | string[], options: ChunkOptions = {}): AsyncGenerator<Table> {
    const plans = this._select(branches);
    const [start, stop] = this._range(options);
    const step = options.step ?? 100_000;
    if (!Number.isInteger(step) || step < 1) {
      throw new OpenDataError(
        'E_USAGE',
        `${this._where()}: step must be a positive integer (got ${step})`
      );
    }
    const cache = new Map<string, { index: number; basket: Basket }>();
    const arena = options.recycle ? new ColumnArena() : null;
    for (let s = start; s < stop; s += step) {
      arena?.reset();
      yield await this._readRange(plans, s, Math.min(stop, s + step), cache, arena?.alloc);
    }
  }

  private _where(branch?: string): string {
    return `${this._source.name}: tree ${this.name}${branch === undefined ? '' : `, branch ${branch}`}`;
  }

  private _select(branches?: string | string[]): BranchPlan[] {
    if (branches === undefined) {
      return Array.from(this._plans.values()).filter(p => p.layout.kind !== 'unsupported');
    }
    const names = typeof branches === 'string' ? [branches] : branches;
    return names.map(name => {
      const plan = this._plans.get(name);
      if (plan === undefined) {
        const some = Array.from(this._plans.keys()).slice(0, 20).join(', ');
        throw new OpenDataError(
          'E_NOT_FOUND',
          `${this._where()}: no branch "${name}" (branches: ${some}${this._plans.size > 20 ? ', …' : ''})`
        );
      }
      if (plan.layout.kind === 'unsupported') {
        throw new OpenDataError(
          'E_UNSUPPORTED',
          `${this._where(name)}: cannot decode ${plan.layout.reason}`
        );
      }
      if (plan.error) {
        throw new OpenDataError('E_FORMAT', `${this._where()}: ${plan.error.message}`);
      }
      return plan;
    });
  }

  private _range({ entryStart, entryStop }: EntryRange): [number, number] {
    const n = this.entries;
    const at = (v: number | undefined, fallback: number, what: string) => {
      if (v === undefined) return fallback;
      if (!Number.isInteger(v)) {
        throw new OpenDataError(
          'E_USAGE',
          `${this._where()}: ${what} must be an integer (got ${v})`
        );
      }
      return Math.min(n, Math.max(0, v < 0 ? n + v : v));
    };
    const start = at(entryStart, 0, 'entryStart');
    return [start, Math.max(start, at(entryStop, n, 'entryStop'))];
  }

  /**
   * Reads the baskets of all `plans` overlapping [start, stop) in file order, in coalesced byte
   * ranges (one request per range: few syscalls locally, few HTTP requests remotely), and hands
   * each branch its baskets in entry order.
   */
  private async _readRange(
    plans: BranchPlan[],
    start: number,
    stop: number,
    cache: Map<string, { index: number; basket: Basket }>,
    alloc?: Allocate
  ): Promise<Table> {
    const fraction = this.entries > 0 ? (stop - start) / this.entries : 0;
    // Leaf-count branches take their entry offsets from their counter (read along, and left out
    // of the table when not asked for): one running sum per counter instead of a pass over
    // every branch's stored offsets (column-builder's jaggedByCountsBuilder).
    const counterOf = new Map(plans.map(plan => [plan, this._counterOf(plan)]));
    const counters = new Map<string, BranchPlan>();
    for (const counter of counterOf.values()) if (counter) counters.set(counter.info.name, counter);
    const asked = new Set(plans.map(p => p.info.name));
    const all = [...plans, ...[...counters.values()].filter(c => !asked.has(c.info.name))];
    const jobs = all.map(plan => {
      const counter = counterOf.get(plan) ?? null;
      const where = this._where(plan.info.name);
      const wanted = plan.baskets.filter(
        b => b.firstEntry < stop && b.firstEntry + b.entries > start
      );
      const sizeHint = Math.ceil(plan.totBytes * fraction * 1.05);
      return {
        plan,
        where,
        wanted,
        // the largest basket's entries: room for its entry offsets when decompressed in place
        builder: columnBuilder(
          plan.layout,
          stop - start,
          sizeHint,
          wanted.reduce((most, b) => Math.max(most, Math.min(b.entries, stop - start)), 0),
          alloc,
          counter !== null
        ),
        counter,
        next: 0,
        waiting: new Map<number, Basket>()
      };
    });
    type Job = (typeof jobs)[number];
    const deliver = (job: Job, k: number, basket: Basket) => {
      job.waiting.set(k, basket);
      for (let b = job.waiting.get(job.next); b !== undefined; b = job.waiting.get(job.next)) {
        job.waiting.delete(job.next);
        const ref = job.wanted[job.next];
        const from = Math.max(0, start - ref.firstEntry);
        const to = Math.min(ref.entries, stop - ref.firstEntry);
        job.builder.add(b, from, to, `${job.where}, basket ${ref.index}`);
        if (job.next === job.wanted.length - 1 && ref.firstEntry + ref.entries > stop) {
          cache.set(job.plan.info.name, { index: ref.index, basket: b }); // the next chunk starts in it
        }
        job.next++;
      }
    };

    const onDisk: { job: Job; k: number; ref: BasketRef }[] = [];
    for (const job of jobs) {
      const cached = cache.get(job.plan.info.name);
      job.wanted.forEach((ref, k) => {
        if (ref.embedded) deliver(job, k, ref.embedded);
        else if (cached && cached.index === ref.index) deliver(job, k, cached.basket);
        else onDisk.push({ job, k, ref });
      });
    }
    onDisk.sort((a, b) => a.ref.seek - b.ref.seek);
    const ranges = coalesce(onDisk);
    // baskets decode concurrently (zlib inflates on libuv's thread pool) while this thread
    // delivers finished ones in file order; a window bounds the baskets and bytes in flight
    const inFlight: { job: Job; k: number; bytes: number; basket: Promise<Basket> }[] = [];
    let bytesInFlight = 0;
    const deliverOldest = async () => {
      const head = inFlight.shift()!;
      bytesInFlight -= head.bytes;
      deliver(head.job, head.k, await head.basket);
    };
    // decoded on this thread (a dataset worker): delivered at once, so that the branch's next
    // basket finds its slot in the column free and decompresses in place
    const window = inflatesOnThreadPool() ? MAX_IN_FLIGHT : 0;
    let pending = ranges.length > 0 ? this._fetch(ranges[0]) : null;
    for (let r = 0; r < ranges.length; r++) {
      const bytes = await pending!;
      pending = r + 1 < ranges.length ? this._fetch(ranges[r + 1]) : null; // read ahead one range
      pending?.catch(() => undefined); // reported when awaited
      const range = ranges[r];
      for (const { job, k, ref } of range.items) {
        const raw = bytes.subarray(ref.seek - range.start, ref.seek - range.start + ref.bytes);
        // a basket wholly inside the range may be decompressed straight into its column
        const into =
          ref.firstEntry >= start && ref.firstEntry + ref.entries <= stop
            ? (job.builder.slot?.(ref.firstEntry - start, ref.entries, basketContentBytes(raw)) ??
              undefined)
            : undefined;
        const basket = decodeBasket(raw, ref, job.where, into);
        basket.catch(() => undefined); // reported when delivered
        inFlight.push({ job, k, bytes: ref.bytes, basket });
        bytesInFlight += ref.bytes;
        while (inFlight.length > window || bytesInFlight > MAX_BYTES_IN_FLIGHT) {
          await deliverOldest();
        }
      }
    }
    while (inFlight.length > 0) await deliverOldest();
    const finished = new Map<string, Data>();
    const counts = new Map<string, Int32Array>();
    for (const job of jobs) {
      if (!counters.has(job.plan.info.name)) continue;
      const data = job.builder.finish();
      finished.set(job.plan.info.name, data);
      counts.set(job.plan.info.name, offsetsFromCounts(data.values, job.where, alloc));
    }
    const columns: Record<string, ReturnType<typeof makeVector>> = {};
    for (const job of jobs) {
      const name = job.plan.info.name;
      if (!asked.has(name)) continue;
      try {
        const data =
          finished.get(name) ??
          job.builder.finish(job.counter ? counts.get(job.counter.info.name) : undefined);
        columns[name] = makeVector(data);
      } catch (err) {
        if (!(err instanceof CounterMismatch)) throw err;
        // read again by its own entry offsets (whose checks name any entry at fault), from now on
        this._ownOffsets.add(name);
        const again = await this._readRange([job.plan], start, stop, new Map());
        columns[name] = again.getChild(name)!;
      }
    }
    return new Table(columns);
  }

  /**
   * The counter a leaf-count branch's entry offsets can come from: a branch of this tree named
   * like its count leaf, holding one 8- to 32-bit integer per entry, readable. Null otherwise
   * (the branch then reads its own stored offsets).
   */
  private _counterOf(plan: BranchPlan): BranchPlan | null {
    const layout = plan.layout;
    if (layout.kind !== 'jagged' || layout.counter === undefined) return null;
    if (this._ownOffsets.has(plan.info.name)) return null;
    const counter = this._plans.get(layout.counter);
    if (!counter || counter.error || counter === plan) return null;
    const c = counter.layout;
    return c.kind === 'fixed' && c.dims.length === 0 && COUNT_TYPES.has(c.type) ? counter : null;
  }

  private _fetch(range: ByteRange): Promise<Uint8Array> {
    const { start, end, items } = range;
    for (const { ref, job } of items) {
      if (!(ref.bytes > 0) || !(ref.seek > 0)) {
        return Promise.reject(
          new OpenDataError(
            'E_FORMAT',
            `${job.where}, basket ${ref.index} at byte ${ref.seek}: invalid basket location (${ref.bytes} bytes)`
          )
        );
      }
    }
    return this._source.read(start, end - start);
  }
}

interface ByteRange {
  start: number;
  end: number;
  items: { job: { where: string }; ref: BasketRef }[];
}

/**
 * Baskets decoded at once: enough to keep the thread pool busy, few enough to bound memory. A
 * jagged basket goes straight into its column only when the branch's previous one was delivered
 * (column-builder's slot), so baskets of one branch in a row are copied once instead.
 */
const MAX_IN_FLIGHT = 6;
/** Compressed bytes of the baskets decoded at once (a large basket waits for the others). */
const MAX_BYTES_IN_FLIGHT = 32 * 1024 * 1024;

/** Types of a counter whose values are entry counts as they are. */
const COUNT_TYPES = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32']);

/** Bytes between baskets read through rather than split into two requests. */
const GAP = 64 * 1024;
/** The largest coalesced read (a basket larger than this is read alone). */
const MAX_RANGE = 8 * 1024 * 1024;

/** Groups basket reads sorted by position into ranges with small gaps and a bounded size. */
function coalesce<T extends { ref: BasketRef }>(
  sorted: T[]
): { start: number; end: number; items: T[] }[] {
  const out: { start: number; end: number; items: T[] }[] = [];
  for (const item of sorted) {
    const { seek, bytes } = item.ref;
    const last = out[out.length - 1];
    if (
      last &&
      seek - last.end <= GAP &&
      seek + bytes - last.start <= MAX_RANGE &&
      seek >= last.start
    ) {
      last.end = Math.max(last.end, seek + bytes);
      last.items.push(item);
    } else {
      out.push({ start: seek, end: seek + bytes, items: [item] });
    }
  }
  return out;
}
