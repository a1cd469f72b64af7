// The project documents itself (docs/): a clone has no ../shared, so nothing shipped may point
// there or at documents that live only there, and docs/cli.md must cover the CLI as registered.
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { createProgram } from '../../kernel-helpers/src/cli';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

// Not documentation or shipped code: tests, generated output, and the benchmark and fuzzing
// drivers, which read their inputs from the real test data as the tests do.
const SKIPPED = [
  /^test\//,
  /(^|\/)(node_modules|dist|build|lib|\.venv|\.cache)\//,
  /^opendata_lab\/labextension\//,
  /^kernel-helpers\/(bench|fuzz)\//
];

// `../shared` written out, as a path.join of '..' and 'shared', or this machine's absolute path,
// and the three documents that exist only next to the repository.
const OUTSIDE =
  /\.\.[/\\]shared\b|'\.\.',\s*'shared'|\/work\/shared\b|\b(DESIGN|PORTAL|CONVENTIONS)\.md\b/;

/** Files that are or would be committed: tracked plus untracked but not ignored. */
function repositoryFiles(): string[] {
  const out = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024
    }
  );
  return out.split('\0').filter(f => f !== '' && fs.existsSync(path.join(root, f)));
}

function textOf(file: string): string | null {
  const bytes = fs.readFileSync(path.join(root, file));
  return bytes.includes(0) ? null : bytes.toString('utf8');
}

describe('documentation stays in the repository', () => {
  it('no committed source or doc file points at ../shared or at DESIGN/PORTAL/CONVENTIONS.md', () => {
    const offenders: string[] = [];
    for (const file of repositoryFiles()) {
      if (SKIPPED.some(re => re.test(file)) || /\.(gz|png|jpe?g|root|arrow|ico)$/i.test(file)) {
        continue;
      }
      const text = textOf(file);
      if (text === null) continue;
      text.split('\n').forEach((line, i) => {
        if (OUTSIDE.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('has the three documents the code refers to', () => {
    for (const doc of ['architecture.md', 'cli.md', 'portal.md']) {
      expect(fs.existsSync(path.join(root, 'docs', doc))).toBe(true);
    }
  });

  it('names only files that exist in docs/*.md', () => {
    const files = repositoryFiles();
    const exists = (name: string) =>
      files.some(
        f =>
          f === name ||
          f.endsWith(`/${name}`) ||
          f.startsWith(`${name}/`) ||
          f.includes(`/${name}/`)
      );
    // Named in the docs but not files of this repository: generated output, the layout of the
    // snapshot builder's input, and files of the portal.
    const elsewhere = new Set([
      'dist/',
      'labextension/',
      'fixtures/',
      'skeletons/',
      'index.json',
      'record-v1.0.0.json',
      'cms-simulated-datasets-2016-part_NN.json'
    ]);
    const missing: string[] = [];
    for (const doc of fs.readdirSync(path.join(root, 'docs')).filter(f => f.endsWith('.md'))) {
      // Code spans that are a file of the repository: `core/histogram.ts`, `data/events/`, ...
      for (const [, name] of read(`docs/${doc}`).matchAll(
        /`([\w./-]+\.(?:ts|mjs|py|sh|json)|[\w-]+(?:\/[\w.-]+)*\/)`/g
      )) {
        if (/^(https?:|\.|\/)/.test(name) || elsewhere.has(name)) continue;
        if (!exists(name.replace(/\/$/, ''))) missing.push(`docs/${doc}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names only docs/ files that exist where comments point at docs/', () => {
    const missing: string[] = [];
    for (const file of repositoryFiles()) {
      if (
        !/\.(ts|tsx|mjs|cjs|js|py|md|sh)$/.test(file) ||
        SKIPPED.slice(1).some(re => re.test(file))
      ) {
        continue;
      }
      for (const [, doc] of (textOf(file) ?? '').matchAll(/\bdocs\/([\w-]+\.md)\b/g)) {
        if (!fs.existsSync(path.join(root, 'docs', doc))) missing.push(`${file}: docs/${doc}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('docs/cli.md', () => {
  const doc = read('docs/cli.md');
  const program = createProgram(
    () => undefined,
    () => undefined
  );
  const commands = program.commands.filter(c => c.name() !== 'help');

  it('sees the commands the CLI registers', () => {
    expect(commands.map(c => c.name())).toEqual(
      expect.arrayContaining(['search', 'record', 'files', 'cite', 'download', 'hist', 'read'])
    );
  });

  const sections = [...doc.matchAll(/^### `([\w-]+)/gm)].map(m => m[1]);

  it.each(commands.map(c => [c.name(), c] as const))('has a section for `%s`', name => {
    expect(sections).toContain(name);
  });

  it.each(commands.map(c => [c.name(), c] as const))('names every option of `%s`', (_, command) => {
    const options = command.options.map(o => o.long).filter(o => o && o !== '--help');
    expect(options.filter(o => !doc.includes(`\`${o}`) && !doc.includes(` ${o} `))).toEqual([]);
  });

  // The examples are run as written, on the bundled data (the CLI reads the compiled dist/).
  const examples = (doc.split('## Examples on the bundled data')[1] ?? '')
    .split('```')[1]
    ?.split('\n')
    .filter(line => line.startsWith('npx opendata '));

  it('has examples', () => {
    expect(examples?.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples ?? [])('runs `%s`', example => {
    const launcher = path.join(root, 'kernel-helpers', 'bin', 'opendata.js');
    const command = example.replace(/^npx opendata /, `"${process.execPath}" "${launcher}" `);
    const r = spawnSync('bash', ['-c', command], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    if (example.includes('--json')) expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it('lists every environment variable the helpers read', () => {
    const names = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          const text = fs.readFileSync(file, 'utf8');
          for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) names.add(m[1]);
          for (const m of text.matchAll(/_ENV = '([A-Z][A-Z0-9_]*)'/g)) names.add(m[1]);
        }
      }
    };
    walk(path.join(root, 'kernel-helpers', 'src'));
    expect(names).toContain('OPENDATA_LAB_CACHE');
    expect([...names].filter(name => !doc.includes(`\`${name}\``))).toEqual([]);
  });
});
