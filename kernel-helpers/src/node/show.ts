// show(): figures and histograms into the notebook's output, as one mime bundle (Plotly figure,
// SVG picture, text summary) so that the plot shows wherever the notebook is opened.
import { PLOTLY_MIME } from '../core/plotly';
import { Showable, figureBundle, figureOf } from '../core/figure-bundle';
import { RawDisplay, kernelBundleDisplay } from './display';

/**
 * Shows a Plotly figure, or a histogram as one (1-D as bars, 2-D as a heatmap; a Hist1D/Hist2D,
 * their JSON or a stored ROOT histogram), in the notebook's output: one output holding the
 * figure as `application/vnd.plotly.v1+json`, its picture as `image/svg+xml` and a summary as
 * `text/plain`, through the running tslab kernel. An explicit `display` (e.g. `tslab.display`)
 * sends one mime type per output, so it gets the Plotly figure only.
 */
export function show(what: Showable, display?: RawDisplay): void {
  if (display) {
    display.raw(PLOTLY_MIME, figureOf(what));
    return;
  }
  kernelBundleDisplay().bundle(figureBundle(what));
}
