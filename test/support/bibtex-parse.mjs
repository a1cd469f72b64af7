/* global process */
// Parses BibTeX from stdin with @retorquere/bibtex-parser (the parser of Better BibTeX for
// Zotero) and prints {errors, entries} as JSON. A separate ES module process: the package's
// CommonJS build does not load under jest.
import { parse } from '@retorquere/bibtex-parser';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const library = parse(input, { english: false });
process.stdout.write(
  JSON.stringify({
    errors: library.errors,
    entries: library.entries.map(e => ({ type: e.type, key: e.key, fields: e.fields }))
  })
);
