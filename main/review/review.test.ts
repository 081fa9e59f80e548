import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../api.js';
import { testService, type TestService } from '../test-support.js';
import { tagPhrase } from '../test-builders.js';
import { codingTable } from './agreement.js';

let svc: TestService;
let article: number;
beforeEach(async () => {
  svc = await testService({ seed: true, annotator: 'Alice' });
  article = (await call(svc.dispatch, 'articles.list', {}))[1]?.id ?? 0; // "US Urges Ukraine to Sign Peace Deal…"
  // Alice
  await tagPhrase(svc, article, 'Washington is pushing for Ukraine to sign a peace deal', 'claim');
  await tagPhrase(svc, article, 'a report by Politico', 'source');
  await tagPhrase(svc, article, 'Marco Rubio', 'source');
  await tagPhrase(svc, article, 'insists it wants post-conflict assurances', 'opinion');
  await tagPhrase(svc, article, 'one-sided guarantees aimed at containing Russia', 'opinion');
  // Bob
  await call(svc.dispatch, 'settings.setAnnotator', { name: 'Bob' });
  await tagPhrase(svc, article, 'Washington is pushing for Ukraine to sign a peace deal', 'claim'); // agreed
  await tagPhrase(svc, article, 'a report by Politico', 'opinion'); // label conflict
  await tagPhrase(svc, article, 'Secretary of State Marco Rubio', 'source'); // boundary conflict
  await tagPhrase(svc, article, 'capping its army at 600,000 troops', 'claim'); // only B
  await call(svc.dispatch, 'settings.setAnnotator', { name: 'Rita Reviewer' });
});
afterEach(() => svc.dispose());

describe('comparing two annotators', () => {
  it('classifies every tag: agreed, label conflict, boundary conflict, only A, only B', async () => {
    const items = await call(svc.dispatch, 'review.queue', { a: 'Alice', b: 'Bob' });
    expect(items.map((i) => [i.kind, i.a?.quote ?? null, i.b?.quote ?? null])).toEqual([
      ['agreed', 'Washington is pushing for Ukraine to sign a peace deal', 'Washington is pushing for Ukraine to sign a peace deal'],
      ['label', 'a report by Politico', 'a report by Politico'],
      ['boundary', 'Marco Rubio', 'Secretary of State Marco Rubio'],
      ['only_a', 'insists it wants post-conflict assurances', null],
      ['only_a', 'one-sided guarantees aimed at containing Russia', null],
      ['only_b', null, 'capping its army at 600,000 troops'],
    ]);
  });

  it('writes decisions to the gold layer and the log; a new decision replaces the old gold', async () => {
    const items = await call(svc.dispatch, 'review.queue', { a: 'Alice', b: 'Bob' });
    const [agreed, label, boundary, onlyA] = items;
    expect(await call(svc.dispatch, 'review.acceptAgreed', { a: 'Alice', b: 'Bob' })).toEqual({ accepted: 1 });
    await call(svc.dispatch, 'review.decide', {
      a: 'Alice',
      b: 'Bob',
      itemKey: label?.key ?? '',
      decision: 'accept_a',
      reason: 'Politico is the source',
    });
    await call(svc.dispatch, 'review.decide', { a: 'Alice', b: 'Bob', itemKey: boundary?.key ?? '', decision: 'accept_b' });
    await call(svc.dispatch, 'review.decide', {
      a: 'Alice',
      b: 'Bob',
      itemKey: onlyA?.key ?? '',
      decision: 'reject',
      reason: 'not an opinion',
    });
    const gold = () =>
      call(svc.dispatch, 'annotations.list', { articleId: article }).then((l) =>
        l.filter((x) => x.annotator === 'gold').map((x) => [x.label, x.quote]),
      );
    expect(await gold()).toEqual([
      ['claim', 'Washington is pushing for Ukraine to sign a peace deal'],
      ['source', 'a report by Politico'],
      ['source', 'Secretary of State Marco Rubio'],
    ]);
    // Changing one's mind replaces the gold of that item.
    const decided = await call(svc.dispatch, 'review.decide', {
      a: 'Alice',
      b: 'Bob',
      itemKey: boundary?.key ?? '',
      decision: 'edit',
      edit: { start: boundary?.b?.start ?? 0, end: boundary?.b?.end ?? 0, label: 'opinion' },
      reason: 'loaded title',
    });
    expect(decided.decision).toMatchObject({ decision: 'edit', reviewer: 'Rita Reviewer', reason: 'loaded title' });
    expect(await gold()).toEqual([
      ['claim', 'Washington is pushing for Ukraine to sign a peace deal'],
      ['source', 'a report by Politico'],
      ['opinion', 'Secretary of State Marco Rubio'],
    ]);
    const log = await call(svc.dispatch, 'review.exportLog', { format: 'json' });
    const decisions = (JSON.parse(log.content) as { decisions: { decision: string; reviewer: string; kind: string }[] }).decisions;
    expect(decisions.map((d) => [d.kind, d.decision])).toEqual([
      ['agreed', 'accept_a'],
      ['label', 'accept_a'],
      ['boundary', 'accept_b'],
      ['only_a', 'reject'],
      ['boundary', 'edit'],
    ]);
    expect((await call(svc.dispatch, 'review.exportLog', { format: 'csv' })).content.split('\r\n')[0]).toBe(
      'id,at,reviewer,article_id,item_key,kind,annotator_a,annotator_b,a_id,b_id,decision,reason,gold_ids',
    );
    expect(agreed?.decision).toBeNull();
  });

  it('carries source links into the gold layer when both ends are accepted', async () => {
    const list = await call(svc.dispatch, 'annotations.list', { articleId: article });
    const claim = list.find((x) => x.annotator === 'Alice' && x.label === 'claim');
    const source = list.find((x) => x.annotator === 'Alice' && x.quote === 'a report by Politico');
    await call(svc.dispatch, 'settings.setAnnotator', { name: 'Alice' });
    await call(svc.dispatch, 'links.create', { claimId: claim?.id ?? '', sourceId: source?.id ?? '', kind: 'paraphrase' });
    await call(svc.dispatch, 'settings.setAnnotator', { name: 'Rita Reviewer' });
    const items = await call(svc.dispatch, 'review.queue', { a: 'Alice', b: 'Bob' });
    await call(svc.dispatch, 'review.acceptAgreed', { a: 'Alice', b: 'Bob' });
    await call(svc.dispatch, 'review.decide', { a: 'Alice', b: 'Bob', itemKey: items[1]?.key ?? '', decision: 'accept_a' });
    const { links } = await call(svc.dispatch, 'claims.forArticle', { articleId: article });
    const after = await call(svc.dispatch, 'annotations.list', { articleId: article });
    const goldIds = new Set(after.filter((x) => x.annotator === 'gold').map((x) => x.id));
    expect(links.filter((l) => goldIds.has(l.claimId) && goldIds.has(l.sourceId)).map((l) => l.kind)).toEqual(['paraphrase']);
  });
});

describe('a decision belongs to the pair, whatever the A/B order', () => {
  const goldRows = () =>
    call(svc.dispatch, 'annotations.list', { articleId: article }).then((l) => l.filter((x) => x.annotator === 'gold'));

  it('shows decisions made as Alice/Bob when the pair is chosen as Bob/Alice, with accept A and B swapped', async () => {
    const items = await call(svc.dispatch, 'review.queue', { a: 'Alice', b: 'Bob' });
    await call(svc.dispatch, 'review.decide', { a: 'Alice', b: 'Bob', itemKey: items[1]?.key ?? '', decision: 'accept_a' });
    await call(svc.dispatch, 'review.decide', { a: 'Alice', b: 'Bob', itemKey: items[3]?.key ?? '', decision: 'reject' });
    const swapped = await call(svc.dispatch, 'review.queue', { a: 'Bob', b: 'Alice' });
    const label = swapped.find((i) => i.kind === 'label');
    expect(label?.key).toBe(items[1]?.key);
    expect(label?.decision?.decision).toBe('accept_b');
    expect(label?.a?.annotator).toBe('Bob');
    expect(
      swapped
        .filter((i) => i.decision)
        .map((i) => i.decision?.decision)
        .sort(),
    ).toEqual(['accept_b', 'reject']);
  });

  it('accepting the agreed tags again in the other order writes no second gold tag', async () => {
    expect(await call(svc.dispatch, 'review.acceptAgreed', { a: 'Alice', b: 'Bob' })).toEqual({ accepted: 1 });
    expect(await call(svc.dispatch, 'review.acceptAgreed', { a: 'Bob', b: 'Alice' })).toEqual({ accepted: 0 });
    const items = await call(svc.dispatch, 'review.queue', { a: 'Bob', b: 'Alice' });
    const agreed = items.find((i) => i.kind === 'agreed');
    await call(svc.dispatch, 'review.decide', { a: 'Bob', b: 'Alice', itemKey: agreed?.key ?? '', decision: 'accept_both' });
    await call(svc.dispatch, 'review.decide', { a: 'Bob', b: 'Alice', itemKey: agreed?.key ?? '', decision: 'accept_a' });
    expect((await goldRows()).map((g) => g.quote)).toEqual(['Washington is pushing for Ukraine to sign a peace deal']);
  });

  it('a tag accepted from two pairs is one gold tag, kept while either decision holds it', async () => {
    await call(svc.dispatch, 'settings.setAnnotator', { name: 'Carol' });
    await tagPhrase(svc, article, 'Washington is pushing for Ukraine to sign a peace deal', 'claim');
    await call(svc.dispatch, 'settings.setAnnotator', { name: 'Rita Reviewer' });
    await call(svc.dispatch, 'review.acceptAgreed', { a: 'Alice', b: 'Bob' });
    await call(svc.dispatch, 'review.acceptAgreed', { a: 'Alice', b: 'Carol' });
    expect(await goldRows()).toHaveLength(1);
    const agreed = (await call(svc.dispatch, 'review.queue', { a: 'Alice', b: 'Bob' })).find((i) => i.kind === 'agreed');
    await call(svc.dispatch, 'review.decide', { a: 'Alice', b: 'Bob', itemKey: agreed?.key ?? '', decision: 'reject' });
    expect(await goldRows()).toHaveLength(1);
  });

  it('the database refuses a second gold tag over the same span with the same label', async () => {
    const [first] = await call(svc.dispatch, 'annotations.list', { articleId: article });
    const insert = svc.db.prepare(
      "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES (?, ?, ?, ?, '', '', '', ?, 'gold', '', 'now', 'now')",
    );
    insert.run('g1', article, first?.start, first?.end, first?.label);
    expect(() => insert.run('g2', article, first?.start, first?.end, first?.label)).toThrow(/UNIQUE/);
  });
});

describe('agreement', () => {
  it('reports figures equal to NLTK on the same token coding table', async () => {
    const report = await call(svc.dispatch, 'review.agreement', { a: 'Alice', b: 'Bob' });
    expect(report.articles).toHaveLength(1);
    expect(report.overall.spanExact).toMatchObject({ a: 5, b: 4, matched: 1 });
    expect(report.overall.spanOverlap).toMatchObject({ matched: 2 });
    const table = codingTable(svc.db, 'Alice', 'Bob');
    // Reference: NLTK's AnnotationTask on the very same (coder, item, label) rows.
    const py = `
import json, sys
from nltk.metrics.agreement import AnnotationTask
rows = json.load(sys.stdin)
t = AnnotationTask(data=[(r['coder'], r['item'], r['category']) for r in rows])
print(json.dumps({'kappa': t.kappa(), 'alpha': t.alpha()}))
`;
    const run = spawnSync('/usr/bin/python3', ['-c', py], { input: JSON.stringify(table), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const ref = JSON.parse(run.stdout) as { kappa: number; alpha: number };
    expect(report.overall.cohen).toBeCloseTo(ref.kappa, 10);
    expect(report.overall.alpha).toBeCloseTo(ref.alpha, 10);
    const claimTable = codingTable(svc.db, 'Alice', 'Bob', undefined, 'claim');
    const runClaim = spawnSync('/usr/bin/python3', ['-c', py], { input: JSON.stringify(claimTable), encoding: 'utf8' });
    const refClaim = JSON.parse(runClaim.stdout) as { kappa: number; alpha: number };
    expect(report.perLabel.find((l) => l.label === 'claim')?.cohen).toBeCloseTo(refClaim.kappa, 10);
    expect(report.explanations.cohen).toMatch(/untagged tokens count/);
    expect((await call(svc.dispatch, 'review.exportAgreement', { a: 'Alice', b: 'Bob', format: 'csv' })).content).toMatch(
      /^scope,tokens,cohen_kappa/,
    );
  });
});
