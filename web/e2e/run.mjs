// Dashboard end-to-end, part of `npm test`: `playwright test` with web/e2e/playwright.config.ts
// (the built server per worker, driven through Debian's Chromium). Extra arguments go to
// Playwright: `node web/e2e/run.mjs -g "overdue"`, `node web/e2e/run.mjs tests/members.spec.ts`.
//
// Never downloads a browser: CHROMIUM_PATH or /usr/bin/chromium. Without one the run is
// skipped with a message, unless CALLSNARE_E2E_REQUIRED=1 (CI) makes it a failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const required = process.env.CALLSNARE_E2E_REQUIRED === '1';

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

if (!fs.existsSync(chromiumPath)) {
  const message = `no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (required) fail(message);
  console.warn(`e2e: SKIPPED, ${message}`);
  process.exit(0);
}
for (const built of ['server/dist/cli/main.js', 'web/dist/index.html']) {
  if (!fs.existsSync(path.join(root, built))) fail(`${built} is missing: run \`npm run build\` first`);
}

// Playwright empties its output folder when it starts: a second run at the same time (the
// tree is shared) gets a folder of its own instead of deleting this one's traces.
const e2eArtifacts = path.join(root, 'test-artifacts', 'e2e');
fs.mkdirSync(e2eArtifacts, { recursive: true });
const lock = path.join(e2eArtifacts, '.run.lock');
const artifacts = takeLock() ? e2eArtifacts : path.join(e2eArtifacts, `concurrent-${process.pid}`);

const cli = require.resolve('@playwright/test/cli');
// Playwright's arguments name files relative to web/e2e (where the config is).
const result = spawnSync(process.execPath, [cli, 'test', '--config', path.join(here, 'playwright.config.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: here,
  env: { ...process.env, CHROMIUM_PATH: chromiumPath, CALLSNARE_E2E_ARTIFACTS: artifacts, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', NODE_OPTIONS: '' },
});
if (artifacts === e2eArtifacts) fs.rmSync(lock, { force: true });
if (result.error) fail(`could not run Playwright: ${result.error.message}`);
const shown = path.relative(root, artifacts);
if (result.status === 0) console.log('e2e: passed; screenshots in test-artifacts/e2e/screenshots/');
else
  console.log(`e2e: FAILED; traces and screenshots of failed tests in ${shown}/results/ (npx playwright show-trace <trace.zip>), report in ${shown}/report/`);
process.exit(result.status ?? 1);

/** True when no other live run holds test-artifacts/e2e/ (a lock left by a dead process is taken over). */
function takeLock() {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      if (isAlive(Number(fs.readFileSync(lock, 'utf8')))) return false;
      fs.rmSync(lock, { force: true });
    }
  }
  return false;
}

function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}
