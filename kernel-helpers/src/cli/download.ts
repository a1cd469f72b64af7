import { OpenDataError } from '../core/errors';
import { DownloadOptions, DownloadResult, defaultCacheDir, downloadFile } from '../node/download';
import { downloadRecord } from '../node/files';
import { CatalogChoice, addCatalogOptions, openCatalog } from './catalog-options';
import { FileFilterFlags, addFilterOptions, filtersOf } from './files';
import { CommandIO, RegisterCommand, nonNegativeInteger, positiveInteger, writeJSON } from './io';

interface DownloadFlags extends CatalogChoice, FileFilterFlags {
  dir?: string;
  expand: boolean;
  verify?: boolean;
  retries: number;
  retryDelay: number;
  concurrency: number;
  timeout: number;
  progress: boolean;
  staged?: boolean;
  json?: boolean;
}

async function download(target: string, flags: DownloadFlags, { out }: CommandIO): Promise<void> {
  const options: DownloadOptions = {
    dir: flags.dir,
    verify: Boolean(flags.verify),
    retries: flags.retries,
    retryDelayMs: flags.retryDelay,
    concurrency: flags.concurrency,
    timeoutMs: flags.timeout,
    portal: flags.portal,
    progress: flags.progress ? undefined : false
  };
  let results: DownloadResult[];
  if (/^\d+$/.test(target.trim())) {
    // The directory is named after the recid asked for; the answer's must be the same.
    const recid = target.trim();
    const record = await (await openCatalog(flags)).get(recid);
    results = await downloadRecord(record, {
      ...options,
      ...filtersOf(flags),
      expand: flags.expand,
      staged: Boolean(flags.staged),
      recid
    });
  } else if (/^(root|https?):\/\//.test(target)) {
    results = [
      await downloadFile({ uri: target }, { ...options, dir: flags.dir ?? defaultCacheDir() })
    ];
  } else {
    throw new OpenDataError(
      'E_USAGE',
      `download: expected a RECID or a root://, http:// or https:// URI, got "${target}"`
    );
  }
  if (flags.json) {
    writeJSON(
      out,
      results.map(r => ({ path: r.path, size: r.size, checksum: r.checksum, verified: r.verified }))
    );
    return;
  }
  for (const r of results) {
    const state = r.verified ? 'verified' : 'not verified';
    out(
      `${r.path}  ${r.size} bytes  ${r.checksum ?? '-'}  ${state}${r.skipped ? ' (already there)' : ''}\n`
    );
  }
}

export const registerDownload: RegisterCommand = (program, io) => {
  const command = program
    .command('download')
    .description(
      "download a record's files (file indexes expanded) or one URI, resuming, with retries"
    )
    .argument('<recid-or-uri>', 'a record number (e.g. 5500) or a root://, http:// or https:// URI')
    .option(
      '--no-expand',
      'take file indexes as files (do not replace them by the files they list)'
    )
    .option(
      '--dir <dir>',
      'destination directory (default: <cache>/<recid>; cache: $OPENDATA_LAB_CACHE or ~/.cache/opendata-lab)'
    )
    .option('--verify', "check each file's adler32/sha1 against the record before completing it")
    .option('--retries <n>', 'retries per file after the first attempt', nonNegativeInteger, 5)
    .option(
      '--retry-delay <ms>',
      'first wait before a retry, doubled each time',
      nonNegativeInteger,
      500
    )
    .option('--concurrency <n>', 'files fetched at once', positiveInteger, 4)
    .option(
      '--timeout <ms>',
      'give up a request after this long without data',
      positiveInteger,
      30_000
    )
    .option('--no-progress', 'no progress bar on stderr')
    .option(
      '--staged',
      "the record's files on tape were staged on the portal: download them (else refused)"
    );
  addCatalogOptions(command);
  addFilterOptions(command)
    .option('--json', 'machine-readable output: [{"path", "size", "checksum", "verified"}]')
    .action((target: string, flags: DownloadFlags) => download(target, flags, io));
};
