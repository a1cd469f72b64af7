// `opendata inspect FILE`: what a ROOT file (trees, branches, stored objects) or a table file
// (CSV, Arrow: columns, rows) holds.
import type * as Root from '../node/root';
import type * as ReadTable from '../node/read-table';
import type * as TableFile from '../node/table-file';
import { isROOTFile } from './event-file';
import { CommandIO, RegisterCommand, writeJSON } from './io';

// Loaded when the command runs, not when the CLI starts (see event-file.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rootReader = () => require('../node/root') as typeof Root;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const readTables = () => require('../node/read-table') as typeof ReadTable;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tableFiles = () => require('../node/table-file') as typeof TableFile;

interface InspectOptions {
  json?: boolean;
  portal?: string;
}

async function inspectROOT(
  file: string,
  options: InspectOptions,
  { out }: CommandIO
): Promise<void> {
  const root = await rootReader().openROOT(file, { portal: options.portal });
  try {
    const trees = [];
    for (const name of root.treeNames) {
      const tree = await root.tree(name);
      trees.push({
        name,
        entries: tree.entries,
        branches: tree.branches.map(b => ({ name: b.name, type: b.type }))
      });
    }
    const objects = root.objectKeys.map(k => ({ name: k.name, class: k.className }));
    if (options.json) {
      writeJSON(out, { format: 'root', trees, objects });
      return;
    }
    out(`${file}: ROOT file, ${trees.length} tree(s), ${objects.length} other object(s)\n`);
    for (const t of trees) {
      out(`tree ${t.name}: ${t.entries} entries, ${t.branches.length} branches\n`);
      for (const b of t.branches) out(`  ${b.name.padEnd(32)} ${b.type}\n`);
    }
    for (const o of objects) out(`object ${o.name} (${o.class})\n`);
  } finally {
    await root.close();
  }
}

async function inspect(file: string, options: InspectOptions, io: CommandIO): Promise<void> {
  if (isROOTFile(file)) return inspectROOT(file, options, io);
  const d = tableFiles().describeTableFile(
    await readTables().tableFileFor(file, { download: { portal: options.portal } })
  );
  if (options.json) {
    writeJSON(io.out, d);
    return;
  }
  io.out(`${file}: ${d.format.toUpperCase()} table, ${d.rows} rows, ${d.columns.length} columns\n`);
  for (const c of d.columns) io.out(`  ${c.name.padEnd(32)} ${c.type}\n`);
}

export const registerInspect: RegisterCommand = (program, io) => {
  program
    .command('inspect')
    .description('what a ROOT, CSV or Arrow file holds: trees, branches, objects, columns')
    .argument('<file>', 'a .root, .csv or .arrow/.feather file: a path or a URL')
    .option('--portal <url>', 'where root://eospublic.cern.ch URIs are read from')
    .option(
      '--json',
      'machine-readable output: {"format", "trees": [{"name", "entries", "branches": [{"name", "type"}]}], "objects": [{"name", "class"}]} or {"format", "columns", "rows"}'
    )
    .action((file: string, options: InspectOptions) => inspect(file, options, io));
};
