// What each role is offered: the nav, read-only pages, and "Not permitted" on a forced URL.
import { expect, test } from '../fixtures';
import type { Page } from '@playwright/test';

async function navLabels(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Primary' }).getByRole('link').allTextContents();
}

test('an ANALYST sees the audit log but no settings editor', async ({ page, app, signIn, shot }) => {
  const analyst = await app.createMember('ANALYST');
  await signIn(page, analyst);
  const nav = await navLabels(page);
  expect(nav).toContain('Audit log');
  expect(nav).not.toContain('API credentials');
  expect(nav).not.toContain('Members');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByTestId('audit-list')).toBeVisible();
  await shot(page, 'analyst-audit');
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('settings-readonly')).toBeVisible();
  await expect(page.getByLabel('During business hours'), 'no template editor for an analyst').toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
  await shot(page, 'analyst-settings');
});

test('a DISPATCHER is not offered credentials, and the forced URL says "not permitted"', async ({ page, app, signIn, shot }) => {
  const dispatcher = await app.createMember('DISPATCHER');
  await signIn(page, dispatcher);
  const nav = await navLabels(page);
  expect(nav).not.toContain('API credentials');
  expect(nav).not.toContain('Audit log');
  await page.goto('/credentials');
  await expect(page.getByRole('heading', { name: 'Not permitted' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create credential' })).toHaveCount(0);
  await shot(page, 'dispatcher-not-permitted');
});

test('a DISPATCHER on a phone gets the inbox', async ({ page, app, signIn, shot }) => {
  const dispatcher = await app.createMember('DISPATCHER');
  await signIn(page, dispatcher);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await expect(page.getByTestId('inbox-list')).toBeVisible();
  await shot(page, 'phone-inbox');
});
