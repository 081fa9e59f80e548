import type { Annotation, ArticleSummary, ClaimGroup } from '../shared/schemas.js';
import { expect, expectSaved, openWorkbench, test, type Host } from './fixtures.js';

/** Writes the source-entity screenshots under docs/ (DOCS_SCREENSHOTS=1); skipped otherwise. */
test.skip(!process.env.DOCS_SCREENSHOTS, 'writes docs/ screenshots only when asked');

async function tag(host: Host, phrase: string, label: string, inArticleWith?: string): Promise<Annotation> {
  for (const a of await host.api<ArticleSummary[]>('articles.list', {})) {
    const { text } = await host.api<{ text: string }>('articles.get', { id: a.id });
    if (inArticleWith && !text.includes(inArticleWith)) continue;
    const at = text.indexOf(phrase);
    if (at < 0) continue;
    const start = [...text.slice(0, at)].length;
    return host.api<Annotation>('annotations.create', { articleId: a.id, start, end: start + [...phrase].length, quote: phrase, label });
  }
  throw new Error(phrase);
}

test('source entity screenshots: the sidebar with suggestions, the picker, the merge confirmation, the claims table', async ({
  page,
  host,
}) => {
  await openWorkbench(page, host);
  const pairs = [
    [
      'Washington wants a peace deal with Russia in place before agreeing to any postwar security guarantees for Ukraine',
      'U.S. Secretary of State Marco Rubio',
    ],
    [
      'will insist on a peace deal before agreeing to any long-term security guarantees for Ukraine',
      'The US Secretary of State Marco Rubio',
    ],
    ['the U.S. views security guarantees for Ukraine as a priority', 'Rubio'],
  ] as const;
  const sources: Annotation[] = [];
  const claims: Annotation[] = [];
  for (const [claim, source] of pairs) {
    const c = await tag(host, claim, 'claim');
    const s = await tag(host, source, 'source', claim);
    await host.api('links.create', { claimId: c.id, sourceId: s.id, kind: 'paraphrase' });
    claims.push(c);
    sources.push(s);
  }
  await host.api<ClaimGroup>('groups.create', {
    canonical: 'US wants a peace deal before security guarantees',
    annotationIds: [claims[0]?.id, claims[1]?.id],
  });
  await host.api<ClaimGroup>('groups.create', {
    canonical: 'Security guarantees are a US priority, apart from the deal',
    annotationIds: [claims[2]?.id],
  });
  const rubio = await host.api<{ id: string }>('entities.create', { annotationIds: [sources[0]?.id, sources[1]?.id] });
  // A second entity for the short form, to show a merge.
  const short = await host.api<{ id: string }>('entities.create', { name: 'Rubio', annotationIds: [sources[2]?.id] });
  const { title } = await host.api<{ title: string }>('articles.get', { id: sources[2]?.articleId ?? 0 });

  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.reload();
    await page.getByRole('button', { name: title }).first().click();
    await page.locator(`[data-annotation-item="${sources[2]?.id}"] .annotation-summary`).click();
    const item = page.locator(`[data-annotation-item="${sources[2]?.id}"]`);
    await expect(item.getByRole('list', { name: 'Source suggestions' })).toContainText('Marco Rubio');
    await page.screenshot({ path: `docs/source-entity-sidebar-${w}.png` });
    await page.keyboard.press('g');
    await expect(page.getByRole('dialog', { name: 'Source entity' })).toBeVisible();
    await page.screenshot({ path: `docs/source-entity-picker-${w}.png` });
    await page.keyboard.press('Escape');
    await page.keyboard.press('y');
    await expect(page.getByRole('dialog', { name: 'Merge into another source entity' })).toBeVisible();
    await page.screenshot({ path: `docs/source-entity-merge-${w}.png` });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expectSaved(page);
    await page.getByRole('tab', { name: 'Claims table' }).click();
    await expect(page.locator('.claims-item').first()).toBeVisible();
    await page.screenshot({ path: `docs/source-entity-claims-${w}.png` });
    await page.getByRole('tab', { name: 'Articles' }).click();
  }
  expect([rubio.id, short.id]).toHaveLength(2);
});
