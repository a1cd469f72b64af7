import path from 'node:path';
import { OpenDataError } from '../core/errors';
import { Hist2D, HistogramLike } from '../core/histogram';
import {
  Histogram2DLike,
  PLOTLY_MIME,
  PlotlyFigureLike,
  histogram2DFigure,
  histogramFigure,
  isHistogram2D,
  isPlotlyFigure
} from '../core/plotly';

/** The part of tslab's `display` the helpers use (pass the notebook's `tslab.display`). */
export interface RawDisplay {
  raw(contentType: string, value: unknown): unknown;
}

/**
 * Shows a Plotly figure, or a histogram as one (1-D as bars, 2-D as a heatmap; a Hist1D/Hist2D,
 * their JSON or a stored ROOT histogram), in the notebook's output: one
 * `application/vnd.plotly.v1+json` output holding the figure as a JSON object.
 * `display` defaults to the running tslab kernel's own display.
 */
export function show(
  what: PlotlyFigureLike | HistogramLike | Hist2D | Histogram2DLike,
  display?: RawDisplay
): void {
  const figure = isPlotlyFigure(what)
    ? what
    : isHistogram2D(what)
      ? histogram2DFigure(what)
      : histogramFigure(what);
  (display ?? kernelDisplay()).raw(PLOTLY_MIME, figure);
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
  for (const [file, mod] of Object.entries(cache)) {
    if (!mod || !JUPYTER_MODULE.test(file)) continue;
    const exports = mod.exports as { lastWriteDisplayData?: unknown } | null | undefined;
    if (typeof exports?.lastWriteDisplayData !== 'function') continue;
    // A path known only at run time, of a module already loaded: require, not import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const publicApi = require(path.join(path.dirname(file), 'public.js')) as Partial<KernelTslab>;
    if (publicApi.display && typeof publicApi.display.raw === 'function') {
      return publicApi as KernelTslab;
    }
  }
  return null;
}
