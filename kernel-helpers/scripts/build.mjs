// Builds the helpers: TypeScript (tsc -b, incremental) into dist/, and the AssemblyScript kernels
// in assembly/ into dist/wasm/ (skipped when a kernel is newer than its source and this script).
// Used by `npm run build`, the jest global setup and the bench harness.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import process from 'node:process';
import console from 'node:console';

const require = createRequire(import.meta.url);
const helpers = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', helpers], {
  stdio: 'inherit'
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const assembly = path.join(helpers, 'assembly');
const out = path.join(helpers, 'dist', 'wasm');
fs.mkdirSync(out, { recursive: true });
const mtime = f => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
for (const source of fs.readdirSync(assembly).filter(f => f.endsWith('.ts'))) {
  const input = path.join(assembly, source);
  const wasm = path.join(out, source.replace(/\.ts$/, '.wasm'));
  if (mtime(wasm) > Math.max(mtime(input), mtime(fileURLToPath(import.meta.url)))) continue;
  const asc = await import('assemblyscript/asc');
  // -O3, no runtime (the kernels allocate nothing), no assertions (bounds are the caller's).
  const { error, stderr } = await asc.main([
    input,
    '--outFile',
    wasm,
    '--optimizeLevel',
    '3',
    '--shrinkLevel',
    '0',
    '--runtime',
    'stub',
    '--noAssert',
    '--enable',
    'simd'
  ]);
  if (error) {
    console.error(stderr.toString());
    process.exit(1);
  }
}
