import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SourceEntity } from '../shared/entities.js';
import type { Annotation, ArticleSummary, ClaimGroup } from '../shared/schemas.js';
import { expect, expectSaved, openWorkbench, test, type Host } from './fixtures.js';

/**
 * Issue 15, item 7: sources worded differently ("U.S. Secretary of State
 * Marco Rubio", "The US Secretary of State Marco Rubio", "Rubio") are linked,
 * by keyboard, to one source entity, and filtering the claims table for it
 * finds the groups cited through every wording.
 */

const RUBIO = { full: 'U.S. Secretary of State Marco Rubio', withThe: 'The US Secretary of State Marco Rubio', short: 'Rubio' };
const CLAIMS = {
  full: 'Washington wants a peace deal with Russia in place before agreeing to any postwar security guarantees for Ukraine',
  withThe: 'will insist on a peace deal before agreeing to any long-term security guarantees for Ukraine',
  short: 'the U.S. views security guarantees for Ukraine as a priority',
};

/** The seed article holding `phrase`, and the phrase tagged there. */
async function tag(host: Host, phrase: string, label: string, inArticleWith?: string): Promise<Annotation> {
  for (const a of await host.api<ArticleSummary[]>('articles.list', {})) {
    const { text } = await host.api<{ text: string }>('articles.get', { id: a.id });
    if (inArticleWith && !text.includes(inArticleWith)) continue;
    const at = text.indexOf(phrase);
    if (at < 0) continue;
    const start = [...text.slice(0, at)].length;
    return host.api<Annotation>('annotations.create', { articleId: a.id, start, end: start + [...phrase].length, quote: phrase, label });
  }
  throw new Error(`"${phrase}" is in no seed article`);
}

/** Three groups, each cited through one wording of Rubio. */
async function citedThroughEachWording(host: Host) {
  const out: Record<keyof typeof RUBIO, { source: Annotation; group: ClaimGroup; title: string }> = {} as never;
  for (const key of ['full', 'withThe', 'short'] as const) {
    const claim = await tag(host, CLAIMS[key], 'claim');
    const source = await tag(host, RUBIO[key], 'source', CLAIMS[key]);
    await host.api('links.create', { claimId: claim.id, sourceId: source.id, kind: 'paraphrase' });
    const group = await host.api<ClaimGroup>('groups.create', { canonical: `Rubio claim (${key})`, annotationIds: [claim.id] });
    const { title } = await host.api<{ title: string }>('articles.get', { id: claim.articleId });
    out[key] = { source, group, title };
  }
  return out;
}

/** Opens an article from the library and selects its first tag (the source) with j. */
async function openAndSelectFirst(page: Page, title: string, source: Annotation): Promise<void> {
  await page.getByRole('button', { name: title }).first().click();
  await expect(page.locator('.article-text')).toContainText(source.quote);
  await page.keyboard.press('j');
  await expect(page.locator(`[data-annotation-item="${source.id}"]`)).toHaveClass(/selected/);
}

/** Serious and critical axe-core violations on the page (evaluated through the DevTools protocol, outside the page's CSP). */
async function axeSerious(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    type Violation = { id: string; impact: string | null; nodes: { target: unknown }[] };
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

const entities = (host: Host) => host.api<SourceEntity[]>('entities.list', {});

test('linking three wordings of Rubio by keyboard makes the source filter find every group cited through them', async ({ page, host }) => {
  await openWorkbench(page, host);
  const cited = await citedThroughEachWording(host);
  await page.reload();

  // Before: three sources in the filter, and "Rubio" finds one group of three.
  await page.getByRole('tab', { name: 'Claims table' }).click();
  const filter = page.getByLabel('Filter by source');
  await expect(filter.locator('option')).toHaveText(['All sources', RUBIO.short, RUBIO.withThe, RUBIO.full]);
  await filter.selectOption(RUBIO.short);
  await expect(page.locator('.claims-item')).toHaveCount(1);

  // In the first article: y brings the best suggestion (the same name, other article) together with this source.
  await page.getByRole('tab', { name: 'Articles' }).click();
  await openAndSelectFirst(page, cited.full.title, cited.full.source);
  const item = page.locator(`[data-annotation-item="${cited.full.source.id}"]`);
  const suggestions = item.getByRole('list', { name: 'Source suggestions' });
  await expect(suggestions.locator('li').first()).toContainText(RUBIO.withThe);
  await expect(suggestions).toContainText(`“${RUBIO.short}”`);
  await page.keyboard.press('y');
  await expect(page.getByText(/^Linked as “Marco Rubio” \(2 sources\)/)).toBeVisible();
  await expectSaved(page);
  await expect(item.locator('.entity-name')).toHaveText('Marco Rubio');

  // In the third article: g opens the entity picker with Marco Rubio highlighted first; Enter links.
  await openAndSelectFirst(page, cited.short.title, cited.short.source);
  await page.keyboard.press('g');
  const picker = page.getByRole('dialog', { name: 'Source entity' });
  await expect(picker.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await expect(picker.getByRole('option').first()).toContainText('Marco Rubio');
  await page.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expect(page.getByText(/^Linked to “Marco Rubio”/)).toBeVisible();
  await expectSaved(page);
  await expect.poll(async () => (await entities(host)).map((e) => [e.name, e.memberCount])).toEqual([['Marco Rubio', 3]]);

  // Undo takes the last link back, and says so; redo links again.
  await page.keyboard.press('Control+z');
  await expect(page.getByText(/^Undid linking “Rubio” to “Marco Rubio”/)).toBeVisible();
  await expectSaved(page);
  await expect.poll(async () => (await entities(host))[0]?.memberCount).toBe(2);
  await page.keyboard.press('Control+Shift+z');
  await expectSaved(page);
  await expect.poll(async () => (await entities(host))[0]?.memberCount).toBe(3);

  // After: one source, Marco Rubio, whose filter finds all three groups; each row keeps the wording it quotes.
  await page.getByRole('tab', { name: 'Claims table' }).click();
  await expect(filter.locator('option')).toHaveText(['All sources', 'Marco Rubio']);
  await filter.selectOption('Marco Rubio');
  const rows = page.locator('.claims-item');
  await expect(rows).toHaveCount(3);
  for (const key of ['full', 'withThe', 'short'] as const) {
    const row = page.locator(`.claims-item[data-group-id="${cited[key].group.id}"]`);
    await expect(row).toContainText('Marco Rubio');
    await expect(row.locator('.wordings')).toContainText(`(“${RUBIO[key]}”)`);
  }
});

test('merging two entities asks first and is undoable; rename and take out are undoable too', async ({ page, host }) => {
  await openWorkbench(page, host);
  const cited = await citedThroughEachWording(host);
  const rubio = await host.api<SourceEntity>('entities.create', { annotationIds: [cited.full.source.id, cited.withThe.source.id] });
  const short = await host.api<SourceEntity>('entities.create', { name: 'Rubio', annotationIds: [cited.short.source.id] });
  await page.reload();
  await openAndSelectFirst(page, cited.short.title, cited.short.source);
  const item = page.locator(`[data-annotation-item="${cited.short.source.id}"]`);
  await expect(item.getByRole('list', { name: 'Source suggestions' }).locator('li').first()).toContainText('Marco Rubio');
  expect(await axeSerious(page)).toEqual([]);

  // y on a suggested entity while the source has one: nothing merges before the confirmation.
  await page.keyboard.press('y');
  const dialog = page.getByRole('dialog', { name: 'Merge into another source entity' });
  await expect(dialog).toContainText('The 1 source of “Rubio” will join “Marco Rubio”');
  expect(await axeSerious(page)).toEqual([]);
  expect((await entities(host)).map((e) => e.name)).toEqual(['Marco Rubio', 'Rubio']);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expectSaved(page);
  await expect.poll(async () => (await entities(host)).map((e) => [e.id, e.memberCount])).toEqual([[rubio.id, 3]]);
  await expect(item.locator('.entity-name')).toHaveText('Marco Rubio');

  await page.keyboard.press('Control+z');
  await expect(page.getByText(/^Undid merging “Rubio” into “Marco Rubio”/)).toBeVisible();
  await expectSaved(page);
  await expect
    .poll(async () => (await entities(host)).map((e) => [e.id, e.name, e.memberCount]))
    .toEqual([
      [rubio.id, 'Marco Rubio', 2],
      [short.id, 'Rubio', 1],
    ]);

  // Rename, then take the source out: each one step back with Ctrl+Z.
  await item.getByRole('button', { name: 'Rename…' }).click();
  await page.getByLabel('Entity name').fill('Marco Rubio (short form)');
  await page.keyboard.press('Enter');
  await expectSaved(page);
  await expect(item.locator('.entity-name')).toHaveText('Marco Rubio (short form)');
  await item.getByRole('button', { name: 'Take out' }).click();
  await expectSaved(page);
  await expect(item.getByRole('button', { name: /Link to an entity/ })).toBeVisible();
  expect((await entities(host)).find((e) => e.id === short.id)?.memberCount).toBe(0);
  await page.locator('.article-text').click();
  await page.keyboard.press('Control+z');
  await expectSaved(page);
  await expect.poll(async () => (await entities(host)).find((e) => e.id === short.id)?.memberCount).toBe(1);
  await page.keyboard.press('Control+z');
  await expectSaved(page);
  await expect.poll(async () => (await entities(host)).find((e) => e.id === short.id)?.name).toBe('Rubio');
});
