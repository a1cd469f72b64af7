#!/usr/bin/env node
// Registers the project's TypeScript kernels inside the virtual environment
// (<venv>/share/jupyter/kernels/<name>): its own tslab, and Deno's kernel (`deno jupyter`) from the
// npm package `deno`, whose platform package carries the binary (nothing is downloaded). The
// kernelspecs hold absolute paths of this machine, so they are generated on each machine and never
// committed.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const venv = path.resolve(process.argv[2] ?? path.join(root, '.venv'));
const kernels = path.join(venv, 'share', 'jupyter', 'kernels');

function writeSpec(name, spec) {
  const dir = path.join(kernels, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
  console.log(`kernel ${name} -> ${dir}`);
}

const tslabBin = path.join(path.dirname(require.resolve('tslab/package.json')), 'bin', 'tslab');
writeSpec('tslab', {
  // Node by absolute path: the kernel must start even where `node` is not on the server's PATH.
  argv: [process.execPath, tslabBin, 'kernel', '--config-path', '{connection_file}'],
  display_name: 'TypeScript (tslab)',
  language: 'typescript',
  // tslab cannot debug: said explicitly so JupyterLab shows no debugger switch (its absence means
  // the same). The console errors JupyterLab's debugger logged anyway are handled in
  // extension/debugger-quiet.ts.
  metadata: { debugger: false, opendata_lab: { generated_by: 'scripts/install-kernel.mjs' } }
});

// The binary itself, not the package's bin.cjs, which would keep a Node process between Jupyter
// and Deno (Jupyter's signals would reach Node) and add Node's start to every kernel start.
// runInstall() is what the package's postinstall runs: it links the platform package's binary
// next to it (or returns it where it lies) and downloads nothing.
const denoBin = require('deno/install_api.cjs').runInstall();
writeSpec('deno', {
  // The name Deno's own `deno jupyter --install` uses, so notebooks saved with it open here too.
  argv: [denoBin, 'jupyter', '--kernel', '--conn', '{connection_file}'],
  display_name: 'TypeScript (Deno)',
  language: 'typescript',
  // Deno asks its release server for updates unless told not to: kernels stay offline. Without
  // colours, a cell's text output is stored in the notebook as plain text, as tslab's is.
  env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  metadata: { debugger: false, opendata_lab: { generated_by: 'scripts/install-kernel.mjs' } }
});
