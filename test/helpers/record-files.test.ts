// A record's files and file indexes, from the real records that reference the real index files.
import fs from 'fs';
import path from 'path';
import { OpenDataError } from '../../kernel-helpers/src/core/errors';
import {
  IndexLoader,
  RecordFile,
  expandRecordFiles,
  fileName,
  filterFiles,
  parseFileIndex,
  recordFiles,
  toHttpUri,
  toXrootdUri
} from '../../kernel-helpers/src/core/record-files';
import { listFiles } from '../../kernel-helpers/src/node/files';
import { PortalRecord, readFixtures, recordAnswer } from '../support/portal-api';
import { sharedPath } from '../support/shared-data';

interface IndexInfo {
  file: string;
  format: 'json' | 'txt';
  recid: string;
  record_fixture: string;
  entries: number;
}
const INDEX: { files: IndexInfo[] } = JSON.parse(
  fs.readFileSync(sharedPath('records', 'file-indices', 'INDEX.json'), 'utf8')
);
const indexPath = (name: string) => sharedPath('records', 'file-indices', name);

const records = new Map<string, PortalRecord>();
for (const info of INDEX.files) {
  const fixture = readFixtures([path.basename(info.record_fixture)]);
  records.set(info.recid, fixture.find(r => r.recid === info.recid) as PortalRecord);
}

/** Reads index files from the shared copies; counts what it was asked for. */
function sharedLoader(asked: string[] = []): IndexLoader {
  return async file => {
    asked.push(file.uri);
    return fs.readFileSync(indexPath(fileName(file.uri)));
  };
}

/** A record with only the index pair that exists in shared/data (plus its data files). */
function withLocalIndexes(record: PortalRecord): PortalRecord {
  const files = (record.files as RecordFile[]).filter(
    f => !/_file_index\.(json|txt)$/.test(f.uri) || fs.existsSync(indexPath(fileName(f.uri)))
  );
  return { ...record, files };
}

describe('the five real records and their real index files', () => {
  test.each(INDEX.files.filter(f => f.format === 'json').map(f => [f.recid, f]))(
    'record %s: the index pair is found, and expands to the entries INDEX.json counts',
    async (recid, info) => {
      const record = withLocalIndexes(records.get(recid as string) as PortalRecord);
      const files = recordFiles(record);
      const pair = INDEX.files.filter(f => f.recid === recid);
      expect(pair).toHaveLength(2);
      const index = files.indices.find(
        i => i.json && fileName(i.json.uri) === (info as IndexInfo).file
      );
      expect(index).toBeDefined();
      expect(fileName(index!.txt!.uri)).toBe(pair.find(f => f.format === 'txt')!.file);

      const asked: string[] = [];
      const expanded = await expandRecordFiles(files, sharedLoader(asked));
      // The JSON form is preferred (sizes and checksums); each index is loaded once.
      expect(asked).toEqual([index!.json!.uri]);
      const listed = JSON.parse(fs.readFileSync(indexPath((info as IndexInfo).file), 'utf8'));
      expect(expanded).toHaveLength((info as IndexInfo).entries);
      expect(expanded.map(f => [f.uri, f.size, f.checksum])).toEqual(
        listed.map((e: { uri: string; size: number; checksum: string }) => [
          e.uri,
          e.size,
          e.checksum
        ])
      );

      // The text form lists the same URIs, in the same order.
      const txt = fs.readFileSync(indexPath(pair.find(f => f.format === 'txt')!.file), 'utf8');
      expect(parseFileIndex(txt, 'txt').map(f => f.uri)).toEqual(expanded.map(f => f.uri));
    }
  );

  test('the API form (_file_indices in the portal stand-in answer) expands without loading anything', async () => {
    const record = records.get('6003') as PortalRecord;
    const answer = recordAnswer(record, 'http://127.0.0.1');
    const files = recordFiles(answer);
    expect(files.recid).toBe('6003');
    const local = files.indices.filter(i => i.files);
    expect(local).toHaveLength(1);
    const onlyExpanded = recordFiles({
      ...answer,
      metadata: {
        ...answer.metadata,
        files: [],
        _file_indices: (answer.metadata as unknown as { _file_indices: unknown })._file_indices
      }
    });
    const noLoader = await expandRecordFiles(onlyExpanded);
    const entries = INDEX.files.find(f => f.recid === '6003' && f.format === 'json')!.entries;
    expect(noLoader).toHaveLength(entries);
    // Indexes only listed (not expanded in the answer) still need a loader, and say so.
    const listedOnly = files.indices.find(i => !i.files);
    if (listedOnly) {
      await expect(expandRecordFiles(files)).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
    }
  });

  test('an index whose bytes do not match the declared adler32 or size is E_CHECKSUM', async () => {
    const files = recordFiles(withLocalIndexes(records.get('80') as PortalRecord));
    const flipped: IndexLoader = async file => {
      const bytes = Buffer.from(fs.readFileSync(indexPath(fileName(file.uri))));
      bytes[100] ^= 0x20;
      return bytes;
    };
    await expect(expandRecordFiles(files, flipped)).rejects.toMatchObject({
      code: 'E_CHECKSUM',
      message: expect.stringContaining('_file_index.json')
    });
    const html: IndexLoader = async () => Buffer.from('<!DOCTYPE html><html>error</html>');
    await expect(expandRecordFiles(files, html)).rejects.toMatchObject({ code: 'E_CHECKSUM' });
    await expect(
      expandRecordFiles(
        {
          ...files,
          files: files.files.map(f => ({ ...f, size: null, checksum: null })),
          indices: files.indices.map(i => ({
            ...i,
            json: i.json && { ...i.json, size: null, checksum: null }
          }))
        },
        html
      )
    ).rejects.toMatchObject({ code: 'E_FORMAT' });
  });

  test('listFiles: the record from the bundled snapshot, its index from the bundled copy', async () => {
    // Record 728 lists exactly one index pair, and the snapshot bundles it.
    const pairs = (records.get('728')!.files as RecordFile[]).filter(f =>
      f.uri.endsWith('_file_index.json')
    );
    expect(pairs).toHaveLength(1);
    const listed = JSON.parse(fs.readFileSync(indexPath(fileName(pairs[0].uri)), 'utf8'));
    const files = await listFiles('728', { expand: true, regexp: `^${fileName(listed[2].uri)}$` });
    expect(files).toEqual([
      { uri: listed[2].uri, size: listed[2].size, checksum: listed[2].checksum }
    ]);
    const http = await listFiles('728', { expand: true, range: ['1-2'], protocol: 'http' });
    expect(http.map(f => f.uri)).toEqual(
      listed.slice(0, 2).map((f: RecordFile) => toHttpUri(f.uri))
    );
  });

  test('an index with no local copy is fetched; when that fails the error names it', async () => {
    // Record 30527 lists two index pairs; only one is bundled. Port 9 refuses connections.
    const err = await listFiles(records.get('30527')!, {
      expand: true,
      portal: 'http://127.0.0.1:9',
      retries: 0
    }).catch(e => e);
    expect(err).toBeInstanceOf(OpenDataError);
    expect(err.code).toBe('E_NETWORK');
    expect(err.message).toMatch(/http:\/\/127\.0\.0\.1:9\/eos\/opendata\/cms\/.*_file_index\.json/);
    expect(err.message).toContain('has no local copy');
  });
});

describe('filters, as cernopendata-client applies them', () => {
  const listed: RecordFile[] = JSON.parse(
    fs.readFileSync(
      indexPath(INDEX.files.find(f => f.recid === '6003' && f.format === 'json')!.file),
      'utf8'
    )
  );
  const names = listed.map(f => fileName(f.uri));

  test('--filter-name: exact names, in the order of the files', () => {
    const picked = [names[5], names[1], 'no-such-file.root'];
    expect(filterFiles(listed, { name: picked }).map(f => fileName(f.uri))).toEqual([
      names[1],
      names[5]
    ]);
    expect(filterFiles(listed, { name: [names[1].slice(0, -1)] })).toEqual([]);
  });

  test('--filter-regexp searches the file name', () => {
    const re = '^[0-9A-C].*\\.root$';
    expect(filterFiles(listed, { regexp: re })).toEqual(
      listed.filter(f => new RegExp(re).test(fileName(f.uri)))
    );
    expect(() => filterFiles(listed, { regexp: '(' })).toThrow(
      expect.objectContaining({ code: 'E_USAGE' })
    );
  });

  test('--filter-range is 1-based and inclusive, over what the other filters left', () => {
    expect(filterFiles(listed, { range: ['1-3'] })).toEqual(listed.slice(0, 3));
    expect(filterFiles(listed, { range: ['2-2', '5-6'] })).toEqual([
      listed[1],
      listed[4],
      listed[5]
    ]);
    const re = '^[0-9]';
    const matching = listed.filter(f => /^[0-9]/.test(fileName(f.uri)));
    expect(matching.length).toBeGreaterThan(2);
    expect(filterFiles(listed, { regexp: re, range: ['2-3'] })).toEqual(matching.slice(1, 3));
    for (const bad of ['0-2', '3-2', `1-${listed.length + 1}`, 'a-b', '1-']) {
      expect(() => filterFiles(listed, { range: [bad] })).toThrow(
        expect.objectContaining({ code: 'E_USAGE' })
      );
    }
  });
});

describe('protocol forms', () => {
  const uris = [...records.values()].flatMap(r => (r.files as RecordFile[]).map(f => f.uri));

  test('root://eospublic.cern.ch//eos/... ↔ https://opendata.cern.ch/eos/..., and a configurable portal', () => {
    expect(uris.length).toBeGreaterThan(10);
    for (const uri of uris) {
      expect(uri.startsWith('root://eospublic.cern.ch//eos/opendata/')).toBe(true);
      const http = toHttpUri(uri);
      expect(http).toBe(
        'https://opendata.cern.ch/' + uri.slice('root://eospublic.cern.ch//'.length)
      );
      expect(toXrootdUri(http)).toBe(uri);
      const local = toHttpUri(uri, 'http://127.0.0.1:8123/');
      expect(local.startsWith('http://127.0.0.1:8123/eos/opendata/')).toBe(true);
      expect(toXrootdUri(local, 'http://127.0.0.1:8123')).toBe(uri);
    }
    expect(toHttpUri('https://example.org/x.root')).toBe('https://example.org/x.root');
  });
});
