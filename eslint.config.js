// Lint rules: typescript-eslint's recommended set, checked with types, run by `npm run lint` (part of `npm test`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A floating promise is a write or a kill that nobody waits for, and whose failure nobody sees.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // `_name` marks what is destructured away on purpose (a lease token kept out of a record).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Fixtures, scripts and configuration run as plain JavaScript in Node: no type information.
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      parserOptions: { projectService: false },
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'URL',
          'Buffer',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'fetch',
          'module',
          'require',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // The dashboard runs in the browser.
    files: ['dashboard/src/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'document',
          'location',
          'sessionStorage',
          'performance',
          'addEventListener',
          'removeEventListener',
          'AbortController',
          'TextDecoderStream',
          'requestAnimationFrame',
          'cancelAnimationFrame',
          'URLSearchParams',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
);
