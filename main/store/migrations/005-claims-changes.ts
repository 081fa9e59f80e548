import type { Database } from 'better-sqlite3';

/**
 * Version 5: a log of the claim groups whose row in the claims table may have
 * changed, written by triggers, so a host keeping the table in memory
 * rebuilds only those rows after a change (by any connection: the API, the
 * import worker, the CLI) instead of the whole table. Whatever touches a
 * group's row logs the group: the group itself, its members, their
 * attributions, a member claim or a linked source being edited, and the
 * title, outlet or date of an article holding a member. Deletions cascade
 * into member and link deletions, which log themselves.
 *
 * Readers remember the last `seq` they applied; the log is trimmed when a
 * database is opened (see `trimClaimsChanges`), and a reader that finds its
 * position trimmed away rebuilds the whole table. Never edit once shipped.
 */
export function migration005(db: Database): void {
  db.exec(`
    CREATE TABLE claims_changes (
      seq       INTEGER PRIMARY KEY AUTOINCREMENT,
      group_id  TEXT NOT NULL
    );

    CREATE TRIGGER claims_changes_group_insert AFTER INSERT ON claim_groups BEGIN
      INSERT INTO claims_changes (group_id) VALUES (NEW.id);
    END;
    CREATE TRIGGER claims_changes_group_update AFTER UPDATE OF id, canonical, note, created_at ON claim_groups BEGIN
      INSERT INTO claims_changes (group_id) VALUES (OLD.id);
      INSERT INTO claims_changes (group_id) SELECT NEW.id WHERE NEW.id <> OLD.id;
    END;
    CREATE TRIGGER claims_changes_group_delete AFTER DELETE ON claim_groups BEGIN
      INSERT INTO claims_changes (group_id) VALUES (OLD.id);
    END;

    CREATE TRIGGER claims_changes_member_insert AFTER INSERT ON claim_group_members BEGIN
      INSERT INTO claims_changes (group_id) VALUES (NEW.group_id);
    END;
    CREATE TRIGGER claims_changes_member_update AFTER UPDATE ON claim_group_members BEGIN
      INSERT INTO claims_changes (group_id) VALUES (OLD.group_id);
      INSERT INTO claims_changes (group_id) SELECT NEW.group_id WHERE NEW.group_id <> OLD.group_id;
    END;
    CREATE TRIGGER claims_changes_member_delete AFTER DELETE ON claim_group_members BEGIN
      INSERT INTO claims_changes (group_id) VALUES (OLD.group_id);
    END;

    CREATE TRIGGER claims_changes_link_insert AFTER INSERT ON source_links BEGIN
      INSERT INTO claims_changes (group_id) SELECT group_id FROM claim_group_members WHERE annotation_id = NEW.claim_id;
    END;
    CREATE TRIGGER claims_changes_link_update AFTER UPDATE ON source_links BEGIN
      INSERT INTO claims_changes (group_id) SELECT group_id FROM claim_group_members WHERE annotation_id IN (OLD.claim_id, NEW.claim_id);
    END;
    CREATE TRIGGER claims_changes_link_delete AFTER DELETE ON source_links BEGIN
      INSERT INTO claims_changes (group_id) SELECT group_id FROM claim_group_members WHERE annotation_id = OLD.claim_id;
    END;

    CREATE TRIGGER claims_changes_annotation_update AFTER UPDATE OF id, article_id, quote, label, annotator ON annotations BEGIN
      INSERT INTO claims_changes (group_id) SELECT group_id FROM claim_group_members WHERE annotation_id IN (OLD.id, NEW.id);
      INSERT INTO claims_changes (group_id)
        SELECT m.group_id FROM source_links l JOIN claim_group_members m ON m.annotation_id = l.claim_id WHERE l.source_id IN (OLD.id, NEW.id);
    END;

    CREATE TRIGGER claims_changes_article_update AFTER UPDATE OF id, title, outlet, published_at ON articles BEGIN
      INSERT INTO claims_changes (group_id)
        SELECT m.group_id FROM annotations a JOIN claim_group_members m ON m.annotation_id = a.id WHERE a.article_id IN (OLD.id, NEW.id);
    END;
  `);
}
