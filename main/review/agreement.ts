/**
 * The agreement report and its coding table, computed article by article:
 * each article's tokens are coded, counted into tallies and dropped before
 * the next article is read, so memory stays flat however many articles two
 * annotators share. The figures are those of shared/agreement.ts's functions
 * over all codings at once (the tests check both ways on the same data).
 */
import {
  BCubedTally,
  CategoryTable,
  categoryOf,
  FleissTally,
  NONE,
  PairTally,
  spanAgreement,
  tokenBounds,
  tokenize,
  tokenLabelSets,
  type Coding,
  type PRF,
  type Span,
} from '../../shared/agreement.js';
import type { Annotation } from '../../shared/schemas.js';
import type { AgreementReport } from '../../shared/review.js';
import type { Db } from '../store/database.js';
import { listAnnotations } from '../store/annotations.js';
import { articleTextAndTitle, spansByArticle } from '../store/agreement.js';
import { listLabels } from '../store/labels.js';
import { GOLD_ANNOTATOR } from '../store/review.js';
import { compareArticle, reviewArticles } from './review.js';

/** One line per figure: what it means and what it counts. */
export const METRIC_EXPLANATIONS = {
  cohen:
    "Cohen's κ: agreement of A and B on each word token's label beyond chance (1 = perfect, 0 = chance); untagged tokens count as agreeing on 'none'.",
  fleiss:
    "Fleiss' κ: the same for every annotator who tagged these articles (three or more), each token's labels compared across all of them.",
  alpha: "Krippendorff's α (nominal): 1 − observed/expected disagreement over word tokens; untagged tokens count as 'none'.",
  spanExact:
    'Span F1, exact: B’s tags matched to A’s with the same start, end and label (A as reference: precision = share of B’s tags matched, recall = share of A’s).',
  spanOverlap: 'Span F1, overlap: as exact, but any overlap with the same label matches (each tag at most once).',
  grouping: 'Grouping B³ F1: for claims both tagged (matched by overlap), how far B put the same claims together as A did.',
} as const;

const spansOf = (list: readonly Annotation[], label?: string): Span[] =>
  list.filter((x) => !label || x.label === label).map((x) => ({ start: x.start, end: x.end, label: x.label }));

/** Progress of a long computation, and a way to stop it (return false). */
export type OnProgress = (done: number, total: number) => boolean | undefined;

/** Stopped by its caller (the computation writes nothing, so there is nothing to undo). */
export class Cancelled extends Error {
  override name = 'Cancelled';
}

/** The token coding table the figures are computed from (item, annotator, label), one article at a time. */
export function* codingRows(db: Db, a: string, b: string, articleIds?: readonly number[], label?: string): Generator<Coding> {
  for (const id of reviewArticles(db, a, b, articleIds)) {
    const article = articleTextAndTitle(db, id);
    if (!article) continue;
    const all = listAnnotations(db, id);
    const tokens = tokenize(article.text);
    const setsA = tokenLabelSets(tokens, spansOf(all.filter((x) => x.annotator === a)));
    const setsB = tokenLabelSets(tokens, spansOf(all.filter((x) => x.annotator === b)));
    for (let i = 0; i < tokens.length; i++) {
      yield { item: `${id}:${i}`, coder: a, category: categoryOf(setsA[i] ?? null, label) };
      if (b !== a) yield { item: `${id}:${i}`, coder: b, category: categoryOf(setsB[i] ?? null, label) };
    }
  }
}

/** Span matches summed over articles (a match never crosses articles, so the sums equal matching all spans at once). */
class SpanTally {
  a = 0;
  b = 0;
  matched = 0;
  add(r: PRF): void {
    this.a += r.a;
    this.b += r.b;
    this.matched += r.matched;
  }
  result(): PRF {
    const precision = this.b === 0 ? null : this.matched / this.b;
    const recall = this.a === 0 ? null : this.matched / this.a;
    const f1 =
      precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, a: this.a, b: this.b, matched: this.matched };
  }
}

/** An article's token categories for A and B, as the coding table lists them (item `${articleId}:${token}`). */
export type OnCodings = (articleId: number, categoriesA: readonly string[], categoriesB: readonly string[]) => void;
/** The same as category numbers: the first `count` of `codesA` and `codesB`, named by `names` (valid during the call only). */
export type OnCodes = (articleId: number, codesA: Int32Array, codesB: Int32Array, count: number, names: readonly string[]) => void;

/** Pair counts of two coders' token categories (numbers of a CategoryTable), keyed `a * PAIR + b`. */
const PAIR = 1 << 21;

/** Adds `counts` to a tally, by category name. */
function tallyOf(counts: ReadonlyMap<number, number>, names: readonly string[], into = new PairTally()): PairTally {
  for (const [key, n] of counts) into.add(names[Math.floor(key / PAIR)] as string, names[key % PAIR] as string, n);
  return into;
}

/**
 * The report; `onCodings` receives each article's coding table as it is
 * computed (the command line writes `--items` from it in the same pass).
 * Tokens are coded as category numbers and only their pair counts are kept,
 * per article and summed; the per-label figures follow from the summed counts
 * (a token's label-or-none category is a function of its category).
 */
export function agreementReport(
  db: Db,
  a: string,
  b: string,
  articleIds?: readonly number[],
  options: { onProgress?: OnProgress; onCodings?: OnCodings; onCodes?: OnCodes } = {},
): AgreementReport {
  const { onProgress, onCodings, onCodes } = options;
  const ids = reviewArticles(db, a, b, articleIds);
  const labels = listLabels(db).map((l) => l.id);
  const perArticle: AgreementReport['articles'] = [];
  const categories = new CategoryTable();
  const overallCounts = new Map<number, number>();
  const byLabel = new Map(labels.map((l) => [l, { exact: new SpanTally(), overlap: new SpanTally() }]));
  const exact = new SpanTally();
  const overlap = new SpanTally();
  // Fleiss' κ counts only the tokens every annotator coded: the articles all of them tagged. Tallied per set of annotators, the full set read at the end.
  const fleiss = new Map<string, FleissTally>();
  const fleissAnnotators = new Set<string>();
  const grouping = new BCubedTally();
  let tokenCount = 0;
  let codesA = new Int32Array(1024);
  let codesB = new Int32Array(1024);
  const spans = spansByArticle(db, ids, GOLD_ANNOTATOR);
  try {
    for (const [done, id] of ids.entries()) {
      if (onProgress?.(done, ids.length) === false) throw new Cancelled('the agreement report was cancelled');
      const article = articleTextAndTitle(db, id);
      if (!article) continue;
      const anns = spans.take(id);
      const mine = anns.filter((x) => x.annotator === a);
      const theirs = anns.filter((x) => x.annotator === b);
      const tokens = tokenBounds(article.text);
      const n = tokens.count;
      if (codesA.length < n) [codesA, codesB] = [new Int32Array(n * 2), new Int32Array(n * 2)];
      categories.code(tokens, mine, codesA);
      categories.code(tokens, theirs, codesB);
      const counts = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const key = (codesA[i] as number) * PAIR + (codesB[i] as number);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [key, c] of counts) overallCounts.set(key, (overallCounts.get(key) ?? 0) + c);
      if (onCodings) {
        const names = categories.names;
        const catsA: string[] = new Array(n);
        const catsB: string[] = new Array(n);
        for (let i = 0; i < n; i++) {
          catsA[i] = names[codesA[i] as number] as string;
          catsB[i] = names[codesB[i] as number] as string;
        }
        onCodings(id, catsA, catsB);
      }
      onCodes?.(id, codesA, codesB, n, categories.names);
      tokenCount += n;
      for (const [l, t] of byLabel) {
        const la = mine.filter((x) => x.label === l);
        const lb = theirs.filter((x) => x.label === l);
        t.exact.add(spanAgreement(la, lb, 'exact'));
        t.overlap.add(spanAgreement(la, lb, 'overlap'));
      }
      exact.add(spanAgreement(mine, theirs, 'exact'));
      const overlapHere = spanAgreement(mine, theirs, 'overlap');
      overlap.add(overlapHere);

      const coders = new Map<string, Span[]>();
      for (const x of anns) {
        let list = coders.get(x.annotator);
        if (!list) coders.set(x.annotator, (list = []));
        list.push(x);
      }
      for (const c of coders.keys()) fleissAnnotators.add(c);
      if (coders.size >= 3) {
        const names = [...coders.keys()].sort();
        const key = names.join('\u0000');
        let tally = fleiss.get(key);
        if (!tally) fleiss.set(key, (tally = new FleissTally(names.length)));
        const asObjects = tokenize(article.text);
        const sets = names.map((c) => tokenLabelSets(asObjects, coders.get(c) as Span[]));
        for (let i = 0; i < n; i++) tally.addItem(sets.map((s) => categoryOf(s[i] ?? null)));
      }

      const here = tallyOf(counts, categories.names);
      perArticle.push({ id, title: article.title, tokens: n, cohen: here.kappa(), alpha: here.alpha(), spanOverlapF1: overlapHere.f1 });

      // Claims matched by overlap carry each annotator's group (or none: a cluster of one) for B³.
      const claimsA = mine.filter((c) => c.label === 'claim');
      const claimsB = theirs.filter((c) => c.label === 'claim');
      for (const item of compareArticle(claimsA, claimsB)) {
        if (item.a && item.b) grouping.add(item.a.groupId, item.b.groupId);
      }
    }
  } finally {
    spans.close();
  }
  onProgress?.(ids.length, ids.length);
  const overall = tallyOf(overallCounts, categories.names);
  const perLabelTally = (label: string): PairTally => {
    const named = categories.labels.map((set) => (set.includes(label) ? label : NONE));
    return tallyOf(overallCounts, named);
  };
  const fleissCoders = [...fleissAnnotators].sort();
  const fleissTally = fleissCoders.length >= 3 ? fleiss.get(fleissCoders.join('\u0000')) : undefined;
  return {
    a,
    b,
    articles: perArticle,
    tokens: tokenCount,
    overall: {
      cohen: overall.kappa(),
      alpha: overall.alpha(),
      spanExact: exact.result(),
      spanOverlap: overlap.result(),
      fleiss: fleissCoders.length >= 3 ? (fleissTally?.kappa() ?? null) : null,
      fleissAnnotators: fleissCoders.length >= 3 ? fleissCoders : [],
    },
    perLabel: labels.map((label) => {
      const t = byLabel.get(label) as { exact: SpanTally; overlap: SpanTally };
      const tally = perLabelTally(label);
      return { label, cohen: tally.kappa(), alpha: tally.alpha(), spanExact: t.exact.result(), spanOverlap: t.overlap.result() };
    }),
    grouping: grouping.result(),
    explanations: METRIC_EXPLANATIONS,
  };
}

/** The coding table as one list (small data and tests; the command line streams codingRows). */
export function codingTable(db: Db, a: string, b: string, articleIds?: readonly number[], label?: string): Coding[] {
  return [...codingRows(db, a, b, articleIds, label)];
}
