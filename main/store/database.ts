import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/** Raised for a database this version of Claimdesk must not touch. */
export class DatabaseVersionError extends Error {
  override name = 'DatabaseVersionError';
}

/**
 * Opens (creating if needed) a Claimdesk database: WAL journal, foreign keys,
 * FULL sync so an acknowledged write survives a power cut, a busy timeout so a
 * second process (the CLI) waits instead of failing, then pending migrations.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // A 64 MB page cache (default 2 MB): the claims aggregate and book-length articles read far more than that.
    db.pragma('cache_size = -65536');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Applies every pending migration in one transaction; refuses newer databases. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const target = migrations.length;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > target) {
    throw new DatabaseVersionError(
      `${db.name} was written by a newer Claimdesk (schema version ${current}; this version knows up to ${target}). Update Claimdesk to open it.`,
    );
  }
  if (current === target) return;
  db.transaction(() => {
    for (const m of migrations.slice(current)) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
}

export { SCHEMA_VERSION };
