// `opendata read FILE`: chosen branches of a ROOT tree, or columns of a CSV/Arrow file, over an
// entry range, as JSON (jagged branches as nested arrays) or a text table.
import { Table } from 'apache-arrow';
import { OpenDataError } from '../core/errors';
import type * as Root from '../node/root';
import type * as ReadTable from '../node/read-table';
import { entryRange, isROOTFile, nameList } from './event-file';
import { CommandIO, RegisterCommand } from './io';
import type * as JSONColumns from './json-columns';

// Loaded when the command runs, not when the CLI starts (see event-file.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rootReader = () => require('../node/root') as typeof Root;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const readTables = () => require('../node/read-table') as typeof ReadTable;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonColumns = () => require('./json-columns') as typeof JSONColumns;

interface ReadOptions {
  tree?: string;
  branches?: string[];
  columns?: string[];
  entries?: [number | undefined, number | undefined];
  portal?: string;
  json?: boolean;
}

async function readROOT(file: string, options: ReadOptions): Promise<Table> {
  if (options.tree === undefined || options.branches === undefined) {
    throw new OpenDataError('E_USAGE', `${file}: a ROOT file needs --tree T --branches A,B`);
  }
  const root = await rootReader().openROOT(file, { portal: options.portal });
  try {
    const tree = await root.tree(options.tree);
    const [entryStart, entryStop] = options.entries ?? [undefined, undefined];
    return await tree.read(options.branches, { entryStart, entryStop });
  } finally {
    await root.close();
  }
}

async function readColumns(file: string, options: ReadOptions): Promise<Table> {
  if (options.columns === undefined) {
    throw new OpenDataError('E_USAGE', `${file}: a CSV or Arrow file needs --columns A,B`);
  }
  const table = await readTables().readTable(file, { download: { portal: options.portal } });
  const names = table.schema.fields.map(f => f.name);
  for (const c of options.columns) {
    if (!names.includes(c)) {
      throw new OpenDataError(
        'E_NOT_FOUND',
        `${file}: no column "${c}" (columns: ${names.join(', ')})`
      );
    }
  }
  const [start, stop] = options.entries ?? [undefined, undefined];
  return table
    .select(options.columns)
    .slice(start ?? 0, Math.min(stop ?? table.numRows, table.numRows));
}

async function read(file: string, options: ReadOptions, { out }: CommandIO): Promise<void> {
  if ((options.columns === undefined) === (options.branches === undefined)) {
    throw new OpenDataError(
      'E_USAGE',
      'read: give either --tree T --branches A,B or --columns A,B'
    );
  }
  const table = isROOTFile(file) ? await readROOT(file, options) : await readColumns(file, options);
  if (options.json) {
    out(jsonColumns().columnsJSON(table) + '\n');
    return;
  }
  const names = table.schema.fields.map(f => f.name);
  out(names.join('\t') + '\n');
  for (let i = 0; i < table.numRows; i++) {
    out(names.map(n => jsonColumns().valueText(table.getChild(n)!.get(i))).join('\t') + '\n');
  }
}

export const registerRead: RegisterCommand = (program, io) => {
  program
    .command('read')
    .description(
      'columns or branches as JSON (--columns A,B | --tree T --branches A,B, --entries START-STOP)'
    )
    .argument('<file>', 'a .root, .csv or .arrow/.feather file: a path or a URL')
    .option('--tree <name>', 'the TTree to read (ROOT files)')
    .option('--branches <a,b>', 'branches of the tree (ROOT files)', nameList)
    .option('--columns <a,b>', 'columns of a CSV or Arrow file', nameList)
    .option('--entries <start-stop>', 'entries START to STOP (0-based, STOP exclusive)', entryRange)
    .option('--portal <url>', 'where root://eospublic.cern.ch URIs are read from')
    .option('--json', 'machine-readable output: {"columns": {"A": [...], "B": [...]}}')
    .action((file: string, options: ReadOptions) => read(file, options, io));
};
