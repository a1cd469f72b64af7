// Running a cell in a tslab notebook leaves the browser console clean. JupyterLab 4.6's debugger
// asks the kernel for its loaded modules after every execute_reply (displayModules); for a kernel
// without debugging support there is no debug session and each run logged
// "Uncaught (in promise) Error: No active debugger session".
import { expect, test } from '@jupyterlab/galata';

test('running cells in a tslab notebook logs no debugger error', async ({ page }) => {
  const logged: string[] = [];
  page.on('console', message => {
    if (message.type() === 'error' || message.type() === 'warning') {
      logged.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', error => logged.push(`pageerror: ${error.message}`));

  await page.notebook.createNew('noise.ipynb', { kernel: 'tslab' });
  await page.notebook.setCell(0, 'code', 'const answer = 6 * 7;\nconsole.log(`answer ${answer}`);');
  await page.notebook.runCell(0);
  const output = page.locator('.jp-Notebook .jp-Cell').first().locator('.jp-OutputArea-output');
  await expect(output.first()).toContainText('answer 42');
  // Twice: the debugger asked after every execute_reply.
  await page.notebook.runCell(0);
  await expect(output.first()).toContainText('answer 42');
  // The debugger's request follows the execute_reply: give it time to fail, as it did.
  await page.waitForTimeout(2000);

  expect(logged.filter(line => /debugger/i.test(line))).toEqual([]);
  // The debugger's toolbar switch stays off for a kernel that cannot debug.
  const kernelSpecDebugger = await page.evaluate(async () => {
    const answer = await fetch('/api/kernelspecs').then(r => r.json());
    return answer.kernelspecs.tslab.spec.metadata?.debugger ?? null;
  });
  expect(kernelSpecDebugger).not.toBe(true);
});
