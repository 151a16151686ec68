// The dashboard e2e (`node web/e2e/run.mjs`, part of `npm test`): @playwright/test driving
// Debian's Chromium (never a downloaded browser) against the built server, which a
// worker-scoped fixture starts (fixtures.ts). A failed test keeps its trace and a
// screenshot of each open page under test-artifacts/e2e/results/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));
// run.mjs gives a run that overlaps another its own folder (CALLSNARE_E2E_ARTIFACTS).
const artifacts = process.env.CALLSNARE_E2E_ARTIFACTS ?? path.resolve(here, '..', '..', 'test-artifacts', 'e2e');

export default defineConfig({
  testDir: path.join(here, 'tests'),
  outputDir: path.join(artifacts, 'results'),
  // 2 cores shared with the server: one browser at a time, one server for the run.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  // A safety net for a hung run, not the budget (see web/e2e/README.md for the run's length).
  globalTimeout: 12 * 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: path.join(artifacts, 'report'), open: 'never' }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 900 },
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    trace: { mode: 'retain-on-failure', screenshots: false },
    screenshot: 'only-on-failure',
    video: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
});
