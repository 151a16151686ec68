// Staff accounts people can run: invite by name (a one-time link naming the account and the
// shop), a member's own profile (phone, alerts, on call), and password resets.
import { expect, test, type Account, type App } from '../fixtures';
import type { Page } from '@playwright/test';

let invitees = 0;
/** An address no other test in this worker invites. */
function newEmail(app: App, who: string): string {
  invitees += 1;
  return `${who}.${invitees}.${new URL(app.url).port}@e2e.test`;
}

/** Invites through the members page (the owner signed in on `owner`); returns the one-time link. */
async function inviteThroughMembersPage(owner: Page, invitee: { name?: string; email: string; role: string }): Promise<string> {
  await owner.goto('/members');
  const form = owner.locator('form').filter({ has: owner.getByRole('heading', { name: 'Invite a member' }) });
  if (invitee.name) await form.getByLabel('Name').fill(invitee.name);
  await form.getByLabel('Email').fill(invitee.email);
  await form.getByLabel('Role').selectOption(invitee.role);
  await form.getByRole('button', { name: 'Invite' }).click();
  return owner.getByTestId('invite-link-url').innerText();
}

/** Makes a reset link through the members page (the owner signed in on `owner`). */
async function resetThroughMembersPage(owner: Page, member: Account): Promise<string> {
  await owner.goto('/members');
  const row = owner.locator(`tr[data-member-email="${member.email}"]`);
  await row.getByRole('button', { name: 'Reset password' }).click();
  await row.getByRole('button', { name: 'Yes, make a reset link' }).click();
  return owner.getByTestId('reset-link-url').innerText();
}

test('members: an invitation shows a one-time link, and the list shows the invitee by name as Invited', async ({ page, app, signIn, shot }) => {
  const email = newEmail(app, 'robin');
  await signIn(page);
  const link = await inviteThroughMembersPage(page, { name: 'Robin Vega', email, role: 'ANALYST' });
  expect(new URL(link).pathname).toBe('/set-password');
  expect(new URL(link).searchParams.get('token'), 'the invitation link carries a token').toBeTruthy();
  const row = page.locator(`tr[data-member-email="${email}"]`);
  await expect(row.getByText('Robin Vega')).toBeVisible();
  await expect(row.getByText('Invited')).toBeVisible();
  await shot(page, 'members');
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('invite-link')).toHaveCount(0);
});

test('the invitation link names the account and the shop, and lets them join', async ({ page, app, signIn, newPage }) => {
  const email = newEmail(app, 'sam');
  await signIn(page);
  const link = await inviteThroughMembersPage(page, { name: 'Sam Ortiz', email, role: 'DISPATCHER' });
  const { page: invitee } = await newPage('invitee');
  await invitee.goto(link);
  await expect(invitee.getByTestId('set-password-email')).toContainText(email);
  await expect(invitee.getByTestId('set-password-purpose')).toContainText('invitation');
  const shop = invitee.getByTestId('set-password-shop');
  await expect(shop).toHaveText(/\S/);
  await expect(shop).not.toContainText('every shop');
  await invitee.getByLabel(/Choose a password/).fill('sam first password 1');
  await invitee.getByRole('button', { name: 'Join' }).click();
  await expect(invitee.getByTestId('set-password-done')).toBeVisible();
  // Joined: the members list no longer says Invited.
  await page.reload();
  const row = page.locator(`tr[data-member-email="${email}"]`);
  await expect(row.getByText('Sam Ortiz')).toBeVisible();
  await expect(row.getByText('Invited')).toHaveCount(0);
});

test('a member sets their own name, phone and alerts on their profile; the owner puts them on call', async ({ page, app, signIn, newPage, shot }) => {
  const member = await app.createMember('DISPATCHER', 'Robin Vega');
  await signIn(page, member);
  await page
    .locator('.account')
    .getByRole('link', { name: /Robin Vega/ })
    .click();
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  await expect(page.getByTestId('profile-on-call')).toContainText('You are not on call');
  await page.getByLabel(/Your name/).fill('Robin V.');
  await page.getByLabel('Mobile number').fill('(312) 555-0199');
  await page.getByLabel('Text me about missed calls and overdue callbacks').check();
  await page.getByLabel('Text me when a caller texts back').check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('profile-saved')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(/Your name/)).toHaveValue('Robin V.');
  await expect(page.getByLabel('Mobile number')).toHaveValue(/555.?0199/);
  await expect(page.getByLabel('Text me about missed calls and overdue callbacks')).toBeChecked();
  await expect(page.getByLabel('Text me when a caller texts back')).toBeChecked();
  await shot(page, 'staff-profile');

  // The owner sees the new name and number and puts them on call; their profile says so.
  const { page: owner } = await newPage('owner');
  await signIn(owner);
  await owner.goto('/members');
  const row = owner.locator(`tr[data-member-email="${member.email}"]`);
  await expect(row.getByText('Robin V.')).toBeVisible();
  await expect(row.getByRole('link', { name: '(312) 555-0199' })).toBeVisible();
  await row.getByRole('checkbox', { name: /is on call/ }).check();
  await expect(row.getByText('on call', { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('profile-on-call')).toContainText('You are on call');
});

test('an owner resets a password: a one-time link to copy', async ({ app, signIn, newPage, shot }) => {
  const member = await app.createMember('DISPATCHER');
  const { page: owner } = await newPage('owner-clipboard', { permissions: ['clipboard-read', 'clipboard-write'] });
  await signIn(owner);
  const resetUrl = await resetThroughMembersPage(owner, member);
  expect(resetUrl).toMatch(/\/set-password\?token=/);
  const linkBox = owner.getByTestId('reset-link');
  await linkBox.getByRole('button', { name: 'Copy link' }).click();
  await expect(linkBox.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(resetUrl);
  await expect(owner.getByTestId('staff-alerts').or(owner.getByText('No alerts yet')).first()).toBeVisible();
  await shot(owner, 'staff-members');
});

test('the reset link says which account and shop it is for; the new password works, the link only once', async ({ page, app, signIn, newPage, shot }) => {
  const member = await app.createMember('DISPATCHER');
  const newPassword = 'a second password 2';
  await signIn(page);
  const resetUrl = await resetThroughMembersPage(page, member);

  const { page: person } = await newPage('reset');
  await person.goto(resetUrl);
  await expect(person.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expect(person.getByTestId('set-password-email')).toContainText(member.email);
  await expect(person.getByTestId('set-password-purpose')).toContainText('password reset');
  const shop = person.getByTestId('set-password-shop');
  await expect(shop).toHaveText(/\S/);
  await expect(shop).not.toContainText('every shop');
  await shot(person, 'staff-set-password-reset');
  await person.getByLabel(/New password/).fill(newPassword);
  await person.getByRole('button', { name: 'Set the new password' }).click();
  await expect(person.getByTestId('set-password-done')).toBeVisible();

  // Used: the same link now says so before anything is typed.
  await person.goto(resetUrl);
  await expect(person.getByTestId('set-password-unusable')).toContainText('expired or was already used');

  // The old password no longer works; the new one does.
  for (const password of [member.password, newPassword]) {
    await person.goto('/');
    await person.getByLabel('Email').fill(member.email);
    await person.getByLabel('Password').fill(password);
    await person.getByRole('button', { name: 'Sign in' }).click();
    if (password === member.password) await expect(person.getByRole('alert').filter({ hasText: 'do not match' })).toBeVisible();
  }
  await expect(person.getByRole('heading', { name: 'Inbox' })).toBeVisible();
});
