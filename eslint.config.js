// ESLint 9 flat config. Correctness only: no stylistic rules (formatting is not enforced).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      '**/node_modules/',
      'dist/',
      'build/',
      '.cache/',
      '.tools/',
      'test-results/',
      'data/',
      // Being written right now; lint it once it settles.
      'test/bench/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      // `let x; ... x = ...` where a closure reads x before its one assignment: const would hit the TDZ.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  // Type-aware promise rules, for the TypeScript files covered by tsconfig.json.
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Async DOM handlers go through `h(tag, { onclick })`, so `attributes` (JSX only) would not apply:
      // handlers are written `() => void task()` instead.
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
