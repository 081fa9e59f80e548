import type { ArticleSummary } from '../shared/schemas.js';
import { expect, openWorkbench, test } from './fixtures.js';

test('a reload reopens the article read last; its web address is a link named as such, not “source”', async ({ page, host }) => {
  await openWorkbench(page, host);
  const rubio = (await host.api<ArticleSummary[]>('articles.list', {})).find((a) => a.title.startsWith('The US Secretary of State'));
  await host.api('articles.update', { id: rubio?.id, url: 'https://example.org/rubio' });
  await page.getByRole('button', { name: /The US Secretary of State Marco Rubio has told/ }).click();
  await expect(page.locator('.article-title')).toContainText('The US Secretary of State Marco Rubio');
  await page.reload();
  await expect(page.locator('.article-title')).toContainText('The US Secretary of State Marco Rubio');
  await expect(page.locator('.article-meta a[href="https://example.org/rubio"]')).toHaveText('original article ↗');
});
