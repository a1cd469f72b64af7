import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpenDataError } from '../core/errors';

/** Environment variable that overrides where the bundled data lives (a directory like `data/`). */
export const DATA_DIR_ENV = 'OPENDATA_LAB_DATA';

const INDEX = path.join('catalog', 'index.json.gz');

/**
 * The `share/` folders where `pip install opendata-lab` may have put the data: those of the Python
 * environments Node can see (an activated venv or conda environment, each PATH folder with a
 * `jupyter` in it) and of Jupyter's own data path (`$JUPYTER_PATH`, `$JUPYTER_DATA_DIR`, the user's
 * and the system's), each `<prefix>/share/jupyter` giving `<prefix>/share`.
 */
export function wheelDataCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const prefixes: string[] = [];
  for (const name of ['VIRTUAL_ENV', 'CONDA_PREFIX']) {
    if (env[name]) prefixes.push(env[name]);
  }
  const exe = process.platform === 'win32' ? 'jupyter.exe' : 'jupyter';
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, exe))) prefixes.push(path.dirname(dir));
  }
  const shares = prefixes.map(p => path.join(p, 'share'));
  const jupyterDirs = [
    ...(env.JUPYTER_PATH ?? '').split(path.delimiter),
    env.JUPYTER_DATA_DIR ?? '',
    path.join(env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'jupyter')
  ];
  for (const dir of jupyterDirs) {
    if (dir && path.basename(path.resolve(dir)) === 'jupyter') {
      shares.push(path.dirname(path.resolve(dir)));
    }
  }
  if (process.platform !== 'win32') shares.push('/usr/local/share', '/usr/share');
  const dirs = shares.map(share => path.join(path.resolve(share), 'opendata-lab', 'data'));
  return [...new Set(dirs)];
}

/**
 * The bundled data directory (`catalog/index.json.gz` and `events/`). In order:
 * `$OPENDATA_LAB_DATA`; the nearest `data/` above this module (the repository's from `src/` or
 * `dist/`, the npm package's own `data/`); the Python wheel's `<prefix>/share/opendata-lab/data`
 * (see {@link wheelDataCandidates}), the folder `opendata_lab.data_path` reads too.
 */
export function findDataDir(): string {
  const fromEnv = process.env[DATA_DIR_ENV];
  if (fromEnv) {
    const dir = path.resolve(fromEnv);
    if (!fs.existsSync(path.join(dir, INDEX))) {
      throw new OpenDataError('E_NOT_FOUND', `${DATA_DIR_ENV}=${fromEnv}: no ${INDEX} in ${dir}`);
    }
    return dir;
  }
  for (let dir = __dirname; ;) {
    const candidate = path.join(dir, 'data');
    if (fs.existsSync(path.join(candidate, INDEX))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const wheel = wheelDataCandidates();
  for (const dir of wheel) {
    if (fs.existsSync(path.join(dir, INDEX))) return dir;
  }
  throw new OpenDataError(
    'E_NOT_FOUND',
    `no bundled data directory (data/${INDEX}) above ${__dirname} nor in ${wheel.join(', ')}; ` +
      `set ${DATA_DIR_ENV} to one`
  );
}

/** A path inside the bundled data directory, e.g. `dataPath('events', 'Zmumu.csv')`. */
export function dataPath(...segments: string[]): string {
  return path.join(findDataDir(), ...segments);
}
