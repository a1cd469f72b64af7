// Downloads from the portal stand-in serving real files, through every fault it can inject. After
// each failure no file may exist under the final name; after each recovery the file is verified
// and byte-identical to the real one. Checksums come from Python's zlib.adler32. Over http and
// https (the stand-in's certificate from a test CA this process trusts), as the real portal.
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { OpenDataError } from '../../kernel-helpers/src/core/errors';
import {
  DownloadItem,
  DownloadResult,
  downloadFile,
  downloadFiles
} from '../../kernel-helpers/src/node/download';
import { DownloadProgress } from '../../kernel-helpers/src/node/progress';
import { listFiles } from '../../kernel-helpers/src/node/files';
import { readFixtures } from '../support/portal-api';
import { FileRoutes, addPortalFiles, indexFilesOf } from '../support/portal-files';
import { PortalServer } from '../support/portal-server';
import { REPO_ROOT, sharedPath } from '../support/shared-data';
import { PROTOCOLS, trustTestCA } from '../support/tls';

const real = {
  zmumu: sharedPath('events', 'root', 'uproot-Zmumu.root'),
  hzz: sharedPath('events', 'root', 'uproot-HZZ.root'),
  csv: sharedPath('events', 'csv', 'Zmumu_Run2011A.csv'),
  big: sharedPath('events', 'root', 'uproot-issue79.root')
};
const pathOf = (name: keyof typeof real) => `/eos/opendata/cms/test/${path.basename(real[name])}`;

/** Declared size and adler32 of each real file, computed by Python (zlib.adler32). */
const declared: Record<string, { size: number; checksum: string }> = (() => {
  const script =
    'import json, sys, zlib\n' +
    'print(json.dumps({f: [len(open(f, "rb").read()), zlib.adler32(open(f, "rb").read())] for f in sys.argv[1:]}))';
  const r = spawnSync(
    path.join(REPO_ROOT, '.venv', 'bin', 'python'),
    ['-c', script, ...Object.values(real)],
    {
      encoding: 'utf8'
    }
  );
  if (r.status !== 0) throw new Error(r.stderr);
  const out: Record<string, { size: number; checksum: string }> = {};
  for (const [file, [size, adler]] of Object.entries(
    JSON.parse(r.stdout) as Record<string, [number, number]>
  )) {
    out[file] = { size, checksum: `adler32:${adler.toString(16)}` }; // unpadded, as the portal writes some
  }
  return out;
})();

function item(name: keyof typeof real): DownloadItem {
  return { uri: `root://eospublic.cern.ch/${pathOf(name)}`, ...declared[real[name]] };
}

const fast = { retryDelayMs: 5, progress: false as const };

async function failure(promise: Promise<unknown>): Promise<OpenDataError> {
  const err = await promise.then(
    () => null,
    e => e
  );
  expect(err).toBeInstanceOf(OpenDataError);
  return err as OpenDataError;
}

trustTestCA();

describe.each(PROTOCOLS)('over %s', protocol => {
  let server: PortalServer;
  let routes: FileRoutes;
  let dir: string;

  beforeAll(async () => {
    server = await PortalServer.start(protocol);
    routes = addPortalFiles(
      server,
      Object.fromEntries(
        (Object.keys(real) as (keyof typeof real)[]).map(k => [pathOf(k), real[k]])
      )
    );
  });
  afterAll(() => server.close());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-download-'));
    server.clearFaults();
    server.requests.length = 0;
    routes.ignoreRange = false;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function expectIdentical(result: DownloadResult, name: keyof typeof real): void {
    expect(result.path).toBe(path.join(dir, path.basename(real[name])));
    expect(result.verified).toBe(true);
    expect(result.size).toBe(fs.statSync(real[name]).size);
    expect(fs.readFileSync(result.path).equals(fs.readFileSync(real[name]))).toBe(true);
    expect(fs.existsSync(`${result.path}.part`)).toBe(false);
  }

  function expectNoFile(name: keyof typeof real): void {
    expect(fs.existsSync(path.join(dir, path.basename(real[name])))).toBe(false);
  }

  const fileRequests = (name: keyof typeof real) =>
    server.requests.filter(r => r.url === pathOf(name));

  test('several real files at once, bounded, verified, identical; progress reported per file', async () => {
    const events: DownloadProgress[] = [];
    const results = await downloadFiles([item('zmumu'), item('hzz'), item('csv'), item('big')], {
      dir,
      portal: server.url,
      concurrency: 2,
      progress: p => events.push(p)
    });
    expectIdentical(results[0], 'zmumu');
    expectIdentical(results[1], 'hzz');
    expectIdentical(results[2], 'csv');
    expectIdentical(results[3], 'big');
    expect(results.map(r => r.checksum)).toEqual(
      ['zmumu', 'hzz', 'csv', 'big'].map(
        n => 'adler32:' + declared[real[n as keyof typeof real]].checksum.slice(8).padStart(8, '0')
      )
    );
    const done = events.filter(e => e.done);
    expect(done).toHaveLength(4);
    const bigEvents = events.filter(e => e.file === results[3].path);
    expect(bigEvents.length).toBeGreaterThan(2);
    expect(bigEvents[bigEvents.length - 1].received).toBe(results[3].size);
  });

  test('a complete verified file is not fetched again; a corrupt one under the final name is replaced', async () => {
    const first = await downloadFile(item('zmumu'), { dir, portal: server.url, ...fast });
    expectIdentical(first, 'zmumu');
    server.requests.length = 0;
    const again = await downloadFile(item('zmumu'), { dir, portal: server.url, ...fast });
    expect(again.skipped).toBe(true);
    expect(server.requests).toHaveLength(0);

    const bytes = fs.readFileSync(first.path);
    bytes[1000] ^= 1;
    fs.writeFileSync(first.path, bytes);
    const repaired = await downloadFile(item('zmumu'), { dir, portal: server.url, ...fast });
    expect(repaired.skipped).toBe(false);
    expectIdentical(repaired, 'zmumu');
  });

  test('404: E_NOT_FOUND naming the URL and the file, not retried, no file', async () => {
    const missing = {
      uri: 'root://eospublic.cern.ch//eos/opendata/cms/test/nothing.root',
      size: 10,
      checksum: 'adler32:1'
    };
    const err = await failure(downloadFile(missing, { dir, portal: server.url, ...fast }));
    expect(err.code).toBe('E_NOT_FOUND');
    expect(err.message).toContain(`${server.url}/eos/opendata/cms/test/nothing.root`);
    expect(err.message).toContain('HTTP 404');
    expect(err.message).toContain(path.join(dir, 'nothing.root'));
    expect(server.requests).toHaveLength(1);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('500 twice, then success on the third attempt', async () => {
    server.fault(/uproot-HZZ/, { kind: 'status', status: 500 }, 2);
    const result = await downloadFile(item('hzz'), { dir, portal: server.url, ...fast });
    expectIdentical(result, 'hzz');
    expect(fileRequests('hzz')).toHaveLength(3);
  });

  test('500 on every attempt: E_NETWORK after the retries, no file', async () => {
    server.fault(/uproot-HZZ/, { kind: 'status', status: 500 }, 10);
    const err = await failure(
      downloadFile(item('hzz'), { dir, portal: server.url, ...fast, retries: 2 })
    );
    expect(err.code).toBe('E_NETWORK');
    expect(err.message).toContain('HTTP 500');
    expect(fileRequests('hzz')).toHaveLength(3);
    expectNoFile('hzz');
  });

  test('connection reset half-way: the next attempt resumes with Range and completes the file', async () => {
    const size = declared[real.big].size;
    const half = Math.floor(size / 2);
    server.fault(/uproot-issue79/, { kind: 'reset', afterBytes: half });
    const result = await downloadFile(item('big'), { dir, portal: server.url, ...fast });
    expectIdentical(result, 'big');
    const requests = fileRequests('big');
    expect(requests).toHaveLength(2);
    expect(requests[0].headers.range).toBeUndefined();
    const resumedFrom = Number(/^bytes=(\d+)-$/.exec(String(requests[1].headers.range))?.[1]);
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThanOrEqual(half);
  });

  test('reset with no retries left: E_NETWORK, a .part kept for resuming, nothing under the final name', async () => {
    server.fault(/uproot-issue79/, { kind: 'reset', afterBytes: 100_000 });
    const err = await failure(
      downloadFile(item('big'), { dir, portal: server.url, ...fast, retries: 0 })
    );
    expect(err.code).toBe('E_NETWORK');
    expect(err.message).toContain(`${server.url}${pathOf('big')}`);
    expectNoFile('big');
    const part = path.join(dir, `${path.basename(real.big)}.part`);
    const kept = fs.statSync(part).size;
    expect(kept).toBeGreaterThan(0);
    // A later call resumes from it.
    server.requests.length = 0;
    const result = await downloadFile(item('big'), { dir, portal: server.url, ...fast });
    expectIdentical(result, 'big');
    expect(fileRequests('big').map(r => r.headers.range)).toEqual([`bytes=${kept}-`]);
  });

  test('a server that ignores Range on resume: the file is fetched whole again, not spliced', async () => {
    server.fault(/uproot-issue79/, { kind: 'reset', afterBytes: 300_000 });
    routes.ignoreRange = true;
    const result = await downloadFile(item('big'), { dir, portal: server.url, ...fast });
    expectIdentical(result, 'big');
    expect(fileRequests('big')[1].headers.range).toMatch(/^bytes=\d+-$/);
  });

  test('slow body: a timeout, then a resumed attempt completes the file', async () => {
    server.fault(/uproot-Zmumu\.root/, { kind: 'slow', bytesPerChunk: 4096, delayMs: 300 });
    const noRetry = await failure(
      downloadFile(item('zmumu'), { dir, portal: server.url, ...fast, retries: 0, timeoutMs: 100 })
    );
    expect(noRetry.code).toBe('E_NETWORK');
    expect(noRetry.message).toMatch(/timed out/);
    expectNoFile('zmumu');

    server.fault(/uproot-Zmumu\.root/, { kind: 'slow', bytesPerChunk: 4096, delayMs: 300 });
    const result = await downloadFile(item('zmumu'), {
      dir,
      portal: server.url,
      ...fast,
      timeoutMs: 100
    });
    expectIdentical(result, 'zmumu');
  });

  test('wrong bytes: E_CHECKSUM, no file and no .part; a retry that gets good bytes yields a verified file', async () => {
    server.fault(/Zmumu_Run2011A/, { kind: 'wrong-bytes', offset: 12345 });
    const err = await failure(
      downloadFile(item('csv'), { dir, portal: server.url, ...fast, retries: 0 })
    );
    expect(err.code).toBe('E_CHECKSUM');
    expect(err.message).toContain(`${server.url}${pathOf('csv')}`);
    expect(err.message).toContain(path.join(dir, 'Zmumu_Run2011A.csv'));
    expect(fs.readdirSync(dir)).toEqual([]);

    server.fault(/Zmumu_Run2011A/, { kind: 'wrong-bytes', offset: 12345 });
    const result = await downloadFile(item('csv'), {
      dir,
      portal: server.url,
      ...fast,
      retries: 1
    });
    expectIdentical(result, 'csv');
    expect(fileRequests('csv')).toHaveLength(3);
  });

  test("the portal's HTML error page with status 200: detected, no file; retried, it succeeds", async () => {
    server.fault(/uproot-HZZ/, { kind: 'html-error' });
    const err = await failure(
      downloadFile(item('hzz'), { dir, portal: server.url, ...fast, retries: 0 })
    );
    expect(err.code).toBe('E_NETWORK');
    expect(err.message).toMatch(/HTML page instead of uproot-HZZ\.root/);
    expect(fs.readdirSync(dir)).toEqual([]);

    server.fault(/uproot-HZZ/, { kind: 'html-error' });
    expectIdentical(await downloadFile(item('hzz'), { dir, portal: server.url, ...fast }), 'hzz');
  });

  test('a declared size the server contradicts is an error, not a file', async () => {
    const wrong = { ...item('hzz'), size: declared[real.hzz].size + 7 };
    const err = await failure(
      downloadFile(wrong, { dir, portal: server.url, ...fast, retries: 1 })
    );
    expect(err.code).toBe('E_NETWORK');
    expect(err.message).toContain(`the record declares ${wrong.size}`);
    expectNoFile('hzz');
  });

  test('one failure among several: the others complete, the error names the failed one', async () => {
    server.fault(/uproot-HZZ/, { kind: 'status', status: 404 });
    const err = await failure(
      downloadFiles([item('zmumu'), item('hzz'), item('csv')], { dir, portal: server.url, ...fast })
    );
    expect(err.code).toBe('E_NOT_FOUND');
    expect(err.message).toContain('uproot-HZZ.root');
    expect(fs.readdirSync(dir).sort()).toEqual(['Zmumu_Run2011A.csv', 'uproot-Zmumu.root']);
  });

  test("a record's file index with no local copy is fetched from the portal and expanded", async () => {
    // Record 728 lists one real index pair (shared/data/records/file-indices).
    const r728 = readFixtures(['cms-simulated-datasets-2010.json']).find(r => r.recid === '728')!;
    const indexes = indexFilesOf(r728 as { files?: { uri?: string }[] });
    for (const [urlPath, local] of Object.entries(indexes)) routes.files.set(urlPath, local);
    const jsonPath = Object.keys(indexes).find(p => p.endsWith('.json'))!;
    const listed = JSON.parse(fs.readFileSync(indexes[jsonPath], 'utf8'));
    const files = await listFiles(r728, {
      expand: true,
      portal: server.url,
      indexDir: null,
      retries: 0
    });
    expect(files).toEqual(
      listed.map((f: DownloadItem) => ({ uri: f.uri, size: f.size, checksum: f.checksum }))
    );
    expect(server.requests.map(r => r.url)).toEqual([jsonPath]);
  });

  test('without a declared checksum the file completes but is not marked verified', async () => {
    const result = await downloadFile(`${server.url}${pathOf('zmumu')}`, { dir, ...fast });
    expect(result.verified).toBe(false);
    expect(result.checksum).toBeNull();
    expect(fs.readFileSync(result.path).equals(fs.readFileSync(real.zmumu))).toBe(true);
  });
});

test('an https certificate from a CA nobody trusts: E_NETWORK naming the host, at once, no file', async () => {
  const impostor = await PortalServer.start({ protocol: 'https', certificate: 'untrusted' });
  addPortalFiles(impostor, { [pathOf('zmumu')]: real.zmumu });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-download-'));
  try {
    const started = Date.now();
    const err = await failure(
      downloadFile(item('zmumu'), {
        dir,
        portal: impostor.url,
        retryDelayMs: 5000,
        progress: false
      })
    );
    // Not retried: a certificate does not become trusted a few seconds later.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.code).toBe('E_NETWORK');
    const host = new URL(impostor.url).host;
    expect(err.message).toContain(
      `${impostor.url}${pathOf('zmumu')}: certificate problem: the https certificate of ${host} was not accepted`
    );
    expect(err.message).toContain('OPENDATA_LAB_CA_FILE');
    expect(impostor.requests).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  } finally {
    await impostor.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an OPENDATA_LAB_CA_FILE that cannot be read is E_USAGE naming it, before anything is fetched', async () => {
  const server = await PortalServer.start('https');
  addPortalFiles(server, { [pathOf('zmumu')]: real.zmumu });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-download-'));
  const saved = process.env.OPENDATA_LAB_CA_FILE;
  const missing = path.join(dir, 'no-such-ca.pem');
  process.env.OPENDATA_LAB_CA_FILE = missing;
  try {
    const err = await failure(downloadFile(item('zmumu'), { dir, portal: server.url, ...fast }));
    expect(err.code).toBe('E_USAGE');
    expect(err.message).toContain(
      `OPENDATA_LAB_CA_FILE=${missing}: cannot read the certificate file`
    );
    expect(server.requests).toEqual([]);
  } finally {
    process.env.OPENDATA_LAB_CA_FILE = saved;
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an https URL to a port that speaks plain http: a failed TLS handshake naming the host', async () => {
  const plain = await PortalServer.start('http');
  addPortalFiles(plain, { [pathOf('zmumu')]: real.zmumu });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-download-'));
  try {
    const url = `${plain.url.replace(/^http:/, 'https:')}${pathOf('zmumu')}`;
    const err = await failure(downloadFile(url, { dir, ...fast, retries: 0 }));
    expect(err.code).toBe('E_NETWORK');
    expect(err.message).toBe(
      `${url}: TLS handshake with ${new URL(url).host} failed (wrong version number); does it serve https on this port?`
    );
  } finally {
    await plain.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('nothing listening at the address: the failure in words, with how many attempts were made', async () => {
  // A port that was just free: bind, read the port, close, then ask it.
  const probe = await PortalServer.start('http');
  const url = `${probe.url}${pathOf('zmumu')}`;
  await probe.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-download-'));
  try {
    const err = await failure(downloadFile(url, { dir, ...fast, retries: 2 }));
    expect(err.code).toBe('E_NETWORK');
    expect(err.message).toBe(
      `${url}: nothing answers at ${new URL(url).host}: the connection was refused (ECONNREFUSED) (gave up after 3 attempts)`
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
