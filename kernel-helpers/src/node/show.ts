// show(): figures and histograms into the notebook's output as Plotly figures.
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
import { RawDisplay, kernelDisplay } from './display';

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
