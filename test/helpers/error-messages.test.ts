// What a user sees of a helper's error. Notebooks (tslab) and the REPL print errors through
// util.inspect, which dumps the stack, own properties and the `[cause]` chain with errno fields;
// an OpenDataError prints its one-line message instead. A cut ROOT file says so, with its size and
// the size its header declares (read from the real file here, not from the reader).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { OpenDataError } from '../../kernel-helpers/src/core/errors';
import { readTableFile } from '../../kernel-helpers/src/node/table-file';
import { REPO_ROOT, sharedPath } from '../support/shared-data';

const LAUNCHER = path.join(REPO_ROOT, 'kernel-helpers', 'bin', 'opendata.js');
const ZMUMU = sharedPath('events', 'root', 'uproot-Zmumu.root');

test('util.inspect (console.error, tslab) prints the code and the message, not the cause chain', () => {
  const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'x.csv'"), {
    code: 'ENOENT',
    errno: -2,
    syscall: 'open'
  });
  const err = new OpenDataError('E_NOT_FOUND', 'x.csv: cannot read the table: no such file', {
    cause: enoent
  });
  expect(util.inspect(err)).toBe(
    'OpenDataError [E_NOT_FOUND]: x.csv: cannot read the table: no such file'
  );
  expect(util.format('%s', 'failed:', err)).not.toContain('[cause]');
  // Nested in a value as well; and nothing is lost for code that wants more.
  expect(util.inspect({ err })).toContain('OpenDataError [E_NOT_FOUND]: x.csv');
  expect(err.cause).toBe(enoent);
  expect(err.stack).toMatch(/^OpenDataError: x\.csv.*\n\s+at /);
  expect(err.code).toBe('E_NOT_FOUND');
  expect(String(err)).toBe('OpenDataError: x.csv: cannot read the table: no such file');
});

test('a missing table file with a relative path says which directory it was looked for in', () => {
  const name = `no-such-${process.pid}.csv`;
  expect(() => readTableFile(name)).toThrow(
    new OpenDataError('E_NOT_FOUND', `${name}: no such file (relative to ${process.cwd()})`)
  );
});

describe('a truncated ROOT file', () => {
  const bytes = fs.readFileSync(ZMUMU);
  const full = bytes.length;
  const n = (v: number) => v.toLocaleString('en-US');
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-cut-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('the complete file ends where its header says (fEND, a small-file header)', () => {
    expect(bytes.toString('latin1', 0, 4)).toBe('root');
    expect(bytes.readUInt32BE(4)).toBeLessThan(1_000_000);
    expect(bytes.readUInt32BE(12)).toBe(full);
  });

  // Cut inside the header's first read, before the keys, between baskets, one byte short.
  test.each([300, 5_000, 100_000, full - 1])(
    'cut at %i bytes says how much of it is there',
    cut => {
      const file = path.join(tmp, `cut-${cut}.root`);
      fs.writeFileSync(file, bytes.subarray(0, cut));
      const r = spawnSync(
        process.execPath,
        [LAUNCHER, 'read', file, '--tree', 'events', '--branches', 'E1', '--json'],
        { encoding: 'utf8' }
      );
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([
        `opendata: ${file}: the file is truncated: ${n(cut)} of ${n(full)} bytes ` +
          '(an interrupted download or copy?); download or copy it again'
      ]);
    }
  );
});

test('a relative path that names no file says where it was looked for, for CSV and ROOT alike', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-rel-'));
  try {
    for (const [args, name] of [
      [['read', 'events/nope.csv', '--columns', 'M'], 'events/nope.csv'],
      [['read', 'nope.root', '--tree', 'events', '--branches', 'M'], 'nope.root']
    ] as const) {
      const r = spawnSync(process.execPath, [LAUNCHER, ...args], { cwd: tmp, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${name}: `);
      expect(r.stderr).toContain(`no such file (relative to ${fs.realpathSync(tmp)})`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a directory given as a CSV file is named as one, not as an EISDIR dump', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odl-dir-'));
  try {
    const csvDir = path.join(dir, 'events.csv');
    fs.mkdirSync(csvDir);
    expect(() => readTableFile(csvDir)).toThrow(
      expect.objectContaining({
        code: 'E_NOT_FOUND',
        message: `${csvDir}: cannot read CSV file: is a directory`
      })
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
