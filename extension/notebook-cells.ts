import {
  loaderLanguageOf,
  type LoaderCell,
  type LoaderLanguage
} from '@opendata-lab/kernel-helpers/core';
import type { INotebookModel, Notebook } from '@jupyterlab/notebook';
import type { PartialJSONObject } from '@lumino/coreutils';

/** The kernel a notebook runs, as much as is known without starting it. */
export interface IKernelInfo {
  /** Kernelspec name, e.g. `tslab`, `python3`. */
  name?: string;
  /** Kernelspec language, e.g. `typescript`, `python`. */
  language?: string;
}

/**
 * The loader language for a kernel: a per-kernel override from the settings first, then the
 * kernelspec's language, then its name. Null when neither TypeScript nor Python fits.
 */
export function loaderLanguageFor(
  kernel: IKernelInfo,
  overrides: Record<string, string> = {}
): LoaderLanguage | null {
  const override = kernel.name !== undefined ? overrides[kernel.name] : undefined;
  return (
    loaderLanguageOf(override) ?? loaderLanguageOf(kernel.language) ?? loaderLanguageOf(kernel.name)
  );
}

/** Inserts a cell below the active cell (explicitly as code or markdown) and makes it active. */
function insertBelow(
  notebook: Notebook,
  cell: { cell_type: 'code' | 'markdown'; source: string; metadata?: PartialJSONObject }
): number {
  const model = notebook.model;
  if (!model) {
    throw new Error('the notebook has no model');
  }
  const index = Math.min(notebook.activeCellIndex + 1, model.cells.length);
  model.sharedModel.insertCell(index, { ...cell, metadata: cell.metadata ?? {} });
  notebook.activeCellIndex = index;
  return index;
}

/** The loader as a code cell below the active one, with `opendata_lab: {recid, file}` metadata. */
export function insertLoaderCell(notebook: Notebook, loader: LoaderCell): number {
  return insertBelow(notebook, {
    cell_type: 'code',
    source: loader.source,
    metadata: { ...loader.metadata }
  });
}

export function insertMarkdownCell(notebook: Notebook, source: string): number {
  return insertBelow(notebook, { cell_type: 'markdown', source });
}

/** Every recid the notebook's cells name in their `opendata_lab.recid` metadata, in cell order, once each. */
export function recidsInNotebook(model: INotebookModel): string[] {
  const seen = new Set<string>();
  for (const cell of model.sharedModel.cells) {
    const meta = cell.getMetadata('opendata_lab') as { recid?: unknown } | undefined;
    const recid = meta?.recid;
    if ((typeof recid === 'string' || typeof recid === 'number') && /^\d+$/.test(String(recid))) {
      seen.add(String(recid));
    }
  }
  return [...seen];
}

/**
 * Every identifier the notebook's code cells mention: pass it as loaderCode's `taken`, so a new
 * loader cell binds fresh names instead of rebinding a variable an earlier cell defined or uses.
 * A superset of the names bound (no parsing, so it is the same for TypeScript and Python).
 */
export function namesInNotebook(model: INotebookModel): Set<string> {
  const names = new Set<string>();
  for (const cell of model.sharedModel.cells) {
    if (cell.cell_type !== 'code') {
      continue;
    }
    for (const name of cell.getSource().match(/[A-Za-z_$][\w$]*/g) ?? []) {
      names.add(name);
    }
  }
  return names;
}

// The citation cell's source is built in core (the Python export test runs the same code).
export { bibliography, citationMarkdown } from '@opendata-lab/kernel-helpers/core';
