#!/usr/bin/env node
'use strict';
// Launcher of the `opendata` CLI; the program is compiled into ../dist (npm run build:helpers).
let cli;
try {
  cli = require('../dist/cli/index.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist')) {
    process.stderr.write(
      'opendata: not built yet; run `npm run build:helpers` in the repository root\n'
    );
    process.exit(1);
  }
  throw err;
}
// A closed pipe (`opendata search | head`) ends the output, not with a stack trace.
process.stdout.on('error', err => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
cli.main(process.argv).then(code => {
  process.exitCode = code;
});
