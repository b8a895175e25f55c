// ESLint flat config: @eslint/js and typescript-eslint recommended everywhere, plus a few
// type-aware rules (unhandled or misused promises, throwing non-errors) on the code tsconfig.json
// type-checks. Formatting is Prettier's job (npm run format); no stylistic rules here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['dist/', 'node_modules/', 'test-results/', 'data/', 'appPackage/build/', 'coverage/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      // A leading underscore marks a name kept on purpose: a field dropped from a copy by
      // destructuring ({ name: _dropped, ...rest }) or a parameter a signature requires.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-duplicate-type-constituents': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      // Tests and the drivers in scripts/ (crash, load, e2e, bench) walk untyped JSON: Adaptive Card
      // payloads, activities posted to the stub connector, HTTP bodies and the stored files read back
      // from disk. `any` is the honest type there, and the assertions, not the compiler, check the shape.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
