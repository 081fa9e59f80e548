import type { Database } from 'better-sqlite3';

/** The change-log key of the claims table row of a claim in no group (as in version 12). */
const span = (a: string) => `'span:' || ${a}.article_id || ':' || ${a}.start || ':' || ${a}.end`;

/** Logs the claims table rows (groups and ungrouped spans) of the claims attributed to the sources `sources` selects. */
const logClaimsOf = (sources: string) => `
      INSERT INTO claims_changes (group_id)
        SELECT m.group_id FROM source_links l JOIN claim_group_members m ON m.annotation_id = l.claim_id WHERE l.source_id IN (${sources});
      INSERT INTO claims_changes (group_id)
        SELECT ${span('c')} FROM source_links l JOIN annotations c ON c.id = l.claim_id WHERE l.source_id IN (${sources}) AND c.label = 'claim';`;

/**
 * Version 14: named source entities. A source annotation may belong to one
 * entity ("Marco Rubio"), which the claims table, its source filter and the
 * exports name instead of the quoted wording ("U.S. Secretary of State Marco
 * Rubio"). Ids are UUIDs, like claim groups, so entities can travel in
 * bundles. Every change is kept in a history, as for groups. The change log
 * of the claims table (version 5) learns of renames and of sources joining
 * or leaving an entity, since both change the rows of the claims attributed
 * to them. Never edit once shipped.
 */
export function migration014(db: Database): void {
  db.exec(`
    CREATE TABLE source_entities (
      id          TEXT PRIMARY KEY,                 -- UUID
      name        TEXT NOT NULL,
      created_by  TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE source_entity_members (
      annotation_id TEXT PRIMARY KEY REFERENCES annotations(id) ON DELETE CASCADE,
      entity_id     TEXT NOT NULL REFERENCES source_entities(id) ON DELETE CASCADE,
      added_by      TEXT NOT NULL,
      added_at      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX source_entity_members_by_entity ON source_entity_members(entity_id);

    CREATE TABLE source_entity_history (
      id          INTEGER PRIMARY KEY,
      entity_id   TEXT NOT NULL,                    -- kept after the entity is merged away
      action      TEXT NOT NULL,                    -- create, add, remove, merge, rename, delete, restore
      detail      TEXT NOT NULL DEFAULT '{}',       -- JSON
      actor       TEXT NOT NULL,
      at          TEXT NOT NULL
    ) STRICT;
    CREATE INDEX source_entity_history_by_entity ON source_entity_history(entity_id, id);

    CREATE TRIGGER claims_changes_entity_rename AFTER UPDATE OF name ON source_entities BEGIN
      ${logClaimsOf('SELECT annotation_id FROM source_entity_members WHERE entity_id = NEW.id')}
    END;
    CREATE TRIGGER claims_changes_entity_member_insert AFTER INSERT ON source_entity_members BEGIN
      ${logClaimsOf('NEW.annotation_id')}
    END;
    CREATE TRIGGER claims_changes_entity_member_update AFTER UPDATE ON source_entity_members BEGIN
      ${logClaimsOf('OLD.annotation_id, NEW.annotation_id')}
    END;
    CREATE TRIGGER claims_changes_entity_member_delete AFTER DELETE ON source_entity_members BEGIN
      ${logClaimsOf('OLD.annotation_id')}
    END;
  `);
}
