import type { Annotation, ArticleSummary } from '../shared/schemas.js';
import { expect, expectSaved, openWorkbench, test } from './fixtures.js';

test('a note is saved as it is typed, counts as unsaved until then, is one undo step, and leaving the page with it unsaved asks first', async ({
  page,
  host,
}) => {
  await openWorkbench(page, host);
  const articleId = (await host.api<ArticleSummary[]>('articles.list', {}))[1]?.id ?? 0;
  const tag = await host.api<Annotation>('annotations.create', { articleId, start: 0, end: 10, quote: 'Washington', label: 'source' });
  const storedNote = async () => (await host.api<Annotation[]>('annotations.list', { articleId })).find((a) => a.id === tag.id)?.note;
  await page.getByRole('button', { name: /US Urges Ukraine/ }).click();
  await page.locator(`[data-annotation-item="${tag.id}"] .annotation-summary`).click();
  const note = page.getByLabel('Note');
  await note.click();
  await page.keyboard.type('Checked against');
  // Typed, not yet sent: the indicator does not claim it is saved.
  await expect(page.locator('.save-status')).not.toHaveText('All changes saved');
  // Saved after a pause in typing, with the field still focused.
  await expectSaved(page);
  await expect(note).toBeFocused();
  expect(await storedNote()).toBe('Checked against');
  await page.keyboard.type(' the readout');
  await expectSaved(page);
  expect(await storedNote()).toBe('Checked against the readout');

  // The whole edit is one undo step.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+z');
  await expectSaved(page);
  await expect.poll(storedNote).toBe('');
  await expect(note).toHaveValue('');

  // Typing and leaving at once: the page asks before it goes.
  await note.click();
  await page.keyboard.type('unsaved thought');
  const asked = page.waitForEvent('dialog');
  void page.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.dismiss();
});
