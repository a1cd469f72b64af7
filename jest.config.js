// Two projects: the kernel helpers run in Node, the extension in jsdom.
const tsJest = {
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', isolatedModules: true }]
};

module.exports = {
  projects: [
    {
      displayName: 'helpers',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test/helpers', '<rootDir>/test/config'],
      transform: tsJest,
      testMatch: ['**/*.test.ts']
    },
    {
      displayName: 'extension',
      testEnvironment: 'jsdom',
      rootDir: __dirname,
      roots: ['<rootDir>/test/extension'],
      transform: {
        ...tsJest,
        '^.+\\.m?jsx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', isolatedModules: true }]
      },
      // JupyterLab and Lumino ship ES modules: let ts-jest transpile them.
      transformIgnorePatterns: ['/node_modules/(?!(@jupyterlab|@jupyter|@lumino|@microsoft|exenv-es6|lib0|y-protocols|yjs|nanoid|vscode-ws-jsonrpc)/)'],
      moduleNameMapper: { '\\.(css|svg)$': '<rootDir>/test/extension/style-stub.js' },
      setupFiles: ['<rootDir>/test/extension/setup.js'],
      testMatch: ['**/*.test.ts']
    }
  ]
};
