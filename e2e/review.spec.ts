import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { call } from '../main/api.js';
import { openService } from '../main/service.js';
import { tagPhrase } from '../main/test-builders.js';
import type { Annotation, ArticleSummary } from '../shared/schemas.js';
import { expect, openWorkbench, test } from './fixtures.js';

/** A colleague's machine: their own database with the seeds, their tags on one article, exported as a bundle file. */
async function colleagueBundle(dir: string, name: string, tags: [string, string][]): Promise<string> {
  const svc = openService(join(dir, `${name}.db`), { seed: true, inProcessImports: true });
  try {
    await call(svc.dispatch, 'settings.setAnnotator', { name });
    const article = (await call(svc.dispatch, 'articles.list', {}))[1]?.id ?? 0;
    for (const [phrase, label] of tags) await tagPhrase(svc, article, phrase, label);
    const file = join(dir, `${name.toLowerCase()}-bundle.json`);
    writeFileSync(file, (await call(svc.dispatch, 'bundle.export', { annotator: name })).content);
    return file;
  } finally {
    svc.close();
  }
}

test('two colleagues’ bundles, reviewed by keyboard into a gold layer, with agreement figures and exports', async ({
  page,
  host,
  dataDir,
}, testInfo) => {
  const alice = await colleagueBundle(dataDir, 'Alice', [
    ['Washington is pushing for Ukraine to sign a peace deal', 'claim'],
    ['a report by Politico', 'source'],
    ['Marco Rubio', 'source'],
    ['insists it wants post-conflict assurances', 'opinion'],
  ]);
  const bob = await colleagueBundle(dataDir, 'Bob', [
    ['Washington is pushing for Ukraine to sign a peace deal', 'claim'],
    ['a report by Politico', 'opinion'],
    ['Secretary of State Marco Rubio', 'source'],
    ['capping its army at 600,000 troops', 'claim'],
  ]);

  await openWorkbench(page, host, 'Rita Reviewer');
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByLabel('Import a colleague’s annotations').setInputFiles(alice);
  await expect(page.getByRole('status', { name: 'Bundle import report' })).toContainText('4 annotations added');
  await page.getByLabel('Import a colleague’s annotations').setInputFiles(bob);
  await expect(page.getByRole('status', { name: 'Bundle import report' })).toContainText('(Bob): 4 annotations added');
  // The same bundle again changes nothing.
  await page.getByLabel('Import a colleague’s annotations').setInputFiles(bob);
  await expect(page.getByRole('status', { name: 'Bundle import report' })).toContainText('0 annotations added, 4 already present');

  await page.getByLabel('Annotator A').selectOption('Alice');
  await page.getByLabel('Annotator B').selectOption('Bob');
  const queue = page.getByRole('region', { name: 'Review queue' });
  await expect(queue.locator('.queue-list li')).toHaveCount(4);
  await expect(queue.locator('.queue-item')).toContainText('label conflict');
  await expect(page.getByRole('region', { name: 'Agreement' })).toContainText("Cohen's κ");

  // Walk the queue by keyboard: accept A on the label conflict (with a reason), B on the boundary, reject the only-A, accept the only-B.
  await page.keyboard.press('/');
  await page.keyboard.type('Politico is named as the source');
  await page.keyboard.press('Enter');
  // Back to back, without waiting for the host or the screen: each key is for the item after the last one decided.
  await page.keyboard.press('a');
  await page.keyboard.press('b');
  await page.keyboard.press('r');
  await expect(queue.locator('.queue-item')).toContainText('only B');
  await page.keyboard.press('b');
  await expect(queue.locator('.queue-list li.done')).toHaveCount(4);
  await page.keyboard.press('p');
  await expect(queue.locator('.queue-item')).toContainText('decided: reject');
  await queue.getByRole('button', { name: /Accept 1 agreed/ }).click();

  const articles = await host.api<ArticleSummary[]>('articles.list', {});
  const articleId = articles[1]?.id ?? 0;
  const gold = (await host.api<Annotation[]>('annotations.list', { articleId })).filter((a) => a.annotator === 'gold');
  expect(gold.map((g) => [g.label, g.quote])).toEqual([
    ['claim', 'Washington is pushing for Ukraine to sign a peace deal'],
    ['source', 'a report by Politico'],
    ['source', 'Secretary of State Marco Rubio'],
    ['claim', 'capping its army at 600,000 troops'],
  ]);

  const figures = page.getByRole('region', { name: 'Agreement' });
  await expect(figures.locator('.figure').first().locator('.value')).toHaveText(/^-?\d\.\d\d$/);
  // The figures for one article of the selection.
  await page.getByLabel('Articles to review').selectOption({ index: 1 });
  await expect(figures.locator('h3')).toContainText('1 article,');
  await page.screenshot({ path: testInfo.outputPath('review.png') });

  // Export the agreement report and the adjudication log.
  const [report] = await Promise.all([page.waitForEvent('download'), queue.locator('.exports button').nth(2).click()]);
  const reportFile = testInfo.outputPath('agreement.csv');
  await report.saveAs(reportFile);
  const rows = parse(readFileSync(reportFile, 'utf8'), { columns: true }) as Record<string, string>[];
  expect(rows[0]?.scope).toBe('overall');
  expect(Number(rows[0]?.cohen_kappa)).toBeGreaterThan(-1);
  const [log] = await Promise.all([page.waitForEvent('download'), queue.locator('.exports button').nth(0).click()]);
  const logFile = testInfo.outputPath('log.csv');
  await log.saveAs(logFile);
  const decisions = parse(readFileSync(logFile, 'utf8'), { columns: true }) as Record<string, string>[];
  expect(decisions.map((d) => [d.kind, d.decision, d.reviewer])).toEqual([
    ['label', 'accept_a', 'Rita Reviewer'],
    ['boundary', 'accept_b', 'Rita Reviewer'],
    ['only_a', 'reject', 'Rita Reviewer'],
    ['only_b', 'accept_b', 'Rita Reviewer'],
    ['agreed', 'accept_a', 'Rita Reviewer'],
  ]);
  expect(decisions[0]?.reason).toBe('Politico is named as the source');

  // The article shows a layer per annotator, gold included, and each can be hidden.
  await page.getByRole('tab', { name: 'Articles' }).click();
  await page.getByRole('button', { name: /US Urges Ukraine/ }).click();
  const layers = page.getByRole('group', { name: 'Annotator layers' });
  await expect(layers).toContainText('Alice');
  await expect(layers).toContainText('gold');
  await expect(page.locator('.article-text [data-layer="gold"]').first()).toBeVisible();
  await layers.getByLabel(/Bob/).uncheck();
  await expect(page.locator('.annotation-item')).toHaveCount(8);
  await expect(page.locator(`[data-article-id="${articleId}"] .per-annotator`)).toContainText('Alice 4');
});
