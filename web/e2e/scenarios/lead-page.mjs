// The lead page as an office manager and a tech on a phone use it: numbers to tap,
// times in words and in the shop's zone (whatever the device's), a tab title that
// names the caller, one history entry per click, attempts counted and a decision asked for
// when none was answered, actions above the timeline on a phone.
const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export default async function leadPage({ baseUrl, step, newPage, signIn, sessionCookie, gql, postTwilio, newCaller, trackingNumber, shot, assert }) {
  // The device is in Tokyo; the shop is not: every time on the page must still be shop time.
  const { context, page } = await newPage('lead-page', { timezoneId: 'Asia/Tokyo' });
  try {
    await signIn(page);
    const { settings } = await gql(await sessionCookie(context), '{ settings { timezone } }');
    const caller = newCaller();
    const shown = `(${caller.slice(2, 5)}) ${caller.slice(5, 8)}-${caller.slice(8)}`;
    const callSid = `CA${Date.now().toString(16)}${'b'.repeat(24)}`.slice(0, 34);
    const call = { CallSid: callSid, AccountSid: `AC${'1'.repeat(32)}`, From: caller, To: trackingNumber, Direction: 'inbound' };
    await postTwilio('/voice', { ...call, CallStatus: 'ringing' });
    await postTwilio('/voice/dial-status', { ...call, CallStatus: 'in-progress', DialCallStatus: 'busy', DialCallDuration: '0' });

    await step('opening a lead from the inbox is one history entry: Back returns to the inbox', async () => {
      await page.goto(`${baseUrl}/`);
      const row = page.locator(`tr[data-lead-phone="${caller}"]`);
      await row.waitFor();
      const before = await page.evaluate(() => history.length);
      await row.locator('a').first().click();
      await page.getByTestId('timeline').waitFor();
      assert.equal(await page.evaluate(() => history.length), before + 1, 'one click, one history entry');
      await page.goBack();
      await page.getByRole('heading', { name: 'Inbox' }).waitFor();
      await page.goForward();
      await page.getByTestId('timeline').waitFor();
    });

    await step('the tab title names the lead; every phone number is a tel: link', async () => {
      // The shell may put the attention badge in front: "(2) (555) 123-4567 · CallSnare".
      assert.ok((await page.title()).endsWith(`${shown} · CallSnare`), await page.title());
      const telLinks = page.locator(`a[href="tel:${caller}"]`);
      assert.ok((await telLinks.count()) >= 2, 'heading, call button and contact line call the caller');
      await page.getByRole('link', { name: `Call ${shown}` }).waitFor();
    });

    await step('the timeline says what happened in words, with formatted shop times (never ISO)', async () => {
      const timeline = page.getByTestId('timeline');
      await timeline.getByText('The line was busy').waitFor();
      const text = await timeline.innerText();
      assert.doesNotMatch(text, ISO_TIMESTAMP, 'no raw ISO timestamp on the timeline');
      assert.match(text, /just now|minutes? ago/, 'relative times in words');
      const zoneAbbreviation = new Intl.DateTimeFormat('en-US', { timeZone: settings.timezone, timeZoneName: 'short' })
        .formatToParts(new Date())
        .find((p) => p.type === 'timeZoneName').value;
      assert.ok(text.includes(zoneAbbreviation), `times are shown in the shop zone (${zoneAbbreviation}), not the device's: ${text}`);
      await shot(page, 'lead-page-desktop');
    });

    await step('a callback picked at 10:30 is 10:30 at the shop, and the picker says which zone', async () => {
      const year = new Date().getUTCFullYear() + 1;
      const callbacks = page.locator('.lead-callbacks-card');
      await page.getByTestId('callback-zone').filter({ hasText: settings.timezone }).waitFor();
      await page.getByLabel('Schedule a callback at (shop time)').fill(`${year}-01-15T10:30`);
      await page
        .getByTestId('callback-picked')
        .filter({ hasText: `Jan 15, ${year}, 10:30 AM` })
        .waitFor();
      await callbacks.getByRole('button', { name: 'Schedule', exact: true }).click();
      await page.getByTestId('timeline').getByText(`for Jan 15, ${year}, 10:30 AM`).waitFor();
    });

    await step('unanswered callbacks show their attempt number, then the lead needs a decision', async () => {
      const callbacks = page.locator('.lead-callbacks-card');
      const { settings: cadence } = await gql(await sessionCookie(context), '{ settings { callbackRetryMinutes } }');
      const attempts = cadence.callbackRetryMinutes.length + 1;
      for (let attempt = 1; attempt <= attempts; attempt += 1) {
        const open = callbacks.locator('li.callback:not(.done)');
        await open
          .getByTestId('callback-attempt')
          .filter({ hasText: `Attempt ${attempt}` })
          .waitFor();
        await open.getByRole('button', { name: 'No answer' }).first().click();
        await open.getByRole('button', { name: 'Confirm: No answer' }).click();
        await callbacks
          .locator('li.callback.done')
          .filter({ hasText: `Attempt ${attempt}` })
          .waitFor();
      }
      const banner = page.getByTestId('needs-decision');
      await banner.getByText(`Nobody answered any of the ${attempts} callback attempts`).waitFor();
      await banner.getByRole('link', { name: `Call ${shown} now` }).waitFor();
      await shot(page, 'lead-page-needs-decision');
      await banner.getByRole('button', { name: 'Mark booked' }).click();
      await banner.waitFor({ state: 'detached' });
    });

    await step('on a phone the actions come before the timeline', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      const callbacks = await page.locator('.lead-callbacks-card').boundingBox();
      const timeline = await page.locator('.lead-timeline').boundingBox();
      const call = await page.getByRole('link', { name: `Call ${shown}` }).boundingBox();
      assert.ok(call.y < callbacks.y && callbacks.y < timeline.y, `call ${call.y}, callbacks ${callbacks.y}, timeline ${timeline.y}`);
      await shot(page, 'lead-page-phone');
    });
  } finally {
    await context.close();
  }
}
