import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { ClaimRow } from '../shared/schemas.js';
import { dragOver, expect, expectSaved, openWorkbench, selectPhrase, test } from './fixtures.js';

const CLAIMS = [
  {
    article: /U\.S\. seeks peace deal with Russia/,
    claim: 'Washington wants a peace deal with Russia in place before agreeing to any postwar security guarantees for Ukraine',
    source: 'an unnamed European diplomat',
  },
  {
    article: /US Urges Ukraine to Sign Peace Deal/,
    claim: 'Washington is pushing for Ukraine to sign a peace deal before agreeing to any security guarantees',
    source: 'a report by Politico',
  },
  {
    article: /The US Secretary of State Marco Rubio has told/,
    claim: 'will insist on a peace deal before agreeing to any long-term security guarantees for Ukraine',
    source: 'The US Secretary of State Marco Rubio',
  },
];

test('one claim group across three seed articles, with attributions, in the claims table and its CSV', async ({ page, host }, testInfo) => {
  await openWorkbench(page, host);

  for (const [i, c] of CLAIMS.entries()) {
    await page.getByRole('button', { name: c.article }).first().click();
    await expect(page.locator('.article-text')).toContainText(c.claim);
    await selectPhrase(page, c.claim);
    await page.keyboard.press('1');
    const claim = page.locator('.article-text [data-label="claim"][data-annotation-id]').first();
    await expect(claim).toBeVisible();
    const claimId = await claim.getAttribute('data-annotation-id');

    if (i === 0) {
      // Tag the source first, then attribute: select the claim, press a, click the source.
      await selectPhrase(page, c.source);
      await page.keyboard.press('2');
      await page.locator(`[data-annotation-item="${claimId}"] .annotation-summary`).click();
      await page.keyboard.press('a');
      await expect(page.getByText(/click a source tag \(or pick one with j \/ k and press Enter\), or select new text/)).toBeVisible();
      await page.locator('.article-text [data-label="source"]').first().click();
    } else {
      // Attribute to new text in one gesture: press a, then drag over the source's words.
      await page.keyboard.press('a');
      await dragOver(page, c.source);
    }
    const item = page.locator(`[data-annotation-item="${claimId}"]`);
    await expect(item.locator('.link-row')).toContainText(c.source);
    if (i === 0) await item.getByLabel('Attribution kind').selectOption('unnamed');
    // The claim's source is highlighted as linked in the text.
    await expect(page.locator('.article-text .ann.is-linked[data-label="source"]').first()).toBeVisible();

    if (i === 1) {
      // The same claim from the first article is suggested; y groups them.
      await expect(item.getByRole('list', { name: 'Suggestions' })).toContainText('Washington wants a peace deal with Russia');
      await page.keyboard.press('y');
      await expect(item.locator('.group-line')).toBeVisible();
    }
    if (i === 2) {
      await expect(item.getByRole('list', { name: 'Suggestions' }).locator('li').first()).toContainText('Group:');
      await page.keyboard.press('y');
      await expect(item.locator('.group-line')).toContainText('Washington is pushing for Ukraine'); // named after the claim that formed it
    }
    await expectSaved(page);
  }

  // Rename the group from the picker-free path: the claims table, double-click the wording.
  await page.getByRole('tab', { name: 'Claims table' }).click();
  const row = page.locator('.claims-item').first();
  await expect(row.locator('.c-num')).toHaveText('3');
  await row.locator('.canonical').dblclick();
  await page.getByLabel('Canonical wording').fill('US wants a peace deal before security guarantees');
  await page.getByLabel('Canonical wording').press('Enter');
  await expect(row.locator('.canonical')).toHaveText('US wants a peace deal before security guarantees');
  await expect(row).toContainText('an unnamed European diplomat');
  await expect(row).toContainText('a report by Politico');
  await row.getByRole('button', { name: 'Show instances' }).click();
  await expect(row.getByRole('list', { name: 'Claim instances' }).locator('li')).toHaveCount(3);
  await expect(row.getByRole('list', { name: 'Claim instances' })).toContainText('unnamed / unattributed');
  await row.getByLabel('Group note').fill('Politico scoop, echoed by RT and Ukrainska Pravda');
  await row.getByLabel('Group note').blur();
  await expect
    .poll(async () => (await host.api<ClaimRow[]>('claims.table', {}))[0]?.note)
    .toBe('Politico scoop, echoed by RT and Ukrainska Pravda');
  await row.getByRole('button', { name: 'Show history' }).click();
  await expect(row.getByRole('list', { name: 'Group history' })).toContainText('rename');
  await page.screenshot({ path: testInfo.outputPath('claims-table.png') });

  const rows = await host.api<ClaimRow[]>('claims.table', {});
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ articleCount: 3, instanceCount: 3, kinds: ['paraphrase', 'unnamed'] });

  // Export the table as CSV and read the file back.
  await page.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Claims table (CSV)' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^claimdesk-claims-\d{4}-\d\d-\d\d\.csv$/);
  const file = testInfo.outputPath('claims.csv');
  await download.saveAs(file);
  const records = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({
    canonical: 'US wants a peace deal before security guarantees',
    instances: '3',
    articles: '3',
    attribution_kinds: 'paraphrase; unnamed / unattributed',
  });
  expect((records[0]?.sources ?? '').split('; ').sort()).toEqual(CLAIMS.map((c) => c.source).sort());
  await expect(page.getByRole('status', { name: 'Export summary' })).toContainText(
    '1 claim group and 0 claims in no group (grouped = no), one row each. Layers: all annotators’ claims',
  );

  // The matrix, and back to an instance in its article.
  await page.getByRole('tab', { name: 'Outlets × claims' }).click();
  await expect(page.locator('.matrix td.carried')).toHaveCount(3);
  await page.screenshot({ path: testInfo.outputPath('claims-matrix.png') });
  await page.getByRole('tab', { name: 'Table', exact: true }).click();
  await page.locator('.instance', { hasText: 'Washington is pushing' }).click();
  await expect(page.locator('.article-title')).toHaveText('US Urges Ukraine to Sign Peace Deal Before Security Guarantees');
  await expect(page.locator('.article-text .ann.is-selected[data-label="claim"]').first()).toBeVisible();
});
