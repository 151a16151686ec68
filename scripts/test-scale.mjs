// `npm run test:scale`: three nodes behind HAProxy on PostgreSQL and Redis, one killed
// mid-burst (server/test/scale/cluster.scale.ts). It needs TEST_DATABASE_URL,
// REDIS_URL_TEST, haproxy (Debian's package) and the built server (`npm run build`);
// without one of them it says which and skips, unless CALLSNARE_SCALE_REQUIRED=1
// (CI), which turns a skip into a failure. The report is printed and written to
// test-artifacts/scale-report.txt.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jest = require.resolve('jest/bin/jest');

const missing = [
  !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL',
  !process.env.REDIS_URL_TEST && 'REDIS_URL_TEST',
  !['/usr/sbin/haproxy', '/usr/bin/haproxy'].some((file) => fs.existsSync(file)) && 'haproxy',
].filter(Boolean);
if (missing.length > 0) {
  const line = `scale test: needs ${missing.join(', ')}`;
  if (process.env.CALLSNARE_SCALE_REQUIRED === '1') {
    console.error(`${line} (CALLSNARE_SCALE_REQUIRED=1)`);
    process.exit(2);
  }
  console.warn(`${line}; skipped`);
  process.exit(0);
}

// The server project's jest settings (transform, global database setup), with only the scale test.
const { projects } = require(path.join(root, 'jest.config.js'));
const server = projects.find((project) => project.displayName === 'server');
const config = {
  ...server,
  rootDir: path.join(root, 'server'),
  testMatch: ['<rootDir>/test/scale/**/*.scale.ts'],
};
const nodeOptions = [process.env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning'].filter(Boolean).join(' ');
const result = spawnSync(process.execPath, [jest, '--config', JSON.stringify(config), '--runInBand', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, NODE_OPTIONS: nodeOptions },
});
process.exit(result.status ?? 1);
