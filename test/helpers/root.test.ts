// The ROOT reader against independent truth: uproot (in .venv) reads the same branches of every
// ROOT file in the shared data and the arrays are compared bitwise (floats), exactly (ints,
// strings) and structurally (jagged counts). The reader runs in a child process on the compiled
// dist/ (test/support/root-probe.cjs): jest's module system cannot load jsroot's ES modules.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { addPortalFiles } from '../support/portal-files';
import { PortalServer } from '../support/portal-server';
import { REPO_ROOT, sharedPath } from '../support/shared-data';
import { PROTOCOLS, testCertificates } from '../support/tls';

const run = promisify(execFile);
const ROOT_DIR = sharedPath('events', 'root');
const FILES = fs
  .readdirSync(ROOT_DIR)
  .filter(f => f.endsWith('.root'))
  .sort()
  .map(f => path.join(ROOT_DIR, f));
const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
const UPROOT_DUMP = path.join(REPO_ROOT, 'test', 'support', 'uproot_dump.py');
const PROBE = path.join(REPO_ROOT, 'test', 'support', 'root-probe.cjs');
const LAUNCHER = path.join(REPO_ROOT, 'kernel-helpers', 'bin', 'opendata.js');
const BIG = 256 * 1024 * 1024;

interface Encoded {
  levels?: ({ var: number[] } | { regular: number })[];
  dtype?: string;
  b64?: string;
  strings?: string[];
  error?: string;
  refused?: string;
  code?: string;
  message?: string;
}
interface TreeDump {
  entries: number;
  chunks?: number;
  /** Chunks whose columns sit in memory an earlier chunk had (root-probe.cjs). */
  reused?: number;
  branches: Record<string, Encoded>;
}
type Dump = Record<string, Record<string, TreeDump>>;

async function uproot(...args: string[]): Promise<Dump> {
  const { stdout } = await run(PYTHON, [UPROOT_DUMP, ...args], { maxBuffer: BIG });
  return JSON.parse(stdout);
}

async function probe(request: object, env: NodeJS.ProcessEnv = process.env): Promise<Dump> {
  const { stdout } = await run(process.execPath, [PROBE, JSON.stringify(request)], {
    maxBuffer: BIG,
    env
  });
  return JSON.parse(stdout);
}

function opendata(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = execFileSync(process.execPath, [LAUNCHER, ...args], {
    encoding: 'utf8',
    maxBuffer: BIG
  });
  return { status: 0, stdout: r, stderr: '' };
}

let truth: Dump;
let ours: Dump;
beforeAll(async () => {
  [truth, ours] = await Promise.all([uproot(...FILES), probe({ files: FILES })]);
}, 300_000);

const decoded: Record<string, number> = {};
const refused: Record<string, number> = {};
afterAll(() => {
  const lines = Object.keys(decoded).map(
    f => `${path.basename(f)}: ${decoded[f]} decoded, ${refused[f]} refused`
  );
  if (lines.length > 0) process.stdout.write(`ROOT branches vs uproot\n${lines.join('\n')}\n`);
});

describe.each(FILES)('%s', file => {
  test('every branch of every tree equals uproot’s reading', () => {
    const theirs = truth[file];
    const mine = ours[file];
    expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
    decoded[file] = 0;
    refused[file] = 0;
    for (const [treeName, tree] of Object.entries(theirs)) {
      const got = mine[treeName];
      expect(got.entries).toBe(tree.entries);
      expect(Object.keys(got.branches).sort()).toEqual(Object.keys(tree.branches).sort());
      for (const [name, want] of Object.entries(tree.branches)) {
        const have = got.branches[name];
        if (have.refused !== undefined) {
          // we refuse only with E_UNSUPPORTED naming the branch, never with garbage
          expect(have.code).toBe('E_UNSUPPORTED');
          expect(have.message).toContain(`branch ${name}`);
          refused[file]++;
          continue;
        }
        expect(want.error).toBeUndefined(); // uproot reads every branch of these files
        expect({ branch: name, ...have }).toEqual({ branch: name, ...want });
        decoded[file]++;
      }
    }
    // every tree has branches we read or refuse by name (files without trees hold objects only)
    const branches = Object.values(theirs).reduce((n, t) => n + Object.keys(t.branches).length, 0);
    expect(decoded[file] + refused[file]).toBe(branches);
  });
});

test('the five Zmumu compression variants give identical columns', () => {
  const names = ['', '-lz4', '-lzma', '-zstd', '-uncompressed'].map(s =>
    path.join(ROOT_DIR, `uproot-Zmumu${s}.root`)
  );
  const reference = ours[names[0]].events;
  expect(Object.keys(reference.branches)).toHaveLength(20);
  expect(reference.entries).toBe(2304);
  for (const n of names.slice(1)) expect(ours[n].events).toEqual(reference);
});

test('an entry range equals uproot’s entry_start/entry_stop, and chunks (recycled or not) equal a full read', async () => {
  const files = ['uproot-HZZ.root', 'uproot-issue-816.root', 'uproot-Zmumu-lz4.root'].map(f =>
    path.join(ROOT_DIR, f)
  );
  const [rangeTruth, ranged, chunked, recycled] = await Promise.all([
    uproot(...files, '--entries', '37', '1501'),
    probe({ files, entryStart: 37, entryStop: 1501 }),
    probe({ files, step: 113 }),
    probe({ files, step: 113, recycle: true })
  ]);
  for (const f of files) {
    for (const t of Object.keys(rangeTruth[f])) {
      expect(ranged[f][t].branches).toEqual(rangeTruth[f][t].branches);
      // chunked iteration: several tables whose concatenation is the full read
      expect(chunked[f][t].chunks).toBe(Math.ceil(ours[f][t].entries / 113));
      expect(chunked[f][t].branches).toEqual(ours[f][t].branches);
      expect(chunked[f][t].reused).toBe(0);
      // recycled: each chunk's columns in the memory of the one before, the same values
      expect(recycled[f][t].branches).toEqual(ours[f][t].branches);
      expect(recycled[f][t].reused).toBe(recycled[f][t].chunks! - 1);
    }
  }
}, 120_000);

test.each(PROTOCOLS)(
  'a remote read over %s ranges (portal stand-in) equals the local read',
  async protocol => {
    const server = await PortalServer.start(protocol);
    // The reader trusts the stand-in's test CA through the helpers' own setting.
    const env = { ...process.env, OPENDATA_LAB_CA_FILE: testCertificates().caFile };
    try {
      const files = ['uproot-HZZ.root', 'uproot-Zmumu-zstd.root', 'uproot-issue-816.root'];
      addPortalFiles(
        server,
        Object.fromEntries(files.map(f => [`/eos/opendata/test/${f}`, path.join(ROOT_DIR, f)]))
      );
      const urls = files.map(f => `${server.url}/eos/opendata/test/${f}`);
      const remote = await probe({ files: urls }, env);
      files.forEach((f, i) => {
        expect(remote[urls[i]]).toEqual(ours[path.join(ROOT_DIR, f)]);
      });
      // the portal's root:// URIs map to the same HTTP paths
      const viaUri = await probe(
        {
          files: ['root://eospublic.cern.ch//eos/opendata/test/uproot-HZZ.root'],
          portal: server.url
        },
        env
      );
      expect(Object.values(viaUri)[0]).toEqual(ours[path.join(ROOT_DIR, 'uproot-HZZ.root')]);
      expect(server.requests.some(r => r.headers.range !== undefined)).toBe(true);
    } finally {
      await server.close();
    }
  },
  120_000
);

describe('stored objects vs uproot', () => {
  let objects: Record<string, Record<string, Record<string, unknown>>>;
  const files = ['uproot-histograms.root', 'uproot-issue-240.root', 'uproot-hepdata-example.root'];
  beforeAll(async () => {
    objects = (await uproot('--objects', ...files.map(f => path.join(ROOT_DIR, f)))) as never;
  }, 120_000);

  const object = (file: string, name: string) =>
    JSON.parse(opendata('object', path.join(ROOT_DIR, file), name, '--json').stdout);
  const close = (a: number[], b: number[]) => {
    expect(a).toHaveLength(b.length);
    a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 9));
  };

  test.each([
    ['uproot-histograms.root', 'one'],
    ['uproot-histograms.root', 'two'],
    ['uproot-histograms.root', 'three'],
    ['uproot-hepdata-example.root', 'hpx'],
    ['uproot-hepdata-example.root', 'hprof']
  ])('%s %s: edges, counts, flow, errors', (file, name) => {
    const want = objects[path.join(ROOT_DIR, file)][name] as {
      class: string;
      values: number[];
      errors: number[];
      edges: number[][];
      entries: number;
    };
    const got = object(file, name);
    expect(got.class).toBe(want.class);
    const n = want.values.length - 2;
    expect(got.counts).toEqual(want.values.slice(1, n + 1));
    expect(got.underflow).toBe(want.values[0]);
    expect(got.overflow).toBe(want.values[n + 1]);
    close(got.edges, want.edges[0]);
    close(got.errors, want.errors.slice(1, n + 1));
    expect(got.entries).toBe(want.entries);
  });

  test('TH2F hpxpy: cells with flow, x-major', () => {
    const want = objects[path.join(ROOT_DIR, 'uproot-hepdata-example.root')].hpxpy as {
      values: number[][];
      edges: number[][];
    };
    const got = object('uproot-hepdata-example.root', 'hpxpy');
    expect(got.counts_with_flow).toEqual(want.values);
    expect(got.counts).toEqual(want.values.slice(1, -1).map(r => r.slice(1, -1)));
    close(got.edges, want.edges[0]);
    close(got.y_edges, want.edges[1]);
  });

  test('TGraphAsymmErrors in a directory whose name has spaces', () => {
    const name = 'Expected limit 1lbb/Graph1D_y1';
    const want = objects[path.join(ROOT_DIR, 'uproot-issue-240.root')][name];
    const got = object('uproot-issue-240.root', name);
    expect(got).toEqual({ ...want, name: 'Graph1D_y1', title: got.title });
    expect(got.x.length).toBeGreaterThan(100);
  });

  test('ntuple/px refilled into a histogram matches the stored hpx', () => {
    const hpx = object('uproot-hepdata-example.root', 'hpx');
    const bins = hpx.counts.length;
    const lo = hpx.edges[0];
    const hi = hpx.edges[bins];
    const refilled = JSON.parse(
      opendata(
        'hist',
        path.join(ROOT_DIR, 'uproot-hepdata-example.root'),
        '--tree',
        'ntuple',
        '--branch',
        'px',
        '--bins',
        String(bins),
        '--range',
        `${lo},${hi}`,
        '--json'
      ).stdout
    );
    expect(refilled.counts).toEqual(hpx.counts);
    expect(refilled.underflow).toBe(hpx.underflow);
    expect(refilled.overflow).toBe(hpx.overflow);
    expect(refilled.entries).toBe(hpx.entries);
  });
});

describe('CLI on ROOT files', () => {
  test('inspect lists trees with branch types, and objects with directories', () => {
    const hzz = JSON.parse(
      opendata('inspect', path.join(ROOT_DIR, 'uproot-HZZ.root'), '--json').stdout
    );
    expect(hzz.format).toBe('root');
    expect(hzz.trees).toHaveLength(1);
    expect(hzz.trees[0].name).toBe('events');
    expect(hzz.trees[0].entries).toBe(truth[path.join(ROOT_DIR, 'uproot-HZZ.root')].events.entries);
    const types = Object.fromEntries(
      hzz.trees[0].branches.map((b: { name: string; type: string }) => [b.name, b.type])
    );
    expect(types.Jet_Px).toBe('var * float32');
    expect(types.NJet).toBe('int32');
    expect(Object.keys(types).sort()).toEqual(
      Object.keys(truth[path.join(ROOT_DIR, 'uproot-HZZ.root')].events.branches).sort()
    );
    const g = JSON.parse(
      opendata('inspect', path.join(ROOT_DIR, 'uproot-issue-240.root'), '--json').stdout
    );
    expect(g.objects).toEqual([
      { name: 'Expected limit 1lbb/Graph1D_y1', class: 'TGraphAsymmErrors' }
    ]);
  });

  test('read --json: jagged branches as nested arrays, strings, 64-bit integers exact', () => {
    const file = path.join(ROOT_DIR, 'uproot-small-flat-tree.root');
    const { columns } = JSON.parse(
      opendata(
        'read',
        file,
        '--tree',
        'tree',
        '--branches',
        'SliceInt64,Str,Int64',
        '--entries',
        '2-5',
        '--json'
      ).stdout
    );
    const want = truth[file].tree.branches;
    const counts = (want.SliceInt64.levels![0] as { var: number[] }).var.slice(2, 5);
    expect(columns.SliceInt64.map((a: number[]) => a.length)).toEqual(counts);
    expect(columns.Str).toEqual(want.Str.strings!.slice(2, 5));
    const int64 = new BigInt64Array(Uint8Array.from(Buffer.from(want.Int64.b64!, 'base64')).buffer);
    expect(columns.Int64).toEqual(Array.from(int64.slice(2, 5), Number));
  });

  test('errors: a missing branch is E_NOT_FOUND, a truncated file a one-line error, exit 1', () => {
    const r1 = runCLI(
      'read',
      path.join(ROOT_DIR, 'uproot-HZZ.root'),
      '--tree',
      'events',
      '--branches',
      'Nope',
      '--json'
    );
    expect(r1.status).toBe(1);
    expect(r1.stderr).toMatch(/no branch "Nope"/);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-root-'));
    try {
      const cut = path.join(tmp, 'cut.root');
      const bytes = fs.readFileSync(path.join(ROOT_DIR, 'uproot-Zmumu.root'));
      fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const r2 = runCLI('read', cut, '--tree', 'events', '--branches', 'px1', '--json');
      expect(r2.status).toBe(1);
      expect(r2.stderr.trim().split('\n')).toHaveLength(1);
      expect(r2.stderr).toContain('cut.root');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

function runCLI(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [LAUNCHER, ...args], {
    encoding: 'utf8'
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('fuzz: truncated and mutated ROOT files give a result or a typed error, never a crash or hang', async () => {
  const small = [
    'uproot-sample-6.20.04-zlib.root',
    'uproot-small-flat-tree.root',
    'uproot-Zmumu.root',
    'uproot-Zmumu-lz4.root',
    'uproot-Zmumu-lzma.root',
    'uproot-Zmumu-zstd.root',
    'uproot-Zmumu-uncompressed.root',
    'uproot-vectorVectorDouble.root',
    'uproot-histograms.root',
    'uproot-issue-240.root'
  ].map(f => path.join(ROOT_DIR, f));
  const { stdout } = await run(
    process.execPath,
    [
      path.join(REPO_ROOT, 'test', 'support', 'root-fuzz.cjs'),
      '--cases',
      '300',
      '--seed',
      '2024',
      ...small
    ],
    { timeout: 240_000, maxBuffer: BIG }
  );
  const summary = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(summary.cases).toBe(300);
  expect(summary.untyped).toEqual([]);
  expect(summary.hangs).toEqual([]);
  expect(summary.unhandled).toEqual([]);
  expect(
    summary.ok + Object.values(summary.typed as Record<string, number>).reduce((a, b) => a + b, 0)
  ).toBe(300);
  expect(summary.typed.E_FORMAT).toBeGreaterThan(0);
}, 300_000);
