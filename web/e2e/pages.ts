// Page steps more than one test file takes.
import { expect, type Locator, type Page } from '@playwright/test';

/** Clicks the callback queue's "Load more" until `target` is listed (or there is no more); then it must be visible. */
export async function revealInQueue(page: Page, target: Locator): Promise<void> {
  const cards = page.locator('[data-testid=callback-queue] > li');
  await expect(page.getByTestId('callback-queue')).toBeAttached();
  await expect(page.getByTestId('callback-summary')).toHaveText(/to make/);
  while ((await target.count()) === 0) {
    const more = page.getByRole('button', { name: 'Load more' });
    if ((await more.count()) === 0) break;
    const before = await cards.count();
    await more.click();
    await expect.poll(() => cards.count()).toBeGreaterThan(before);
  }
  await expect(target.first()).toBeVisible();
}
