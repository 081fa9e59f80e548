import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page } from '@playwright/test';
import type { Annotation, ArticleSummary, ClaimGroup, ClaimRow, SourceLink } from '../shared/schemas.js';
import { expect, expectSaved, openWorkbench, selectPhrase, test, type Host } from './fixtures.js';

/** Issue 15, items 1–6: grouping never destroys work, is undoable, and every claim is in the claims table once. */

const PEACE = [
  'Washington wants a peace deal with Russia in place before agreeing to any postwar security guarantees for Ukraine',
  'Washington is pushing for Ukraine to sign a peace deal before agreeing to any security guarantees',
  'will insist on a peace deal before agreeing to any long-term security guarantees for Ukraine',
];
const ARTICLES = [
  /U\.S\. seeks peace deal with Russia/,
  /US Urges Ukraine to Sign Peace Deal/,
  /The US Secretary of State Marco Rubio has told/,
];

/** The seed articles in the order the library lists them for PEACE[0..2]. */
async function articleIds(host: Host): Promise<number[]> {
  const list = await host.api<ArticleSummary[]>('articles.list', {});
  const ids: number[] = [];
  for (const phrase of PEACE) {
    for (const a of list) {
      const { text } = await host.api<{ text: string }>('articles.get', { id: a.id });
      if (text.includes(phrase)) {
        ids.push(a.id);
        break;
      }
    }
  }
  return ids;
}

async function tag(host: Host, articleId: number, phrase: string, label: string): Promise<Annotation> {
  const { text } = await host.api<{ text: string }>('articles.get', { id: articleId });
  const at = text.indexOf(phrase);
  if (at < 0) throw new Error(`"${phrase}" is not in article ${articleId}`);
  const start = [...text.slice(0, at)].length;
  return host.api<Annotation>('annotations.create', { articleId, start, end: start + [...phrase].length, quote: phrase, label });
}

const groups = (host: Host) => host.api<ClaimGroup[]>('groups.list', {});
const membersOf = async (host: Host, articleIds: number[]) => {
  const out = new Map<string, string>();
  for (const id of articleIds)
    for (const m of (await host.api<{ memberships: { annotationId: string; groupId: string }[] }>('claims.forArticle', { articleId: id }))
      .memberships)
      out.set(m.annotationId, m.groupId);
  return out;
};

/** Opens the article (reloading first: tags made through the API reach a page only when it loads them) and selects the claim. */
async function openArticle(page: Page, title: RegExp, claim: Annotation): Promise<void> {
  await page.reload();
  await page.getByRole('button', { name: title }).first().click();
  await expect(page.locator('.article-text')).toContainText(claim.quote);
  await page.locator(`[data-annotation-item="${claim.id}"] .annotation-summary`).click();
}

test('y on a grouped claim brings the suggestion into its group, never its own group suggested; an emptied group is kept', async ({
  page,
  host,
}) => {
  await openWorkbench(page, host);
  const ids = await articleIds(host);
  const [a, b, c] = [
    await tag(host, ids[0] ?? 0, PEACE[0] ?? '', 'claim'),
    await tag(host, ids[1] ?? 0, PEACE[1] ?? '', 'claim'),
    await tag(host, ids[2] ?? 0, PEACE[2] ?? '', 'claim'),
  ];
  const typed = await host.api<ClaimGroup>('groups.create', {
    canonical: 'Peace first, guarantees later (my wording)',
    annotationIds: [a.id],
  });

  await openArticle(page, ARTICLES[0] as RegExp, a);
  const item = page.locator(`[data-annotation-item="${a.id}"]`);
  const suggestions = item.getByRole('list', { name: 'Suggestions' });
  await expect(suggestions).toContainText('Washington is pushing');
  await expect(suggestions).toContainText('will insist on a peace deal');
  await expect(suggestions).not.toContainText('my wording');
  await page.keyboard.press('y');
  await expect(page.getByText(/Added “.*” to “Peace first, guarantees later \(my wording\)”/)).toBeVisible();
  await expectSaved(page);
  await expect(item.locator('.group-line')).toContainText('Peace first, guarantees later (my wording)');
  // y again: the other suggestion joins the same group; no second group, none named after the quote, never its own group.
  await expect(suggestions.locator('li')).toHaveCount(1);
  await expect(suggestions).not.toContainText('my wording');
  await page.keyboard.press('y');
  await expect(page.getByText(/Added “.*” to “Peace first/)).toHaveCount(1);
  await expectSaved(page);
  await expect(item.locator('.group-line')).toContainText('Peace first, guarantees later (my wording)');
  await expect
    .poll(async () => (await groups(host)).map((g) => [g.canonical, g.memberCount]))
    .toEqual([['Peace first, guarantees later (my wording)', 3]]);
  const members = await membersOf(host, ids);
  expect([members.get(a.id), members.get(b.id), members.get(c.id)]).toEqual([typed.id, typed.id, typed.id]);

  // Splitting every claim out keeps the group and its wording until the analyst deletes it.
  await item.getByRole('button', { name: 'Split out' }).click();
  await expectSaved(page);
  await host.api('groups.unassign', { annotationId: b.id });
  await host.api('groups.unassign', { annotationId: c.id });
  expect((await groups(host)).map((g) => [g.id, g.canonical, g.memberCount])).toEqual([
    [typed.id, 'Peace first, guarantees later (my wording)', 0],
  ]);
  // The claims table says what an empty group is, instead of "0 instances · by" with no one after it.
  await page.getByRole('tab', { name: 'Claims table' }).click();
  const emptied = page.locator('.claims-row', { hasText: 'Peace first, guarantees later (my wording)' });
  await expect(emptied).toContainText('0 instances · empty group: kept until you delete it');
  await expect(emptied).not.toContainText(/ · by\s*$/);
});

test('grouping is on the undo stack: Ctrl+Z undoes the grouping (not an earlier tag) and says so; redo regroups', async ({
  page,
  host,
}) => {
  await openWorkbench(page, host);
  const ids = await articleIds(host);
  const b = await tag(host, ids[1] ?? 0, PEACE[1] ?? '', 'claim');
  await page
    .getByRole('button', { name: ARTICLES[0] as RegExp })
    .first()
    .click();
  // The claim is tagged by keyboard, so its tag is on the undo stack before the grouping.
  await selectPhrase(page, PEACE[0] ?? '');
  await page.keyboard.press('1');
  const claim = page.locator('.article-text [data-label="claim"][data-annotation-id]').first();
  await expect(claim).toBeVisible();
  const claimId = (await claim.getAttribute('data-annotation-id')) ?? '';
  await expectSaved(page);
  const item = page.locator(`[data-annotation-item="${claimId}"]`);
  await expect(item.getByRole('list', { name: 'Suggestions' })).toContainText('Washington is pushing');
  await page.keyboard.press('y');
  await expect(item.locator('.group-line')).toBeVisible();
  await expectSaved(page);
  expect(await groups(host)).toHaveLength(1);

  await page.keyboard.press('Control+z');
  await expect(page.getByText(/^Undid grouping “Washington wants a peace deal/)).toBeVisible();
  await expectSaved(page);
  // The tag is still there; the group the grouping made is gone, and so are its memberships.
  await expect(page.locator(`.article-text [data-annotation-id="${claimId}"]`).first()).toBeVisible();
  await expect.poll(async () => (await groups(host)).length).toBe(0);
  expect((await membersOf(host, ids)).size).toBe(0);

  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByText(/^Redid grouping “Washington wants a peace deal/)).toBeVisible();
  await expectSaved(page);
  await expect.poll(async () => (await groups(host)).map((g) => g.memberCount)).toEqual([2]);
  const members = await membersOf(host, ids);
  expect(members.get(claimId)).toBe(members.get(b.id));
});

test('the g picker highlights the best existing group first; a new group only when chosen', async ({ page, host }) => {
  await openWorkbench(page, host);
  const ids = await articleIds(host);
  const a = await tag(host, ids[0] ?? 0, PEACE[0] ?? '', 'claim');
  const b = await tag(host, ids[1] ?? 0, PEACE[1] ?? '', 'claim');
  const existing = await host.api<ClaimGroup>('groups.create', {
    canonical: 'US wants a peace deal before security guarantees',
    annotationIds: [a.id],
  });
  const other = await host.api<ClaimGroup>('groups.create', { canonical: 'Europe leads, America supports', annotationIds: [] });

  await openArticle(page, ARTICLES[1] as RegExp, b);
  await page.keyboard.press('g');
  const picker = page.getByRole('dialog', { name: 'Claim group' });
  await expect(picker).toBeVisible();
  await page.keyboard.type('peace deal');
  const options = picker.getByRole('option');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(options.first()).toContainText('US wants a peace deal before security guarantees');
  await expect(options.last()).toContainText('New group: “peace deal”');
  await page.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expectSaved(page);
  await expect
    .poll(async () => (await groups(host)).map((g) => [g.canonical, g.memberCount]).sort())
    .toEqual([
      ['Europe leads, America supports', 0],
      ['US wants a peace deal before security guarantees', 2],
    ]);
  expect((await membersOf(host, ids)).get(b.id)).toBe(existing.id);
  expect(other.memberCount).toBe(0);

  // Typing a wording no group has: the new group is the only choice, made only by choosing it.
  await page.locator(`[data-annotation-item="${b.id}"] .annotation-summary`).click();
  await page.keyboard.press('g');
  await page.keyboard.type('Zelenskyy rejects the plan');
  await expect(picker.getByRole('option')).toHaveCount(1);
  await expect(picker.getByRole('option').first()).toContainText('New group: “Zelenskyy rejects the plan”');
  await page.keyboard.press('Enter');
  await expectSaved(page);
  await expect
    .poll(async () => (await groups(host)).map((g) => g.canonical).sort())
    .toEqual(['Europe leads, America supports', 'US wants a peace deal before security guarantees', 'Zelenskyy rejects the plan']);
});

test('merge into another group: a picker with wording, size and outlets, a confirmation, and undo', async ({ page, host }) => {
  await openWorkbench(page, host);
  const ids = await articleIds(host);
  const [a, b, c] = [
    await tag(host, ids[0] ?? 0, PEACE[0] ?? '', 'claim'),
    await tag(host, ids[1] ?? 0, PEACE[1] ?? '', 'claim'),
    await tag(host, ids[2] ?? 0, PEACE[2] ?? '', 'claim'),
  ];
  await host.api('articles.update', { id: ids[0] ?? 0, outlet: 'Ukrainska Pravda' });
  await host.api('articles.update', { id: ids[1] ?? 0, outlet: 'RT' });
  await host.api('articles.update', { id: ids[2] ?? 0, outlet: 'Kyiv Independent' });
  // Two groups with the same wording: told apart by size and outlets.
  const g1 = await host.api<ClaimGroup>('groups.create', { canonical: 'Peace deal before guarantees', annotationIds: [a.id, b.id] });
  const g2 = await host.api<ClaimGroup>('groups.create', { canonical: 'Peace deal before guarantees', annotationIds: [c.id] });

  await page.getByRole('tab', { name: 'Claims table' }).click();
  const row2 = page.locator(`.claims-item[data-group-id="${g2.id}"]`);
  await row2.getByRole('button', { name: 'Show instances' }).click();
  await row2.getByRole('button', { name: 'Merge into another group…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Merge into another group' });
  await expect(dialog).toBeVisible();
  const option = dialog.getByRole('option').first();
  await expect(option).toContainText('Peace deal before guarantees');
  await expect(option).toContainText('2 claims in 2 articles · RT, Ukrainska Pravda');
  await expect(dialog.getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('group', { name: 'Confirm the merge' })).toContainText(
    'The 1 claim of “Peace deal before guarantees” will join “Peace deal before guarantees” (2 claims in 2 articles · RT, Ukrainska Pravda), which then holds 3 claims',
  );
  // Nothing is merged before the confirmation.
  expect(await groups(host)).toHaveLength(2);
  await dialog.getByRole('button', { name: /^Merge into/ }).click();
  await expect(page.getByRole('status', { name: 'Claims table notice' })).toContainText('Merged');
  await expect.poll(async () => (await groups(host)).map((g) => [g.id, g.memberCount])).toEqual([[g1.id, 3]]);

  await page.keyboard.press('Control+z');
  await expect(page.getByRole('status', { name: 'Claims table notice' })).toContainText(
    'Undid merging “Peace deal before guarantees” into “Peace deal before guarantees”',
  );
  await expect
    .poll(async () => (await groups(host)).map((g) => [g.id, g.memberCount]).sort())
    .toEqual(
      [
        [g1.id, 2],
        [g2.id, 1],
      ].sort(),
    );
  expect((await membersOf(host, ids)).get(c.id)).toBe(g2.id);
});

test('claims in no group are rows of their own: table, source filter, matrix and CSV; g groups one from the table', async ({
  page,
  host,
}, testInfo) => {
  await openWorkbench(page, host);
  const ids = await articleIds(host);
  const a = await tag(host, ids[0] ?? 0, PEACE[0] ?? '', 'claim');
  const b = await tag(host, ids[1] ?? 0, PEACE[1] ?? '', 'claim');
  const diplomat = await tag(host, ids[0] ?? 0, 'an unnamed European diplomat', 'source');
  await host.api<SourceLink>('links.create', { claimId: a.id, sourceId: diplomat.id, kind: 'unnamed' });
  await host.api('articles.update', { id: ids[0] ?? 0, outlet: 'Ukrainska Pravda' });
  await host.api('articles.update', { id: ids[1] ?? 0, outlet: 'RT' });

  await page.getByRole('tab', { name: 'Claims table' }).click();
  const rows = page.locator('.claims-item');
  await expect(rows).toHaveCount(2);
  await expect(rows.locator('.ungrouped-badge')).toHaveCount(2);
  await page.getByLabel('Filter by source').selectOption('an unnamed European diplomat');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Washington wants a peace deal');
  await page.getByLabel('Filter by source').selectOption('');
  await page.getByRole('tab', { name: 'Outlets × claims' }).click();
  await expect(page.locator('.matrix tbody tr')).toHaveCount(2);
  await expect(page.locator('.matrix td.carried')).toHaveCount(2);
  await expect(page.locator('.matrix thead th.m-outlet')).toHaveText(['RT', 'Ukrainska Pravda']);
  await page.getByRole('tab', { name: 'Table', exact: true }).click();

  await page.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Claims table (CSV)' }).click()]);
  const file = testInfo.outputPath('claims.csv');
  await download.saveAs(file);
  const records = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
  expect(records.map((r) => [r.grouped, r.claim_id, r.instances, r.layers]).sort()).toEqual(
    [
      ['no', a.id, '1', 'all layers'],
      ['no', b.id, '1', 'all layers'],
    ].sort(),
  );
  await expect(page.getByRole('status', { name: 'Export summary' })).toContainText('0 claim groups and 2 claims in no group');

  // One key from grouping: g on the row's Group button.
  const row = page.locator(`.claims-item[data-claim-id="${b.id}"]`);
  await row.getByRole('button', { name: /Group…/ }).focus();
  await page.keyboard.press('g');
  const picker = page.getByRole('dialog', { name: 'Claim group' });
  await expect(picker.getByRole('option').first()).toContainText('New group');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: 'Claims table notice' })).toContainText('Claim added to');
  await expect(rows.locator('.ungrouped-badge')).toHaveCount(1);
  await expect
    .poll(async () => (await host.api<ClaimRow[]>('claims.table', {})).map((r) => r.groupId === null).sort())
    .toEqual([false, true]);
});

test('layers: a claim held by the analyst, a colleague and gold counts once; the table, exports and header say which layers they show', async ({
  page,
  host,
}, testInfo) => {
  await openWorkbench(page, host);
  const ids = await articleIds(host);
  const a = await tag(host, ids[0] ?? 0, PEACE[0] ?? '', 'claim');
  const b = await tag(host, ids[1] ?? 0, PEACE[1] ?? '', 'claim');
  const group = await host.api<ClaimGroup>('groups.create', { canonical: 'Peace deal first', annotationIds: [a.id, b.id] });
  // A colleague tags the same claim; a review accepts what both agree on into gold (which joins the group).
  await host.api('settings.setAnnotator', { name: 'Sam Lee' });
  const samsCopy = await tag(host, ids[0] ?? 0, PEACE[0] ?? '', 'claim');
  await host.api('settings.setAnnotator', { name: 'Dana Reyes' });
  await host.api('review.acceptAgreed', { a: 'Dana Reyes', b: 'Sam Lee' });

  await page.getByRole('tab', { name: 'Claims table' }).click();
  const rows = page.locator('.claims-item');
  await expect(page.getByLabel('Layers shown')).toHaveValue('');
  await expect(page.getByRole('table', { name: 'Claims: All layers (each claim counted once)' })).toBeVisible();
  await expect(rows).toHaveCount(1);
  const row = page.locator(`.claims-item[data-group-id="${group.id}"]`);
  await expect(row).toContainText('2 instances');
  // Sam's copy is in no group, but the claim it holds is: it has no row of its own here, and counts nowhere twice.
  await expect(row).toContainText('by Dana Reyes, gold');

  await page.getByLabel('Layers shown').selectOption({ label: 'Gold (reviewed)' });
  await expect(row).toContainText('1 instance ');
  await expect(row).toContainText('by gold');
  await page.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Claims table (CSV)' }).click()]);
  const file = testInfo.outputPath('gold-claims.csv');
  await download.saveAs(file);
  const records = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
  expect(records.map((r) => [r.canonical, r.instances, r.layers])).toEqual([['Peace deal first', '1', 'gold']]);
  await expect(page.getByRole('status', { name: 'Export summary' })).toContainText('Layer: only the claims tagged by gold.');

  await page.getByLabel('Layers shown').selectOption({ label: 'Sam Lee’s layer' });
  await expect(rows).toHaveCount(1);
  await expect(page.locator(`.claims-item[data-claim-id="${samsCopy.id}"]`)).toContainText('ungrouped');
  await page.getByLabel('Layers shown').selectOption({ label: 'My layer (Dana Reyes)' });
  await expect(row).toContainText('2 instances');
  await expect(row).toContainText('by Dana Reyes');
  await expect(row).not.toContainText('gold');

  // The article header counts the layers shown, a claim three layers hold once.
  await page.getByRole('tab', { name: 'Articles' }).click();
  await page
    .getByRole('button', { name: ARTICLES[0] as RegExp })
    .first()
    .click();
  await expect(page.locator('.article-text')).toContainText(a.quote);
  const legend = page.getByLabel('Tag counts: 3 layers, each tag once');
  await expect(legend).toContainText('Claim1');
  await page.getByRole('group', { name: 'Annotator layers' }).getByRole('checkbox', { name: /gold/ }).uncheck();
  await page
    .getByRole('group', { name: 'Annotator layers' })
    .getByRole('checkbox', { name: /Sam Lee/ })
    .uncheck();
  await expect(page.getByLabel('Tag counts: your layer')).toContainText('Claim1');
});

test('merging two groups from the Similar claims list asks first, and undo takes the merge back', async ({ page, host }) => {
  await openWorkbench(page, host);
  const ids = await articleIds(host);
  const [a, b] = [await tag(host, ids[0] ?? 0, PEACE[0] ?? '', 'claim'), await tag(host, ids[1] ?? 0, PEACE[1] ?? '', 'claim')];
  const mine = await host.api<ClaimGroup>('groups.create', { canonical: 'Peace first (mine)', annotationIds: [a.id] });
  const theirs = await host.api<ClaimGroup>('groups.create', { canonical: 'Peace deal before guarantees', annotationIds: [b.id] });
  const counts = async () => (await groups(host)).map((g) => [g.canonical, g.memberCount]).sort();

  await openArticle(page, ARTICLES[0] as RegExp, a);
  const item = page.locator(`[data-annotation-item="${a.id}"]`);
  const suggestion = item.getByRole('list', { name: 'Suggestions' }).locator('li').filter({ hasText: 'Peace deal before guarantees' });
  await suggestion.getByRole('button', { name: /Join/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Merge these groups?' });
  await expect(dialog).toContainText('Every claim of “Peace deal before guarantees” will join “Peace first (mine)”');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await counts()).toEqual([
    ['Peace deal before guarantees', 1],
    ['Peace first (mine)', 1],
  ]);

  await suggestion.getByRole('button', { name: /Join/ }).click();
  await expect(dialog.getByRole('button', { name: /^Merge into/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Merged “Peace deal before guarantees” into “Peace first (mine)”.')).toBeVisible();
  await expectSaved(page);
  await expect.poll(counts).toEqual([['Peace first (mine)', 2]]);
  await page.keyboard.press('Control+z');
  await expectSaved(page);
  await expect.poll(counts).toEqual([
    ['Peace deal before guarantees', 1],
    ['Peace first (mine)', 1],
  ]);
  const members = await membersOf(host, ids);
  expect([members.get(a.id), members.get(b.id)]).toEqual([mine.id, theirs.id]);
});
