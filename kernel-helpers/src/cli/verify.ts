import { OpenDataError } from '../core/errors';
import { verifyRecord } from '../node/files';
import { RecordChoice, addRecordOptions, openCatalog, recordKey } from './catalog-options';
import { FileFilterFlags, addFilterOptions, filtersOf } from './files';
import { CommandIO, RegisterCommand, writeJSON } from './io';

interface VerifyFlags extends RecordChoice, FileFilterFlags {
  dir?: string;
  expand: boolean;
  json?: boolean;
}

async function verify(
  recid: string | undefined,
  flags: VerifyFlags,
  { out }: CommandIO
): Promise<void> {
  const key = recordKey(recid, flags);
  const record = await (await openCatalog(flags)).lookup(key);
  const checks = await verifyRecord(record, {
    ...filtersOf(flags),
    expand: flags.expand,
    dir: flags.dir,
    portal: flags.portal,
    recid: 'recid' in key ? key.recid : undefined
  });
  const present = checks.filter(c => !c.problem?.endsWith(': missing')).length;
  const verified = checks.filter(c => c.verified).length;
  if (flags.json) {
    writeJSON(out, {
      files: checks.length,
      present,
      verified,
      results: checks.map(c => ({
        path: c.path,
        size: c.size,
        checksum: c.checksum,
        verified: c.verified,
        ...(c.problem ? { problem: c.problem } : {})
      }))
    });
  } else {
    out(`${present} of ${checks.length} files present, ${verified} verified (size and checksum)\n`);
    for (const c of checks) out(`${c.verified ? 'ok  ' : 'FAIL'}  ${c.problem ?? c.path}\n`);
  }
  if (verified < checks.length) {
    const first = checks.find(c => !c.verified);
    throw new OpenDataError(
      'E_CHECKSUM',
      `verify: ${checks.length - verified} of ${checks.length} files failed; first: ${first?.problem}`
    );
  }
}

export const registerVerify: RegisterCommand = (program, io) => {
  const command = program
    .command('verify')
    .description('check downloaded files of a record: count, size and checksum (like verify-files)')
    .argument('[recid]', 'the record number, e.g. 5500')
    .option(
      '--no-expand',
      'take file indexes as files (do not replace them by the files they list)'
    )
    .option('--dir <dir>', 'where the files are (default: <cache>/<recid>)');
  addRecordOptions(command);
  addFilterOptions(command)
    .option(
      '--json',
      'machine-readable output: {"files", "present", "verified", "results": [{"path", "size", "checksum", "verified", "problem"?}]}'
    )
    .action((recid: string | undefined, flags: VerifyFlags) => verify(recid, flags, io));
};
