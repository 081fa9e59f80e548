import type { Database } from 'better-sqlite3';

/** The change-log key of the claims table row of a claim in no group: its span, shared by every layer's copy of it. */
const span = (a: string) => `'span:' || ${a}.article_id || ':' || ${a}.start || ':' || ${a}.end`;

/**
 * Version 12: the claims table also has a row for each claim in no group,
 * one per span whichever layers hold it. The change log (version 5) names
 * those rows by their span key (`span:<article>:<start>:<end>`), written by
 * these triggers for whatever can change one: a claim made, deleted, moved
 * or relabelled; a claim joining or leaving a group; its attributions; a
 * linked source's wording; its article's title, outlet or date. Never edit
 * once shipped.
 */
export function migration012(db: Database): void {
  db.exec(`
    CREATE TRIGGER claims_changes_claim_insert AFTER INSERT ON annotations WHEN NEW.label = 'claim' BEGIN
      INSERT INTO claims_changes (group_id) VALUES (${span('NEW')});
    END;
    CREATE TRIGGER claims_changes_claim_delete AFTER DELETE ON annotations WHEN OLD.label = 'claim' BEGIN
      INSERT INTO claims_changes (group_id) VALUES (${span('OLD')});
    END;
    CREATE TRIGGER claims_changes_claim_update AFTER UPDATE OF id, article_id, start, end, quote, label, annotator, created_at ON annotations BEGIN
      INSERT INTO claims_changes (group_id) SELECT ${span('OLD')} WHERE OLD.label = 'claim';
      INSERT INTO claims_changes (group_id) SELECT ${span('NEW')} WHERE NEW.label = 'claim';
      INSERT INTO claims_changes (group_id)
        SELECT ${span('c')} FROM source_links l JOIN annotations c ON c.id = l.claim_id WHERE l.source_id IN (OLD.id, NEW.id);
    END;

    CREATE TRIGGER claims_changes_claim_member_insert AFTER INSERT ON claim_group_members BEGIN
      INSERT INTO claims_changes (group_id) SELECT ${span('a')} FROM annotations a WHERE a.id = NEW.annotation_id;
    END;
    CREATE TRIGGER claims_changes_claim_member_update AFTER UPDATE OF annotation_id, group_id ON claim_group_members BEGIN
      INSERT INTO claims_changes (group_id) SELECT ${span('a')} FROM annotations a WHERE a.id IN (OLD.annotation_id, NEW.annotation_id);
    END;
    CREATE TRIGGER claims_changes_claim_member_delete AFTER DELETE ON claim_group_members BEGIN
      INSERT INTO claims_changes (group_id) SELECT ${span('a')} FROM annotations a WHERE a.id = OLD.annotation_id;
    END;

    CREATE TRIGGER claims_changes_claim_link_insert AFTER INSERT ON source_links BEGIN
      INSERT INTO claims_changes (group_id) SELECT ${span('a')} FROM annotations a WHERE a.id = NEW.claim_id;
    END;
    CREATE TRIGGER claims_changes_claim_link_update AFTER UPDATE OF claim_id, source_id, kind ON source_links BEGIN
      INSERT INTO claims_changes (group_id) SELECT ${span('a')} FROM annotations a WHERE a.id IN (OLD.claim_id, NEW.claim_id);
    END;
    CREATE TRIGGER claims_changes_claim_link_delete AFTER DELETE ON source_links BEGIN
      INSERT INTO claims_changes (group_id) SELECT ${span('a')} FROM annotations a WHERE a.id = OLD.claim_id;
    END;

    CREATE TRIGGER claims_changes_claim_article_update AFTER UPDATE OF id, title, outlet, published_at ON articles BEGIN
      INSERT INTO claims_changes (group_id)
        SELECT ${span('a')} FROM annotations a WHERE a.article_id IN (OLD.id, NEW.id) AND a.label = 'claim';
    END;
  `);
}
