// Lint for the extension, the helpers and the tests (flat config, typescript-eslint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'lib/**',
      'kernel-helpers/dist/**',
      // AssemblyScript: TypeScript syntax with decorators on functions and its own types.
      'kernel-helpers/assembly/**',
      'opendata_lab/labextension/**',
      'build/**',
      '.venv/**',
      '.cache/**',
      'coverage/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      eqeqeq: ['error', 'smart'],
      curly: ['error', 'multi-line'],
      'prefer-const': 'error',
      // JupyterLab's convention: `export namespace CommandIDs { ... }`.
      '@typescript-eslint/no-namespace': 'off'
    }
  },
  {
    // The helpers' core is bundled into the browser extension: no Node built-ins there.
    files: ['kernel-helpers/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'fs',
            'path',
            'zlib',
            'os',
            'child_process',
            'http',
            'https',
            'stream',
            'crypto',
            '../node/*',
            '../node'
          ]
        }
      ]
    }
  },
  {
    files: ['**/*.js', '**/*.cjs', 'scripts/**/*.mjs', 'kernel-helpers/bin/**'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly'
      }
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  }
);
