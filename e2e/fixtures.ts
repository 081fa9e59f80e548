import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiResult } from '../shared/api.js';

export interface Host {
  url: string;
  token: string;
  origin: string;
  dbFile: string;
  /** Calls the API the way the renderer does. */
  api<T = unknown>(method: string, input: unknown): Promise<T>;
  restart(): Promise<void>;
}

/** Starts `out/main/serve.js` on a fresh temporary database and returns its printed URL. */
async function startServe(dbFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['out/main/serve.js', '--db', dbFile, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^Claimdesk is serving (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)\n/.exec(out);
      if (m?.[1]) ok(m[1]);
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, url };
}

export const test = base.extend<{ host: Host; dataDir: string }>({
  // Each test gets its own data folder.
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'claimdesk-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  host: async ({ dataDir }, use) => {
    const dbFile = join(dataDir, 'claimdesk.db');
    let running = await startServe(dbFile);
    const host: Host = {
      get url() {
        return running.url;
      },
      get token() {
        return new URL(running.url).searchParams.get('token') ?? '';
      },
      get origin() {
        return new URL(running.url).origin;
      },
      dbFile,
      async api<T>(method: string, input: unknown): Promise<T> {
        const res = await fetch(`${host.origin}/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Claimdesk-Token': host.token },
          body: JSON.stringify(input),
        });
        const r = (await res.json()) as ApiResult<T>;
        if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
        return r.value;
      },
      async restart() {
        running.child.kill('SIGTERM');
        await new Promise((ok) => running.child.once('exit', ok));
        running = await startServe(dbFile);
      },
    };
    await use(host);
    running.child.kill('SIGTERM');
  },
});

export { expect };

/** Opens the workbench and answers the first-run annotator question. */
export async function openWorkbench(page: Page, host: Host, annotator = 'Dana Reyes'): Promise<void> {
  await page.goto(host.url);
  await answerAnnotatorQuestion(page, annotator);
}

export async function answerAnnotatorQuestion(page: Page, annotator: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Annotator name').fill(annotator);
  await dialog.getByRole('button', { name: 'Start annotating' }).click();
  await expect(dialog).toBeHidden();
}

/** Selects characters [start, end) of the n-th paragraph, as a mouse drag would. */
export async function selectInParagraph(page: Page, paragraph: number, start: number, end: number): Promise<void> {
  await page
    .locator('.article-text p')
    .nth(paragraph)
    .evaluate(
      (p, [s, e]) => {
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        let seen = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = (n.textContent ?? '').length;
          if (s >= seen && s <= seen + len) range.setStart(n, s - seen);
          if (e >= seen && e <= seen + len) {
            range.setEnd(n, e - seen);
            break;
          }
          seen += len;
        }
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      },
      [start, end] as const,
    );
  await page.waitForFunction(() => !(window.getSelection()?.isCollapsed ?? true));
}

/** Waits until every write has reached the database. */
export async function expectSaved(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: /saved|Saving/ })).toHaveText('All changes saved');
}

/** Selects the first occurrence of `phrase` in the article text, as a mouse drag would. */
export async function selectPhrase(page: Page, phrase: string): Promise<void> {
  // The article just clicked may still be loading.
  await expect(page.locator('.article-text')).toContainText(phrase);
  const texts = await page.locator('.article-text p').allTextContents();
  const p = texts.findIndex((t) => t.includes(phrase));
  if (p < 0) throw new Error(`"${phrase}" is not in the article`);
  const at = (texts[p] ?? '').indexOf(phrase);
  await selectInParagraph(page, p, at, at + phrase.length);
}

/** Drags the real mouse across `phrase` (the first occurrence), from its first to its last character. */
export async function dragOver(page: Page, phrase: string): Promise<void> {
  const box = await page.locator('.article-text').evaluate((root, text) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = (n.textContent ?? '').indexOf(text);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + 1);
      const first = r.getBoundingClientRect();
      r.setStart(n, i + text.length - 1);
      r.setEnd(n, i + text.length);
      const last = r.getBoundingClientRect();
      return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2 };
    }
    return null;
  }, phrase);
  if (!box) throw new Error(`"${phrase}" is not in one text node of the article`);
  await page.mouse.move(box.x1, box.y1);
  await page.mouse.down();
  await page.mouse.move((box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2, { steps: 4 });
  await page.mouse.move(box.x2, box.y2, { steps: 4 });
  await page.mouse.up();
}
