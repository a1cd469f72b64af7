import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { OpenDataError } from '../core/errors';

// The kernel's display channel, in the two kernels the helpers support: tslab (its display, one
// mime type per output, and whole mime bundles through its kernel-side hook) and Deno's
// (`deno jupyter`: Deno.jupyter.broadcast). What is shown lives elsewhere (show.ts, progress.ts).

/** The part of tslab's `display` the helpers use (pass the notebook's `tslab.display`). */
export interface RawDisplay {
  raw(contentType: string, value: unknown): unknown;
}

const JUPYTER_MODULE = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/**
 * The display of the running kernel: tslab's own, or in Deno's kernel one that sends each value
 * as a display_data output (see kernelBundleDisplay).
 *
 * tslab's display writes through a module-level hook (`lastWriteDisplayData` in
 * tslab/dist/jupyter.js) that only the kernel's own copy of tslab sets, before each cell. A plain
 * `require('tslab')` from here resolves relative to this package and may load another copy
 * (another install, or a fresh instance), whose hook is unset ("Not ready"); it would also make
 * tslab a dependency of the helpers. So we look in the loaded modules for the jupyter.js whose
 * hook is set, and take `display` from the public.js next to it (same instance, already loaded).
 */
export function kernelDisplay(
  cache: Record<string, { exports?: unknown } | undefined> = require.cache
): RawDisplay {
  const tslab = kernelTslab(cache);
  if (tslab?.display) return tslab.display;
  const deno = denoWriter();
  if (deno) {
    return { raw: (mime, value) => deno({ data: { [mime]: value }, metadata: {}, transient: {} }) };
  }
  throw new OpenDataError(
    'E_DISPLAY',
    'show(): no running kernel found to display in (tslab or Deno); call it from a notebook ' +
      'cell, or pass a display explicitly: show(figure, tslab.display)'
  );
}

/** The kernels the helpers display through. */
export type KernelKind = 'tslab' | 'deno';

/** Which supported kernel runs this code, or null (a script, a terminal, the tests). */
export function runningKernel(
  cache: Record<string, { exports?: unknown } | undefined> = require.cache
): KernelKind | null {
  if (tslabWriter(cache)) return 'tslab';
  if (denoJupyter()) return 'deno';
  return null;
}

/** The part of Deno's Jupyter API (`Deno.jupyter`) the helpers use. */
export interface DenoJupyter {
  /** Sends one message on the kernel's IOPub channel, as the output of the running cell. */
  broadcast(msgType: string, content: Record<string, unknown>): Promise<void> | void;
}

/**
 * Deno's Jupyter API when this code runs in Deno's kernel, else null. `Deno.jupyter` is a getter
 * that throws outside `deno jupyter` (in `deno run`), and Node has no `Deno` at all.
 */
export function denoJupyter(): DenoJupyter | null {
  const deno = (globalThis as { Deno?: { jupyter?: unknown } }).Deno;
  if (!deno) return null;
  try {
    const jupyter = deno.jupyter as Partial<DenoJupyter> | undefined;
    return typeof jupyter?.broadcast === 'function' ? (jupyter as DenoJupyter) : null;
  } catch {
    return null;
  }
}

/** The part of tslab's public API the helpers use: its display and new (updatable) displays. */
export interface KernelTslab {
  display: RawDisplay;
  newDisplay?: () => RawDisplay & { text(s: string): void };
}

/** The public API of the tslab instance running this kernel (see kernelDisplay), or null. */
export function kernelTslab(
  cache: Record<string, { exports?: unknown } | undefined> = require.cache
): KernelTslab | null {
  for (const file of runningJupyterModules(cache)) {
    // A path known only at run time, of a module already loaded: require, not import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const publicApi = require(path.join(path.dirname(file), 'public.js')) as Partial<KernelTslab>;
    if (publicApi.display && typeof publicApi.display.raw === 'function') {
      return publicApi as KernelTslab;
    }
  }
  return null;
}

type WriteDisplayData = (
  content: { data: MimeBundle; metadata: Record<string, unknown>; transient: object },
  update?: boolean
) => void;

/** The files of loaded tslab jupyter.js modules whose display hook is set (a running kernel). */
function* runningJupyterModules(
  cache: Record<string, { exports?: unknown } | undefined>
): Generator<string> {
  for (const [file, mod] of Object.entries(cache)) {
    if (!mod || !JUPYTER_MODULE.test(file)) continue;
    const exports = mod.exports as { lastWriteDisplayData?: unknown } | null | undefined;
    if (typeof exports?.lastWriteDisplayData === 'function') yield file;
  }
}

/** Mime type → value: one output with several representations (the front end picks one). */
export type MimeBundle = Record<string, unknown>;

/** A display that sends whole mime bundles, optionally replacing its own earlier output. */
export interface BundleDisplay {
  /** Shows `data` as one output; on an updatable display, later calls replace the first. */
  bundle(data: MimeBundle, metadata?: Record<string, unknown>): void;
}

/**
 * A bundle display through the running kernel. tslab's public `display.raw` sends one mime type
 * per output, so a plot could not carry its static picture and text next to it; its kernel-side
 * hook (`lastWriteDisplayData`, the function `raw` itself calls) takes a whole bundle, so we call
 * that. In Deno's kernel the bundle goes out as a display_data message (Deno.jupyter.broadcast).
 * `updatable` gives the output a display id so that later calls replace it in place.
 */
export function kernelBundleDisplay(
  options: { updatable?: boolean } = {},
  cache: Record<string, { exports?: unknown } | undefined> = require.cache
): BundleDisplay {
  const displayId = options.updatable ? randomBytes(8).toString('hex') : undefined;
  let shown = false;
  return {
    bundle(data, metadata = {}) {
      const write = tslabWriter(cache) ?? denoWriter();
      if (!write) {
        throw new OpenDataError(
          'E_DISPLAY',
          'no running kernel found to display in (tslab or Deno); call this from a notebook cell'
        );
      }
      write({ data, metadata, transient: displayId ? { display_id: displayId } : {} }, shown);
      shown = displayId !== undefined;
    }
  };
}

/**
 * One text output in the running kernel (tslab or Deno) that later calls replace in place, as
 * progress lines need; null outside a kernel.
 */
export function kernelTextDisplay(
  cache: Record<string, { exports?: unknown } | undefined> = require.cache
): { text(line: string): void } | null {
  if (!runningKernel(cache)) return null;
  const display = kernelBundleDisplay({ updatable: true }, cache);
  return { text: line => display.bundle({ 'text/plain': line }) };
}

/** The running kernel's display hook, looked up at each call (tslab sets it per cell). */
function tslabWriter(
  cache: Record<string, { exports?: unknown } | undefined>
): WriteDisplayData | null {
  for (const file of runningJupyterModules(cache)) {
    return (cache[file]!.exports as { lastWriteDisplayData: WriteDisplayData })
      .lastWriteDisplayData;
  }
  return null;
}

/**
 * Deno's kernel as a display hook: display_data, or update_display_data for a later call on an
 * updatable display. Deno 2.9's broadcast starts sending at once and returns nothing (its types
 * promise a Promise, as earlier versions did). An error while sending throws into the cell; a
 * rejected promise, with no caller left, is reported on stderr.
 */
function denoWriter(): WriteDisplayData | null {
  const jupyter = denoJupyter();
  if (!jupyter) return null;
  return (content, update) => {
    const sent = jupyter.broadcast(update ? 'update_display_data' : 'display_data', content);
    if (sent && typeof sent.then === 'function') {
      sent.then(undefined, (err: unknown) => {
        process.stderr.write(`opendata-lab: display failed in the Deno kernel: ${String(err)}\n`);
      });
    }
  };
}
