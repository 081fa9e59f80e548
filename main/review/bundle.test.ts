import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bundle } from '../../shared/bundle.js';
import { call } from '../api.js';
import { testService, type TestService } from '../test-support.js';
import { tagPhrase } from '../test-builders.js';

let alice: TestService;
let bob: TestService;
let ids: number[];
beforeEach(async () => {
  alice = await testService({ seed: true, annotator: 'Alice' });
  bob = await testService({ seed: false, annotator: 'Bob' });
  ids = (await call(alice.dispatch, 'articles.list', {})).map((a) => a.id);
});
afterEach(() => {
  alice.dispose();
  bob.dispose();
});

async function aliceWork() {
  const claim = await tagPhrase(alice, ids[0] ?? 0, 'Washington wants a peace deal with Russia', 'claim');
  const source = await tagPhrase(alice, ids[0] ?? 0, 'an unnamed European diplomat', 'source');
  const other = await tagPhrase(alice, ids[1] ?? 0, 'Washington is pushing for Ukraine to sign a peace deal', 'claim');
  await tagPhrase(alice, ids[1] ?? 0, 'insists it wants post-conflict assurances', 'opinion');
  const link = await call(alice.dispatch, 'links.create', { claimId: claim.id, sourceId: source.id, kind: 'unnamed' });
  const group = await call(alice.dispatch, 'groups.create', { annotationIds: [claim.id, other.id] });
  return { claim, source, other, link, group };
}

async function bundleOf(svc: TestService, annotator: string, includeText = true): Promise<Bundle> {
  return JSON.parse((await call(svc.dispatch, 'bundle.export', { annotator, includeText })).content) as Bundle;
}

function tableCounts(svc: TestService): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ['articles', 'annotations', 'source_links', 'claim_groups', 'claim_group_members', 'labels']) {
    out[t] = (svc.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  }
  return out;
}

describe('bundles', () => {
  it('round-trips articles, annotations, links and groups, keeping ids and annotators; a second import changes nothing', async () => {
    const work = await aliceWork();
    const bundle = await bundleOf(alice, 'Alice');
    expect(bundle).toMatchObject({ format: 'claimdesk-bundle', version: 1, annotator: 'Alice', offset_unit: 'codepoint' });
    expect(bundle.articles).toHaveLength(2);
    const report = await call(bob.dispatch, 'bundle.import', { fileName: 'alice.json', content: JSON.stringify(bundle) });
    expect(report).toMatchObject({
      articlesAdded: 2,
      annotationsAdded: 4,
      linksAdded: 1,
      groupsAdded: 1,
      membersAdded: 2,
      unanchored: [],
      reanchored: [],
    });
    const bobArticles = await call(bob.dispatch, 'articles.list', {});
    const list = await call(bob.dispatch, 'annotations.list', { articleId: bobArticles[0]?.id ?? 0 });
    const original = await call(alice.dispatch, 'annotations.list', { articleId: ids[0] ?? 0 });
    expect(list.map(({ articleId: _a, ...rest }) => rest)).toEqual(original.map(({ articleId: _a, ...rest }) => rest));
    expect((await call(bob.dispatch, 'claims.table', {}))[0]).toMatchObject({ groupId: work.group.id, instanceCount: 2 });

    const before = tableCounts(bob);
    const again = await call(bob.dispatch, 'bundle.import', { fileName: 'alice.json', content: JSON.stringify(bundle) });
    expect(again).toMatchObject({
      articlesAdded: 0,
      annotationsAdded: 0,
      annotationsAlreadyPresent: 4,
      linksAdded: 0,
      groupsAdded: 0,
      membersAdded: 0,
    });
    expect(tableCounts(bob)).toEqual(before);
    // Exporting Alice's work from Bob's library gives the same bundle.
    const roundTrip = await bundleOf(bob, 'Alice');
    expect({ ...roundTrip, exported_at: '' }).toEqual({ ...bundle, exported_at: '' });
  });

  it('carries source entities: the colleague’s entity arrives with its name and their sources; an own link is kept', async () => {
    const rubio = await tagPhrase(alice, ids[0] ?? 0, 'U.S. Secretary of State Marco Rubio', 'source');
    const short = await tagPhrase(alice, ids[1] ?? 0, 'Rubio', 'source', 'According to Politico');
    const entity = await call(alice.dispatch, 'entities.create', { annotationIds: [rubio.id, short.id] });
    const bundle = await bundleOf(alice, 'Alice');
    expect(bundle.source_entities).toEqual([
      {
        id: entity.id,
        name: 'Marco Rubio',
        created_by: 'Alice',
        created_at: entity.createdAt,
        updated_at: entity.updatedAt,
        members: [rubio.id, short.id].sort(),
      },
    ]);
    const report = await call(bob.dispatch, 'bundle.import', { fileName: 'alice.json', content: JSON.stringify(bundle) });
    expect(report).toMatchObject({ entitiesAdded: 1, entityMembersAdded: 2 });
    expect((await call(bob.dispatch, 'entities.list', {})).map((e) => [e.id, e.name, e.memberCount])).toEqual([
      [entity.id, 'Marco Rubio', 2],
    ]);
    // Again: nothing new.
    const again = await call(bob.dispatch, 'bundle.import', { fileName: 'alice.json', content: JSON.stringify(bundle) });
    expect(again.entitiesAdded ?? 0).toBe(0);
    // A bundle whose entity holds a claim is refused.
    const claim = await tagPhrase(alice, ids[0] ?? 0, 'Washington wants a peace deal with Russia', 'claim');
    const bad = { ...(await bundleOf(alice, 'Alice')) };
    bad.source_entities = [{ ...(bad.source_entities?.[0] as NonNullable<Bundle['source_entities']>[number]), members: [claim.id] }];
    const refused = await bob.dispatch('bundle.import', { fileName: 'bad.json', content: JSON.stringify(bad) });
    expect(!refused.ok && refused.error.message).toMatch(/source_entities.0: holds a claim annotation/);
  });

  it('never touches the importer’s own annotations', async () => {
    await aliceWork();
    const bundle = await bundleOf(alice, 'Alice');
    const mine = await tagPhrase(alice, ids[0] ?? 0, 'Europe is trying', 'claim'); // by Alice, but made after the export
    await call(alice.dispatch, 'settings.setAnnotator', { name: 'Carol' });
    const carols = await tagPhrase(alice, ids[0] ?? 0, 'the exact course', 'opinion');
    await call(alice.dispatch, 'bundle.import', { fileName: 'alice.json', content: JSON.stringify(bundle) });
    const list = await call(alice.dispatch, 'annotations.list', { articleId: ids[0] ?? 0 });
    expect(list.find((a) => a.id === carols.id)).toEqual(carols);
    expect(list.find((a) => a.id === mine.id)).toEqual(mine);
  });

  it('re-anchors into a slightly different copy of an article, and lists what it cannot place', async () => {
    const original =
      'Rubio told EU officials that Washington wants a peace deal first. Kyiv disagrees strongly.\n\nMoscow opposes one-sided guarantees.';
    const copy = 'On Friday, Rubio told EU officials that Washington wanted a peace deal first. Moscow opposes one-sided guarantees.';
    const mk = async (svc: TestService, text: string) =>
      (await call(svc.dispatch, 'articles.createFromText', { title: 'Peace deal first', text })).articleId ?? 0;
    const a = await mk(alice, original);
    await call(alice.dispatch, 'articles.update', { id: a, url: 'https://example.org/peace' });
    const b = await mk(bob, copy);
    await call(bob.dispatch, 'articles.update', { id: b, url: 'https://example.org/peace' });
    await tagPhrase(alice, a, 'Moscow opposes one-sided guarantees', 'claim');
    await tagPhrase(alice, a, 'Washington wants a peace deal first', 'claim');
    await tagPhrase(alice, a, 'Kyiv disagrees strongly', 'opinion');
    const bundle = await bundleOf(alice, 'Alice', false);
    bundle.articles = bundle.articles.filter((x) => x.url === 'https://example.org/peace');
    bundle.annotations = bundle.annotations.filter((x) => x.article === bundle.articles[0]?.content_hash);
    const report = await call(bob.dispatch, 'bundle.import', { fileName: 'alice.json', content: JSON.stringify(bundle) });
    expect(report.articlesMatched).toBe(1);
    expect(report.articlesAdded).toBe(0);
    expect(report.reanchored.map((r) => [r.quote, r.method])).toEqual([
      ['Washington wants a peace deal first', 'fuzzy'],
      ['Moscow opposes one-sided guarantees', 'exact'],
    ]);
    expect(report.unanchored.map((u) => u.quote)).toEqual(['Kyiv disagrees strongly']);
    const placed = await call(bob.dispatch, 'annotations.list', { articleId: b });
    for (const p of placed) expect([...copy].slice(p.start, p.end).join('')).toBe(p.quote);
    expect(placed.map((p) => p.quote)).toEqual(['Washington wanted a peace deal first', 'Moscow opposes one-sided guarantees']);
  });

  it('refuses bad bundles with a clear message and writes nothing', async () => {
    await aliceWork();
    const good = await bundleOf(alice, 'Alice');
    const noText = await bundleOf(alice, 'Alice', false);
    const sourceId = good.links[0]?.source_id as string;
    const claimArticle = good.annotations.find((a) => a.id === good.links[0]?.claim_id)?.article;
    const otherClaim = good.annotations.find((a) => a.label === 'claim' && a.article !== claimArticle)?.id as string;
    expect(otherClaim).toBeDefined();
    const cases: [string, string, RegExp][] = [
      ['not json', 'hello', /not JSON/],
      ['truncated', JSON.stringify(good).slice(0, 200), /truncated/],
      ['other format', JSON.stringify({ format: 'something-else' }), /not a Claimdesk annotation bundle/],
      ['future', JSON.stringify({ ...good, version: 7 }), /version 7 was written by a newer Claimdesk/],
      ['wrong shape', JSON.stringify({ ...good, annotations: [{ ...good.annotations[0], start: 'x' }] }), /annotations\.0\.start/],
      ['unknown article without text', JSON.stringify(noText), /is not in this library and the bundle does not carry its text/],
      [
        'offsets out of range',
        JSON.stringify({ ...good, annotations: [{ ...good.annotations[0], start: 99999, end: 100000 }] }),
        /outside its article/,
      ],
      [
        'tampered text',
        JSON.stringify({ ...good, articles: good.articles.map((a) => ({ ...a, text: `${a.text ?? ''}!` })) }),
        /does not match its content hash/,
      ],
      ['dangling annotation', JSON.stringify({ ...good, articles: [] }), /points at an article the bundle does not list/],
      [
        'link the wrong way round',
        JSON.stringify({ ...good, links: good.links.map((l) => ({ ...l, claim_id: l.source_id, source_id: l.claim_id })) }),
        /links\.0: links a source to a claim/,
      ],
      [
        'link across articles',
        JSON.stringify({ ...good, links: good.links.map((l) => ({ ...l, claim_id: otherClaim })) }),
        /links\.0: the claim and its source are in different articles/,
      ],
      [
        'group holding a source',
        JSON.stringify({ ...good, groups: good.groups.map((g) => ({ ...g, members: [...g.members, sourceId] })) }),
        /groups\.0: holds a source annotation/,
      ],
    ];
    for (const [name, content, message] of cases) {
      const before = tableCounts(bob);
      const r = await bob.dispatch('bundle.import', { fileName: 'bad.json', content });
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.error.message, name).toMatch(message);
      if (!r.ok) expect(r.error.message, name).toMatch(/^bad\.json: /);
      expect(tableCounts(bob), name).toEqual(before);
    }
  });
});
