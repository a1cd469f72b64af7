// HEPData tables (YAML or JSON, read through a YAML loader as HEPData does: JSON with trailing
// commas is accepted) into independent/dependent variables with their errors, checked by our own
// rules. Problems are reported the hepdata-validator way: what is wrong and where, e.g.
// "'values' is a required property in 'dependent_variables[0]'". Browser-safe: takes text.
import type * as Yaml from 'yaml';
import { OpenDataError } from './errors';

// yaml (72 modules, ~15 ms) loads when a HEPData file is first read, not with the helpers: most
// notebooks never read one, and every kernel start paid for it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = (): typeof Yaml => require('yaml') as typeof Yaml;

export interface HEPDataHeader {
  name: string;
  units?: string;
}

/** An independent variable's point: a value, or a bin [low, high] (with an optional value). */
export interface HEPDataIndependentValue {
  value?: number | string;
  low?: number;
  high?: number;
}

export interface HEPDataError {
  label?: string;
  /** Symmetric error: a number, or a percentage of the value as text ("5%"). */
  symerror?: number | string;
  asymerror?: { plus: number | string; minus: number | string };
}

export interface HEPDataDependentValue {
  value: number | string;
  errors?: HEPDataError[];
}

export interface HEPDataQualifier {
  name: string;
  value: number | string;
  units?: string;
}

export interface HEPDataIndependentVariable {
  header: HEPDataHeader;
  values: HEPDataIndependentValue[];
}

export interface HEPDataDependentVariable {
  header: HEPDataHeader;
  qualifiers?: HEPDataQualifier[];
  values: HEPDataDependentValue[];
}

/** One table: the `hepdata --json` shape (plus location and keywords when the submission has them). */
export interface HEPDataTable {
  name: string;
  description: string;
  location?: string;
  keywords?: { name: string; values: (string | number)[] }[];
  independent_variables: HEPDataIndependentVariable[];
  dependent_variables: HEPDataDependentVariable[];
}

/** A problem found in a file: what is wrong, where (a path like dependent_variables[0].values). */
export interface HEPDataProblem {
  message: string;
  path: string;
}

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringOrNumber = (v: unknown): boolean => isString(v) || isNumber(v);

function show(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  return isString(v) ? `'${v}'` : JSON.stringify(v);
}

/** A cursor that records problems with the path where they are. */
class Checker {
  readonly problems: HEPDataProblem[] = [];

  problem(path: string, message: string): void {
    this.problems.push({ path, message: path ? `${message} in '${path}'` : message });
  }

  /** Checks required and allowed keys of an object; false when it is not an object at all. */
  object(v: unknown, path: string, required: string[], allowed: string[]): v is Obj {
    if (!isObject(v)) {
      this.problem(path, `${show(v)} is not of type 'object'`);
      return false;
    }
    for (const key of required) {
      if (!(key in v)) this.problem(path, `'${key}' is a required property`);
    }
    const extra = Object.keys(v).filter(k => !allowed.includes(k));
    if (extra.length > 0) {
      const list = extra.map(k => `'${k}'`).join(', ');
      this.problem(
        path,
        `Additional properties are not allowed (${list} ${extra.length === 1 ? 'was' : 'were'} unexpected)`
      );
    }
    return true;
  }

  array(v: unknown, path: string): v is unknown[] {
    if (!Array.isArray(v)) {
      this.problem(path, `${show(v)} is not of type 'array'`);
      return false;
    }
    return true;
  }

  type(v: unknown, path: string, ok: (v: unknown) => boolean, name: string): void {
    if (v !== undefined && !ok(v)) this.problem(path, `${show(v)} is not of type ${name}`);
  }
}

const PERCENT_OR_NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*%?\s*$/;

/** An error value as a number; a percentage is taken of `value`. NaN when not usable. */
export function errorValue(e: number | string, value: number | string): number {
  if (isNumber(e)) return e;
  const t = e.trim();
  if (!PERCENT_OR_NUMBER.test(t)) return NaN;
  if (t.endsWith('%')) return (parseFloat(t) / 100) * Math.abs(Number(value));
  return Number(t);
}

function checkHeader(c: Checker, v: unknown, path: string): void {
  if (c.object(v, path, ['name'], ['name', 'units'])) {
    c.type(v.name, `${path}.name`, isString, "'string'");
    c.type(v.units, `${path}.units`, isString, "'string'");
  }
}

function checkIndependent(c: Checker, v: unknown, path: string): number {
  if (!c.object(v, path, ['header', 'values'], ['header', 'values'])) return -1;
  checkHeader(c, v.header, `${path}.header`);
  if (!('values' in v) || !c.array(v.values, `${path}.values`)) return -1;
  v.values.forEach((p, i) => {
    const at = `${path}.values[${i}]`;
    const plain = isObject(p) && 'value' in p && !('low' in p) && !('high' in p);
    const bin = isObject(p) && 'low' in p && 'high' in p;
    const keysOk =
      isObject(p) && Object.keys(p).every(k => k === 'value' || k === 'low' || k === 'high');
    const ok =
      keysOk &&
      ((plain && isStringOrNumber(p.value)) ||
        (bin &&
          isNumber(p.low) &&
          isNumber(p.high) &&
          (p.value === undefined || isNumber(p.value))));
    if (!ok) c.problem(at, `${JSON.stringify(p)} is not valid under any of the given schemas`);
  });
  return v.values.length;
}

function checkErrors(c: Checker, errors: unknown, path: string, value: unknown): void {
  if (!c.array(errors, path)) return;
  let nonZero = errors.length === 0;
  errors.forEach((e, k) => {
    const at = `${path}[${k}]`;
    if (!c.object(e, at, [], ['symerror', 'asymerror', 'label'])) return;
    c.type(e.label, `${at}.label`, isString, "'string'");
    const hasSym = 'symerror' in e;
    const hasAsym = 'asymerror' in e;
    if (hasSym === hasAsym) {
      c.problem(at, `${JSON.stringify(e)} needs exactly one of 'symerror' and 'asymerror'`);
      return;
    }
    const usable = (x: unknown, where: string): boolean => {
      if (isNumber(x)) return true;
      if (isString(x) && PERCENT_OR_NUMBER.test(x)) return true;
      if (x === undefined || x === null || x === '') return false;
      c.problem(where, `Invalid error value ${x}: value must be a number (possibly ending in %)`);
      return false;
    };
    if (hasSym) {
      if (
        usable(e.symerror, `${at}.symerror`) &&
        errorValue(e.symerror as number | string, 0) !== 0
      ) {
        nonZero = true;
      } else if (e.symerror === undefined || e.symerror === null) {
        c.problem(`${at}.symerror`, `${show(e.symerror)} is not of type 'number', 'string'`);
      }
    } else if (c.object(e.asymerror, `${at}.asymerror`, ['plus', 'minus'], ['plus', 'minus'])) {
      const { plus, minus } = e.asymerror;
      const empty = (x: unknown) => x === undefined || x === null || x === '';
      if (empty(plus) && empty(minus)) {
        c.problem(`${at}.asymerror`, 'asymerror plus and minus cannot both be empty');
      } else {
        if (!empty(plus)) usable(plus, `${at}.asymerror.plus`);
        if (!empty(minus)) usable(minus, `${at}.asymerror.minus`);
      }
      const size = (x: unknown) =>
        isNumber(x) || (isString(x) && PERCENT_OR_NUMBER.test(x)) ? Math.abs(errorValue(x, 1)) : 0;
      if (size(plus) !== 0 || size(minus) !== 0) nonZero = true;
    }
  });
  if (!nonZero && isStringOrNumber(value) && value !== '-') {
    c.problem(path, 'Uncertainties should not all be zero');
  }
}

function checkDependent(c: Checker, v: unknown, path: string): number {
  if (!c.object(v, path, ['header', 'values'], ['header', 'qualifiers', 'values'])) return -1;
  checkHeader(c, v.header, `${path}.header`);
  if (v.qualifiers !== undefined && c.array(v.qualifiers, `${path}.qualifiers`)) {
    v.qualifiers.forEach((q, k) => {
      const at = `${path}.qualifiers[${k}]`;
      if (c.object(q, at, ['name', 'value'], ['name', 'value', 'units'])) {
        c.type(q.name, `${at}.name`, isString, "'string'");
        c.type(q.value, `${at}.value`, isStringOrNumber, "'string', 'number'");
        c.type(q.units, `${at}.units`, isString, "'string'");
      }
    });
  }
  if (!('values' in v) || !c.array(v.values, `${path}.values`)) return -1;
  v.values.forEach((p, i) => {
    const at = `${path}.values[${i}]`;
    if (!c.object(p, at, ['value'], ['value', 'errors'])) return;
    c.type(p.value, `${at}.value`, isStringOrNumber, "'string', 'number'");
    if (p.errors !== undefined) checkErrors(c, p.errors, `${at}.errors`, p.value);
  });
  return v.values.length;
}

/** Our checks of a data table (independent and dependent variables); [] when it is valid. */
export function checkHEPDataTable(doc: unknown): HEPDataProblem[] {
  const c = new Checker();
  if (
    !c.object(
      doc,
      '',
      ['independent_variables', 'dependent_variables'],
      ['independent_variables', 'dependent_variables']
    )
  ) {
    return c.problems;
  }
  const lengths: { kind: string; n: number }[] = [];
  if (c.array(doc.independent_variables, 'independent_variables')) {
    doc.independent_variables.forEach((v, i) =>
      lengths.push({
        kind: 'independent_variables',
        n: checkIndependent(c, v, `independent_variables[${i}]`)
      })
    );
  }
  if (c.array(doc.dependent_variables, 'dependent_variables')) {
    doc.dependent_variables.forEach((v, i) =>
      lengths.push({
        kind: 'dependent_variables',
        n: checkDependent(c, v, `dependent_variables[${i}]`)
      })
    );
  }
  if (c.problems.length > 0) return c.problems;
  const ind = lengths.filter(l => l.kind === 'independent_variables').map(l => l.n);
  const dep = lengths.filter(l => l.kind === 'dependent_variables').map(l => l.n);
  if (ind.length > 0 && dep.length === 0) {
    c.problem(
      '',
      `Case of only independent_variables but no dependent_variables is not supported: independent_variables [${ind.join(', ')}], dependent_variables []`
    );
  } else if (new Set([...ind, ...dep]).size > 1) {
    c.problem(
      '',
      `Inconsistent length of 'values' list: independent_variables [${ind.join(', ')}], dependent_variables [${dep.join(', ')}]`
    );
  }
  return c.problems;
}

const KEYWORD_NAMES = ['cmenergies', 'observables', 'reactions', 'phrases'];
const NUMBER = '[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?';
const ENERGY = new RegExp(`^\\s*${NUMBER}(?:\\s*-\\s*${NUMBER})?\\s*$`);
const TABLE_DOI = /^10\.17182\/hepdata\.\d+\.v\d+\/t\d+$/;
const TABLE_KEYS = [
  'name',
  'location',
  'description',
  'keywords',
  'data_file',
  'data_schema',
  'data_license',
  'additional_resources',
  'table_doi',
  'related_to_table_dois'
];

function checkString(c: Checker, v: unknown, path: string, maxLength?: number): void {
  if (v === undefined) return;
  if (!isString(v)) c.problem(path, `${show(v)} is not of type 'string'`);
  else if (maxLength !== undefined && v.length > maxLength) {
    c.problem(path, `${show(v)} is too long`);
  }
}

function checkUnique(c: Checker, v: unknown[], path: string): void {
  const seen = new Set(v.map(x => JSON.stringify(x)));
  if (seen.size !== v.length) c.problem(path, `${JSON.stringify(v)} has non-unique elements`);
}

/**
 * Our checks of one table document of a submission.yaml (its metadata; `inline` when the data
 * are in the same document, as in single-file records).
 */
function checkTableDocument(c: Checker, doc: Obj, inline: boolean): void {
  const required = inline
    ? ['name', 'description']
    : ['name', 'description', 'keywords', 'data_file'];
  const allowed = inline
    ? [...TABLE_KEYS, 'independent_variables', 'dependent_variables']
    : TABLE_KEYS;
  c.object(doc, '', required, allowed);
  checkString(c, doc.name, 'name', 64);
  checkString(c, doc.location, 'location', 256);
  checkString(c, doc.description, 'description');
  checkString(c, doc.data_file, 'data_file');
  checkString(c, doc.data_schema, 'data_schema');
  if (doc.keywords !== undefined && c.array(doc.keywords, 'keywords')) {
    doc.keywords.forEach((k, i) => {
      const at = `keywords[${i}]`;
      if (!c.object(k, at, ['name', 'values'], ['name', 'values'])) return;
      if (isString(k.name) && !KEYWORD_NAMES.includes(k.name)) {
        c.problem(
          `${at}.name`,
          `${show(k.name)} is not one of [${KEYWORD_NAMES.map(n => `'${n}'`).join(', ')}]`
        );
      } else {
        checkString(c, k.name, `${at}.name`, 128);
      }
      if (k.values !== undefined && c.array(k.values, `${at}.values`)) {
        k.values.forEach((x, j) => {
          if (k.name === 'cmenergies' && !(isNumber(x) || (isString(x) && ENERGY.test(x)))) {
            c.problem(
              `${at}.values[${j}]`,
              `Invalid cmenergies value ${show(x)}: a number or a range like 7000-8000 (GeV)`
            );
          }
          if (!isStringOrNumber(x)) {
            c.problem(`${at}.values[${j}]`, `${show(x)} is not of type 'string', 'number'`);
          } else if (isString(x) && x.length > 128) {
            c.problem(`${at}.values[${j}]`, `${show(x)} is too long`);
          }
        });
      }
    });
  }
  if (
    doc.data_license !== undefined &&
    c.object(doc.data_license, 'data_license', ['name', 'url'], ['name', 'url', 'description'])
  ) {
    const l = doc.data_license;
    for (const key of ['name', 'url', 'description']) {
      if (key in l && !isString(l[key])) {
        c.problem(`data_license.${key}`, `${show(l[key])} is not of type 'string'`);
      }
    }
  }
  if (
    doc.related_to_table_dois !== undefined &&
    c.array(doc.related_to_table_dois, 'related_to_table_dois')
  ) {
    checkUnique(c, doc.related_to_table_dois, 'related_to_table_dois');
    doc.related_to_table_dois.forEach((d, i) => {
      const at = `related_to_table_dois[${i}]`;
      if (!isString(d)) c.problem(at, `${show(d)} is not of type 'string'`);
      else if (!TABLE_DOI.test(d)) c.problem(at, `${show(d)} does not match '${TABLE_DOI.source}'`);
    });
  }
  checkResources(c, doc.additional_resources);
}

function checkResources(c: Checker, v: unknown): void {
  if (v === undefined || !c.array(v, 'additional_resources')) return;
  v.forEach((r, i) => {
    const at = `additional_resources[${i}]`;
    if (
      c.object(r, at, ['location', 'description'], ['location', 'description', 'type', 'license'])
    ) {
      checkString(c, r.location, `${at}.location`);
      checkString(c, r.description, `${at}.description`);
    }
  });
}

/** Our checks of the submission's first document (record-level metadata). */
function checkRecordDocument(c: Checker, doc: Obj): void {
  checkResources(c, doc.additional_resources);
  checkString(c, doc.comment, 'comment');
  const records = doc.related_to_hepdata_records;
  if (records !== undefined && c.array(records, 'related_to_hepdata_records')) {
    checkUnique(c, records, 'related_to_hepdata_records');
    records.forEach((r, i) => {
      const at = `related_to_hepdata_records[${i}]`;
      if (!Number.isInteger(r)) c.problem(at, `${show(r)} is not of type 'integer'`);
      else if ((r as number) < 1) c.problem(at, `${show(r)} is less than the minimum of 1`);
    });
  }
}

function fail(source: string, problems: HEPDataProblem[]): never {
  const more =
    problems.length > 1
      ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
      : '';
  throw new OpenDataError('E_FORMAT', `${source}: ${problems[0].message}${more}`);
}

/** Parses YAML (or JSON) text into its documents; a syntax error is E_FORMAT with line and column. */
export function parseHEPDataYAML(text: string, source: string): unknown[] {
  let docs;
  const { LineCounter, parseAllDocuments } = yaml();
  const lines = new LineCounter();
  // The YAML library makes an Error per problem in a broken file; their stacks are never shown
  // (we report line and column), and capturing them dominated the time on garbage input.
  const errorClass = Error as { stackTraceLimit?: number };
  const stackTraceLimit = errorClass.stackTraceLimit;
  errorClass.stackTraceLimit = 0;
  try {
    // Duplicate keys are allowed (the last wins), as in PyYAML, which HEPData uses.
    docs = parseAllDocuments(text, {
      uniqueKeys: false,
      prettyErrors: false,
      lineCounter: lines,
      logLevel: 'error' // no process warnings in notebook output
    });
  } catch (err) {
    throw new OpenDataError('E_FORMAT', `${source}: There was a problem parsing the file: ${err}`);
  } finally {
    errorClass.stackTraceLimit = stackTraceLimit;
  }
  const list = Array.isArray(docs) ? docs : [docs]; // an empty stream parses as an empty list
  const out: unknown[] = [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const { line, col } = lines.linePos(error.pos[0]);
      const what = error.message.split('\n')[0];
      throw new OpenDataError(
        'E_FORMAT',
        `${source}: There was a problem parsing the file: ${what} (line ${line}, column ${col})`
      );
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      throw new OpenDataError(
        'E_FORMAT',
        `${source}: There was a problem parsing the file: ${(err as Error).message}`
      );
    }
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** A checked data table document as a table named `name`. */
export function hepdataTableFromData(
  doc: unknown,
  source: string,
  meta: { name: string; description?: string; location?: string; keywords?: unknown }
): HEPDataTable {
  const problems = checkHEPDataTable(doc);
  if (problems.length > 0) fail(source, problems);
  const d = doc as Obj;
  const table: HEPDataTable = {
    name: meta.name,
    description: meta.description ?? '',
    independent_variables: d.independent_variables as HEPDataIndependentVariable[],
    dependent_variables: d.dependent_variables as HEPDataDependentVariable[]
  };
  if (meta.location !== undefined) table.location = meta.location;
  if (meta.keywords !== undefined) table.keywords = meta.keywords as HEPDataTable['keywords'];
  return table;
}

/** A table entry of a submission: its metadata and where its data are. */
export interface HEPDataTableEntry {
  name: string;
  description: string;
  location?: string;
  keywords?: unknown;
  /** The data file, relative to the submission; absent when the data are inline. */
  dataFile?: string;
  /** Inline data (single-file records). */
  data?: Obj;
  /** A custom data schema (e.g. a pyhf workspace): the data file is not a HEPData table. */
  dataSchema?: string;
}

/** True when a document holds table data itself (a data file, or a table of a single-file record). */
export function isDataDocument(doc: unknown): boolean {
  return isObject(doc) && ('independent_variables' in doc || 'dependent_variables' in doc);
}

/**
 * The tables of a submission (its YAML documents: record metadata first, then one per table),
 * checked by our rules; duplicates of names or data files are errors.
 */
export function hepdataSubmissionEntries(docs: unknown[], source: string): HEPDataTableEntry[] {
  const entries: HEPDataTableEntry[] = [];
  const problems: HEPDataProblem[] = [];
  const names = new Set<string>();
  const files = new Set<string>();
  docs.forEach((doc, i) => {
    const c = new Checker();
    if (!isObject(doc)) {
      c.problem('', `${show(doc)} is not of type 'object'`);
    } else if (!('name' in doc) && !('data_file' in doc) && !isDataDocument(doc)) {
      checkRecordDocument(c, doc); // the record's metadata: no table
    } else {
      const inline = isDataDocument(doc);
      checkTableDocument(c, doc, inline);
      if (isString(doc.name)) {
        if (names.has(doc.name)) c.problem('', `Duplicate table name: ${doc.name}`);
        names.add(doc.name);
      }
      if (isString(doc.data_file)) {
        if (files.has(doc.data_file)) c.problem('', `Duplicate table data_file: ${doc.data_file}`);
        files.add(doc.data_file);
      }
      if (c.problems.length === 0) {
        const entry: HEPDataTableEntry = {
          name: doc.name as string,
          description: doc.description as string
        };
        if (isString(doc.location)) entry.location = doc.location;
        if (isString(doc.data_schema)) entry.dataSchema = doc.data_schema;
        if (doc.keywords !== undefined) entry.keywords = doc.keywords;
        if (inline) {
          const { independent_variables, dependent_variables } = doc;
          entry.data = { independent_variables, dependent_variables };
        } else {
          entry.dataFile = doc.data_file as string;
        }
        entries.push(entry);
      }
    }
    for (const p of c.problems) {
      problems.push({ path: p.path, message: `${p.message} (document ${i + 1})` });
    }
  });
  if (problems.length > 0) fail(source, problems);
  return entries;
}
