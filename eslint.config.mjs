// Lint rules for every workspace: typescript-eslint's strict, type-checked set.
// Formatting is Prettier's job (.prettierrc.json); `npm run lint` runs both checks, and
// `npm test` runs `npm run lint` before any test.
//
// Options changed from the strict set, and why:
// - restrict-template-expressions allows numbers: `${count} leads` is what we mean.
// - no-confusing-void-expression ignores arrow shorthands: `onClick={() => setOpen(false)}`
//   is the React idiom, and writing braces around each adds nothing.
// - no-unused-vars ignores `_`-prefixed parameters (a signature imposes them: Express error
//   handlers take four; TypeScript's noUnusedParameters skips them too) and properties
//   destructured next to a rest (`const { secret: _secret, ...shown } = row` is how we omit).
// - require-await is off: an `async` method that implements a Promise-returning interface
//   (Apollo plugin hooks, close()) needs no await, and dropping `async` would turn its
//   throws into synchronous ones; forgotten awaits are no-floating-promises' job.
// - server/src: no-unsafe-class-instance-assignment is off. type-graphql's @ObjectType
//   classes are the schema's shapes; resolvers return plain objects of that shape (type-graphql
//   reads fields by name, and no type here resolves a union or interface by instanceof).
// - no-unsafe-enum-assignment is off: our enums are string unions (Prisma's, the GraphQL ones),
//   which the compiler already checks, and the rule cost 2–3 s of every `npm run lint`.
// - The browser tests (web/e2e) are linted without type information, like the other tests (their
//   own program cost ~5 s of lint); tsc checks their types (npm run typecheck).
// - web/, sdk/ and packages/rules: no-deprecated is off. It looks up the declarations of every
//   identifier, which over the DOM and React typings was 35 % of the time those workspaces take
//   to lint (`npm run lint` must stay under 45 s), for deprecations the editor strikes through
//   anyway; it stays on for the server (1 s there).
// - tests may use `!` on values the test itself just created (a failing `!` fails the test).
// - tests may use `any` (no-explicit-any, no-unsafe-*): jest's asymmetric matchers
//   (expect.any, expect.stringMatching, …) are typed `any`, and response bodies are read as
//   JSON; the expect() around them is what checks the shape, and fails the test when it is wrong.
// - tests: no-unnecessary-condition is off. Teardown guards (`await db?.close()` in afterAll)
//   run even when beforeAll failed and left the variable unset, which its type cannot say.
// - tests: no-unsafe-class-instance-assignment is off; test doubles (a request, a limiter)
//   are plain objects of the class's shape.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'server/src/generated/**',
      'sdk/src/generated/**',
      'web/src/generated/**',
      'test-artifacts/**',
      'coverage/**',
      '**/*.mjs',
      '**/*.js',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  // Type information comes from each workspace's build config, one TypeScript program per
  // workspace, named for its own files only (with one shared list, linting web/ would first build
  // the server's program to find out its files are not in it). Tests are linted below without
  // type information: their programs pull in the whole server again (the SDK's tests run a real
  // server), which doubled the time of `npm run lint`; tsc still checks them (npm run typecheck).
  ...[
    ['packages/rules/src/**/*.ts', 'packages/rules/tsconfig.json'],
    ['server/src/**/*.ts', 'server/tsconfig.json'],
    ['sdk/src/**/*.ts', 'sdk/tsconfig.esm.json'],
    ['web/src/**/*.{ts,tsx}', 'web/tsconfig.json'],
  ].map(([files, project]) => ({ files: [files], languageOptions: { parserOptions: { project, tsconfigRootDir: import.meta.dirname } } })),
  {
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-enum-assignment': 'off',
    },
  },
  {
    files: ['server/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}', 'sdk/**/*.ts', 'packages/rules/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-deprecated': 'off',
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: ['server/test/**/*.ts', 'server/src/**/*.test.ts', 'sdk/test/**/*.ts', 'sdk/examples/**/*.ts', 'web/test/**/*.ts', 'web/e2e/**/*.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
);
