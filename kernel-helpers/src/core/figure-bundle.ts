// One display of a figure as a mime bundle: the Plotly figure (interactive where our renderer
// runs), its static SVG picture (GitHub, nbviewer, nbconvert, editors without the extension) and
// a text summary, and the same picture as PDF (nbconvert's LaTeX/PDF export prefers it to the SVG,
// which it could only convert with Inkscape). The front end picks the richest representation it
// can show.
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
import { base64 } from './png';
import { svgToPdf } from './svg-pdf';

export const SVG_MIME = 'image/svg+xml';
export const TEXT_MIME = 'text/plain';
export const PDF_MIME = 'application/pdf';

/** What show() and figureBundle take: a Plotly figure, or a histogram to draw as one. */
export type Showable = PlotlyFigureLike | HistogramLike | Hist2D | Histogram2DLike;

export interface FigureBundle {
  [PLOTLY_MIME]: PlotlyFigureLike;
  [SVG_MIME]: string;
  [TEXT_MIME]: string;
  /** Base64, as notebooks store binary outputs; absent if the SVG could not be read back. */
  [PDF_MIME]?: string;
  [mime: string]: unknown;
}

/** The Plotly figure of a showable: itself, or a histogram as bars (1-D) or a heatmap (2-D). */
export function figureOf(what: Showable): PlotlyFigureLike {
  if (isPlotlyFigure(what)) return what;
  return isHistogram2D(what) ? histogram2DFigure(what) : histogramFigure(what);
}

/**
 * The mime bundle of one figure display: Plotly JSON, SVG picture, text summary (from the
 * histogram itself when one is given, so flows and moments are exact) and the picture as PDF.
 */
export function figureBundle(what: Showable, options: FigureSvgOptions = {}): FigureBundle {
  const figure = figureOf(what);
  const svg = figureSvg(figure, options);
  return {
    [PLOTLY_MIME]: figure,
    [SVG_MIME]: svg,
    [TEXT_MIME]: histogramSummary(what),
    ...pdfEntry(svg)
  };
}

/**
 * The PDF entry of a picture's bundle, base64 as a notebook stores it; none when the SVG holds
 * something svg-pdf.ts does not read (a plot must still show: only PDF export would miss it).
 */
export function pdfEntry(svg: string): { [PDF_MIME]?: string } {
  try {
    return { [PDF_MIME]: base64(svgToPdf(svg)) };
  } catch {
    return {};
  }
}
