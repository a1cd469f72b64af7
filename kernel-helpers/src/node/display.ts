import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { OpenDataError } from '../core/errors';

// The kernel's display channel: the running tslab's display (one mime type per output) and whole
// mime bundles through its kernel-side hook. What is shown lives elsewhere (show.ts, progress.ts).

/** The part of tslab's `display` the helpers use (pass the notebook's `tslab.display`). */
export interface RawDisplay {
  raw(contentType: string, value: unknown): unknown;
}

const JUPYTER_MODULE = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/**
 * The display of the tslab instance that runs this kernel.
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
  throw new OpenDataError(
    'E_DISPLAY',
    'show(): no running tslab kernel found to display in; call it from a tslab notebook cell, ' +
      'or pass a display explicitly: show(figure, tslab.display)'
  );
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
 * that. `updatable` gives the output a display id so that later calls replace it in place.
 */
export function kernelBundleDisplay(
  options: { updatable?: boolean } = {},
  cache: Record<string, { exports?: unknown } | undefined> = require.cache
): BundleDisplay {
  const displayId = options.updatable ? randomBytes(8).toString('hex') : undefined;
  let shown = false;
  return {
    bundle(data, metadata = {}) {
      const write = tslabWriter(cache);
      if (!write) {
        throw new OpenDataError(
          'E_DISPLAY',
          'no running tslab kernel found to display in; call this from a tslab notebook cell'
        );
      }
      write({ data, metadata, transient: displayId ? { display_id: displayId } : {} }, shown);
      shown = displayId !== undefined;
    }
  };
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
