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
/** A table's own numbers: the rows it has numbered in rowid order, and each new row one more than the largest in use. */
function numbered(table: string): string {
  return `
    ALTER TABLE ${table} ADD COLUMN n INTEGER;
    UPDATE ${table} SET n = rowid;
    CREATE UNIQUE INDEX ${table}_by_n ON ${table}(n);
    CREATE TRIGGER ${table}_number AFTER INSERT ON ${table} WHEN NEW.n IS NULL BEGIN
      UPDATE ${table} SET n = (SELECT coalesce(max(n), 0) + 1 FROM ${table}) WHERE rowid = NEW.rowid;
    END;`;
}

/** Columns holding the numbers of the rows a table names by UUID (number column → [numbered table, UUID column]), filled now, on insert and when a UUID changes. */
function carriesNumbers(table: string, columns: Record<string, [numberedTable: string, uuidColumn: string]>): string {
  const entries = Object.entries(columns);
  const fill = (row: string) =>
    entries.map(([column, [from, uuid]]) => `${column} = (SELECT n FROM ${from} WHERE id = ${row}${uuid})`).join(', ');
  return `
    ${entries.map(([column]) => `ALTER TABLE ${table} ADD COLUMN ${column} INTEGER;`).join('\n    ')}
    UPDATE ${table} SET ${fill('')};
    CREATE TRIGGER ${table}_number AFTER INSERT ON ${table} BEGIN
      UPDATE ${table} SET ${fill('NEW.')} WHERE rowid = NEW.rowid;
    END;
    CREATE TRIGGER ${table}_renumber AFTER UPDATE OF ${entries.map(([, [, uuid]]) => uuid).join(', ')} ON ${table} BEGIN
      UPDATE ${table} SET ${fill('NEW.')} WHERE rowid = NEW.rowid;
    END;`;
}

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

    ${numbered('annotations')}
    ${numbered('claim_groups')}
    ${carriesNumbers('claim_group_members', { annotation_n: ['annotations', 'annotation_id'], group_n: ['claim_groups', 'group_id'] })}
    ${carriesNumbers('source_links', { claim_n: ['annotations', 'claim_id'], source_n: ['annotations', 'source_id'] })}
  `);
}
