// npm prepack/postpack of @opendata-lab/kernel-helpers: the package carries the project's README and
// LICENSE and the bundled data (catalog snapshot + sample events, found by dataPath/catalog() as the
// nearest data/ above the module), copied in for `npm pack`/`npm publish` and removed afterwards so
// the checkout keeps one data/ (the repository's).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

const helpers = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.dirname(helpers);
const extras = ['README.md', 'LICENSE', 'data'];

if (process.argv[2] === 'add') {
  for (const name of extras) {
    const from = path.join(root, name);
    if (!fs.existsSync(from)) throw new Error(`prepack: ${from} is missing`);
    fs.cpSync(from, path.join(helpers, name), { recursive: true });
  }
} else if (process.argv[2] === 'remove') {
  for (const name of extras) fs.rmSync(path.join(helpers, name), { recursive: true, force: true });
} else {
  throw new Error('usage: pack-extras.mjs add|remove');
}
