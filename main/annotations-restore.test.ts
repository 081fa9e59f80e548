/** `annotations.restore`, the undo of a delete, checks what creating a tag, a link and a group membership check. */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from './api.js';
import { addArticle, testService, type TestService } from './test-support.js';
import { tagPhrase } from './test-builders.js';

let svc: TestService;
let one: number;
let two: number;
beforeEach(async () => {
  svc = await testService({ seed: false, annotator: 'Dana' });
  one = addArticle(svc, 'Washington wants a peace deal first, said a diplomat.', 'One');
  two = addArticle(svc, 'Kyiv insists on guarantees, an official said.', 'Two');
});
afterEach(() => svc.dispose());

async function deleted(articleId: number, phrase: string, label: string) {
  const a = await tagPhrase(svc, articleId, phrase, label);
  return call(svc.dispatch, 'annotations.delete', { id: a.id });
}

describe('annotations.restore', () => {
  it('puts back a deleted annotation with its link and group (the ordinary undo)', async () => {
    const claim = await tagPhrase(svc, one, 'Washington wants a peace deal', 'claim');
    const source = await tagPhrase(svc, one, 'a diplomat', 'source');
    await call(svc.dispatch, 'links.create', { claimId: claim.id, sourceId: source.id });
    const group = await call(svc.dispatch, 'groups.create', { annotationIds: [claim.id] });
    const gone = await call(svc.dispatch, 'annotations.delete', { id: claim.id });
    const back = await call(svc.dispatch, 'annotations.restore', { annotation: gone, links: gone.links, groupId: group.id });
    expect(back.id).toBe(claim.id);
    expect(svc.db.prepare('SELECT count(*) AS n FROM source_links').get()).toEqual({ n: 1 });
  });

  it('refuses an opinion-to-opinion link across two articles', async () => {
    const other = await tagPhrase(svc, two, 'Kyiv insists on guarantees', 'opinion');
    const gone = await deleted(one, 'Washington wants a peace deal', 'opinion');
    const link = {
      id: randomUUID(),
      claimId: gone.id,
      sourceId: other.id,
      kind: 'direct' as const,
      annotator: 'Dana',
      createdAt: gone.createdAt,
    };
    await expect(call(svc.dispatch, 'annotations.restore', { annotation: gone, links: [link] })).rejects.toThrow(
      'an attribution links a claim to a source, not a opinion to a opinion',
    );
    expect(svc.db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual({ n: 1 });
  });

  it('refuses a claim linked to a source in another article', async () => {
    const other = await tagPhrase(svc, two, 'an official', 'source');
    const gone = await deleted(one, 'Washington wants a peace deal', 'claim');
    const link = {
      id: randomUUID(),
      claimId: gone.id,
      sourceId: other.id,
      kind: 'direct' as const,
      annotator: 'Dana',
      createdAt: gone.createdAt,
    };
    await expect(call(svc.dispatch, 'annotations.restore', { annotation: gone, links: [link] })).rejects.toThrow(
      'a claim can only be attributed to a source in the same article',
    );
  });

  it('refuses an opinion put into a claim group', async () => {
    const claim = await tagPhrase(svc, two, 'Kyiv insists on guarantees', 'claim');
    const group = await call(svc.dispatch, 'groups.create', { annotationIds: [claim.id] });
    const gone = await deleted(one, 'Washington wants a peace deal', 'opinion');
    await expect(call(svc.dispatch, 'annotations.restore', { annotation: gone, groupId: group.id })).rejects.toThrow(
      'a claim group holds claims; this annotation is a opinion',
    );
  });

  it('refuses another annotator’s name (gold included) and made-up timestamps', async () => {
    const gone = await deleted(one, 'Washington wants a peace deal', 'claim');
    await expect(call(svc.dispatch, 'annotations.restore', { annotation: { ...gone, annotator: 'gold' } })).rejects.toThrow(
      'only your own annotations can be restored',
    );
    await expect(
      call(svc.dispatch, 'annotations.restore', {
        annotation: { ...gone, createdAt: '2999-01-01T00:00:00.000Z', updatedAt: '2999-01-01T00:00:00.000Z' },
      }),
    ).rejects.toThrow('timestamps');
    await expect(
      call(svc.dispatch, 'annotations.restore', {
        annotation: { ...gone, createdAt: '2026-01-02T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' },
      }),
    ).rejects.toThrow('timestamps');
    expect(svc.db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual({ n: 0 });
  });
});
