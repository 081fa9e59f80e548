/**
 * Pulling colleagues' changes from the team database.
 *
 * Every row carries the id of the transaction that last wrote it (`tx`).
 * A pull reads, in one repeatable-read snapshot, the rows with `tx` at or
 * after the library's position, and the new position is the oldest
 * transaction still running in that snapshot (`pg_snapshot_xmin`): every
 * transaction before it has finished, so its rows were in this snapshot, and
 * a transaction that commits later is read next time. Rows near the boundary
 * may come twice; applying a row twice changes nothing. Rows are applied in
 * batches as they stream; the position is saved only at the end, so a pull
 * cut short (the server gone, the process killed) starts again from the old
 * position and loses nothing.
 */
import type pg from 'pg';
import type { Db } from '../store/database.js';
import {
  applyAdjudications,
  applyAnnotations,
  applyArticles,
  applyGoldOrigins,
  applyGroups,
  applyHistory,
  applyingRemote,
  applyLabels,
  applyLinks,
  applyMembers,
  emptyApplied,
  setPullPosition,
  type Applied,
} from '../store/team.js';

/** Rows fetched and applied at a time. */
export const PULL_BATCH = 5000;

interface Table {
  name: string;
  columns: string;
  apply: (db: Db, rows: never[], applied: Applied, now: string) => void;
}

/** In dependency order: what a row names arrives before it. */
const TABLES: readonly Table[] = [
  { name: 'labels', columns: 'id, name, color, shortcut, description, deleted', apply: (db, rows, a) => applyLabels(db, rows, a) },
  {
    name: 'articles',
    columns: 'content_hash, title, outlet, url, published_at, file_name, byline, text, title_at, outlet_at, url_at, published_at_at',
    apply: (db, rows, a, now) => applyArticles(db, rows, a, now),
  },
  {
    name: 'annotations',
    columns: 'id, article_hash, start, "end", quote, prefix, suffix, label, annotator, note, created_at, updated_at, deleted',
    apply: (db, rows, a) => applyAnnotations(db, rows, a),
  },
  {
    name: 'links',
    columns: 'id, claim_id, source_id, kind, annotator, created_at, deleted',
    apply: (db, rows, a) => applyLinks(db, rows, a),
  },
  {
    name: 'groups',
    columns: 'id, canonical, canonical_at, note, note_at, created_by, created_at, deleted',
    apply: (db, rows, a) => applyGroups(db, rows, a),
  },
  { name: 'memberships', columns: 'annotation_id, group_id, added_by, at', apply: (db, rows, a) => applyMembers(db, rows, a) },
  { name: 'group_history', columns: 'id AS uid, group_id, action, detail, actor, at', apply: (db, rows, a) => applyHistory(db, rows, a) },
  {
    name: 'adjudications',
    columns: 'id AS uid, article_hash, item_key, kind, annotator_a, annotator_b, a_id, b_id, decision, reason, reviewer, at, gold_ids',
    apply: (db, rows, a) => applyAdjudications(db, rows, a),
  },
  { name: 'gold_origins', columns: 'gold_id, origin_id, deleted', apply: (db, rows, a) => applyGoldOrigins(db, rows, a) },
];

export interface PullProgress {
  done: number;
  total: number;
  table: string;
}

/** Up to this many changed rows come in one query; more (a long time away) stream in batches with progress. */
export const FEW_ROWS = 2000;

/**
 * A colleague's few changes, in one statement: one snapshot (a statement has
 * one even outside a transaction), one round trip, each table read through
 * its `tx` index. The first row carries the position to pull from next.
 */
const FEW_SQL =
  [
    `SELECT -1 AS o, json_build_object('next', pg_snapshot_xmin(pg_current_snapshot())::text) AS r`,
    ...TABLES.map((t, i) => `SELECT ${i}, row_to_json(x) FROM (SELECT ${t.columns} FROM claimdesk.${t.name} WHERE tx >= $1::xid8) x`),
  ].join(' UNION ALL ') + ' ORDER BY 1 LIMIT $2';

/** Null when there are more than `limit` rows: the caller streams them instead. */
async function pullFew(client: pg.Client, db: Db, cursor: string, limit: number, opts: { now: () => string }): Promise<Applied | null> {
  const applied = emptyApplied();
  const { rows } = await client.query<{ o: number; r: Record<string, unknown> }>(FEW_SQL, [cursor, limit + 2]);
  if (rows.length > limit + 1) return null;
  const next = String((rows[0]?.r as { next?: string } | undefined)?.next ?? cursor);
  // The rows and the new position in one local transaction: both or neither.
  applyingRemote(db, () => {
    TABLES.forEach((t, i) => {
      const mine = rows.filter((r) => r.o === i).map((r) => r.r);
      if (mine.length) t.apply(db, mine as never[], applied, opts.now());
    });
    setPullPosition(db, next, opts.now());
  });
  return applied;
}

/** Pulls every change since `cursor`; returns what changed locally. Throws on a connection failure (nothing is lost: the position stays). */
export async function pull(
  client: pg.Client,
  db: Db,
  cursor: string,
  opts: { now: () => string; onProgress?: (p: PullProgress) => void; batch?: number },
): Promise<Applied> {
  if (!/^\d+$/.test(cursor)) throw new RangeError(`not a pull position: ${cursor}`);
  // A first pull (joining) streams through cursors in batches, with progress; later ones are mostly a colleague's few changes.
  if (cursor !== '0') {
    const few = await pullFew(client, db, cursor, Math.min(FEW_ROWS, opts.batch ?? FEW_ROWS), opts);
    if (few) return few;
  }
  const applied = emptyApplied();
  const batch = opts.batch ?? PULL_BATCH;
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const { rows } = await client.query<{ next: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS next');
    const next = rows[0]?.next ?? cursor;
    let total = 0;
    if (opts.onProgress) {
      const counts = await client.query<{ n: string }>(
        TABLES.map((t) => `SELECT count(*) AS n FROM claimdesk.${t.name} WHERE tx >= '${cursor}'::xid8`).join(' UNION ALL '),
      );
      total = counts.rows.reduce((s, r) => s + Number(r.n), 0);
    }
    let done = 0;
    for (const t of TABLES) {
      await client.query(
        `DECLARE pull_${t.name} NO SCROLL CURSOR FOR SELECT ${t.columns} FROM claimdesk.${t.name} WHERE tx >= '${cursor}'::xid8`,
      );
      for (;;) {
        const r = await client.query(`FETCH ${batch} FROM pull_${t.name}`);
        if (r.rows.length === 0) break;
        applyingRemote(db, () => t.apply(db, r.rows as never[], applied, opts.now()));
        done += r.rows.length;
        opts.onProgress?.({ done, total, table: t.name });
        if (r.rows.length < batch) break;
      }
      await client.query(`CLOSE pull_${t.name}`);
    }
    await client.query('COMMIT');
    setPullPosition(db, next, opts.now());
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
