// Two projects: the kernel helpers run in Node, the extension in jsdom.
const tsJest = {
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }]
};

// Packages that ship ES module syntax (@jupyterlab/testutils' list plus JupyterLab's own packages).
const jupyterEsModules = [
  '@codemirror',
  '@marijn',
  '@microsoft',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@jupyter/ydoc',
  '@jupyterlab',
  'color',
  'exenv-es6',
  'lib0',
  'marked',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs',
  'yaml'
].join('|');

module.exports = {
  // Many tests start the CLI, kernels or Python peers as child processes: 5 s is too tight on 2
  // cores. A global option (jest ignores it inside a project's config).
  testTimeout: 60000,
  projects: [
    {
      displayName: 'helpers',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test/helpers', '<rootDir>/test/config'],
      globalSetup: '<rootDir>/test/support/build-helpers.js',
      transform: tsJest,
      testMatch: ['**/*.test.ts']
    },
    // Mirrors @jupyterlab/testutils' jest config (its environment, shims and resolver), as a project.
    {
      displayName: 'extension',
      rootDir: __dirname,
      roots: ['<rootDir>/test/extension'],
      testMatch: ['**/*.test.ts'],
      testEnvironment: '<rootDir>/test/extension/jsdom-env.js',
      setupFiles: ['@jupyterlab/testing/lib/jest-shim.js', '<rootDir>/test/extension/setup.js'],
      resolver: '@jupyterlab/testing/lib/jest-resolver.js',
      moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'json', 'node', 'mjs', 'cjs'],
      moduleNameMapper: {
        '\\.(css|less|sass|scss)$': 'identity-obj-proxy',
        // Test the helpers' core from source: no stale dist/, no build step before jest.
        '^@opendata-lab/kernel-helpers/core$': '<rootDir>/kernel-helpers/src/core/index.ts'
      },
      transform: {
        ...tsJest,
        // Icons are imported as SVG source text, as the labextension build does.
        '\\.svg$': '@jupyterlab/testing/lib/jest-raw-loader.js',
        '^.+\\.[mc]?jsx?$': ['babel-jest', require('@jupyterlab/testing/lib/babel-config').default]
      },
      // JupyterLab, Jupyter and some of their dependencies ship ES modules: transpile them.
      transformIgnorePatterns: [`/node_modules/(?!(${jupyterEsModules})/)`]
    }
  ]
};
