// Loader cells: record (+ a chosen file) + kernel language → the source of a code cell that loads
// it, TypeScript for tslab and Deno (the helpers) or Python for ipykernel (uproot, pandas). Record
// fields are untrusted: they enter code only as escaped string literals, never as code or comments.
// The two TypeScript kernels differ only in how the helpers are imported (see TYPESCRIPT_IMPORTS).
// Neither kernel minds a `const` declared again when a cell is run again.
import { DataType, type Table } from 'apache-arrow';
import { OpenDataError } from './errors';
import { flatNumbers } from './physics';
import { PORTAL_URL } from './portal-catalog';
import { EOS_PUBLIC_PREFIX, fileName, toHttpUri } from './record-files';

export type LoaderLanguage = 'typescript' | 'python';
export const LOADER_LANGUAGES: LoaderLanguage[] = ['typescript', 'python'];

/** The kernel a TypeScript loader runs in: tslab (Node) or Deno's (`deno jupyter`). */
export type TypeScriptKernel = 'tslab' | 'deno';

/**
 * The line that imports the helpers as `od`, per kernel. tslab (Node) resolves the package name
 * from the node_modules above the notebook. Deno resolves it only through a package.json that
 * lists it (a project set up with npm, as this repository); the wheel's Deno kernel has none and
 * passes its bundle's file URL in OPENDATA_LAB_HELPERS instead, so a Deno loader imports that when
 * it is set (an `npm:` specifier would ask the npm registry, where the helpers are not published).
 */
export const TYPESCRIPT_IMPORTS: Record<TypeScriptKernel, string> = {
  tslab: 'import * as od from "@opendata-lab/kernel-helpers";',
  deno: 'const od = await import(Deno.env.get("OPENDATA_LAB_HELPERS") ?? "@opendata-lab/kernel-helpers");'
};

/** A sample file shipped in the bundled data's `events/` directory, so its loader works offline. */
export interface BundledSample {
  /** File name in `data/events/`. */
  name: string;
  format: 'csv' | 'root';
  /** The TTree a ROOT loader reads. */
  tree?: string;
  /** The portal record and file (name) this sample is a copy of, when it is one. */
  recid?: string;
  portalName?: string;
}

/** The bundled samples (data/README.md): copies of portal files load locally, offline. */
export const BUNDLED_SAMPLES: readonly BundledSample[] = [
  { name: 'Zmumu.root', format: 'root', tree: 'events' },
  { name: 'Zmumu.csv', format: 'csv' },
  { name: 'Zmumu_Run2011A.csv', format: 'csv', recid: '545', portalName: 'Zmumu.csv' },
  { name: '4mu_2012.csv', format: 'csv', recid: '5200', portalName: '4mu_2012.csv' },
  { name: '4e_2012.csv', format: 'csv', recid: '5200', portalName: '4e_2012.csv' },
  { name: '2e2mu_2011.csv', format: 'csv', recid: '5200', portalName: '2e2mu_2011.csv' }
];

/** What a loader reads from a record: a full record, an API answer's metadata or a summary. */
export interface LoaderRecord {
  recid: string | number;
  title?: string;
  doi?: string;
  files?: { uri?: string; size?: number | null; checksum?: string | null; type?: string }[];
}

export interface LoaderOptions {
  language: LoaderLanguage;
  /**
   * The file to load: a URI from the record's `files`, or a bundled sample's name. Default: the
   * record's bundled sample, else its first CSV or ROOT file, else a loader of its metadata.
   */
  file?: string;
  /** Where `root://eospublic…` URIs and record metadata are fetched from. */
  portal?: string;
  /**
   * Names the notebook already uses (see the extension's namesInNotebook): the cell's variables
   * get a numbered suffix instead of rebinding one of them.
   */
  taken?: ReadonlySet<string>;
  /** For a TypeScript loader: the kernel it runs in (default tslab; see typescriptKernelOf). */
  kernel?: TypeScriptKernel;
}

/** The cell to insert: its source and the metadata that names the record it loads. */
export interface LoaderCell {
  language: LoaderLanguage;
  source: string;
  metadata: { opendata_lab: { recid: string; file: string | null } };
}

type Format = 'csv' | 'root';

/** Where the loaded bytes come from: a bundled sample or a file of the portal. */
type Target =
  | { kind: 'sample'; sample: BundledSample }
  | {
      kind: 'remote';
      uri: string;
      url: string;
      format: Format;
      size: number | null;
      checksum: string | null;
    }
  | { kind: 'metadata' };

/** Kernelspec names and languages whose loader is TypeScript: tslab's and Deno's kernels. */
const TYPESCRIPT_KERNELS = new Set(['typescript', 'ts', 'tslab', 'jslab', 'deno']);

/** The kernel language a loader is written in, from a kernelspec's language or name; null if none fits. */
export function loaderLanguageOf(kernelLanguage: string | undefined | null): LoaderLanguage | null {
  const name = String(kernelLanguage ?? '').toLowerCase();
  if (TYPESCRIPT_KERNELS.has(name) || typescriptKernelOf(name) === 'deno') return 'typescript';
  if (name === 'python' || name.startsWith('python')) return 'python';
  return null;
}

/**
 * The TypeScript kernel a kernelspec name stands for: Deno's for `deno` (Deno's own install and
 * this project's) and names holding it (the wheel's `opendata-lab-deno`), else tslab.
 */
export function typescriptKernelOf(kernelName: string | undefined | null): TypeScriptKernel {
  return /deno/i.test(String(kernelName ?? '')) ? 'deno' : 'tslab';
}

/** The bundled sample a record's file is a copy of, or a sample by its own name. */
export function bundledSample(recid: string | number | null, file: string): BundledSample | null {
  const name = fileName(file);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(file)) {
    const own = BUNDLED_SAMPLES.find(s => s.name === file);
    if (own) return own;
  }
  return BUNDLED_SAMPLES.find(s => s.recid === String(recid) && s.portalName === name) ?? null;
}

function formatOf(uri: string): Format | null {
  const name = fileName(uri).toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.root')) return 'root';
  return null;
}

function chooseTarget(record: LoaderRecord, options: LoaderOptions): Target {
  const recid = String(record.recid);
  const files = (record.files ?? []).filter(
    (f): f is { uri: string; size?: number | null; checksum?: string | null; type?: string } =>
      typeof f?.uri === 'string' && !f.type?.startsWith('index')
  );
  const remote = (f: (typeof files)[number], format: Format): Target => ({
    kind: 'remote',
    uri: f.uri,
    url: toHttpUri(f.uri, options.portal),
    format,
    size: typeof f.size === 'number' ? f.size : null,
    checksum: typeof f.checksum === 'string' ? f.checksum : null
  });
  if (options.file !== undefined) {
    const sample = bundledSample(recid, options.file);
    if (sample) return { kind: 'sample', sample };
    const format = formatOf(options.file);
    if (!format) {
      throw new OpenDataError(
        'E_UNSUPPORTED',
        `record ${recid}: no loader for ${fileName(options.file)} (CSV and ROOT files load)`
      );
    }
    const listed = files.find(f => f.uri === options.file);
    return remote(listed ?? { uri: options.file }, format);
  }
  const sample = BUNDLED_SAMPLES.find(s => s.recid === recid);
  if (sample) return { kind: 'sample', sample };
  for (const f of files) {
    const format = formatOf(f.uri);
    if (format) return remote(f, format);
  }
  return { kind: 'metadata' };
}

/** The source of a loader cell for `record` in the kernel's language. */
export function loaderCode(record: LoaderRecord, options: LoaderOptions): LoaderCell {
  const recid = String(record.recid ?? '').trim();
  if (!/^\d+$/.test(recid)) {
    throw new OpenDataError(
      'E_USAGE',
      `loader: a record needs a numeric recid (got ${JSON.stringify(recid)})`
    );
  }
  const target = chooseTarget({ ...record, recid }, options);
  const fields = { recid, title: record.title ?? '', doi: record.doi ?? '' };
  const names = loaderNames(recid, target, options.language, options.taken ?? new Set());
  const source =
    options.language === 'typescript'
      ? typescriptLoader(fields, target, options.portal ?? PORTAL_URL, names, options.kernel)
      : pythonLoader(fields, target, options.portal ?? PORTAL_URL, names);
  const file =
    target.kind === 'sample' ? target.sample.name : target.kind === 'remote' ? target.uri : null;
  return { language: options.language, source, metadata: { opendata_lab: { recid, file } } };
}

/** The variables a loader cell binds, by role. */
interface Names {
  record: string;
  /** CSV: the table; ROOT: the file, its tree and the table read from it; metadata: the answer. */
  table: string;
  file: string;
  tree: string;
  download: string;
  metadata: string;
  files: string;
  /** TypeScript metadata loader: the catalog it reads the record from. */
  catalog: string;
}

/**
 * Variable names for one loader: the file's name (or the recid) as a suffix, so loaders of
 * different files keep their own variables; `_2`, `_3`, … when the notebook already uses one of
 * them. Record text never reaches these names unfiltered: only [a-z0-9_] survive.
 */
function loaderNames(
  recid: string,
  target: Target,
  language: LoaderLanguage,
  taken: ReadonlySet<string>
): Names {
  const stem =
    target.kind === 'metadata'
      ? recid
      : identifierPart(
          fileName(
            target.kind === 'sample' ? (target.sample.portalName ?? target.sample.name) : target.uri
          ).replace(/\.[^.]*$/, '')
        ) || recid;
  const tableWord = targetFormat(target) === 'root' ? 'events' : 'table';
  for (let n = 1; ; n++) {
    const tail = n === 1 ? '' : `_${n}`;
    const names: Names = {
      record: `record_${recid}${tail}`,
      table: `${tableWord}_${stem}${tail}`,
      file: `file_${stem}${tail}`,
      tree: `tree_${stem}${tail}`,
      download: `download_${stem}${tail}`,
      metadata: `metadata_${stem}${tail}`,
      files: `files_${stem}${tail}`,
      catalog: `catalog_${stem}${tail}`
    };
    if (!boundNames(names, target, language).some(name => taken.has(name))) return names;
  }
}

/** The names a cell of this kind actually binds (the others are not checked against `taken`). */
function boundNames(names: Names, target: Target, language: LoaderLanguage): string[] {
  if (target.kind === 'metadata') {
    const out = [names.record, names.metadata, names.files];
    return language === 'typescript' ? [...out, names.catalog] : out;
  }
  const out = [names.record, names.table];
  if (targetFormat(target) === 'root') out.push(names.file, names.tree);
  if (target.kind === 'remote' && language === 'typescript') out.push(names.download);
  return out;
}

function targetFormat(target: Target): Format | null {
  return target.kind === 'sample'
    ? target.sample.format
    : target.kind === 'remote'
      ? target.format
      : null;
}

/** A file name as part of an identifier: lower-case ASCII letters, digits and single `_`. */
function identifierPart(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
}

interface Fields {
  recid: string;
  title: string;
  doi: string;
}

// Characters nobody should get raw in a literal: controls, separators (Zl/Zp/Zs), format
// characters such as bidi overrides, unassigned and private-use code points, lone surrogates.
const RAW_UNSAFE = /[\p{C}\p{Z}]/u;
const RAW_UNSAFE_ALL = /[\p{C}\p{Z}]/gu;

/**
 * A TypeScript (or JavaScript) string literal whose value is exactly `value`: JSON's escaping,
 * plus escapes for the characters above (JSON leaves U+2028, bidi controls and such raw).
 */
export function typescriptString(value: string): string {
  return JSON.stringify(value).replace(RAW_UNSAFE_ALL, ch => {
    if (ch === ' ') return ch;
    const code = ch.codePointAt(0) as number;
    return code <= 0xffff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\u{${code.toString(16)}}`;
  });
}

/** A Python string literal (double-quoted) whose value is exactly `value`. */
export function pythonString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === ' ' || !RAW_UNSAFE.test(ch)) out += ch;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

function typescriptLoader(
  fields: Fields,
  target: Target,
  portal: string,
  names: Names,
  kernel: TypeScriptKernel = 'tslab'
): string {
  const s = typescriptString;
  const lines = [
    TYPESCRIPT_IMPORTS[kernel],
    '',
    `const ${names.record} = { recid: ${s(fields.recid)}, title: ${s(fields.title)}, doi: ${s(fields.doi)} };`
  ];
  if (target.kind === 'metadata') {
    // Two statements: tslab's top-level await rewriting breaks on `await (await x).y()`.
    lines.push(
      `const ${names.catalog} = await od.catalog();`,
      `const ${names.metadata} = await ${names.catalog}.get(${names.record}.recid);`,
      `const ${names.files} = od.recordFiles(${names.metadata});`,
      `console.log(\`record \${${names.record}.recid}: \${${names.files}.files.length} files, \${${names.files}.indices.length} file indexes\`);`,
      `console.log(${s(`Next, their names: ${names.files}.files.map(f => f.uri)`)});`
    );
    return lines.join('\n');
  }
  let path: string;
  let shown: string;
  if (target.kind === 'sample') {
    path = `od.dataPath("events", ${s(target.sample.name)})`;
    shown = target.sample.name;
  } else {
    const item = [`uri: ${s(target.url)}`];
    if (target.size !== null) item.push(`size: ${target.size}`);
    if (target.checksum !== null) item.push(`checksum: ${s(target.checksum)}`);
    lines.push(
      '// Downloaded once into the cache (resumed, verified), then read locally.',
      `const ${names.download} = await od.downloadFile({ ${item.join(', ')} }, { portal: ${s(portal)} });`
    );
    path = `${names.download}.path`;
    shown = fileName(target.uri);
  }
  if (targetFormat(target) === 'csv') {
    lines.push(
      `const ${names.table} = od.readCSV(${path});`,
      `console.log(od.loadedSummary(${names.table}, ${s(names.table)}, { from: ${s(shown)} }));`
    );
  } else {
    const tree = target.kind === 'sample' ? target.sample.tree : undefined;
    lines.push(
      `const ${names.file} = await od.openROOT(${path});`,
      tree
        ? `const ${names.tree} = await ${names.file}.tree(${s(tree)});`
        : `const ${names.tree} = await ${names.file}.tree(${names.file}.treeNames[0]);`,
      `const ${names.table} = await ${names.tree}.read();`,
      `console.log(od.loadedSummary(${names.table}, ${s(names.table)}, { from: \`tree \${${names.tree}.name} of \${${s(shown)}}\`, rows: "entries" }));`
    );
  }
  return lines.join('\n');
}

/**
 * A record file's http(s) URL with every path character that is not URL-safe percent-encoded:
 * a `root://eospublic…` URI is a file path (each segment encoded whole, `%`, `?` and `#` too);
 * an http(s) URI is already a URL (only characters a URL cannot hold raw are encoded, and a `%`
 * that starts no escape).
 */
export function percentEncodedUrl(uri: string, portal: string = PORTAL_URL): string {
  // encodeURIComponent throws on a lone surrogate.
  const text = uri.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
  if (text.startsWith(EOS_PUBLIC_PREFIX)) {
    const path = text.slice(EOS_PUBLIC_PREFIX.length).replace(/^\/+/, '');
    return `${portal.replace(/\/+$/, '')}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }
  return toHttpUri(text, portal).replace(
    /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/gu,
    run => encodeURIComponent(run)
  );
}

function pythonLoader(fields: Fields, target: Target, portal: string, names: Names): string {
  const s = pythonString;
  const lines = [
    `${names.record} = {"recid": ${s(fields.recid)}, "title": ${s(fields.title)}, "doi": ${s(fields.doi)}}`
  ];
  if (target.kind === 'metadata') {
    const api = `${portal.replace(/\/+$/, '')}/api/records/${fields.recid}`;
    return [
      'import json',
      'import urllib.request',
      '',
      ...lines,
      `with urllib.request.urlopen(${s(api)}) as answer:`,
      `    ${names.metadata} = json.load(answer)["metadata"]`,
      `${names.files} = ${names.metadata}.get("files", [])`,
      `print(f"record {${names.record}['recid']}: {len(${names.files})} files")`,
      `print(${s(`Next, their names: [f['uri'] for f in ${names.files}]`)})`
    ].join('\n');
  }
  const format = targetFormat(target);
  const imports =
    format === 'csv'
      ? ['import numpy as np', 'import pandas as pd']
      : ['import awkward as ak', 'import numpy as np', 'import uproot'];
  let path: string;
  let shown: string;
  if (target.kind === 'sample') {
    imports.push('from opendata_lab import data_path');
    path = `data_path("events", ${s(target.sample.name)})`;
    shown = target.sample.name;
  } else {
    // Python's URL openers (urllib for pandas, aiohttp for uproot) take no raw spaces or such.
    path = s(percentEncodedUrl(target.uri, portal));
    shown = fileName(target.uri);
  }
  const t = names.table;
  // What was loaded (every column and its type), then a histogram of a real column to start from:
  // a mass (M, mass) when there is one, else the first floating-point column, else an integer one
  // (the same choice as loadedSummary's for TypeScript).
  if (format === 'csv') {
    lines.push(
      `${t} = pd.read_csv(${path})`,
      `print(f"{len(${t})} rows × {${t}.shape[1]} columns in ${t} (from " + ${s(shown)} + "):")`,
      `print("  " + ", ".join(f"{name} {dtype}" for name, dtype in ${t}.dtypes.items()))`,
      `_numeric = [*${t}.select_dtypes("floating").columns, *${t}.select_dtypes("integer").columns]`,
      `_column = next((c for c in _numeric if str(c).lower() in ("m", "mass")), _numeric[0] if _numeric else None)`,
      'if _column is not None:',
      `    print(f"A histogram of {_column}, next:\\n  counts, edges = np.histogram(${t}[{_column!r}], bins=50)")`,
      'del _numeric, _column'
    );
  } else {
    const tree = target.kind === 'sample' ? target.sample.tree : undefined;
    lines.push(
      `${names.file} = uproot.open(${path})`,
      tree
        ? `${names.tree} = ${names.file}[${s(tree)}]`
        : `${names.tree} = ${names.file}[next(k for k, c in ${names.file}.classnames().items() if c == "TTree")]`,
      `${t} = ${names.tree}.arrays()`,
      `print(f"{len(${t})} entries × {len(${t}.fields)} branches in ${t} (tree {${names.tree}.name} of " + ${s(shown)} + "):")`,
      `print("  " + ", ".join(f"{name} {${names.tree}[name].typename}" for name in ${t}.fields))`,
      `_types = {n: str(${t}[n].type).split(" * ")[-1] for n in ${t}.fields}`,
      `_numeric = [n for n in ${t}.fields if _types[n].startswith("float")] + [n for n in ${t}.fields if _types[n].startswith(("int", "uint"))]`,
      `_column = next((c for c in _numeric if c.lower() in ("m", "mass")), _numeric[0] if _numeric else None)`,
      'if _column is not None:',
      `    print(f"A histogram of {_column}, next:\\n  counts, edges = np.histogram(ak.flatten(${t}[{_column!r}], axis=None), bins=50)")`,
      'del _types, _numeric, _column'
    );
  }
  return [...imports, '', ...lines].join('\n');
}

/** Options of loadedSummary. */
export interface LoadedSummaryOptions {
  /** Where the table came from, e.g. the file name or `tree events of Zmumu.root`. */
  from?: string;
  /** What a row is called: `rows` (default) or `entries` (a tree). */
  rows?: string;
  /** How many columns to list before `… and N more` (default 60). */
  maxColumns?: number;
}

/**
 * What a loader cell prints after loading `table` into the variable `variable`: the row count,
 * every column with its type, and a one-line histogram of a real column (a mass, M or mass, when
 * there is one, else the first numeric column) with bins that cover its values.
 */
export function loadedSummary(
  table: Table,
  variable: string,
  options: LoadedSummaryOptions = {}
): string {
  const fields = table.schema.fields;
  const max = options.maxColumns ?? 60;
  const listed = fields.slice(0, max).map(f => `${printable(f.name)} ${String(f.type)}`);
  if (fields.length > max) listed.push(`… and ${fields.length - max} more`);
  const from = options.from === undefined ? '' : ` (from ${printable(options.from)})`;
  const lines = [
    `${table.numRows} ${options.rows ?? 'rows'} × ${fields.length} columns in ${variable}${from}:`,
    `  ${listed.join(', ')}`
  ];
  const numeric = fields.filter(f => isNumericOrListOfNumbers(f.type));
  const column =
    numeric.find(f => /^(m|mass)$/i.test(f.name)) ??
    numeric.find(f => DataType.isFloat(f.type)) ??
    numeric[0];
  if (column !== undefined) {
    const [lo, hi] = niceRange(flatNumbers(table.getChild(column.name)!, column.name));
    const name = typescriptString(column.name);
    lines.push(
      `A histogram of ${printable(column.name)}, next:`,
      `  od.show(od.histogramFigure(new od.Hist1D(50, ${lo}, ${hi}).fill(od.numericColumn(${variable}, ${name})), { xTitle: ${name} }));`
    );
  }
  return lines.join('\n');
}

function isNumericOrListOfNumbers(type: DataType): boolean {
  if (DataType.isInt(type) || DataType.isFloat(type)) return true;
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
    return isNumericOrListOfNumbers(type.children[0].type);
  }
  return false;
}

/** Round edges around the finite values: [lo, hi) with hi above the largest value. */
function niceRange(values: Float64Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max)) return [0, 1];
  const span = max - min;
  if (span === 0) return [clean(min - 0.5), clean(min + 0.5)];
  const step = 10 ** Math.floor(Math.log10(span));
  return [clean(Math.floor(min / step) * step), clean((Math.floor(max / step) + 1) * step)];
}

const clean = (x: number): number => Number(x.toPrecision(12));

/** A column name as it is printed: control and format characters as \u escapes. */
function printable(text: string): string {
  return text.replace(RAW_UNSAFE_ALL, ch =>
    ch === ' ' ? ch : `\\u{${(ch.codePointAt(0) as number).toString(16)}}`
  );
}
