import type { Annotation, ArticleSummary } from '../shared/schemas.js';
import { expect, expectSaved, openWorkbench, selectPhrase, test } from './fixtures.js';

test('back up from the Backups dialog, change things, restore, and see the earlier state', async ({ page, host }, testInfo) => {
  await openWorkbench(page, host);
  const article = (await host.api<ArticleSummary[]>('articles.list', {})).find((a) => /US Urges Ukraine/.test(a.title));
  if (!article) throw new Error('seed article missing');
  const tags = () => host.api<Annotation[]>('annotations.list', { articleId: article.id });
  const openArticle = () => page.getByRole('button', { name: /US Urges Ukraine to Sign Peace Deal/ }).click();

  // A source tag, then a backup of that state.
  await openArticle();
  await selectPhrase(page, 'a report by Politico');
  await page.keyboard.press('2');
  const source = page.locator('[data-label="source"][data-annotation-id]');
  await expect(source).toHaveText('a report by Politico');
  await expectSaved(page);

  await page.getByRole('button', { name: 'Backups' }).click();
  const dialog = page.getByRole('dialog', { name: 'Backups' });
  await expect(dialog).toContainText('No backups yet.');
  await dialog.getByRole('button', { name: 'Back up now' }).click();
  const rows = dialog.locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('5 articles, 1 tag');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // Afterwards: the source deleted, a claim added, and a new article pasted in.
  await page.locator('.annotation-item', { hasText: 'a report by Politico' }).getByRole('button').first().click();
  await page.keyboard.press('Delete');
  await expect(source).toHaveCount(0);
  await selectPhrase(page, 'Washington is pushing for Ukraine');
  await page.keyboard.press('1');
  await expect(page.locator('[data-label="claim"][data-annotation-id]')).toHaveText('Washington is pushing for Ukraine');
  await expectSaved(page);
  await host.api('articles.createFromText', { text: 'Written after the backup\n\nThis article did not exist when the backup was made.' });
  await expect(page.getByRole('button', { name: /Written after the backup/ })).toBeVisible();
  expect((await tags()).map((a) => a.label)).toEqual(['claim']);

  // Restore: the dialog says what will happen, and the page reloads onto the restored library.
  await page.getByRole('button', { name: 'Backups' }).click();
  await rows
    .first()
    .getByRole('button', { name: /^Restore the backup of/ })
    .click();
  const confirm = dialog.getByRole('alertdialog');
  await expect(confirm).toContainText('The library will be replaced by this backup: 5 articles, 1 tag');
  await expect(confirm).toContainText('first Claimdesk backs up the current state');
  await page.screenshot({ path: testInfo.outputPath('backups-dialog.png') });
  await testInfo.attach('backups-dialog', { path: testInfo.outputPath('backups-dialog.png'), contentType: 'image/png' });
  const reloaded = page.waitForEvent('load');
  await confirm.getByRole('button', { name: 'Restore backup', exact: true }).click();
  await reloaded;
  // The page says why everything changed.
  await expect(page.locator('.status-strip')).toContainText('Backup restored');

  await expect(page.getByRole('button', { name: /Written after the backup/ })).toHaveCount(0);
  await openArticle();
  await expect(source).toHaveText('a report by Politico');
  await expect(page.locator('[data-label="claim"][data-annotation-id]')).toHaveCount(0);
  expect((await tags()).map((a) => [a.label, a.quote])).toEqual([['source', 'a report by Politico']]);
  expect(await host.api<ArticleSummary[]>('articles.list', {})).toHaveLength(5);

  // The state before the restore is itself a backup, ready to restore.
  await page.getByRole('button', { name: 'Backups' }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('before a restore');
  await expect(rows.first()).toContainText('6 articles, 1 tag');
});
