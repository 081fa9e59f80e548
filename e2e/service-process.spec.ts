/**
 * The service in its own process behind the browser host (`serve
 * --service-process`, as the Electron host runs it): the process is killed
 * while the window is open; the window says so, the service comes back, and
 * every tag the window showed as saved is still there.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerAnnotatorQuestion, expect, expectSaved, selectPhrase, test } from './fixtures.js';

/** The children of a process (Linux /proc). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

test('a crash of the service process is reported, survived and loses nothing saved', async ({ page, dataDir }) => {
  test.skip(process.platform !== 'linux', 'finds the service process through /proc');
  const serve = spawn(process.execPath, ['out/main/serve.js', '--db', join(dataDir, 'claimdesk.db'), '--service-process'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((ok, fail) => {
      serve.stdout?.on('data', (d: Buffer) => {
        const m = /http:\/\/\S+/.exec(d.toString());
        if (m) ok(m[0]);
      });
      serve.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
    });
    const [service] = childrenOf(serve.pid ?? 0);
    expect(service, 'the service runs in a child process').toBeGreaterThan(0);

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(url);
    await answerAnnotatorQuestion(page, 'Dana Reyes');
    await page.getByRole('button', { name: /US Urges Ukraine to Sign Peace Deal/ }).click();
    await selectPhrase(page, 'report by Politico');
    await page.keyboard.press('2');
    await expectSaved(page);

    process.kill(service ?? 0, 'SIGKILL');
    const strip = page.locator('.status-strip');
    await expect(strip).toContainText('The Claimdesk service stopped unexpectedly and was restarted. Everything shown as saved is kept.', {
      timeout: 15_000,
    });
    const restarted = childrenOf(serve.pid ?? 0);
    expect(restarted.length).toBe(1);
    expect(restarted[0]).not.toBe(service);
    await page.screenshot({ path: 'test-results/service-restarted-1440.png' });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: 'test-results/service-restarted-1024.png' });

    // The saved tag is there after a fresh read, and tagging goes on.
    await page.reload();
    await page.getByRole('button', { name: /US Urges Ukraine to Sign Peace Deal/ }).click();
    await expect(page.locator('.annotation-item')).toHaveCount(1);
    await selectPhrase(page, 'peace deal');
    await page.keyboard.press('3');
    await expectSaved(page);
    await expect(page.locator('.annotation-item')).toHaveCount(2);
  } finally {
    serve.kill('SIGTERM');
  }
});

test('article text is not spellchecked; note fields are', async ({ page, host }) => {
  await page.goto(host.url);
  await answerAnnotatorQuestion(page, 'Dana Reyes');
  await page.getByRole('button', { name: /US Urges Ukraine to Sign Peace Deal/ }).click();
  await expect(page.locator('.article-text')).toHaveAttribute('spellcheck', 'false');
  await selectPhrase(page, 'report by Politico');
  await page.keyboard.press('2');
  await expectSaved(page);
  const note = page.locator('.annotation-item textarea').first();
  await page.locator('.annotation-item').first().click();
  await expect(note).toBeVisible();
  expect(await note.evaluate((el) => (el as HTMLTextAreaElement).spellcheck)).toBe(true);
});

/** WCAG contrast of two computed CSS colours (rgb() or color(srgb …)). */
function contrast(a: string, b: string): number {
  const parse = (c: string): number[] => {
    const nums = (c.match(/[\d.]+/g) ?? []).map(Number);
    return c.startsWith('color(') ? nums.slice(0, 3).map((n) => n * 255) : nums.slice(0, 3);
  };
  const lum = (c: number[]) => {
    const [r, g, bl] = c.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(parse(a)), lum(parse(b))].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

test('dark mode follows the system, with label colours legible', async ({ page, host }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(host.url);
  await answerAnnotatorQuestion(page, 'Dana Reyes');
  await page.getByRole('button', { name: /US Urges Ukraine to Sign Peace Deal/ }).click();
  await selectPhrase(page, 'report by Politico');
  await page.keyboard.press('2');
  await expectSaved(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(contrast(bg, 'rgb(0, 0, 0)')).toBeLessThan(2);
  // Label-tinted text (the chips in the toolbar's article header, the annotation's label) against the panel behind it.
  for (const selector of ['.article-header .label-chip', '.annotation-item .label-chip']) {
    const chip = page.locator(selector).first();
    if ((await chip.count()) === 0) continue;
    const [fg, panel] = await chip.evaluate((el) => {
      let p: Element | null = el;
      let back = 'rgba(0, 0, 0, 0)';
      while (p && /rgba\(0, 0, 0, 0\)|transparent/.test(back)) {
        back = getComputedStyle(p).backgroundColor;
        p = p.parentElement;
      }
      return [getComputedStyle(el).color, back];
    });
    expect(contrast(fg, panel), `${selector}: ${fg} on ${panel}`).toBeGreaterThanOrEqual(4.5);
  }
  await page.screenshot({ path: 'test-results/dark-1440.png' });
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.screenshot({ path: 'test-results/dark-1024.png' });
});
