/** A colleague's layer, and gold, cannot be changed through the API: only the analyst's own tags and links. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../api.js';
import type { Annotation } from '../../shared/schemas.js';
import { addArticle, testService, type TestService } from '../test-support.js';
import { tagPhrase } from '../test-builders.js';

let svc: TestService;
let article: number;
beforeEach(async () => {
  svc = await testService({ seed: false, annotator: 'Dana' });
  article = addArticle(svc, 'Washington wants a peace deal first, said a diplomat. Kyiv insists on guarantees.');
});
afterEach(() => svc.dispose());

/** Tags `phrase` as `annotator` and makes Dana the analyst again. */
async function tagAs(annotator: string, phrase: string, label: string): Promise<Annotation> {
  await call(svc.dispatch, 'settings.setAnnotator', { name: annotator });
  const a = await tagPhrase(svc, article, phrase, label);
  await call(svc.dispatch, 'settings.setAnnotator', { name: 'Dana' });
  return a;
}

const stored = (id: string) => svc.db.prepare('SELECT label, note, annotator FROM annotations WHERE id = ?').get(id);

describe('a colleague’s layer is read-only in the API', () => {
  it('refuses to relabel, annotate or delete a colleague’s tag, and says whose it is', async () => {
    const bobs = await tagAs('Bob', 'Washington wants a peace deal first', 'claim');
    await expect(call(svc.dispatch, 'annotations.update', { id: bobs.id, label: 'opinion' })).rejects.toThrow(
      `annotation ${bobs.id} is "Bob"’s, and a colleague’s layer is read-only: it cannot be relabelled`,
    );
    await expect(call(svc.dispatch, 'annotations.update', { id: bobs.id, note: 'mine now' })).rejects.toThrow('it cannot be annotated');
    await expect(call(svc.dispatch, 'annotations.delete', { id: bobs.id })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('it cannot be deleted'),
    });
    expect(stored(bobs.id)).toEqual({ label: 'claim', note: '', annotator: 'Bob' });
  });

  it('refuses to change gold outside review', async () => {
    const mine = await tagPhrase(svc, article, 'Kyiv insists on guarantees', 'opinion');
    svc.db.prepare("UPDATE annotations SET annotator = 'gold' WHERE id = ?").run(mine.id);
    await expect(call(svc.dispatch, 'annotations.update', { id: mine.id, label: 'claim' })).rejects.toThrow(
      'is in the gold layer, which only review decisions write',
    );
    await expect(call(svc.dispatch, 'annotations.delete', { id: mine.id })).rejects.toThrow('gold layer');
    expect(stored(mine.id)).toEqual({ label: 'opinion', note: '', annotator: 'gold' });
  });

  it('refuses links that join or change a colleague’s tags; the analyst’s own tags stay editable', async () => {
    const bobsClaim = await tagAs('Bob', 'Washington wants a peace deal first', 'claim');
    const bobsSource = await tagAs('Bob', 'a diplomat', 'source');
    await call(svc.dispatch, 'settings.setAnnotator', { name: 'Bob' });
    const bobsLink = await call(svc.dispatch, 'links.create', { claimId: bobsClaim.id, sourceId: bobsSource.id, kind: 'direct' });
    await call(svc.dispatch, 'settings.setAnnotator', { name: 'Dana' });
    const mine = await tagPhrase(svc, article, 'Kyiv insists on guarantees', 'claim');

    await expect(call(svc.dispatch, 'links.create', { claimId: bobsClaim.id, sourceId: bobsSource.id, kind: 'unnamed' })).rejects.toThrow(
      'it cannot be attributed',
    );
    await expect(call(svc.dispatch, 'links.create', { claimId: mine.id, sourceId: bobsSource.id })).rejects.toThrow(
      'it cannot be linked as a source',
    );
    await expect(call(svc.dispatch, 'links.update', { id: bobsLink.id, kind: 'paraphrase' })).rejects.toThrow(
      `link ${bobsLink.id} is "Bob"’s`,
    );
    await expect(call(svc.dispatch, 'links.delete', { id: bobsLink.id })).rejects.toThrow('it cannot be deleted');
    expect(svc.db.prepare('SELECT kind, annotator FROM source_links').all()).toEqual([{ kind: 'direct', annotator: 'Bob' }]);

    expect((await call(svc.dispatch, 'annotations.update', { id: mine.id, label: 'opinion', note: 'checked' })).label).toBe('opinion');
    expect((await call(svc.dispatch, 'annotations.delete', { id: mine.id })).id).toBe(mine.id);
  });
});
