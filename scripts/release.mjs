// The release command (`npm run release`, `make release`): the wheel, the sdist and the npm tarball of
// the helpers, into dist/ (or --outdir DIR), each built from a staged copy of the checkout in
// build/release/ so the checkout's development labextension (make lab, the UI tests) stays as it is.
// The staged copy gets the production labextension (no source maps), which hatch's skip-if-exists
// then packs instead of building again (pyproject.toml).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import console from 'node:console';
import esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--outdir');
const out = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(root, 'dist'));
const stage = path.join(root, 'build', 'release');
const venvBin = path.join(root, '.venv', process.platform === 'win32' ? 'Scripts' : 'bin');
const python = path.join(venvBin, process.platform === 'win32' ? 'python.exe' : 'python');
const env = { ...process.env, PATH: [venvBin, process.env.PATH].join(path.delimiter) };

function run(command, argv, cwd) {
  console.log(`release: ${path.relative(root, cwd) || '.'}$ ${command} ${argv.join(' ')}`);
  const result = spawnSync(command, argv, { cwd, env, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${argv.join(' ')} failed in ${cwd} (exit ${result.status ?? result.signal})`
    );
  }
}

function output(command, argv, cwd) {
  const result = spawnSync(command, argv, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * The helpers as one CommonJS file for Deno (`helpers/bundle/index.cjs`, imported by the kernel through
 * $OPENDATA_LAB_HELPERS), with what they load by path next to it where builtFile() looks: the CSV
 * worker (`helpers/node/`, ESM: Deno runs a worker's .js as a module) and the wasm kernels
 * (`helpers/wasm/`). Installed as <prefix>/share/opendata-lab/kernel-helpers, so the data in
 * <prefix>/share/opendata-lab/data is the nearest `data/` above the bundle (data-dir.ts). Also the
 * kernelspec, whose `python` Jupyter replaces with its own interpreter: the kernel starts in any
 * environment the wheel is installed in.
 */
function bundleHelpersForDeno(dir) {
  const helpers = path.join(dir, 'helpers');
  const src = path.join(root, 'kernel-helpers', 'src');
  const common = {
    bundle: true,
    platform: 'node',
    target: 'es2022',
    minify: true,
    // apache-arrow's ESM build, so what the helpers do not use is left out.
    mainFields: ['module', 'main'],
    legalComments: 'eof',
    // jsroot's own Node paths the helpers never take (they read bytes and ZSTD themselves): its
    // XMLHttpRequest, temporary files and 2.6 MB ZSTD decoder.
    external: ['@oneidentity/zstd-js', 'xhr2', 'tmp'],
    logLevel: 'warning'
  };
  const sizes = [];
  for (const [entry, outfile, format] of [
    ['index.ts', 'bundle/index.cjs', 'cjs'],
    ['node/csv-worker.ts', 'node/csv-worker.js', 'esm']
  ]) {
    const result = esbuild.buildSync({
      ...common,
      entryPoints: [path.join(src, entry)],
      outfile: path.join(helpers, outfile),
      format,
      // An ES module worker still reaches Node's built-ins through require() in the bundle.
      banner:
        format === 'esm'
          ? {
              js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
            }
          : undefined,
      metafile: true
    });
    for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
      sizes.push(`${path.basename(file)} ${(bytes / 1e6).toFixed(2)} MB`);
    }
  }
  fs.cpSync(path.join(root, 'kernel-helpers', 'dist', 'wasm'), path.join(helpers, 'wasm'), {
    recursive: true
  });
  fs.copyFileSync(path.join(root, 'LICENSE'), path.join(helpers, 'LICENSE'));
  const spec = path.join(dir, 'kernelspec');
  fs.mkdirSync(spec, { recursive: true });
  const kernel = {
    argv: ['python', '-m', 'opendata_lab.kernel', '--conn', '{connection_file}'],
    display_name: 'TypeScript (Deno, opendata-lab)',
    language: 'typescript',
    metadata: { debugger: false, opendata_lab: { generated_by: 'scripts/release.mjs' } }
  };
  fs.writeFileSync(path.join(spec, 'kernel.json'), `${JSON.stringify(kernel, null, 2)}\n`);
  console.log(`release: helpers for Deno: ${sizes.join(', ')}`);
}

// 1. The helpers (dist/) and the extension's lib/: the same for development and production.
run('npm', ['run', 'build:helpers'], root);
run('npm', ['run', 'build:lib'], root);

// 2. The staged copy: the work tree's files that git does not ignore, plus the extension's lib/.
fs.rmSync(stage, { recursive: true, force: true });
for (const file of output(
  'git',
  ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
  root
)
  .split('\0')
  .filter(Boolean)) {
  const from = path.join(root, file);
  if (!fs.existsSync(from)) continue; // deleted in the work tree
  fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
  fs.copyFileSync(from, path.join(stage, file));
}
fs.cpSync(path.join(root, 'lib'), path.join(stage, 'lib'), { recursive: true });

// The checkout pins JupyterLab's packages to one release (package.json: what make lab and the tests
// build against). The released labextension asks for what JupyterLab 4.0.0 shipped (every name the
// extension imports is there, pyproject.toml): these ranges become the bundle's requiredVersion and
// what `jupyter labextension list` checks against the running JupyterLab.
const LAB_4_0 = {
  '@jupyterlab/application': '4.0.0',
  '@jupyterlab/apputils': '4.0.0',
  '@jupyterlab/coreutils': '6.0.0',
  '@jupyterlab/debugger': '4.0.0',
  '@jupyterlab/notebook': '4.0.0',
  '@jupyterlab/rendermime': '4.0.0',
  '@jupyterlab/rendermime-interfaces': '3.8.0',
  '@jupyterlab/services': '7.0.0',
  '@jupyterlab/settingregistry': '4.0.0',
  '@jupyterlab/translation': '4.0.0',
  '@jupyterlab/ui-components': '4.0.0'
};
const stagedPkgFile = path.join(stage, 'package.json');
const stagedPkg = JSON.parse(fs.readFileSync(stagedPkgFile, 'utf8'));
for (const name of Object.keys(stagedPkg.dependencies).filter(n => n.startsWith('@jupyterlab/'))) {
  if (!LAB_4_0[name]) {
    throw new Error(`package.json: ${name} has no JupyterLab 4.0.0 version in release.mjs`);
  }
  stagedPkg.dependencies[name] = `^${LAB_4_0[name]}`;
  // npm refuses an override that differs from a direct dependency (EOVERRIDE, when the sdist is
  // rebuilt from its sources); "$name" follows the dependency and keeps the lockfile's versions.
  if (stagedPkg.overrides?.[name]) {
    stagedPkg.overrides[name] = `$${name}`;
  }
}
fs.writeFileSync(stagedPkgFile, `${JSON.stringify(stagedPkg, null, 2)}\n`);

// The builder looks for @jupyter/builder in the package's own node_modules.
fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'junction');

// 3. The production labextension, checked.
run('npm', ['run', 'build:labextension'], stage);
const labextension = path.join(stage, 'opendata_lab', 'labextension');
const maps = fs.readdirSync(path.join(labextension, 'static')).filter(f => f.endsWith('.map'));
if (maps.length > 0) {
  throw new Error(`the production labextension has source maps: ${maps.join(', ')}`);
}
// lib/ was the bundle's input; the sdist ships the sources and the bundle, not both builds.
fs.rmSync(path.join(stage, 'lib'), { recursive: true });

// 4. The TypeScript kernel the wheel ships (opendata_lab/kernel.py): Deno's Jupyter kernel, from
// the `deno` wheel, with the helpers bundled for it (pyproject.toml's shared-data puts both in place).
bundleHelpersForDeno(path.join(stage, 'deno-kernel'));

// 5. The sdist and the wheel (built from the sdist), then the helpers' npm tarball.
fs.mkdirSync(out, { recursive: true });
for (const f of fs.readdirSync(out)) {
  if (/^opendata_lab-.*\.(whl|tar\.gz)$|^opendata-lab-kernel-helpers-.*\.tgz$/.test(f)) {
    fs.rmSync(path.join(out, f));
  }
}
// No isolation: the build backends are the ones requirements-dev.txt pins in .venv (and offline).
run(python, ['-m', 'build', '--no-isolation', '--outdir', out, '.'], stage);

// The helpers' tarball carries jsroot trimmed to what the helpers import (jsroot/core and jsroot/io,
// 0.6 MB of its 42 MB) as a bundled dependency: jsroot itself depends on canvas, whose install
// script downloads a binary from GitHub or compiles against cairo, so `npm install` of the helpers
// failed wherever neither works; and a dependency cannot set its consumer's allowScripts (npm reads
// it from the project's root only). It is packed in a folder of its own, outside every npm project.
const npmStage = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-lab-npm-'));
try {
  for (const name of ['README.md', 'LICENSE', 'data']) {
    fs.cpSync(path.join(stage, name), path.join(npmStage, name), { recursive: true });
  }
  const helpers = path.join(npmStage, 'kernel-helpers');
  fs.cpSync(path.join(stage, 'kernel-helpers'), helpers, { recursive: true });
  fs.cpSync(path.join(root, 'kernel-helpers', 'dist'), path.join(helpers, 'dist'), {
    recursive: true,
    filter: f => !f.endsWith('.tsbuildinfo')
  });
  const jsroot = path.join(root, 'node_modules', 'jsroot');
  const trimmed = path.join(helpers, 'node_modules', 'jsroot');
  for (const file of [
    'LICENSE',
    'modules/core.mjs',
    'modules/io.mjs',
    'modules/base/lzma.mjs',
    'modules/base/zstd.mjs'
  ]) {
    fs.mkdirSync(path.dirname(path.join(trimmed, file)), { recursive: true });
    fs.copyFileSync(path.join(jsroot, file), path.join(trimmed, file));
  }
  const upstream = JSON.parse(fs.readFileSync(path.join(jsroot, 'package.json'), 'utf8'));
  const manifest = {
    name: upstream.name,
    version: upstream.version,
    description: `${upstream.description} (modules/core.mjs and io.mjs only, bundled by @opendata-lab/kernel-helpers to read ROOT files)`,
    homepage: upstream.homepage,
    license: upstream.license,
    repository: upstream.repository,
    author: upstream.author,
    type: upstream.type,
    // No dependencies: the helpers never take the paths of core/io that load them (jsroot's own
    // HTTP, ZSTD and script loading; the helpers read bytes and ZSTD themselves).
    exports: {
      './core': './modules/core.mjs',
      './io': './modules/io.mjs',
      './package.json': './package.json'
    }
  };
  fs.writeFileSync(path.join(trimmed, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const pkgFile = path.join(helpers, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  pkg.bundleDependencies = ['jsroot'];
  fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
  run('npm', ['pack', '--pack-destination', out], helpers);
} finally {
  fs.rmSync(npmStage, { recursive: true, force: true });
}

for (const f of fs.readdirSync(out).sort()) {
  const size = fs.statSync(path.join(out, f)).size;
  console.log(`release: ${path.join(path.relative(root, out), f)} ${(size / 1e6).toFixed(2)} MB`);
}
