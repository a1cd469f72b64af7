// The "whole record on Dask" cell (issue 13): record text reaches the Python source only as string
// literals whose values are exactly the record's (read back with Python's own ast.literal_eval),
// whatever the title and file names hold; the file list is the record's ROOT files and indexes.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { daskLoaderCode } from '../../kernel-helpers/src/core/loader-dask';
import { REPO_ROOT } from '../support/shared-data';

const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
const HOSTILE = "A \"title\" ''' \\ \n\r\t \u2028 \u202e}{print(1)} # not a comment";

/** The values Python sees for the cell's literal assignments (and that the cell parses). */
function literals(source: string): Record<string, unknown> {
  const script = [
    'import ast, json, sys',
    'tree = ast.parse(sys.stdin.read())',
    'out = {}',
    'for node in tree.body:',
    '    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):',
    '        try:',
    '            out[node.targets[0].id] = ast.literal_eval(node.value)',
    '        except ValueError:',
    '            pass',
    'print(json.dumps(out))'
  ].join('\n');
  return JSON.parse(execFileSync(PYTHON, ['-c', script], { input: source, encoding: 'utf8' }));
}

test('record text stays in string literals with exactly its value', () => {
  // (no # or ?: a URL's fragment or query is not part of its file name)
  const weird =
    'root://eospublic.cern.ch//eos/opendata/cms/x "y" \\ \n\'\u2028 \u202e}{print(1)}.root';
  const index = 'root://eospublic.cern.ch//eos/opendata/cms/CMS_x\u2028_file_index.json';
  const cell = daskLoaderCode(
    {
      recid: '12345',
      title: HOSTILE,
      files: [
        { uri: weird, size: 10, checksum: null },
        { uri: index, type: 'index.json' },
        { uri: index.replace(/\.json$/, '.txt'), type: 'index.txt' },
        { uri: 'root://eospublic.cern.ch//eos/opendata/cms/README.txt' }
      ]
    },
    { portal: 'https://portal.example/"); import os #' }
  );
  expect(cell.language).toBe('python');
  expect(cell.metadata).toEqual({ opendata_lab: { recid: '12345', file: null } });
  const values = literals(cell.source);
  expect(values.record_12345).toEqual({ recid: '12345', title: HOSTILE });
  expect(values._listed).toEqual([weird]);
  // the JSON index only: its .txt twin lists the same files
  expect(values._indexes).toEqual([index]);
  expect(values.PORTAL).toBe('https://portal.example/"); import os #');
  expect(values.PROTOCOL).toBe('https');
});

test('names taken in the notebook get a suffix; a record without ROOT files is refused', () => {
  const record = { recid: 7, files: [{ uri: 'https://x/a.root' }] };
  expect(daskLoaderCode(record).source).toContain('files_7 = ');
  const again = daskLoaderCode(record, { taken: new Set(['counts_7']) }).source;
  expect(again).toContain('files_7_2 = ');
  expect(again).not.toMatch(/\bfiles_7 = /);
  expect(() => daskLoaderCode({ recid: 8, files: [{ uri: 'https://x/a.csv' }] })).toThrow(
    /record 8: no ROOT files or file indexes/
  );
  expect(() => daskLoaderCode({ recid: '8; import os', files: [] })).toThrow(/numeric recid/);
});
