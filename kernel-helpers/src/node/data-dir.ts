import fs from 'node:fs';
import path from 'node:path';
import { OpenDataError } from '../core/errors';

/** Environment variable that overrides where the bundled data lives (a directory like `data/`). */
export const DATA_DIR_ENV = 'OPENDATA_LAB_DATA';

const INDEX = path.join('catalog', 'index.json.gz');

/**
 * The bundled data directory (`data/` with `catalog/index.json.gz` and `events/`).
 * `$OPENDATA_LAB_DATA` wins; otherwise the nearest `data/` above this module, which finds the
 * repository's data both from `src/` (tests) and from `dist/` (the built package).
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
  throw new OpenDataError(
    'E_NOT_FOUND',
    `no bundled data directory (data/${INDEX}) above ${__dirname}; set ${DATA_DIR_ENV} to one`
  );
}

/** A path inside the bundled data directory, e.g. `dataPath('events', 'Zmumu.csv')`. */
export function dataPath(...segments: string[]): string {
  return path.join(findDataDir(), ...segments);
}
