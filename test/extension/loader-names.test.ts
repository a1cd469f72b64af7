// A second loader in a notebook binds its own names: namesInNotebook (what the notebook's code
// cells mention) fed to loaderCode's `taken`, in a real notebook model.
import { NotebookModel, type Notebook } from '@jupyterlab/notebook';
import { loaderCode, type LoaderRecord } from '@opendata-lab/kernel-helpers/core';
import { readFileSync } from 'fs';
import * as path from 'path';
import { insertLoaderCell, namesInNotebook } from '../../extension/notebook-cells';

const SHARED = process.env.OPENDATA_SHARED_DATA ?? path.resolve(__dirname, '../../../shared/data');
const r5200 = (
  JSON.parse(
    readFileSync(path.join(SHARED, 'records', 'fixtures', 'cms-derived-csv-2012.json'), 'utf8')
  ) as (LoaderRecord & { recid: string })[]
).find(r => String(r.recid) === '5200')!;

function notebookOf(model: NotebookModel): Notebook {
  return { model, activeCellIndex: model.sharedModel.cells.length - 1 } as unknown as Notebook;
}

/**
 * The names a cell keeps bound: const (TypeScript) or top-level assignments (Python), less the
 * Python cell's scratch names, which it deletes before it ends.
 */
function bound(source: string): string[] {
  const deleted = new Set(/^del (.*)$/m.exec(source)?.[1].split(', ') ?? []);
  return [...source.matchAll(/^(?:const )?([A-Za-z_]\w*) = /gm)]
    .map(m => m[1])
    .filter(name => !deleted.has(name));
}

describe('namesInNotebook', () => {
  it("collects the code cells' identifiers, not markdown's", () => {
    const model = new NotebookModel();
    model.sharedModel.insertCells(0, [
      { cell_type: 'code', source: 'const table_4mu_2012 = od.readCSV("x.csv");\nh = 1' },
      { cell_type: 'markdown', source: 'table_zmumu is described here' },
      { cell_type: 'raw', source: 'raw_name' }
    ]);
    const names = namesInNotebook(model);
    expect(names.has('table_4mu_2012')).toBe(true);
    expect(names.has('h')).toBe(true);
    expect(names.has('od')).toBe(true);
    expect(names.has('table_zmumu')).toBe(false);
    expect(names.has('raw_name')).toBe(false);
  });

  it.each(['typescript', 'python'] as const)(
    '%s: the same record loaded twice binds new names the second time',
    language => {
      const model = new NotebookModel();
      const notebook = notebookOf(model);
      model.sharedModel.insertCell(0, { cell_type: 'code', source: '' });
      const first = loaderCode(r5200, { language, taken: namesInNotebook(model) });
      insertLoaderCell(notebook, first);
      const second = loaderCode(r5200, { language, taken: namesInNotebook(model) });
      insertLoaderCell(notebook, second);
      const a = bound(first.source);
      const b = bound(second.source);
      expect(a).toContain('table_4mu_2012');
      expect(b).toContain('table_4mu_2012_2');
      expect(a.filter(name => b.includes(name))).toEqual([]);
      // Without `taken` the second cell would rebind the first's variables.
      expect(bound(loaderCode(r5200, { language }).source)).toEqual(a);
    }
  );
});
