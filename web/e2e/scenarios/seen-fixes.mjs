// What an office manager saw go wrong, checked where they saw it: the top bar at 1440 px,
// keyboard hints on a touch screen, a rotated credential listed twice, chart labels.
export default async function seenFixes({ baseUrl, step, newPage, signIn, shot, assert }) {
  const { context, page } = await newPage('seen-fixes', { viewport: { width: 1440, height: 900 } });
  try {
    await signIn(page);

    await step('at 1440 px the top bar is one line: no link wraps or hides behind another', async () => {
      const links = page.getByRole('navigation', { name: 'Primary' }).getByRole('link');
      const boxes = await Promise.all((await links.all()).map((link) => link.boundingBox()));
      assert.ok(boxes.length >= 9, `owner nav has every page: ${boxes.length}`);
      assert.equal(new Set(boxes.map((box) => Math.round(box.y))).size, 1, `links on one line: ${JSON.stringify(boxes.map((b) => b.y))}`);
      const nav = await page.evaluate(() => {
        const element = document.getElementById('primary-nav');
        return { scroll: element.scrollWidth, client: element.clientWidth };
      });
      assert.ok(nav.scroll <= nav.client, `no link is cut off: ${JSON.stringify(nav)}`);
      const account = await page.locator('.account').boundingBox();
      const last = boxes.at(-1);
      assert.ok(last.x + last.width <= account.x, 'the links end before the account area begins');
    });

    await step('the j/k keyboard hint shows with a mouse, not on a touch screen', async () => {
      await page.getByTestId('inbox-list').waitFor();
      await page.locator('.keyboard-hint').waitFor({ state: 'visible' });
      // A touch tablet held sideways: wide enough for the full top bar, but no keyboard.
      const { context: touchContext, page: phone } = await newPage('seen-fixes-touch', {
        viewport: { width: 1280, height: 900 },
        isMobile: true,
        hasTouch: true,
      });
      try {
        await signIn(phone);
        await phone.getByTestId('inbox-list').waitFor();
        assert.equal(await phone.evaluate(() => matchMedia('(hover: none), (pointer: coarse)').matches), true, 'the emulated phone is a touch screen');
        assert.equal(await phone.locator('.keyboard-hint').isVisible(), false, 'no keyboard hint on a touch screen');
      } finally {
        await touchContext.close();
      }
    });

    await step('a rotated credential is one entry: the old secret is listed under its replacement', async () => {
      const name = `Rotation check ${process.pid}`;
      await page.goto(`${baseUrl}/credentials`);
      await page.getByLabel('Name').fill(name);
      await page.getByRole('checkbox', { name: 'leads:read' }).check();
      await page.getByRole('button', { name: 'Create credential' }).click();
      const firstPrefix = (await page.getByTestId('secret-value').innerText()).slice(0, 16);
      await page.getByRole('button', { name: 'I stored it' }).click();
      const group = page.locator('tbody.credential-group', { hasText: name });
      await group.getByRole('button', { name: 'Rotate' }).click();
      await group.getByRole('button', { name: 'Rotate' }).click();
      await page.getByTestId('secret-once').waitFor();
      await page.getByRole('button', { name: 'I stored it' }).click();
      assert.equal(await page.locator('tbody.credential-group', { hasText: name }).count(), 1, 'one group for the rotated credential');
      const previous = group.getByTestId('rotated-credential');
      await previous.filter({ hasText: /still works until/ }).waitFor();
      assert.ok((await previous.innerText()).includes(`Previous secret ${firstPrefix}`), await previous.innerText());
      await shot(page, 'seen-credentials-rotated');
    });

    await step('report charts label every day under its bar in words', async () => {
      await page.goto(`${baseUrl}/reports`);
      await page.locator('.recharts-surface').first().waitFor();
      // The missed-calls chart: one label per day, e.g. "Mon" over "23" (tick labels are drawn a moment after the bars).
      const chart = page.locator('.recharts-surface').first();
      const labels = chart.locator('.recharts-cartesian-axis-tick-label');
      await labels.first().waitFor();
      const days = (await labels.allTextContents()).filter((t) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\d{1,2}$/.test(t.trim()));
      assert.ok(days.length >= 7, `a weekday and date under every bar: ${await labels.allTextContents()}`);
      await shot(page, 'seen-reports');
    });
  } finally {
    await context.close();
  }
}
