// API credentials: the secret is shown once, works with exactly the scopes picked, and never again.
import { expect, test } from '../fixtures';

test('a new credential shows its secret once, with the scopes it was given', async ({ page, app, signIn, shot }) => {
  const name = `E2E sync ${test.info().testId}`;
  await signIn(page);
  await page.getByRole('link', { name: 'API credentials' }).click();
  // The router renders the new page in a transition: until its heading shows, the inbox (and
  // its "Phone or name" search box) is still on screen, so wait, and name the field exactly.
  await expect(page.getByRole('heading', { name: 'API credentials', exact: true })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('checkbox', { name: 'leads:read' }).check();
  await page.getByRole('checkbox', { name: 'callbacks:read' }).check();
  await page.getByRole('button', { name: 'Create credential' }).click();
  const secret = await page.getByTestId('secret-value').innerText();
  expect(secret).toMatch(/^cs_test_/);
  await expect(page.getByTestId('credential-list').getByText(name)).toBeVisible();
  await shot(page, 'credentials-secret-once');
  const viewer = (await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ query: '{ viewer { scopes } }' }),
  }).then((r) => r.json())) as { data: { viewer: { scopes: string[] } } };
  expect(viewer.data.viewer.scopes.sort()).toEqual(['callbacks:read', 'leads:read']);
  await page.getByRole('button', { name: 'I stored it' }).click();
  await page.reload();
  await expect(page.getByTestId('credential-list').getByText(name)).toBeVisible();
  await expect(page.getByText(secret), 'the secret is not shown again').toHaveCount(0);
});
