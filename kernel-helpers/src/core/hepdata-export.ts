// Histograms (and comparisons) as HEPData tables: the table documents, the submission.yaml that
// names them, or one single-file record, as YAML text that PyYAML (hence HEPData and its
// validator) reads to the same numbers. Browser-safe; node/hepdata-write.ts writes the files.
import type * as Yaml from 'yaml';
import { OpenDataError } from './errors';
import type { HEPDataComparison } from './hepdata-compare';
import type { HEPDataQualifier } from './hepdata';
import type { Hist1D, Hist2D } from './histogram';

// yaml loads when a submission is first written (see hepdata.ts: not with the helpers).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = (): typeof Yaml => require('yaml') as typeof Yaml;

/** A variable's header: its name and units ("M(μμ)", "GeV"). */
export interface HEPDataVariableSpec {
  name: string;
  units?: string;
}

/** What a table says besides its numbers. */
export interface HEPDataExportMeta {
  /** The table's name (at most 64 characters, as HEPData allows); unique in a submission. */
  name: string;
  description?: string;
  location?: string;
  /** The independent variable (the histogram's x axis); default "x". */
  x?: HEPDataVariableSpec;
  /** A Hist2D's second independent variable; default "y". */
  y?: HEPDataVariableSpec;
  /** The dependent variable; default "Entries". */
  value?: HEPDataVariableSpec;
  /** Centre-of-mass energy in GeV: the SQRT(S) qualifier and the cmenergies keyword. */
  sqrtS?: number;
  /** The dataset's DOI (e.g. a CERN Open Data record's): a qualifier of every dependent variable. */
  doi?: string;
  qualifiers?: HEPDataQualifier[];
  reactions?: string[];
  observables?: string[];
  phrases?: string[];
}

/** A histogram or a comparison (compareHEPData's result) with what its table says. */
export interface HEPDataExportTable {
  source: Hist1D | Hist2D | HEPDataComparison;
  meta: HEPDataExportMeta;
}

export interface HEPDataSubmissionOptions {
  /** The record's comment (the first document); default says where the tables came from. */
  comment?: string;
  /** The dataset's DOI: an additional resource of the record (https://doi.org/…). */
  doi?: string;
  /** One YAML file with the tables inline (HEPData's single-file form) instead of one per table. */
  singleFile?: boolean;
}

type Value = { value: number | string; errors?: object[] };
type Bin = { low: number; high: number };

/** The data of one table: HEPData's independent_variables and dependent_variables. */
export interface HEPDataTableData {
  independent_variables: { header: HEPDataVariableSpec; values: Bin[] }[];
  dependent_variables: {
    header: HEPDataVariableSpec;
    qualifiers?: HEPDataQualifier[];
    values: Value[];
  }[];
}

const header = (spec: HEPDataVariableSpec | undefined, fallback: string): HEPDataVariableSpec => {
  const h: HEPDataVariableSpec = { name: spec?.name || fallback };
  if (spec?.units) h.units = spec.units;
  return h;
};

function bins(edges: ArrayLike<number>): Bin[] {
  return Array.from({ length: edges.length - 1 }, (_, i) => ({
    low: edges[i],
    high: edges[i + 1]
  }));
}

/** A value with a symmetric error (none when 0: HEPData refuses all-zero uncertainties). */
function withError(value: number, error: number, label: string): Value {
  if (!Number.isFinite(value)) return { value: '-' };
  return error > 0 ? { value, errors: [{ symerror: error, label }] } : { value };
}

function qualifiers(meta: HEPDataExportMeta, extra: HEPDataQualifier[] = []): HEPDataQualifier[] {
  const q: HEPDataQualifier[] = [];
  if (meta.sqrtS !== undefined) q.push({ name: 'SQRT(S)', value: meta.sqrtS, units: 'GEV' });
  if (meta.doi !== undefined) q.push({ name: 'DOI', value: meta.doi });
  return [...q, ...(meta.qualifiers ?? []), ...extra];
}

const isHist2D = (s: HEPDataExportTable['source']): s is Hist2D => 'x' in s && 'y' in s;
const isComparison = (s: HEPDataExportTable['source']): s is HEPDataComparison => 'pulls' in s;

/** The data of a table made from a Hist1D, a Hist2D (x outer, y inner) or a comparison. */
export function hepdataTableData(
  source: HEPDataExportTable['source'],
  meta: HEPDataExportMeta
): HEPDataTableData {
  const dep = (h: HEPDataVariableSpec, values: Value[], extra?: HEPDataQualifier[]) => {
    const q = qualifiers(meta, extra);
    return q.length > 0 ? { header: h, qualifiers: q, values } : { header: h, values };
  };
  if (isComparison(source)) {
    const c = source;
    const label = c.errorsUsed.selection === 'all' ? 'total' : c.errorsUsed.selection;
    const table: Value[] = c.data.values.map((v, i) => {
      const up = c.data.errorsUp[i];
      const down = c.data.errorsDown[i];
      if (up === 0 && down === 0) return { value: v };
      return {
        value: v,
        errors: [
          up === down ? { symerror: up, label } : { asymerror: { plus: up, minus: -down }, label }
        ]
      };
    });
    const hist = c.histogram.values.map((v, i) => withError(v, c.histogram.errors[i], 'stat'));
    const pulls = c.pulls.map(p => (Number.isFinite(p) ? { value: p } : { value: '-' }));
    const y = header(meta.value, c.yTitle.replace(/\s*\[[^\]]*\]$/, '') || 'value');
    return {
      independent_variables: [{ header: header(meta.x, c.xTitle || 'x'), values: bins(c.edges) }],
      dependent_variables: [
        dep({ ...y, name: `${y.name} (${c.table})` }, table),
        dep({ ...y, name: `${y.name} (histogram)` }, hist, [
          { name: 'NORMALISATION', value: `${c.normalization.kind} × ${c.normalization.factor}` }
        ]),
        dep({ name: 'Pull' }, pulls, [
          { name: 'CHI2/NDF', value: `${c.chi2}/${c.ndf}` },
          { name: 'P-VALUE', value: Number.isFinite(c.pValue) ? c.pValue : '-' }
        ])
      ]
    };
  }
  if (isHist2D(source)) {
    const h = source;
    const sumw2 = h.sumw2;
    const xb = bins(h.x.edges);
    const yb = bins(h.y.edges);
    const xs: Bin[] = [];
    const ys: Bin[] = [];
    const values: Value[] = [];
    const nx = h.x.bins;
    for (let ix = 0; ix < nx; ix++) {
      for (let iy = 0; iy < h.y.bins; iy++) {
        xs.push(xb[ix]);
        ys.push(yb[iy]);
        values.push(withError(h.at(ix + 1, iy + 1), Math.sqrt(sumw2[iy * nx + ix]), 'stat'));
      }
    }
    return {
      independent_variables: [
        { header: header(meta.x, 'x'), values: xs },
        { header: header(meta.y, 'y'), values: ys }
      ],
      dependent_variables: [dep(header(meta.value, 'Entries'), values)]
    };
  }
  const h = source;
  const errors = h.errors;
  return {
    independent_variables: [{ header: header(meta.x, 'x'), values: bins(h.edges) }],
    dependent_variables: [
      dep(
        header(meta.value, 'Entries'),
        Array.from(h.counts, (c, i) => withError(c, errors[i], 'stat'))
      )
    ]
  };
}

/** Numbers as PyYAML reads them back as floats: an exponent needs a point there ("1.0e-07"). */
const PY_FLOAT = {
  identify: (v: unknown) => typeof v === 'number' && (!Number.isInteger(v) || /e/.test(String(v))),
  default: true,
  tag: 'tag:yaml.org,2002:float',
  // Never matches text (this tag only writes); having a test makes the library prefer it to the
  // schema's own float and int tags when it picks how to write a number.
  test: /(?!)/,
  resolve: (s: string) => Number(s),
  stringify: ({ value }: { value: unknown }) => {
    const n = value as number;
    if (Number.isNaN(n)) return '.nan';
    if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
    const s = String(n);
    return /e/.test(s) && !/\./.test(s) ? s.replace('e', '.0e') : s;
  }
};

/**
 * YAML text that PyYAML reads to the same values: YAML 1.1 quoting (a string "yes" or "1e5"
 * stays a string) and floats in a form its resolver takes.
 */
export function hepdataYAML(docs: object[]): string {
  const { Document } = yaml();
  return docs
    .map(d =>
      new Document(d, { version: '1.1', customTags: tags => [PY_FLOAT, ...tags] }).toString({
        lineWidth: 0
      })
    )
    .map(text => `---\n${text}`)
    .join('');
}

/** A data file's name for a table: its name in safe characters, unique among `taken`. */
function dataFileName(name: string, taken: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+/, '') || 'table';
  let file = `${base}.yaml`;
  for (let k = 2; taken.has(file.toLowerCase()); k++) file = `${base}_${k}.yaml`;
  taken.add(file.toLowerCase());
  return file;
}

function keywords(meta: HEPDataExportMeta): { name: string; values: (string | number)[] }[] {
  const k: { name: string; values: (string | number)[] }[] = [];
  if (meta.sqrtS !== undefined) k.push({ name: 'cmenergies', values: [meta.sqrtS] });
  for (const name of ['observables', 'reactions', 'phrases'] as const) {
    if (meta[name] !== undefined && meta[name]!.length > 0) {
      k.push({ name, values: meta[name]! });
    }
  }
  return k;
}

function describe(t: HEPDataExportTable): string {
  const s = t.source;
  if (isComparison(s)) {
    return `Histogram compared with HEPData table "${s.table}": χ²/ndf = ${s.chi2}/${s.ndf}.`;
  }
  if (isHist2D(s)) return `2-D histogram: ${s.x.bins} × ${s.y.bins} bins.`;
  return `Histogram: ${s.bins} bins in [${s.lo}, ${s.hi}).`;
}

/**
 * A HEPData submission of tables: submission.yaml (the record's document, then one per table
 * naming its data file) and the data files; or, with singleFile, submission.yaml alone with the
 * tables inline. Names are checked (non-empty, at most 64 characters, unique).
 */
export function hepdataSubmissionFiles(
  tables: HEPDataExportTable[],
  options: HEPDataSubmissionOptions = {}
): { name: string; text: string }[] {
  if (tables.length === 0) {
    throw new OpenDataError('E_USAGE', 'HEPData export: no tables to write');
  }
  const names = new Set<string>();
  for (const t of tables) {
    const name = t.meta.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 64) {
      throw new OpenDataError(
        'E_USAGE',
        `HEPData export: a table name must have 1 to 64 characters (got ${JSON.stringify(name)})`
      );
    }
    if (names.has(name)) {
      throw new OpenDataError('E_USAGE', `HEPData export: two tables are named "${name}"`);
    }
    names.add(name);
  }
  const record: Record<string, unknown> = {
    comment: options.comment ?? 'Histograms made with opendata-lab from CERN Open Data.'
  };
  if (options.doi !== undefined) {
    record.additional_resources = [
      { location: `https://doi.org/${options.doi}`, description: `Dataset DOI ${options.doi}` }
    ];
  }
  const taken = new Set<string>(['submission.yaml']);
  const docs: object[] = [record];
  const files: { name: string; text: string }[] = [];
  for (const t of tables) {
    const entry: Record<string, unknown> = {
      name: t.meta.name,
      description: t.meta.description ?? describe(t)
    };
    if (t.meta.location !== undefined) entry.location = t.meta.location;
    entry.keywords = keywords(t.meta);
    const data = hepdataTableData(t.source, t.meta);
    if (options.singleFile) {
      docs.push({ ...entry, ...data });
    } else {
      const file = dataFileName(t.meta.name, taken);
      entry.data_file = file;
      docs.push(entry);
      files.push({ name: file, text: hepdataYAML([data]) });
    }
  }
  return [{ name: 'submission.yaml', text: hepdataYAML(docs) }, ...files];
}
