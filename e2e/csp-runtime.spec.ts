/**
 * The strict CSP in Chromium: a session through every view raises no
 * violation, and the styles React, ProseMirror and the label sheet set through
 * the CSSOM (which CSP does not govern) still apply.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, openWorkbench, test } from './fixtures.js';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  file: string;
  line: number;
  column: number;
}

/**
 * Zod 4 probes once whether `new Function` works before choosing its compiled
 * parsers; the strict policy refuses it (as it should), zod falls back, and
 * Chromium still reports the refused probe. Only that exact spot in the built
 * bundle is let through: `z.config({ jitless: true })` in the renderer's
 * entry, before anything parses, skips the probe and makes this unnecessary.
 */
function isZodEvalProbe(v: Violation): boolean {
  if (v.directive !== 'script-src' || v.blocked !== 'eval') return false;
  const line = readFileSync(join('out', 'renderer', 'assets', basename(new URL(v.file).pathname)), 'utf8').split('\n')[v.line - 1] ?? '';
  const at = v.column - 1;
  return /Function\(/.test(line.slice(at, at + 12)) && line.slice(Math.max(0, at - 160), at).includes('jitless');
}

/** Records every `securitypolicyviolation` from the first script on, and console errors about the policy. */
async function watchViolations(page: Page): Promise<{ violations: () => Promise<Violation[]>; consoleErrors: string[] }> {
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { __cspViolations: Violation[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        file: e.sourceFile,
        line: e.lineNumber,
        column: e.columnNumber,
      }),
    );
  });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) consoleErrors.push(m.text());
  });
  return { violations: () => page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations), consoleErrors };
}

test('a session through articles, tagging, the claims table and review breaks no CSP rule and keeps its styles', async ({ page, host }) => {
  const watch = await watchViolations(page);
  await openWorkbench(page, host);
  expect(await page.evaluate(() => document.styleSheets.length), 'the built stylesheet loads').toBeGreaterThan(0);

  await page.getByRole('button', { name: /US Urges Ukraine to Sign Peace Deal/ }).click();
  const para = page.locator('.article-text p').first();
  await para.click({ position: { x: 2, y: 8 } });
  await page.keyboard.press('Home');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+Control+ArrowRight');
  await page.keyboard.press('1');
  const claim = page.locator('.article-text [data-label="claim"][data-annotation-id]').first();
  await expect(claim).toBeVisible();
  // The label colour comes from the constructed stylesheet; the sidebar list's height and row offsets from React style props.
  // Polled: a new tag is painted at once and repainted when the app state catches up, which can detach the first span.
  await expect.poll(() => claim.evaluate((el) => getComputedStyle(el).getPropertyValue('--c').trim())).toMatch(/^#[0-9a-f]{6}$/i);
  expect(
    await page
      .locator('.virtual-space')
      .first()
      .evaluate((el) => el.getBoundingClientRect().height),
  ).toBeGreaterThan(0);
  expect(
    await page
      .locator('.virtual-row')
      .first()
      .evaluate((el) => getComputedStyle(el).transform),
  ).not.toBe('none');

  await page.getByRole('tab', { name: 'Claims table' }).click();
  await expect(page.getByRole('main', { name: 'Claims table' })).toBeVisible();
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByRole('tab', { name: 'Articles' }).click();
  await expect(page.locator('.article-text')).toBeVisible();

  const violations = await watch.violations();
  expect(violations.filter((v) => !isZodEvalProbe(v))).toEqual([]);
  expect(watch.consoleErrors).toEqual([]);
});
