import {
  EXPLORER_MIME,
  ExplorerColumnData,
  ExplorerFilter,
  ExplorerPayload,
  binChoices,
  codesToCut,
  cutCode,
  cutToCodes,
  cutValueCode,
  decodeExplorer,
  overflowCode
} from '@opendata-lab/kernel-helpers/core';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { HistogramPlot } from './explorer-histogram';
import { TRANSLATION_DOMAIN } from './i18n';

export { EXPLORER_MIME };

/** What one column's panel holds. */
interface Panel {
  column: ExplorerColumnData;
  plot: HistogramPlot;
  from: HTMLInputElement;
  to: HTMLInputElement;
  bins: HTMLInputElement;
  binsLabel: HTMLElement;
  log: HTMLInputElement;
  choices: number[];
}

/**
 * The masterclass explorer (od.explore): one histogram per column, linked. Brushing a range on
 * one cuts the events, and every other histogram shows the events that pass all cuts but its own
 * (crossfilter). Everything runs here from the output's data (no kernel): safe in untrusted
 * notebooks, it builds DOM with text only. Colours come from the theme's CSS variables.
 */
export class ExplorerRenderer extends Widget implements IRenderMime.IRenderer {
  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this.addClass('odl-Explorer');
    // Keys pressed in its inputs, sliders and buttons are theirs, not the notebook's shortcuts
    // (command mode binds arrows, Enter, letters). Lumino skips shortcuts under this attribute.
    this.node.setAttribute('data-lm-suppress-shortcuts', 'true');
    // The notebook moves the focus to the active cell's editor on any keydown that reaches it
    // (in edit mode): a slider's arrow key would land in the editor.
    this.node.addEventListener('keydown', event => event.stopPropagation());
    this._mimeType = options.mimeType;
    this._strings = (options.translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
  }

  /** The filter behind the histograms (tests and the benchmark read it). */
  get filter(): ExplorerFilter | null {
    return this._filter;
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const start = performance.now();
    const { payload, codes, referenceCodes } = decodeExplorer(model.data[this._mimeType]);
    this._dispose();
    this._payload = payload;
    const columns = payload.columns;
    this._filter = new ExplorerFilter(
      columns.map((c, k) => ({ codes: codes[k], levels: c.levels })),
      columns.map(c => c.bins)
    );
    this._reference = referenceCodes
      ? new ExplorerFilter(
          columns.map((c, k) => ({ codes: referenceCodes[k], levels: c.levels })),
          columns.map(c => c.bins)
        )
      : null;
    for (const [name, range] of Object.entries(payload.cuts ?? {})) {
      const d = columns.findIndex(c => c.name === name);
      if (d < 0 || !Array.isArray(range)) continue;
      const side = (v: unknown, open: number) => (Number.isFinite(v) ? (v as number) : open);
      this._setCut(
        d,
        cutToCodes(columns[d], [side(range[0], -Infinity), side(range[1], Infinity)])
      );
    }
    this._build(payload);
    this._draw();
    // decode, index and first draw (the UI test reports it)
    this.node.dataset.renderMs = (performance.now() - start).toFixed(1);
    return Promise.resolve();
  }

  dispose(): void {
    if (this.isDisposed) return;
    this._dispose();
    super.dispose();
  }

  private _dispose(): void {
    if (this._frame) cancelAnimationFrame(this._frame);
    this._frame = 0;
    this._panels.forEach(p => p.plot.dispose());
    this._panels = [];
    this.node.textContent = '';
  }

  private _build(payload: ExplorerPayload): void {
    const t = this._strings;
    const el = <K extends keyof HTMLElementTagNameMap>(
      tag: K,
      className: string,
      text?: string
    ) => {
      const e = document.createElement(tag);
      e.className = className;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    const header = el('div', 'odl-Explorer-header');
    header.appendChild(el('div', 'odl-Explorer-title', payload.title));
    this._status = el('div', 'odl-Explorer-status');
    this._status.setAttribute('role', 'status');
    this._status.setAttribute('aria-live', 'polite');
    const reset = el('button', 'odl-Explorer-reset jp-mod-styled', t.__('Reset cuts'));
    reset.type = 'button';
    reset.addEventListener('click', () => {
      this._filter?.reset();
      this._reference?.reset();
      this._pending.clear();
      this._draw();
    });
    header.append(this._status, reset);
    this.node.appendChild(header);
    if (payload.notice) {
      const notice = el('div', 'odl-Explorer-notice', payload.notice);
      notice.setAttribute('role', 'note');
      this.node.appendChild(notice);
    }
    const legend = el('div', 'odl-Explorer-legend');
    legend.append(
      el('span', 'odl-Explorer-key odl-Explorer-key-selected', t.__('selected')),
      el('span', 'odl-Explorer-key odl-Explorer-key-total', t.__('all events'))
    );
    const refLabel =
      payload.referenceTable?.label ?? payload.referenceHistograms?.[0]?.label ?? null;
    if (refLabel) {
      legend.append(el('span', 'odl-Explorer-key odl-Explorer-key-reference', refLabel));
    }
    legend.append(
      el('span', 'odl-Explorer-hint', t.__('Drag across a histogram to cut; click it to clear.'))
    );
    this.node.appendChild(legend);

    const grid = el('div', 'odl-Explorer-grid');
    payload.columns.forEach((column, d) => {
      const section = el('section', 'odl-Explorer-panel');
      section.dataset.column = column.name;
      section.setAttribute('aria-label', column.name);
      const title = el('div', 'odl-Explorer-panelTitle', column.name);
      const plot = new HistogramPlot(
        column.lo,
        column.hi,
        t.__('Histogram of %1', column.name),
        (bins, final) => this._brushed(d, bins, final)
      );
      const controls = el('div', 'odl-Explorer-controls');
      const number = (label: string) => {
        const wrap = el('label', 'odl-Explorer-field');
        const input = el('input', 'odl-Explorer-cutInput');
        input.type = 'number';
        input.step = 'any';
        input.placeholder = label === 'from' ? '−∞' : '+∞';
        input.setAttribute(
          'aria-label',
          label === 'from' ? t.__('%1 from', column.name) : t.__('%1 below', column.name)
        );
        wrap.append(el('span', '', label === 'from' ? t.__('from') : t.__('below')), input);
        controls.appendChild(wrap);
        // Enter applies at once (an input outside a form gets no change event for it)
        input.addEventListener('change', () => this._typed(d));
        input.addEventListener('keydown', event => {
          if (event.key === 'Enter') this._typed(d);
        });
        return input;
      };
      const from = number('from');
      const to = number('to');
      const choices = binChoices(column.levels);
      const binsWrap = el('label', 'odl-Explorer-field');
      const bins = el('input', 'odl-Explorer-bins');
      bins.type = 'range';
      bins.min = '0';
      bins.max = String(choices.length - 1);
      bins.value = String(Math.max(0, choices.indexOf(column.bins)));
      bins.setAttribute('aria-label', t.__('%1 bins', column.name));
      const binsLabel = el('span', 'odl-Explorer-binsLabel');
      binsWrap.append(binsLabel, bins);
      bins.addEventListener('input', () => {
        const n = choices[Number(bins.value)];
        this._filter?.setBins(d, n);
        this._reference?.setBins(d, n);
        this._draw();
      });
      const logWrap = el('label', 'odl-Explorer-field');
      const log = el('input', 'odl-Explorer-log');
      log.type = 'checkbox';
      log.checked = column.log;
      log.setAttribute('aria-label', t.__('%1 log scale', column.name));
      logWrap.append(log, document.createTextNode(t.__('log')));
      log.addEventListener('change', () => this._draw());
      controls.append(binsWrap, logWrap);
      section.append(title, plot.node, controls);
      grid.appendChild(section);
      this._panels.push({ column, plot, from, to, bins, binsLabel, log, choices });
    });
    this.node.appendChild(grid);

    const codeRow = el('div', 'odl-Explorer-codeRow');
    this._code = el('code', 'odl-Explorer-code');
    const pre = el('pre', 'odl-Explorer-pre');
    pre.appendChild(this._code);
    const copy = el('button', 'odl-Explorer-copy jp-mod-styled', t.__('Copy'));
    copy.type = 'button';
    copy.setAttribute('aria-label', t.__('Copy the cut code'));
    copy.addEventListener('click', () => void this._copy(copy));
    codeRow.append(pre, copy);
    this.node.appendChild(codeRow);
  }

  /** A brush on column d, in its current bins; applied on the next frame (moves coalesce). */
  private _brushed(d: number, bins: [number, number] | null, final: boolean): void {
    const filter = this._filter;
    const column = this._payload?.columns[d];
    if (!filter || !column) return;
    if (bins === null) {
      this._pending.set(d, null);
    } else {
      const perBin = column.levels / filter.bins(d);
      const count = filter.bins(d);
      // A brush that reaches a histogram's edge is open on that side: it keeps the flows.
      const a = bins[0] <= 0 ? 0 : bins[0] * perBin + 1;
      const b = bins[1] >= count ? overflowCode(column.levels) + 1 : bins[1] * perBin + 1;
      this._pending.set(d, [a, b]);
    }
    if (final) this._flush();
    else if (!this._frame) this._frame = requestAnimationFrame(() => this._flush());
  }

  private _typed(d: number): void {
    const panel = this._panels[d];
    const read = (input: HTMLInputElement, open: number) =>
      input.value.trim() === '' || !Number.isFinite(input.valueAsNumber)
        ? open
        : input.valueAsNumber;
    const lo = read(panel.from, -Infinity);
    const hi = read(panel.to, Infinity);
    this._pending.set(
      d,
      lo === -Infinity && hi === Infinity ? null : cutToCodes(panel.column, [lo, hi])
    );
    this._flush();
  }

  private _flush(): void {
    if (this._frame) cancelAnimationFrame(this._frame);
    this._frame = 0;
    const start = performance.now();
    for (const [d, range] of this._pending) this._setCut(d, range);
    this._pending.clear();
    this._draw();
    this.node.dataset.updateMs = (performance.now() - start).toFixed(2);
  }

  private _setCut(d: number, range: [number, number] | null): void {
    this._filter?.setCut(d, range);
    this._reference?.setCut(d, range);
  }

  /** Every histogram, the count, the inputs and the code, from the filter's state. */
  private _draw(): void {
    const filter = this._filter;
    const payload = this._payload;
    if (!filter || !payload) return;
    const t = this._strings;
    const cuts: Record<string, [number, number]> = {};
    this._panels.forEach((panel, d) => {
      const { column } = panel;
      const bins = filter.bins(d);
      const counts = filter.counts(d);
      const cut = filter.cut(d);
      const perBin = column.levels / bins;
      const over = overflowCode(column.levels);
      let brush: [number, number] | null = null;
      if (cut) {
        brush = [
          cut[0] <= 0 ? 0 : (cut[0] - 1) / perBin,
          cut[1] > over ? bins : (cut[1] - 1) / perBin
        ];
        cuts[column.name] = codesToCut(column, cut);
      }
      panel.plot.draw({
        counts,
        totals: filter.totals(d),
        reference: this._referenceHeights(d, counts, bins),
        log: panel.log.checked,
        brush
      });
      const range = cut ? codesToCut(column, cut) : null;
      if (document.activeElement !== panel.from) panel.from.value = valueText(range?.[0]);
      if (document.activeElement !== panel.to) panel.to.value = valueText(range?.[1]);
      panel.binsLabel.textContent = t._n('%1 bin', '%1 bins', bins);
      panel.bins.setAttribute('aria-valuetext', t._n('%1 bin', '%1 bins', bins));
    });
    this._status.textContent = t.__(
      '%1 of %2 events selected',
      filter.selected.toLocaleString(),
      filter.size.toLocaleString()
    );
    this.node.dataset.selected = String(filter.selected);
    this._code.textContent = cutCode(payload.table, cuts);
  }

  /** The reference outline of column d in events per shown bin, scaled. */
  private _referenceHeights(
    d: number,
    counts: Int32Array,
    bins: number
  ): { edges: ArrayLike<number>; heights: ArrayLike<number> } | null {
    const payload = this._payload!;
    const column = payload.columns[d];
    let dataSum = 0;
    for (let b = 1; b <= bins; b++) dataSum += counts[b];
    if (this._reference && payload.referenceTable) {
      const ref = this._reference.counts(d);
      let refSum = 0;
      for (let b = 1; b <= bins; b++) refSum += ref[b];
      const scale = payload.referenceTable.scale;
      const factor = scale === 'area' ? (refSum > 0 ? dataSum / refSum : 0) : scale;
      const heights = new Float64Array(bins);
      for (let b = 0; b < bins; b++) heights[b] = ref[b + 1] * factor;
      const edges = new Float64Array(bins + 1);
      for (let b = 0; b <= bins; b++) edges[b] = column.lo + ((column.hi - column.lo) * b) / bins;
      return { edges, heights };
    }
    const h = payload.referenceHistograms?.find(r => r.column === column.name);
    if (!h) return null;
    // Heights in events per shown bin: a reference bin's value spread over its width.
    const width = (column.hi - column.lo) / bins;
    let refSum = 0;
    let inRange = 0;
    h.values.forEach(v => (refSum += v));
    for (let b = 0; b < bins; b++) {
      const centre = column.lo + (b + 0.5) * width;
      if (centre >= h.edges[0] && centre < h.edges[h.edges.length - 1]) inRange += counts[b + 1];
    }
    const factor = h.scale === 'area' ? (refSum > 0 ? inRange / refSum : 0) : h.scale;
    const heights = h.values.map((v, j) => (v * factor * width) / (h.edges[j + 1] - h.edges[j]));
    return { edges: h.edges, heights };
  }

  private async _copy(button: HTMLButtonElement): Promise<void> {
    const text = this._code.textContent ?? '';
    const t = this._strings;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = t.__('Copied');
    } catch {
      // No clipboard permission (an insecure context): select the code for Ctrl+C instead.
      const range = document.createRange();
      range.selectNodeContents(this._code);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      button.textContent = t.__('Selected: press Ctrl+C');
    }
    setTimeout(() => (button.textContent = t.__('Copy')), 2000);
  }

  private readonly _mimeType: string;
  private readonly _strings: TranslationBundle;
  private _payload: ExplorerPayload | null = null;
  private _filter: ExplorerFilter | null = null;
  private _reference: ExplorerFilter | null = null;
  private _panels: Panel[] = [];
  private _pending = new Map<number, [number, number] | null>();
  private _frame = 0;
  private _status!: HTMLElement;
  private _code!: HTMLElement;
}

/** A cut side for an input: empty when open. */
function valueText(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '' : cutValueCode(v);
}
