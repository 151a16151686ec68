// The owner's evidence and reports: audit log, webhook log, billing, reports.
import { expect, test } from '../fixtures';

test('evidence and reports pages render for the owner; the audit log lists a settings change', async ({ page, app, signIn, shot }) => {
  // A delivery of this test's own for the webhook log (the demo seed writes none, and the
  // worker's server may be new), and a settings change to find in the audit log.
  await app.missedCall(app.newCaller());
  await app.gql(await app.ownerCookie(), 'mutation($i: UpdateSettingsInput!) { updateSettings(input: $i) { afterHoursTemplate } }', {
    i: { afterHoursTemplate: `Thanks for calling {businessName}. We are closed now and will call you back {callbackEta}. (${Date.now() % 100000})` },
  });
  await signIn(page);
  for (const [link, heading, file] of [
    ['Audit log', 'Audit log', 'audit'],
    ['Webhook log', 'Webhook log', 'webhook-log'],
    ['Billing', 'Billing', 'billing'],
    ['Reports', 'Reports', 'reports'],
  ] as const) {
    await page.getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
    await expect(page.locator('table, .tiles, .empty, .card').first()).toBeVisible();
    if (file === 'reports') await expect(page.locator('.recharts-surface').first()).toBeVisible();
    if (file === 'webhook-log') await expect(page.locator('table tbody tr').first()).toBeVisible();
    await shot(page, file);
  }
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByTestId('audit-list').getByText('settings.updated').first()).toBeVisible();
});
