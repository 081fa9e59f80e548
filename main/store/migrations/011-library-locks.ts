import type { Database } from 'better-sqlite3';

/**
 * Version 11: locks every process on a library can see. An import (in any
 * window's worker or the command line) holds one while it runs, and a restore
 * refuses while one is live, and the other way round; a flag in one process
 * cannot stop another host or the CLI. A lock is live while its holder keeps
 * its heartbeat fresh and, on this machine, its process is alive, so one
 * left by a killed process does not hold the library. Never edit
 * once shipped.
 */
export function migration011(db: Database): void {
  db.exec(`
    CREATE TABLE library_locks (
      id            TEXT PRIMARY KEY,
      kind          TEXT NOT NULL CHECK (kind IN ('import', 'restore')),
      pid           INTEGER NOT NULL,
      host          TEXT NOT NULL,
      started_at    TEXT NOT NULL,
      heartbeat_at  TEXT NOT NULL
    );
  `);
}
