// zlib inflate straight into a given buffer (a column's own bytes, or the place its values go):
// Node's inflateSync allocates a new output buffer per call, which the caller then copies, and
// those buffers' fresh pages and garbage collections were a large part of a ROOT read. Node's
// zlib.Inflate drives its native handle with writeSync(flush, in, inOff, inLen, out, outOff,
// outLen) and reports what is left in _writeState; the same handle is used here on the caller's
// buffer, reset between streams. A runtime without that shape gets inflateSync and a copy.
import zlib from 'node:zlib';

interface NativeHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number
  ): void;
  reset(): void;
}

/** zlib.Inflate / InflateRaw as seen from here: the stream, its native handle and write state. */
interface Engine extends zlib.Inflate {
  _handle?: NativeHandle;
  _writeState?: Uint32Array;
}

const engines: { zlib?: Engine; raw?: Engine } = {};
let native = true;
/** One byte to learn whether a stream that filled its output has more. */
const probe = new Uint8Array(1);

function engineFor(raw: boolean): Engine | null {
  const key = raw ? 'raw' : 'zlib';
  const cached = engines[key];
  if (cached !== undefined && !cached.destroyed) {
    cached._handle!.reset();
    return cached;
  }
  const engine = (raw ? zlib.createInflateRaw() : zlib.createInflate()) as Engine;
  if (
    typeof engine._handle?.writeSync !== 'function' ||
    typeof engine._handle.reset !== 'function' ||
    // not instanceof: Node's own Uint32Array may come from another realm (e.g. under jest)
    Object.prototype.toString.call(engine._writeState) !== '[object Uint32Array]' ||
    engine._writeState!.length !== 2
  ) {
    native = false;
    return null;
  }
  engine.on('error', () => undefined); // errors are read synchronously below
  engines[key] = engine;
  return engine;
}

/** The error a native write left on a stream that it destroyed (Node keeps it under a symbol). */
function failure(engine: Engine): string {
  for (const s of Object.getOwnPropertySymbols(engine)) {
    const v = (engine as unknown as Record<symbol, unknown>)[s];
    if (v instanceof Error) return v.message;
  }
  return 'invalid zlib data';
}

/**
 * Inflates the zlib (`raw`: deflate) stream `body` into exactly all of `out`; returns why it
 * failed (an error, fewer or more bytes than `out` holds), or null.
 */
export function inflateInto(body: Uint8Array, raw: boolean, out: Uint8Array): string | null {
  const engine = native ? engineFor(raw) : null;
  if (engine === null) return inflateCopy(body, raw, out);
  const handle = engine._handle!;
  const state = engine._writeState!;
  const finish = zlib.constants.Z_FINISH;
  handle.writeSync(finish, body, 0, body.length, out, 0, out.length);
  if (engine.destroyed) return failure(engine);
  const left = state[0];
  if (left !== 0) return `${out.length - left} bytes instead of ${out.length}`;
  // the output is full: the stream must end here (a byte more means it is longer)
  const unread = state[1];
  handle.writeSync(finish, body, body.length - unread, unread, probe, 0, 1);
  if (engine.destroyed) return failure(engine);
  if (state[0] === 0) return `more than ${out.length} bytes`;
  return null;
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

/** For tests: whether the native path is in use (false after a runtime lacked it). */
export function inflatesNatively(): boolean {
  return native && engineFor(false) !== null;
}
