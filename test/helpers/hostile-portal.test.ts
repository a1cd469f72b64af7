// Hostile answers from the portal stand-in (issue 18): the portal, or anything posing as it,
// controls the record JSON. A recid that is a path, a record for another recid, file names that
// are paths, malformed search hits. Through the helpers and the CLI (a child process with its
// cache under a temporary HOME, as a user runs it): no file may appear or change anywhere in the
// temporary tree but the record's own directory (the whole tree is listed before and after), and
// a refusal is one line naming the record and the file.
import { spawn } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import zlib from 'zlib';
import { OpenDataError } from '../../kernel-helpers/src/core/errors';
import { PortalCatalog, searchWarnings } from '../../kernel-helpers/src/core/portal-catalog';
import { recordFiles } from '../../kernel-helpers/src/core/record-files';
import { checkRecordShape, recordFileName } from '../../kernel-helpers/src/core/record-shape';
import { errorLine } from '../../kernel-helpers/src/cli/index';
import { nodeFetch } from '../../kernel-helpers/src/node/http';
import { downloadRecord, verifyRecord } from '../../kernel-helpers/src/node/files';
import { readTable } from '../../kernel-helpers/src/node/read-table';
import { addPortalFiles } from '../support/portal-files';
import { PortalServer } from '../support/portal-server';
import { REPO_ROOT, sharedPath } from '../support/shared-data';

const launcher = path.join(REPO_ROOT, 'kernel-helpers', 'bin', 'opendata.js');
jest.setTimeout(60_000);

/** The recid every test asks for, and a real file the stand-in serves for the record's files. */
const ASKED = '990111';
const CSV = sharedPath('events', 'csv', '4e_2011.csv');
const SIZE = fs.statSync(CSV).size;
const EOS = '/eos/opendata/cms/hostile';
const eos = (name: string) => `root://eospublic.cern.ch/${EOS}/${name}`;
const USERS_BASHRC = "# the user's own .bashrc\n";

let server: PortalServer;

beforeAll(async () => {
  server = await PortalServer.start();
  addPortalFiles(server, {
    [`${EOS}/4e_2011.csv`]: CSV,
    [`${EOS}/.bashrc`]: CSV,
    '/eos/opendata/cms/x': CSV, // where `hostile/../x` leads
    '/eos/opendata/x': CSV
  });
});
afterAll(() => server.close());
afterEach(() => server.clearFaults());

/** The stand-in answers /api/records/990111 with this metadata (any shape), every time. */
function serveRecord(metadata: unknown): void {
  server.fault(
    new RegExp(`^/api/records/${ASKED}$`),
    { kind: 'answer', body: JSON.stringify({ id: Number(ASKED), metadata }) },
    Infinity
  );
}

function serveSearch(answer: unknown): void {
  server.fault(/^\/api\/records\/?$/, { kind: 'answer', body: JSON.stringify(answer) }, Infinity);
}

const record = (recid: unknown, files: string[], extra: object = {}) => ({
  recid,
  title: 'A hostile record',
  experiment: ['CMS'],
  files: files.map(uri => ({ uri, size: SIZE })),
  ...extra
});

/** A temporary HOME with the user's .bashrc; the cache is $XDG_CACHE_HOME/opendata-lab inside it. */
interface Sandbox {
  root: string;
  home: string;
  cache: string;
  /** Where the record's files belong: <cache>/990111. */
  target: string;
}

const sandboxes: string[] = [];
afterAll(() => sandboxes.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

function sandbox(): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'opendata-hostile-'));
  sandboxes.push(root);
  const home = path.join(root, 'home');
  fs.mkdirSync(path.join(home, '.cache'), { recursive: true });
  fs.writeFileSync(path.join(home, '.bashrc'), USERS_BASHRC);
  const cache = path.join(home, '.cache', 'opendata-lab');
  return { root, home, cache, target: path.join(cache, ASKED) };
}

/** Every directory and file under `root` (relative path → "dir" or the file's sha256). */
function listTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      if (entry.isDirectory()) {
        out.set(rel, 'dir');
        walk(full);
      } else {
        out.set(rel, crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
      }
    }
  };
  walk(root);
  return out;
}

/** Paths added, removed or changed between two listings. */
function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const out = new Set<string>();
  for (const [p, v] of after) if (before.get(p) !== v) out.add(p);
  for (const p of before.keys()) if (!after.has(p)) out.add(p);
  return [...out].sort();
}

/** Runs `fn` and returns what changed anywhere under the sandbox's root. */
async function changesDuring(box: Sandbox, fn: () => Promise<unknown>): Promise<string[]> {
  const before = listTree(box.root);
  await fn();
  return changed(before, listTree(box.root));
}

function opendata(
  box: Sandbox,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return run(box, [process.execPath, launcher, ...args]);
}

/** The CLI on a terminal (a pseudo-terminal from Python's pty): what the user's terminal receives. */
function opendataOnTerminal(
  box: Sandbox,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const spawnPty = 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)';
  return run(box, ['python3', '-c', spawnPty, process.execPath, launcher, ...args]);
}

function run(
  box: Sandbox,
  [command, ...args]: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: box.home,
    XDG_CACHE_HOME: path.join(box.home, '.cache')
  };
  delete env.OPENDATA_LAB_CACHE;
  return new Promise(resolve => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('close', status => resolve({ status, stdout, stderr }));
  });
}

/** Runs `fn` with the helpers' cache ($OPENDATA_LAB_CACHE) in the sandbox. */
async function withCache<T>(box: Sandbox, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.OPENDATA_LAB_CACHE;
  process.env.OPENDATA_LAB_CACHE = box.cache;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.OPENDATA_LAB_CACHE;
    else process.env.OPENDATA_LAB_CACHE = saved;
  }
}

async function rejection(promise: Promise<unknown>): Promise<OpenDataError> {
  try {
    await promise;
  } catch (err) {
    return err as OpenDataError;
  }
  throw new Error('expected a rejection');
}

/** A one-line CLI error: exit 1, nothing on stdout, no stack or raw TypeError. */
function expectOneLineError(r: { status: number | null; stdout: string; stderr: string }): string {
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(r.stderr).not.toMatch(/TypeError|\n\s+at /);
  return lines[0];
}

describe('a record answer whose recid is not the one asked for', () => {
  const cases: [string, string, string[]][] = [
    ['a path out of the cache', '../../../escape-recid', [eos('4e_2011.csv')]],
    ['the home directory (and a file named .bashrc)', '../..', [eos('.bashrc')]],
    ['another record', '990112', [eos('4e_2011.csv')]]
  ];

  test.each(cases)(
    '%s (recid %j): opendata download refuses, nothing is written',
    async (_, recid, files) => {
      serveRecord(record(recid, files));
      const box = sandbox();
      let r!: Awaited<ReturnType<typeof opendata>>;
      const changes = await changesDuring(box, async () => {
        r = await opendata(
          box,
          'download',
          ASKED,
          '--portal',
          server.url,
          '--no-progress',
          '--retries',
          '0'
        );
      });
      expect(changes).toEqual([]);
      expect(fs.readFileSync(path.join(box.home, '.bashrc'), 'utf8')).toBe(USERS_BASHRC);
      const line = expectOneLineError(r);
      expect(line).toContain(`record ${ASKED}`);
      expect(line).toContain(recid);
    }
  );

  test.each(cases)(
    '%s (recid %j): opendata verify refuses to read outside the cache',
    async (_, recid, files) => {
      serveRecord(record(recid, files));
      const box = sandbox();
      // The file the old code would have checked (and so disclosed the size and checksum of).
      fs.copyFileSync(CSV, path.join(box.home, '.bashrc'));
      let r!: Awaited<ReturnType<typeof opendata>>;
      const changes = await changesDuring(box, async () => {
        r = await opendata(box, 'verify', ASKED, '--portal', server.url, '--json');
      });
      expect(changes).toEqual([]);
      const line = expectOneLineError(r);
      expect(line).toContain(`record ${ASKED}`);
      expect(line).toContain(recid);
    }
  );

  test.each(cases)(
    '%s (recid %j): the helpers refuse it (E_FORMAT), nothing is written',
    async (_, recid, files) => {
      serveRecord(record(recid, files));
      const box = sandbox();
      const portal = server.url;
      let download!: OpenDataError;
      let verify!: OpenDataError;
      let get!: OpenDataError;
      const changes = await changesDuring(box, () =>
        withCache(box, async () => {
          download = await rejection(
            downloadRecord(ASKED, { portal, progress: false, retries: 0 })
          );
          verify = await rejection(verifyRecord(ASKED, { portal }));
          get = await rejection(new PortalCatalog(portal, { fetch: nodeFetch }).get(ASKED));
        })
      );
      expect(changes).toEqual([]);
      for (const err of [download, verify, get]) {
        expect(err).toBeInstanceOf(OpenDataError);
        expect(err.code).toBe('E_FORMAT');
        expect(err.message).toContain(`record ${ASKED}`);
        expect(err.message).toContain(recid);
      }
    }
  );

  test('record metadata handed to downloadRecord with a recid that is a path is refused', async () => {
    const box = sandbox();
    const meta = record('../..', [eos('.bashrc')]);
    let err!: OpenDataError;
    const changes = await changesDuring(box, () =>
      withCache(box, async () => {
        err = await rejection(downloadRecord(meta, { portal: server.url, progress: false }));
      })
    );
    expect(changes).toEqual([]);
    expect(err.code).toBe('E_FORMAT');
    expect(err.message).toContain('"../.."');
    // And with the recid asked for, another record's metadata is refused too.
    const other = record('990112', [eos('4e_2011.csv')]);
    const wrong = await withCache(box, () =>
      rejection(downloadRecord(other, { recid: ASKED, portal: server.url, progress: false }))
    );
    expect(wrong.message).toBe(
      `record ${ASKED}: the answer is for record 990112, not the one asked for`
    );
  });
});

describe('file names that are paths', () => {
  const hostile: [string, (box: Sandbox) => string][] = [
    ['a ".." segment', () => `root://eospublic.cern.ch/${EOS}/../x`],
    ['encoded "../"', () => eos('..%2F..%2F..%2Fx')],
    ['an absolute path', box => path.join(box.root, 'abs', 'evil.csv')],
    ['a file:// URI', box => `file://${path.join(box.root, 'abs', 'evil.csv')}`],
    ['a Windows drive letter', () => eos('C:evil.csv')],
    ['Windows separators', () => eos('..\\..\\evil.csv')],
    ['a terminal escape', () => eos('evil\u001b]0;owned\u0007.csv')],
    ['a NUL', () => eos('evil\u0000.csv')]
  ];

  test.each(hostile)(
    '%s: opendata download refuses the record, names it and the file, fetches nothing',
    async (_, uriOf) => {
      const box = sandbox();
      const uri = uriOf(box);
      serveRecord(record(ASKED, [eos('4e_2011.csv'), uri]));
      let r!: Awaited<ReturnType<typeof opendata>>;
      const changes = await changesDuring(box, async () => {
        r = await opendata(
          box,
          'download',
          ASKED,
          '--portal',
          server.url,
          '--no-progress',
          '--retries',
          '0'
        );
      });
      expect(changes).toEqual([]);
      const line = expectOneLineError(r);
      expect(line).toContain(`record ${ASKED}: file ${JSON.stringify(uri)}`);
      // No raw control character reaches the terminal.
      // eslint-disable-next-line no-control-regex
      expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    }
  );

  test.each(hostile)(
    '%s: downloadRecord and verifyRecord refuse it (E_FORMAT)',
    async (_, uriOf) => {
      const box = sandbox();
      const uri = uriOf(box);
      serveRecord(record(ASKED, [eos('4e_2011.csv'), uri]));
      let errors!: OpenDataError[];
      const changes = await changesDuring(box, () =>
        withCache(box, async () => {
          errors = [
            await rejection(
              downloadRecord(ASKED, { portal: server.url, progress: false, retries: 0 })
            ),
            await rejection(verifyRecord(ASKED, { portal: server.url }))
          ];
        })
      );
      expect(changes).toEqual([]);
      for (const err of errors) {
        expect(err.code).toBe('E_FORMAT');
        expect(err.message).toContain(`record ${ASKED}: file ${JSON.stringify(uri)}`);
      }
    }
  );

  test("a file named like another one's partial file (x and x.part) is refused before any fetch", async () => {
    serveRecord(record(ASKED, [eos('4e_2011.csv'), eos('4e_2011.csv.part')]));
    const box = sandbox();
    let err!: OpenDataError;
    const changes = await changesDuring(box, () =>
      withCache(box, async () => {
        err = await rejection(downloadRecord(ASKED, { portal: server.url, progress: false }));
      })
    );
    expect(changes).toEqual([]);
    expect(err.message).toBe(
      `${eos('4e_2011.csv.part')} would be saved as 4e_2011.csv.part, the partial file of ${eos('4e_2011.csv')}`
    );
  });

  test('readTable refuses a URL whose file name is not one plain name, before fetching', async () => {
    const box = sandbox();
    for (const name of ['C:evil.csv', 'evil\u001b[2J.csv', '..%2F..%2Fevil.csv', 'nul.csv']) {
      const uri = eos(name);
      let err!: OpenDataError;
      const changes = await changesDuring(box, async () => {
        err = await rejection(
          readTable(uri, { cacheDir: box.cache, download: { portal: server.url, progress: false } })
        );
      });
      expect(changes).toEqual([]);
      expect(err.code).toBe('E_USAGE');
      expect(err.message).toContain(`${JSON.stringify(uri)}: the URL names no file`);
    }
  });

  test('control: a well-formed record with a file named .bashrc lands in <cache>/990111 only', async () => {
    serveRecord(record(ASKED, [eos('4e_2011.csv'), eos('.bashrc')]));
    const box = sandbox();
    let r!: Awaited<ReturnType<typeof opendata>>;
    const changes = await changesDuring(box, async () => {
      r = await opendata(box, 'download', ASKED, '--portal', server.url, '--no-progress', '--json');
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const inCache = path.relative(box.root, box.target);
    expect(changes).toEqual(
      [
        path.relative(box.root, box.cache),
        inCache,
        path.join(inCache, '.bashrc'),
        path.join(inCache, '4e_2011.csv')
      ].sort()
    );
    expect(fs.readFileSync(path.join(box.home, '.bashrc'), 'utf8')).toBe(USERS_BASHRC);
    expect(fs.readFileSync(path.join(box.target, '.bashrc')).equals(fs.readFileSync(CSV))).toBe(
      true
    );
  });
});

describe('malformed search hits and record fields', () => {
  // A valid hit, a null recid, a string experiment (coerced), a title that is an object, a recid
  // that is a path; a facet bucket without a key and a subtype list that is not one.
  const answer = {
    hits: {
      total: 5,
      hits: [
        { metadata: record('990201', [], { title: 'Valid dimuon hit' }) },
        { metadata: { recid: null, title: 'No recid' } },
        { metadata: { recid: '990203', title: 'String experiment', experiment: 'CMS' } },
        { metadata: { recid: '990204', title: { html: '<b>x</b>' }, experiment: ['CMS'] } },
        { metadata: { recid: '../x', title: 'Path recid', experiment: ['CMS'] } }
      ]
    },
    aggregations: {
      experiment: { buckets: [{ key: 'CMS', doc_count: 2 }, { key: null }] },
      type: { buckets: [{ key: 'Dataset', doc_count: 1, subtype: { buckets: 5 } }] }
    }
  };

  test('the portal source keeps the valid hits, coerces the string experiment, and names what it dropped', async () => {
    serveSearch(answer);
    const result = await new PortalCatalog(server.url, { fetch: nodeFetch }).search('dimuon');
    expect(result.hits.map(h => [h.recid, h.title, h.experiment])).toEqual([
      ['990201', 'Valid dimuon hit', ['CMS']],
      ['990203', 'String experiment', ['CMS']]
    ]);
    expect(result.total).toBe(5);
    expect(result.facets.experiment).toEqual([{ key: 'CMS', count: 2 }]);
    expect(result.facets.type).toEqual([{ key: 'Dataset', count: 1 }]);
    const warnings = searchWarnings(result);
    expect(warnings).toEqual([
      'hit 2: recid: expected digits, got null',
      'hit 4 (record 990204): title: expected a text, got an object',
      'hit 5: recid: expected digits, got the text "../x"',
      'facet experiment: a bucket without a key and a count; skipped'
    ]);
  });

  test('opendata search lists the valid hits and warns on stderr in one line', async () => {
    serveSearch(answer);
    const box = sandbox();
    const r = await opendata(box, 'search', 'dimuon', '--portal', server.url);
    expect(r.status).toBe(0);
    const rows = r.stdout.split('\n').filter(l => /^99\d{4} /.test(l));
    expect(rows.map(l => l.split(/\s+/).slice(0, 2))).toEqual([
      ['990201', 'CMS'],
      ['990203', 'CMS']
    ]);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^opendata search: warning: left out 4 malformed entries/);
    expect(lines[0]).toContain('hit 2: recid: expected digits, got null');
    const json = await opendata(box, 'search', 'dimuon', '--portal', server.url, '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout).hits.map((h: { experiment: unknown }) => h.experiment)).toEqual([
      ['CMS'],
      ['CMS']
    ]);
  });

  test('opendata record prints a record whose experiment and type are strings', async () => {
    serveRecord({
      recid: ASKED,
      title: 'Strings where lists belong',
      experiment: 'CMS',
      type: { primary: 'Dataset', secondary: 'Collision' }
    });
    const r = await opendata(sandbox(), 'record', ASKED, '--portal', server.url);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^experiment\s+CMS$/m);
    expect(r.stdout).toMatch(/^type\s+Dataset::Collision$/m);
  });

  test('on a terminal, escape sequences in a record are shown, not obeyed', async () => {
    const title = 'Harmless\u001b]0;owned\u0007\u001b[2J title';
    serveRecord({ recid: ASKED, title, experiment: ['CMS'] });
    const r = await opendataOnTerminal(sandbox(), 'record', ASKED, '--portal', server.url);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('Harmless\\u001b]0;owned\\u0007\\u001b[2J title');
    // Piped (not a terminal), the output is the record's text as it is.
    const piped = await opendata(sandbox(), 'record', ASKED, '--portal', server.url);
    expect(piped.stdout.split('\n')[0]).toBe(title);
  });

  test('a record field of the wrong type is E_FORMAT naming the record and the field', async () => {
    serveRecord({
      recid: ASKED,
      title: 'Bad authors',
      authors: 'Someone',
      files: [{ uri: eos('a.csv'), size: 'big' }]
    });
    const err = await rejection(new PortalCatalog(server.url, { fetch: nodeFetch }).get(ASKED));
    expect(err.code).toBe('E_FORMAT');
    expect(err.message).toBe(
      `record ${ASKED}: authors: expected a list, got the text "Someone" (and 1 more) (from ${server.url}/api/records/${ASKED})`
    );
    const r = await opendata(sandbox(), 'files', ASKED, '--portal', server.url);
    expect(expectOneLineError(r)).toContain(`record ${ASKED}: authors: expected a list`);
  });

  test('an unexpected error is one line naming the command, never a raw TypeError', () => {
    expect(errorLine(new TypeError('h.experiment.join is not a function'), 'search')).toBe(
      'opendata search: internal error (TypeError: h.experiment.join is not a function); please report it'
    );
    expect(errorLine(new OpenDataError('E_FORMAT', 'record 1: file "a\u001b[2Jb"\nx'))).toBe(
      'opendata: record 1: file "a\\u001b[2Jb" x'
    );
  });
});

describe('the real records fit the shape', () => {
  // Every record of the bundled snapshot (7600, from the portal) passes the checks unchanged in
  // meaning, and every file name of theirs is accepted: the checks refuse no real data.
  const dir = path.join(REPO_ROOT, 'data', 'catalog', 'records');
  const records = fs
    .readdirSync(dir)
    .flatMap(
      f =>
        Object.values(
          JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, f))).toString())
        ) as Record<string, unknown>[]
    );

  test('checkRecordShape accepts every snapshot record as it is', () => {
    expect(records.length).toBeGreaterThan(7000);
    const bad = records
      .map(r => checkRecordShape(r))
      .filter(c => !c.ok)
      .map(c => (c.ok ? '' : `${c.recid}: ${c.problems[0]}`));
    expect(bad).toEqual([]);
    const sample = records.find(r => (r as { recid: string }).recid === '5500')!;
    const checked = checkRecordShape(sample);
    expect(checked.ok && checked.record).toEqual(sample);
  });

  test('recordFileName accepts every file of the snapshot records', () => {
    let n = 0;
    const refused: string[] = [];
    for (const r of records) {
      for (const f of recordFiles(r).files) {
        n++;
        try {
          recordFileName(f.uri, String(r.recid));
        } catch (err) {
          refused.push((err as Error).message);
        }
      }
    }
    expect(n).toBeGreaterThan(20_000);
    expect(refused).toEqual([]);
  });
});
