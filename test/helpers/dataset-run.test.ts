// Whole datasets on worker processes (issue 13): the bundled NanoAOD samples repeated into 24 files
// served by the portal stand-in over http and https, some with faults (500s, resets, a flipped
// byte in a basket), give exactly the histogram and cut-flow of reading the files one by one; a
// file that fails for good is named; with keepGoing the result covers the others and says so;
// memory does not grow with the number of files.
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDataset } from '../../kernel-helpers/src/node/dataset-run';
import { PortalServer } from '../support/portal-server';
import { addPortalFiles } from '../support/portal-files';
import { REPO_ROOT, sharedPath } from '../support/shared-data';
import { addPortalApi } from '../support/portal-api';
import { PROTOCOLS, envTrustingTestCA, trustTestCA } from '../support/tls';

const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
const SAMPLES = [
  path.join(REPO_ROOT, 'data', 'events', 'nano_dimuon.root'),
  sharedPath('events', 'root', 'nanoAOD_2015_CMS_Open_Data_ttbar.root')
];
const FILES = 24;
const local = (i: number) => SAMPLES[i % 2];
const urlPath = (i: number) =>
  `/eos/opendata/cms/test/dataset/nano_${String(i).padStart(2, '0')}.root`;
const EOS = 'root://eospublic.cern.ch/';
const RECID = '990013';
const INDEX_PATH = '/eos/opendata/cms/test/dataset/CMS_test_dataset_file_index.json';
const LAUNCHER = path.join(REPO_ROOT, 'kernel-helpers', 'bin', 'opendata.js');

function opendata(
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], { env: envTrustingTestCA() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('close', status => resolve({ status, stdout, stderr }));
  });
}

const spec = {
  tree: 'Events',
  cuts: ['nMuon >= 2'],
  histograms: [{ name: 'pt', branch: 'Muon_pt', bins: 50, range: [0, 200] as [number, number] }]
};

const DIST = path.join(REPO_ROOT, 'kernel-helpers', 'dist');

/**
 * The truth: each file read whole on its own (tree.read) with the cut and the fill written out,
 * in a child process (jest cannot load jsroot's ES modules in-process).
 */
function oneByOne(files: number[]): {
  counts: number[];
  overflow: number;
  entries: number;
  mean: number;
  all: number;
  passed: number;
} {
  const script = `
    const od = require(${JSON.stringify(DIST)});
    (async () => {
      const hist = new od.Hist1D(50, 0, 200);
      let all = 0, passed = 0;
      for (const file of JSON.parse(process.argv[1])) {
        const root = await od.openROOT(file);
        const table = await (await root.tree('Events')).read(['nMuon', 'Muon_pt']);
        await root.close();
        const n = od.flatNumbers(table.getChild('nMuon'));
        const pt = od.jagged(table.getChild('Muon_pt'));
        all += n.length;
        for (let e = 0; e < n.length; e++) {
          if (!(n[e] >= 2)) continue;
          passed++;
          hist.fill(pt.values.subarray(pt.offsets[e], pt.offsets[e + 1]));
        }
      }
      const { counts, overflow, entries } = hist.toJSON();
      console.log(JSON.stringify({ counts, overflow, entries, mean: hist.mean, all, passed }));
    })();`;
  const out = execFileSync(process.execPath, ['-e', script, JSON.stringify(files.map(local))], {
    encoding: 'utf8'
  });
  return JSON.parse(out);
}

beforeAll(() => trustTestCA());

describe.each(PROTOCOLS)('over %s', protocol => {
  let server: PortalServer;
  let urls: string[];
  let indexDir: string;

  beforeAll(async () => {
    server = await PortalServer.start(protocol);
    const routes = addPortalFiles(
      server,
      Object.fromEntries(Array.from({ length: FILES }, (_, i) => [urlPath(i), local(i)]))
    );
    // A record whose only file is an index listing the 24 files as root://eospublic URIs.
    indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'odl-index-'));
    const index = path.join(indexDir, 'index.json');
    fs.writeFileSync(
      index,
      JSON.stringify(
        Array.from({ length: FILES }, (_, i) => ({
          uri: EOS + urlPath(i),
          size: fs.statSync(local(i)).size,
          checksum: null
        }))
      )
    );
    routes.files.set(INDEX_PATH, index);
    addPortalApi(server, [
      {
        recid: RECID,
        title: 'NanoAOD samples, repeated',
        files: [{ uri: EOS + INDEX_PATH, type: 'index.json', size: null, checksum: null }]
      }
    ]);
    urls = Array.from({ length: FILES }, (_, i) => server.url + urlPath(i));
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(indexDir, { recursive: true, force: true });
  });
  afterEach(() => server.clearFaults());

  test('24 files with faults on some: exactly the histogram and cut-flow of reading them one by one', async () => {
    // 500s beyond the per-request retries (the file is tried again), resets, and a flipped byte
    // inside nano_dimuon's Muon_pt basket (bytes 56749..57277: zlib's check catches it).
    server.fault(/nano_03\.root$/, { kind: 'status', status: 500 }, 5);
    server.fault(/nano_07\.root$/, { kind: 'reset', afterBytes: 1000 }, 2);
    server.fault(/nano_10\.root$/, { kind: 'wrong-bytes', offset: 57200 }, 1);
    server.fault(/nano_15\.root$/, { kind: 'status', status: 503 }, 1);
    const seen: number[] = [];
    const result = await runDataset(urls, spec, {
      threads: 2,
      retryDelayMs: 10,
      progress: p => seen.push(p.filesDone)
    });
    const truth = oneByOne(Array.from({ length: FILES }, (_, i) => i));
    expect(Array.from(result.histograms.pt.counts)).toEqual(truth.counts);
    expect(result.histograms.pt.overflow).toBe(truth.overflow);
    expect(result.histograms.pt.entries).toBe(truth.entries);
    expect(result.histograms.pt.mean).toBeCloseTo(truth.mean, 9);
    expect(result.cutflow).toEqual([
      { cut: 'all events', events: truth.all },
      { cut: 'nMuon >= 2', events: truth.passed }
    ]);
    expect(result.files.map(f => f.file)).toEqual(urls);
    expect(result.failed).toEqual([]);
    // The flipped byte and the 500s cost a second attempt of their files.
    expect(result.files[10].attempts).toBe(2);
    expect(result.files[3].attempts).toBe(2);
    expect(seen[seen.length - 1]).toBe(FILES);
  }, 60000);

  // The library over http, the CLI over https: each the same story, once.
  const overHttp = protocol === 'http' ? test : test.skip;
  const overHttps = protocol === 'https' ? test : test.skip;

  overHttp(
    'a file that fails for good is named in the error; keepGoing leaves it out and says so',
    async () => {
      server.fault(/nano_05\.root$/, { kind: 'status', status: 500 }, Infinity);
      const options = {
        threads: 2,
        retries: 1,
        retryDelayMs: 5,
        requestRetries: 1,
        progress: null
      };
      await expect(runDataset(urls, spec, options)).rejects.toThrow(
        new RegExp(
          `${urls[5].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} failed after 2 attempts: .*500`
        )
      );
      const result = await runDataset(urls, spec, { ...options, keepGoing: true });
      expect(result.failed.map(f => f.file)).toEqual([urls[5]]);
      expect(result.failed[0].error).toMatch(/500/);
      const others = Array.from({ length: FILES }, (_, i) => i).filter(i => i !== 5);
      expect(result.files.map(f => f.file)).toEqual(others.map(i => urls[i]));
      const truth = oneByOne(others);
      expect(Array.from(result.histograms.pt.counts)).toEqual(truth.counts);
    },
    60000
  );

  overHttps(
    "opendata hist --record: the record's index expanded; --keep-going names the file left out",
    async () => {
      server.fault(/nano_08\.root$/, { kind: 'status', status: 500 }, Infinity);
      const args = ['hist', '--record', RECID, '--portal', server.url, '--tree', 'Events'];
      args.push('--branch', 'Muon_pt', '--cut', 'nMuon >= 2', '--bins', '50', '--range', '0,200');
      args.push('--threads', '2', '--retries', '0', '--json');
      const stopped = await opendata(...args);
      expect(stopped.status).not.toBe(0);
      expect(stopped.stderr).toContain(`${urls[8]} failed after 1 attempt`);
      const r = await opendata(...args, '--keep-going');
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout);
      const others = Array.from({ length: FILES }, (_, i) => i).filter(i => i !== 8);
      expect(out.files).toEqual(others.map(i => urls[i]));
      expect(out.failed.map((f: { file: string }) => f.file)).toEqual([urls[8]]);
      const truth = oneByOne(others);
      expect(out.counts).toEqual(truth.counts);
      expect(out.cutflow).toEqual([
        { cut: 'all events', events: truth.all },
        { cut: 'nMuon >= 2', events: truth.passed }
      ]);
    },
    60000
  );
});

/**
 * The peer's answer: over `files`, uproot reads Events' nMuon and Muon_pt as `t`, the awkward
 * expression `values` picks the muon pts to count, numpy sums their 50 bins on [0, 200) GeV.
 */
function uprootMuonPtHistogram(files: string[], values: string): number[] {
  const script = [
    'import sys, json, numpy as np, uproot, awkward as ak',
    'total = np.zeros(50)',
    'for f in sys.argv[1:]:',
    '    t = uproot.open(f)["Events"].arrays(["nMuon", "Muon_pt"])',
    `    total += np.histogram(ak.to_numpy(${values}), bins=50, range=(0, 200))[0]`,
    'print(json.dumps(total.tolist()))'
  ].join('\n');
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' }));
}

test('the histogram of all files agrees with uproot + numpy', async () => {
  const files = Array.from({ length: 6 }, (_, i) => local(i));
  const result = await runDataset(files, spec, { threads: 2, progress: null });
  const numpy = uprootMuonPtHistogram(files, 'ak.flatten(t.Muon_pt[t.nMuon >= 2])');
  expect(Array.from(result.histograms.pt.counts)).toEqual(numpy);
}, 60000);

test('a module fills derived histograms in the workers: the leading muon pt, as uproot + awkward say', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odl-module-'));
  try {
    const module = path.join(dir, 'leading.js');
    fs.writeFileSync(
      module,
      [
        'exports.analyze = (chunk, api) => {',
        "  const pt = api.jagged('Muon_pt');",
        '  const leading = [];',
        '  for (let e = 0; e + 1 < pt.offsets.length; e++) {',
        '    if (api.keep && !api.keep[e]) continue;',
        '    if (pt.offsets[e + 1] > pt.offsets[e]) leading.push(pt.values[pt.offsets[e]]);',
        '  }',
        "  api.fill('leading_pt', leading);",
        '};'
      ].join('\n')
    );
    const files = Array.from({ length: 6 }, (_, i) => local(i));
    const result = await runDataset(
      files,
      {
        tree: 'Events',
        cuts: ['nMuon >= 2'],
        branches: ['Muon_pt'],
        module,
        histograms: [{ name: 'leading_pt', bins: 50, range: [0, 200] }]
      },
      { threads: 2, progress: null }
    );
    const numpy = uprootMuonPtHistogram(files, 'ak.drop_none(ak.firsts(t.Muon_pt[t.nMuon >= 2]))');
    expect(Array.from(result.histograms.leading_pt.counts)).toEqual(numpy);
    fs.writeFileSync(module, 'exports.other = 1;');
    await expect(
      runDataset(files, {
        tree: 'Events',
        module,
        histograms: [{ name: 'x', bins: 1, range: [0, 1] }]
      })
    ).rejects.toThrow(`analysis module ${module} exports no analyze(chunk, api) function`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60000);

test("a dry run (opendata hist --dry-run) reads one file and scales its throughput to the files' bytes", () => {
  const files = [local(0), local(1), local(0)];
  const out = execFileSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'kernel-helpers', 'bin', 'opendata.js'),
      'hist',
      ...files,
      '--tree',
      'Events',
      '--branch',
      'Muon_pt',
      '--cut',
      'nMuon >= 2',
      '--bins',
      '50',
      '--range',
      '0,200',
      '--dry-run',
      '--json'
    ],
    { encoding: 'utf8' }
  );
  const e = JSON.parse(out);
  const sizes = files.map(f => fs.statSync(f).size);
  expect(e.file).toBe(local(0));
  expect(e.entries).toBe(40);
  expect(e.bytes).toBe(sizes[0]);
  expect(e.files).toBe(3);
  expect(e.total_bytes).toBe(sizes[0] + sizes[1] + sizes[2]);
  expect(e.threads[0]).toEqual({ threads: 1, seconds: e.total_bytes / e.bytes_per_second });
  expect(e.histogram.entries).toBe(oneByOne([0]).entries);
}, 60000);

test('memory stays bounded: peak RSS of the run and of a worker for 40 files within 25 MB of 20', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odl-dataset-'));
  try {
    const big = path.join(dir, 'big.root');
    // 200,000 events (~1.4 MB on disk, ~3.5 MB of Muon_pt and nMuon decoded) per file.
    execFileSync(PYTHON, [
      path.join(REPO_ROOT, 'test', 'support', 'repeat_events.py'),
      big,
      '200000'
    ]);
    const server = await PortalServer.start('http');
    try {
      addPortalFiles(
        server,
        Object.fromEntries(Array.from({ length: 40 }, (_, i) => [urlPath(i), big]))
      );
      const peak = (n: number): Promise<{ rss: number; worker: number; entries: number }> => {
        const list = Array.from({ length: n }, (_, i) => server.url + urlPath(i));
        const child = [
          `const od = require(${JSON.stringify(path.join(REPO_ROOT, 'kernel-helpers', 'dist'))});`,
          'const files = JSON.parse(process.argv[1]);',
          'od.runDataset(files, ' +
            JSON.stringify(spec) +
            ', { threads: 2, step: 50000, progress: null })',
          // maxRSS of the run's process (KiB), and of its largest worker (a process of its own)
          '  .then(r => console.log(JSON.stringify({ rss: process.resourceUsage().maxRSS, worker: r.peakWorkerRss / 1024, entries: r.entries })));'
        ].join('\n');
        // Not execFileSync: the stand-in answers from this process.
        return new Promise((resolve, reject) => {
          execFile(process.execPath, ['-e', child, JSON.stringify(list)], (err, stdout) =>
            err ? reject(err) : resolve(JSON.parse(stdout))
          );
        });
      };
      const twenty = await peak(20);
      const forty = await peak(40);
      expect(twenty.entries).toBe(20 * 200000);
      expect(forty.entries).toBe(40 * 200000);
      // a worker's own memory, reported (a process with the reader loaded takes ~60 MB)
      expect(twenty.worker).toBeGreaterThan(40 * 1024);
      // KiB. Holding each file's columns would add ~70 MB for the 20 more files.
      expect(forty.rss - twenty.rss).toBeLessThan(25 * 1024);
      expect(forty.worker - twenty.worker).toBeLessThan(25 * 1024);
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120000);

test('workers are processes of their own, kept for the next run; one killed mid-file costs a retry, not the run', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odl-workers-'));
  try {
    const pids = path.join(dir, 'pids');
    const killed = path.join(dir, 'killed');
    const module = path.join(dir, 'crash-once.js');
    // Every chunk notes its worker's pid; the first worker to analyse a chunk dies (SIGKILL: no
    // exception, no goodbye), once.
    fs.writeFileSync(
      module,
      [
        "const fs = require('node:fs');",
        'exports.analyze = (chunk, api) => {',
        `  fs.appendFileSync(${JSON.stringify(pids)}, process.pid + '\\n');`,
        `  if (!fs.existsSync(${JSON.stringify(killed)})) {`,
        `    fs.writeFileSync(${JSON.stringify(killed)}, '');`,
        "    process.kill(process.pid, 'SIGKILL');",
        '  }',
        "  api.fill('pt', api.flat('nMuon'));",
        '};'
      ].join('\n')
    );
    const files = [0, 1, 2, 3].map(local);
    const withModule = {
      tree: 'Events',
      branches: ['nMuon'],
      module,
      histograms: [{ name: 'pt', bins: 10, range: [0, 10] as [number, number] }]
    };
    const first = await runDataset(files, withModule, { threads: 2, progress: null });
    expect(fs.existsSync(killed)).toBe(true);
    // the file whose worker died was read again, by a new worker, and counted once
    expect(first.failed).toEqual([]);
    expect(Math.max(...first.files.map(f => f.attempts))).toBe(2);
    const truth = oneByOne([0, 1, 2, 3]);
    expect(first.entries).toBe(truth.all);
    const firstPids = new Set(fs.readFileSync(pids, 'utf8').trim().split('\n'));
    expect(firstPids.has(String(process.pid))).toBe(false);
    expect(firstPids.size).toBe(3); // two workers, one replaced
    fs.writeFileSync(pids, '');
    const second = await runDataset(files, withModule, { threads: 2, progress: null });
    expect(Array.from(second.histograms.pt.counts)).toEqual(Array.from(first.histograms.pt.counts));
    const secondPids = new Set(fs.readFileSync(pids, 'utf8').trim().split('\n'));
    // the same two processes (the survivor and the replacement) served the next run
    expect(secondPids.size).toBe(2);
    for (const pid of secondPids) expect(firstPids.has(pid)).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60000);
