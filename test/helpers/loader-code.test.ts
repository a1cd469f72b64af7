// Loader cells: the right file and reader per language, and record fields only ever as string
// literals — checked by parsing the generated code with tslab's TypeScript and Python's ast.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as ts from '@tslab/typescript-for-tslab';
import {
  BUNDLED_SAMPLES,
  loaderCode,
  loaderLanguageOf,
  pythonString,
  typescriptString,
  type LoaderCell,
  type LoaderRecord
} from '../../kernel-helpers/src/core';
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
    expect(py.source).toContain('uproot.open(data_path("events", "Zmumu.root"))');
    expect(py.source).toContain('tree = file["events"]');
    expect(py.source).toContain('tree.num_entries');
    const tsCell = loaderCode({ recid: 1 }, { language: 'typescript', file: 'Zmumu.root' });
    expect(tsCell.source).toContain('od.openROOT(od.dataPath("events", "Zmumu.root"))');
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

  it('maps kernel languages', () => {
    expect(loaderLanguageOf('typescript')).toBe('typescript');
    expect(loaderLanguageOf('python')).toBe('python');
    expect(loaderLanguageOf('python3')).toBe('python');
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
              if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) == "record")
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

  it('TypeScript: the bundled-sample loader type-checks against the helpers as tslab would', () => {
    const diagnostics = typecheck(loaderCode(evil, { language: 'typescript' }).source);
    expect(diagnostics).toEqual([]);
  });

  it('TypeScript: evaluating the record literal gives back the exact field values', () => {
    const source = loaderCode(evil, { language: 'typescript' }).source;
    const line = source.split('\n').find(l => l.startsWith('const record = '))!;
    const js = ts.transpileModule(`${line}\nexport default record;`, {
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
