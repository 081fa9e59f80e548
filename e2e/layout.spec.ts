import type { Page } from '@playwright/test';
import { colleagueBundle } from './colleagues.js';
import { expect, openWorkbench, test } from './fixtures.js';

/** Every element of the bars: inside its bar, not cut off (text wider than its box), not overlapping its neighbours. */
async function barProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const bar of document.querySelectorAll<HTMLElement>('.topbar, .toolbar, .claims-toolbar')) {
      const box = bar.getBoundingClientRect();
      const items = [...bar.children].filter(
        (el): el is HTMLElement => el instanceof HTMLElement && el.getBoundingClientRect().width > 0 && !el.classList.contains('spacer'),
      );
      const name = (el: HTMLElement) =>
        `${bar.className}: ${(el.getAttribute('aria-label') ?? el.textContent ?? el.className).trim().slice(0, 30)}`;
      for (const el of items) {
        const r = el.getBoundingClientRect();
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
          problems.push(`${name(el)} sticks out of its bar`);
        // Cut off, unless it is shortened on purpose (an ellipsis, with the whole text in its title).
        const shortened = getComputedStyle(el).textOverflow === 'ellipsis' && el.title !== '';
        if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible' && !shortened)
          problems.push(`${name(el)} is cut off`);
        if (
          el.scrollWidth > el.clientWidth + 1 &&
          getComputedStyle(el).whiteSpace === 'nowrap' &&
          getComputedStyle(el).textOverflow !== 'ellipsis'
        )
          problems.push(`${name(el)} overflows`);
      }
      for (let i = 0; i < items.length; i++)
        for (let j = i + 1; j < items.length; j++) {
          const a = (items[i] as HTMLElement).getBoundingClientRect();
          const b = (items[j] as HTMLElement).getBoundingClientRect();
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
            problems.push(`${name(items[i] as HTMLElement)} overlaps ${name(items[j] as HTMLElement)}`);
        }
    }
    return problems;
  });
}

/** Menus of the claims toolbar whose chosen text is wider than the room the menu gives it. */
async function cutMenus(page: Page): Promise<string[]> {
  return page.locator('.claims-view .claims-toolbar select').evaluateAll((selects) => {
    const ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) return ['no canvas'];
    return (selects as HTMLSelectElement[]).flatMap((s) => {
      const style = getComputedStyle(s);
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = s.selectedOptions[0]?.text ?? '';
      // The room for the text: the box less its padding and the arrow.
      const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
      return ctx.measureText(text).width > room ? [`${s.getAttribute('aria-label')}: “${text}” is cut off`] : [];
    });
  });
}

for (const size of [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
]) {
  test(`at ${size.width}×${size.height} nothing in the bars is clipped or overlapping, with four labels; banners do not move the text`, async ({
    page,
    host,
    dataDir,
  }, testInfo) => {
    await page.setViewportSize(size);
    const bob = await colleagueBundle(dataDir, 'Bob', [
      ['Washington is pushing for Ukraine to sign a peace deal', 'claim'],
      ['a report by Politico', 'opinion'],
      ['Marco Rubio', 'source'],
    ]);
    await openWorkbench(page, host, 'Rita Reviewer');
    await host.api('labels.create', { name: 'Evidence', color: '#2f9e44', shortcut: '4', description: 'What backs a claim.' });
    await page.getByRole('button', { name: /US Urges Ukraine/ }).click();
    await expect(page.locator('.article-text p').first()).toBeVisible();
    await expect(page.locator('.toolbar .tag-button')).toHaveCount(4);
    expect(await barProblems(page)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`article-${size.width}.png`) });

    // A banner (here: a message for a key pressed with nothing selected) leaves the text where it was.
    const para = page.locator('.article-text p').first();
    const before = await para.boundingBox();
    await page.keyboard.press('1');
    await expect(page.getByRole('status').filter({ hasText: 'Select some text first' })).toBeVisible();
    expect((await para.boundingBox())?.y).toBe(before?.y);

    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByLabel('Import a colleague’s annotations').setInputFiles(bob);
    await host.api('annotations.create', {
      articleId: (await host.api<{ id: number }[]>('articles.list', {}))[1]?.id,
      start: 0,
      end: 10,
      quote: 'Washington',
      label: 'claim',
    });
    await expect(page.getByRole('region', { name: 'Review queue' }).locator('.queue-list li').first()).toBeVisible();
    await page.getByRole('button', { name: 'Dismiss' }).first().click();
    expect(await barProblems(page)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`review-${size.width}.png`) });
    await page.getByRole('tab', { name: 'Claims table' }).click();
    await expect(page.locator('.claims-item').first()).toBeVisible();
    expect(await barProblems(page)).toEqual([]);
    // Each menu of the claims toolbar shows its whole choice (the layer choice's long name too).
    expect(await cutMenus(page)).toEqual([]);
    // One row where there is room; at 1024 px Undo, Redo and Export wrap together.
    const rows = await page
      .locator('.claims-view .claims-toolbar > *')
      .evaluateAll((els) => new Set(els.map((el) => Math.round(el.getBoundingClientRect().top / 10))).size);
    if (size.width >= 1440) expect(rows).toBe(1);
    const actions = await page
      .locator('.claims-actions > *')
      .evaluateAll((els) => new Set(els.map((el) => Math.round(el.getBoundingClientRect().top / 10))).size);
    expect(actions).toBe(1);
    await page.screenshot({ path: testInfo.outputPath(`claims-${size.width}.png`) });
  });
}
