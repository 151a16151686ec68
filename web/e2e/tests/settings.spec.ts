// The settings page: text-back templates with a live preview and the server's on save.
import { expect, test } from '../fixtures';

test('editing a template shows the preview, and saving returns the server preview', async ({ page, signIn, shot }) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  const template = page.getByLabel('During business hours');
  await template.fill('Hi {callerFirstName}, {businessName} here. We will call you back {callbackEta}.');
  await expect(page.getByTestId('tpl-business-preview-text')).toHaveText(/^Hi Jordan, .+ here\. We will call you back within \d+ minutes\.$/);
  await expect(page.getByTestId('tpl-business-count')).toHaveText(/characters · 1 SMS segment · GSM-7/);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('saved-preview')).toContainText('Hi Jordan');
  await page.reload();
  await expect(page.getByLabel('During business hours')).toHaveValue('Hi {callerFirstName}, {businessName} here. We will call you back {callbackEta}.');
  await shot(page, 'settings');
});
