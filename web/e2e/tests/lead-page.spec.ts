// The lead page as an office manager and a tech on a phone use it: numbers to tap, times in
// words and in the shop's zone (whatever the device's), a tab title that names the caller,
// one history entry per click, attempts counted and a decision asked for when none was
// answered, actions above the timeline on a phone.
import { expect, test, type App } from '../fixtures';
import type { Page } from '@playwright/test';

const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

// The device is in Tokyo; the shop is not: every time on the page must still be shop time.
test.use({ timezoneId: 'Asia/Tokyo' });

/** A caller whose call found the line busy, as the page will print the number. */
async function busyCaller(app: App): Promise<{ caller: string; shown: string }> {
  const caller = app.newCaller();
  await app.missedCall(caller, 'busy');
  return { caller, shown: `(${caller.slice(2, 5)}) ${caller.slice(5, 8)}-${caller.slice(8)}` };
}

/** From the inbox (where signing in lands), the caller's lead. */
async function openFromInbox(page: Page, caller: string): Promise<void> {
  await page.locator(`tr[data-lead-phone="${caller}"] a`).first().click();
  await expect(page.getByTestId('timeline')).toBeVisible();
}

async function shopSettings(app: App): Promise<{ timezone: string; callbackRetryMinutes: number[] }> {
  const { settings } = await app.gql<{ settings: { timezone: string; callbackRetryMinutes: number[] } }>(
    await app.ownerCookie(),
    '{ settings { timezone callbackRetryMinutes } }',
  );
  return settings;
}

test('opening a lead from the inbox is one history entry: Back returns to the inbox', async ({ page, app, signIn }) => {
  const { caller } = await busyCaller(app);
  await signIn(page);
  const row = page.locator(`tr[data-lead-phone="${caller}"]`);
  await expect(row).toBeVisible();
  const before = await page.evaluate(() => history.length);
  await row.locator('a').first().click();
  await expect(page.getByTestId('timeline')).toBeVisible();
  expect(await page.evaluate(() => history.length), 'one click, one history entry').toBe(before + 1);
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await page.goForward();
  await expect(page.getByTestId('timeline')).toBeVisible();
});

test('the tab title names the lead; every phone number is a tel: link', async ({ page, app, signIn }) => {
  const { caller, shown } = await busyCaller(app);
  await signIn(page);
  await openFromInbox(page, caller);
  // The shell may put the attention badge in front: "(2) (555) 123-4567 · CallSnare".
  await expect(page).toHaveTitle(new RegExp(`${escapeRegExp(shown)} · CallSnare$`));
  expect(await page.locator(`a[href="tel:${caller}"]`).count(), 'heading, call button and contact line call the caller').toBeGreaterThanOrEqual(2);
  await expect(page.getByRole('link', { name: `Call ${shown}` })).toBeVisible();
});

test('the timeline says what happened in words, with formatted shop times (never ISO)', async ({ page, app, signIn, shot }) => {
  const settings = await shopSettings(app);
  const { caller } = await busyCaller(app);
  await signIn(page);
  await openFromInbox(page, caller);
  const timeline = page.getByTestId('timeline');
  await expect(timeline.getByText('The line was busy')).toBeVisible();
  const text = await timeline.innerText();
  expect(text, 'no raw ISO timestamp on the timeline').not.toMatch(ISO_TIMESTAMP);
  expect(text, 'relative times in words').toMatch(/just now|minutes? ago/);
  const zone = new Intl.DateTimeFormat('en-US', { timeZone: settings.timezone, timeZoneName: 'short' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')?.value;
  expect(zone).toBeTruthy();
  expect(text, `times are shown in the shop zone (${zone}), not the device's`).toContain(zone);
  await shot(page, 'lead-page-desktop');
});

test('a callback picked at 10:30 is 10:30 at the shop, and the picker says which zone', async ({ page, app, signIn }) => {
  const settings = await shopSettings(app);
  const { caller } = await busyCaller(app);
  await signIn(page);
  await openFromInbox(page, caller);
  const year = new Date().getUTCFullYear() + 1;
  await expect(page.getByTestId('callback-zone')).toContainText(settings.timezone);
  await page.getByLabel('Schedule a callback at (shop time)').fill(`${year}-01-15T10:30`);
  await expect(page.getByTestId('callback-picked')).toContainText(`Jan 15, ${year}, 10:30 AM`);
  await page.getByRole('region', { name: 'Callbacks' }).getByRole('button', { name: 'Schedule', exact: true }).click();
  await expect(page.getByTestId('timeline').getByText(`for Jan 15, ${year}, 10:30 AM`)).toBeVisible();
});

test('unanswered callbacks show their attempt number, then the lead needs a decision', async ({ page, app, signIn, shot }) => {
  const { callbackRetryMinutes } = await shopSettings(app);
  const { caller, shown } = await busyCaller(app);
  await signIn(page);
  await openFromInbox(page, caller);
  const callbacks = page.getByTestId('lead-callbacks');
  const attempts = callbackRetryMinutes.length + 1;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const open = callbacks.locator('li.callback:not(.done)');
    await expect(open.getByTestId('callback-attempt')).toContainText(`Attempt ${attempt}`);
    await open.getByRole('button', { name: 'No answer' }).first().click();
    await open.getByRole('button', { name: 'Confirm: No answer' }).click();
    await expect(callbacks.locator('li.callback.done').filter({ hasText: `Attempt ${attempt}` })).toBeVisible();
  }
  const banner = page.getByTestId('needs-decision');
  await expect(banner.getByText(`Nobody answered any of the ${attempts} callback attempts`)).toBeVisible();
  await expect(banner.getByRole('link', { name: `Call ${shown} now` })).toBeVisible();
  await shot(page, 'lead-page-needs-decision');
  await banner.getByRole('button', { name: 'Mark booked' }).click();
  await expect(banner).toHaveCount(0);
  await expect(page.locator('.page-title .badge-booked')).toBeVisible();
});

test('on a phone the actions come before the timeline', async ({ page, app, signIn, shot }) => {
  const { caller, shown } = await busyCaller(app);
  await signIn(page);
  await openFromInbox(page, caller);
  await page.setViewportSize({ width: 390, height: 844 });
  const call = await page.getByRole('link', { name: `Call ${shown}` }).boundingBox();
  const callbacks = await page.getByRole('region', { name: 'Callbacks' }).boundingBox();
  const timeline = await page.getByTestId('timeline').boundingBox();
  expect(call && callbacks && timeline, 'all three are on the page').toBeTruthy();
  if (!call || !callbacks || !timeline) return;
  expect(call.y, 'the call button above the callbacks').toBeLessThan(callbacks.y);
  expect(callbacks.y, 'the callbacks above the timeline').toBeLessThan(timeline.y);
  await shot(page, 'lead-page-phone');
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
