// Signing in and out through the form (other tests sign in through the API: fixtures.ts).
import { expect, test, type Account } from '../fixtures';
import type { Page } from '@playwright/test';

async function fillSignInForm(page: Page, account: Account): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a wrong password is refused plainly', async ({ page, app, shot }) => {
  await fillSignInForm(page, { email: app.owner.email, password: 'not the password' });
  await expect(page.getByRole('alert').filter({ hasText: 'do not match' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Primary' })).toHaveCount(0);
  await shot(page, 'sign-in-error');
});

test('the owner signs in through the form and sees the inbox with its counts', async ({ page, app, shot }) => {
  await fillSignInForm(page, app.owner);
  await expect(page.getByRole('navigation', { name: 'Primary' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await expect(page.getByTestId('inbox-list')).toBeVisible();
  await expect(page.getByTestId('count-new')).toHaveText(/^\d+$/);
  // The demo seed has open leads: the list is not empty.
  await expect(page.locator('[data-testid=inbox-list] tbody tr').first()).toBeVisible();
  await shot(page, 'inbox');
});

test('sign out returns to the sign-in form, and the dashboard is closed until signing in again', async ({ page, app }) => {
  await fillSignInForm(page, app.owner);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to CallSnare' })).toBeVisible();
  await page.goto('/callbacks');
  await expect(page.getByRole('heading', { name: 'Sign in to CallSnare' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Primary' })).toHaveCount(0);
});
