import { randomBytes } from 'node:crypto';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import type { Annotation, ArticleSummary } from '../shared/schemas.js';
import { expect, expectSaved, openWorkbench, selectPhrase, test } from './fixtures.js';

/**
 * A library file overwritten with garbage while the host runs (a faulty sync
 * tool, a stray `dd`): the next tag is refused, not acknowledged, and the
 * window says the library is damaged and offers the backups.
 */
test('a library overwritten under the running host: the next tag is not acknowledged, the window says so and offers the backups', async ({
  page,
  host,
}, testInfo) => {
  await openWorkbench(page, host);
  const article = (await host.api<ArticleSummary[]>('articles.list', {}))[1] as ArticleSummary;
  await page.getByRole('button', { name: /US Urges Ukraine to Sign Peace Deal/ }).click();
  await selectPhrase(page, 'Washington is pushing for Ukraine');
  await page.keyboard.press('1');
  await expectSaved(page);
  const before = await host.api<Annotation[]>('annotations.list', { articleId: article.id });
  expect(before).toHaveLength(1);
  await host.api('backups.create', {});

  // Overwritten in place, every byte, while the host holds it open.
  const fd = openSync(host.dbFile, 'r+');
  writeSync(fd, randomBytes(statSync(host.dbFile).size), 0, undefined, 0);
  closeSync(fd);

  await selectPhrase(page, 'a report by Politico');
  await page.keyboard.press('2');
  // Never acknowledged: the save state says so and the host refuses every write from now on.
  await expect(page.getByRole('status').filter({ hasText: /saved|Saving/ })).toHaveText('Last change not saved');
  const banner = page.getByRole('alert').filter({ hasText: 'The library file is damaged, so nothing more can be saved to it.' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('restore a backup');
  await expect(page.getByRole('alert').filter({ hasText: /^Not saved:/ })).toHaveText(
    /^Not saved: the library file is damaged \(see above\)\./,
  );
  await expect(host.api('labels.create', { name: 'After damage', color: '#123456', shortcut: '9' })).rejects.toThrow(/damaged/);

  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height });
    // The banner sits inside the window at both sizes, its button reachable.
    const box = await banner.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= width && box.y >= 0).toBe(true);
    await page.screenshot({ path: testInfo.outputPath(`damaged-library-${width}.png`) });
    if (process.env.DOCS_SCREENSHOTS) await page.screenshot({ path: `docs/damaged-library-${width}.png` });
  }

  // The way out, by keyboard: the banner's button opens the backups.
  await banner.getByRole('button', { name: 'Restore a backup…' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Backups' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: /^Restore the backup of/ }).first()).toBeVisible();
  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: testInfo.outputPath(`damaged-library-backups-${width}.png`) });
    if (process.env.DOCS_SCREENSHOTS) await page.screenshot({ path: `docs/damaged-library-backups-${width}.png` });
  }

  // Restoring the backup brings the library back with the tag it held, and writes work again.
  await dialog
    .getByRole('button', { name: /^Restore the backup of/ })
    .first()
    .click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Restore backup' }).click();
  await expect(banner).toBeHidden({ timeout: 15_000 });
  expect((await host.api<Annotation[]>('annotations.list', { articleId: article.id })).map((a) => a.quote)).toEqual([
    'Washington is pushing for Ukraine',
  ]);
  await host.api('labels.create', { name: 'After restore', color: '#123456', shortcut: '9' });
});
