// Staff accounts people can run: invite by name, a member's own profile (phone, alerts,
// on call), and a password reset whose link says which account and shop it is for.
export default async function staffAccounts({ baseUrl, step, newPage, signIn, shot, assert }) {
  const email = `robin.${process.pid}@e2e.test`;
  const name = 'Robin Vega';
  const firstPassword = 'robin first password 1';
  const newPassword = 'robin second password 2';
  const { context: ownerContext, page: owner } = await newPage('staff-owner', { permissions: ['clipboard-read', 'clipboard-write'] });
  let inviteUrl;
  let resetUrl;
  try {
    await signIn(owner);

    await step('an owner invites a member by name; the list shows the name', async () => {
      await owner.goto(`${baseUrl}/members`);
      await owner.locator('#invite-name').fill(name);
      await owner.locator('#invite-email').fill(email);
      await owner.locator('#invite-role').selectOption('DISPATCHER');
      await owner.getByRole('button', { name: 'Invite' }).click();
      inviteUrl = await owner.getByTestId('invite-link-url').innerText();
      const row = owner.locator(`tr[data-member-email="${email}"]`);
      await row.getByText(name).waitFor();
      await row.getByText('Invited').waitFor();
      await owner.getByRole('button', { name: 'Done' }).click();
    });

    await step('the invitation link names the account and the shop, and lets them join', async () => {
      const { context, page } = await newPage('staff-invitee');
      try {
        await page.goto(inviteUrl);
        await page.getByTestId('set-password-email').filter({ hasText: email }).waitFor();
        assert.match(await page.getByTestId('set-password-purpose').innerText(), /invitation/);
        const shop = await page.getByTestId('set-password-shop').innerText();
        assert.ok(shop.length > 0 && !/every shop/.test(shop), `the shop is named: ${shop}`);
        await page.getByLabel(/Choose a password/).fill(firstPassword);
        await page.getByRole('button', { name: 'Join' }).click();
        await page.getByTestId('set-password-done').waitFor();
      } finally {
        await context.close();
      }
    });

    await step('a member sets their own name, phone and alerts on their profile', async () => {
      const { context, page } = await newPage('staff-member');
      try {
        await signIn(page, email, firstPassword);
        await page.locator('.account a.who').click();
        await page.getByRole('heading', { name: 'Your profile' }).waitFor();
        await page.getByTestId('profile-on-call').filter({ hasText: 'You are not on call' }).waitFor();
        await page.getByLabel(/Your name/).fill('Robin V.');
        await page.getByLabel('Mobile number').fill('(312) 555-0199');
        await page.getByLabel('Text me about missed calls and overdue callbacks').check();
        await page.getByLabel('Text me when a caller texts back').check();
        await page.getByRole('button', { name: 'Save profile' }).click();
        await page.getByTestId('profile-saved').waitFor();
        await page.reload();
        await page.getByLabel('Mobile number').waitFor();
        assert.equal(await page.getByLabel(/Your name/).inputValue(), 'Robin V.');
        assert.match(await page.getByLabel('Mobile number').inputValue(), /555.?0199/);
        assert.equal(await page.getByLabel('Text me when a caller texts back').isChecked(), true);
        await shot(page, 'staff-profile');

        // The owner puts them on call; their profile says so.
        await owner.goto(`${baseUrl}/members`);
        const row = owner.locator(`tr[data-member-email="${email}"]`);
        await row.getByText('Robin V.').waitFor();
        await row.getByRole('link', { name: '(312) 555-0199' }).waitFor();
        await row.getByRole('checkbox', { name: /is on call/ }).check();
        await row.getByText('on call', { exact: true }).waitFor();
        await page.reload();
        await page.getByTestId('profile-on-call').filter({ hasText: 'You are on call' }).waitFor();
      } finally {
        await context.close();
      }
    });

    await step('an owner resets a password: a one-time link to copy', async () => {
      const row = owner.locator(`tr[data-member-email="${email}"]`);
      await row.getByRole('button', { name: 'Reset password' }).click();
      await row.getByRole('button', { name: 'Yes, make a reset link' }).click();
      resetUrl = await owner.getByTestId('reset-link-url').innerText();
      assert.match(resetUrl, /\/set-password\?token=/);
      await owner.getByTestId('reset-link').getByRole('button', { name: 'Copy link' }).click();
      await owner.getByTestId('reset-link').getByRole('button', { name: 'Copied' }).waitFor();
      assert.equal(await owner.evaluate(() => navigator.clipboard.readText()), resetUrl);
      await owner.getByTestId('staff-alerts').or(owner.getByText('No alerts yet')).first().waitFor();
      await shot(owner, 'staff-members');
    });

    await step('the reset link says which account and shop it is for; the new password works once', async () => {
      const { context, page } = await newPage('staff-reset');
      try {
        await page.goto(resetUrl);
        await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
        await page.getByTestId('set-password-email').filter({ hasText: email }).waitFor();
        assert.match(await page.getByTestId('set-password-purpose').innerText(), /password reset/);
        const shop = await page.getByTestId('set-password-shop').innerText();
        assert.ok(shop.length > 0 && !/every shop/.test(shop), `the shop is named: ${shop}`);
        await shot(page, 'staff-set-password-reset');
        await page.getByLabel(/New password/).fill(newPassword);
        await page.getByRole('button', { name: 'Set the new password' }).click();
        await page.getByTestId('set-password-done').waitFor();

        // Used: the same link now says so before anything is typed.
        await page.goto(resetUrl);
        await page.getByTestId('set-password-unusable').filter({ hasText: 'expired or was already used' }).waitFor();

        await signIn(page, email, newPassword);
        await page.getByRole('heading', { name: 'Inbox' }).waitFor();
      } finally {
        await context.close();
      }
    });
  } finally {
    await ownerContext.close();
  }
}
