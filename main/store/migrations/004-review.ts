import type { Database } from 'better-sqlite3';

/**
 * Version 4: review. The adjudication log (every decision, kept), and which
 * annotation each gold annotation was copied from. Never edit once shipped.
 */
export function migration004(db: Database): void {
  db.exec(`
    CREATE TABLE adjudications (
      id          INTEGER PRIMARY KEY,
      article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
      item_key    TEXT NOT NULL,
      kind        TEXT NOT NULL,             -- agreed, label, boundary, only_a, only_b
      annotator_a TEXT NOT NULL,
      annotator_b TEXT NOT NULL,
      a_id        TEXT,
      b_id        TEXT,
      decision    TEXT NOT NULL CHECK (decision IN ('accept_a', 'accept_b', 'accept_both', 'reject', 'edit')),
      reason      TEXT NOT NULL DEFAULT '',
      reviewer    TEXT NOT NULL,
      at          TEXT NOT NULL,
      gold_ids    TEXT NOT NULL DEFAULT '[]'  -- JSON array of the gold annotations written
    ) STRICT;
    CREATE INDEX adjudications_by_item ON adjudications(item_key, id);

    CREATE TABLE gold_origins (
      gold_id    TEXT PRIMARY KEY REFERENCES annotations(id) ON DELETE CASCADE,
      origin_id  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX gold_origins_by_origin ON gold_origins(origin_id);
  `);
}
