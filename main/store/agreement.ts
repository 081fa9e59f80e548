/** Reads for the agreement report and the review queue: one article at a time, never the whole corpus at once. */
import { statement, type Db } from './database.js';

/** Articles tagged by both annotators, in id order. */
export function articlesTaggedByBoth(db: Db, a: string, b: string): number[] {
  return db
    .prepare(
      'SELECT article_id FROM annotations WHERE annotator = ? INTERSECT SELECT article_id FROM annotations WHERE annotator = ? ORDER BY article_id',
    )
    .pluck()
    .all(a, b) as number[];
}

/** An article's title and text (no counts, no metadata). */
export function articleTextAndTitle(db: Db, id: number): { title: string; text: string } | null {
  return (statement(db, 'SELECT title, text FROM articles WHERE id = ?').get(id) as { title: string; text: string } | undefined) ?? null;
}

/** What the agreement report reads of a tag, with its claim group. */
export interface AgreementSpan {
  id: string;
  articleId: number;
  start: number;
  end: number;
  label: string;
  annotator: string;
  groupId: string | null;
}

const SPAN_COLUMNS =
  'a.id, a.article_id AS articleId, a.start, a.end, a.label, a.annotator, m.group_id AS groupId FROM annotations a LEFT JOIN claim_group_members m ON m.annotation_id = a.id';
/** The order listAnnotations gives an article's tags in. */
const SPAN_ORDER = 'a.start, a.end DESC, a.created_at, a.id';
/** Below this many articles, a query per article reads less than one walk over every tag. */
const PER_ARTICLE_BELOW = 500;

/**
 * Every tag but `except`'s (the gold layer) of the given articles (ascending
 * ids), article by article: one cursor over the tags in article order for
 * many articles, a query per article for a few. One article's tags in
 * memory at a time; `close` ends the cursor early.
 */
export function spansByArticle(
  db: Db,
  articleIds: readonly number[],
  except: string,
  perArticleBelow = PER_ARTICLE_BELOW,
): { take(articleId: number): AgreementSpan[]; close(): void } {
  if (articleIds.length < perArticleBelow) {
    const one = statement(db, `SELECT ${SPAN_COLUMNS} WHERE a.article_id = ? AND a.annotator != ? ORDER BY ${SPAN_ORDER}`);
    return { take: (id) => one.all(id, except) as AgreementSpan[], close: () => undefined };
  }
  const cursor = db
    .prepare(`SELECT ${SPAN_COLUMNS} WHERE a.annotator != ? ORDER BY a.article_id, ${SPAN_ORDER}`)
    .iterate(except) as IterableIterator<AgreementSpan>;
  let next: AgreementSpan | undefined = cursor.next().value;
  return {
    take(articleId) {
      const out: AgreementSpan[] = [];
      while (next && next.articleId < articleId) next = cursor.next().value;
      while (next && next.articleId === articleId) {
        out.push(next);
        next = cursor.next().value;
      }
      return out;
    },
    close() {
      next = undefined;
      cursor.return?.();
    },
  };
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
