import type { HEPDataTable } from '../core/hepdata';
import type * as HEPDataFile from '../node/hepdata-file';
import { CommandIO, RegisterCommand, writeJSON } from './io';

// Loaded when the command runs, not when the CLI starts (see event-file.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hepdataFile = () => require('../node/hepdata-file') as typeof HEPDataFile;

interface HepdataOptions {
  table?: string;
  json?: boolean;
}

/** A value cell for the text output: value, or [low, high], with its errors. */
function cell(v: { value?: unknown; low?: unknown; high?: unknown; errors?: unknown[] }): string {
  let text =
    v.low !== undefined || v.high !== undefined
      ? `[${v.low}, ${v.high}]${v.value !== undefined ? ` (${v.value})` : ''}`
      : String(v.value);
  for (const e of (v.errors ?? []) as {
    symerror?: unknown;
    asymerror?: { plus: unknown; minus: unknown };
    label?: string;
  }[]) {
    const size = e.asymerror ? `+${e.asymerror.plus} ${e.asymerror.minus}` : `±${e.symerror}`;
    text += ` ${size}${e.label ? ` (${e.label})` : ''}`;
  }
  return text;
}

function printTable(t: HEPDataTable, out: (text: string) => void): void {
  out(`${t.name}${t.description ? `: ${t.description.replace(/\s+/g, ' ').trim()}` : ''}\n`);
  const columns = [...t.independent_variables, ...t.dependent_variables];
  const title = (h: { name: string; units?: string }) =>
    h.units ? `${h.name} [${h.units}]` : h.name;
  out(`  ${columns.map(c => title(c.header)).join(' | ')}\n`);
  const rows = Math.max(0, ...columns.map(c => c.values.length));
  for (let i = 0; i < rows; i++) {
    out(`  ${columns.map(c => (c.values[i] ? cell(c.values[i]) : '')).join(' | ')}\n`);
  }
}

function hepdata(file: string, options: HepdataOptions, { out }: CommandIO): void {
  const tables = hepdataFile().readHEPData(file, { table: options.table });
  if (options.json) {
    writeJSON(out, {
      tables: tables.map(t => ({
        name: t.name,
        description: t.description,
        independent_variables: t.independent_variables,
        dependent_variables: t.dependent_variables
      }))
    });
    return;
  }
  tables.forEach((t, i) => {
    if (i > 0) out('\n');
    printTable(t, out);
  });
}

export const registerHepdata: RegisterCommand = (program, io) => {
  program
    .command('hepdata')
    .description(
      'the tables of a HEPData submission: a directory, its submission.yaml, a single-file record or a data file (YAML or JSON)'
    )
    .argument('<file>', 'submission directory, submission.yaml, record .yaml or data file')
    .option('--table <name>', 'only the table of this name')
    .option(
      '--json',
      'machine-readable output: {"tables": [{"name", "description", "independent_variables", "dependent_variables"}]}'
    )
    .action((file: string, options: HepdataOptions) => hepdata(file, options, io));
};
