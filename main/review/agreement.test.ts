import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bCubed,
  cohensKappa,
  fleissKappa,
  krippendorffAlpha,
  spanAgreement,
  tokenCodings,
  type Coding,
  type Span,
} from '../../shared/agreement.js';
import type { Annotation } from '../../shared/schemas.js';
import type { AgreementReport } from '../../shared/review.js';
import { rng } from '../../bench/corpus.js';
import { testService, type TestService } from '../test-support.js';
import { call } from '../api.js';
import type { Db } from '../store/database.js';
import { getArticle, insertArticle } from '../store/articles.js';
import { insertAnnotation, listAnnotations } from '../store/annotations.js';
import { groupOf, insertGroup, setMembership } from '../store/groups.js';
import { listLabels } from '../store/labels.js';
import { agreementReport, codingRows, METRIC_EXPLANATIONS } from './agreement.js';
import { compareArticle, reviewArticles, reviewQueue } from './review.js';
import { reviewQueuePage } from './queue-page.js';
import { spansByArticle } from '../store/agreement.js';

/** The report as computed before it was streamed: every coding of every article in memory, then the figures over them. */
function referenceReport(db: Db, a: string, b: string): AgreementReport {
  const ids = reviewArticles(db, a, b);
  const labels = listLabels(db).map((l) => l.id);
  const spansOf = (list: readonly Annotation[], label?: string): Span[] =>
    list.filter((x) => !label || x.label === label).map((x) => ({ start: x.start, end: x.end, label: x.label }));
  const perArticle: AgreementReport['articles'] = [];
  const all: Coding[] = [];
  const byLabel = new Map<string, Coding[]>(labels.map((l) => [l, []]));
  const spansA: Span[] = [];
  const spansB: Span[] = [];
  const multi: Coding[] = [];
  const fleissAnnotators = new Set<string>();
  const clusterA = new Map<string, string>();
  const clusterB = new Map<string, string>();
  for (const id of ids) {
    const article = getArticle(db, id);
    if (!article) continue;
    const anns = listAnnotations(db, id).filter((x) => x.annotator !== 'gold');
    const mine = anns.filter((x) => x.annotator === a);
    const theirs = anns.filter((x) => x.annotator === b);
    const codings = tokenCodings(String(id), article.text, { [a]: spansOf(mine), [b]: spansOf(theirs) });
    all.push(...codings);
    for (const l of labels)
      byLabel.get(l)?.push(...tokenCodings(String(id), article.text, { [a]: spansOf(mine), [b]: spansOf(theirs) }, l));
    const shift = (s: Span): Span => ({ ...s, start: s.start + id * 1e9, end: s.end + id * 1e9 });
    spansA.push(...spansOf(mine).map(shift));
    spansB.push(...spansOf(theirs).map(shift));
    const coders: Record<string, Span[]> = {};
    for (const x of anns) (coders[x.annotator] ??= []).push({ start: x.start, end: x.end, label: x.label });
    Object.keys(coders).forEach((c) => fleissAnnotators.add(c));
    multi.push(...tokenCodings(String(id), article.text, coders));
    perArticle.push({
      id,
      title: article.title,
      tokens: codings.length / 2,
      cohen: cohensKappa(codings, a, b),
      alpha: krippendorffAlpha(codings),
      spanOverlapF1: spanAgreement(spansOf(mine), spansOf(theirs), 'overlap').f1,
    });
    for (const item of compareArticle(
      mine.filter((x) => x.label === 'claim'),
      theirs.filter((x) => x.label === 'claim'),
    )) {
      if (!item.a || !item.b) continue;
      clusterA.set(item.a.id, groupOf(db, item.a.id) ?? `single:${item.a.id}`);
      clusterB.set(item.a.id, groupOf(db, item.b.id) ?? `single:${item.b.id}`);
    }
  }
  const fleissCoders = [...fleissAnnotators].sort();
  return {
    a,
    b,
    articles: perArticle,
    tokens: all.length / 2,
    overall: {
      cohen: cohensKappa(all, a, b),
      alpha: krippendorffAlpha(all),
      spanExact: spanAgreement(spansA, spansB, 'exact'),
      spanOverlap: spanAgreement(spansA, spansB, 'overlap'),
      fleiss: fleissCoders.length >= 3 ? fleissKappa(multi, fleissCoders) : null,
      fleissAnnotators: fleissCoders.length >= 3 ? fleissCoders : [],
    },
    perLabel: labels.map((label) => {
      const codings = byLabel.get(label) ?? [];
      return {
        label,
        cohen: cohensKappa(codings, a, b),
        alpha: krippendorffAlpha(codings),
        spanExact: spanAgreement(
          spansA.filter((s) => s.label === label),
          spansB.filter((s) => s.label === label),
          'exact',
        ),
        spanOverlap: spanAgreement(
          spansA.filter((s) => s.label === label),
          spansB.filter((s) => s.label === label),
          'overlap',
        ),
      };
    }),
    grouping: bCubed(clusterA, clusterB),
    explanations: METRIC_EXPLANATIONS,
  };
}

/** Numbers compared to 12 significant digits (sums taken in another order differ in the last bits); everything else exactly. */
function expectSameFigures(actual: unknown, expected: unknown, path = 'report'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
  } else if (expected && typeof expected === 'object') {
    expect(typeof actual, path).toBe('object');
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected))
      expectSameFigures((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

const WORDS =
  'the deal must come before security guarantees said officials in Kyiv and Moscow while ceasefire talks stall — naïve 🇺🇦 plans'.split(' ');

/** Articles tagged by three or four annotators with random overlapping spans, labels and claim groups. */
function randomCorpus(db: Db, seed: number): void {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const now = new Date().toISOString();
  const groups = Array.from({ length: 4 }, (_, i) => {
    const id = randomUUID();
    insertGroup(db, { id, canonical: `Group ${i}`, note: '', createdBy: 'Ann', at: now });
    return id;
  });
  const annotators = ['Ann', 'Ben', 'Cas', ...(seed % 2 ? ['Dee'] : [])];
  db.transaction(() => {
    for (let k = 0; k < 6; k++) {
      const text = Array.from({ length: 40 + Math.floor(random() * 60) }, () => pick(WORDS)).join(' ');
      const articleId = insertArticle(db, { title: `Article ${seed}-${k}`, text, fileName: null }).id;
      const length = [...text].length;
      const base: { start: number; end: number; label: string }[] = Array.from({ length: 8 }, () => {
        const start = Math.floor(random() * (length - 10));
        return { start, end: start + 1 + Math.floor(random() * 30), label: pick(['claim', 'claim', 'source', 'opinion']) };
      });
      for (const who of annotators) {
        // Some annotators skip an article (Fleiss' κ then leaves it out); the others copy, relabel, move or drop the base spans.
        if (who === 'Dee' && k % 3 === 0) continue;
        for (const s of base) {
          const r = random();
          if (r < 0.15) continue;
          const span =
            r < 0.6
              ? s
              : r < 0.75
                ? { ...s, label: pick(['claim', 'source', 'opinion']) }
                : { ...s, end: Math.min(length, s.end + 1 + Math.floor(random() * 5)) };
          const id = randomUUID();
          const quote = [...text].slice(span.start, Math.min(length, span.end)).join('');
          insertAnnotation(db, {
            id,
            articleId,
            start: span.start,
            end: Math.min(length, span.end),
            quote,
            prefix: '',
            suffix: '',
            label: span.label,
            annotator: who,
            note: '',
            createdAt: now,
            updatedAt: now,
          });
          if (span.label === 'claim' && random() < 0.6) setMembership(db, id, pick(groups), who, now);
        }
      }
    }
  })();
}

let svc: TestService;
beforeEach(async () => {
  svc = await testService({ annotator: 'Ann' });
});
afterEach(() => svc.dispose());

describe('the agreement report, computed article by article', () => {
  it.each([1, 2, 3, 4, 5, 6])('has the figures of the whole-corpus computation (random corpus %i)', (seed) => {
    randomCorpus(svc.db, seed);
    for (const [a, b] of [
      ['Ann', 'Ben'],
      ['Ben', 'Cas'],
      ['Cas', 'Ann'],
    ] as const) {
      const report = agreementReport(svc.db, a, b);
      expect(report.articles.length).toBe(6);
      expectSameFigures(report, referenceReport(svc.db, a, b));
      const table = [...codingRows(svc.db, a, b)];
      // The rows handed out during the report are the same table.
      const passed: Coding[] = [];
      agreementReport(svc.db, a, b, undefined, {
        onCodings: (id, ca, cb) =>
          ca.forEach((c, i) =>
            passed.push({ item: `${id}:${i}`, coder: a, category: c }, { item: `${id}:${i}`, coder: b, category: cb[i] as string }),
          ),
      });
      expect(passed).toEqual(table);
      const expected = reviewArticles(svc.db, a, b).flatMap((id) => {
        const all = listAnnotations(svc.db, id);
        const spans = (who: string) => all.filter((x) => x.annotator === who).map((x) => ({ start: x.start, end: x.end, label: x.label }));
        return tokenCodings(String(id), getArticle(svc.db, id)?.text ?? '', { [a]: spans(a), [b]: spans(b) });
      });
      expect(table).toEqual(expected);
    }
  });

  it('reads the same tags and groups with one cursor over every tag as with a query per article', () => {
    randomCorpus(svc.db, 9);
    const ids = reviewArticles(svc.db, 'Ann', 'Ben');
    const each = spansByArticle(svc.db, ids, 'gold', Infinity);
    const walked = spansByArticle(svc.db, ids, 'gold', 0);
    // Every other article, so the cursor also skips articles it is not asked for.
    for (const id of ids.filter((_, i) => i % 2 === 1)) {
      const expected = each.take(id);
      expect(expected.some((s) => s.groupId !== null)).toBe(true);
      expect(walked.take(id)).toEqual(expected);
    }
    walked.close();
    // The figures of the whole corpus (as many articles as a cursor is used for) equal the whole-corpus computation.
    for (let seed = 10; seed < 95; seed++) randomCorpus(svc.db, seed);
    expectSameFigures(agreementReport(svc.db, 'Ann', 'Ben'), referenceReport(svc.db, 'Ann', 'Ben'));
  });

  it('reports progress article by article and can be stopped', () => {
    randomCorpus(svc.db, 7);
    const seen: [number, number][] = [];
    agreementReport(svc.db, 'Ann', 'Ben', undefined, {
      onProgress: (done, total) => {
        seen.push([done, total]);
        return undefined;
      },
    });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map((d) => [d, 6]));
    expect(() => agreementReport(svc.db, 'Ann', 'Ben', undefined, { onProgress: (done) => (done < 2 ? undefined : false) })).toThrow(
      /cancelled/,
    );
  });
});

describe('open agreed items', () => {
  it('are counted over the whole scope by the server, and are what Accept agreed accepts', async () => {
    randomCorpus(svc.db, 8);
    const open = () => reviewQueue(svc.db, 'Ann', 'Ben').filter((i) => i.kind === 'agreed' && !i.decision);
    const expected = open().length;
    expect(expected).toBeGreaterThan(3);
    expect(await call(svc.dispatch, 'review.openAgreed', { a: 'Ann', b: 'Ben' })).toEqual({ open: expected });
    await call(svc.dispatch, 'review.decide', { a: 'Ann', b: 'Ben', itemKey: (open()[0] as { key: string }).key, decision: 'reject' });
    expect(await call(svc.dispatch, 'review.openAgreed', { a: 'Ann', b: 'Ben' })).toEqual({ open: expected - 1 });
    const chosen = reviewArticles(svc.db, 'Ann', 'Ben').slice(0, 2);
    const inChosen = reviewQueue(svc.db, 'Ann', 'Ben', chosen).filter((i) => i.kind === 'agreed' && !i.decision).length;
    expect(await call(svc.dispatch, 'review.openAgreed', { a: 'Ann', b: 'Ben', articleIds: chosen })).toEqual({ open: inChosen });
    expect(await call(svc.dispatch, 'review.acceptAgreed', { a: 'Ann', b: 'Ben' })).toEqual({ accepted: expected - 1 });
    expect(await call(svc.dispatch, 'review.openAgreed', { a: 'Ann', b: 'Ben' })).toEqual({ open: 0 });
  });
});

describe('the review queue a page at a time', () => {
  it.each([1, 4, 25])('pages through exactly the whole queue (at least %i items a page, whole articles)', (limit) => {
    randomCorpus(svc.db, 8);
    for (const [a, b] of [
      ['Ann', 'Ben'],
      ['Cas', 'Ann'],
    ] as const) {
      const whole = reviewQueue(svc.db, a, b);
      const paged: typeof whole = [];
      let after: number | undefined;
      let pages = 0;
      for (;;) {
        const page = reviewQueuePage(svc.db, { a, b }, { ...(after === undefined ? {} : { after }), limit });
        pages++;
        paged.push(...page.items);
        if (page.next === null) break;
        expect(page.items.length).toBeGreaterThanOrEqual(limit);
        expect(page.items.at(-1)?.articleId).toBe(page.next);
        after = page.next;
      }
      expect(paged).toEqual(whole);
      expect(pages).toBeGreaterThan(limit === 25 ? 1 : 5);
      // Disagreements only, and a chosen set of articles.
      const chosen = reviewArticles(svc.db, a, b).slice(1, 4);
      const first = reviewQueuePage(svc.db, { a, b, articleIds: chosen }, { limit: 1000, disagreementsOnly: true });
      expect(first).toEqual({ items: reviewQueue(svc.db, a, b, chosen).filter((i) => i.kind !== 'agreed'), next: null });
    }
  });
});
