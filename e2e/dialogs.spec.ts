import type { Locator, Page } from '@playwright/test';
import { expect, openWorkbench, test } from './fixtures.js';

/** Focus is inside `dialog`. */
async function focusInside(page: Page, dialog: Locator): Promise<boolean> {
  return dialog.evaluate((d) => d.contains(document.activeElement));
}

test('every dialog takes focus, keeps Tab inside, closes on Esc and gives focus back', async ({ page, host }) => {
  await openWorkbench(page, host);
  await page.getByRole('button', { name: /US Urges Ukraine/ }).click();
  const openers: [string, Locator, Locator][] = [
    ['Labels', page.getByRole('button', { name: 'Labels', exact: true }), page.getByRole('dialog', { name: 'Labels' })],
    ['Backups', page.getByRole('button', { name: 'Backups', exact: true }), page.getByRole('dialog', { name: 'Backups' })],
    ['Import', page.getByRole('button', { name: /^Import/ }).first(), page.getByRole('dialog', { name: 'Import articles' })],
    ['Annotator', page.getByRole('button', { name: /Annotator/ }), page.getByRole('dialog', { name: 'Change annotator' })],
    ['Delete article', page.getByRole('button', { name: 'Delete…' }), page.getByRole('alertdialog', { name: 'Delete this article?' })],
  ];
  for (const [name, opener, dialog] of openers) {
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect(dialog, name).toBeVisible();
    await expect.poll(() => focusInside(page, dialog), `${name}: focus moves in`).toBe(true);
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
      expect(await focusInside(page, dialog), `${name}: Tab ${i} stays inside`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(dialog, `${name}: Esc closes`).toBeHidden();
    await expect(opener, `${name}: focus returns`).toBeFocused();
  }
  // Esc closed the delete confirmation without deleting.
  await expect(page.locator('.article-title')).toContainText('US Urges Ukraine');
});
