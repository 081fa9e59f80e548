import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createBackupSync } from './backup.js';
import type { Db } from './connection.js';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations/index.js';
import { immediateTransactions } from './transactions.js';

export type { Db } from './connection.js';

/** Raised for a database this version of Claimdesk must not touch. */
export class DatabaseVersionError extends Error {
  override name = 'DatabaseVersionError';
}

/**
 * Opens (creating if needed) a Claimdesk database: WAL journal, foreign keys,
 * FULL sync so an acknowledged write survives a power cut, a busy timeout so a
 * second process (the CLI) waits instead of failing, then pending migrations.
 * A database from a newer Claimdesk is refused before anything is written to
 * it; an existing one is backed up (into `backups/<name>/` beside it) before it is
 * migrated, keeping the newest `keepBackups` backups.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS, options: { keepBackups?: number } = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  immediateTransactions(db);
  try {
    db.pragma('busy_timeout = 5000');
    const current = refuseNewer(db, migrations.length);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // A 32 MB page cache (default 2 MB): the claims aggregate and book-length articles read far more than that.
    db.pragma('cache_size = -32768');
    if (file !== ':memory:' && current > 0 && current < migrations.length) {
      createBackupSync(db, file, { reason: 'pre-migration', keep: options.keepBackups });
    }
    migrate(db, migrations);
    trimClaimsChanges(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** How many entries of the claims change log are kept (a reader further behind rebuilds the whole claims table). */
export const CLAIMS_CHANGES_KEPT = 50_000;

/** Trims the change logs (the claims log of schema version 5, the claim annotations log of 8) to their newest entries; reads only, unless there is something to trim. */
function trimClaimsChanges(db: Db): void {
  for (const table of ['claims_changes', 'claim_annotation_changes']) {
    const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    if (!hasLog) continue;
    // Two statements: a lone min() or max() is read from the key's b-tree; both in one statement scan the log.
    const lo = db.prepare(`SELECT min(seq) FROM ${table}`).pluck().get() as number | null;
    const hi = db.prepare(`SELECT max(seq) FROM ${table}`).pluck().get() as number | null;
    if (lo === null || hi === null || hi - lo < CLAIMS_CHANGES_KEPT) continue;
    try {
      db.prepare(`DELETE FROM ${table} WHERE seq <= ?`).run(hi - CLAIMS_CHANGES_KEPT);
    } catch {
      // A read-only or busy database opens all the same: trimming is housekeeping, and the next open tries again.
    }
  }
}

/** The database's schema version; throws when a newer Claimdesk wrote it. */
function refuseNewer(db: Db, known: number): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > known) {
    throw new DatabaseVersionError(
      `${db.name} was written by a newer Claimdesk (schema version ${current}; this version knows up to ${known}). Update Claimdesk to open it.`,
    );
  }
  return current;
}

/** Applies every pending migration in one transaction; refuses newer databases. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = refuseNewer(db, migrations.length);
  if (current === migrations.length) return;
  db.transaction(() => {
    for (const m of migrations.slice(current)) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
}

export { SCHEMA_VERSION };

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement kept per connection, for the small statements run
 * once per row in large writes (a bundle of 120,000 annotations prepared
 * each one 400,000 times). Only for statements used at once with run() or
 * get() and never given a mode (pluck, raw, expand): the same object is
 * handed to every caller of the same SQL.
 */
export function statement(db: Db, sql: string): Database.Statement {
  let byDb = statements.get(db);
  if (!byDb) statements.set(db, (byDb = new Map()));
  let s = byDb.get(sql);
  if (!s) byDb.set(sql, (s = db.prepare(sql)));
  return s;
}
