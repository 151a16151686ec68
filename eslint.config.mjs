// Lint rules for every workspace: typescript-eslint's strict, type-checked set.
// Formatting is Prettier's job (.prettierrc.json); `npm run lint` runs both checks, and
// `npm test` runs `npm run lint` before any test.
//
// Options changed from the strict set, and why:
// - restrict-template-expressions allows numbers: `${count} leads` is what we mean.
// - no-confusing-void-expression ignores arrow shorthands: `onClick={() => setOpen(false)}`
//   is the React idiom, and writing braces around each adds nothing.
// - tests may use `!` on values the test itself just created (a failing `!` fails the test).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'server/src/generated/**',
      'sdk/src/generated/**',
      'test-artifacts/**',
      'coverage/**',
      '**/*.mjs',
      '**/*.js',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
