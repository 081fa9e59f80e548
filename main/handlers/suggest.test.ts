import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../api.js';
import { openDatabase, type Db } from '../store/database.js';
import { testService, type TestService } from '../test-support.js';
import { SimilarityIndex, cosine } from '../../shared/similarity.js';
import type { Suggestion } from '../../shared/schemas.js';
import { claimQuotes } from '../store/claim-instances.js';
import { groupOf, listGroups } from '../store/groups.js';
import { SimilarClaims } from '../store/similar-claims.js';

/** The suggestions as they were computed before the index was kept: the whole corpus read and vectorised on every call. */
function reference(db: Db, claim: { id: string; articleId: number; quote: string }, limit: number): Suggestion[] {
  const claims = claimQuotes(db);
  const groups = listGroups(db);
  const own = groupOf(db, claim.id);
  const index = new SimilarityIndex([...claims.map((c) => c.quote), ...groups.map((g) => g.canonical)]);
  const target = index.vector(claim.quote);
  const score = (text: string) => cosine(target, index.vector(text));
  const byGroup = new Map<string, number>();
  for (const c of claims) if (c.groupId && c.id !== claim.id) byGroup.set(c.groupId, Math.max(byGroup.get(c.groupId) ?? 0, score(c.quote)));
  const out: Suggestion[] = [];
  for (const g of groups)
    if (g.id !== own)
      out.push({
        kind: 'group',
        id: g.id,
        text: g.canonical,
        articleTitle: null,
        outlet: null,
        score: Math.max(score(g.canonical), byGroup.get(g.id) ?? 0),
      });
  for (const c of claims)
    if (!c.groupId && c.articleId !== claim.articleId)
      out.push({ kind: 'claim', id: c.id, text: c.quote, articleTitle: c.title, outlet: c.outlet, score: score(c.quote) });
  return out
    .filter((s) => s.score >= 0.12)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((s) => ({ ...s, score: Math.round(s.score * 1000) / 1000 }));
}

let svc: TestService;
beforeEach(async () => {
  svc = await testService({ seed: true });
});
afterEach(() => svc.dispose());

/** Tags every sentence of every seed article as a claim (the seeds' claims across outlets, and many more); groups a few. */
async function tagSentences(): Promise<{ id: string; articleId: number; quote: string }[]> {
  const out: { id: string; articleId: number; quote: string }[] = [];
  for (const a of await call(svc.dispatch, 'articles.list', {})) {
    const { text } = await call(svc.dispatch, 'articles.get', { id: a.id });
    for (const m of text.matchAll(/[A-Z][^.!?\n]{20,200}[.!?]/gu)) {
      const start = [...text.slice(0, m.index)].length;
      const ann = await call(svc.dispatch, 'annotations.create', {
        articleId: a.id,
        start,
        end: start + [...m[0]].length,
        quote: m[0],
        label: 'claim',
      });
      out.push({ id: ann.id, articleId: a.id, quote: ann.quote });
    }
  }
  return out;
}

const allSuggestions = (db: Db, index: SimilarClaims, claims: readonly { id: string; articleId: number; quote: string }[]) =>
  claims.map((c) => index.suggest(db, c, 50));
const allReference = (db: Db, claims: readonly { id: string; articleId: number; quote: string }[]) =>
  claims.map((c) => reference(db, c, 50));

describe('similar claims', () => {
  it('rank the seeds’ claims as the whole-corpus computation does, for every claim', async () => {
    const claims = await tagSentences();
    expect(claims.length).toBeGreaterThan(60);
    const g = await call(svc.dispatch, 'groups.create', {
      annotationIds: [claims[0]?.id ?? '', claims[40]?.id ?? ''],
      canonical: 'A peace deal before security guarantees',
    });
    expect(g.id).toBeTruthy();
    const index = new SimilarClaims();
    expect(allSuggestions(svc.db, index, claims)).toEqual(allReference(svc.db, claims));
    // The API answers from the same index.
    const first = claims[1] as { id: string };
    expect(await call(svc.dispatch, 'groups.suggest', { annotationId: first.id, limit: 5 })).toEqual(
      reference(svc.db, claims[1] as never, 5),
    );
  });

  it('follow tags, relabels, deletions and group changes without a rebuild, also those of another connection', async () => {
    const claims = await tagSentences();
    const index = new SimilarClaims();
    allSuggestions(svc.db, index, claims.slice(0, 1));
    expect(index.lastRefresh).toBe('full');
    const [c0, c1, c2, c3, c4, c5] = claims as [
      (typeof claims)[0],
      (typeof claims)[0],
      (typeof claims)[0],
      (typeof claims)[0],
      (typeof claims)[0],
      (typeof claims)[0],
    ];
    const check = (live: typeof claims) => {
      index.refresh(svc.db);
      expect(index.lastRefresh).toBe('incremental');
      // Every fifth claim and the ones changed (the whole-corpus reference is slow).
      const some = live.filter((c, i) => i % 5 === 0 || [c0, c1, c2, c3, c4, c5].includes(c));
      expect(allSuggestions(svc.db, index, some)).toEqual(allReference(svc.db, some));
    };
    let live = [...claims];
    // A group made, renamed, merged; a claim moved out.
    const g1 = await call(svc.dispatch, 'groups.create', {
      annotationIds: [c0.id, c3.id],
      canonical: 'Security guarantees after the deal',
    });
    check(live);
    await call(svc.dispatch, 'groups.update', { id: g1.id, canonical: 'Washington wants the deal first' });
    check(live);
    const g2 = await call(svc.dispatch, 'groups.create', { annotationIds: [c1.id], canonical: 'Europe leads' });
    await call(svc.dispatch, 'groups.merge', { intoId: g1.id, fromId: g2.id });
    check(live);
    await call(svc.dispatch, 'groups.unassign', { annotationId: c3.id });
    check(live);
    // A relabel away and back, a deletion.
    await call(svc.dispatch, 'annotations.update', { id: c2.id, label: 'source' });
    live = live.filter((c) => c.id !== c2.id);
    check(live);
    await call(svc.dispatch, 'annotations.update', { id: c2.id, label: 'claim' });
    live = [...live, c2];
    check(live);
    await call(svc.dispatch, 'annotations.delete', { id: c4.id });
    live = live.filter((c) => c.id !== c4.id);
    check(live);
    // Another connection (the command line, a bundle) tags and groups.
    const other = openDatabase(svc.db.name);
    try {
      other.prepare("UPDATE annotations SET label = 'opinion' WHERE id = ?").run(c5.id);
      other.prepare("UPDATE claim_groups SET canonical = 'Renamed elsewhere' WHERE id = ?").run(g1.id);
    } finally {
      other.close();
    }
    live = live.filter((c) => c.id !== c5.id);
    check(live);
    // A fresh index agrees.
    expect(allSuggestions(svc.db, new SimilarClaims(), live)).toEqual(allSuggestions(svc.db, index, live));
  });
});
