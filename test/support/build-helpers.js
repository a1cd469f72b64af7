// Jest globalSetup of the helpers project: tests that run the CLI or the ROOT probe use the
// compiled kernel-helpers/dist. Build it once here (incremental: quick when up to date) rather than
// in each test file, where parallel workers would race on the same output files.
const { execFileSync } = require('child_process');
const path = require('path');

module.exports = async () => {
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [path.join(root, 'kernel-helpers', 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: 'inherit'
  });
};
