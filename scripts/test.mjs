// `npm test`: the whole suite — the import-boundary check (scripts/check-boundaries.mjs,
// also `npm run check:boundaries`), lint (`npm run lint`: Prettier, typescript-eslint),
// knip (`npm run knip`: unused files, exports and dependencies), the type check (`npm run typecheck`),
// one jest run (server, sdk, web unit tests), then the dashboard's browser end-to-end
// (web/e2e/run.mjs, Chromium against the built server) and the 3-node scale test
// (scripts/test-scale.mjs; skipped, saying why, without PostgreSQL, Redis or haproxy).
// PGlite loads its WASM through a dynamic import, which jest's VM only allows
// with --experimental-vm-modules; the flag is set here so nobody has to remember it.
// With arguments (`npm test -- server/test/x.test.ts`) only jest runs, with those arguments.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jest = require.resolve('jest/bin/jest');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const args = process.argv.slice(2);
const nodeOptions = [process.env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning'].filter(Boolean).join(' ');
if (args.length === 0) {
  // A new import cycle or a service importing graphql/ fails the suite before any test runs.
  const boundaries = spawnSync(process.execPath, [path.join(root, 'scripts', 'check-boundaries.mjs')], { stdio: 'inherit', cwd: root });
  if (boundaries.status !== 0) process.exit(boundaries.status ?? 1);
  // Formatting and lint findings fail the suite before any test runs, as they fail CI.
  const lint = spawnSync(npm, ['run', '-s', 'lint'], { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  if (lint.status !== 0) process.exit(lint.status ?? 1);
  const knip = spawnSync(npm, ['run', '-s', 'knip'], { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  if (knip.status !== 0) process.exit(knip.status ?? 1);
  // Jest compiles with swc, which does not type-check: tsc does, for every workspace and its tests.
  const typecheck = spawnSync(npm, ['run', '-s', 'typecheck'], { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);
}

const result = spawnSync(process.execPath, [jest, ...args], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: nodeOptions },
});
let status = result.status ?? 1;

if (args.length === 0 || process.env.CALLSNARE_E2E === '1') {
  const e2e = spawnSync(process.execPath, [path.join(root, 'web', 'e2e', 'run.mjs')], { stdio: 'inherit', cwd: root, env: process.env });
  if (status === 0) status = e2e.status ?? 1;
}

if (args.length === 0) {
  // Three nodes behind HAProxy (scripts/test-scale.mjs): skipped, saying why, without PostgreSQL, Redis or haproxy.
  const scale = spawnSync(process.execPath, [path.join(root, 'scripts', 'test-scale.mjs')], { stdio: 'inherit', cwd: root, env: process.env });
  if (status === 0) status = scale.status ?? 1;
}
process.exit(status);
