// Leaf-count branches (Muon_pt[nMuon]) take their entry offsets from their counter when it is read
// along (tree.ts, column-builder's jaggedByCountsBuilder). A file whose counter disagrees with the
// values a basket holds (one count changed in place by counter_mismatch.py) is read by the branch's
// own stored offsets instead: the same values and structure as uproot's, which reads those too;
// the counter itself reads as the file has it.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/shared-data';

const run = promisify(execFile);
const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
const PROBE = path.join(REPO_ROOT, 'test', 'support', 'root-probe.cjs');
const UPROOT_DUMP = path.join(REPO_ROOT, 'test', 'support', 'uproot_dump.py');
const BIG = 64 * 1024 * 1024;

interface Encoded {
  levels?: unknown[];
  b64?: string;
}
type Dump = Record<string, Record<string, { entries: number; branches: Record<string, Encoded> }>>;

async function dump(tool: 'ours' | 'uproot', request: object, file: string): Promise<Dump> {
  const { stdout } =
    tool === 'ours'
      ? await run(process.execPath, [PROBE, JSON.stringify(request)], { maxBuffer: BIG })
      : await run(PYTHON, [UPROOT_DUMP, file], { maxBuffer: BIG });
  return JSON.parse(stdout);
}

test('a counter that disagrees with its branch: the branch reads by its own offsets, as uproot reads it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odl-counter-'));
  try {
    const file = path.join(dir, 'mismatch.root');
    const changed = JSON.parse(
      execFileSync(PYTHON, [path.join(REPO_ROOT, 'test', 'support', 'counter_mismatch.py'), file], {
        encoding: 'utf8'
      })
    );
    const [truth, whole, alone, chunked] = await Promise.all([
      dump('uproot', {}, file),
      dump('ours', { files: [file] }, file),
      dump('ours', { files: [file], branches: ['Muon_pt'] }, file),
      dump('ours', { files: [file], step: 777 }, file)
    ]);
    const expected = truth[file].Events.branches;
    // the counter reads as changed; the values keep the structure their baskets store
    const counts = (expected.nMuon as { b64: string }).b64;
    expect(Buffer.from(counts, 'base64').readInt32LE(4 * changed.entry)).toBe(changed.after);
    for (const read of [whole, chunked]) {
      for (const name of ['nMuon', 'Muon_pt', 'Muon_eta']) {
        expect(read[file].Events.branches[name]).toEqual(expected[name]);
      }
    }
    expect(alone[file].Events.branches.Muon_pt).toEqual(expected.Muon_pt);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60000);
