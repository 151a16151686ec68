// What an office manager saw go wrong, checked where they saw it: the top bar at 1440 px,
// keyboard hints on a touch screen, a rotated credential listed twice, chart labels.
import { expect, test } from '../fixtures';

test.use({ viewport: { width: 1440, height: 900 } });

test('at 1440 px the top bar is one line: no link wraps or hides behind another', async ({ page, signIn }) => {
  await signIn(page);
  const links = page.getByRole('navigation', { name: 'Primary' }).getByRole('link');
  const boxes = (await Promise.all((await links.all()).map((link) => link.boundingBox()))).filter((box) => box !== null);
  expect(boxes.length, 'the owner nav has every page').toBeGreaterThanOrEqual(9);
  expect(new Set(boxes.map((box) => Math.round(box.y))).size, `links on one line: ${JSON.stringify(boxes.map((b) => b.y))}`).toBe(1);
  const nav = await page.getByRole('navigation', { name: 'Primary' }).evaluate((element) => {
    const list = document.getElementById('primary-nav') ?? element;
    return { scroll: list.scrollWidth, client: list.clientWidth };
  });
  expect(nav.scroll, `no link is cut off: ${JSON.stringify(nav)}`).toBeLessThanOrEqual(nav.client);
  const account = await page.locator('.account').boundingBox();
  const last = boxes.at(-1);
  expect(account && last).toBeTruthy();
  if (account && last) expect(last.x + last.width, 'the links end before the account area begins').toBeLessThanOrEqual(account.x);
});

test('the j/k keyboard hint shows with a mouse, not on a touch screen', async ({ page, signIn, newPage }) => {
  await signIn(page);
  await expect(page.getByTestId('inbox-list')).toBeVisible();
  await expect(page.locator('.keyboard-hint')).toBeVisible();
  // A touch tablet held sideways: wide enough for the full top bar, but no keyboard.
  const { page: tablet } = await newPage('touch', { viewport: { width: 1280, height: 900 }, isMobile: true, hasTouch: true });
  await signIn(tablet);
  await expect(tablet.getByTestId('inbox-list')).toBeVisible();
  expect(await tablet.evaluate(() => matchMedia('(hover: none), (pointer: coarse)').matches), 'the emulated tablet is a touch screen').toBe(true);
  await expect(tablet.locator('.keyboard-hint'), 'no keyboard hint on a touch screen').toBeHidden();
});

test('a rotated credential is one entry: the old secret is listed under its replacement', async ({ page, signIn, shot }) => {
  const name = `Rotation check ${test.info().testId}`;
  await signIn(page);
  await page.goto('/credentials');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('checkbox', { name: 'leads:read' }).check();
  await page.getByRole('button', { name: 'Create credential' }).click();
  const firstPrefix = (await page.getByTestId('secret-value').innerText()).slice(0, 16);
  await page.getByRole('button', { name: 'I stored it' }).click();
  const group = page.locator('tbody.credential-group', { hasText: name });
  await group.getByRole('button', { name: 'Rotate' }).click();
  await group.getByRole('button', { name: 'Rotate' }).click(); // the confirmation
  await expect(page.getByTestId('secret-once')).toBeVisible();
  await page.getByRole('button', { name: 'I stored it' }).click();
  await expect(page.locator('tbody.credential-group', { hasText: name }), 'one group for the rotated credential').toHaveCount(1);
  const previous = group.getByTestId('rotated-credential');
  await expect(previous).toContainText(/still works until/);
  await expect(previous).toContainText(`Previous secret ${firstPrefix}`);
  await shot(page, 'seen-credentials-rotated');
});

test('report charts label every day under its bar in words', async ({ page, signIn, shot }) => {
  await signIn(page);
  await page.goto('/reports');
  // The missed-calls chart: one label per day, e.g. "Mon" over "23" (tick labels are drawn a moment after the bars).
  const chart = page.locator('.recharts-surface').first();
  await expect(chart).toBeVisible();
  const labels = chart.locator('.recharts-cartesian-axis-tick-label');
  await expect(labels.first()).toBeVisible();
  await expect
    .poll(async () => (await labels.allTextContents()).filter((t) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\d{1,2}$/.test(t.trim())).length, {
      message: 'a weekday and date under every bar',
    })
    .toBeGreaterThanOrEqual(7);
  await shot(page, 'seen-reports');
});
