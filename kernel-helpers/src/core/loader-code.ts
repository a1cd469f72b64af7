// Loader cells: record (+ a chosen file) + kernel language → the source of a code cell that loads
// it, TypeScript for tslab (the helpers) or Python for ipykernel (uproot, pandas). Record fields
// are untrusted: they enter code only as escaped string literals, never as code or comments.
import { OpenDataError } from './errors';
import { PORTAL_URL } from './portal-catalog';
import { fileName, toHttpUri } from './record-files';

export type LoaderLanguage = 'typescript' | 'python';
export const LOADER_LANGUAGES: LoaderLanguage[] = ['typescript', 'python'];

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

/** The kernel language a loader is written in, from a kernelspec's language or name; null if none fits. */
export function loaderLanguageOf(kernelLanguage: string | undefined | null): LoaderLanguage | null {
  const name = String(kernelLanguage ?? '').toLowerCase();
  if (name === 'typescript' || name === 'tslab' || name === 'ts' || name === 'jslab') {
    return 'typescript';
  }
  if (name === 'python' || name.startsWith('python')) return 'python';
  return null;
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
  const source =
    options.language === 'typescript'
      ? typescriptLoader(fields, target, options.portal ?? PORTAL_URL)
      : pythonLoader(fields, target, options.portal ?? PORTAL_URL);
  const file =
    target.kind === 'sample' ? target.sample.name : target.kind === 'remote' ? target.uri : null;
  return { language: options.language, source, metadata: { opendata_lab: { recid, file } } };
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

function typescriptLoader(fields: Fields, target: Target, portal: string): string {
  const s = typescriptString;
  const lines = [
    'import * as od from "@opendata-lab/kernel-helpers";',
    '',
    `const record = { recid: ${s(fields.recid)}, title: ${s(fields.title)}, doi: ${s(fields.doi)} };`
  ];
  if (target.kind === 'metadata') {
    lines.push(
      'const metadata = await (await od.catalog()).get(record.recid);',
      'const files = od.recordFiles(metadata);',
      'console.log(`record ${record.recid}: ${files.files.length} files, ${files.indices.length} file indexes`);'
    );
    return lines.join('\n');
  }
  let path: string;
  if (target.kind === 'sample') {
    path = `od.dataPath("events", ${s(target.sample.name)})`;
  } else {
    const item = [`uri: ${s(target.url)}`];
    if (target.size !== null) item.push(`size: ${target.size}`);
    if (target.checksum !== null) item.push(`checksum: ${s(target.checksum)}`);
    lines.push(
      '// Downloaded once into the cache (resumed, verified), then read locally.',
      `const download = await od.downloadFile({ ${item.join(', ')} }, { portal: ${s(portal)} });`
    );
    path = 'download.path';
  }
  const format = target.kind === 'sample' ? target.sample.format : target.format;
  if (format === 'csv') {
    lines.push(
      `const events = od.readCSV(${path});`,
      'console.log(`${events.numRows} rows; columns: ${events.schema.fields.map(f => f.name).join(", ")}`);'
    );
  } else {
    const tree = target.kind === 'sample' ? target.sample.tree : undefined;
    lines.push(
      `const file = await od.openROOT(${path});`,
      tree
        ? `const tree = await file.tree(${s(tree)});`
        : 'const tree = await file.tree(file.treeNames[0]);',
      'console.log(`${tree.entries} entries; branches: ${tree.branches.map(b => b.name).join(", ")}`);',
      'const events = await tree.read();'
    );
  }
  return lines.join('\n');
}

function pythonLoader(fields: Fields, target: Target, portal: string): string {
  const s = pythonString;
  const lines = [
    `record = {"recid": ${s(fields.recid)}, "title": ${s(fields.title)}, "doi": ${s(fields.doi)}}`
  ];
  if (target.kind === 'metadata') {
    const api = `${portal.replace(/\/+$/, '')}/api/records/${fields.recid}`;
    return [
      'import json',
      'import urllib.request',
      '',
      ...lines,
      `with urllib.request.urlopen(${s(api)}) as answer:`,
      '    metadata = json.load(answer)["metadata"]',
      'files = metadata.get("files", [])',
      'print(f"record {record[\'recid\']}: {len(files)} files")'
    ].join('\n');
  }
  const format = target.kind === 'sample' ? target.sample.format : target.format;
  const imports = format === 'csv' ? ['import pandas as pd'] : ['import uproot'];
  let path: string;
  if (target.kind === 'sample') {
    imports.push('from opendata_lab import data_path');
    path = `data_path("events", ${s(target.sample.name)})`;
  } else {
    path = s(target.url);
  }
  if (format === 'csv') {
    lines.push(
      `events = pd.read_csv(${path})`,
      'print(f"{len(events)} rows; columns: {\', \'.join(events.columns)}")'
    );
  } else {
    const tree = target.kind === 'sample' ? target.sample.tree : undefined;
    lines.push(
      `file = uproot.open(${path})`,
      tree
        ? `tree = file[${s(tree)}]`
        : 'tree = file[next(k for k, c in file.classnames().items() if c == "TTree")]',
      'print(f"{tree.num_entries} entries; branches: {\', \'.join(tree.keys())}")',
      'events = tree.arrays()'
    );
  }
  return [...imports, '', ...lines].join('\n');
}
