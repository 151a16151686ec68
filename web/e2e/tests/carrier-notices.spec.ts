// Carrier filtering as a shop owner meets it: a 30034 delivery report puts a notice above every
// page and the plain-language reason under the failed text; Dismiss hides the notice; the lead
// page downloads the evidence; the Settings page shows the line's registration with its meaning.
import { expect, test } from '../fixtures';

test('a 30034 report shows a dismissible notice, the reason under the text, the evidence download and the line registration', async ({ page, app, signIn }) => {
  const caller = app.newCaller();
  await app.missedCall(caller);
  const cookie = await app.ownerCookie();
  const { leads } = await app.gql<{ leads: { nodes: { id: string; phone: string }[] } }>(cookie, '{ leads(first: 100) { nodes { id phone } } }');
  const leadId = leads.nodes.find((lead) => lead.phone === caller)?.id;
  if (!leadId) throw new Error(`no lead for ${caller}`);
  const evidence = async () => {
    const response = await fetch(`${app.url}/api/leads/${leadId}/evidence.json`, { headers: { cookie } });
    expect(response.status).toBe(200);
    return (await response.json()) as { texts: unknown[] };
  };
  // The outbox sends the text-back in the background (unless the caller's calling window defers it).
  type Text = { id: string; kind: string; providerSid: string | null; deferredUntil: string | null };
  const textBack = async () => {
    const text = ((await evidence()).texts as Text[]).find((candidate) => candidate.kind === 'TEXT_BACK');
    if (!text) throw new Error('no text-back queued');
    return text;
  };
  await expect
    .poll(
      async () => {
        const text = await textBack();
        return Boolean(text.providerSid || text.deferredUntil);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  const sent = await textBack();
  // The report names our message id, as its status callback URL does, and the provider's id once it has one.
  await app.postTwilio(`/sms/status?messageId=${sent.id}`, {
    MessageSid: sent.providerSid ?? `SM${'e2e30034'.padEnd(32, '0')}`,
    AccountSid: `AC${'1'.repeat(32)}`,
    MessageStatus: 'undelivered',
    ErrorCode: '30034',
  });

  await signIn(page);
  const notices = page.getByTestId('notices');
  await expect(notices).toContainText('Carriers are blocking texts from your tracking number');
  await page.locator(`tr[data-lead-phone="${caller}"] a`).first().click();
  await expect(page.getByTestId('failure-reason')).toContainText('not registered for A2P 10DLC');
  await expect(notices).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download evidence' }).click();
  expect((await download).suggestedFilename()).toMatch(/^callsnare-evidence-\d+-\d{4}-\d{2}-\d{2}\.html$/);

  await page.getByRole('link', { name: 'Settings' }).first().click();
  const line = app.trackingNumber;
  const registration = page.locator('tr', { hasText: `(${line.slice(2, 5)}) ${line.slice(5, 8)}-${line.slice(8)}` }).getByTestId('line-registration');
  await expect(registration).toContainText('Carriers blocked a text from this line (error 30034');
  await registration.getByLabel('Messaging registration').selectOption('A2P_10DLC_REGISTERED');
  await expect(registration).toContainText('Registered for A2P 10DLC with an approved campaign');
  await expect(registration).not.toContainText('Carriers blocked');

  for (const button of await notices.getByRole('button', { name: 'Dismiss' }).all()) await button.click();
  await expect(notices).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('notices')).toHaveCount(0);
});
