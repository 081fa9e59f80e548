import type { Annotation, ArticleSummary, ClaimGroup } from '../shared/schemas.js';
import { colleagueBundle } from './colleagues.js';
import { expect, openWorkbench, test, type Host } from './fixtures.js';

/** Writes the claims-table screenshots under docs/ (DOCS_SCREENSHOTS=1); skipped otherwise. */
test.skip(!process.env.DOCS_SCREENSHOTS, 'writes docs/ screenshots only when asked');

async function tag(host: Host, phrase: string, label: string): Promise<Annotation> {
  for (const a of await host.api<ArticleSummary[]>('articles.list', {})) {
    const { text } = await host.api<{ text: string }>('articles.get', { id: a.id });
    const at = text.indexOf(phrase);
    if (at < 0) continue;
    const start = [...text.slice(0, at)].length;
    return host.api<Annotation>('annotations.create', { articleId: a.id, start, end: start + [...phrase].length, quote: phrase, label });
  }
  throw new Error(phrase);
}

test('claims table screenshots: ungrouped claims, the layer choice, the merge picker', async ({ page, host }) => {
  await openWorkbench(page, host);
  const a = await tag(
    host,
    'Washington wants a peace deal with Russia in place before agreeing to any postwar security guarantees for Ukraine',
    'claim',
  );
  const b = await tag(host, 'Washington is pushing for Ukraine to sign a peace deal before agreeing to any security guarantees', 'claim');
  await tag(host, 'will insist on a peace deal before agreeing to any long-term security guarantees for Ukraine', 'claim');
  const s = await tag(host, 'an unnamed European diplomat', 'source');
  await host.api('links.create', { claimId: a.id, sourceId: s.id, kind: 'unnamed' });
  const g = await host.api<ClaimGroup>('groups.create', {
    canonical: 'US wants a peace deal before security guarantees',
    annotationIds: [a.id, b.id],
  });
  await host.api('groups.create', { canonical: 'US wants a peace deal before security guarantees', annotationIds: [] });
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.reload();
    await page.getByRole('tab', { name: 'Claims table' }).click();
    await expect(page.locator('.ungrouped-badge').first()).toBeVisible();
    await page.screenshot({ path: `docs/claims-ungrouped-${w}.png` });
    await page.getByLabel('Layers shown').focus();
    await page.screenshot({ path: `docs/claims-layers-${w}.png` });
    const row = page.locator(`.claims-item[data-group-id="${g.id}"]`);
    await row.getByRole('button', { name: 'Show instances' }).click();
    await row.getByRole('button', { name: 'Merge into another group…' }).click();
    await expect(page.getByRole('dialog', { name: 'Merge into another group' })).toBeVisible();
    await page.screenshot({ path: `docs/claims-merge-picker-${w}.png` });
    await page.keyboard.press('Enter');
    await page.screenshot({ path: `docs/claims-merge-confirm-${w}.png` });
  }
});

test('review screenshots: a colleague’s bundle against my tags, the queue and the agreement figures', async ({ page, host, dataDir }) => {
  const bob = await colleagueBundle(dataDir, 'Bob', [
    ['Washington is pushing for Ukraine to sign a peace deal before agreeing to any security guarantees', 'claim'],
    ['a report by Politico', 'opinion'],
    ['Marco Rubio', 'source'],
    ['Washington prioritizes security guarantees for Ukraine', 'claim'],
  ]);
  await openWorkbench(page, host, 'Rita Reviewer');
  await tag(host, 'Washington is pushing for Ukraine to sign a peace deal', 'claim');
  await tag(host, 'a report by Politico', 'source');
  await tag(host, 'U.S. Secretary of State Marco Rubio', 'source');
  await tag(host, 'Washington prioritizes security guarantees for Ukraine', 'claim');
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByLabel('Import a colleague’s annotations').setInputFiles(bob);
  await expect(page.getByRole('status', { name: 'Bundle import report' })).toBeVisible();
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.reload();
    await page.getByRole('tab', { name: 'Review' }).click();
    await expect(page.getByRole('region', { name: 'Review queue' }).locator('.queue-list li').first()).toBeVisible();
    await expect(page.getByRole('region', { name: 'Agreement' })).toContainText("Cohen's κ");
    await page.screenshot({ path: `docs/review-${w}x${h}.png` });
  }
});
