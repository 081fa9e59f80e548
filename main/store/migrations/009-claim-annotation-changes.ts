import type { Database } from 'better-sqlite3';

/**
 * Version 9: a log of the annotations that are, or were, claims, for the
 * similar-claims index. The suggestions compare a claim with every other
 * claim's wording; a host keeps that index in memory and, like the claims
 * table (version 5), patches it from a log written by triggers, so writes
 * by any connection (the API, the import worker, the command line, bundles)
 * reach it without rebuilding 100,000 claims. Group names and memberships
 * come from the claims log already; this one adds what it does not name:
 * ungrouped claims made, deleted, relabelled or moved. Never edit once shipped.
 */
export function migration009(db: Database): void {
  db.exec(`
    CREATE TABLE claim_annotation_changes (
      seq            INTEGER PRIMARY KEY AUTOINCREMENT,
      annotation_id  TEXT NOT NULL
    );

    CREATE TRIGGER claim_annotation_changes_insert AFTER INSERT ON annotations WHEN NEW.label = 'claim' BEGIN
      INSERT INTO claim_annotation_changes (annotation_id) VALUES (NEW.id);
    END;
    CREATE TRIGGER claim_annotation_changes_update AFTER UPDATE OF id, article_id, quote, label ON annotations
      WHEN OLD.label = 'claim' OR NEW.label = 'claim' BEGIN
      INSERT INTO claim_annotation_changes (annotation_id) VALUES (OLD.id);
      INSERT INTO claim_annotation_changes (annotation_id) SELECT NEW.id WHERE NEW.id <> OLD.id;
    END;
    CREATE TRIGGER claim_annotation_changes_delete AFTER DELETE ON annotations WHEN OLD.label = 'claim' BEGIN
      INSERT INTO claim_annotation_changes (annotation_id) VALUES (OLD.id);
    END;
  `);
}
