// zlib inflate straight into a given buffer (a column's own bytes, or the place its values go),
// synchronously or on libuv's thread pool: Node's inflateSync allocates a new output buffer per
// call, which the caller then copies, and those buffers' fresh pages and garbage collections were
// a large part of a ROOT read. Node's zlib streams drive a native handle (the class of
// zlib.Inflate's _handle): init(windowBits, level, memLevel, strategy, writeState, onDone, dict),
// then write/writeSync(flush, in, inOff, inLen, out, outOff, outLen), leaving [outLeft, inLeft] in
// writeState and calling onerror(message) on bad data. The handles here are used the same way on
// the caller's buffer, reset between streams, replaced after an error. A runtime without that
// shape (checked on a known stream) gets inflateSync and a copy.
import zlib from 'node:zlib';

interface NativeHandle {
  init(
    windowBits: number,
    level: number,
    memLevel: number,
    strategy: number,
    writeState: Uint32Array,
    onDone: () => void,
    dictionary: undefined
  ): void;
  write(...args: WriteArgs): void;
  writeSync(...args: WriteArgs): void;
  reset(): void;
  close(): void;
  onerror: (message: string) => void;
}

type WriteArgs = [
  flush: number,
  input: Uint8Array,
  inOff: number,
  inLen: number,
  out: Uint8Array,
  outOff: number,
  outLen: number
];

/** One native handle with its write state and the outcome of its current write. */
class Inflater {
  readonly state = new Uint32Array(2);
  readonly handle: NativeHandle;
  error: string | null = null;
  private _done: (() => void) | null = null;

  constructor(
    HandleClass: new (mode: number) => NativeHandle,
    readonly raw: boolean
  ) {
    const c = zlib.constants;
    this.handle = new HandleClass(raw ? c.INFLATERAW : c.INFLATE);
    this.handle.onerror = (message: string) => {
      this.error = String(message || 'invalid zlib data');
      this._finish(); // a failed asynchronous write calls onerror instead of onDone
    };
    // windowBits 0: from the zlib header; raw deflate has none (15: Node's default)
    this.handle.init(raw ? 15 : 0, -1, 8, 0, this.state, () => this._finish(), undefined);
  }

  private _finish(): void {
    const done = this._done;
    this._done = null;
    done?.();
  }

  start(): void {
    this.error = null;
    this.handle.reset();
  }

  /** Inflates on the thread pool; resolves when done (or failed). */
  writeAsync(body: Uint8Array, out: Uint8Array): Promise<void> {
    return new Promise(resolve => {
      this._done = resolve;
      this.handle.write(zlib.constants.Z_FINISH, body, 0, body.length, out, 0, out.length);
    });
  }

  writeSync(body: Uint8Array, inOff: number, out: Uint8Array): void {
    this.handle.writeSync(
      zlib.constants.Z_FINISH,
      body,
      inOff,
      body.length - inOff,
      out,
      0,
      out.length
    );
  }

  /** After a write that filled `out`: why the stream does not end exactly there, or null. */
  check(body: Uint8Array, out: Uint8Array): string | null {
    if (this.error !== null) return this.error;
    const left = this.state[0];
    if (left !== 0) return `${out.length - left} bytes instead of ${out.length}`;
    // the output is full: the stream must end here (a byte more means it is longer)
    this.writeSync(body, body.length - this.state[1], probe);
    if (this.error !== null) return this.error;
    return this.state[0] === 0 ? `more than ${out.length} bytes` : null;
  }
}

/** One byte to learn whether a stream that filled its output has more. */
const probe = new Uint8Array(1);
/** Handles at once: libuv's thread pool has 4 threads by default. */
const POOL = 4;

let HandleClass: (new (mode: number) => NativeHandle) | null | undefined;
const idle: Inflater[] = [];
let busy = 0;
const waiting: (() => void)[] = [];

function nativeClass(): (new (mode: number) => NativeHandle) | null {
  if (HandleClass === undefined) {
    HandleClass = null;
    try {
      const probeStream = zlib.createInflate() as unknown as { _handle?: object };
      const candidate = probeStream._handle?.constructor as new (mode: number) => NativeHandle;
      (probeStream as unknown as zlib.Inflate).close();
      if (typeof candidate === 'function') {
        // a known stream must come back, and a damaged one be refused
        const known = Buffer.from('opendata-lab inflate check '.repeat(40));
        const inflater = new Inflater(candidate, false);
        const out = new Uint8Array(known.length);
        inflater.start();
        inflater.writeSync(zlib.deflateSync(known), 0, out);
        const ok =
          inflater.check(zlib.deflateSync(known), out) === null && Buffer.compare(out, known) === 0;
        inflater.start();
        inflater.writeSync(Buffer.from([0x78, 0x9c, 0xff, 0xff, 0xff]), 0, out);
        if (ok && inflater.error !== null) HandleClass = candidate;
        inflater.handle.close();
      }
    } catch {
      HandleClass = null;
    }
  }
  return HandleClass;
}

function take(raw: boolean): Inflater | null {
  const Class = nativeClass();
  if (Class === null) return null;
  const i = idle.findIndex(x => x.raw === raw);
  const inflater = i >= 0 ? idle.splice(i, 1)[0] : new Inflater(Class, raw);
  inflater.start();
  busy++;
  return inflater;
}

function giveBack(inflater: Inflater): void {
  busy--;
  // after an error zlib's state is not trusted again: a new handle next time
  if (inflater.error === null && idle.length < 2 * POOL) idle.push(inflater);
  else inflater.handle.close();
  waiting.shift()?.();
}

/**
 * Inflates the zlib (`raw`: deflate) stream `body` into exactly all of `out`; returns why it
 * failed (an error, fewer or more bytes than `out` holds), or null.
 */
export function inflateInto(body: Uint8Array, raw: boolean, out: Uint8Array): string | null {
  const inflater = take(raw);
  if (inflater === null) return inflateCopy(body, raw, out);
  try {
    inflater.writeSync(body, 0, out);
    return inflater.check(body, out);
  } finally {
    giveBack(inflater);
  }
}

/**
 * As inflateInto, on libuv's thread pool (up to 4 at once, the others wait their turn), so that
 * several baskets inflate while JavaScript handles finished ones. `out` must not be touched until
 * the promise settles.
 */
export async function inflateIntoAsync(
  body: Uint8Array,
  raw: boolean,
  out: Uint8Array
): Promise<string | null> {
  if (nativeClass() === null) return inflateCopy(body, raw, out);
  while (busy >= POOL) await new Promise<void>(resolve => waiting.push(resolve));
  const inflater = take(raw)!;
  try {
    await inflater.writeAsync(body, out);
    return inflater.check(body, out);
  } finally {
    giveBack(inflater);
  }
}

function inflateCopy(body: Uint8Array, raw: boolean, out: Uint8Array): string | null {
  let chunk: Buffer;
  try {
    const options = { chunkSize: Math.max(64, out.length + 1) };
    chunk = raw ? zlib.inflateRawSync(body, options) : zlib.inflateSync(body, options);
  } catch (err) {
    return (err as Error).message;
  }
  if (chunk.length !== out.length) return `${chunk.length} bytes instead of ${out.length}`;
  out.set(chunk);
  return null;
}

/** For tests: whether the native handle is in use. */
export function inflatesNatively(): boolean {
  return nativeClass() !== null;
}
