// Loader and citation cells in a real notebook model; the kernel → loader language choice.
import { NotebookModel, type Notebook } from '@jupyterlab/notebook';
import { loaderCode, type CitableRecord } from '@opendata-lab/kernel-helpers/core';
import { readFileSync } from 'fs';
import * as path from 'path';
import {
  bibliography,
  citationMarkdown,
  insertLoaderCell,
  insertMarkdownCell,
  loaderLanguageFor,
  recidsInNotebook
} from '../../extension/notebook-cells';

const SHARED = process.env.OPENDATA_SHARED_DATA ?? path.resolve(__dirname, '../../../shared/data');
const records = JSON.parse(
  readFileSync(path.join(SHARED, 'records', 'fixtures', 'cms-derived-csv-Run2011A.json'), 'utf8')
) as (CitableRecord & { recid: string })[];

/** The part of a Notebook widget the helpers use: its model and active cell index. */
function notebookOf(model: NotebookModel, active = 0): Notebook {
  return { model, activeCellIndex: active } as unknown as Notebook;
}

describe('notebook cells', () => {
  it('inserts the loader as a code cell below the active cell, with the recid in its metadata', () => {
    const model = new NotebookModel();
    model.sharedModel.insertCells(0, [
      { cell_type: 'markdown', source: 'intro' },
      { cell_type: 'markdown', source: 'end' }
    ]);
    const notebook = notebookOf(model, 0);
    const loader = loaderCode(records[0], { language: 'python' });
    expect(insertLoaderCell(notebook, loader)).toBe(1);
    const cell = model.sharedModel.cells[1];
    expect(cell.cell_type).toBe('code');
    expect(cell.getSource()).toBe(loader.source);
    expect(cell.getMetadata('opendata_lab')).toEqual({
      recid: records[0].recid,
      file: loader.metadata.opendata_lab.file
    });
    expect(notebook.activeCellIndex).toBe(1);
    expect(model.sharedModel.cells.map(c => c.getSource())).toEqual([
      'intro',
      loader.source,
      'end'
    ]);
  });

  it('collects every recid named by loader cells, once, in order, into one bibliography', () => {
    const model = new NotebookModel();
    const notebook = notebookOf(model, 0);
    model.sharedModel.insertCell(0, { cell_type: 'code', source: 'x' });
    for (const r of [records[2], records[0], records[2]]) {
      insertLoaderCell(notebook, loaderCode(r, { language: 'typescript' }));
    }
    const recids = recidsInNotebook(model);
    expect(recids).toEqual([records[2].recid, records[0].recid]);
    const bib = bibliography(
      recids.map(id => records.find(r => r.recid === id)!),
      'bibtex'
    );
    expect(bib.match(/^@misc\{/gm)).toHaveLength(2);
    const csl = JSON.parse(bibliography([records[0], records[2]], 'csl-json'));
    expect(csl.map((item: { DOI?: string }) => item.DOI)).toEqual([records[0].doi, records[2].doi]);
    insertMarkdownCell(notebook, citationMarkdown(bib, 'bibtex'));
    const md = model.sharedModel.cells[notebook.activeCellIndex];
    expect(md.cell_type).toBe('markdown');
    expect(md.getSource().startsWith('```bibtex\n@misc{')).toBe(true);
  });

  it('fences a citation with more backticks than it contains', () => {
    expect(citationMarkdown('a ```` b', 'bibtex').startsWith('`````bibtex\n')).toBe(true);
  });

  it('chooses the loader language from overrides, then the kernelspec language, then its name', () => {
    expect(loaderLanguageFor({ name: 'tslab', language: 'typescript' })).toBe('typescript');
    expect(loaderLanguageFor({ name: 'python3', language: 'python' })).toBe('python');
    // Deno's kernel: by its kernelspec language, or by name alone (a notebook's metadata).
    expect(loaderLanguageFor({ name: 'deno', language: 'typescript' })).toBe('typescript');
    expect(loaderLanguageFor({ name: 'deno' })).toBe('typescript');
    expect(loaderLanguageFor({ name: 'xpython', language: 'xpython' })).toBeNull();
    expect(loaderLanguageFor({ name: 'xpython', language: 'xpython' }, { xpython: 'python' })).toBe(
      'python'
    );
    expect(loaderLanguageFor({ name: 'tslab', language: 'typescript' }, { tslab: 'python' })).toBe(
      'python'
    );
  });
});
