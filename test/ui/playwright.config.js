// Galata UI tests against a real JupyterLab from the project's venv, in Debian's Chromium.
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
// Galata's server listens on 8888; another port lets two checkouts run their UI tests at once.
const port = process.env.OPENDATA_LAB_UI_PORT || '8888';

module.exports = {
  ...baseConfig,
  testDir: './tests',
  timeout: 120000,
  expect: { timeout: 30000 },
  retries: 0,
  workers: 1,
  outputDir: path.join(root, 'build', 'ui-artifacts'),
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(root, 'build', 'test-results', 'ui.json') }]
  ],
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    // Galata records videos by default, which needs an ffmpeg download: traces are enough.
    video: 'off',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-gpu'
      ]
    }
  },
  webServer: {
    command: `${path.join(root, '.venv', 'bin', 'jupyter')} lab --config jupyter_server_test_config.py`,
    cwd: __dirname,
    url: `http://localhost:${port}/lab`,
    env: { ...process.env, OPENDATA_LAB_UI_PORT: port },
    timeout: 120000,
    reuseExistingServer: false
  }
};
