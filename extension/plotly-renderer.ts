import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import { JSONExt, type ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { TRANSLATION_DOMAIN } from './i18n';

export const PLOTLY_MIME_TYPE = 'application/vnd.plotly.v1+json';

type PlotlyAPI = typeof import('plotly.js-cartesian-dist-min');

/** A figure as `tslab.display.raw` or Plotly's own Python package put it in a notebook. */
interface IPlotlyFigure {
  data: unknown[];
  layout?: object;
  config?: object;
}

let plotly: Promise<PlotlyAPI> | null = null;

/**
 * The Plotly bundle (~1.4 MB) is a separate chunk of the labextension, fetched with the first
 * plot; nothing comes from a CDN.
 */
function loadPlotly(): Promise<PlotlyAPI> {
  if (!plotly) {
    plotly = import('plotly.js-cartesian-dist-min').then(
      // The bundle is UMD (CommonJS here): its API may sit on `default`.
      module => (module as { default?: PlotlyAPI }).default ?? module,
      error => {
        plotly = null;
        throw error;
      }
    );
  }
  return plotly;
}

/** Renders `application/vnd.plotly.v1+json` outputs with Plotly's cartesian bundle. */
export class PlotlyRenderer extends Widget implements IRenderMime.IRenderer {
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this.addClass('odl-PlotlyRenderer');
    this._mimeType = options.mimeType;
    this._strings = (options.translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const value = model.data[this._mimeType];
    if (!isFigure(value)) {
      // The output area shows a rejected render as an error message in the cell's output.
      throw new Error(
        this._strings.__('Not a Plotly figure: expected an object with a "data" array.')
      );
    }
    // Plotly writes into the figure it is given (autorange, zoom); keep the notebook's copy intact.
    const figure = JSONExt.deepCopy(value as ReadonlyPartialJSONObject) as unknown as IPlotlyFigure;
    let api: PlotlyAPI;
    try {
      api = await loadPlotly();
    } catch (error) {
      throw new Error(
        this._strings.__(
          'Could not load Plotly: %1',
          error instanceof Error ? error.message : String(error)
        )
      );
    }
    if (this.isDisposed) {
      return;
    }
    this._plotly = api;
    await api.react(this.node, figure.data, figure.layout ?? {}, {
      displaylogo: false,
      ...figure.config
    });
    this._resize();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._plotly?.purge(this.node);
    this._plotly = null;
    super.dispose();
  }

  // Plotly sizes the plot from its container: re-measure whenever the container may have changed.
  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._resize();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._resize();
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this._resize();
  }

  private _resize(): void {
    if (this._plotly && this.isAttached && this.isVisible) {
      // Rejects if the node is hidden again before Plotly's debounce fires; nothing to do then.
      this._plotly.Plots.resize(this.node).catch(() => undefined);
    }
  }

  private readonly _mimeType: string;
  private readonly _strings: TranslationBundle;
  private _plotly: PlotlyAPI | null = null;
}

function isFigure(value: unknown): value is IPlotlyFigure {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as { data?: unknown }).data)
  );
}
