// The live inbox in Chromium: a background tab learns of a missed call and a
// caller's reply within seconds (title badge, desktop notification whose click
// opens the lead), a reply lifts its lead to the top, the list survives a
// network blip, and "No answer" on a callback schedules the next attempt.
const LIVE_BUDGET_MS = 5000; // a pushed update, not a poll

export default async function scenarios({ step, newPage, signIn, missedCall, callerTexts, newCaller, shot, assert, allowConsoleErrors }) {
  const { context, page } = await newPage('live-inbox', { permissions: ['notifications'] });
  const { context: otherContext, page: other } = await newPage('live-inbox-second-device');
  try {
    // Record desktop notifications instead of showing them (the permission itself is real: granted to the context).
    await context.addInitScript(() => {
      const shown = [];
      window.__shownNotifications = shown;
      const Real = window.Notification;
      function Recorded(title, options = {}) {
        const record = { title, body: options.body, tag: options.tag, onclick: null, close() {} };
        shown.push(record);
        return record;
      }
      Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
      Recorded.requestPermission = (...args) => Real.requestPermission(...args);
      window.Notification = Recorded;
    });
    const notifications = () => page.evaluate(() => window.__shownNotifications.map(({ title, body, tag }) => ({ title, body, tag })));
    const attention = async () => Number(await page.getByTestId('live-status').getAttribute('data-attention'));
    const setBackground = (hidden) =>
      page.evaluate((isHidden) => {
        if (isHidden) {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
          Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
          document.hasFocus = () => false;
        } else {
          delete document.visibilityState;
          delete document.hidden;
          delete document.hasFocus;
        }
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    const callerA = newCaller();
    const callerB = newCaller();
    const rowOf = (target, phone) => target.locator(`[data-testid=inbox-list] tr[data-lead-phone="${phone}"]`);

    await step('live inbox: the inbox connects live and desktop alerts are on (permission granted, nothing asked on load)', async () => {
      await signIn(page);
      await signIn(other);
      await page.getByTestId('inbox-list').waitFor();
      await page
        .getByTestId('live-status')
        .filter({ hasText: /^\s*Live\s*$/ })
        .waitFor();
      await page.getByTestId('live-status').and(page.locator('[data-attention]:not([data-attention=""])')).waitFor();
      await page.getByTestId('desktop-alerts-on').waitFor();
      await other
        .getByTestId('live-status')
        .filter({ hasText: /^\s*Live\s*$/ })
        .waitFor();
      await shot(page, 'inbox-live-01-connected');
    });

    await step('live inbox: a missed call reaches a background tab within seconds — title badge and desktop notification', async () => {
      await setBackground(true);
      const before = await attention();
      await missedCall(callerA);
      await page.waitForFunction((expected) => document.title === expected, `(${before + 1}) Inbox · CallSnare`, { timeout: LIVE_BUDGET_MS });
      await page.waitForFunction(
        (digits) => window.__shownNotifications.some((n) => n.title.startsWith('Missed call from') && n.title.replace(/\D/g, '').endsWith(digits)),
        callerA.slice(-7),
        { timeout: LIVE_BUDGET_MS },
      );
      await rowOf(page, callerA).waitFor({ timeout: LIVE_BUDGET_MS });
      // The other staff device, in front, gets the same call without a reload.
      await rowOf(other, callerA).waitFor({ timeout: LIVE_BUDGET_MS });
      await shot(page, 'inbox-live-02-missed-call-background');
    });

    await step('live inbox: the caller texts back — the lead goes to the top with the message as its preview, and a notification', async () => {
      await missedCall(callerB); // a newer missed call sits above A until A replies
      await rowOf(page, callerB).waitFor({ timeout: LIVE_BUDGET_MS });
      const text = 'AC stopped cooling, can someone come out today?';
      await callerTexts(callerA, text);
      const top = page.locator('[data-testid=inbox-list] tbody tr').first();
      await page.locator(`[data-testid=inbox-list] tbody tr:first-child[data-lead-phone="${callerA}"][data-need="reply"]`).waitFor({ timeout: LIVE_BUDGET_MS });
      assert.equal((await top.getByTestId('last-inbound').innerText()).replace(/[“”]/g, ''), text);
      await page.waitForFunction((body) => window.__shownNotifications.some((n) => n.title.startsWith('Reply from') && n.body === body), text, {
        timeout: LIVE_BUDGET_MS,
      });
      assert.match(await page.getByTestId('count-needs-reply').innerText(), /^[1-9]\d*$/);
      await shot(page, 'inbox-live-03-reply-on-top');
    });

    await step('live inbox: clicking the notification brings the tab to the lead', async () => {
      await page.evaluate(() => window.__shownNotifications.findLast((n) => n.title.startsWith('Reply from')).onclick());
      await page.waitForURL(/\/leads\/[0-9a-f-]+$/);
      await page.getByTestId('timeline').waitFor();
      await setBackground(false);
      const shown = await notifications();
      assert.ok(
        shown.every((n) => n.tag?.startsWith('lead-')),
        JSON.stringify(shown),
      );
    });

    await step('live inbox: a network blip keeps the list on screen, says live updates are paused, and catches up on reconnect', async () => {
      allowConsoleErrors('live-inbox', /ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed|Failed to fetch/);
      await page.getByRole('link', { name: 'Inbox', exact: true }).click();
      await rowOf(page, callerA).waitFor();
      const rowsBefore = await page.locator('[data-testid=inbox-list] tbody tr').count();
      await context.setOffline(true);
      await page.getByTestId('live-status').filter({ hasText: 'Live updates paused — reconnecting…' }).waitFor({ timeout: 20000 });
      const callerC = newCaller();
      await missedCall(callerC); // happens while this tab is offline
      assert.ok((await page.locator('[data-testid=inbox-list] tbody tr').count()) >= rowsBefore, 'the list stays on screen while offline');
      await shot(page, 'inbox-live-04-offline');
      await context.setOffline(false);
      await page
        .getByTestId('live-status')
        .filter({ hasText: /^\s*Live\s*$/ })
        .waitFor({ timeout: 40000 });
      await rowOf(page, callerC).waitFor({ timeout: LIVE_BUDGET_MS });
    });

    await step('live inbox: "No answer" on a callback schedules the 2nd attempt, shown in the queue', async () => {
      await page.getByRole('link', { name: 'Callbacks', exact: true }).click();
      const card = page.locator(`[data-testid=callback-queue] li[data-lead-phone="${callerB}"]`);
      await revealInQueue(page, card);
      await card.getByRole('button', { name: 'No answer' }).click();
      await card.getByRole('button', { name: 'Confirm: No answer' }).click();
      const second = page.locator(`[data-testid=callback-queue] li[data-lead-phone="${callerB}"][data-attempt="2"]`);
      await revealInQueue(page, second);
      assert.equal(await second.getByTestId('attempt').textContent(), '2nd attempt');
      await shot(page, 'inbox-live-05-second-attempt');
    });

    await step('live inbox: "Load more" continues the list without repeating a lead', async () => {
      await page.getByRole('link', { name: 'Inbox', exact: true }).click();
      await page.getByTestId('inbox-list').waitFor();
      const more = page.getByRole('button', { name: 'Load more' });
      if ((await more.count()) === 0) return; // fewer open leads than one page
      const before = await page.locator('[data-testid=inbox-list] tbody tr').count();
      await more.click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=inbox-list] tbody tr').length > n, before);
      const ids = await page.locator('[data-testid=inbox-list] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.leadId));
      assert.equal(new Set(ids).size, ids.length, 'no lead twice');
    });
  } finally {
    await otherContext.close();
    await context.close();
  }
}

/** Clicks "Load more" until `locator` is in the queue (or there is no more). */
async function revealInQueue(page, locator) {
  const cards = page.locator('[data-testid=callback-queue] > li');
  await page.getByTestId('callback-queue').waitFor();
  await page
    .locator('[data-testid=callback-summary]')
    .filter({ hasText: /to make/ })
    .waitFor();
  while ((await locator.count()) === 0) {
    const more = page.getByRole('button', { name: 'Load more' });
    if ((await more.count()) === 0) break;
    const before = await cards.count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=callback-queue] > li').length > n, before);
  }
  return locator.first().waitFor();
}
