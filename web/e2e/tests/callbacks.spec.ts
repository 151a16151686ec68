// The callbacks queue: what is due, soonest first, and the late ones marked in red.
import { expect, test } from '../fixtures';
import { revealInQueue } from '../pages';

test('the callbacks queue lists what is due, overdue highlighted', async ({ page, app, signIn, shot }) => {
  // The demo seed always has overdue callbacks; this caller's is due in the future.
  const caller = app.newCaller();
  await app.missedCall(caller);
  await signIn(page);
  await page.getByRole('link', { name: 'Callbacks', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Callbacks' })).toBeVisible();
  const queue = page.getByTestId('callback-queue');
  const summary = page.getByTestId('callback-summary');
  await expect(summary).toHaveText(/^\d+ to make · [1-9]\d* overdue/);

  // Late: says by how much, carries the overdue class and the red left border.
  const late = queue.locator('> li').filter({ has: page.locator('.late') });
  const lateCard = late.first();
  await expect(lateCard.locator('.late')).toHaveText(/\d+ (min|h \d+ min|days) late|due now/);
  await expect(lateCard).toHaveClass(/\boverdue\b/);
  await expect(lateCard).toHaveCSS('border-left-width', '4px');
  const danger = await lateCard.locator('.late').evaluate((element) => getComputedStyle(element).color);
  await expect(lateCard).toHaveCSS('border-left-color', danger);
  // The summary counts exactly the highlighted cards on the page.
  const overdueCount = Number(/· (\d+) overdue/.exec((await summary.textContent()) ?? '')?.[1]);
  await expect(queue.locator('> li.overdue')).toHaveCount(overdueCount);
  await expect(late).toHaveCount(overdueCount);

  // Not late: no red border, no lateness.
  const onTime = queue.locator(`> li[data-lead-phone="${caller}"]`);
  await revealInQueue(page, onTime);
  await expect(onTime).not.toHaveClass(/\boverdue\b/);
  await expect(onTime.locator('.late')).toHaveCount(0);
  expect(await onTime.evaluate((element) => getComputedStyle(element).borderLeftColor)).not.toBe(danger);
  await shot(page, 'callbacks');
});
