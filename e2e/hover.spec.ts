import type { Page } from '@playwright/test';
import { expect, expectSaved, openWorkbench, selectInParagraph, selectPhrase, test } from './fixtures.js';

/** The middle of the painted tag holding `phrase`. */
async function pointAt(page: Page, phrase: string): Promise<{ x: number; y: number }> {
  // The first line box of the tag: a tag across a line break has a gap in the middle of its bounding box.
  const tag = page.locator('.article-text [data-annotation-id]').filter({ hasText: phrase }).first();
  const box = await tag.evaluate((el) => {
    const r = el.getClientRects()[0];
    return r ? { x: r.x + Math.min(20, r.width / 2), y: r.y + r.height / 2 } : null;
  });
  if (!box) throw new Error(`no painted tag holds "${phrase}"`);
  return box;
}

test('hover cards: they show a tag just added, follow the pointer, and go on scroll and on j/k', async ({ page, host }) => {
  await openWorkbench(page, host);
  await page.getByRole('button', { name: /US Urges Ukraine/ }).click();
  const card = page.getByRole('tooltip');

  // The pointer rests on the words as they are tagged: the card names the new tag without the pointer moving.
  await selectPhrase(page, 'a report by Politico');
  const words = await page.locator('.article-text p').first().boundingBox();
  await page.keyboard.press('2');
  const at = await pointAt(page, 'a report by Politico');
  await page.mouse.move(at.x, at.y);
  await expect(card).toContainText('a report by Politico');
  await selectPhrase(page, 'Washington is pushing for Ukraine');
  await page.keyboard.press('1');
  const claim = await pointAt(page, 'Washington is pushing for Ukraine');
  await page.mouse.move(claim.x, claim.y);
  await expect(card).toContainText('Washington is pushing for Ukraine');
  await expect(card).not.toContainText('a report by Politico');
  // Selected without the mouse, which stays where it is.
  await selectInParagraph(page, 0, 0, 'Washington is pushing'.length);
  await page.keyboard.press('3');
  await expectSaved(page);
  // The opinion was added under the resting pointer: the card lists both tags there.
  await expect(card.locator('.hover-row')).toHaveCount(2);
  await expect(card).toContainText('Opinion');

  // It follows the pointer.
  const before = await card.boundingBox();
  await page.mouse.move(claim.x + 30, claim.y);
  await expect.poll(async () => (await card.boundingBox())?.x).toBeCloseTo((before?.x ?? 0) + 30, 0);

  // j / k move the selection away from the pointer: the card goes.
  await page.keyboard.press('j');
  await expect(card).toBeHidden();
  await page.mouse.move(claim.x + 31, claim.y);
  await expect(card).toBeVisible();
  // Scrolling moves the text under the pointer: the card goes.
  await page.locator('.article-scroll').evaluate((el) => el.scrollBy(0, 120));
  await expect(card).toBeHidden();
  // Leaving the text takes it away too.
  await page.mouse.move(at.x, at.y);
  await page.mouse.move(5, (words?.y ?? 300) + 5);
  await expect(card).toBeHidden();
});
