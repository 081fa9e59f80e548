import { createServer } from 'node:http';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makePdf } from '../main/import/fixtures/make-pdf.js';
import type { Annotation, ArticleSummary } from '../shared/schemas.js';
import { expect, openWorkbench, test } from './fixtures.js';

test('import a folder of mixed files through the UI, then find them in the library', async ({ page, host, dataDir }) => {
  const folder = join(dataDir, 'mixed');
  mkdirSync(join(folder, 'nested'), { recursive: true });
  copyFileSync('main/import/fixtures/news-page.html', join(folder, 'nypost.html'));
  copyFileSync('main/import/fixtures/rubio.docx', join(folder, 'nested', 'rubio.docx'));
  writeFileSync(join(folder, 'report.pdf'), makePdf([['EU diplomats sceptical', '', 'Unnamed diplomats doubt the peace plan.']]));
  writeFileSync(join(folder, 'scan.pdf'), makePdf([[]]));
  writeFileSync(join(folder, 'notes.md'), '# Kyiv insists on guarantees\n\nKyiv wants assurances before signing anything.');
  writeFileSync(
    join(folder, 'data.jsonl'),
    `${JSON.stringify({ title: 'From a dataset', text: 'Moscow opposes one-sided guarantees.', outlet: 'TASS' })}\n{"title": "no text"}\n`,
  );
  copyFileSync('seeds/001_efa086cf72b01ba9.txt', join(folder, 'seed-copy.txt'));

  await openWorkbench(page, host);
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByLabel('Choose a folder to import').setInputFiles(folder);
  const summary = page.getByRole('status', { name: 'Import summary' });
  await expect(summary).toContainText('5 imported · 1 duplicate · 2 failed');
  const results = page.getByRole('list', { name: 'Import results' });
  await expect(results.locator('[data-status="failed"]', { hasText: 'scan.pdf' })).toContainText('no text layer (scanned image?)');
  await expect(results.locator('[data-status="failed"]', { hasText: 'data.jsonl: line 2' })).toContainText('missing "text"');
  await expect(results.locator('[data-status="duplicate"]')).toContainText('seed-copy.txt');
  await page.getByLabel('Show only failures').check();
  await expect(results.locator('li')).toHaveCount(2);

  // Open one from the results: the article, with its metadata.
  await results.locator('li').first().page().getByLabel('Show only failures').uncheck();
  await results.locator('[data-status="imported"]', { hasText: 'nypost.html' }).getByRole('button', { name: 'Open' }).click();
  await expect(page.locator('.article-title')).toHaveText('Trump commits in principle to Ukraine ‘security guarantees’ after Putin summit');
  await expect(page.locator('.article-meta')).toContainText('New York Post · Caitlin Doornbos · 2025-08-16');

  // The library lists them; filter by outlet, search the full text and jump to the hit.
  const articles = await host.api<ArticleSummary[]>('articles.list', {});
  expect(articles).toHaveLength(10);
  await page.getByLabel('Filter by outlet').selectOption('TASS');
  await expect(page.locator('.article-item')).toHaveCount(1);
  await expect(page.locator('.article-item')).toContainText('From a dataset');
  await page.getByLabel('Filter by outlet').selectOption('');
  await page.getByLabel('Search articles').fill('unnamed diplomats');
  const hit = page.getByRole('list', { name: 'Full-text matches' }).locator('.hit', { hasText: 'EU diplomats sceptical' });
  await expect(hit.locator('mark').first()).toHaveText(/unnamed/i);
  await hit.click();
  await expect(page.locator('.article-title')).toHaveText('EU diplomats sceptical');
  await expect.poll(() => page.evaluate(() => window.getSelection()?.toString())).toMatch(/^unnamed/i);
});

test('edit an article’s details, then delete it after confirming', async ({ page, host }) => {
  await openWorkbench(page, host);
  await page.getByRole('button', { name: /US Urges Ukraine/ }).click();
  await page.getByRole('button', { name: 'Edit details' }).click();
  const form = page.getByRole('form', { name: 'Article details' });
  await form.getByLabel('Outlet').fill('RT');
  await form.getByLabel('URL').fill('https://www.rt.com/news/example/');
  await form.getByLabel('Published').fill('2025-11-25');
  await form.getByRole('button', { name: 'Save details' }).click();
  await expect(page.locator('.article-meta')).toContainText('RT · 2025-11-25');
  await expect(page.locator('.article-item.selected .meta')).toHaveText('RT · 2025-11-25');

  await page
    .locator('.article-text p')
    .first()
    .click({ position: { x: 3, y: 8 } });
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+Control+ArrowRight');
  await page.keyboard.press('1');
  await expect(page.locator('[data-annotation-id]')).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: /saved|Saving/ })).toHaveText('All changes saved');
  await page.getByRole('button', { name: 'Delete…' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('and its 1 annotation will be removed');
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  expect(await host.api<ArticleSummary[]>('articles.list', {})).toHaveLength(5);
  await page.getByRole('button', { name: 'Delete…' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete article' }).click();
  await expect(page.locator('.article-item')).toHaveCount(4);
  const left = await host.api<ArticleSummary[]>('articles.list', {});
  expect(left.map((a) => a.title)).not.toContain('US Urges Ukraine to Sign Peace Deal Before Security Guarantees');
  for (const a of left) expect(await host.api<Annotation[]>('annotations.list', { articleId: a.id })).toEqual([]);
});

test('paste text as a new article', async ({ page, host }) => {
  await openWorkbench(page, host);
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByText('Paste text as a new article').click();
  await page.getByLabel('Article text to paste').fill('Pasted headline\n\nA pasted paragraph about guarantees.');
  await page.getByRole('button', { name: 'Add article' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added' })).toContainText('Added “Pasted headline”.');
  await page.getByRole('status').filter({ hasText: 'Added' }).getByRole('button', { name: 'Open' }).click();
  await expect(page.locator('.article-title')).toHaveText('Pasted headline');
});

test('a hostile page runs no script and loads nothing, at import or when shown', async ({ page, host, dataDir }) => {
  // A beacon server: any request to it means something loaded.
  let beaconHits = 0;
  const beacon = createServer((_req, res) => {
    beaconHits++;
    res.end('x');
  });
  await new Promise<void>((ok) => beacon.listen(0, '127.0.0.1', ok));
  const beaconUrl = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}`;
  const file = join(dataDir, 'hostile.html');
  writeFileSync(
    file,
    `<html><head><title>Hostile page</title><script>document.title = 'PWNED'; parent.document.title = 'PWNED';</script>
     <link rel="stylesheet" href="${beaconUrl}/style.css"><meta http-equiv="refresh" content="0; url=${beaconUrl}/refresh"></head>
     <body onload="document.title='PWNED'"><article><h1>Hostile page</h1>
     <p>This page tries to run a script and load an image from the beacon, which must never happen in Claimdesk at all.</p>
     <img src="${beaconUrl}/pixel.png" onerror="document.title='PWNED'">
     <p>Second paragraph <a href="javascript:document.title='PWNED'">with a javascript link</a> and <iframe src="${beaconUrl}/frame"></iframe> an iframe.</p>
     <p><svg onload="document.title='PWNED'"><image href="${beaconUrl}/svg.png"/></svg>More text so that the reader keeps this article body intact for the test.</p>
     </article></body></html>`,
  );
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  try {
    await openWorkbench(page, host);
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.getByLabel('Choose files to import').setInputFiles(file);
    await expect(page.getByRole('status', { name: 'Import summary' })).toContainText('1 imported');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.locator('.article-text')).toContainText('This page tries to run a script');
    await expect(page.locator('.article-text')).toContainText('Second paragraph with a javascript link and an iframe.');
    expect(
      await page.locator('.article-text script, .article-text img, .article-text iframe, .article-text a, .article-text svg').count(),
    ).toBe(0);
    expect(await page.title()).toBe('Claimdesk');
    expect(dialogs).toBe(0);
    expect(requests.filter((u) => u.startsWith(beaconUrl))).toEqual([]);
    expect(requests.every((u) => u.startsWith(host.origin))).toBe(true);
    expect(beaconHits).toBe(0);
  } finally {
    beacon.close();
  }
});
