import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { hostilePage, xssPayloads } from '../main/import/fixtures/xss-payloads.js';
import type { ArticleSummary } from '../shared/schemas.js';
import { expect, openWorkbench, test } from './fixtures.js';

test('the whole XSS corpus, imported through the UI and opened, runs nothing, loads nothing and goes nowhere', async ({
  page,
  host,
  dataDir,
}) => {
  // A beacon server: any request to it means something loaded.
  const beaconHits: string[] = [];
  const beacon = createServer((req, res) => {
    beaconHits.push(req.url ?? '');
    res.end('x');
  });
  await new Promise<void>((ok) => beacon.listen(0, '127.0.0.1', ok));
  const beaconUrl = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}`;

  const payloads = xssPayloads(beaconUrl);
  // The whole corpus in one page; the payloads that swallow the rest of a page also get a page each.
  const files = [join(dataDir, 'corpus.html')];
  writeFileSync(files[0] as string, hostilePage(payloads, 'The whole hostile corpus'));
  payloads.forEach((p, i) => {
    if (!p.last) return;
    const file = join(dataDir, `swallowing-${i}.html`);
    writeFileSync(file, hostilePage([p], `Swallowing sample ${i}`));
    files.push(file);
  });
  const dataset = join(dataDir, 'hostile.jsonl');
  writeFileSync(
    dataset,
    `${JSON.stringify({ title: 'Dataset <script>alert(1)</script>', text: 'A dataset record with <img src=x onerror=alert(1)> in its text.', url: 'javascript:alert(1)', outlet: '<b onmouseover=alert(1)>Outlet</b>' })}\n`,
  );
  files.push(dataset);

  const requests: string[] = [];
  const dialogs: string[] = [];
  const navigations: string[] = [];
  const consoleProblems: string[] = [];
  const popups: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('framenavigated', (f) => navigations.push(f.url()));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to|blocked/i.test(m.text())) consoleProblems.push(m.text());
  });
  page.on('pageerror', (e) => consoleProblems.push(`page error: ${e.message}`));
  page.on('popup', (p) => popups.push(p.url()));
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`),
    );
  });

  try {
    await openWorkbench(page, host);
    const before = new Set((await host.api<ArticleSummary[]>('articles.list', {})).map((a) => a.id));
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.getByLabel('Choose files to import').setInputFiles(files);
    await expect(page.getByRole('status', { name: 'Import summary' })).toContainText(`${files.length} imported`);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

    const articles = (await host.api<ArticleSummary[]>('articles.list', {})).filter((a) => !before.has(a.id));
    expect(articles).toHaveLength(files.length);
    for (const a of articles) {
      await page.locator(`.article-item[data-article-id="${a.id}"]`).click();
      await expect(page.locator('.article-title')).toHaveText(a.title);
      // Only paragraphs of text, in the editor's chunks of paragraphs, in the article view.
      const elements = await page
        .locator('.article-text')
        .evaluate((root) => [
          ...new Set(
            [...root.querySelectorAll('*')].map((e) =>
              e.tagName === 'DIV' && e.className === 'chunk' && [...e.children].every((c) => c.tagName === 'P') ? 'chunk' : e.tagName,
            ),
          ),
        ]);
      expect(
        elements.filter((t) => t !== 'P' && t !== 'chunk'),
        a.title,
      ).toEqual([]);
      expect(await page.locator('.article-text p *').count(), a.title).toBe(0);
      const links = await page.locator('.article-meta a').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
      for (const href of links) expect(href).toMatch(/^https?:\/\//);
    }
    // Markup-like text shows as text.
    await page.locator(`.article-item[data-article-id="${articles.find((a) => a.title.startsWith('Dataset'))?.id}"]`).click();
    await expect(page.locator('.article-title')).toHaveText('Dataset <script>alert(1)</script>');
    await expect(page.locator('.article-text')).toContainText('<img src=x onerror=alert(1)>');
    await expect(page.locator('.article-meta')).toContainText('<b onmouseover=alert(1)>Outlet</b>');
    await expect(page.locator('.article-meta a')).toHaveCount(0);
    // And in search snippets, the one place that marks up article text.
    await page.getByLabel('Search articles').fill('onerror');
    await expect(page.getByRole('list', { name: 'Full-text matches' }).locator('.hit').first()).toBeVisible();
    expect(
      await page.locator('.snippet *').evaluateAll((els) => els.map((e) => e.tagName).filter((t) => t !== 'MARK' && t !== 'SPAN')),
    ).toEqual([]);

    expect(await page.title()).toBe('Claimdesk');
    expect(dialogs).toEqual([]);
    expect(popups).toEqual([]);
    expect(
      navigations.every((u) => new URL(u).origin === host.origin && new URL(u).pathname === '/'),
      navigations.join('\n'),
    ).toBe(true);
    expect(page.url().startsWith(`${host.origin}/`)).toBe(true);
    const foreign = requests.filter((u) => new URL(u).origin !== host.origin);
    expect(foreign).toEqual([]);
    for (const u of requests) expect(new URL(u).pathname, u).toMatch(/^\/(api\/[\w.]+|assets\/[\w.-]+|favicon\.svg)?$/);
    expect(beaconHits).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(consoleProblems).toEqual([]);
  } finally {
    beacon.close();
  }
});
