// File → Binder Link of This Notebook… on an open notebook: the dialog shows the mybinder.org link
// of this project's repository for the notebook's path, Copy puts it on the clipboard, and the
// link's urlpath, opened on this JupyterLab as BinderHub opens it on its own, shows that notebook.
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

const repo = path.resolve(__dirname, '..', '..', '..');
const screenshots = path.join(repo, 'build', 'test-results', 'screenshots');
fs.mkdirSync(screenshots, { recursive: true });
// A name with spaces and non-ASCII letters: each must survive both decodings ('#' and '?' are
// in the jest test: Galata's upload does not encode them).
const NAME = 'Z peak μμ.ipynb';

test.use({ autoGoto: true, permissions: ['clipboard-read', 'clipboard-write'] });

test('the Binder link of the open notebook: shown, copied, and it opens the notebook', async ({
  page,
  tmpPath,
  baseURL
}) => {
  const notebook = `${tmpPath}/${NAME}`;
  await page.contents.uploadFile(path.join(repo, 'notebooks', '01-zmumu-mass.ipynb'), notebook);
  await page.notebook.openByPath(notebook);
  await page.notebook.activate(NAME);

  await page.menu.clickMenuItem('File>Binder Link of This Notebook…');
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog.locator('.jp-Dialog-header')).toHaveText(`Binder link of ${notebook}`);
  const link = await dialog.locator('input.odl-BinderLink-url').inputValue();
  await dialog.screenshot({ path: path.join(screenshots, 'binder-link-dialog.png') });

  const url = new URL(link);
  expect(`${url.origin}${url.pathname}`).toBe(
    'https://mybinder.org/v2/gh/opendata-lab/opendata-lab/HEAD'
  );
  const urlpath = url.searchParams.get('urlpath')!;
  expect(urlpath.split('/').map(decodeURIComponent)).toEqual([
    'lab',
    'tree',
    ...notebook.split('/')
  ]);
  await expect(dialog.getByRole('link', { name: 'Open on Binder' })).toHaveAttribute('href', link);

  await dialog.getByRole('button', { name: 'Copy' }).click();
  await expect(
    page.locator('.Toastify__toast').filter({ hasText: 'Binder link copied' })
  ).toHaveCount(1);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  // BinderHub sends the browser to <the user's server>/<urlpath>: here, this server (in a plain
  // page: Galata's goto waits for a Launcher that a tree URL does not show).
  const binderPage = await page.context().newPage();
  await binderPage.goto(`${baseURL}/${urlpath}`);
  const tab = binderPage.locator('.lm-DockPanel .lm-TabBar-tab.jp-mod-current .lm-TabBar-tabLabel');
  await expect(tab).toHaveText(NAME, { timeout: 60000 });
  await expect(binderPage.locator('.jp-NotebookPanel:visible .jp-Cell').first()).toContainText(
    'The Z boson in CMS dimuon events'
  );
  await binderPage.screenshot({ path: path.join(screenshots, 'binder-link-opened.png') });
  await binderPage.close();
});
