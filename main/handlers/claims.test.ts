import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../api.js';
import { testService, type TestService } from '../test-support.js';
import { tagPhrase } from '../test-builders.js';
import { claimRows } from '../store/claims.js';

let svc: TestService;
let ids: number[];
beforeEach(async () => {
  svc = await testService({ seed: true });
  ids = (await call(svc.dispatch, 'articles.list', {})).map((a) => a.id);
});
afterEach(() => svc.dispose());

const PEACE = [
  'Washington wants a peace deal with Russia in place before agreeing to any postwar security guarantees for Ukraine',
  'Washington is pushing for Ukraine to sign a peace deal before agreeing to any security guarantees',
  'will insist on a peace deal before agreeing to any long-term security guarantees for Ukraine',
];

async function peaceClaims() {
  const [a, b, c] = [
    await tagPhrase(svc, ids[0] ?? 0, PEACE[0] ?? '', 'claim'),
    await tagPhrase(svc, ids[1] ?? 0, PEACE[1] ?? '', 'claim'),
    await tagPhrase(svc, ids[2] ?? 0, PEACE[2] ?? '', 'claim'),
  ];
  // An unrelated claim, to be ranked below.
  const other = await tagPhrase(svc, ids[3] ?? 0, 'The security may amount to a European-led initiative with America’s support', 'claim');
  return { a, b, c, other };
}

describe('attribution', () => {
  it('links a claim to sources in the same article, with a kind, once', async () => {
    const { a } = await peaceClaims();
    const politico = await tagPhrase(svc, ids[0] ?? 0, 'Politico', 'source', 'postwar');
    const diplomat = await tagPhrase(svc, ids[0] ?? 0, 'an unnamed European diplomat', 'source');
    const l1 = await call(svc.dispatch, 'links.create', { claimId: a.id, sourceId: politico.id });
    expect(l1).toMatchObject({ kind: 'paraphrase', annotator: 'Tester' });
    expect(await call(svc.dispatch, 'links.create', { claimId: a.id, sourceId: politico.id })).toEqual(l1);
    const l2 = await call(svc.dispatch, 'links.create', { claimId: a.id, sourceId: diplomat.id, kind: 'unnamed' });
    expect((await call(svc.dispatch, 'links.update', { id: l1.id, kind: 'direct' })).kind).toBe('direct');
    const { links } = await call(svc.dispatch, 'claims.forArticle', { articleId: ids[0] ?? 0 });
    expect(links.map((l) => [l.sourceId, l.kind])).toEqual([
      [politico.id, 'direct'],
      [diplomat.id, 'unnamed'],
    ]);
    await call(svc.dispatch, 'links.delete', { id: l2.id });
    expect((await call(svc.dispatch, 'claims.forArticle', { articleId: ids[0] ?? 0 })).links).toHaveLength(1);
  });

  it('refuses links across articles, to non-sources, and from non-claims', async () => {
    const { a, b } = await peaceClaims();
    const rubio = await tagPhrase(svc, ids[1] ?? 0, 'Marco Rubio', 'source');
    const r1 = await svc.dispatch('links.create', { claimId: a.id, sourceId: rubio.id });
    expect(!r1.ok && r1.error.message).toMatch(/same article/);
    const r2 = await svc.dispatch('links.create', { claimId: b.id, sourceId: a.id });
    expect(!r2.ok && r2.error.message).toMatch(/is a claim, not a source/);
    const r3 = await svc.dispatch('links.create', { claimId: rubio.id, sourceId: rubio.id });
    expect(!r3.ok && r3.error.message).toMatch(/is a source, not a claim/);
  });
});

describe('claim groups', () => {
  it('suggests the same claim from other articles first, then the group they form', async () => {
    const { a, b, c, other } = await peaceClaims();
    const suggestions = await call(svc.dispatch, 'groups.suggest', { annotationId: a.id });
    expect(
      suggestions
        .slice(0, 2)
        .map((s) => s.id)
        .sort(),
    ).toEqual([b.id, c.id].sort());
    expect(suggestions.every((s) => s.kind === 'claim')).toBe(true);
    expect(suggestions.find((s) => s.id === other.id)?.score ?? 0).toBeLessThan(suggestions[1]?.score ?? 0);
    expect(suggestions[0]?.score).toBeGreaterThan(0.3);

    const group = await call(svc.dispatch, 'groups.create', { annotationIds: [a.id, b.id] });
    expect(group).toMatchObject({ canonical: PEACE[0], memberCount: 2, articleCount: 2, createdBy: 'Tester' });
    const forC = await call(svc.dispatch, 'groups.suggest', { annotationId: c.id });
    expect(forC[0]).toMatchObject({ kind: 'group', id: group.id });
  });

  it('assigns, renames, merges, splits and keeps the history', async () => {
    const { a, b, c } = await peaceClaims();
    const g1 = await call(svc.dispatch, 'groups.create', {
      canonical: 'US wants a peace deal before security guarantees',
      annotationIds: [a.id],
    });
    const g2 = await call(svc.dispatch, 'groups.create', { annotationIds: [b.id, c.id] });
    expect((await call(svc.dispatch, 'groups.assign', { annotationId: b.id, groupId: g1.id })).memberCount).toBe(2);
    await call(svc.dispatch, 'groups.update', { id: g1.id, canonical: 'Peace deal before guarantees', note: 'Politico scoop' });
    const merged = await call(svc.dispatch, 'groups.merge', { intoId: g1.id, fromId: g2.id });
    expect(merged).toMatchObject({ memberCount: 3, articleCount: 3, canonical: 'Peace deal before guarantees', note: 'Politico scoop' });
    expect((await svc.dispatch('groups.history', { id: g2.id })).ok).toBe(true);
    expect(await call(svc.dispatch, 'groups.list', {})).toHaveLength(1);
    expect(await call(svc.dispatch, 'groups.unassign', { annotationId: c.id })).toEqual({ annotationId: c.id, groupId: g1.id });
    const history = await call(svc.dispatch, 'groups.history', { id: g1.id });
    expect(history.map((h) => h.action)).toEqual(['create', 'add', 'add', 'rename', 'note', 'merge', 'remove']);
    expect(history[5]?.detail).toMatchObject({ from: g2.id, moved: 1 }); // b had already moved to g1
    expect((await call(svc.dispatch, 'groups.history', { id: g2.id })).map((h) => h.action)).toEqual([
      'create',
      'add',
      'add',
      'remove',
      'merge',
    ]);
  });
});

describe('grouping never destroys work', () => {
  it('answers the history of a group deleted or merged away', async () => {
    const { a, b } = await peaceClaims();
    const gone = await call(svc.dispatch, 'groups.create', { canonical: 'Deleted later', annotationIds: [a.id] });
    await call(svc.dispatch, 'groups.delete', { id: gone.id });
    expect((await call(svc.dispatch, 'groups.history', { id: gone.id })).map((h) => h.action)).toEqual(['create', 'add', 'delete']);
    const into = await call(svc.dispatch, 'groups.create', { canonical: 'Kept', annotationIds: [a.id] });
    const from = await call(svc.dispatch, 'groups.create', { canonical: 'Merged away', annotationIds: [b.id] });
    await call(svc.dispatch, 'groups.merge', { intoId: into.id, fromId: from.id });
    expect((await call(svc.dispatch, 'groups.history', { id: from.id })).map((h) => h.action)).toContain('create');
  });

  it('keeps a group emptied by a move, with its wording and note, until it is deleted', async () => {
    const { a, b } = await peaceClaims();
    const g1 = await call(svc.dispatch, 'groups.create', { canonical: 'Wording the analyst typed', annotationIds: [a.id] });
    await call(svc.dispatch, 'groups.update', { id: g1.id, note: 'why it matters' });
    const g2 = await call(svc.dispatch, 'groups.create', { annotationIds: [b.id] });
    await call(svc.dispatch, 'groups.assign', { annotationId: a.id, groupId: g2.id });
    expect(await call(svc.dispatch, 'groups.list', {})).toContainEqual(
      expect.objectContaining({ id: g1.id, canonical: 'Wording the analyst typed', note: 'why it matters', memberCount: 0 }),
    );
    await call(svc.dispatch, 'groups.unassign', { annotationId: b.id });
    expect((await call(svc.dispatch, 'groups.list', {})).map((g) => g.id).sort()).toEqual([g1.id, g2.id].sort());
    expect(await call(svc.dispatch, 'groups.delete', { id: g1.id })).toEqual({ id: g1.id, ungrouped: 0 });
    expect((await call(svc.dispatch, 'groups.list', {})).map((g) => g.id)).toEqual([g2.id]);
    expect((await call(svc.dispatch, 'groups.history', { id: g1.id })).at(-1)).toMatchObject({
      action: 'delete',
      detail: { canonical: 'Wording the analyst typed' },
    });
  });

  it('never suggests a claim its own group', async () => {
    const { a, b, c } = await peaceClaims();
    const g = await call(svc.dispatch, 'groups.create', { annotationIds: [a.id, b.id] });
    expect((await call(svc.dispatch, 'groups.suggest', { annotationId: a.id, limit: 50 })).map((s) => s.id)).not.toContain(g.id);
    expect((await call(svc.dispatch, 'groups.suggest', { annotationId: c.id })).map((s) => s.id)).toContain(g.id);
  });

  it('puts a merge, a rename and a split back exactly from snapshots (undo), and redoes them', async () => {
    const { a, b, c, other } = await peaceClaims();
    const g1 = await call(svc.dispatch, 'groups.create', { canonical: 'First wording', annotationIds: [a.id] });
    const g2 = await call(svc.dispatch, 'groups.create', { canonical: 'Second wording', annotationIds: [b.id, c.id] });
    await call(svc.dispatch, 'groups.update', { id: g2.id, note: 'kept' });
    const state = async () =>
      (await call(svc.dispatch, 'groups.list', {})).map((g) => [g.id, g.canonical, g.note, g.memberCount, g.createdAt]).sort();
    const initial = await state();

    const before = await call(svc.dispatch, 'groups.snapshot', { groupIds: [g1.id, g2.id], annotationIds: [] });
    await call(svc.dispatch, 'groups.merge', { intoId: g1.id, fromId: g2.id });
    await call(svc.dispatch, 'groups.update', { id: g1.id, canonical: 'Renamed' });
    await call(svc.dispatch, 'groups.unassign', { annotationId: a.id });
    const after = await call(svc.dispatch, 'groups.snapshot', { groupIds: [g1.id, g2.id], annotationIds: [a.id] });
    const changed = await state();
    expect(changed).toHaveLength(1);

    await call(svc.dispatch, 'groups.restore', before);
    expect(await state()).toEqual(initial);
    expect((await call(svc.dispatch, 'claims.forArticle', { articleId: ids[1] ?? 0 })).memberships).toEqual([
      { annotationId: b.id, groupId: g2.id, canonical: 'Second wording' },
    ]);
    await call(svc.dispatch, 'groups.restore', after);
    expect(await state()).toEqual(changed);
    expect((await call(svc.dispatch, 'claims.forArticle', { articleId: ids[0] ?? 0 })).memberships).toEqual([]);
    expect(
      claimRows(svc.db)
        .filter((r) => r.groupId !== null)
        .map((r) => [r.canonical, r.instanceCount]),
    ).toEqual([['Renamed', 2]]);
    expect(
      claimRows(svc.db)
        .filter((r) => r.groupId === null)
        .map((r) => r.claimId),
    ).toEqual([a.id, other.id]);
  });
});

describe('the claims table', () => {
  it('aggregates a group across articles: outlets, deduplicated sources, kinds, dates and annotators', async () => {
    const { a, b, c } = await peaceClaims();
    await call(svc.dispatch, 'articles.update', { id: ids[0] ?? 0, outlet: 'Ukrainska Pravda', publishedAt: '2025-11-25' });
    await call(svc.dispatch, 'articles.update', { id: ids[1] ?? 0, outlet: 'RT', publishedAt: '2025-11-26' });
    const p1 = await tagPhrase(svc, ids[0] ?? 0, 'Politico', 'source', 'postwar');
    const p2 = await tagPhrase(svc, ids[1] ?? 0, 'a report by Politico', 'source');
    const r3 = await tagPhrase(svc, ids[2] ?? 0, 'The US Secretary of State Marco Rubio', 'source');
    await call(svc.dispatch, 'links.create', { claimId: a.id, sourceId: p1.id, kind: 'paraphrase' });
    await call(svc.dispatch, 'links.create', { claimId: b.id, sourceId: p2.id, kind: 'paraphrase' });
    await call(svc.dispatch, 'links.create', { claimId: c.id, sourceId: r3.id, kind: 'direct' });
    await call(svc.dispatch, 'settings.setAnnotator', { name: 'Second' });
    const g = await call(svc.dispatch, 'groups.create', {
      canonical: 'US wants a peace deal before security guarantees',
      annotationIds: [a.id, b.id, c.id],
    });
    const opinion = await tagPhrase(svc, ids[0] ?? 0, 'citing an unnamed European diplomat', 'opinion');

    const [row] = await call(svc.dispatch, 'claims.table', {});
    expect(row).toMatchObject({
      groupId: g.id,
      instanceCount: 3,
      articleCount: 3,
      // Alphabetical, whatever order the links were made in.
      sources: ['a report by Politico', 'Politico', 'The US Secretary of State Marco Rubio'],
      kinds: ['direct', 'paraphrase'],
      firstPublished: '2025-11-25T00:00:00.000Z',
      lastPublished: '2025-11-26T00:00:00.000Z',
      annotators: ['Tester'],
    });
    expect(row?.outlets[0]).toMatch(/^\(no outlet\) /);
    expect(row?.outlets.slice(1)).toEqual(['RT', 'Ukrainska Pravda']);
    expect(row?.outletSources.RT).toEqual(['a report by Politico']);

    const instances = await call(svc.dispatch, 'claims.instances', { groupId: g.id });
    expect(instances.map((i) => i.quote)).toEqual([PEACE[2], PEACE[0], PEACE[1]]); // published date order, undated first
    const inA = instances.find((i) => i.annotationId === a.id);
    expect(inA?.sources).toEqual([{ annotationId: p1.id, quote: 'Politico', kind: 'paraphrase', entityId: null, entityName: null }]);
    expect(inA?.opinions).toEqual([{ annotationId: opinion.id, quote: 'citing an unnamed European diplomat' }]);
    expect(inA?.prefix).toMatch(/told European officials that $/);
    expect(instances.find((i) => i.annotationId === b.id)?.opinions).toEqual([]);
  });

  it("counts a member only while it is a claim: relabelled as a source it leaves the row and the group's instances alike", async () => {
    const { a, b, c } = await peaceClaims();
    await call(svc.dispatch, 'articles.update', { id: ids[1] ?? 0, outlet: 'RT' });
    const g = await call(svc.dispatch, 'groups.create', { canonical: 'Peace deal first', annotationIds: [a.id, b.id, c.id] });
    const counted = async () => {
      const row = (await call(svc.dispatch, 'claims.table', {})).find((r) => r.groupId === g.id);
      const instances = await call(svc.dispatch, 'claims.instances', { groupId: g.id });
      return { instances: row?.instanceCount, articles: row?.articleCount, rt: row?.outlets.includes('RT'), listed: instances.length };
    };
    expect(await counted()).toEqual({ instances: 3, articles: 3, rt: true, listed: 3 });

    await call(svc.dispatch, 'annotations.update', { id: b.id, label: 'source' });
    expect(await counted()).toEqual({ instances: 2, articles: 2, rt: false, listed: 2 });
    // The table a new host builds from scratch agrees with the one this host patched.
    expect(claimRows(svc.db).find((r) => r.groupId === g.id)?.instanceCount).toBe(2);

    await call(svc.dispatch, 'annotations.update', { id: b.id, label: 'claim' });
    expect(await counted()).toEqual({ instances: 3, articles: 3, rt: true, listed: 3 });
  });
});

describe('labels', () => {
  it('adds, renames and recolours labels; one in use is deleted only by reassigning', async () => {
    const { a } = await peaceClaims();
    const hedge = await call(svc.dispatch, 'labels.create', {
      name: 'Hedge',
      color: '#22aa55',
      shortcut: '4',
      description: 'Hedging language',
    });
    expect(hedge.id).toBe('hedge');
    expect((await svc.dispatch('labels.create', { name: 'Other', color: '#000000', shortcut: '4' })).ok).toBe(false);
    await call(svc.dispatch, 'labels.update', { id: 'hedge', name: 'Hedging', color: '#118844' });
    const t = await tagPhrase(svc, ids[0] ?? 0, 'Europe is trying', 'hedge');
    const refused = await svc.dispatch('labels.delete', { id: 'hedge' });
    expect(!refused.ok && refused.error.message).toMatch(/on 1 annotation; choose a label/);
    expect(await call(svc.dispatch, 'labels.delete', { id: 'hedge', reassignTo: 'opinion' })).toEqual({ id: 'hedge', reassigned: 1 });
    expect((await call(svc.dispatch, 'annotations.list', { articleId: ids[0] ?? 0 })).find((x) => x.id === t.id)?.label).toBe('opinion');
    expect((await svc.dispatch('labels.delete', { id: 'claim', reassignTo: 'opinion' })).ok).toBe(false);
    expect((await call(svc.dispatch, 'labels.list', {})).map((l) => l.id)).toEqual(['claim', 'source', 'opinion']);
    expect(a.label).toBe('claim');
  });
});

describe('undoing a delete', () => {
  it('restores the annotation with its links and its group', async () => {
    const { a, b } = await peaceClaims();
    const politico = await tagPhrase(svc, ids[0] ?? 0, 'Politico', 'source', 'postwar');
    const link = await call(svc.dispatch, 'links.create', { claimId: a.id, sourceId: politico.id, kind: 'direct' });
    const g = await call(svc.dispatch, 'groups.create', { annotationIds: [a.id, b.id] });
    const deleted = await call(svc.dispatch, 'annotations.delete', { id: a.id });
    expect(deleted.links).toEqual([link]);
    expect(deleted.groupId).toBe(g.id);
    expect((await call(svc.dispatch, 'claims.forArticle', { articleId: ids[0] ?? 0 })).links).toEqual([]);
    const { links, groupId, ...annotation } = deleted;
    await call(svc.dispatch, 'annotations.restore', { annotation, links, groupId });
    const after = await call(svc.dispatch, 'claims.forArticle', { articleId: ids[0] ?? 0 });
    expect(after.links).toEqual([link]);
    expect(after.memberships).toEqual([{ annotationId: a.id, groupId: g.id, canonical: g.canonical }]);
  });
});

describe('the claims table between changes', () => {
  it('gives the first rows in the default order, and follows writes from this and from another connection', async () => {
    const { a, b, c, other } = await peaceClaims();
    const g1 = await call(svc.dispatch, 'groups.create', { canonical: 'Peace deal first', annotationIds: [a.id, b.id, c.id] });
    const g2 = await call(svc.dispatch, 'groups.create', { canonical: 'A European-led initiative', annotationIds: [other.id] });
    const full = await call(svc.dispatch, 'claims.table', {});
    const { compareClaimRows, DEFAULT_CLAIM_SORT } = await import('../../shared/claims-sort.js');
    expect(await call(svc.dispatch, 'claims.table', { limit: 1 })).toEqual(
      [...full].sort(compareClaimRows(DEFAULT_CLAIM_SORT)).slice(0, 1),
    );
    expect((await call(svc.dispatch, 'claims.table', { limit: 5 })).map((r) => r.groupId)).toEqual([g1.id, g2.id]);

    // A write through the API shows at once.
    await call(svc.dispatch, 'groups.update', { id: g2.id, canonical: 'Europe leads, America supports' });
    expect((await call(svc.dispatch, 'claims.table', {})).find((r) => r.groupId === g2.id)?.canonical).toBe(
      'Europe leads, America supports',
    );

    // So does a write by another process on the same file (the CLI, the import worker).
    const { default: Database } = await import('better-sqlite3');
    const otherConnection = new Database(svc.file);
    otherConnection.prepare('UPDATE claim_groups SET canonical = ? WHERE id = ?').run('Renamed elsewhere', g1.id);
    otherConnection.close();
    expect((await call(svc.dispatch, 'claims.table', {})).find((r) => r.groupId === g1.id)?.canonical).toBe('Renamed elsewhere');
  });
});
