import type { CatalogRecord } from '../core/catalog-build';
import { plainText, typeKeys } from '../core/catalog-build';
import { addRecordOptions, openCatalog, recordKey, RecordChoice } from './catalog-options';
import { CommandIO, RegisterCommand, writeJSON } from './io';

interface RecordFlags extends RecordChoice {
  json?: boolean;
}

async function record(
  recid: string | undefined,
  flags: RecordFlags,
  { out }: CommandIO
): Promise<void> {
  const key = recordKey(recid, flags);
  const r = await (await openCatalog(flags)).lookup(key);
  if (flags.json) {
    writeJSON(out, r);
    return;
  }
  out(describe(r));
}

/** The fields a reader looks at first, one per line; --json has everything. */
function describe(r: CatalogRecord): string {
  const dist = (r.distribution ?? {}) as Record<string, unknown>;
  const collision = (r.collision_information ?? {}) as Record<string, string>;
  const files = Array.isArray(r.files) ? r.files.length : 0;
  const fields: [string, unknown][] = [
    ['recid', r.recid],
    ['doi', r.doi],
    ['experiment', (r.experiment as string[] | undefined)?.join(', ')],
    ['type', typeKeys(r.type).join(', ')],
    ['collaboration', (r.collaboration as { name?: string } | undefined)?.name],
    ['published', r.date_published],
    ['created', (r.date_created as string[] | undefined)?.join(', ')],
    ['collision', [collision.energy, collision.type].filter(Boolean).join(' ')],
    ['events', dist.number_events],
    ['files', dist.number_files ?? (files || undefined)],
    ['size', dist.size],
    ['formats', (dist.formats as string[] | undefined)?.join(', ')],
    ['license', (r.license as { attribution?: string } | undefined)?.attribution],
    ['url', `https://opendata.cern.ch/record/${r.recid}`]
  ];
  const lines = [r.title, ''];
  for (const [name, value] of fields) {
    if (value !== undefined && value !== null && value !== '') {
      lines.push(`${name.padEnd(13)} ${value}`);
    }
  }
  const abstract = plainText((r.abstract as { description?: string } | undefined)?.description);
  if (abstract) lines.push('', abstract);
  return lines.join('\n') + '\n';
}

export const registerRecord: RegisterCommand = (program, io) => {
  const command = program
    .command('record')
    .description("a record's metadata, as the portal has it (by RECID, --doi or --title)")
    .argument('[recid]', 'the record number, e.g. 5500');
  addRecordOptions(command)
    .option('--json', "machine-readable output: the record's metadata object")
    .action((recid: string | undefined, flags: RecordFlags) => record(recid, flags, io));
};
