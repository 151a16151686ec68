// Signing in and out through the form.
import { expect, test } from '../fixtures';

test('a wrong password is refused plainly', async ({ page, app, shot }) => {
  await page.goto('/');
  await page.getByLabel('Email').fill(app.owner.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'do not match' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Primary' })).toHaveCount(0);
  await shot(page, 'sign-in-error');
});

test('the owner signs in and sees the inbox with its counts', async ({ page, signIn, shot }) => {
  await signIn(page);
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await expect(page.getByTestId('inbox-list')).toBeVisible();
  await expect(page.getByTestId('count-new')).toHaveText(/^\d+$/);
  // The demo seed has open leads: the list is not empty.
  await expect(page.locator('[data-testid=inbox-list] tbody tr').first()).toBeVisible();
  await shot(page, 'inbox');
});

test('sign out returns to the sign-in form, and the dashboard is closed until signing in again', async ({ page, signIn }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to CallSnare' })).toBeVisible();
  await page.goto('/callbacks');
  await expect(page.getByRole('heading', { name: 'Sign in to CallSnare' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Primary' })).toHaveCount(0);
});
