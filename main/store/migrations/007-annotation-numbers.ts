import type { Database } from 'better-sqlite3';

/**
 * Version 7: every annotation and claim group gets a small integer number
 * (`n`), and the membership and link tables carry the numbers of the rows
 * they name beside their UUIDs. Building the whole claims table joins
 * 100,000 members and links to their annotations; with text keys that join
 * cost more than everything else put together (hashing 300,000 UUIDs); with
 * numbers it is an array index.
 *
 * The numbers are filled by triggers, so no writer has to know about them,
 * and they never change: `n` is a column of its own, not the rowid (which a
 * VACUUM may renumber). A new row takes one more than the largest number in
 * use. The UUIDs stay the keys everything else uses.
 *
 * The change-log triggers on membership and link updates (version 5) fired
 * on any column; they are narrowed first to the columns that matter, so
 * filling a number (here or later) does not log a change. Never edit once shipped.
 */
export function migration007(db: Database): void {
  db.exec(`
    DROP TRIGGER claims_changes_member_update;
    CREATE TRIGGER claims_changes_member_update AFTER UPDATE OF annotation_id, group_id ON claim_group_members BEGIN
      INSERT INTO claims_changes (group_id) VALUES (OLD.group_id);
      INSERT INTO claims_changes (group_id) SELECT NEW.group_id WHERE NEW.group_id <> OLD.group_id;
    END;
    DROP TRIGGER claims_changes_link_update;
    CREATE TRIGGER claims_changes_link_update AFTER UPDATE OF claim_id, source_id, kind ON source_links BEGIN
      INSERT INTO claims_changes (group_id) SELECT group_id FROM claim_group_members WHERE annotation_id IN (OLD.claim_id, NEW.claim_id);
    END;

    ALTER TABLE annotations ADD COLUMN n INTEGER;
    UPDATE annotations SET n = rowid;
    CREATE UNIQUE INDEX annotations_by_n ON annotations(n);
    CREATE TRIGGER annotations_number AFTER INSERT ON annotations WHEN NEW.n IS NULL BEGIN
      UPDATE annotations SET n = (SELECT coalesce(max(n), 0) + 1 FROM annotations) WHERE rowid = NEW.rowid;
    END;

    ALTER TABLE claim_groups ADD COLUMN n INTEGER;
    UPDATE claim_groups SET n = rowid;
    CREATE UNIQUE INDEX claim_groups_by_n ON claim_groups(n);
    CREATE TRIGGER claim_groups_number AFTER INSERT ON claim_groups WHEN NEW.n IS NULL BEGIN
      UPDATE claim_groups SET n = (SELECT coalesce(max(n), 0) + 1 FROM claim_groups) WHERE rowid = NEW.rowid;
    END;

    ALTER TABLE claim_group_members ADD COLUMN annotation_n INTEGER;
    ALTER TABLE claim_group_members ADD COLUMN group_n INTEGER;
    UPDATE claim_group_members SET annotation_n = (SELECT n FROM annotations WHERE id = annotation_id), group_n = (SELECT n FROM claim_groups WHERE id = group_id);
    CREATE TRIGGER claim_group_members_number AFTER INSERT ON claim_group_members BEGIN
      UPDATE claim_group_members SET annotation_n = (SELECT n FROM annotations WHERE id = NEW.annotation_id), group_n = (SELECT n FROM claim_groups WHERE id = NEW.group_id)
        WHERE rowid = NEW.rowid;
    END;
    CREATE TRIGGER claim_group_members_renumber AFTER UPDATE OF annotation_id, group_id ON claim_group_members BEGIN
      UPDATE claim_group_members SET annotation_n = (SELECT n FROM annotations WHERE id = NEW.annotation_id), group_n = (SELECT n FROM claim_groups WHERE id = NEW.group_id)
        WHERE rowid = NEW.rowid;
    END;

    ALTER TABLE source_links ADD COLUMN claim_n INTEGER;
    ALTER TABLE source_links ADD COLUMN source_n INTEGER;
    UPDATE source_links SET claim_n = (SELECT n FROM annotations WHERE id = claim_id), source_n = (SELECT n FROM annotations WHERE id = source_id);
    CREATE TRIGGER source_links_number AFTER INSERT ON source_links BEGIN
      UPDATE source_links SET claim_n = (SELECT n FROM annotations WHERE id = NEW.claim_id), source_n = (SELECT n FROM annotations WHERE id = NEW.source_id)
        WHERE rowid = NEW.rowid;
    END;
    CREATE TRIGGER source_links_renumber AFTER UPDATE OF claim_id, source_id ON source_links BEGIN
      UPDATE source_links SET claim_n = (SELECT n FROM annotations WHERE id = NEW.claim_id), source_n = (SELECT n FROM annotations WHERE id = NEW.source_id)
        WHERE rowid = NEW.rowid;
    END;

  `);
}
