// Loader cells: the right file and reader per language, and record fields only ever as string
// literals — checked by parsing the generated code with tslab's TypeScript and Python's ast.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as ts from '@tslab/typescript-for-tslab';
import {
  BUNDLED_SAMPLES,
  loadedSummary,
  loaderCode,
  loaderLanguageOf,
  percentEncodedUrl,
  pythonString,
  typescriptKernelOf,
  typescriptString,
  type LoaderCell,
  type LoaderRecord
} from '../../kernel-helpers/src/core';
import { readCSV } from '../../kernel-helpers/src/node/csv';
import { REPO_ROOT, sharedPath } from '../support/shared-data';

const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');

function fixtureRecord(file: string, recid: string): LoaderRecord & Record<string, unknown> {
  const records = JSON.parse(fs.readFileSync(sharedPath('records', 'fixtures', file), 'utf8')) as {
    recid: string;
  }[];
  const record = records.find(r => String(r.recid) === recid);
  if (!record) throw new Error(`${file}: no record ${recid}`);
  return record as LoaderRecord & Record<string, unknown>;
}

// Real records: 5200 (H→4ℓ candidate CSVs, bundled) and 545 (Run2011A derived CSVs).
const r5200 = fixtureRecord('cms-derived-csv-2012.json', '5200');
const r545 = fixtureRecord('cms-derived-csv-Run2011A.json', '545');

/** Every way out of a string literal we know of, in TypeScript and Python. */
const PAYLOAD = [
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(document.cookie)">',
  `"; process.exit(3); "`,
  `'; import os; os.system("id"); '`,
  '`${process.exit(4)}`',
  '${globalThis.pwned = 1}',
  '"""\'\'\' \\" \\\\ \\n',
  'line one\nline two\r\nthree',
  'sep\u2028para\u2029',
  'nul\u0000bell\u0007del\u007f',
  'rtl\u202eoverride\u200bzero-width',
  'lone \ud800 surrogate',
  '*/ // # -- comments',
  'emoji 🎉 μ→μμ',
  '\\u0022 \\x22 \\N{QUOTATION MARK}'
].join(' | ');

const evil: LoaderRecord = { ...r5200, title: PAYLOAD, doi: `${r5200.doi}"\n\`` };

describe('loaderCode picks the file and reader', () => {
  it('loads a record with a bundled copy from the local sample, in both languages', () => {
    const tsCell = loaderCode(r5200, { language: 'typescript' });
    const pyCell = loaderCode(r5200, { language: 'python' });
    // The first bundled sample of record 5200 in data/README.md's list is 4mu_2012.csv.
    expect(tsCell.metadata).toEqual({ opendata_lab: { recid: '5200', file: '4mu_2012.csv' } });
    expect(pyCell.metadata).toEqual({ opendata_lab: { recid: '5200', file: '4mu_2012.csv' } });
    expect(tsCell.source).toContain('od.readCSV(od.dataPath("events", "4mu_2012.csv"))');
    expect(pyCell.source).toContain('pd.read_csv(data_path("events", "4mu_2012.csv"))');
    expect(fs.existsSync(path.join(REPO_ROOT, 'data', 'events', '4mu_2012.csv'))).toBe(true);
  });

  it('maps a record file to its bundled copy by record and name', () => {
    const zmumu = (r545.files as { uri: string }[]).find(f => f.uri.endsWith('/Zmumu.csv'))!;
    const cell = loaderCode(r545, { language: 'python', file: zmumu.uri });
    expect(cell.metadata.opendata_lab.file).toBe('Zmumu_Run2011A.csv');
    // Another file of the same record has no bundled copy: it is fetched over HTTP.
    const wenu = (r545.files as { uri: string }[]).find(f => f.uri.endsWith('/Wenu.csv'))!;
    const remote = loaderCode(r545, { language: 'python', file: wenu.uri });
    expect(remote.metadata.opendata_lab.file).toBe(wenu.uri);
    expect(remote.source).toContain(
      'pd.read_csv("https://opendata.cern.ch/eos/opendata/cms/Run2011A/SingleElectron/CSV/12Oct2013-v1/Wenu.csv")'
    );
    const tsRemote = loaderCode(r545, { language: 'typescript', file: wenu.uri });
    expect(tsRemote.source).toContain('od.downloadFile({ uri: "https://opendata.cern.ch/eos/');
    expect(tsRemote.source).toContain('size: 9992209, checksum: "adler32:1b06bb5d"');
  });

  it('every bundled sample exists in data/events', () => {
    for (const sample of BUNDLED_SAMPLES) {
      expect(fs.existsSync(path.join(REPO_ROOT, 'data', 'events', sample.name))).toBe(true);
    }
  });

  it('reads ROOT samples with uproot and the helpers', () => {
    const py = loaderCode({ recid: 1 }, { language: 'python', file: 'Zmumu.root' });
    expect(py.source).toContain('file_zmumu = uproot.open(data_path("events", "Zmumu.root"))');
    expect(py.source).toContain('tree_zmumu = file_zmumu["events"]');
    expect(py.source).toContain('events_zmumu = tree_zmumu.arrays()');
    const tsCell = loaderCode({ recid: 1 }, { language: 'typescript', file: 'Zmumu.root' });
    expect(tsCell.source).toContain(
      'const file_zmumu = await od.openROOT(od.dataPath("events", "Zmumu.root"))'
    );
  });

  it('a record without a loadable file gets a metadata loader; unknown formats and recids are refused', () => {
    const software = fixtureRecord('cms-derived-csv-2012.json', '5200');
    const noFiles = { ...software, recid: '5500', files: [] };
    const cell = loaderCode(noFiles, { language: 'python' });
    expect(cell.metadata.opendata_lab).toEqual({ recid: '5500', file: null });
    expect(cell.source).toContain('"https://opendata.cern.ch/api/records/5500"');
    expect(() => loaderCode(r5200, { language: 'python', file: 'x/Hto4l_2011A.ig' })).toThrow(
      /record 5200: no loader for Hto4l_2011A\.ig/
    );
    expect(() => loaderCode({ recid: '1; rm -rf /' }, { language: 'python' })).toThrow(
      /numeric recid/
    );
  });

  it('TypeScript metadata loader: no `await (await …)` (tslab cannot run it), one await a statement', () => {
    const source = loaderCode({ recid: '5500' }, { language: 'typescript' }).source;
    expect(source).toContain('const catalog_5500 = await od.catalog();');
    expect(source).toContain('const metadata_5500 = await catalog_5500.get(record_5500.recid);');
    expect(source).not.toMatch(/await\s*\(/);
    // A notebook that already has catalog_5500 gets the next set of names.
    const second = loaderCode(
      { recid: '5500' },
      { language: 'typescript', taken: new Set(['catalog_5500']) }
    );
    expect(second.source).toContain('const catalog_5500_2 = await od.catalog();');
  });

  it('Python: a file URL is percent-encoded (a space, %, ü, a ? in the name), the shown name is not', () => {
    const name = 'Zmumu sample 100% ü?.root';
    const uri = `root://eospublic.cern.ch//eos/opendata/cms/x/${name}`;
    const encoded =
      'https://opendata.cern.ch/eos/opendata/cms/x/Zmumu%20sample%20100%25%20%C3%BC%3F.root';
    expect(percentEncodedUrl(uri)).toBe(encoded);
    expect(percentEncodedUrl(uri, 'https://127.0.0.1:8443/')).toBe(
      encoded.replace('https://opendata.cern.ch', 'https://127.0.0.1:8443')
    );
    // An http(s) URI is a URL already: its escapes and query stay, raw characters are encoded.
    expect(percentEncodedUrl('https://example.org/a b/c%20d/50%?x=1&y=ü')).toBe(
      'https://example.org/a%20b/c%20d/50%25?x=1&y=%C3%BC'
    );
    expect(percentEncodedUrl('https://example.org/lone\ud800.csv')).toBe(
      'https://example.org/lone%EF%BF%BD.csv'
    );
    // (A `?` would end the file name for fileName, so the record's file has none.)
    const fileUri = uri.replace('?', '');
    const fileUrl = encoded.replace('%3F', '');
    const cell = loaderCode({ recid: '700', files: [{ uri: fileUri }] }, { language: 'python' });
    expect(cell.metadata.opendata_lab.file).toBe(fileUri);
    expect(cell.source).toContain(`uproot.open("${fileUrl}")`);
    expect(pythonShape(cell.source).strings).toContain(name.replace('?', ''));
    const csv = loaderCode(
      { recid: '700', files: [{ uri: fileUri.replace('.root', '.csv') }] },
      { language: 'python' }
    );
    expect(csv.source).toContain(`pd.read_csv("${fileUrl.replace('.root', '.csv')}")`);
  });

  it('maps kernel languages', () => {
    expect(loaderLanguageOf('typescript')).toBe('typescript');
    expect(loaderLanguageOf('python')).toBe('python');
    expect(loaderLanguageOf('python3')).toBe('python');
    // Deno's kernelspec is named `deno` (its own install's name, and this project's); the wheel's
    // is `opendata-lab-deno`.
    expect(loaderLanguageOf('deno')).toBe('typescript');
    expect(loaderLanguageOf('Deno')).toBe('typescript');
    expect(loaderLanguageOf('opendata-lab-deno')).toBe('typescript');
    expect(typescriptKernelOf('deno')).toBe('deno');
    expect(typescriptKernelOf('opendata-lab-deno')).toBe('deno');
    expect(typescriptKernelOf('tslab')).toBe('tslab');
    expect(typescriptKernelOf(undefined)).toBe('tslab');
    expect(loaderLanguageOf('R')).toBeNull();
    expect(loaderLanguageOf(undefined)).toBeNull();
  });
});

/** The value of every string literal and the kind of every node, in source order. */
function typescriptShape(source: string): { kinds: string[]; strings: string[]; errors: string[] } {
  const file = ts.createSourceFile(
    'cell.ts',
    source,
    ts.ScriptTarget.ES2022,
    true,
    ts.ScriptKind.TS
  );
  const kinds: string[] = [];
  const strings: string[] = [];
  const visit = (node: ts.Node): void => {
    kinds.push(ts.SyntaxKind[node.kind]);
    if (ts.isStringLiteral(node)) strings.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return {
    kinds,
    strings,
    errors: diagnostics.map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  };
}

/** Type-checks a cell as tslab does (node10 resolution, top-level await) against the helpers' types. */
function typecheck(source: string): string[] {
  const file = path.join(REPO_ROOT, 'build', 'loader-cell.ts');
  const host = ts.createCompilerHost({});
  const read = host.readFile.bind(host);
  host.readFile = name => (path.resolve(name) === file ? source : read(name));
  const exists = host.fileExists.bind(host);
  host.fileExists = name => path.resolve(name) === file || exists(name);
  const program = ts.createProgram(
    [file],
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.NodeJs,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node']
    },
    host
  );
  return ts
    .getPreEmitDiagnostics(program)
    .map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Python's view of a cell: syntax check, node kinds, the `record` dict, every str constant. */
function pythonShape(source: string): { kinds: string[]; strings: string[]; record: unknown } {
  const script = `
import ast, json, sys
tree = ast.parse(sys.stdin.read())
kinds = [type(n).__name__ for n in ast.walk(tree)]
strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
record = next(ast.literal_eval(n.value) for n in tree.body
              if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "").startswith("record_"))
print(json.dumps({"kinds": kinds, "strings": strings, "record": record}))
`;
  // Lone surrogates cannot cross as UTF-8: Python reports them through json's \\u escapes.
  const out = execFileSync(PYTHON, ['-X', 'utf8', '-c', script], {
    input: source,
    encoding: 'utf8'
  });
  return JSON.parse(out);
}

describe('record fields enter the code only as string literals', () => {
  const benign: LoaderRecord = { ...r5200, title: 'plain title', doi: 'plain doi' };

  it('escapes every character Python and TypeScript could misread', () => {
    expect(pythonString('a"b\\c\nd\u2028e\u202e\u0000')).toBe(
      '"a\\"b\\\\c\\nd\\u2028e\\u202e\\x00"'
    );
    expect(typescriptString('a\u2028b\u2029')).toBe('"a\\u2028b\\u2029"');
    // Printable non-ASCII stays readable.
    expect(pythonString('μ→μμ 🎉')).toBe('"μ→μμ 🎉"');
  });

  it('TypeScript: parses with tslab TypeScript to the same tree as a benign record, with the payload as the value', () => {
    const cell = loaderCode(evil, { language: 'typescript' });
    const shape = typescriptShape(cell.source);
    expect(shape.errors).toEqual([]);
    expect(shape.kinds).toEqual(
      typescriptShape(loaderCode(benign, { language: 'typescript' }).source).kinds
    );
    expect(shape.strings).toContain(PAYLOAD);
    expect(shape.strings).toContain(evil.doi);
    // The generated source holds no raw separator or control character at all.
    expect(cell.source).not.toMatch(/[\u2028\u2029\u202e\u200b\ud800]/);
    expect(cell.source).not.toContain('\u0000');
  });

  it("Deno: the same tree as tslab's loader but the import, the payload still only a literal", () => {
    const deno = loaderCode(evil, { language: 'typescript', kernel: 'deno' });
    const tslab = loaderCode(evil, { language: 'typescript' });
    const shape = typescriptShape(deno.source);
    expect(shape.errors).toEqual([]);
    expect(shape.strings).toContain(PAYLOAD);
    expect(shape.strings).toContain(evil.doi);
    // Only the first line differs: Deno imports the kernel's bundle or the package dynamically.
    const [denoImport, ...denoRest] = deno.source.split('\n');
    const [tslabImport, ...tslabRest] = tslab.source.split('\n');
    expect(denoRest).toEqual(tslabRest);
    expect(tslabImport).toBe('import * as od from "@opendata-lab/kernel-helpers";');
    expect(denoImport).toBe(
      'const od = await import(Deno.env.get("OPENDATA_LAB_HELPERS") ?? "@opendata-lab/kernel-helpers");'
    );
    expect(deno.metadata).toEqual(tslab.metadata);
  });

  it('TypeScript: the bundled-sample loader type-checks against the helpers as tslab would', () => {
    const diagnostics = typecheck(loaderCode(evil, { language: 'typescript' }).source);
    expect(diagnostics).toEqual([]);
  });

  it('TypeScript: CSV, ROOT, download and metadata loaders type-check together in one cell', () => {
    // One source for all four: their variables must not collide (a redeclaration is an error).
    const wenu = (r545.files as { uri: string }[]).find(f => f.uri.endsWith('/Wenu.csv'))!;
    const sources = [
      loaderCode(evil, { language: 'typescript' }),
      loaderCode(r545, { language: 'typescript', file: wenu.uri }),
      loaderCode({ recid: 1 }, { language: 'typescript', file: 'Zmumu.root' }),
      loaderCode({ recid: '5500' }, { language: 'typescript' })
    ].map((cell, i) => (i === 0 ? cell.source : cell.source.split('\n').slice(1).join('\n')));
    expect(typecheck(sources.join('\n'))).toEqual([]);
  });

  it('TypeScript: evaluating the record literal gives back the exact field values', () => {
    const source = loaderCode(evil, { language: 'typescript' }).source;
    const line = source.split('\n').find(l => l.startsWith('const record_5200 = '))!;
    const js = ts.transpileModule(`${line}\nexport default record_5200;`, {
      compilerOptions: { module: ts.ModuleKind.CommonJS }
    }).outputText;
    const exports: { default?: { recid: string; title: string; doi: string } } = {};
    new Function('exports', js)(exports);
    expect(exports.default).toEqual({ recid: '5200', title: PAYLOAD, doi: evil.doi });
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('Python: ast.parse accepts it, the tree matches a benign record, literal_eval gives back the fields', () => {
    for (const file of [undefined, 'Zmumu.root']) {
      const cell: LoaderCell = loaderCode(evil, { language: 'python', file });
      const shape = pythonShape(cell.source);
      expect(shape.kinds).toEqual(
        pythonShape(loaderCode(benign, { language: 'python', file }).source).kinds
      );
      expect(shape.record).toEqual({ recid: '5200', title: PAYLOAD, doi: evil.doi });
      expect(shape.strings).toContain(PAYLOAD);
      expect(cell.source).not.toMatch(/[\u2028\u2029\u202e\u200b\ud800]/);
      expect(cell.source).not.toContain('\u0000');
    }
  });
});

describe('loader variables: one set per file, never rebinding a name the notebook uses', () => {
  const zmumuCsv = (r545.files as { uri: string }[]).find(f => f.uri.endsWith('/Zmumu.csv'))!;
  const wenu = (r545.files as { uri: string }[]).find(f => f.uri.endsWith('/Wenu.csv'))!;

  it('names the variables after the file (and the record), in both languages', () => {
    const ts4mu = loaderCode(r5200, { language: 'typescript' }).source;
    expect(ts4mu).toContain('const record_5200 = {');
    expect(ts4mu).toContain('const table_4mu_2012 = od.readCSV(');
    const tsWenu = loaderCode(r545, { language: 'typescript', file: wenu.uri }).source;
    expect(tsWenu).toContain('const download_wenu = await od.downloadFile(');
    expect(tsWenu).toContain('const table_wenu = od.readCSV(download_wenu.path);');
    const pyWenu = loaderCode(r545, { language: 'python', file: wenu.uri }).source;
    expect(pyWenu).toContain('table_wenu = pd.read_csv("https://opendata.cern.ch/eos/');
    const meta = loaderCode({ recid: '5500' }, { language: 'python' }).source;
    expect(meta).toContain('metadata_5500 = json.load(answer)["metadata"]');
  });

  it('numbers them when the notebook already uses one of its names', () => {
    const first = loaderCode(r545, { language: 'typescript', file: zmumuCsv.uri });
    expect(first.source).toContain('const table_zmumu = ');
    // The bundled Zmumu.csv (another file, same stem) must not take table_zmumu again.
    const taken = new Set(['od', 'record_545', 'table_zmumu', 'console', 'log']);
    const second = loaderCode({ recid: 1 }, { language: 'typescript', file: 'Zmumu.csv', taken });
    expect(second.source).toContain('const record_1_2 = ');
    expect(second.source).toContain('const table_zmumu_2 = od.readCSV(');
    expect(second.source).not.toMatch(/const (table_zmumu|record_1) =/);
    const third = loaderCode(
      { recid: 1 },
      { language: 'python', file: 'Zmumu.csv', taken: new Set([...taken, 'table_zmumu_2']) }
    );
    expect(third.source).toContain('table_zmumu_3 = pd.read_csv(');
    // Names that are not the cell's own (imports, other records) do not matter.
    const free = loaderCode(r5200, { language: 'python', taken: new Set(['pd', 'np', 'table']) });
    expect(free.source).toContain('table_4mu_2012 = pd.read_csv(');
  });

  it('a hostile file name gives an ASCII identifier and stays a string literal where it is shown', () => {
    const uri = `root://eospublic.cern.ch//eos/opendata/x/${encodeURIComponent('a')}"; process.exit(5); \`\${x}\u2028 ü-1.csv`;
    const hostile = { ...r5200, files: [{ uri }] };
    const tsCell = loaderCode(hostile, { language: 'typescript', file: uri });
    const declared = tsCell.source.match(/^const (\w+) = od\.readCSV/m)![1];
    expect(declared).toMatch(/^table_[a-z0-9_]+$/);
    expect(declared).toBe('table_a_process_exit_5_x_1');
    const shape = typescriptShape(tsCell.source);
    expect(shape.errors).toEqual([]);
    expect(shape.strings).toContain(uri.slice(uri.lastIndexOf('/') + 1));
    expect(tsCell.source).not.toMatch(/[\u2028]/);
    const pyCell = loaderCode(hostile, { language: 'python', file: uri });
    const py = pythonShape(pyCell.source);
    expect(py.strings).toContain(uri.slice(uri.lastIndexOf('/') + 1));
    expect(py.kinds).toEqual(
      pythonShape(loaderCode(r5200, { language: 'python', file: r5200.files![4].uri }).source).kinds
    );
  });
});

describe('loadedSummary: what a TypeScript loader prints after loading', () => {
  const header = (file: string) =>
    fs
      .readFileSync(path.join(REPO_ROOT, 'data', 'events', file), 'utf8')
      .split(/\r?\n/)[0]
      .split(',');
  const rows = (file: string) =>
    fs
      .readFileSync(path.join(REPO_ROOT, 'data', 'events', file), 'utf8')
      .trim()
      .split('\n').length - 1;

  it('rows, every column with its type, and a histogram of the mass column M', () => {
    const table = readCSV(path.join(REPO_ROOT, 'data', 'events', '4mu_2012.csv'));
    const text = loadedSummary(table, 'table_4mu_2012', { from: '4mu_2012.csv' });
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      `${rows('4mu_2012.csv')} rows × ${header('4mu_2012.csv').length} columns in table_4mu_2012 (from 4mu_2012.csv):`
    );
    const listed = lines[1].trim().split(', ');
    expect(listed.map(c => c.split(' ')[0])).toEqual(header('4mu_2012.csv'));
    expect(listed).toContain('M Float64');
    expect(listed).toContain('Run Int32');
    expect(lines[2]).toBe('A histogram of M, next:');
    // The bins cover every value of M (min and max from an independent parse of the file).
    const m = fs
      .readFileSync(path.join(REPO_ROOT, 'data', 'events', '4mu_2012.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map(line => Number(line.split(',').at(-1)));
    const hint =
      /^ {2}od\.show\(od\.histogramFigure\(new od\.Hist1D\(50, ([-\d.e]+), ([-\d.e]+)\)\.fill\(od\.numericColumn\(table_4mu_2012, "M"\)\), \{ xTitle: "M" \}\)\);$/.exec(
        lines[3]
      );
    expect(hint).not.toBeNull();
    expect(Number(hint![1])).toBeLessThanOrEqual(Math.min(...m));
    expect(Number(hint![2])).toBeGreaterThan(Math.max(...m));
    expect(lines).toHaveLength(4);
  });

  it('without a mass column, the first floating-point column (Zmumu_Run2011A: pt1)', () => {
    const table = readCSV(path.join(REPO_ROOT, 'data', 'events', 'Zmumu_Run2011A.csv'));
    const cols = header('Zmumu_Run2011A.csv');
    expect(cols).not.toContain('M');
    const text = loadedSummary(table, 'table_zmumu');
    expect(text.split('\n')[2]).toBe('A histogram of pt1, next:');
    expect(text).toContain('od.numericColumn(table_zmumu, "pt1")');
  });
});
