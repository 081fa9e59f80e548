import type { Database } from 'better-sqlite3';

/** A review item's key whatever the A/B order (as `pairItemKey` in shared/review.ts defines it at version 8). */
function pairItemKey(articleId: number, idA: string | null, idB: string | null): string {
  return `${articleId}:${[idA ?? '-', idB ?? '-'].sort().join(':')}`;
}

/**
 * Version 8: the gold layer holds a span with a label at most once, and a
 * review decision belongs to the pair of tags, not to the A/B order they
 * were shown in. Decisions made before under the other order are re-keyed;
 * gold tags written twice are merged into the first (its links and group
 * kept, the log's gold ids pointed at it). Never edit once shipped.
 */
export function migration008(db: Database): void {
  const dups = db
    .prepare(
      `SELECT d.id AS dup, (SELECT k.id FROM annotations k WHERE k.annotator = 'gold' AND k.article_id = d.article_id AND k.start = d.start
                              AND k.end = d.end AND k.label = d.label ORDER BY k.rowid LIMIT 1) AS keep
         FROM annotations d WHERE d.annotator = 'gold'`,
    )
    .all() as { dup: string; keep: string }[];
  const moveClaimLinks = db.prepare('UPDATE OR IGNORE source_links SET claim_id = ? WHERE claim_id = ?');
  const moveSourceLinks = db.prepare('UPDATE OR IGNORE source_links SET source_id = ? WHERE source_id = ?');
  const moveMember = db.prepare(
    'INSERT OR IGNORE INTO claim_group_members (annotation_id, group_id, added_by, added_at) SELECT ?, group_id, added_by, added_at FROM claim_group_members WHERE annotation_id = ?',
  );
  const remove = db.prepare('DELETE FROM annotations WHERE id = ?');
  const replaced = new Map<string, string>();
  for (const { dup, keep } of dups) {
    if (dup === keep) continue;
    moveClaimLinks.run(keep, dup);
    moveSourceLinks.run(keep, dup);
    moveMember.run(keep, dup);
    remove.run(dup);
    replaced.set(dup, keep);
  }
  const rows = db.prepare('SELECT id, article_id, a_id, b_id, gold_ids FROM adjudications').all() as {
    id: number;
    article_id: number;
    a_id: string | null;
    b_id: string | null;
    gold_ids: string;
  }[];
  const rewrite = db.prepare('UPDATE adjudications SET item_key = ?, gold_ids = ? WHERE id = ?');
  for (const r of rows) {
    const gold = [...new Set((JSON.parse(r.gold_ids) as string[]).map((g) => replaced.get(g) ?? g))];
    rewrite.run(pairItemKey(r.article_id, r.a_id, r.b_id), JSON.stringify(gold), r.id);
  }
  db.exec(`CREATE UNIQUE INDEX gold_once ON annotations(article_id, start, end, label) WHERE annotator = 'gold';`);
}
