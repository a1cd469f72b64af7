import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import { JSONExt, type ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { TRANSLATION_DOMAIN } from './i18n';

type PlotlyAPI = typeof import('plotly.js-cartesian-dist-min');

/** A figure as `tslab.display.raw` or Plotly's own Python package put it in a notebook. */
interface IPlotlyFigure {
  data: ITrace[];
  layout?: ILayout;
  config?: object;
}

interface ITrace {
  type?: string;
  y?: unknown;
  yaxis?: string;
  line?: { shape?: string };
}

interface ILayout {
  template?: unknown;
  yaxis?: { type?: string; autorange?: unknown; range?: unknown; autorangeoptions?: object };
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

/**
 * JupyterLab's theme, followed from a mime extension: mime extensions get no plugin tokens (no
 * IThemeManager), so we watch the attributes JupyterLab's theme plugin sets on <body> once the new
 * theme's CSS is loaded (`data-jp-theme-light`, `data-jp-theme-name`; JupyterLab's vega renderer
 * reads the first at render time). One observer for every plot.
 */
const themeListeners = new Set<() => void>();
let themeObserver: MutationObserver | null = null;

function onThemeChange(listener: () => void): () => void {
  themeListeners.add(listener);
  if (!themeObserver) {
    themeObserver = new MutationObserver(() => themeListeners.forEach(l => l()));
    themeObserver.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-light', 'data-jp-theme-name']
    });
  }
  return () => {
    themeListeners.delete(listener);
    if (themeListeners.size === 0) {
      themeObserver?.disconnect();
      themeObserver = null;
    }
  };
}

/**
 * Trace colours: JupyterLab's brand, warn, accent, error and info colours. Each theme defines
 * them for its own background (the dark theme's are lighter), so they stay readable on both.
 */
const PALETTE = [
  '--jp-brand-color1',
  '--jp-warn-color1',
  '--jp-accent-color1',
  '--jp-error-color1',
  '--jp-info-color1'
];

/**
 * A Plotly template from the theme's --jp-* variables as they are now (a template, not layout
 * values: whatever the figure sets itself still wins). Variables that are not defined (outside
 * JupyterLab) are left out, so Plotly's defaults apply.
 */
export function themeTemplate(node: HTMLElement): { layout: Record<string, unknown> } {
  const element = getComputedStyle(node);
  const root = getComputedStyle(document.documentElement);
  const css = (name: string): string | undefined =>
    element.getPropertyValue(name).trim() || root.getPropertyValue(name).trim() || undefined;
  const pick = (entries: Record<string, string | undefined | object>) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entries)) {
      if (value !== undefined && (typeof value !== 'object' || Object.keys(value).length > 0)) {
        out[key] = value;
      }
    }
    return out;
  };
  const axis = pick({
    gridcolor: css('--jp-border-color2'),
    linecolor: css('--jp-border-color1'),
    zerolinecolor: css('--jp-border-color1'),
    tickcolor: css('--jp-border-color1')
  });
  const colorway = PALETTE.map(css).filter((c): c is string => c !== undefined);
  return {
    layout: pick({
      paper_bgcolor: css('--jp-layout-color0'),
      plot_bgcolor: css('--jp-layout-color0'),
      font: pick({ color: css('--jp-content-font-color1'), family: css('--jp-ui-font-family') }),
      colorway: colorway.length > 0 ? colorway : undefined,
      xaxis: axis,
      yaxis: axis,
      hoverlabel: pick({
        bgcolor: css('--jp-layout-color1'),
        bordercolor: css('--jp-border-color1'),
        font: pick({ color: css('--jp-ui-font-color1') })
      }),
      legend: pick({ bgcolor: css('--jp-layout-color0') }),
      modebar: pick({
        bgcolor: css('--jp-layout-color0'),
        color: css('--jp-ui-font-color2'),
        activecolor: css('--jp-ui-font-color0')
      })
    })
  };
}

/** Colour attributes of a trace a figure may set to black (HEP's usual colour for data points). */
const INK_ATTRIBUTES = [
  'marker.color',
  'marker.line.color',
  'line.color',
  'error_x.color',
  'error_y.color'
];

function isBlack(value: unknown): boolean {
  return typeof value === 'string' && /^(black|#000|#000000|rgb\(0, ?0, ?0\))$/i.test(value.trim());
}

/**
 * Per attribute, the traces that set it to black: drawn in the theme's text colour instead, so
 * data points stay visible on a dark background (a template cannot override a trace's own colour).
 */
export function blackAttributes(data: object[]): Map<string, number[]> {
  const found = new Map<string, number[]>();
  data.forEach((trace, index) => {
    for (const attribute of INK_ATTRIBUTES) {
      let value: unknown = trace;
      for (const key of attribute.split('.')) {
        value =
          typeof value === 'object' && value !== null
            ? (value as Record<string, unknown>)[key]
            : undefined;
      }
      if (isBlack(value)) found.set(attribute, [...(found.get(attribute) ?? []), index]);
    }
  });
  return found;
}

/** The theme's text colour, or black outside JupyterLab. */
function inkColour(node: HTMLElement): string {
  const css = (style: CSSStyleDeclaration) =>
    style.getPropertyValue('--jp-content-font-color1').trim();
  return css(getComputedStyle(node)) || css(getComputedStyle(document.documentElement)) || 'black';
}

/** Traces on the y axis the toggle scales (not a pull or ratio panel's own axis below it). */
function onMainY(trace: ITrace): boolean {
  return (trace.yaxis ?? 'y') === 'y';
}

/** Traces drawn as lines with steps (histogram outlines): log scale needs their zeros lifted. */
function isStepTrace(trace: ITrace): boolean {
  return (
    onMainY(trace) &&
    (trace.type ?? 'scatter') === 'scatter' &&
    /^(hv|vh|hvh|vhv)$/.test(trace.line?.shape ?? '')
  );
}

/** Traces whose y axis is a coordinate, not a content: no log toggle for them. */
const TWO_D = /^(heatmap|histogram2d|histogram2dcontour|contour|image|splom|parcoords)$/;

function numbers(y: unknown): number[] {
  return Array.isArray(y) ? y.filter((v): v is number => typeof v === 'number') : [];
}

/**
 * Renders `application/vnd.plotly.v1+json` outputs with Plotly's cartesian bundle, in the colours
 * of JupyterLab's theme (applied when drawn, never written into the output: a saved or exported
 * notebook keeps the figure as the kernel sent it), with a log-scale toggle for the y axis.
 */
export class PlotlyRenderer extends Widget implements IRenderMime.IRenderer {
  /**
   * `fallback`: another extension's renderer of the same mime type (jupyterlab-plotly, with the
   * full plotly.js), for figures with traces our cartesian bundle does not draw (3-D, maps).
   */
  constructor(options: IRenderMime.IRendererOptions, fallback?: IRenderMime.IRendererFactory) {
    super();
    this._options = options;
    this._fallback = fallback ?? null;
    this.addClass('odl-PlotlyRenderer');
    this._mimeType = options.mimeType;
    this._strings = (options.translator ?? nullTranslator).load(TRANSLATION_DOMAIN);

    // A native checkbox outside Plotly's SVG: focusable, labelled and toggled by Space, where
    // Plotly's updatemenus buttons are SVG groups a keyboard cannot reach. Plotly never redraws
    // it, so its state survives theme changes, resizes and re-renders.
    this._toolbar = document.createElement('div');
    this._toolbar.className = 'odl-PlotlyRenderer-toolbar';
    this._toolbar.hidden = true;
    const label = document.createElement('label');
    label.className = 'odl-PlotlyRenderer-logToggle';
    this._logY = document.createElement('input');
    this._logY.type = 'checkbox';
    this._logY.addEventListener('change', () => {
      this._userLogY = this._logY.checked; // kept when the output is rendered again
      void this._applyScale();
    });
    label.append(this._logY, document.createTextNode(this._strings.__('Log scale (y axis)')));
    this._toolbar.appendChild(label);
    this._plot = document.createElement('div');
    this._plot.className = 'odl-PlotlyRenderer-plot';
    this.node.append(this._toolbar, this._plot);
    this._unwatchTheme = onThemeChange(() => void this._applyTheme());
  }

  /** Plotly's graph div (where Plotly keeps the figure it draws). */
  get plotNode(): HTMLElement {
    return this._plot;
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
    if (this._fallback && !cartesianOnly(value)) {
      await this._renderElsewhere(model);
      return;
    }
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
    this._original = JSONExt.deepCopy(
      value as ReadonlyPartialJSONObject
    ) as unknown as IPlotlyFigure;
    const layout: ILayout = { ...(figure.layout ?? {}) };
    // A figure that brings its own template (plotly.py's always do) keeps it: its author chose.
    this._themed = layout.template === undefined;
    if (this._themed) {
      this._template = themeTemplate(this.node);
      layout.template = this._template;
      this._black = blackAttributes(figure.data);
      this._ink = inkColour(this.node);
      for (const [attribute, traces] of this._black) {
        for (const index of traces) setPath(figure.data[index], attribute, this._ink);
      }
    }
    const scalable = figure.data.length > 0 && !figure.data.some(t => TWO_D.test(t.type ?? ''));
    this._toolbar.hidden = !scalable;
    this._logY.checked = scalable && (this._userLogY ?? layout.yaxis?.type === 'log');
    await api.react(this._plot, figure.data, layout, {
      displaylogo: false,
      ...figure.config
    });
    if (scalable && (this._logY.checked || layout.yaxis?.type === 'log')) {
      await this._applyScale();
    }
    this._resize();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._unwatchTheme();
    this._other?.dispose();
    this._plotly?.purge(this._plot);
    this._plotly = null;
    super.dispose();
  }

  // Plotly sizes the plot from its container: re-measure whenever the container may have changed.
  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this._other && !this._other.isAttached) {
      Widget.attach(this._other, this.node);
    }
    // Variables may resolve differently once in the page (a theme scoped to a panel).
    void this._applyTheme();
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
      this._plotly.Plots.resize(this._plot).catch(() => undefined);
    }
  }

  /** Re-colours the plot when the theme's variables changed; zoom and scale stay as they are. */
  private async _applyTheme(): Promise<void> {
    if (!this._plotly || !this._themed || this.isDisposed) {
      return;
    }
    const ink = inkColour(this.node);
    if (ink !== this._ink) {
      this._ink = ink;
      for (const [attribute, traces] of this._black) {
        await this._plotly.restyle(this._plot, { [attribute]: ink }, traces);
      }
    }
    const template = themeTemplate(this.node);
    if (JSONExt.deepEqual(template as never, this._template as never)) {
      return;
    }
    this._template = template;
    await this._plotly.relayout(this._plot, { template });
  }

  /**
   * The y axis linear or logarithmic, as the checkbox says. On a log axis zero has no place:
   * bars of zero count are not drawn, and a histogram outline's zero levels (its two outer sides,
   * empty bins) are drawn just below the axis, so the outline stays one line going off the
   * bottom instead of breaking into pieces.
   */
  private async _applyScale(): Promise<void> {
    const api = this._plotly;
    const figure = this._original;
    if (!api || !figure || this.isDisposed) {
      return;
    }
    const log = this._logY.checked;
    const steps = figure.data.map((t, i) => (isStepTrace(t) ? i : -1)).filter(i => i >= 0);
    const yaxis = figure.layout?.yaxis ?? {};
    if (!log) {
      if (steps.length > 0) {
        await api.restyle(this._plot, { y: steps.map(i => figure.data[i].y) }, steps);
      }
      // Back to what the figure says (null: Plotly's default).
      await api.relayout(this._plot, {
        'yaxis.type': yaxis.type === 'log' ? 'linear' : (yaxis.type ?? null),
        'yaxis.autorange': yaxis.autorange ?? null,
        'yaxis.range': yaxis.type === 'log' ? null : (yaxis.range ?? null),
        'yaxis.autorangeoptions': yaxis.autorangeoptions ?? null
      });
      return;
    }
    let smallest = Infinity;
    for (const trace of figure.data.filter(onMainY)) {
      for (const v of numbers(trace.y)) if (v > 0 && v < smallest) smallest = v;
    }
    const bottom = (smallest < Infinity ? Math.log10(smallest) : 0) - 0.25;
    if (steps.length > 0) {
      const floor = 10 ** (bottom - 1);
      await api.restyle(
        this._plot,
        {
          y: steps.map(i => {
            const y = figure.data[i].y;
            return Array.isArray(y) ? y.map(v => (typeof v === 'number' && v <= 0 ? floor : v)) : y;
          })
        },
        steps
      );
    }
    await api.relayout(this._plot, {
      'yaxis.type': 'log',
      'yaxis.autorange': true,
      'yaxis.range': null,
      // In log units, as the axis range: autorange keeps this bottom (double-click too).
      'yaxis.autorangeoptions': { minallowed: bottom }
    });
  }

  /** Draws the figure with the fallback renderer, in place of our toolbar and plot. */
  private async _renderElsewhere(model: IRenderMime.IMimeModel): Promise<void> {
    this._other ??= this._fallback!.createRenderer(this._options);
    this._toolbar.hidden = true;
    this._plot.hidden = true;
    if (this.isAttached && !this._other.isAttached) {
      Widget.attach(this._other, this.node);
    }
    await this._other.renderModel(model);
  }

  private readonly _mimeType: string;
  private readonly _options: IRenderMime.IRendererOptions;
  private readonly _fallback: IRenderMime.IRendererFactory | null;
  private _other: IRenderMime.IRenderer | null = null;
  private readonly _strings: TranslationBundle;
  private readonly _toolbar: HTMLDivElement;
  private readonly _logY: HTMLInputElement;
  private readonly _plot: HTMLDivElement;
  private readonly _unwatchTheme: () => void;
  private _plotly: PlotlyAPI | null = null;
  private _original: IPlotlyFigure | null = null;
  private _template: unknown = null;
  private _themed = false;
  private _black = new Map<string, number[]>();
  private _ink = '';
  private _userLogY: boolean | null = null;
}

function isFigure(value: unknown): value is IPlotlyFigure {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as { data?: unknown }).data)
  );
}

/** Sets a dotted attribute ("marker.color") of a trace, making the objects on the way. */
function setPath(target: object, attribute: string, value: unknown): void {
  const keys = attribute.split('.');
  let node = target as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** The trace types of plotly.js's cartesian bundle, the one the extension ships. */
const CARTESIAN = new Set([
  'bar',
  'box',
  'contour',
  'heatmap',
  'histogram',
  'histogram2d',
  'histogram2dcontour',
  'image',
  'pie',
  'scatter',
  'scatterternary',
  'violin'
]);

/** True when every trace of a figure is one the cartesian bundle draws (no type: scatter). */
export function cartesianOnly(value: unknown): boolean {
  const data = (value as { data?: unknown }).data;
  return (
    Array.isArray(data) &&
    data.every(t => CARTESIAN.has(String((t as { type?: unknown } | null)?.type ?? 'scatter')))
  );
}
