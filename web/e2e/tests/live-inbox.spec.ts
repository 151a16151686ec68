// The live inbox in Chromium: a background tab learns of a missed call and a caller's reply
// within seconds (title badge, desktop notification whose click opens the lead), a reply
// lifts its lead to the top, the list survives a network blip, and "No answer" on a
// callback schedules the next attempt.
import { expect, test } from '../fixtures';
import { revealInQueue } from '../pages';
import type { BrowserContext, Page } from '@playwright/test';

const LIVE_BUDGET_MS = 5000; // a pushed update, not a poll

interface RecordedNotification {
  title: string;
  body?: string;
  tag?: string;
  onclick: (() => void) | null;
}
declare global {
  interface Window {
    __shownNotifications: RecordedNotification[];
  }
}

// The permission is real (granted to the context); the notifications are recorded instead of shown.
test.use({ permissions: ['notifications'] });

async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const shown: RecordedNotification[] = [];
    window.__shownNotifications = shown;
    const Real = window.Notification;
    function Recorded(title: string, options: NotificationOptions = {}) {
      const record: RecordedNotification & { close(): void } = { title, body: options.body, tag: options.tag, onclick: null, close() {} };
      shown.push(record);
      return record;
    }
    Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
    Recorded.requestPermission = (...args: Parameters<typeof Notification.requestPermission>) => Real.requestPermission(...args);
    (window as unknown as { Notification: unknown }).Notification = Recorded;
  });
}

/** Makes the page believe it is a background tab (hidden, unfocused), or brings it back. */
async function setBackground(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((isHidden) => {
    const doc = document as unknown as Record<string, unknown>;
    if (isHidden) {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.hasFocus = () => false;
    } else {
      delete doc.visibilityState;
      delete doc.hidden;
      delete doc.hasFocus;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

const rowOf = (page: Page, phone: string) => page.locator(`[data-testid=inbox-list] tr[data-lead-phone="${phone}"]`);
const liveStatus = (page: Page) => page.getByTestId('live-status');

async function openLiveInbox(page: Page, signIn: (page: Page) => Promise<void>): Promise<void> {
  await recordNotifications(page.context());
  await signIn(page);
  await expect(page.getByTestId('inbox-list')).toBeVisible();
  await expect(liveStatus(page)).toHaveText(/^\s*Live\s*$/);
}

async function attention(page: Page): Promise<number> {
  return Number(await liveStatus(page).getAttribute('data-attention'));
}

test('the inbox connects live and desktop alerts are on (permission granted, nothing asked on load)', async ({ page, signIn, newPage, shot }) => {
  await openLiveInbox(page, signIn);
  await expect(liveStatus(page)).toHaveAttribute('data-attention', /^\d+$/);
  await expect(page.getByTestId('desktop-alerts-on')).toBeVisible();
  const { page: other } = await newPage('second-device');
  await signIn(other);
  await expect(liveStatus(other)).toHaveText(/^\s*Live\s*$/);
  await shot(page, 'inbox-live-connected');
});

test('a missed call reaches a background tab within seconds — title badge and desktop notification — and a second device', async ({
  page,
  app,
  signIn,
  newPage,
  shot,
}) => {
  await openLiveInbox(page, signIn);
  const { page: other } = await newPage('second-device');
  await signIn(other);
  await expect(liveStatus(other)).toHaveText(/^\s*Live\s*$/);
  await setBackground(page, true);
  const before = await attention(page);
  const caller = app.newCaller();
  await app.missedCall(caller);
  await expect(page).toHaveTitle(`(${before + 1}) Inbox · CallSnare`, { timeout: LIVE_BUDGET_MS });
  await page.waitForFunction(
    (digits) => window.__shownNotifications.some((n) => n.title.startsWith('Missed call from') && n.title.replace(/\D/g, '').endsWith(digits)),
    caller.slice(-7),
    { timeout: LIVE_BUDGET_MS },
  );
  await expect(rowOf(page, caller)).toBeVisible({ timeout: LIVE_BUDGET_MS });
  // The other staff device, in front, gets the same call without a reload.
  await expect(rowOf(other, caller)).toBeVisible({ timeout: LIVE_BUDGET_MS });
  await shot(page, 'inbox-live-missed-call-background');
});

test('the caller texts back: the lead goes to the top with the message as its preview, and a notification', async ({ page, app, signIn, shot }) => {
  const callerA = app.newCaller();
  await app.missedCall(callerA);
  await openLiveInbox(page, signIn);
  await setBackground(page, true); // desktop notifications are for a tab in the background
  const callerB = app.newCaller();
  await app.missedCall(callerB); // a newer missed call sits above A until A replies
  await expect(rowOf(page, callerB)).toBeVisible({ timeout: LIVE_BUDGET_MS });
  const text = 'AC stopped cooling, can someone come out today?';
  await app.callerTexts(callerA, text);
  const top = page.locator('[data-testid=inbox-list] tbody tr').first();
  await expect(top).toHaveAttribute('data-lead-phone', callerA, { timeout: LIVE_BUDGET_MS });
  await expect(top).toHaveAttribute('data-need', 'reply');
  await expect(top.getByTestId('last-inbound')).toHaveText(new RegExp(`^[“"]?${text.replace(/[?]/g, '\\?')}[”"]?$`));
  await page.waitForFunction((body) => window.__shownNotifications.some((n) => n.title.startsWith('Reply from') && n.body === body), text, {
    timeout: LIVE_BUDGET_MS,
  });
  await expect(page.getByTestId('count-needs-reply')).toHaveText(/^[1-9]\d*$/);
  await shot(page, 'inbox-live-reply-on-top');
});

test('clicking the notification brings the tab to the lead', async ({ page, app, signIn }) => {
  const caller = app.newCaller();
  await app.missedCall(caller);
  await openLiveInbox(page, signIn);
  await setBackground(page, true);
  await app.callerTexts(caller, 'Are you open on Saturday?');
  await page.waitForFunction(() => window.__shownNotifications.some((n) => n.title.startsWith('Reply from')), undefined, { timeout: LIVE_BUDGET_MS });
  await page.evaluate(() => window.__shownNotifications.findLast((n) => n.title.startsWith('Reply from'))?.onclick?.());
  await page.waitForURL(/\/leads\/[0-9a-f-]+$/);
  await expect(page.getByTestId('timeline').getByText('Are you open on Saturday?')).toBeVisible();
  await setBackground(page, false);
  const tags = await page.evaluate(() => window.__shownNotifications.map((n) => n.tag ?? ''));
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag, 'one notification per lead (tagged by lead)').toMatch(/^lead-/);
});

test('a network blip keeps the list on screen, says live updates are paused, and catches up on reconnect', async ({ page, app, signIn, watch, shot }) => {
  test.setTimeout(120_000);
  watch.allowConsoleErrors('page', /ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed|Failed to fetch/);
  const caller = app.newCaller();
  await app.missedCall(caller);
  await openLiveInbox(page, signIn);
  await expect(rowOf(page, caller)).toBeVisible();
  const rows = page.locator('[data-testid=inbox-list] tbody tr');
  const rowsBefore = await rows.count();
  await page.context().setOffline(true);
  await expect(liveStatus(page)).toContainText('Live updates paused — reconnecting…', { timeout: 20_000 });
  const whileOffline = app.newCaller();
  await app.missedCall(whileOffline);
  expect(await rows.count(), 'the list stays on screen while offline').toBeGreaterThanOrEqual(rowsBefore);
  await expect(rowOf(page, caller)).toBeVisible();
  await shot(page, 'inbox-live-offline');
  await page.context().setOffline(false);
  await expect(liveStatus(page)).toHaveText(/^\s*Live\s*$/, { timeout: 40_000 });
  await expect(rowOf(page, whileOffline)).toBeVisible({ timeout: LIVE_BUDGET_MS });
});

test('"No answer" on a callback schedules the 2nd attempt, shown in the queue', async ({ page, app, signIn, shot }) => {
  const caller = app.newCaller();
  await app.missedCall(caller);
  await signIn(page);
  await page.getByRole('link', { name: 'Callbacks', exact: true }).click();
  const card = page.locator(`[data-testid=callback-queue] li[data-lead-phone="${caller}"]`);
  await revealInQueue(page, card);
  await expect(card.getByTestId('attempt')).toHaveCount(0); // a first attempt carries no label
  await card.getByRole('button', { name: 'No answer' }).click();
  await card.getByRole('button', { name: 'Confirm: No answer' }).click();
  const second = page.locator(`[data-testid=callback-queue] li[data-lead-phone="${caller}"][data-attempt="2"]`);
  await revealInQueue(page, second);
  await expect(second.getByTestId('attempt')).toHaveText('2nd attempt');
  await shot(page, 'inbox-live-second-attempt');
});

test('"Load more" continues the inbox without repeating a lead', async ({ page, app, signIn }) => {
  await signIn(page);
  const rows = page.locator('[data-testid=inbox-list] tbody tr');
  const more = page.getByRole('button', { name: 'Load more' });
  await expect(rows.first()).toBeVisible();
  if ((await more.count()) === 0) {
    // Fewer open leads than a page (25): add missed calls until there is a second page.
    const missing = 26 - (await rows.count());
    for (let i = 0; i < missing; i += 1) await app.missedCall(app.newCaller());
    await page.reload();
  }
  await expect(more).toBeVisible();
  const before = await rows.count();
  await more.click();
  await expect.poll(() => rows.count()).toBeGreaterThan(before);
  const ids = await rows.evaluateAll((elements) => elements.map((row) => (row as HTMLElement).dataset.leadId));
  expect(ids.every(Boolean), 'every row is a lead').toBe(true);
  expect(new Set(ids).size, 'no lead twice').toBe(ids.length);
});
