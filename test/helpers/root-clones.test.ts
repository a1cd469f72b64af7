// A TClonesArray's element count, read from damaged bytes, went to jsroot's `new Array(count)` and
// a loop creating that many objects: a count of 0xffffffff ran a 256 MB heap out of memory (a fatal
// error that kills a notebook's kernel). jsroot.ts bounds it by the bytes left, as for TObjArray and
// TList. No real sample file holds a TClonesArray and uproot cannot write one, so
// test/support/clones_file.py writes a file with uproot and serializes the TClonesArray key's
// bytes in ROOT's member-wise layout. The reader runs in a child process on the compiled dist/
// (jsroot is ES modules) with a small heap, so a regression fails here instead of taking jest down.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PYTHON } from '../support/python';
import { REPO_ROOT } from '../support/shared-data';

const STRINGS = ['mu+', 'mu-', 'e-', 'gamma', 'jet'];

let tmp: string;
let good: string;
let written: { classnames: Record<string, string>; note: string };

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-clones-'));
  good = path.join(tmp, 'clones.root');
  const r = spawnSync(
    PYTHON,
    [path.join(REPO_ROOT, 'test', 'support', 'clones_file.py'), good, JSON.stringify(STRINGS)],
    { encoding: 'utf8' }
  );
  if (r.status !== 0) throw new Error(`clones_file.py failed: ${r.stderr}`);
  written = JSON.parse(r.stdout.trim().split('\n').pop()!);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Read = { object?: Record<string, unknown>; error?: { code: string | null; message: string } };

function readKey(file: string, key: string) {
  const r = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=256',
      path.join(REPO_ROOT, 'test', 'support', 'root-raw-object.cjs'),
      file,
      key
    ],
    { encoding: 'utf8', timeout: 20_000 }
  );
  const crash = { status: r.status, signal: r.signal, heap: /heap out of memory/.test(r.stderr) };
  expect(crash).toEqual({ status: 0, signal: null, heap: false });
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Read;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where the element count sits: after the element class name, followed by fLowerBound 0. */
function countOffset(bytes: Buffer): number {
  const tail = Buffer.alloc(8);
  tail.writeUInt32BE(STRINGS.length, 0);
  const at = bytes.indexOf(Buffer.concat([Buffer.from('\x0cTObjString;1'), tail]));
  expect(at).toBeGreaterThan(0);
  expect(bytes.indexOf('TObjString;1', at + 2)).toBe(-1); // the only TClonesArray
  return at + 13;
}

test('an undamaged TClonesArray of TObjString reads as written', () => {
  // uproot sees the file's keys and reads its TObjString
  expect(written.classnames).toEqual({ 'note;1': 'TObjString', 'clones;1': 'TClonesArray' });
  expect(readKey(good, 'note').object).toMatchObject({ fString: written.note });
  const clones = readKey(good, 'clones').object!;
  expect(clones).toMatchObject({ _typename: 'TClonesArray', name: 'clones', fLast: 4 });
  expect((clones.arr as { fString: string }[]).map(o => o.fString)).toEqual(STRINGS);
});

test.each([
  ['a flipped byte', 0x00400005],
  ['the largest count', 0xffffffff]
])('a TClonesArray count damaged to %s (%i) is E_FORMAT naming the file', (_, count) => {
  const bytes = fs.readFileSync(good);
  bytes.writeUInt32BE(count, countOffset(bytes));
  const bad = path.join(tmp, `clones-${count}.root`);
  fs.writeFileSync(bad, bytes);
  const t0 = Date.now();
  const { error } = readKey(bad, 'clones');
  expect(Date.now() - t0).toBeLessThan(5000);
  expect(error?.code).toBe('E_FORMAT');
  const claim = `claims ${count} elements, \\d+ bytes left`;
  expect(error?.message).toMatch(
    new RegExp(
      `^${escape(bad)}: cannot read clones \\(TClonesArray at byte \\d+ of its object ${claim}\\)$`
    )
  );
});
