import type { Annotation, ArticleSummary } from '../shared/schemas.js';
import { insertArticle } from '../main/store/articles.js';
import { openDatabase } from '../main/store/database.js';
import { expect, expectSaved, openWorkbench, selectInParagraph, test } from './fixtures.js';

const TEXT = 'Zelensky 🇺🇦 said: “Ça suffit” 😀 — Kyiv’s position is clear.\nMacron’s café 👩‍👩‍👧 diplomacy continues.';

test('emoji and accented text keep correct code-point offsets through tag, reload and the API', async ({ page, host }) => {
  // A second writer on the same database, as the CLI would be.
  const db = openDatabase(host.dbFile);
  insertArticle(db, { title: 'Ünïcödé test 🌍', text: TEXT, fileName: 'unicode.txt' });
  db.close();

  await openWorkbench(page, host);
  await page.getByRole('button', { name: /Ünïcödé test/ }).click();
  const p0 = (await page.locator('.article-text p').first().textContent()) ?? '';
  // Select from the middle of "Ça" to the middle of "suffit": snaps to the whole words.
  const at = p0.indexOf('a suf');
  await selectInParagraph(page, 0, at, at + 5);
  await page.keyboard.press('1');
  await expect(page.locator('[data-annotation-id][data-label="claim"]')).toHaveText('Ça suffit');

  const p1 = (await page.locator('.article-text p').nth(1).textContent()) ?? '';
  const d = p1.indexOf('diplomacy');
  await selectInParagraph(page, 1, p1.indexOf('café'), d + 4);
  await page.keyboard.press('2');
  await expect(page.locator('[data-annotation-id][data-label="source"]')).toHaveText('café 👩‍👩‍👧 diplomacy');
  await expectSaved(page);

  const articles = await host.api<ArticleSummary[]>('articles.list', {});
  const id = articles.find((a) => a.fileName === 'unicode.txt')?.id ?? 0;
  const list = await host.api<Annotation[]>('annotations.list', { articleId: id });
  const chars = [...TEXT]; // Python-style code points
  for (const a of list) expect(chars.slice(a.start, a.end).join('')).toBe(a.quote);
  // Reference offsets from python3: TEXT.index('Ça') == 19, TEXT.index('café') == 69.
  expect(list.map((a) => [a.start, a.end])).toEqual([
    [19, 28],
    [69, 89],
  ]);

  await host.restart();
  await page.goto(host.url);
  await page.getByRole('button', { name: /Ünïcödé test/ }).click();
  await expect(page.locator('[data-annotation-id][data-label="claim"]')).toHaveText('Ça suffit');
  await expect(page.locator('[data-annotation-id][data-label="source"]')).toHaveText('café 👩‍👩‍👧 diplomacy');
  expect(await host.api<Annotation[]>('annotations.list', { articleId: id })).toEqual(list);
});
