// One jest run for the whole repo; each workspace is a project.
const os = require('node:os');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

// Tests read the shared rules package from its source (the server runs its built dist/).
const rulesFromSource = {
  '^@callsnare/rules$': '<rootDir>/../packages/rules/src/index.ts',
  '^@callsnare/rules/(.*)$': '<rootDir>/../packages/rules/src/$1.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  // Jest's default (one worker per core but one) runs a 2-core machine in band. Test files
  // spend much of their time waiting (on PostgreSQL, on PGlite's disk, over HTTP), so two
  // files at a time finish ~30% sooner there; more cores get one worker each but one.
  // Each file has databases of its own (support/database.ts), so files never share state.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  // Jest's 5 s default is short for a test on a real database while another worker shares
  // the two cores; heavier files set their own (jest.setTimeout).
  testTimeout: 30_000,
  projects: [
    {
      displayName: 'server',
      rootDir: '<rootDir>/server',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFiles: ['reflect-metadata', '<rootDir>/test/support/audit-signing-key.ts'],
      // marked ships ES modules only; the server loads it with import(), which swc
      // turns into require() under jest, so jest compiles it to CommonJS first.
      transformIgnorePatterns: ['/node_modules/(?!marked/)'],
      moduleNameMapper: rulesFromSource,
    },
    {
      // The SDK against a real server in-process (the server project's database setup and transform).
      displayName: 'sdk',
      rootDir: '<rootDir>/sdk',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/../server/test/support/global-teardown.ts',
      setupFiles: ['reflect-metadata', '<rootDir>/../server/test/support/audit-signing-key.ts'],
      transformIgnorePatterns: ['/node_modules/(?!marked/)'],
      // The SDK's sources import './x.js' (what Node's ES modules need); jest resolves the .ts.
      // The examples import '@callsnare/sdk': its sources, as `tsc -p sdk` reads them (tsconfig paths).
      moduleNameMapper: {
        ...rulesFromSource,
        '^@callsnare/sdk$': '<rootDir>/src/index.ts',
        '^@callsnare/sdk/documents$': '<rootDir>/src/documents.ts',
        '^(\\.{1,2}/.*)\\.js$': '$1',
      },
    },
    {
      // The dashboard's UI logic (roles, errors, times, inbox order, previews); the browser e2e
      // runs after jest (scripts/test.mjs -> web/e2e/run.mjs).
      displayName: 'web',
      rootDir: '<rootDir>/web',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
      moduleNameMapper: rulesFromSource,
    },
  ],
};
