import type { Locator, Page } from 'playwright-core';

// The deal board's parts as a user finds them, and a mouse drag of a card (test/e2e/board.test.ts,
// test/e2e/automation-scenario.test.ts).

/** The board's column of a stage, found by its heading. */
export const column = (page: Page, stage: string): Locator =>
  page.locator('section[data-testid="board-column"]', { has: page.getByRole('heading', { name: stage, exact: true }) });

/** A deal's card on the board (in a column, or anywhere on the page). */
export const card = (scope: Page | Locator, title: string): Locator => scope.getByTestId('deal-card').filter({ hasText: title });

/** Drags a card with the mouse onto a column (below its cards; a collapsed column anywhere). */
export async function drag(page: Page, from: Locator, to: Locator): Promise<void> {
  await from.scrollIntoViewIfNeeded();
  const a = (await from.boundingBox())!;
  const scroll = to.locator('[data-testid="column-scroll"]');
  const b = (await ((await scroll.count()) ? scroll : to).boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 12, a.y + a.height / 2 + 8, { steps: 4 });
  const x = b.x + b.width / 2;
  const y = b.y + Math.min(b.height - 10, 160);
  await page.mouse.move(x, y, { steps: 20 });
  await page.mouse.move(x, y + 4, { steps: 3 });
  await page.mouse.up();
}
