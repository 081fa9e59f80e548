/** The adjudication log and the gold layer's origins. */
import type { Db } from './database.js';

export const GOLD_ANNOTATOR = 'gold';

export interface AdjudicationRow {
  id: number;
  article_id: number;
  item_key: string;
  kind: string;
  annotator_a: string;
  annotator_b: string;
  a_id: string | null;
  b_id: string | null;
  decision: string;
  reason: string;
  reviewer: string;
  at: string;
  gold_ids: string;
}

export function insertAdjudication(db: Db, r: Omit<AdjudicationRow, 'id'>): void {
  db.prepare(
    `INSERT INTO adjudications (article_id, item_key, kind, annotator_a, annotator_b, a_id, b_id, decision, reason, reviewer, at, gold_ids)
     VALUES (@article_id, @item_key, @kind, @annotator_a, @annotator_b, @a_id, @b_id, @decision, @reason, @reviewer, @at, @gold_ids)`,
  ).run(r);
}

/** The latest decision on each item. */
export function latestDecisions(db: Db): Map<string, AdjudicationRow> {
  const rows = db.prepare('SELECT * FROM adjudications ORDER BY id').all() as AdjudicationRow[];
  return new Map(rows.map((r) => [r.item_key, r]));
}

/** The latest decision on each of these items (by the item index: an article's page never reads the whole log). */
export function latestDecisionsFor(db: Db, itemKeys: readonly string[]): Map<string, AdjudicationRow> {
  if (itemKeys.length === 0) return new Map();
  const rows = db
    .prepare('SELECT * FROM adjudications WHERE item_key IN (SELECT value FROM json_each(?)) ORDER BY id')
    .all(JSON.stringify(itemKeys)) as AdjudicationRow[];
  return new Map(rows.map((r) => [r.item_key, r]));
}

export function adjudicationLog(db: Db): AdjudicationRow[] {
  return db.prepare('SELECT * FROM adjudications ORDER BY id').all() as AdjudicationRow[];
}

export function setGoldOrigin(db: Db, goldId: string, originId: string): void {
  db.prepare('INSERT INTO gold_origins (gold_id, origin_id) VALUES (?, ?)').run(goldId, originId);
}

/** Gold copies of an annotation that still exist. */
export function goldCopiesOf(db: Db, originId: string): string[] {
  return (db.prepare('SELECT gold_id FROM gold_origins WHERE origin_id = ?').all(originId) as { gold_id: string }[]).map((r) => r.gold_id);
}

export function originOf(db: Db, goldId: string): string | null {
  return (
    (db.prepare('SELECT origin_id FROM gold_origins WHERE gold_id = ?').get(goldId) as { origin_id: string } | undefined)?.origin_id ?? null
  );
}

export function annotatorsOfArticles(db: Db): { articleId: number; annotator: string }[] {
  return db.prepare('SELECT DISTINCT article_id AS articleId, annotator FROM annotations').all() as {
    articleId: number;
    annotator: string;
  }[];
}
