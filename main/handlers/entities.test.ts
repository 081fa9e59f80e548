import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../api.js';
import { testService, type TestService } from '../test-support.js';
import { tagPhrase } from '../test-builders.js';
import type { Annotation } from '../../shared/schemas.js';
import { claimRows } from '../store/claims.js';

let svc: TestService;
let ids: number[];
beforeEach(async () => {
  svc = await testService({ seed: true });
  ids = (await call(svc.dispatch, 'articles.list', {})).map((a) => a.id);
});
afterEach(() => svc.dispose());

const article = (i: number) => ids[i] ?? 0;

/** The three wordings of Rubio in the seeds, each with the claim attributed to it, and a few other people. */
async function seedSources() {
  const full = await tagPhrase(svc, article(0), 'U.S. Secretary of State Marco Rubio', 'source');
  const withThe = await tagPhrase(svc, article(2), 'The US Secretary of State Marco Rubio', 'source');
  const short = await tagPhrase(svc, article(1), 'Rubio', 'source', 'According to Politico, Rubio');
  const trump = await tagPhrase(svc, article(0), 'President Donald Trump', 'source');
  const putin = await tagPhrase(svc, article(3), 'Russian President Vladimir Putin', 'source');
  const witkoff = await tagPhrase(svc, article(4), 'Steve Witkoff', 'source');
  const politico = await tagPhrase(svc, article(1), 'Politico', 'source');
  const claims = [
    await tagPhrase(
      svc,
      article(0),
      'Washington wants a peace deal with Russia in place before agreeing to any postwar security guarantees for Ukraine',
      'claim',
    ),
    await tagPhrase(
      svc,
      article(2),
      'will insist on a peace deal before agreeing to any long-term security guarantees for Ukraine',
      'claim',
    ),
    await tagPhrase(svc, article(1), 'the U.S. views security guarantees for Ukraine as a priority', 'claim'),
  ];
  const sources = [full, withThe, short];
  for (let i = 0; i < 3; i++)
    await call(svc.dispatch, 'links.create', { claimId: (claims[i] as Annotation).id, sourceId: (sources[i] as Annotation).id });
  return { full, withThe, short, trump, putin, witkoff, politico, claims };
}

describe('source entity suggestions', () => {
  it('suggests the seed wordings of Rubio for each other, and nobody else', async () => {
    const s = await seedSources();
    const forShort = await call(svc.dispatch, 'entities.suggest', { annotationId: s.short.id, limit: 10 });
    expect(forShort.map((x) => x.text)).toEqual(['The US Secretary of State Marco Rubio', 'U.S. Secretary of State Marco Rubio']);
    expect(forShort.every((x) => x.kind === 'wording' && x.score >= 0.8)).toBe(true);
    const forFull = await call(svc.dispatch, 'entities.suggest', { annotationId: s.full.id, limit: 10 });
    // The same name with another article and title spelling first, then the surname alone.
    expect(forFull.map((x) => [x.text, x.score])).toEqual([
      ['The US Secretary of State Marco Rubio', 1],
      ['Rubio', expect.any(Number)],
    ]);
    const forPutin = await call(svc.dispatch, 'entities.suggest', { annotationId: s.putin.id, limit: 10 });
    expect(forPutin).toEqual([]);
  });

  it('suggests an entity by its members’ wordings, never the source’s own entity, and a wording once for all its sources', async () => {
    const s = await seedSources();
    const again = await tagPhrase(svc, article(2), 'Rubio', 'source', 'During a conversation');
    const entity = await call(svc.dispatch, 'entities.create', { annotationIds: [s.full.id] });
    expect(entity).toMatchObject({ name: 'Marco Rubio', memberCount: 1, wordings: ['U.S. Secretary of State Marco Rubio'] });
    const forWithThe = await call(svc.dispatch, 'entities.suggest', { annotationId: s.withThe.id });
    expect(forWithThe[0]).toMatchObject({ kind: 'entity', id: entity.id, text: 'Marco Rubio', score: 1 });
    expect(forWithThe[1]).toMatchObject({ kind: 'wording', text: 'Rubio', annotationIds: [s.short.id, again.id] });
    const forFull = await call(svc.dispatch, 'entities.suggest', { annotationId: s.full.id });
    expect(forFull.some((x) => x.kind === 'entity')).toBe(false);
  });
});

describe('source entities', () => {
  it('links, renames, splits and merges, with a history', async () => {
    const s = await seedSources();
    const rubio = await call(svc.dispatch, 'entities.create', { annotationIds: [s.full.id, s.withThe.id] });
    expect(rubio.name).toBe('Marco Rubio');
    const other = await call(svc.dispatch, 'entities.create', { name: 'Rubio (short)', annotationIds: [s.short.id] });
    const merged = await call(svc.dispatch, 'entities.merge', { intoId: rubio.id, fromId: other.id });
    expect(merged).toMatchObject({ memberCount: 3 });
    expect((await call(svc.dispatch, 'entities.list', {})).map((e) => e.name)).toEqual(['Marco Rubio']);
    await call(svc.dispatch, 'entities.rename', { id: rubio.id, name: 'Secretary Marco Rubio' });
    expect(await call(svc.dispatch, 'entities.unlink', { annotationId: s.short.id })).toEqual({
      annotationId: s.short.id,
      entityId: rubio.id,
    });
    expect((await call(svc.dispatch, 'claims.forArticle', { articleId: article(0) })).entities).toEqual([
      { annotationId: s.full.id, entityId: rubio.id, name: 'Secretary Marco Rubio' },
    ]);
    const history = await call(svc.dispatch, 'entities.history', { id: rubio.id });
    expect(history.map((h) => h.action)).toEqual(['create', 'add', 'add', 'merge', 'rename', 'remove']);
    expect((await call(svc.dispatch, 'entities.history', { id: other.id })).map((h) => h.action)).toEqual(['create', 'add', 'merge']);
    // An entity emptied by unlinking stays until deleted.
    await call(svc.dispatch, 'entities.unlink', { annotationId: s.full.id });
    await call(svc.dispatch, 'entities.unlink', { annotationId: s.withThe.id });
    expect((await call(svc.dispatch, 'entities.list', {}))[0]).toMatchObject({ id: rubio.id, memberCount: 0 });
    expect(await call(svc.dispatch, 'entities.delete', { id: rubio.id })).toEqual({ id: rubio.id, unlinked: 0 });
  });

  it('refuses non-sources, unknown entities, self-merges and empty names', async () => {
    const s = await seedSources();
    const rubio = await call(svc.dispatch, 'entities.create', { annotationIds: [s.full.id] });
    const bad = [
      await svc.dispatch('entities.create', { annotationIds: [(s.claims[0] as Annotation).id] }),
      await svc.dispatch('entities.link', { entityId: crypto.randomUUID(), annotationIds: [s.short.id] }),
      await svc.dispatch('entities.link', { entityId: rubio.id, annotationIds: [] }),
      await svc.dispatch('entities.merge', { intoId: rubio.id, fromId: rubio.id }),
      await svc.dispatch('entities.rename', { id: rubio.id, name: '   ' }),
      await svc.dispatch('entities.create', { annotationIds: [] }),
      await svc.dispatch('entities.create', { id: rubio.id, name: 'Again', annotationIds: [] }),
      await svc.dispatch('entities.suggest', { annotationId: (s.claims[0] as Annotation).id }),
      await svc.dispatch('entities.restore', { entities: [], members: [{ annotationId: s.short.id, entityId: crypto.randomUUID() }] }),
      await svc.dispatch('entities.link', { entityId: 'not-a-uuid', annotationIds: [s.short.id] }),
    ];
    expect(bad.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'invalid_input',
      'not_found',
      'invalid_input',
      'invalid_input',
      'invalid_input',
      'invalid_input',
      'conflict',
      'invalid_input',
      'not_found',
      'invalid_input',
    ]);
    expect(bad[0]?.ok === false && bad[0].error.message).toMatch(/is a claim, not a source/);
  });

  it('puts a deleted source back into its entity when the delete is undone', async () => {
    const s = await seedSources();
    const rubio = await call(svc.dispatch, 'entities.create', { annotationIds: [s.full.id, s.short.id] });
    const { links, groupId, entityId, ...annotation } = await call(svc.dispatch, 'annotations.delete', { id: s.short.id });
    expect(entityId).toBe(rubio.id);
    expect((await call(svc.dispatch, 'entities.list', {}))[0]?.memberCount).toBe(1);
    await call(svc.dispatch, 'annotations.restore', { annotation, links, groupId, entityId });
    expect((await call(svc.dispatch, 'claims.forArticle', { articleId: article(1) })).entities).toEqual([
      { annotationId: s.short.id, entityId: rubio.id, name: 'Marco Rubio' },
    ]);
  });

  it('undoes a merge and a rename with snapshots, and redoes them', async () => {
    const s = await seedSources();
    const a = await call(svc.dispatch, 'entities.create', { annotationIds: [s.full.id] });
    const b = await call(svc.dispatch, 'entities.create', { name: 'Rubio', annotationIds: [s.short.id] });
    const scope = { entityIds: [a.id, b.id], annotationIds: [] };
    const before = await call(svc.dispatch, 'entities.snapshot', scope);
    await call(svc.dispatch, 'entities.merge', { intoId: a.id, fromId: b.id });
    await call(svc.dispatch, 'entities.rename', { id: a.id, name: 'M. Rubio' });
    const after = await call(svc.dispatch, 'entities.snapshot', scope);
    await call(svc.dispatch, 'entities.restore', before);
    const undone = await call(svc.dispatch, 'entities.list', {});
    expect(undone.map((e) => [e.name, e.memberCount, e.wordings])).toEqual([
      ['Marco Rubio', 1, ['U.S. Secretary of State Marco Rubio']],
      ['Rubio', 1, ['Rubio']],
    ]);
    expect(undone.find((e) => e.name === 'Rubio')?.id).toBe(b.id);
    await call(svc.dispatch, 'entities.restore', after);
    expect((await call(svc.dispatch, 'entities.list', {})).map((e) => [e.name, e.memberCount])).toEqual([['M. Rubio', 2]]);
  });
});

describe('the claims table names entities', () => {
  it('names the entity with its wordings, filters all three wordings together, and follows renames and splits', async () => {
    const s = await seedSources();
    const group = await call(svc.dispatch, 'groups.create', {
      annotationIds: [(s.claims[0] as Annotation).id, (s.claims[1] as Annotation).id],
    });
    const before = await call(svc.dispatch, 'claims.table', {});
    const rubioRows = (rows: typeof before, name: string) => rows.filter((r) => r.sources.includes(name)).map((r) => r.key);
    expect(rubioRows(before, 'Rubio')).toHaveLength(1);

    const rubio = await call(svc.dispatch, 'entities.create', { annotationIds: [s.full.id, s.withThe.id, s.short.id] });
    const linked = await call(svc.dispatch, 'claims.table', {});
    expect(rubioRows(linked, 'Marco Rubio')).toHaveLength(2);
    const row = linked.find((r) => r.groupId === group.id);
    expect(row?.sources).toEqual(['Marco Rubio']);
    expect(row?.sourceEntities).toEqual([
      { id: rubio.id, name: 'Marco Rubio', wordings: ['The US Secretary of State Marco Rubio', 'U.S. Secretary of State Marco Rubio'] },
    ]);
    const instances = await call(svc.dispatch, 'claims.instances', { groupId: group.id });
    expect(instances.flatMap((i) => i.sources.map((x) => [x.quote, x.entityName, x.entityId]))).toEqual([
      ['U.S. Secretary of State Marco Rubio', 'Marco Rubio', rubio.id],
      ['The US Secretary of State Marco Rubio', 'Marco Rubio', rubio.id],
    ]);

    await call(svc.dispatch, 'entities.rename', { id: rubio.id, name: 'Marco Antonio Rubio' });
    expect(rubioRows(await call(svc.dispatch, 'claims.table', {}), 'Marco Antonio Rubio')).toHaveLength(2);
    await call(svc.dispatch, 'entities.unlink', { annotationId: s.short.id });
    const split = await call(svc.dispatch, 'claims.table', {});
    expect(rubioRows(split, 'Marco Antonio Rubio')).toEqual([group.id]);
    expect(rubioRows(split, 'Rubio')).toHaveLength(1);
    // The host's table, patched after each change, is the table built from scratch.
    expect(split).toEqual(claimRows(svc.db));
  });
});
