// Histograms written as HEPData submissions: every exported submission is judged valid by
// hepdata-validator (PyPI, in the dev venv), PyPI's PyYAML reads the numbers numpy counts in the
// bundled samples, and readHEPData reads them back to the histogram's own numbers.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Axis,
  Hist1D,
  Hist2D,
  OpenDataError,
  compareHEPData,
  hepdataYAML,
  numericColumn,
  readCSV,
  readHEPData,
  writeHEPData
} from '../../kernel-helpers/src';
import { main } from '../../kernel-helpers/src/cli';
import { python } from '../support/python';
import { REPO_ROOT, sharedPath } from '../support/shared-data';

const EVENTS = path.join(REPO_ROOT, 'data', 'events');
const ZMUMU_CSV = path.join(EVENTS, 'Zmumu.csv');
const zmumu = readCSV(ZMUMU_CSV);
const DOI = '10.7483/OPENDATA.CMS.RZ34.QR6N';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hepdata-export-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Verdict {
  valid: boolean;
  messages: string[];
  tables: Record<string, { independent_variables: unknown[]; dependent_variables: unknown[] }>;
}

/**
 * hepdata-validator's verdict on a submission (a directory, or a single-file record) and the
 * tables as PyYAML reads them. The validator writes a single file's tables into the working
 * directory: run it in a scratch one.
 */
function validate(target: string): Verdict {
  return python<Verdict>(
    `
import json, os, sys, tempfile, yaml
from hepdata_validator.full_submission_validator import FullSubmissionValidator
target = os.path.abspath(sys.argv[1])
single = os.path.isfile(target)
os.chdir(tempfile.mkdtemp())
v = FullSubmissionValidator()
ok = v.validate(file=target) if single else v.validate(directory=target)
messages = [f'{f}: {m.message}' for f, ms in v.get_messages().items() for m in ms]
main = target if single else os.path.join(target, 'submission.yaml')
tables = {}
for doc in yaml.safe_load_all(open(main)):
    if doc and 'name' in doc:
        data = doc if single else yaml.safe_load(open(os.path.join(os.path.dirname(main), doc['data_file'])))
        tables[doc['name']] = {k: data[k] for k in ('independent_variables', 'dependent_variables')}
print(json.dumps({'valid': bool(ok), 'messages': messages, 'tables': tables}))
`,
    [target]
  );
}

/** numpy's histogram of a CSV column: the independent truth of the exported numbers. */
function numpyHist(csv: string, column: string, bins: number, lo: number, hi: number) {
  return python<{ counts: number[]; edges: number[] }>(
    `
import json, sys, numpy as np, pandas as pd
x = pd.read_csv(sys.argv[1])[sys.argv[2]].to_numpy(dtype=float)
counts, edges = np.histogram(x, bins=int(sys.argv[3]), range=(float(sys.argv[4]), float(sys.argv[5])))
print(json.dumps({'counts': counts.tolist(), 'edges': edges.tolist()}))
`,
    [csv, column, String(bins), String(lo), String(hi)]
  );
}

type Table = {
  independent_variables: {
    header: { name: string; units?: string };
    values: { low: number; high: number }[];
  }[];
  dependent_variables: {
    header: { name: string; units?: string };
    qualifiers?: { name: string; value: unknown; units?: string }[];
    values: { value: number | string; errors?: { symerror?: number; label?: string }[] }[];
  }[];
};

describe('writeHEPData', () => {
  const mass = new Hist1D(60, 60, 120).fill(numericColumn(zmumu, 'M'));
  // Weighted: errors √Σw² that are no square roots of the contents.
  const weighted = new Hist1D(30, 60, 120).fill(
    numericColumn(zmumu, 'M'),
    numericColumn(zmumu, 'pt1')
  );
  const etaEta = new Hist2D(new Axis(6, -2.4, 2.4), new Axis([-2.4, -1, 0, 1, 2.4])).fill(
    numericColumn(zmumu, 'eta1'),
    numericColumn(zmumu, 'eta2')
  );
  const tables = [
    {
      source: mass,
      meta: {
        name: 'Dimuon mass',
        x: { name: 'M(MU+ MU-)', units: 'GEV' },
        sqrtS: 7000,
        doi: DOI,
        reactions: ['P P --> Z0 < MU+ MU- > X'],
        observables: ['N']
      }
    },
    {
      source: weighted,
      meta: {
        name: 'pT-weighted mass',
        x: { name: 'M(MU+ MU-)', units: 'GEV' },
        value: { name: 'SUM PT1', units: 'GEV' }
      }
    },
    { source: etaEta, meta: { name: 'eta1 vs eta2', x: { name: 'ETA1' }, y: { name: 'ETA2' } } }
  ];

  test.each([
    ['a directory with one data file per table', false],
    ['the single-file form', true]
  ])(
    '%s validates with hepdata-validator; the numbers are numpy’s and read back',
    (_, singleFile) => {
      const dir = path.join(tmp, singleFile ? 'single' : 'multi');
      const written = writeHEPData(dir, tables, { doi: DOI, singleFile });
      expect(written.map(p => path.basename(p))).toEqual(
        singleFile
          ? ['submission.yaml']
          : ['submission.yaml', 'Dimuon_mass.yaml', 'pT-weighted_mass.yaml', 'eta1_vs_eta2.yaml']
      );
      const verdict = validate(singleFile ? path.join(dir, 'submission.yaml') : dir);
      expect(verdict.messages).toEqual([]);
      expect(verdict.valid).toBe(true);

      // The mass table, as PyYAML reads it, holds numpy's counts and √counts.
      const truth = numpyHist(ZMUMU_CSV, 'M', 60, 60, 120);
      const py = verdict.tables['Dimuon mass'] as unknown as Table;
      const bins = py.independent_variables[0].values;
      expect(bins.map(b => b.low)).toEqual(
        truth.edges.slice(0, -1).map(e => expect.closeTo(e, 12))
      );
      expect(bins.map(b => b.high)).toEqual(truth.edges.slice(1).map(e => expect.closeTo(e, 12)));
      expect(py.independent_variables[0].header).toEqual({ name: 'M(MU+ MU-)', units: 'GEV' });
      const dep = py.dependent_variables[0];
      expect(dep.values.map(v => v.value)).toEqual(truth.counts);
      expect(dep.values.map(v => v.errors?.[0].symerror ?? 0)).toEqual(
        truth.counts.map(c => expect.closeTo(Math.sqrt(c), 12))
      );
      expect(
        dep.values.filter(v => v.errors !== undefined).every(v => v.errors![0].label === 'stat')
      ).toBe(true);
      expect(dep.qualifiers).toEqual([
        { name: 'SQRT(S)', value: 7000, units: 'GEV' },
        { name: 'DOI', value: DOI }
      ]);

      // Read back by our own reader: the histograms' numbers exactly.
      const back = readHEPData(dir);
      expect(back.map(t => t.name)).toEqual(['Dimuon mass', 'pT-weighted mass', 'eta1 vs eta2']);
      const w = back[1].dependent_variables[0].values;
      expect(w.map(v => v.value)).toEqual(Array.from(weighted.counts));
      expect(w.map(v => v.errors?.[0].symerror ?? 0)).toEqual(Array.from(weighted.errors));
      // The pT-weighted contents are no integers: PyYAML reads the same floats.
      const pw = (verdict.tables['pT-weighted mass'] as unknown as Table).dependent_variables[0]
        .values;
      expect(pw.map(v => v.value)).toEqual(Array.from(weighted.counts));
      // 2-D: x outer, y inner, as the cells at(bx, by).
      const e2 = back[2];
      expect(e2.independent_variables.map(v => v.values.length)).toEqual([24, 24]);
      const cells: number[] = [];
      for (let ix = 1; ix <= 6; ix++) for (let iy = 1; iy <= 4; iy++) cells.push(etaEta.at(ix, iy));
      expect(e2.dependent_variables[0].values.map(v => v.value)).toEqual(cells);
      expect(e2.independent_variables[1].values.slice(0, 4)).toEqual([
        { low: -2.4, high: -1 },
        { low: -1, high: 0 },
        { low: 0, high: 1 },
        { low: 1, high: 2.4 }
      ]);
    }
  );

  test('a comparison exports as a table (the HEPData values, the histogram, the pulls) that validates', () => {
    const file = sharedPath('hepdata', 'validator', 'test_data', 'TestHEPSubmission', 'data3.yaml');
    const [table] = readHEPData(file);
    const pt = new Hist1D(30, 0, 600).fill(
      numericColumn(readCSV(path.join(EVENTS, 'Zmumu_Run2011A.csv')), 'pt1')
    );
    const c = compareHEPData(table, pt, { density: true, normalize: 'table' });
    const dir = path.join(tmp, 'comparison');
    writeHEPData(dir, [{ source: c, meta: { name: 'pT vs ATLAS ZZ', sqrtS: 7000 } }]);
    const verdict = validate(dir);
    expect(verdict.messages).toEqual([]);
    expect(verdict.valid).toBe(true);
    const [back] = readHEPData(dir);
    const [data, hist, pulls] = back.dependent_variables;
    // The table's own values and errors (quadrature sums of the three sources, from its YAML).
    expect(data.values.map(v => v.value)).toEqual([7000, 9800, 1600, 80]);
    expect(data.values[0].errors![0].symerror).toBeCloseTo(Math.hypot(1100, 79, 15), 9);
    expect(hist.values.map(v => v.value)).toEqual(c.histogram.values);
    expect(pulls.values.map(v => v.value)).toEqual(c.pulls);
    expect(pulls.qualifiers).toContainEqual({ name: 'CHI2/NDF', value: `${c.chi2}/${c.ndf}` });
  });

  test('an existing submission is not overwritten unless asked; names are checked', () => {
    const dir = path.join(tmp, 'again');
    writeHEPData(dir, [tables[0]]);
    expect(() => writeHEPData(dir, [tables[0]])).toThrow(/submission\.yaml exists/);
    expect(() => writeHEPData(dir, [tables[0]], { overwrite: true })).not.toThrow();
    expect(() => writeHEPData(dir, [tables[0], tables[0]], { overwrite: true })).toThrow(
      /two tables are named "Dimuon mass"/
    );
    expect(() =>
      writeHEPData(dir, [{ source: mass, meta: { name: 'x'.repeat(65) } }], { overwrite: true })
    ).toThrow(OpenDataError);
  });

  test('YAML as PyYAML reads it: exponents with a point, YAML 1.1 words quoted', () => {
    const text = hepdataYAML([{ a: 1e-7, b: 5e21, c: 3, d: 0.1, s: 'yes', t: '1e5', u: 'On' }]);
    const back = python(
      `
import json, sys, yaml
print(json.dumps(yaml.safe_load(sys.argv[1])))
`,
      [text]
    );
    expect(back).toEqual({ a: 1e-7, b: 5e21, c: 3, d: 0.1, s: 'yes', t: '1e5', u: 'On' });
  });
});

describe('opendata hepdata-export', () => {
  const launch = (args: string[]) =>
    spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'kernel-helpers', 'bin', 'opendata.js'), 'hepdata-export', ...args],
      {
        encoding: 'utf8'
      }
    );
  const run = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await main(
      ['node', 'opendata', ...args],
      t => (out += t),
      t => (err += t)
    );
    return { code, out, err };
  };

  test('a CSV column: the submission validates and holds numpy’s counts', async () => {
    const dir = path.join(tmp, 'cli-csv');
    const r = await run([
      'hepdata-export',
      ZMUMU_CSV,
      '--column',
      'M',
      '--bins',
      '40',
      '--range',
      '70,110',
      '--out',
      dir,
      '--name',
      'Z mass',
      '--x-name',
      'M(MU+ MU-)',
      '--x-units',
      'GEV',
      '--y-name',
      'Events',
      '--sqrt-s',
      '7000',
      '--doi',
      DOI
    ]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out.trim().split('\n')).toEqual([
      path.join(dir, 'submission.yaml'),
      path.join(dir, 'Z_mass.yaml')
    ]);
    const verdict = validate(dir);
    expect(verdict.messages).toEqual([]);
    expect(verdict.valid).toBe(true);
    const truth = numpyHist(ZMUMU_CSV, 'M', 40, 70, 110);
    const t = verdict.tables['Z mass'] as unknown as Table;
    expect(t.dependent_variables[0].values.map(v => v.value)).toEqual(truth.counts);
    expect(t.dependent_variables[0].header).toEqual({ name: 'Events' });
    expect(t.independent_variables[0].header).toEqual({ name: 'M(MU+ MU-)', units: 'GEV' });
  });

  test('a ROOT branch, single-file, --json: the same counts as the CSV twin', () => {
    // The launcher (compiled dist/): jest's module system cannot load jsroot's ES modules.
    const dir = path.join(tmp, 'cli-root');
    const r = launch([
      path.join(EVENTS, 'Zmumu.root'),
      '--tree',
      'events',
      '--branch',
      'M',
      '--bins',
      '40',
      '--range',
      '70,110',
      '--out',
      dir,
      '--single-file',
      '--json'
    ]);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    const json = JSON.parse(r.stdout) as { files: string[]; histogram: { counts: number[] } };
    expect(json.files).toEqual([path.join(dir, 'submission.yaml')]);
    const verdict = validate(path.join(dir, 'submission.yaml'));
    expect(verdict.valid).toBe(true);
    const truth = numpyHist(ZMUMU_CSV, 'M', 40, 70, 110);
    expect(
      (verdict.tables.M as unknown as Table).dependent_variables[0].values.map(v => v.value)
    ).toEqual(truth.counts);
    expect(json.histogram.counts).toEqual(truth.counts);
  });

  test('usage errors exit 2 with one line', async () => {
    const r = await run([
      'hepdata-export',
      ZMUMU_CSV,
      '--bins',
      '4',
      '--range',
      '0,1',
      '--out',
      path.join(tmp, 'x')
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('opendata: hepdata-export: give either --column C or --tree T --branch B\n');
  });
});
