// What a notebook's `import * as od from "@opendata-lab/kernel-helpers"` loads (issue 14: a fresh
// kernel's first plot ≤ 1 s): yaml (72 modules, ~15 ms) loads only when a HEPData file is read
// or written, and then the HEPData functions still work.
import { spawnSync } from 'child_process';
import path from 'path';

const helpers = path.resolve(__dirname, '../../kernel-helpers');

/** The yaml modules a fresh node has loaded after importing the helpers and running `script`. */
function yamlModulesAfter(script: string): { yaml: number; output: string } {
  const code = `
const od = require(${JSON.stringify(path.join(helpers, 'dist/index.js'))});
let output = '';
${script}
const yaml = Object.keys(require.cache).filter(f => /[\\\\/]node_modules[\\\\/]yaml[\\\\/]/.test(f));
process.stdout.write(JSON.stringify({ yaml: yaml.length, output }));`;
  const child = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', cwd: helpers });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout) as { yaml: number; output: string };
}

describe('importing the helpers', () => {
  it('loads no yaml, even after a histogram is filled and shown as a bundle', () => {
    const after = yamlModulesAfter(
      `output = Object.keys(od.figureBundle(new od.Hist1D(4, 0, 4).fill([1, 2]))).join(',');`
    );
    expect(after.yaml).toBe(0);
    expect(after.output).toContain('image/svg+xml');
  });

  it('loads yaml when HEPData is written and read back', () => {
    const after = yamlModulesAfter(`
const text = od.hepdataYAML([{ independent_variables: [], dependent_variables: [{ header: { name: 'n' }, values: [{ value: 1.5e-7 }] }] }]);
const docs = od.parseHEPDataYAML(text, 'x.yaml');
output = JSON.stringify(docs);`);
    expect(after.yaml).toBeGreaterThan(0);
    // The value survives YAML both ways.
    expect(JSON.parse(after.output)).toEqual([
      {
        independent_variables: [],
        dependent_variables: [{ header: { name: 'n' }, values: [{ value: 1.5e-7 }] }]
      }
    ]);
  });
});
