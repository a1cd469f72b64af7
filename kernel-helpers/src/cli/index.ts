// The `opendata` command line: what the JupyterLab panel does, from a terminal (docs/cli.md is the
// contract). Exit codes: 0 ok, 1 error (one line on stderr), 2 bad usage. Each command lives in its
// own module and registers itself here.
import { Command, CommanderError } from 'commander';
import { OpenDataError } from '../core/errors';
import { withoutControls } from '../core/record-shape';
import { registerCitations } from './citations';
import { registerCite } from './cite';
import { registerDownload } from './download';
import { registerFiles } from './files';
import { registerHepdata } from './hepdata';
import { registerHepdataExport } from './hepdata-export';
import { registerHist } from './hist';
import { registerInspect } from './inspect';
import { registerObject } from './object';
import { registerRead } from './read';
import { CommandIO, Output, RegisterCommand } from './io';
import { registerRecord } from './record';
import { registerSearch } from './search';
import { registerVerify } from './verify';

const COMMANDS: RegisterCommand[] = [
  registerSearch,
  registerRecord,
  registerFiles,
  registerCite,
  registerCitations,
  registerDownload,
  registerVerify,
  registerHist,
  registerHepdata,
  registerHepdataExport,
  registerInspect,
  registerRead,
  registerObject
];

/** Commands of docs/cli.md that are declared for --help but not built yet. */
const PLANNED: [string, string][] = [];

export function createProgram(out: Output, err: Output): Command {
  const program = new Command('opendata')
    .description(
      'CERN Open Data from the terminal: search the catalog, inspect and histogram event files.'
    )
    .configureOutput({ writeOut: out, writeErr: err })
    .exitOverride()
    .showSuggestionAfterError();

  const io: CommandIO = { out, err };
  for (const register of COMMANDS) register(program, io);

  for (const [usage, description] of PLANNED) {
    const name = usage.split(' ')[0];
    program
      .command(usage)
      .description(`${description} (not implemented yet)`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new OpenDataError('E_UNSUPPORTED', `${name}: not implemented yet`);
      });
  }

  program.addHelpText(
    'after',
    [
      '',
      'Every command takes --json. Errors print one line to stderr and exit 1; bad usage exits 2.',
      '',
      'Examples:',
      '  opendata search higgs --size 5',
      '  opendata hist data/events/Zmumu.csv --column M --bins 60 --range 60,120 --json'
    ].join('\n')
  );
  return program;
}

/** Runs the CLI and returns the exit code (the caller sets it, so piped output is flushed). */
export async function main(
  argv: string[] = process.argv,
  // On a terminal, control characters from records (escape sequences) are shown, not obeyed.
  out: Output = text => process.stdout.write(process.stdout.isTTY ? withoutControls(text) : text),
  err: Output = text => process.stderr.write(process.stderr.isTTY ? withoutControls(text) : text)
): Promise<number> {
  const program = createProgram(out, err);
  let command = '';
  program.hook('preAction', (_program, action) => {
    command = action.name();
  });
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed why
    const usage = e instanceof OpenDataError && e.code === 'E_USAGE';
    err(`${errorLine(e, command)}\n`);
    return usage ? 2 : 1;
  }
}

/**
 * One line for a failure: an OpenDataError's message as it is; a bug (a TypeError from a value
 * nobody checked) named as one, with the command, never as a stack. Control characters (an
 * answer's terminal escapes) are shown escaped.
 */
export function errorLine(e: unknown, command = ''): string {
  const oneLine = (text: string) => withoutControls(text.replace(/\s*\n\s*/g, ' '));
  if (e instanceof OpenDataError) return `opendata: ${oneLine(e.message)}`;
  const name = command ? `opendata ${command}` : 'opendata';
  if (!(e instanceof Error)) return `${name}: ${oneLine(String(e))}`;
  // A system error (EACCES, ENOSPC…) says what failed; anything else is ours.
  if (typeof (e as NodeJS.ErrnoException).code === 'string') {
    return `${name}: ${oneLine(e.message)}`;
  }
  return `${name}: internal error (${e.name}: ${oneLine(e.message)}); please report it`;
}
