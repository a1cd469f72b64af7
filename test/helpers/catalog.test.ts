// The bundled snapshot loads from the data directory; failures name the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  DATA_DIR_ENV,
  OpenDataError,
  findDataDir,
  loadCatalogIndex
} from '../../kernel-helpers/src';

const dataDir = path.join(__dirname, '..', '..', 'data');
const snapshot = JSON.parse(
  zlib.gunzipSync(fs.readFileSync(path.join(dataDir, 'catalog', 'index.json.gz'))).toString()
);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OpenDataError);
    return (err as OpenDataError).code;
  }
  throw new Error('expected an OpenDataError');
}

test('findDataDir finds the repository data/ directory, or the one in the environment', () => {
  expect(findDataDir()).toBe(path.resolve(dataDir));
  const saved = process.env[DATA_DIR_ENV];
  try {
    process.env[DATA_DIR_ENV] = dataDir;
    expect(findDataDir()).toBe(path.resolve(dataDir));
    process.env[DATA_DIR_ENV] = os.tmpdir();
    expect(() => findDataDir()).toThrow(DATA_DIR_ENV);
  } finally {
    if (saved === undefined) delete process.env[DATA_DIR_ENV];
    else process.env[DATA_DIR_ENV] = saved;
  }
});

test('loadCatalogIndex reads every record of the bundled snapshot', () => {
  const index = loadCatalogIndex();
  expect(index.count).toBe(snapshot.columns.recid.length);
  const i = index.positionOf(snapshot.columns.recid[100]);
  expect(index.summary(i).title).toBe(snapshot.columns.title[100]);
});

test('loadCatalogIndex: missing directory is E_NOT_FOUND, a non-gzip file E_FORMAT', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-catalog-'));
  try {
    expect(codeOf(() => loadCatalogIndex(path.join(tmp, 'nowhere')))).toBe('E_NOT_FOUND');
    fs.writeFileSync(path.join(tmp, 'index.json.gz'), '{"not": "gzip"}');
    expect(codeOf(() => loadCatalogIndex(tmp))).toBe('E_FORMAT');
    fs.writeFileSync(path.join(tmp, 'index.json.gz'), zlib.gzipSync('{"format": "other"}'));
    expect(codeOf(() => loadCatalogIndex(tmp))).toBe('E_FORMAT');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
