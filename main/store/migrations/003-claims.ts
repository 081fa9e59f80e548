import type { Database } from 'better-sqlite3';

/**
 * Version 3: claim-to-source links, claim groups with their members and a
 * history of grouping changes. Never edit once shipped.
 */
export function migration003(db: Database): void {
  db.exec(`
    CREATE TABLE source_links (
      id          TEXT PRIMARY KEY,                 -- UUID
      claim_id    TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
      source_id   TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
      kind        TEXT NOT NULL CHECK (kind IN ('direct', 'paraphrase', 'unnamed')),
      annotator   TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      UNIQUE (claim_id, source_id),
      CHECK (claim_id <> source_id)
    ) STRICT;
    CREATE INDEX source_links_by_source ON source_links(source_id);

    CREATE TABLE claim_groups (
      id          TEXT PRIMARY KEY,                 -- UUID
      canonical   TEXT NOT NULL,
      note        TEXT NOT NULL DEFAULT '',
      created_by  TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE claim_group_members (
      annotation_id TEXT PRIMARY KEY REFERENCES annotations(id) ON DELETE CASCADE,
      group_id      TEXT NOT NULL REFERENCES claim_groups(id) ON DELETE CASCADE,
      added_by      TEXT NOT NULL,
      added_at      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX claim_group_members_by_group ON claim_group_members(group_id);

    CREATE TABLE claim_group_history (
      id          INTEGER PRIMARY KEY,
      group_id    TEXT NOT NULL,                    -- kept after the group is merged away
      action      TEXT NOT NULL,                    -- create, add, remove, merge, rename, note, delete
      detail      TEXT NOT NULL DEFAULT '{}',       -- JSON
      actor       TEXT NOT NULL,
      at          TEXT NOT NULL
    ) STRICT;
    CREATE INDEX claim_group_history_by_group ON claim_group_history(group_id, id);
  `);
}
