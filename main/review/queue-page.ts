/**
 * The review queue a page at a time: articles are compared in id order until
 * the page holds enough items, and the page says where the next one starts.
 * The first page of a 10,000-article review reads a few articles, not all.
 */
import type { ReviewItem } from '../../shared/review.js';
import type { Db } from '../store/database.js';
import { articlesTaggedByBothAfter } from '../store/agreement.js';
import { articleQueue } from './review.js';

export interface QueuePage {
  items: ReviewItem[];
  /** The last article this page covers (pass as `after` for the next page); null when the queue ends here. */
  next: number | null;
}

/** Articles compared per read while filling a page. */
const ARTICLES_PER_READ = 20;

/**
 * Items of the articles after `after` (whole articles, in id order), at
 * least `limit` of them unless the queue ends; `articleIds` limits the
 * articles as review.queue does. With `disagreementsOnly`, agreed items are
 * left out (they still count nothing towards the limit).
 */
export function reviewQueuePage(
  db: Db,
  scope: { a: string; b: string; articleIds?: readonly number[] },
  page: { after?: number; limit: number; disagreementsOnly?: boolean },
): QueuePage {
  const { a, b, articleIds } = scope;
  const chosen = articleIds && articleIds.length ? [...articleIds].sort((x, y) => x - y) : null;
  const items: ReviewItem[] = [];
  let after = page.after ?? 0;
  for (;;) {
    const ids = chosen
      ? chosen.filter((id) => id > after).slice(0, ARTICLES_PER_READ)
      : articlesTaggedByBothAfter(db, a, b, after, ARTICLES_PER_READ);
    if (ids.length === 0) return { items, next: null };
    for (const id of ids) {
      for (const item of articleQueue(db, a, b, id)) if (!page.disagreementsOnly || item.kind !== 'agreed') items.push(item);
      after = id;
      if (items.length >= page.limit) {
        const more = chosen ? chosen.some((x) => x > after) : articlesTaggedByBothAfter(db, a, b, after, 1).length > 0;
        return { items, next: more ? after : null };
      }
    }
  }
}
