// ByteSources over a real ROOT file: HTTP Range reads from the portal stand-in (over http and
// https), and a local file.
import fs from 'fs';
import { OpenDataError } from '../../kernel-helpers/src/core/errors';
import { FileByteSource } from '../../kernel-helpers/src/node/file-byte-source';
import { HttpByteSource } from '../../kernel-helpers/src/node/http-range';
import { FileRoutes, addPortalFiles } from '../support/portal-files';
import { PortalServer } from '../support/portal-server';
import { sharedPath } from '../support/shared-data';
import { PROTOCOLS, trustTestCA } from '../support/tls';

const file = sharedPath('events', 'root', 'uproot-issue79.root');
const bytes = fs.readFileSync(file);
const URL_PATH = '/eos/opendata/cms/test/uproot-issue79.root';
const XROOTD = `root://eospublic.cern.ch/${URL_PATH}`;

async function failure(promise: Promise<unknown>): Promise<OpenDataError> {
  const err = await promise.then(
    () => null,
    e => e
  );
  expect(err).toBeInstanceOf(OpenDataError);
  return err as OpenDataError;
}

/** Reads that cross block boundaries, start at 0, end at the last byte, and are empty. */
function sampleReads(size: number): [number, number][] {
  const reads: [number, number][] = [
    [0, 4],
    [0, 100],
    [size - 1, 1],
    [size - 70_000, 70_000],
    [12_345, 0]
  ];
  for (let i = 0, x = 7; i < 40; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const offset = x % size;
    const length = Math.min(size - offset, (x >> 8) % 200_000);
    reads.push([offset, length]);
  }
  return reads;
}

trustTestCA();

describe.each(PROTOCOLS)('over %s', protocol => {
  let server: PortalServer;
  let routes: FileRoutes;

  beforeAll(async () => {
    server = await PortalServer.start(protocol);
    routes = addPortalFiles(server, { [URL_PATH]: file });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.clearFaults();
    server.requests.length = 0;
    routes.ignoreRange = false;
  });

  describe('HttpByteSource', () => {
    test('size and random reads equal the real file; every request is a Range request', async () => {
      const source = new HttpByteSource(XROOTD, { portal: server.url, blockSize: 32 * 1024 });
      expect(source.name).toBe(`${server.url}${URL_PATH}`);
      expect(await source.size()).toBe(bytes.length);
      for (const [offset, length] of sampleReads(bytes.length)) {
        const got = await source.read(offset, length);
        expect(Buffer.from(got).equals(bytes.subarray(offset, offset + length))).toBe(true);
      }
      expect(server.requests.every(r => /^bytes=\d+-\d+$/.test(String(r.headers.range)))).toBe(
        true
      );
      await source.close();
    });

    test('adjacent missing blocks are fetched in one request; cached blocks are not fetched again', async () => {
      const blockSize = 16 * 1024;
      const source = new HttpByteSource(`${server.url}${URL_PATH}`, { blockSize, cacheBlocks: 16 });
      await source.size(); // block 0
      expect(source.stats.requests).toBe(1);
      await source.read(3 * blockSize + 10, 4 * blockSize); // blocks 3..7
      expect(source.stats.requests).toBe(2);
      expect(server.requests[1].headers.range).toBe(`bytes=${3 * blockSize}-${8 * blockSize - 1}`);
      await source.read(4 * blockSize, 100); // cached
      await source.read(10, 20); // block 0, cached
      expect(source.stats.requests).toBe(2);
      // Concurrent reads of the same blocks share one request.
      await Promise.all([source.read(20 * blockSize, 10), source.read(20 * blockSize + 5, 10)]);
      expect(source.stats.requests).toBe(3);
      await source.close();
    });

    test('reads past the end are E_FORMAT naming the URL', async () => {
      const source = new HttpByteSource(`${server.url}${URL_PATH}`, {});
      const err = await failure(source.read(bytes.length - 10, 11));
      expect(err.code).toBe('E_FORMAT');
      expect(err.message).toContain(`${server.url}${URL_PATH}`);
      expect(err.message).toContain('past the end');
      await source.close();
      expect((await failure(source.read(0, 1))).code).toBe('E_USAGE');
    });

    test('a server that ignores Range is a clear E_UNSUPPORTED, not the wrong bytes', async () => {
      routes.ignoreRange = true;
      const source = new HttpByteSource(`${server.url}${URL_PATH}`, { blockSize: 4096 });
      const err = await failure(source.read(100_000, 10));
      expect(err.code).toBe('E_UNSUPPORTED');
      expect(err.message).toMatch(/ignores HTTP Range/);
      await source.close();
    });

    test('500 and a reset part-way are retried; a 404 is E_NOT_FOUND', async () => {
      server.fault(/issue79/, { kind: 'status', status: 500 }, 1);
      server.fault(/issue79/, { kind: 'reset', afterBytes: 1000 }, 1);
      const source = new HttpByteSource(`${server.url}${URL_PATH}`, {
        blockSize: 64 * 1024,
        retryDelayMs: 5
      });
      const got = await source.read(200_000, 50_000);
      expect(Buffer.from(got).equals(bytes.subarray(200_000, 250_000))).toBe(true);
      expect(server.requests.length).toBeGreaterThanOrEqual(3);
      await source.close();

      const missing = new HttpByteSource(`${server.url}/eos/opendata/cms/none.root`, {
        retryDelayMs: 5
      });
      expect((await failure(missing.size())).code).toBe('E_NOT_FOUND');
      await missing.close();
    });
  });
});

test('HttpByteSource: an https certificate from a CA nobody trusts is E_NETWORK naming the host, at once', async () => {
  const impostor = await PortalServer.start({ protocol: 'https', certificate: 'untrusted' });
  addPortalFiles(impostor, { [URL_PATH]: file });
  const source = new HttpByteSource(`${impostor.url}${URL_PATH}`, { retryDelayMs: 5000 });
  try {
    const started = Date.now();
    const err = await failure(source.read(0, 10));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.code).toBe('E_NETWORK');
    expect(err.message).toContain(
      `certificate problem: the https certificate of ${new URL(impostor.url).host} was not accepted`
    );
    expect(impostor.requests).toEqual([]);
  } finally {
    await source.close();
    await impostor.close();
  }
});

describe('FileByteSource', () => {
  test('size and random reads equal the file', async () => {
    const source = new FileByteSource(file);
    expect(source.name).toBe(file);
    expect(await source.size()).toBe(bytes.length);
    for (const [offset, length] of sampleReads(bytes.length)) {
      expect(
        Buffer.from(await source.read(offset, length)).equals(
          bytes.subarray(offset, offset + length)
        )
      ).toBe(true);
    }
    const err = await failure(source.read(bytes.length, 1));
    expect(err.code).toBe('E_FORMAT');
    expect(err.message).toContain(file);
    await source.close();
    expect((await failure(source.read(0, 1))).code).toBe('E_USAGE');
  });

  test('a missing file is E_NOT_FOUND naming it', async () => {
    const source = new FileByteSource('/nonexistent/x.root');
    const err = await failure(source.size());
    expect(err.code).toBe('E_NOT_FOUND');
    expect(err.message).toContain('/nonexistent/x.root');
    await source.close();
  });
});
