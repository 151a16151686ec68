// The core loop on a new missed call: it appears in the inbox live, staff reply to the
// caller, note what they learned, and close the callback as booked.
import { expect, test, type App } from '../fixtures';
import type { Page } from '@playwright/test';

const LIVE_BUDGET_MS = 5000; // the inbox is pushed the new call (inboxUpdates): seconds, not a poll

/** A missed call from a new caller; the page signed in on that caller's lead page. */
async function openNewLead(app: App, page: Page, signIn: (page: Page) => Promise<void>): Promise<string> {
  const caller = app.newCaller();
  await app.missedCall(caller);
  await signIn(page);
  await page.locator(`tr[data-lead-phone="${caller}"] a`).first().click();
  await expect(page.getByTestId('timeline').getByText('Missed call').first()).toBeVisible();
  return caller;
}

test('a missed call appears in the inbox without a reload', async ({ page, app, signIn, shot }) => {
  await signIn(page);
  await expect(page.getByTestId('inbox-list')).toBeVisible();
  // The subscription is up: a call committed before it was listening would only show on the next resync.
  await expect(page.getByTestId('live-status')).toHaveText(/^\s*Live\s*$/);
  const navigations: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });
  const caller = app.newCaller();
  await app.missedCall(caller);
  await expect(page.locator(`tr[data-lead-phone="${caller}"]`)).toBeVisible({ timeout: LIVE_BUDGET_MS });
  expect(navigations, 'the page must not reload').toEqual([]);
  await shot(page, 'inbox-new-missed-call');
});

test('staff reply to the caller from the lead page; the text joins the conversation', async ({ page, app, signIn, shot }) => {
  await openNewLead(app, page, signIn);
  const reply = `Thanks for calling! We can come by at 3pm today. (${Date.now() % 1000})`;
  await page.getByLabel('Reply to the caller').fill(reply);
  await page.getByRole('button', { name: 'Send text' }).click();
  await expect(page.getByTestId('conversation').getByText(reply)).toBeVisible();
  await expect(page.getByLabel('Reply to the caller')).toHaveValue('');
  await shot(page, 'lead-replied');
});

test('staff add a note and complete the callback as BOOKED', async ({ page, app, signIn, shot }) => {
  await openNewLead(app, page, signIn);
  await page.getByPlaceholder('e.g. Wants a quote').fill('Condenser fan is noisy');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('timeline').getByText('Condenser fan is noisy')).toBeVisible();
  const callbacks = page.getByTestId('lead-callbacks');
  await callbacks.getByRole('button', { name: 'Booked' }).click();
  await callbacks.getByRole('button', { name: 'Confirm: Booked' }).click();
  await expect(callbacks.getByText('COMPLETED')).toBeVisible();
  await expect(page.locator('.page-title .badge-booked')).toBeVisible();
  await shot(page, 'lead-booked');
});
