// One display of a figure as a mime bundle: the Plotly figure (interactive where our renderer
// runs), its static SVG picture (GitHub, nbviewer, nbconvert, editors without the extension) and
// a text summary. The front end picks the richest representation it can show.
import { figureSvg, type FigureSvgOptions } from './figure-svg';
import type { Hist2D, HistogramLike } from './histogram';
import { histogramSummary } from './histogram-summary';
import {
  PLOTLY_MIME,
  histogram2DFigure,
  histogramFigure,
  isHistogram2D,
  isPlotlyFigure,
  type Histogram2DLike,
  type PlotlyFigureLike
} from './plotly';

export const SVG_MIME = 'image/svg+xml';
export const TEXT_MIME = 'text/plain';

/** What show() and figureBundle take: a Plotly figure, or a histogram to draw as one. */
export type Showable = PlotlyFigureLike | HistogramLike | Hist2D | Histogram2DLike;

export interface FigureBundle {
  [PLOTLY_MIME]: PlotlyFigureLike;
  [SVG_MIME]: string;
  [TEXT_MIME]: string;
  [mime: string]: unknown;
}

/** The Plotly figure of a showable: itself, or a histogram as bars (1-D) or a heatmap (2-D). */
export function figureOf(what: Showable): PlotlyFigureLike {
  if (isPlotlyFigure(what)) return what;
  return isHistogram2D(what) ? histogram2DFigure(what) : histogramFigure(what);
}

/**
 * The mime bundle of one figure display: Plotly JSON, SVG picture and text summary (from the
 * histogram itself when one is given, so flows and moments are exact).
 */
export function figureBundle(what: Showable, options: FigureSvgOptions = {}): FigureBundle {
  const figure = figureOf(what);
  return {
    [PLOTLY_MIME]: figure,
    [SVG_MIME]: figureSvg(figure, options),
    [TEXT_MIME]: histogramSummary(what)
  };
}
