/** Reads for the agreement report and the review queue: one article at a time, never the whole corpus at once. */
import type { Db } from './database.js';

/** Articles tagged by both annotators, in id order. */
export function articlesTaggedByBoth(db: Db, a: string, b: string): number[] {
  return db
    .prepare('SELECT article_id FROM annotations WHERE annotator = ? INTERSECT SELECT article_id FROM annotations WHERE annotator = ? ORDER BY article_id')
    .pluck()
    .all(a, b) as number[];
}

/** An article's title and text (no counts, no metadata). */
export function articleTextAndTitle(db: Db, id: number): { title: string; text: string } | null {
  return (db.prepare('SELECT title, text FROM articles WHERE id = ?').get(id) as { title: string; text: string } | undefined) ?? null;
}

/** The claim group of each grouped annotation of an article. */
export function groupsInArticle(db: Db, articleId: number): Map<string, string> {
  const rows = db
    .prepare('SELECT m.annotation_id AS id, m.group_id AS groupId FROM claim_group_members m JOIN annotations a ON a.id = m.annotation_id WHERE a.article_id = ?')
    .all(articleId) as { id: string; groupId: string }[];
  return new Map(rows.map((r) => [r.id, r.groupId]));
}

/** The next `limit` articles after `after` (by id) tagged by both annotators; follows the articles' order, so a page never reads the whole corpus. */
export function articlesTaggedByBothAfter(db: Db, a: string, b: string, after: number, limit: number): number[] {
  return db
    .prepare(
      `SELECT ar.id FROM articles ar
       WHERE ar.id > ? AND EXISTS (SELECT 1 FROM annotations x WHERE x.article_id = ar.id AND x.annotator = ?)
                       AND EXISTS (SELECT 1 FROM annotations y WHERE y.article_id = ar.id AND y.annotator = ?)
       ORDER BY ar.id LIMIT ?`,
    )
    .pluck()
    .all(after, a, b, limit) as number[];
}
