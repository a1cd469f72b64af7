// HEPData tables: our own checks judge every file of hepdata-validator's test data as the
// validator does (the validator, GPL, runs here only as a dev tool); tables and values equal
// PyYAML's reading; the `hepdata` CLI prints the shape in docs/cli.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  OpenDataError,
  checkHEPDataTable,
  errorValue,
  hepdataSubmissionEntries,
  parseHEPDataYAML,
  readHEPData
} from '../../kernel-helpers/src';
import { main } from '../../kernel-helpers/src/cli';
import { python } from '../support/python';
import { sharedPath } from '../support/shared-data';

const TEST_DATA = sharedPath('hepdata', 'validator', 'test_data');

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir).flatMap(f => {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) return allFiles(p);
    return /\.(ya?ml|json)$/.test(f) ? [p] : [];
  });
}

const isSubmission = (file: string) =>
  /submission/i.test(path.basename(file)) || path.basename(file) === '1512299.yaml';

/** Ours: is the file valid, as a submission (metadata documents) or as one data table? */
function ourVerdict(file: string): { valid: boolean; message?: string } {
  try {
    const docs = parseHEPDataYAML(fs.readFileSync(file, 'utf8'), file);
    if (isSubmission(file)) {
      const entries = hepdataSubmissionEntries(docs, file);
      for (const e of entries) {
        if (e.data !== undefined) {
          const problems = checkHEPDataTable(e.data);
          if (problems.length > 0) return { valid: false, message: problems[0].message };
        }
      }
      return { valid: true };
    }
    if (docs.length !== 1) return { valid: false, message: `${docs.length} documents` };
    const problems = checkHEPDataTable(docs[0]);
    return problems.length === 0 ? { valid: true } : { valid: false, message: problems[0].message };
  } catch (err) {
    expect(err).toBeInstanceOf(OpenDataError);
    return { valid: false, message: (err as Error).message };
  }
}

describe("hepdata-validator's test data", () => {
  const files = allFiles(TEST_DATA).sort();
  let truth: Record<string, { valid: boolean; messages: string[] }>;
  beforeAll(() => {
    truth = python(
      `
import json, sys, os
from hepdata_validator.data_file_validator import DataFileValidator
from hepdata_validator.submission_file_validator import SubmissionFileValidator
from hepdata_validator.full_submission_validator import FullSubmissionValidator
out = {}
for f in sys.argv[1:]:
    name = os.path.basename(f)
    if name == '1512299.yaml':
        v = FullSubmissionValidator(); ok = v.validate(file=f)
    elif 'submission' in name.lower():
        v = SubmissionFileValidator(); ok = v.validate(file_path=f)
    else:
        v = DataFileValidator(); ok = v.validate(file_path=f)
    out[f] = {'valid': bool(ok), 'messages': [m.message for ms in v.get_messages().values() for m in ms]}
print(json.dumps(out))
`,
      files
    );
  });

  test('the test data has valid and invalid files of both kinds', () => {
    const verdicts = Object.values(truth);
    expect(verdicts.filter(v => v.valid).length).toBeGreaterThan(10);
    expect(verdicts.filter(v => !v.valid).length).toBeGreaterThan(15);
  });

  test.each(allFiles(TEST_DATA).sort())('%s is judged as the validator judges it', file => {
    const ours = ourVerdict(file);
    expect({ file, valid: ours.valid, message: ours.message }).toEqual({
      file,
      valid: truth[file].valid,
      message: ours.valid ? undefined : expect.any(String)
    });
  });

  test("messages say what is wrong and where, the validator's way", () => {
    const message = (f: string) => ourVerdict(path.join(TEST_DATA, f)).message ?? '';
    expect(message('invalid_missing_values.yaml')).toBe(
      "'values' is a required property in 'dependent_variables[0]'"
    );
    expect(message('file_with_inconsistent_values.yaml')).toBe(
      truth[path.join(TEST_DATA, 'file_with_inconsistent_values.yaml')].messages[0]
    );
    expect(message('invalid_file.json')).toBe("'independent_variables' is a required property");
    expect(message('invalid_parser_file.yaml')).toMatch(
      /invalid_parser_file\.yaml: There was a problem parsing the file: .* \(line 10, column 5\)/
    );
    expect(message('invalid_submission_duplicates.yaml')).toContain(
      'Duplicate table name: Table 2'
    );
    // readHEPData names the file in its E_FORMAT errors
    expect(() => readHEPData(path.join(TEST_DATA, 'invalid_missing_values.yaml'))).toThrow(
      `${path.join(TEST_DATA, 'invalid_missing_values.yaml')}: 'values' is a required property in 'dependent_variables[0]'`
    );
  });
});

describe('tables and values', () => {
  /** PyYAML's reading of a file's documents (what HEPData itself loads). */
  const pyyaml = (file: string) =>
    python<unknown[]>(
      `
import json, sys, yaml
with open(sys.argv[1]) as f:
    print(json.dumps([d for d in yaml.safe_load_all(f) if d is not None]))
`,
      [file]
    );

  test('1512299.yaml: five inline tables, every value and error as PyYAML reads them', () => {
    const file = path.join(TEST_DATA, '1512299.yaml');
    const tables = readHEPData(file);
    const docs = pyyaml(file) as Record<string, unknown>[];
    const tableDocs = docs.filter(d => 'dependent_variables' in d);
    expect(tables.map(t => t.name)).toEqual(tableDocs.map(d => d.name));
    tables.forEach((t, i) => {
      expect(t.description).toBe(tableDocs[i].description);
      expect(t.independent_variables).toEqual(tableDocs[i].independent_variables);
      expect(t.dependent_variables).toEqual(tableDocs[i].dependent_variables);
    });
    expect(tables[4].dependent_variables[0].values.length).toBeGreaterThan(1000); // correlations
  });

  test('a submission directory: metadata from submission.yaml, data from each data file', () => {
    const dir = path.join(TEST_DATA, 'TestHEPSubmission');
    const tables = readHEPData(dir);
    const meta = (pyyaml(path.join(dir, 'submission.yaml')) as Record<string, unknown>[]).filter(
      d => 'data_file' in d
    );
    expect(tables.map(t => t.name)).toEqual(meta.map(d => d.name));
    tables.forEach((t, i) => {
      const data = pyyaml(path.join(dir, meta[i].data_file as string))[0] as Record<
        string,
        unknown
      >;
      expect(t.independent_variables).toEqual(data.independent_variables);
      expect(t.dependent_variables).toEqual(data.dependent_variables);
      expect(t.description).toBe(meta[i].description);
      expect(t.keywords).toEqual(meta[i].keywords);
    });
    expect(readHEPData(dir, { table: 'Table 3' }).map(t => t.name)).toEqual(['Table 3']);
    expect(() => readHEPData(dir, { table: 'Table 99' })).toThrow(/no table named "Table 99"/);
  });

  test('valid_file.json with trailing commas reads like valid_file.yaml; errors resolve percentages', () => {
    const json = readHEPData(path.join(TEST_DATA, 'valid_file.json'))[0];
    const yaml = readHEPData(path.join(TEST_DATA, 'valid_file.yaml'))[0];
    expect(json.dependent_variables[0].values[0]).toEqual(yaml.dependent_variables[0].values[0]);
    const e = json.dependent_variables[0].values[0].errors!;
    expect(e[1]).toEqual({ asymerror: { plus: 0.4, minus: -0.3 }, label: 'sys' });
    expect(errorValue('5%', 6.7)).toBeCloseTo(0.335, 12);
    expect(errorValue(0.45, 6.7)).toBe(0.45);
  });

  test('a table entry without its metadata, or with a data file above its directory, is refused', () => {
    expect(() => hepdataSubmissionEntries([{ name: 'x' }], 's.yaml')).toThrow(
      "s.yaml: 'description' is a required property (document 1)"
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-hepdata-'));
    try {
      const sub = path.join(dir, 'submission.yaml');
      fs.writeFileSync(
        sub,
        '---\nname: T\ndescription: d\nkeywords: []\ndata_file: ../../etc/passwd\n'
      );
      expect(() => readHEPData(dir)).toThrow(
        `${sub}: data_file "../../etc/passwd" must be a file in the submission's directory`
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('opendata hepdata', () => {
  async function run(...args: string[]) {
    let out = '';
    let err = '';
    const code = await main(
      ['node', 'opendata', 'hepdata', ...args],
      t => (out += t),
      t => (err += t)
    );
    return { code, out, err };
  }

  test('--json: {"tables": [{name, description, independent_variables, dependent_variables}]}', async () => {
    const r = await run(path.join(TEST_DATA, 'TestHEPSubmission'), '--json', '--table', 'Table 1');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['tables']);
    expect(Object.keys(json.tables[0])).toEqual([
      'name',
      'description',
      'independent_variables',
      'dependent_variables'
    ]);
    expect(json.tables[0].name).toBe('Table 1');
  });

  test('an invalid file: exit 1, one line naming the file and the problem', async () => {
    const file = path.join(TEST_DATA, 'invalid_missing_values.yaml');
    const r = await run(file, '--json');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${file}: 'values' is a required property in 'dependent_variables[0]'`);
  });

  test('text output lists each table with its columns', async () => {
    const r = await run(path.join(TEST_DATA, 'valid_file.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('SQRT(S) [GEV] | SIG(total) [FB]');
    expect(r.out).toContain('7000 | 6.7 ±0.45 (stat) +0.4 -0.3 (sys)');
  });
});
