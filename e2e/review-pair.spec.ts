import type { Annotation, ArticleSummary } from '../shared/schemas.js';
import { colleagueBundle, REVIEW_ARTICLE_INDEX } from './colleagues.js';
import { expect, openWorkbench, test, type Host } from './fixtures.js';

const SHARED: [string, string][] = [
  ['Washington is pushing for Ukraine to sign a peace deal', 'claim'],
  ['a report by Politico', 'opinion'],
];
const BOB_ONLY = [
  'EU officials',
  'post-conflict assurances',
  'one-sided guarantees',
  'containing Russia',
  'Donald Trump',
  'Vladimir Zelensky',
  'red lines',
  'NATO membership',
  'Crimea',
  'Donbass republics',
  'territorial concessions',
  'collective-defense clause',
  'Steve Witkoff',
  'final settlement',
];

/** Tags a phrase of the review article as the annotator the host has now. */
async function tag(host: Host, phrase: string, label: string): Promise<void> {
  const articleId = (await host.api<ArticleSummary[]>('articles.list', {}))[REVIEW_ARTICLE_INDEX]?.id ?? 0;
  const { text } = await host.api<{ text: string }>('articles.get', { id: articleId });
  const start = [...text.slice(0, text.indexOf(phrase))].length;
  await host.api('annotations.create', { articleId, start, end: start + [...phrase].length, quote: phrase, label });
}

async function gold(host: Host): Promise<Annotation[]> {
  const articleId = (await host.api<ArticleSummary[]>('articles.list', {}))[REVIEW_ARTICLE_INDEX]?.id ?? 0;
  return (await host.api<Annotation[]>('annotations.list', { articleId })).filter((a) => a.annotator === 'gold');
}

test('review: B is the colleague just imported, the pair and its decisions survive a reload and a swap, gold never doubles; the queue follows the item, e picks the label, each item shows its sentence', async ({
  page,
  host,
  dataDir,
}) => {
  const bob = await colleagueBundle(dataDir, 'Bob', [...SHARED, ...BOB_ONLY.map((p): [string, string] => [p, 'source'])]);
  await openWorkbench(page, host, 'Rita Reviewer');
  await tag(host, 'Washington is pushing for Ukraine to sign a peace deal', 'claim');
  await tag(host, 'a report by Politico', 'source');

  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByLabel('Import a colleague’s annotations').setInputFiles(bob);
  await expect(page.getByRole('status', { name: 'Bundle import report' })).toContainText('(Bob): 16 annotations added');
  await expect(page.getByLabel('Annotator A')).toHaveValue('Rita Reviewer');
  await expect(page.getByLabel('Annotator B')).toHaveValue('Bob');

  const queue = page.getByRole('region', { name: 'Review queue' });
  await expect(queue.locator('.queue-list li')).toHaveCount(15);
  // The sentence around the tags, both sides marked.
  await expect(queue.getByLabel('Article context')).toHaveText(
    'Washington is pushing for Ukraine to sign a peace deal before agreeing to any security guarantees, according to a report by Politico.',
  );
  await expect(queue.locator('.review-context .in-a.in-b')).toHaveText('a report by Politico');
  await page.keyboard.press('a');
  await queue.getByRole('button', { name: /Accept 1 agreed/ }).click();
  await expect(queue.getByRole('button', { name: /Accept 0 agreed/ })).toBeDisabled();
  await expect(queue).toContainText('1 of 15 decided');
  expect((await gold(host)).map((g) => g.quote).sort()).toEqual([
    'Washington is pushing for Ukraine to sign a peace deal',
    'a report by Politico',
  ]);

  // The queue list scrolls with the current item.
  for (let i = 1; i < 15; i++) await page.keyboard.press('n');
  await expect(queue.locator('.queue-item .kind')).toContainText('15 / 15');
  const list = await queue.locator('.queue-list').boundingBox();
  const current = await queue.locator('.queue-list li.current').boundingBox();
  expect(current && list && current.y >= list.y && current.y + current.height <= list.y + list.height + 1).toBe(true);

  // e puts the keyboard in the gold label picker; arrows choose, Enter writes.
  await page.keyboard.press('e');
  const picker = queue.getByLabel('Gold label');
  await expect(picker).toBeFocused();
  await picker.selectOption('opinion');
  await picker.press('Enter');
  await expect(queue).toContainText('2 of 15 decided');

  // A reload keeps the pair and its decisions; nothing is left to accept twice.
  await page.reload();
  await page.getByRole('tab', { name: 'Review' }).click();
  await expect(page.getByLabel('Annotator A')).toHaveValue('Rita Reviewer');
  await expect(page.getByLabel('Annotator B')).toHaveValue('Bob');
  await expect(queue).toContainText('2 of 15 decided');
  await expect(queue.getByRole('button', { name: /Accept 0 agreed/ })).toBeDisabled();

  // The same pair the other way round: the same decisions, accept A shown as accept B.
  await page.getByLabel('Annotator A').selectOption('Bob');
  await page.getByLabel('Annotator B').selectOption('Rita Reviewer');
  await expect(queue).toContainText('2 of 15 decided');
  await expect(queue.getByRole('button', { name: /Accept 0 agreed/ })).toBeDisabled();
  await expect(queue.locator('.queue-list li').first()).toContainText('accept b');
  await page.keyboard.press('o');
  await expect(queue.locator('.queue-list li').first()).toContainText('accept both');
  expect((await gold(host)).map((g) => `${g.label} ${g.quote}`).sort()).toEqual([
    'claim Washington is pushing for Ukraine to sign a peace deal',
    'opinion Steve Witkoff',
    'opinion a report by Politico',
    'source a report by Politico',
  ]);
});
