import { Option } from 'commander';
import type { RecordFile } from '../core/record-files';
import { listFiles } from '../node/files';
import { RecordChoice, addRecordOptions, collect, openCatalog, recordKey } from './catalog-options';
import { CommandIO, RegisterCommand, writeJSON } from './io';

export interface FileFilterFlags {
  filterName?: string[];
  filterRegexp?: string;
  filterRange?: string[];
}

interface FilesFlags extends RecordChoice, FileFilterFlags {
  expand?: boolean;
  protocol?: 'http' | 'xrootd';
  json?: boolean;
}

/** --filter-name/--filter-regexp/--filter-range, as cernopendata-client has them. */
export function addFilterOptions<T extends import('commander').Command>(command: T): T {
  command
    .option(
      '--filter-name <name>',
      'only the file with this exact name (repeatable, or comma-separated)',
      collect
    )
    .option('--filter-regexp <re>', 'only files whose name matches this regular expression')
    .option(
      '--filter-range <i-j>',
      'only files i to j (1-based, inclusive) of those left (repeatable)',
      collect
    );
  return command;
}

export function filtersOf(flags: FileFilterFlags): {
  name?: string[];
  regexp?: string;
  range?: string[];
} {
  return {
    name: flags.filterName?.flatMap(n => n.split(',')).filter(n => n !== ''),
    regexp: flags.filterRegexp,
    range: flags.filterRange?.flatMap(r => r.split(',')).filter(r => r !== '')
  };
}

/** `size  checksum  uri` lines, sizes right-aligned. */
export function fileTable(files: RecordFile[]): string {
  const width = Math.max(4, ...files.map(f => String(f.size ?? '-').length));
  return files
    .map(
      f => `${String(f.size ?? '-').padStart(width)}  ${(f.checksum ?? '-').padEnd(16)}  ${f.uri}\n`
    )
    .join('');
}

async function files(
  recid: string | undefined,
  flags: FilesFlags,
  { out }: CommandIO
): Promise<void> {
  const record = await (await openCatalog(flags)).lookup(recordKey(recid, flags));
  const list = await listFiles(record, {
    ...filtersOf(flags),
    expand: flags.expand,
    protocol: flags.protocol,
    portal: flags.portal
  });
  if (flags.json) {
    writeJSON(
      out,
      list.map(f => ({ uri: f.uri, size: f.size, checksum: f.checksum }))
    );
    return;
  }
  out(fileTable(list));
}

export const registerFiles: RegisterCommand = (program, io) => {
  const command = program
    .command('files')
    .description("a record's files (--expand file indexes, --protocol http|xrootd, --filter-*)")
    .argument('[recid]', 'the record number, e.g. 80');
  addRecordOptions(command)
    .option('--expand', 'replace file indexes by the files they list')
    .addOption(
      new Option('--protocol <protocol>', 'URI form: xrootd (root://, as listed) or http').choices([
        'http',
        'xrootd'
      ])
    );
  addFilterOptions(command)
    .option('--json', 'machine-readable output: [{"uri", "size", "checksum"}]')
    .action((recid: string | undefined, flags: FilesFlags) => files(recid, flags, io));
};
