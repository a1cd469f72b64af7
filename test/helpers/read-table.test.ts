// readTable over the network: real CSV and Arrow files served by the portal stand-in read the
// same as the local files, are fetched once and then read from the cache, survive a server error,
// and name the URL in errors about their contents; over http and https.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Table } from 'apache-arrow';
import {
  OpenDataError,
  cachedTablePath,
  readArrowFile,
  readCSV,
  readTable
} from '../../kernel-helpers/src';
import { main } from '../../kernel-helpers/src/cli';
import { addPortalFiles } from '../support/portal-files';
import { PortalServer } from '../support/portal-server';
import { sharedPath } from '../support/shared-data';
import { PROTOCOLS, trustTestCA } from '../support/tls';

const csvFile = sharedPath('events', 'csv', 'Zmumu_Run2011A.csv');
const arrowFile = sharedPath('events', 'derived', 'uproot-Zmumu.derived.arrow');
const CSV_PATH = '/eos/opendata/cms/test/Zmumu_Run2011A.csv';
const ARROW_PATH = '/eos/opendata/cms/test/uproot-Zmumu.derived.arrow';
const RAGGED_PATH = '/eos/opendata/cms/test/ragged.csv';

trustTestCA();

describe.each(PROTOCOLS)('over %s', protocol => {
  let server: PortalServer;
  let tmp: string;
  let cacheDir: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-read-table-'));
    const ragged = path.join(tmp, 'ragged.csv');
    fs.writeFileSync(ragged, 'a,b\n1,2\n3,4,5\n');
    server = await PortalServer.start(protocol);
    addPortalFiles(server, { [CSV_PATH]: csvFile, [ARROW_PATH]: arrowFile, [RAGGED_PATH]: ragged });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(() => {
    cacheDir = fs.mkdtempSync(path.join(tmp, 'cache-'));
    server.clearFaults();
  });

  /** Where two tables differ (names, types, rows, the first differing cell), or null. */
  function difference(a: Table, b: Table): string | null {
    const shape = (t: Table) =>
      JSON.stringify([t.numRows, t.schema.fields.map(f => `${f.name}:${f.type}`)]);
    if (shape(a) !== shape(b)) return `${shape(a)} vs ${shape(b)}`;
    for (const f of a.schema.fields) {
      const x = a.getChild(f.name)!;
      const y = b.getChild(f.name)!;
      for (let i = 0; i < a.numRows; i++) {
        if (!Object.is(x.get(i), y.get(i))) return `${f.name}[${i}]: ${x.get(i)} vs ${y.get(i)}`;
      }
    }
    return null;
  }

  const gets = (urlPath: string) =>
    server.requests.filter(r => new URL(r.url, server.url).pathname === urlPath).length;

  test('a CSV URL reads as the local file, once: later reads come from the cache', async () => {
    const url = `${server.url}${CSV_PATH}`;
    const options = { cacheDir, download: { progress: false as const } };
    const before = gets(CSV_PATH);
    const remote = await readTable(url, options);
    expect(difference(remote, readCSV(csvFile))).toBeNull();
    expect(fs.readFileSync(cachedTablePath(url, cacheDir)).equals(fs.readFileSync(csvFile))).toBe(
      true
    );
    expect(gets(CSV_PATH)).toBe(before + 1);

    await readTable(url, options);
    expect(gets(CSV_PATH)).toBe(before + 1); // the cached copy
    await readTable(url, { ...options, refresh: true });
    expect(gets(CSV_PATH)).toBe(before + 2);
  });

  test("an Arrow file by the portal's root:// URI, after a server error", async () => {
    server.fault(new RegExp(`^${ARROW_PATH}$`), { kind: 'status', status: 500 });
    const before = gets(ARROW_PATH);
    const table = await readTable(`root://eospublic.cern.ch/${ARROW_PATH}`, {
      cacheDir,
      download: { portal: server.url, progress: false, retries: 2, retryDelayMs: 10 }
    });
    expect(difference(table, readArrowFile(arrowFile))).toBeNull();
    expect(gets(ARROW_PATH)).toBe(before + 2); // the 500, then the file
  });

  test('an error about the contents names the URL', async () => {
    const url = `${server.url}${RAGGED_PATH}`;
    const read = readTable(url, { cacheDir, download: { progress: false } });
    await expect(read).rejects.toThrow(OpenDataError);
    await expect(read).rejects.toThrow(
      `${url} (cached at ${cachedTablePath(url, cacheDir)}): line 3: expected 2 fields`
    );
  });

  test('files of the same name at different URLs are cached apart', () => {
    const a = cachedTablePath('https://a.example/x/data.csv', cacheDir);
    const b = cachedTablePath('https://b.example/y/data.csv', cacheDir);
    expect(path.basename(a)).toBe('data.csv');
    expect(a).not.toBe(b);
    // A URL without a file name is refused before anything is fetched or looked up.
    for (const url of [`${server.url}/eos/`, `${server.url}/eos/..`, `${server.url}/eos/.?x=1`]) {
      expect(() => cachedTablePath(url, cacheDir)).toThrow(
        'the URL names no file to read a table from'
      );
    }
  });

  test('the CLI reads columns of a CSV by its root:// URI through the same cache', async () => {
    const saved = process.env.OPENDATA_LAB_CACHE;
    process.env.OPENDATA_LAB_CACHE = cacheDir;
    let out = '';
    let err = '';
    try {
      const uri = `root://eospublic.cern.ch/${CSV_PATH}`;
      const code = await main(
        [
          'node',
          'opendata',
          'read',
          uri,
          '--portal',
          server.url,
          '--columns',
          'pt1,Q1',
          '--entries',
          '0-3',
          '--json'
        ],
        t => (out += t),
        t => (err += t)
      );
      expect({ code, err }).toEqual({ code: 0, err: '' });
      const local = readCSV(csvFile);
      const first = (name: string) =>
        Array.from(local.getChild(name)!.toArray() as ArrayLike<number>).slice(0, 3);
      expect(JSON.parse(out)).toEqual({ columns: { pt1: first('pt1'), Q1: first('Q1') } });
      expect(fs.existsSync(cachedTablePath(uri, cacheDir))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.OPENDATA_LAB_CACHE;
      else process.env.OPENDATA_LAB_CACHE = saved;
    }
  });
});
