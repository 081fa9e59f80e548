import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, openWorkbench, test } from './fixtures.js';

/** A colleague's bundle of one article with `n` claims, each stored one character off so it is placed by an exact search. */
function bigBundle(file: string, n: number): void {
  const sentences = Array.from({ length: n }, (_, i) => `Sentence ${i} reports claim number ${i}.`);
  const text = `${sentences.join(' ')} The end.`;
  const hash = createHash('sha256').update(text).digest('hex');
  let at = 0;
  const annotations = sentences.map((quote, i) => {
    const a = {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      article: hash,
      start: at + 1,
      end: at + 1 + quote.length,
      quote,
      prefix: '',
      suffix: '',
      label: 'claim',
      annotator: 'Colleague',
      note: '',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
    at += quote.length + 1;
    return a;
  });
  const article = {
    content_hash: hash,
    title: 'A long list of claims',
    outlet: null,
    url: null,
    published_at: null,
    file_name: null,
    text,
  };
  writeFileSync(
    file,
    JSON.stringify({
      format: 'claimdesk-bundle',
      version: 1,
      exported_at: '2026-01-01T00:00:00.000Z',
      annotator: 'Colleague',
      offset_unit: 'codepoint',
      labels: [],
      articles: [article],
      annotations,
      links: [],
      groups: [],
    }),
  );
}

test('a big bundle shows how many of its annotations are placed while it imports, then its report', async ({
  page,
  host,
  dataDir,
}, testInfo) => {
  const file = join(dataDir, 'colleague.json');
  bigBundle(file, 8000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await openWorkbench(page, host);
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByLabel('Import a colleague’s annotations').setInputFiles(file);
  const progress = page.getByRole('status', { name: 'Bundle import progress' });
  await expect(progress).toContainText(/Importing colleague\.json: [\d,]+ of 8,000 annotations placed/);
  await page.screenshot({ path: testInfo.outputPath('bundle-progress-1024.png') });
  await expect(page.getByRole('status', { name: 'Bundle import report' })).toContainText('(Colleague): 8000 annotations added', {
    timeout: 60_000,
  });
  await expect(progress).toBeHidden();
});
