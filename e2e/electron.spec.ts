import { _electron as electron } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Annotation, ArticleSummary } from '../shared/schemas.js';
import { answerAnnotatorQuestion, expect, expectSaved, selectInParagraph, test } from './fixtures.js';

function electronBinary(): string | null {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const bin = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
const SKIP_REASON = 'Electron binary not installed (its download needs internet access this machine lacks)';
if (!bin) process.stdout.write(`electron.spec: skipped: ${SKIP_REASON}\n`);

test('the Electron window: tag, overlap, close and reopen', async () => {
  test.skip(!bin, SKIP_REASON);
  const dir = mkdtempSync(join(tmpdir(), 'claimdesk-electron-'));
  const launch = () => electron.launch({ executablePath: bin ?? '', args: ['.', '--db', join(dir, 'claimdesk.db')], env: { ...process.env, CLAIMDESK_DATA_DIR: dir } });
  try {
    let app = await launch();
    let page = await app.firstWindow();
    // The secure defaults: no Node in the page, only the bridge.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((window as unknown as { claimdesk: object }).claimdesk).sort())).toEqual(['invoke', 'onEvent']);
    await answerAnnotatorQuestion(page, 'Dana Reyes');
    await page.getByRole('button', { name: /US Urges Ukraine to Sign Peace Deal/ }).click();
    const para = page.locator('.article-text p').first();
    await para.click({ position: { x: 2, y: 8 } });
    await page.keyboard.press('Home');
    for (let i = 0; i < 10; i++) await page.keyboard.press('Shift+Control+ArrowRight');
    await page.keyboard.press('1');
    const text = (await para.textContent()) ?? '';
    const s = text.indexOf('report by Politico');
    await selectInParagraph(page, 0, s, s + 'report by Politico'.length);
    await page.getByRole('toolbar').getByRole('button', { name: /Source/ }).click();
    const o = text.indexOf('peace deal before agreeing');
    await selectInParagraph(page, 0, o, o + 'peace deal before agreeing'.length);
    await page.keyboard.press('3');
    await expectSaved(page);
    const invoke = <T,>(method: string, input: unknown) =>
      page.evaluate(
        ([m, i]) => (window as unknown as { claimdesk: { invoke: (m: string, i: unknown) => Promise<{ ok: boolean; value: unknown }> } }).claimdesk.invoke(m as string, i),
        [method, input] as const,
      ) as Promise<{ ok: true; value: T }>;
    const articles = (await invoke<ArticleSummary[]>('articles.list', {})).value;
    const id = articles[1]?.id ?? 0;
    const before = (await invoke<Annotation[]>('annotations.list', { articleId: id })).value;
    expect(before.map((a) => a.label)).toEqual(['claim', 'opinion', 'source']);
    await app.close();

    app = await launch();
    page = await app.firstWindow();
    await page.getByRole('button', { name: /US Urges Ukraine to Sign Peace Deal/ }).click();
    await expect(page.locator('.annotation-item')).toHaveCount(3);
    expect((await invoke<Annotation[]>('annotations.list', { articleId: id })).value).toEqual(before);
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
