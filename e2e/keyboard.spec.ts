import type { ArticleSummary } from '../shared/schemas.js';
import { expect, expectSaved, openWorkbench, test, type Host } from './fixtures.js';

interface Link {
  claimId: string;
  sourceId: string;
}

/** Tags a phrase of the seed article "US Urges Ukraine…" through the API, as the annotator the host has now. */
async function tag(host: Host, phrase: string, label: string): Promise<string> {
  const articleId = (await host.api<ArticleSummary[]>('articles.list', {}))[1]?.id ?? 0;
  const { text } = await host.api<{ text: string }>('articles.get', { id: articleId });
  const start = [...text.slice(0, text.indexOf(phrase))].length;
  return (await host.api<{ id: string }>('annotations.create', { articleId, start, end: start + [...phrase].length, quote: phrase, label }))
    .id;
}

async function links(host: Host): Promise<Link[]> {
  const articleId = (await host.api<ArticleSummary[]>('articles.list', {}))[1]?.id ?? 0;
  return (await host.api<{ links: Link[] }>('claims.forArticle', { articleId })).links;
}

async function openArticle(page: import('@playwright/test').Page): Promise<void> {
  await page.getByRole('button', { name: /US Urges Ukraine to Sign Peace Deal/ }).click();
  await expect(page.locator('.article-text p').first()).toBeVisible();
}

const selectedItem = (page: import('@playwright/test').Page) => page.locator('.annotation-item.selected');

test('click a tag, Esc, click the same tag again: it is selected again', async ({ page, host }) => {
  await openWorkbench(page, host);
  await tag(host, 'a report by Politico', 'source');
  await openArticle(page);
  const source = page.locator('[data-label="source"][data-annotation-id]').first();
  await source.click();
  await expect(selectedItem(page)).toContainText('a report by Politico');
  await page.keyboard.press('Escape');
  await expect(selectedItem(page)).toHaveCount(0);
  await source.click();
  await expect(selectedItem(page)).toContainText('a report by Politico');
  await page.keyboard.press('Escape');
  await expect(selectedItem(page)).toHaveCount(0);
  await page.waitForTimeout(600); // a later click, not a double click
  await source.click();
  await expect(selectedItem(page)).toContainText('a report by Politico');
});

test('attribution by keyboard: after a, j/k and Enter link the selected source; Shift+arrows and 2 tag a new source and link it', async ({
  page,
  host,
}) => {
  await openWorkbench(page, host);
  const claim = await tag(host, 'Washington is pushing for Ukraine to sign a peace deal', 'claim');
  const politico = await tag(host, 'a report by Politico', 'source');
  await openArticle(page);

  // j selects the claim (first in text order); a starts attributing; j moves to the source; Enter links it.
  await page.locator('.article-scroll').focus();
  await page.keyboard.press('j');
  await expect(selectedItem(page)).toContainText('Washington is pushing');
  await page.keyboard.press('a');
  await expect(page.getByRole('status').filter({ hasText: 'Attributing' })).toBeVisible();
  await page.keyboard.press('j');
  await expect(selectedItem(page)).toContainText('a report by Politico');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Attributing' })).toHaveCount(0);
  await expectSaved(page);
  await expect.poll(() => links(host)).toEqual([expect.objectContaining({ claimId: claim, sourceId: politico })]);

  // New text: a on the claim, a caret in the text, Shift+arrows over "Marco Rubio", 2.
  await page.locator(`[data-annotation-item="${claim}"] .annotation-summary`).click();
  await page.keyboard.press('a');
  const para = page.locator('.article-text p').first();
  const text = (await para.textContent()) ?? '';
  const at = text.indexOf('Marco Rubio');
  await para.evaluate((p, offset) => {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const len = n.textContent?.length ?? 0;
      if (seen + len >= offset) {
        getSelection()?.collapse(n, offset - seen);
        return;
      }
      seen += len;
    }
  }, at);
  for (let i = 0; i < 'Marco Rubio'.length; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('2');
  await expect(page.locator('[data-label="source"][data-annotation-id]').filter({ hasText: 'Marco Rubio' })).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: 'Attributing' })).toHaveCount(0);
  await expectSaved(page);
  await expect.poll(async () => (await links(host)).length).toBe(2);
});

test('a on an opinion attributes it to a source: who holds the opinion', async ({ page, host }) => {
  await openWorkbench(page, host);
  const opinion = await tag(host, 'insists it wants post-conflict assurances', 'opinion');
  const ukraine = await tag(host, 'Ukraine, however,', 'source');
  await openArticle(page);
  await page.locator(`[data-annotation-item="${opinion}"] .annotation-summary`).click();
  await page.keyboard.press('a');
  await expect(page.getByRole('status').filter({ hasText: 'Attributing' })).toContainText('insists it wants');
  await page.locator(`[data-annotation-id="${ukraine}"]`).first().click();
  await expectSaved(page);
  await expect.poll(() => links(host)).toEqual([expect.objectContaining({ claimId: opinion, sourceId: ukraine })]);
  await page.locator(`[data-annotation-item="${opinion}"] .annotation-summary`).click();
  await expect(selectedItem(page)).toContainText('Ukraine, however,');
});

test('a command key cannot be a label shortcut: the labels dialog names the command, and the key keeps its command', async ({
  page,
  host,
}) => {
  await openWorkbench(page, host);
  await page.getByRole('button', { name: 'Labels' }).click();
  const dialog = page.getByRole('dialog', { name: 'Labels' });
  await dialog.getByLabel('Name of the new label').fill('Attribution');
  await dialog.getByLabel('Shortcut of the new label').fill('a');
  await expect(dialog.getByRole('alert')).toHaveText(
    'The key a is a command key: attribute (article) and accept A (review). Choose another key.',
  );
  await expect(dialog.getByRole('button', { name: 'Add label' })).toBeDisabled();
  await dialog.getByLabel('Shortcut of Opinion').fill('j');
  await expect(dialog.getByRole('alert').first()).toContainText('The key j is a command key: next tag');
  await dialog.getByLabel('Shortcut of the new label').fill('4');
  await dialog.getByRole('button', { name: 'Add label' }).click();
  await expect(dialog.locator('.label-row[data-label]')).toHaveCount(4);
});

test('a colleague’s layer is read-only in the article view; c copies their tag into mine', async ({ page, host }) => {
  await openWorkbench(page, host, 'Dana Reyes');
  await host.api('settings.setAnnotator', { name: 'Bob' });
  const bobs = await tag(host, 'Washington is pushing for Ukraine to sign a peace deal', 'claim');
  const bobsSource = await tag(host, 'a report by Politico', 'source');
  await host.api('links.create', { claimId: bobs, sourceId: bobsSource, kind: 'direct' });
  await host.api('settings.setAnnotator', { name: 'Dana Reyes' });
  await page.reload();
  await openArticle(page);
  const articleId = (await host.api<ArticleSummary[]>('articles.list', {}))[1]?.id ?? 0;
  const stored = () => host.api<{ id: string; label: string; annotator: string }[]>('annotations.list', { articleId });

  await page.locator(`[data-annotation-item="${bobs}"] .annotation-summary`).click();
  await expect(selectedItem(page)).toContainText('Bob’s layer: read-only here');
  await expect(selectedItem(page).getByRole('group', { name: 'Label' })).toHaveCount(0);
  // Bob's attribution is shown, not offered for change or removal, and his claim is not attributed again.
  await expect(selectedItem(page).locator('.links')).toContainText('a report by Politico');
  await expect(selectedItem(page).getByRole('button', { name: 'Remove attribution' })).toHaveCount(0);
  await expect(selectedItem(page).getByLabel('Attribution kind')).toHaveCount(0);
  await expect(selectedItem(page).getByRole('button', { name: /Link a source/ })).toHaveCount(0);
  await page.locator('.article-scroll').focus();
  await page.keyboard.press('a');
  await expect(page.getByRole('status').filter({ hasText: 'This is Bob’s tag' })).toContainText('cannot be attributed');
  await page.keyboard.press('3');
  await expect(page.getByRole('status').filter({ hasText: 'This is Bob’s tag' })).toContainText('cannot be relabelled');
  await page.keyboard.press('Delete');
  await expect(page.getByRole('status').filter({ hasText: 'This is Bob’s tag' })).toContainText('cannot be deleted');
  await expectSaved(page);
  expect((await stored()).map((a) => [a.id, a.label, a.annotator])).toEqual([
    [bobs, 'claim', 'Bob'],
    [bobsSource, 'source', 'Bob'],
  ]);
  expect(await links(host)).toEqual([expect.objectContaining({ claimId: bobs, sourceId: bobsSource })]);

  await page.keyboard.press('c');
  await expect(page.locator('.annotation-item')).toHaveCount(3);
  await expectSaved(page);
  const after = await stored();
  expect(
    after
      .filter((a) => a.label === 'claim')
      .map((a) => [a.label, a.annotator])
      .sort(),
  ).toEqual([
    ['claim', 'Bob'],
    ['claim', 'Dana Reyes'],
  ]);
  // Copying again selects the copy there is; undo takes the copy away.
  await page.locator(`[data-annotation-item="${bobs}"] .annotation-summary`).click();
  await selectedItem(page)
    .getByRole('button', { name: /Copy to my layer/ })
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'Already in your layer as Claim' })).toBeVisible();
  await page.keyboard.press('Control+z');
  await expectSaved(page);
  await expect.poll(async () => (await stored()).map((a) => a.annotator)).toEqual(['Bob', 'Bob']);
});
