/**
 * Reviewing two annotators' tags: comparing them item by item, the queue of
 * disagreements, decisions that write the gold layer (with the adjudication
 * log), and the agreement report.
 */
import { randomUUID } from 'node:crypto';
import { ATTRIBUTABLE_LABELS } from '../../shared/labels.js';
import { OffsetIndex } from '../../shared/offsets.js';
import type { Annotation } from '../../shared/schemas.js';
import { CONTEXT_LENGTH } from '../../shared/text.js';
import type { Db } from '../store/database.js';
import { getArticle, listArticles } from '../store/articles.js';
import { deleteAnnotation, getAnnotation, insertAnnotation, listAnnotations } from '../store/annotations.js';
import { groupOf, setMembership } from '../store/groups.js';
import { findLink, insertLink, linksOfAnnotation } from '../store/links.js';
import { listLabels } from '../store/labels.js';
import { articlesTaggedByBoth } from '../store/agreement.js';
import {
  adjudicationLog,
  goldCopiesOf,
  GOLD_ANNOTATOR,
  insertAdjudication,
  latestDecisions,
  latestDecisionsFor,
  originOf,
  setGoldOrigin,
  type AdjudicationRow,
} from '../store/review.js';

import { pairItemKey, type AgreementReport, type Decision, type ItemKind, type ReviewItem } from '../../shared/review.js';
export type { AgreementReport, Decision, ItemKind, ReviewItem };

/** What pairing two annotators' tags reads of each tag. */
export type Pairable = Pick<Annotation, 'id' | 'articleId' | 'start' | 'end' | 'label'>;

/** A review item before its decision, over tags of type T. */
export interface PairedItem<T extends Pairable> {
  key: string;
  articleId: number;
  kind: ItemKind;
  a: T | null;
  b: T | null;
}

/** Pairs A's and B's tags of one article: same extent (agreed or label conflict), then overlap (boundary), then the rest alone. */
export function compareArticle<T extends Pairable = Annotation>(a: readonly T[], b: readonly T[]): PairedItem<T>[] {
  const out: PairedItem<T>[] = [];
  const leftA = new Set(a);
  const leftB = new Set(b);
  const take = (x: T, y: T, kind: ItemKind) => {
    leftA.delete(x);
    leftB.delete(y);
    out.push({ key: pairItemKey(x.articleId, x.id, y.id), articleId: x.articleId, kind, a: x, b: y });
  };
  for (const x of a) {
    const y = [...leftB].find((z) => z.start === x.start && z.end === x.end && z.label === x.label);
    if (y) take(x, y, 'agreed');
  }
  for (const x of [...leftA]) {
    const y = [...leftB].find((z) => z.start === x.start && z.end === x.end);
    if (y) take(x, y, 'label');
  }
  const pairs: { x: T; y: T; overlap: number; sameLabel: boolean }[] = [];
  for (const x of leftA)
    for (const y of leftB) {
      const overlap = Math.min(x.end, y.end) - Math.max(x.start, y.start);
      if (overlap > 0) pairs.push({ x, y, overlap, sameLabel: x.label === y.label });
    }
  pairs.sort((p, q) => Number(q.sameLabel) - Number(p.sameLabel) || q.overlap - p.overlap);
  for (const p of pairs) if (leftA.has(p.x) && leftB.has(p.y)) take(p.x, p.y, 'boundary');
  for (const x of leftA) out.push({ key: pairItemKey(x.articleId, x.id, null), articleId: x.articleId, kind: 'only_a', a: x, b: null });
  for (const y of leftB) out.push({ key: pairItemKey(y.articleId, null, y.id), articleId: y.articleId, kind: 'only_b', a: null, b: y });
  const at = (i: PairedItem<T>) => Math.min(i.a?.start ?? Infinity, i.b?.start ?? Infinity);
  return out.sort((p, q) => at(p) - at(q) || p.key.localeCompare(q.key));
}

/** Articles both annotators tagged (or the chosen ones), in id order. */
export function reviewArticles(db: Db, a: string, b: string, articleIds?: readonly number[]): number[] {
  if (articleIds && articleIds.length) return [...articleIds];
  return articlesTaggedByBoth(db, a, b);
}

export function reviewQueue(db: Db, a: string, b: string, articleIds?: readonly number[]): ReviewItem[] {
  const decisions = latestDecisions(db);
  return reviewArticles(db, a, b, articleIds).flatMap((id) => articleQueue(db, a, b, id, decisions));
}

/** One article's items; without `decisions`, its own decisions are read by their keys (not the whole log). */
export function articleQueue(
  db: Db,
  a: string,
  b: string,
  articleId: number,
  decisions?: ReadonlyMap<string, AdjudicationRow>,
): ReviewItem[] {
  const all = listAnnotations(db, articleId);
  const items = compareArticle(
    all.filter((x) => x.annotator === a),
    all.filter((x) => x.annotator === b),
  );
  const known =
    decisions ??
    latestDecisionsFor(
      db,
      items.map((i) => i.key),
    );
  return items.map((item) => {
    const d = known.get(item.key);
    return { ...item, decision: d ? { decision: asShown(d, a), reason: d.reason, reviewer: d.reviewer, at: d.at } : null };
  });
}

/** Agreed items without a decision, article by article (what "Accept N agreed" counts and accepts). */
export function* openAgreedItems(db: Db, a: string, b: string, articleIds?: readonly number[]): Generator<ReviewItem> {
  for (const id of reviewArticles(db, a, b, articleIds)) {
    for (const item of articleQueue(db, a, b, id)) if (item.kind === 'agreed' && !item.decision) yield item;
  }
}

/** A decision as the screen shows it: accepting A or B is said of the side that tag is on now (the pair may have been chosen the other way round). */
function asShown(d: AdjudicationRow, a: string): Decision {
  const decision = d.decision as Decision;
  if (d.annotator_a === a) return decision;
  return decision === 'accept_a' ? 'accept_b' : decision === 'accept_b' ? 'accept_a' : decision;
}

/** The gold tag over this span with this label, if the gold layer has it (it holds each at most once). */
function goldTagAt(db: Db, articleId: number, start: number, end: number, label: string): string | null {
  return (
    listAnnotations(db, articleId).find((x) => x.annotator === GOLD_ANNOTATOR && x.start === start && x.end === end && x.label === label)
      ?.id ?? null
  );
}

/** Copies an annotation into the gold layer, with its links to already-gold partners and its group. */
function copyToGold(
  db: Db,
  source: Annotation | { articleId: number; start: number; end: number; label: string; note: string; origin: string | null },
  reviewer: string,
  now: string,
): string {
  const article = getArticle(db, source.articleId);
  if (!article) throw new Error(`no article ${source.articleId}`);
  // Accepting a tag gold already holds (from another pair, or an agreed tag both sides of) reuses it.
  const existing = goldTagAt(db, source.articleId, source.start, source.end, source.label);
  if (existing) return existing;
  const index = new OffsetIndex(article.text);
  const u = (cp: number) => index.toUtf16(cp);
  const id = randomUUID();
  insertAnnotation(db, {
    id,
    articleId: source.articleId,
    start: source.start,
    end: source.end,
    quote: article.text.slice(u(source.start), u(source.end)),
    prefix: article.text.slice(u(Math.max(0, source.start - CONTEXT_LENGTH)), u(source.start)),
    suffix: article.text.slice(u(source.end), u(Math.min(index.length, source.end + CONTEXT_LENGTH))),
    label: source.label,
    annotator: GOLD_ANNOTATOR,
    note: source.note,
    createdAt: now,
    updatedAt: now,
  });
  const origin = 'id' in source ? source.id : source.origin;
  if (!origin) return id;
  setGoldOrigin(db, id, origin);
  // Links and groups follow the decision: a link is kept where its other end is gold too.
  for (const l of linksOfAnnotation(db, origin)) {
    const other = l.claimId === origin ? l.sourceId : l.claimId;
    for (const g of goldCopiesOf(db, other)) {
      const claimId = l.claimId === origin ? id : g;
      const sourceId = l.claimId === origin ? g : id;
      if (
        !findLink(db, claimId, sourceId) &&
        ATTRIBUTABLE_LABELS.includes(getAnnotation(db, claimId)?.label ?? '') &&
        getAnnotation(db, sourceId)?.label === 'source'
      ) {
        insertLink(db, { id: randomUUID(), claimId, sourceId, kind: l.kind, annotator: reviewer, createdAt: now });
      }
    }
  }
  const group = groupOf(db, origin);
  if (group && source.label === 'claim') setMembership(db, id, group, reviewer, now);
  return id;
}

export interface DecideInput {
  itemKey: string;
  a: string;
  b: string;
  decision: Decision;
  reason?: string;
  /** For `edit`: the gold span to write instead. */
  edit?: { start: number; end: number; label: string };
}

/** Records a decision and (re)writes the item's gold annotations; a later decision on the same item replaces the earlier one's gold. */
export function decide(db: Db, input: DecideInput, reviewer: string, now: string): ReviewItem {
  const [articleIdText] = input.itemKey.split(':');
  const articleId = Number(articleIdText);
  const item = reviewQueue(db, input.a, input.b, [articleId]).find((i) => i.key === input.itemKey);
  if (!item) throw new RangeError(`no review item ${input.itemKey} between ${input.a} and ${input.b}`);
  if (input.decision === 'accept_a' && !item.a) throw new RangeError(`${input.a} has no tag in this item to accept`);
  if (input.decision === 'accept_b' && !item.b) throw new RangeError(`${input.b} has no tag in this item to accept`);
  if (input.decision === 'edit' && !input.edit) throw new RangeError('an edit needs the span to write');
  db.transaction(() => {
    const latest = latestDecisions(db);
    const previous = latest.get(item.key);
    // The earlier decision's gold goes, except what another item's decision also accepted.
    const heldElsewhere = new Set([...latest].filter(([key]) => key !== item.key).flatMap(([, d]) => JSON.parse(d.gold_ids) as string[]));
    for (const g of previous ? (JSON.parse(previous.gold_ids) as string[]) : []) if (!heldElsewhere.has(g)) deleteAnnotation(db, g);
    const gold: string[] = [];
    if ((input.decision === 'accept_a' || input.decision === 'accept_both') && item.a) gold.push(copyToGold(db, item.a, reviewer, now));
    if ((input.decision === 'accept_b' || input.decision === 'accept_both') && item.b) gold.push(copyToGold(db, item.b, reviewer, now));
    if (input.decision === 'edit' && input.edit) {
      const article = getArticle(db, articleId);
      if (!article || input.edit.end <= input.edit.start || input.edit.end > article.length)
        throw new RangeError('the edited span is outside the article');
      if (!listLabels(db).some((l) => l.id === input.edit?.label)) throw new RangeError(`unknown label "${input.edit.label}"`);
      gold.push(
        copyToGold(
          db,
          { articleId, ...input.edit, note: item.a?.note || item.b?.note || '', origin: item.a?.id ?? item.b?.id ?? null },
          reviewer,
          now,
        ),
      );
    }
    insertAdjudication(db, {
      article_id: articleId,
      item_key: item.key,
      kind: item.kind,
      annotator_a: input.a,
      annotator_b: input.b,
      a_id: item.a?.id ?? null,
      b_id: item.b?.id ?? null,
      decision: input.decision,
      reason: input.reason ?? '',
      reviewer,
      at: now,
      gold_ids: JSON.stringify([...new Set(gold)]),
    });
  })();
  return reviewQueue(db, input.a, input.b, [articleId]).find((i) => i.key === item.key) as ReviewItem;
}

export { adjudicationLog, originOf, type AdjudicationRow };

/** Names of everyone who tagged something, gold aside, with their tag counts per article. */
export function listArticlesForReview(db: Db): { id: number; title: string }[] {
  return listArticles(db).map((x) => ({ id: x.id, title: x.title }));
}
