// A helper error thrown in a tslab cell is a Jupyter error output (what ipykernel sends: ename,
// evalue, traceback), not text on stderr. JupyterLab draws both in the same red box (an error's
// traceback is rendered with the stderr mime type), so the test reads the output's type from the
// notebook model, and the traceback's text from the page: the message, then the cell line with a
// caret under the call. Run all stops at the failing cell, as with Python.
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
import { TSLAB_KERNEL, codeNotebook, modelOutputs, openNotebook } from './lab';

const repo = path.resolve(__dirname, '..', '..', '..');
const artifacts = path.join(repo, 'build', 'test-results', 'screenshots');
const ERROR_BOX = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]';

const CELLS = [
  'import * as od from "@opendata-lab/kernel-helpers";',
  'const n = 1;\nconst events = await od.readTable("no-such-events.csv");',
  'console.log("ran after the error");'
];

test('a thrown helper error shows as a Jupyter error output with the cell line', async ({
  page,
  tmpPath
}) => {
  const name = 'kernel-error.ipynb';
  await openNotebook(page, tmpPath, name, codeNotebook(CELLS, TSLAB_KERNEL));
  // Run all (Galata's notebook.run() waits for every cell to run, and the last one must not).
  await page.evaluate(() =>
    (
      window as unknown as { jupyterapp: { commands: { execute(id: string): Promise<unknown> } } }
    ).jupyterapp.commands.execute('notebook:run-all-cells')
  );

  const failing = page.locator('.jp-Notebook .jp-Cell').nth(1);
  const box = failing.locator(ERROR_BOX);
  await expect(box).toHaveCount(1);
  const lines = (await box.innerText()).split('\n');
  expect(lines[0]).toBe(
    'OpenDataError [E_NOT_FOUND]: no-such-events.csv: no such file' +
      ` (relative to ${path.join(repo, 'build', 'ui-root', tmpPath)})`
  );
  // Line 2 of the cell, at the call (the column of `readTable`, where V8 places a call).
  const column = CELLS[1].split('\n')[1].indexOf('readTable') + 1;
  expect(lines[1].trim()).toBe(`cell [2] line 2:${column}`);
  expect(lines[2].trim()).toBe(CELLS[1].split('\n')[1]);
  expect(lines[3].indexOf('^') - lines[2].indexOf('const')).toBe(column - 1);

  // The cell after it was queued, then aborted: its prompt goes from [*] back to [ ].
  const last = page.locator('.jp-Notebook .jp-Cell').nth(2).locator('.jp-InputPrompt');
  await expect(last).toHaveText('[ ]:');

  // The model holds an `error` output (a stderr stream before the tslab patch), and nothing
  // ran after it.
  const outputs = await modelOutputs(page);
  expect(outputs[1]).toHaveLength(1);
  expect(outputs[1][0]).toMatchObject({
    output_type: 'error',
    ename: 'OpenDataError',
    evalue: expect.stringMatching(/^no-such-events\.csv: no such file/)
  });
  expect(outputs[0]).toEqual([]);
  expect(outputs[2]).toEqual([]);

  await failing.screenshot({ path: path.join(artifacts, 'kernel-error-tslab.png') });
});
