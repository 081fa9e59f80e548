import { openDatabase } from '../main/store/database.js';
import type { Annotation, ArticleSummary } from '../shared/schemas.js';
import { expect, expectSaved, openWorkbench, test } from './fixtures.js';

test('a save the database refuses is shown as not saved, never silently dropped', async ({ page, host }) => {
  await openWorkbench(page, host);
  await page.getByRole('button', { name: /US Urges Ukraine/ }).click();
  const tagFirstWord = async () => {
    await page
      .locator('.article-text p')
      .first()
      .click({ position: { x: 3, y: 8 } });
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+Control+ArrowRight');
    await page.keyboard.press('1');
  };

  // Another program holds the write lock longer than the host waits for it.
  const other = openDatabase(host.dbFile);
  other.exec('BEGIN EXCLUSIVE');
  try {
    await tagFirstWord();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Not saved:', { timeout: 15_000 });
    await expect(alert).toContainText(`${host.dbFile} is busy with another program`);
    await expect(page.locator('.save-status')).toHaveText('Last change not saved');
    // What the page shows is what the database holds: the tag is gone again.
    await expect(page.locator('[data-annotation-id]')).toHaveCount(0);
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }

  await tagFirstWord();
  await expectSaved(page);
  await expect(page.locator('[data-annotation-id]')).toHaveCount(1);
  const article = (await host.api<ArticleSummary[]>('articles.list', {})).find((a) => /US Urges Ukraine/.test(a.title));
  expect(await host.api<Annotation[]>('annotations.list', { articleId: article?.id })).toHaveLength(1);
});
