import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { call } from '../api.js';
import { deleteAnnotation } from '../store/annotations.js';
import { addArticle, testService, type TestService } from '../test-support.js';
import { tagPhrase } from '../test-builders.js';
import { connect } from './connection.js';
import { addMember } from './members.js';
import { migrateTeam } from './schema.js';
import { startTestCluster, type TestCluster } from './test-cluster.js';

const TEXT = 'Officials in Kyiv said a peace deal was close. A senior diplomat said guarantees would come first.';
const OTHER = 'The ministry said nothing about the talks. Analysts doubted the timeline.';

let cluster: TestCluster;
let n = 0;
beforeAll(async () => {
  cluster = await startTestCluster();
  const lead = await connect(cluster.url);
  await migrateTeam(lead);
  await lead.end();
}, 60_000);
afterAll(() => cluster?.stop());

const open: TestService[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.dispose();
});

/** A fresh pair of members (names unique per test) and their libraries, both holding the same article, neither listening. */
async function pair(opts: { live?: boolean; batch?: { push?: number; pull?: number } } = {}) {
  n++;
  const names = { a: `Alice${n}`, b: `Bob${n}` };
  const lead = await connect(cluster.url);
  await addMember(lead, names.a, { reviewer: false, password: 'alice-password' });
  await addMember(lead, names.b, { reviewer: true, password: 'bob-password' });
  await lead.end();
  const a = await testService({ annotator: names.a });
  const b = await testService({ annotator: names.b });
  open.push(a, b);
  for (const s of [a, b]) {
    await s.team.close();
  }
  const { TeamSync } = await import('./sync.js');
  const events: { a: string[]; b: string[] } = { a: [], b: [] };
  const syncs = { a: 0, b: 0 };
  const batches = { a: 0, b: 0 };
  const mk = (s: TestService, who: 'a' | 'b') =>
    new TeamSync({
      db: s.db,
      emit: (e) => events[who].push(`${e.name}${e.articleId ? `:${e.articleId}` : ''}`),
      live: opts.live ?? false,
      maxRetryMs: 300,
      batch: opts.batch,
      onStep: (step) => {
        if (step === 'synced') syncs[who]++;
        if (step === 'pull') batches[who]++;
      },
    });
  const ta = mk(a, 'a');
  const tb = mk(b, 'b');
  // Texts of their own per test: the workspace is shared by every test in this file.
  const articleA = addArticle(a, `${TEXT} (${n})`, 'Talks');
  const articleB = addArticle(b, `${TEXT} (${n})`, 'Talks (B’s copy)');
  addArticle(b, `${OTHER} (${n})`, `Ministry ${n}`);
  return {
    a,
    b,
    ta,
    tb,
    names,
    articleA,
    articleB,
    events,
    syncs,
    batches,
    urlA: cluster.urlFor(names.a, 'alice-password'),
    urlB: cluster.urlFor(names.b, 'bob-password'),
  };
}

async function lead<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connect(cluster.url);
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe('team sync', () => {
  it('pushes my layer, pulls a colleague’s, matches articles by content hash', async () => {
    const { a, b, ta, tb, names, articleA, articleB, urlA, urlB } = await pair();
    const claim = await tagPhrase(a, articleA, 'a peace deal was close', 'claim');
    expect((await ta.join(urlA)).state).toBe('synced');
    expect(await tb.join(urlB)).toMatchObject({ state: 'synced', member: names.b, reviewer: true, waiting: 0 });
    // B's copy of the article is the same text: A's tag lands on it, not on a second copy.
    const atB = await call(b.dispatch, 'annotations.list', { articleId: articleB });
    expect(atB.map((x) => [x.id, x.annotator, x.quote])).toEqual([[claim.id, names.a, 'a peace deal was close']]);
    expect((await call(b.dispatch, 'articles.list', {})).filter((x) => x.title.startsWith('Talks')).length).toBe(1);
    // And B's other article reaches A.
    await ta.syncNow();
    expect((await call(a.dispatch, 'articles.list', {})).map((x) => x.title)).toContain(`Ministry ${n}`);
    // Nothing of A's layer goes back up from B.
    expect(tb.status().waiting).toBe(0);
  });

  it('takes a reviewer’s gold layer and decisions to the analyst, and agreement works on the synced layers', async () => {
    const { a, b, ta, tb, names, articleA, articleB, urlA, urlB } = await pair();
    await tagPhrase(a, articleA, 'a peace deal was close', 'claim');
    await tagPhrase(a, articleA, 'A senior diplomat', 'source');
    await ta.join(urlA);
    await tb.join(urlB);
    await tagPhrase(b, articleB, 'a peace deal was close', 'claim');
    const queue = await call(b.dispatch, 'review.queue', { a: names.a, b: names.b });
    const onlyA = queue.find((i) => i.kind === 'only_a');
    expect(onlyA).toBeDefined();
    await call(b.dispatch, 'review.decide', {
      a: names.a,
      b: names.b,
      itemKey: onlyA?.key ?? '',
      decision: 'accept_a',
      reason: 'named source',
    });
    await call(b.dispatch, 'review.acceptAgreed', { a: names.a, b: names.b });
    await tb.syncNow();
    await ta.syncNow();
    const gold = (await call(a.dispatch, 'annotations.list', { articleId: articleA })).filter((x) => x.annotator === 'gold');
    expect(gold.map((x) => x.quote).sort()).toEqual(['A senior diplomat', 'a peace deal was close']);
    // A sees B's decisions: the queue at A knows the items are decided.
    const atA = await call(a.dispatch, 'review.queue', { a: names.a, b: names.b });
    expect(atA.find((i) => i.kind === 'only_a')?.decision?.decision).toBe('accept_a');
    const log = (
      JSON.parse((await call(a.dispatch, 'review.exportLog', { format: 'json' })).content) as {
        decisions: { annotator_a: string; reviewer: string }[];
      }
    ).decisions;
    expect(log.filter((d) => d.annotator_a === names.a).map((d) => d.reviewer)).toEqual([names.b, names.b]);
    const agreement = await call(a.dispatch, 'review.agreement', { a: names.a, b: names.b });
    expect(agreement.articles.length).toBe(1);
  });

  it('refuses a delete of a colleague’s tag on the server, brings the tag back and lists the refusal', async () => {
    const { a, b, ta, tb, names, articleA, articleB, urlA, urlB } = await pair();
    const claim = await tagPhrase(a, articleA, 'a peace deal was close', 'claim');
    await ta.join(urlA);
    await tb.join(urlB);
    // The API refuses it (a colleague's layer is read-only); a library changed behind its back must still not win on the server.
    await expect(call(b.dispatch, 'annotations.delete', { id: claim.id })).rejects.toThrow(/read-only/);
    b.db.transaction(() => deleteAnnotation(b.db, claim.id))();
    const s = await tb.syncNow();
    expect(s.refused).toHaveLength(1);
    expect(s.refused[0]?.what).toBe(`Deleting ${names.a}’s claim tag “a peace deal was close”`);
    expect(s.refused[0]?.reason).toMatch(/another member’s layer/);
    expect(s.waiting).toBe(0);
    // The tag is A's, still on the server, and back in B's library.
    expect((await call(b.dispatch, 'annotations.list', { articleId: articleB })).map((x) => x.id)).toEqual([claim.id]);
    expect(await lead((c) => c.query('SELECT deleted FROM claimdesk.annotations WHERE id = $1', [claim.id]).then((r) => r.rows))).toEqual([
      { deleted: false },
    ]);
    await ta.syncNow();
    expect((await call(a.dispatch, 'annotations.list', { articleId: articleA })).map((x) => x.annotator)).toEqual([names.a]);
    expect(tb.dismiss('all').refused).toEqual([]);
  });

  it('sends deletions as tombstones, and applying a change twice changes nothing', async () => {
    const { a, b, ta, tb, articleA, articleB, urlA, urlB } = await pair();
    const claim = await tagPhrase(a, articleA, 'a peace deal was close', 'claim');
    const other = await tagPhrase(a, articleA, 'guarantees would come first', 'opinion');
    await ta.join(urlA);
    await tb.join(urlB);
    await call(a.dispatch, 'annotations.delete', { id: other.id });
    await call(a.dispatch, 'annotations.update', { id: claim.id, note: 'checked' });
    await ta.syncNow();
    const before = await lead((c) =>
      c
        .query('SELECT id, deleted, note, tx::text FROM claimdesk.annotations WHERE id = ANY($1) ORDER BY id', [[claim.id, other.id]])
        .then((r) => r.rows),
    );
    // As if the push's acknowledgement had been lost: the same changes go again.
    a.db
      .prepare("INSERT INTO team_outbox (kind, ref, field, at) VALUES ('annotation', ?, '', 'x'), ('annotation', ?, '', 'x')")
      .run(claim.id, other.id);
    await ta.syncNow();
    const after = await lead((c) =>
      c
        .query('SELECT id, deleted, note, tx::text FROM claimdesk.annotations WHERE id = ANY($1) ORDER BY id', [[claim.id, other.id]])
        .then((r) => r.rows),
    );
    expect(after).toEqual(before);
    expect(before.map((r: { deleted: boolean }) => r.deleted).sort()).toEqual([false, true]);
    await tb.syncNow();
    await tb.syncNow();
    const atB = await call(b.dispatch, 'annotations.list', { articleId: articleB });
    expect(atB.map((x) => [x.id, x.note])).toEqual([[claim.id, 'checked']]);
  });

  it('shares claim groups: per-field last writer wins, every change in the history', async () => {
    const { a, b, ta, tb, articleA, urlA, urlB } = await pair();
    const claim = await tagPhrase(a, articleA, 'a peace deal was close', 'claim');
    const group = await call(a.dispatch, 'groups.create', { canonical: 'Deal is close', annotationIds: [claim.id] });
    await ta.join(urlA);
    await tb.join(urlB);
    // Both edit while apart: A the wording, B the note, then B the wording later.
    await call(a.dispatch, 'groups.update', { id: group.id, canonical: 'A peace deal is close' });
    await call(b.dispatch, 'groups.update', { id: group.id, note: 'from B' });
    await new Promise((r) => setTimeout(r, 5));
    await call(b.dispatch, 'groups.update', { id: group.id, canonical: 'Peace deal close (B)' });
    await ta.syncNow();
    await tb.syncNow();
    await ta.syncNow();
    for (const s of [a, b]) {
      const g = (await call(s.dispatch, 'groups.list', {})).find((x) => x.id === group.id);
      expect(g).toMatchObject({ canonical: 'Peace deal close (B)', note: 'from B', memberCount: 1 });
    }
    const history = await call(a.dispatch, 'groups.history', { id: group.id });
    expect(history.length).toBeGreaterThanOrEqual(4);
  });

  it('works offline: changes wait, the status says so, and nothing is lost when the server returns', async () => {
    const { a, b, ta, tb, articleA, articleB, urlA, urlB } = await pair();
    await ta.join(urlA);
    await tb.join(urlB);
    cluster.pause();
    try {
      const claim = await tagPhrase(a, articleA, 'a peace deal was close', 'claim');
      await expect(ta.syncNow()).rejects.toThrow(/cannot reach/);
      expect(ta.status()).toMatchObject({ state: 'offline', waiting: 1 });
      cluster.start();
      expect((await ta.syncNow()).state).toBe('synced');
      await tb.syncNow();
      expect((await call(b.dispatch, 'annotations.list', { articleId: articleB })).map((x) => x.id)).toEqual([claim.id]);
    } finally {
      try {
        cluster.start();
      } catch {
        // already running
      }
    }
  });

  it('says a wrong password in words', async () => {
    const { ta, names } = await pair();
    await expect(ta.join(cluster.urlFor(names.a, 'wrong-password'))).rejects.toThrow(/wrong user name or password/);
    expect(ta.status().joined).toBe(false);
  });

  it('brings a colleague’s change live, without polling', async () => {
    const { a, b, ta, tb, articleA, articleB, events, urlA, urlB } = await pair({ live: true });
    await ta.join(urlA);
    await tb.join(urlB);
    await new Promise((r) => setTimeout(r, 200));
    events.b.length = 0;
    const claim = await tagPhrase(a, articleA, 'a peace deal was close', 'claim');
    ta.nudge();
    const t0 = Date.now();
    while (!events.b.includes(`annotations.changed:${articleB}`) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(events.b).toContain(`annotations.changed:${articleB}`);
    expect((await call(b.dispatch, 'annotations.list', { articleId: articleB })).map((x) => x.id)).toEqual([claim.id]);
    await ta.close();
    await tb.close();
  });

  it('pulls once per colleague’s change: the echo of its own push and a notice already pulled start no sync', async () => {
    const { a, ta, tb, articleA, articleB, events, syncs, urlA, urlB } = await pair({ live: true });
    await ta.join(urlA);
    await tb.join(urlB);
    const settle = async () => {
      for (let before = -1; before !== syncs.a + syncs.b;) {
        before = syncs.a + syncs.b;
        await new Promise((r) => setTimeout(r, 400));
      }
    };
    await settle();
    events.b.length = 0;
    const start = { ...syncs };
    await tagPhrase(a, articleA, 'a peace deal was close', 'claim');
    ta.nudge();
    await settle();
    expect(events.b).toContain(`annotations.changed:${articleB}`);
    // A: the push (its own notice comes back and is ignored); B: the pull.
    expect({ a: syncs.a - start.a, b: syncs.b - start.b }).toEqual({ a: 1, b: 1 });
    await ta.close();
    await tb.close();
  });

  it('carries metadata edits: article title and outlet, notes, label deletion, group wording and notes', async () => {
    const { a, b, ta, tb, articleA, articleB, urlA, urlB } = await pair();
    const claim = await tagPhrase(a, articleA, 'a peace deal was close', 'claim');
    const label = await call(a.dispatch, 'labels.create', { name: `Hedge ${n}`, color: '#336699', shortcut: '9' });
    const group = await call(a.dispatch, 'groups.create', { canonical: 'A deal is close', annotationIds: [claim.id] });
    await ta.join(urlA);
    await tb.join(urlB);
    expect((await call(b.dispatch, 'labels.list', {})).map((l) => l.id)).toContain(label.id);

    // A edits what B already has.
    await call(a.dispatch, 'articles.update', { id: articleA, title: `Peace talks ${n}`, outlet: 'The Courier' });
    await call(a.dispatch, 'annotations.update', { id: claim.id, note: 'check the date' });
    await call(a.dispatch, 'labels.delete', { id: label.id });
    await call(a.dispatch, 'groups.update', { id: group.id, canonical: 'The deal is close', note: 'two outlets say so' });
    await ta.syncNow();
    await tb.syncNow();
    const article = await call(b.dispatch, 'articles.get', { id: articleB });
    expect({ title: article.title, outlet: article.outlet }).toEqual({ title: `Peace talks ${n}`, outlet: 'The Courier' });
    expect((await call(b.dispatch, 'annotations.list', { articleId: articleB })).find((x) => x.id === claim.id)?.note).toBe(
      'check the date',
    );
    expect((await call(b.dispatch, 'labels.list', {})).map((l) => l.id)).not.toContain(label.id);
    const atB = (await call(b.dispatch, 'groups.list', {})).find((g) => g.id === group.id);
    expect({ canonical: atB?.canonical, note: atB?.note }).toEqual({ canonical: 'The deal is close', note: 'two outlets say so' });

    // And back: B's later edits of the shared fields win at A.
    await call(b.dispatch, 'articles.update', { id: articleB, outlet: 'The Herald' });
    await call(b.dispatch, 'groups.update', { id: group.id, note: 'three outlets now' });
    await tb.syncNow();
    await ta.syncNow();
    const back = await call(a.dispatch, 'articles.get', { id: articleA });
    expect({ title: back.title, outlet: back.outlet }).toEqual({ title: `Peace talks ${n}`, outlet: 'The Herald' });
    expect((await call(a.dispatch, 'groups.list', {})).find((g) => g.id === group.id)?.note).toBe('three outlets now');
  });

  it('takes a colleague’s few changes in one query, and a long backlog in batches with progress', async () => {
    const { a, b, ta, tb, articleA, articleB, batches, urlA, urlB } = await pair({ batch: { pull: 2 } });
    await ta.join(urlA);
    await tb.join(urlB);
    await tagPhrase(a, articleA, 'a peace deal was close', 'claim');
    await ta.syncNow();
    batches.b = 0;
    await tb.syncNow();
    expect(batches.b).toBe(0);
    for (const phrase of ['Officials in Kyiv', 'A senior diplomat', 'guarantees would come first', 'said a peace deal'])
      await tagPhrase(a, articleA, phrase, 'claim');
    await ta.syncNow();
    await tb.syncNow();
    expect(batches.b).toBeGreaterThanOrEqual(2);
    expect((await call(b.dispatch, 'annotations.list', { articleId: articleB })).filter((x) => x.annotator !== 'gold')).toHaveLength(5);
    expect(tb.status().state).toBe('synced');
  });
});
