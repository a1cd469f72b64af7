#!/usr/bin/env node
// Registers the project's own tslab as a Jupyter kernel inside the virtual environment
// (<venv>/share/jupyter/kernels/tslab). The kernelspec holds absolute paths of this machine, so
// it is generated on each machine and never committed.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const venv = path.resolve(process.argv[2] ?? path.join(root, '.venv'));
const tslabBin = path.join(path.dirname(require.resolve('tslab/package.json')), 'bin', 'tslab');
const dir = path.join(venv, 'share', 'jupyter', 'kernels', 'tslab');

const spec = {
  // Node by absolute path: the kernel must start even where `node` is not on the server's PATH.
  argv: [process.execPath, tslabBin, 'kernel', '--config-path', '{connection_file}'],
  display_name: 'TypeScript (tslab)',
  language: 'typescript',
  // tslab cannot debug: said explicitly so JupyterLab shows no debugger switch (its absence means
  // the same). The console errors JupyterLab's debugger logged anyway are handled in
  // extension/debugger-quiet.ts.
  metadata: { debugger: false, opendata_lab: { generated_by: 'scripts/install-kernel.mjs' } }
};
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
console.log(`kernel tslab -> ${dir}`);
