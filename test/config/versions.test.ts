// JupyterLab is pinned to one version; every place that names it must agree.
import fs from 'fs';
import path from 'path';

const root = path.resolve(__dirname, '..', '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
const pkg = JSON.parse(read('package.json'));

const labVersion = pkg.dependencies['@jupyterlab/application'] as string;
const [major, minor] = labVersion.split('.').map(Number);

describe('the pinned JupyterLab version', () => {
  it('is an exact version in package.json', () => {
    expect(labVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each(['requirements-dev.txt', 'binder/requirements.txt'])('is the one %s installs', file => {
    expect(read(file)).toMatch(new RegExp(`jupyterlab==${labVersion.replace(/\./g, '\\.')}\\b`));
  });

  it('builds with the same minor version in pyproject.toml', () => {
    const requires = read('pyproject.toml').match(/^requires = \[(.*)\]$/m)?.[1] ?? '';
    expect(requires).toContain(`"jupyterlab>=${labVersion},<${major}.${minor + 1}"`);
  });

  it('lets the wheel run on every JupyterLab of the same major version (issue 17)', () => {
    const deps = read('pyproject.toml').match(/^dependencies = \[(.*)\]$/m)?.[1] ?? '';
    expect(deps).toContain(`"jupyterlab>=${major}.0.0,<${major + 1}"`);
  });

  it('pairs with Galata 5.N for JupyterLab 4.N', () => {
    const galata = pkg.devDependencies['@jupyterlab/galata'] as string;
    expect(galata).toBe(`${major + 1}.${minor}.${labVersion.split('.')[2]}`);
  });

  it('overrides every @jupyterlab package to the same release line', () => {
    for (const [name, version] of Object.entries(pkg.overrides as Record<string, string>)) {
      if (name in pkg.dependencies) expect(pkg.dependencies[name]).toBe(version);
    }
    expect(pkg.overrides['@jupyterlab/application']).toBe(labVersion);
  });
});
