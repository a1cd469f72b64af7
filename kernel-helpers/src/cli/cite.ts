import { Option } from 'commander';
import {
  CITATION_FORMATS,
  CitableRecord,
  CitationFormat,
  citationCsl,
  formatCitation
} from '../core/citation';
import { RecordChoice, addRecordOptions, openCatalog, recordKey } from './catalog-options';
import { CommandIO, RegisterCommand, writeJSON } from './io';

interface CiteFlags extends RecordChoice {
  format: CitationFormat;
  json?: boolean;
}

async function cite(
  recid: string | undefined,
  flags: CiteFlags,
  { out }: CommandIO
): Promise<void> {
  const record = (await (
    await openCatalog(flags)
  ).lookup(recordKey(recid, flags))) as CitableRecord;
  if (!flags.json) {
    out(formatCitation(record, flags.format));
  } else if (flags.format === 'csl-json') {
    writeJSON(out, [citationCsl(record)]);
  } else {
    writeJSON(out, { format: flags.format, citation: formatCitation(record, flags.format) });
  }
}

export const registerCite: RegisterCommand = (program, io) => {
  const command = program
    .command('cite')
    .description("a record's citation: the portal's text, BibTeX, CSL-JSON or RIS")
    .argument('[recid]', 'the record number, e.g. 5500');
  addRecordOptions(command)
    .addOption(
      new Option('--format <format>', 'citation format').choices(CITATION_FORMATS).default('text')
    )
    .option('--json', 'JSON output: the CSL-JSON array for csl-json, else {"format", "citation"}')
    .action((recid: string | undefined, flags: CiteFlags) => cite(recid, flags, io));
};
