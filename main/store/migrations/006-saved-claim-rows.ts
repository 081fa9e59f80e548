import type { Database } from 'better-sqlite3';

/**
 * Version 6: the claims table saved with the database. A host keeps the
 * table in memory and patches it from the change log (version 5); it also
 * writes the rows it built here, with the log position they stand at, so the
 * next start reads them back and applies only the changes since, instead of
 * building 10,000 groups from scratch. Derived data only: a missing, stale
 * or unreadable saved table costs one rebuild, never a wrong table.
 *
 * `claim_rows_state.format` is the row layout the rows were written in (a
 * Claimdesk that builds rows differently ignores them); `token` changes on
 * every write, so a host can tell that the file it reads holds the rows it
 * wrote itself (and not, after a restore, another file's). Never edit once
 * shipped.
 */
export function migration006(db: Database): void {
  db.exec(`
    CREATE TABLE claim_rows_saved (
      group_id    TEXT PRIMARY KEY,   -- no foreign key: the log, not a cascade, says when a row is stale
      created_at  TEXT NOT NULL,
      row         TEXT NOT NULL       -- a ClaimRow as JSON
    ) STRICT;

    CREATE TABLE claim_rows_state (
      id      INTEGER PRIMARY KEY CHECK (id = 1),
      format  INTEGER NOT NULL,
      seq     INTEGER NOT NULL,       -- the claims_changes position the saved rows include
      token   TEXT NOT NULL
    ) STRICT;
  `);
}
