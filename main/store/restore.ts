/**
 * Restoring a backup over the live database: checked first, the current state
 * backed up, then the backup's pages copied in through SQLite's backup API
 * (so the live file's WAL and shared-memory index stay consistent and open
 * connections see the restored content), then migrated if it is older.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { RestoreReport } from '../../shared/backups.js';
import { BackupError, backupFolder, createBackup, DEFAULT_KEEP, inspectBackup } from './backup.js';
import { openDatabase, type Db } from './database.js';
import { MIGRATIONS } from './migrations/index.js';
import { acquireLock, LibraryLockedError, type HeldLock } from './locks.js';

export interface RestoreOptions {
  /** The app's open connection to `dbFile`: the safety backup is taken through it, and it stays open and usable. */
  live?: Db;
  keep?: number;
  now?: () => Date;
}

const errorCode = (err: unknown): string | undefined => (err as { code?: unknown }).code as string | undefined;

/** Copies every page of `source` into the database file, retrying while another connection holds it. */
async function copyInto(source: Db, dbFile: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      // All pages in one step: the live file is locked for as short a time as possible.
      await source.backup(dbFile, { progress: () => 0x7fffffff });
      return;
    } catch (err) {
      if (errorCode(err) !== 'SQLITE_BUSY' || attempt >= 50) throw err;
      await delay(100);
    }
  }
}

/**
 * Moves a database SQLite cannot read out of the way (into the backups
 * folder), so a restore can still bring back a working one.
 */
function setAsideDamaged(dbFile: string, now: Date): string {
  const folder = backupFolder(dbFile);
  mkdirSync(folder, { recursive: true });
  const name = `damaged-${now.toISOString().replaceAll(':', '-')}-${basename(dbFile)}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(`${dbFile}${suffix}`)) renameSync(`${dbFile}${suffix}`, join(folder, `${name}${suffix}`));
  }
  return name;
}

/** Backs up the database as it is now, through its open connection or a new one. */
async function safetyBackup(dbFile: string, opts: RestoreOptions): Promise<string | null> {
  // Kept whatever the limit, and pruning waits for the next backup: the file being restored may be the oldest.
  const options = { reason: 'pre-restore' as const, keep: Number.POSITIVE_INFINITY, now: opts.now };
  if (opts.live) return (await createBackup(opts.live, dbFile, options)).file;
  if (!existsSync(dbFile)) return null;
  let current: Db | undefined;
  try {
    current = openDatabase(dbFile, MIGRATIONS, { keepBackups: opts.keep });
    return (await createBackup(current, dbFile, options)).file;
  } catch (err) {
    if (errorCode(err) !== 'SQLITE_CORRUPT' && errorCode(err) !== 'SQLITE_NOTADB') throw err;
    current?.close();
    current = undefined;
    return setAsideDamaged(dbFile, (opts.now ?? (() => new Date()))());
  } finally {
    current?.close();
  }
}

/**
 * Replaces the content of `dbFile` with the backup `backupFile`. Refuses
 * (with a {@link BackupError} naming the file, changing nothing) a file that
 * is not an intact Claimdesk database or was written by a newer Claimdesk.
 */
export async function restoreBackup(dbFile: string, backupFile: string, opts: RestoreOptions = {}): Promise<RestoreReport> {
  const found = inspectBackup(backupFile);
  // Refused while any process imports into this library (its lock is in the library); held through the copy.
  let lockDb: Db | null = opts.live ?? null;
  if (!lockDb && existsSync(dbFile)) {
    try {
      lockDb = openDatabase(dbFile, MIGRATIONS, { keepBackups: opts.keep });
    } catch {
      lockDb = null; // a damaged library holds no lock; it is set aside below
    }
  }
  let lock: HeldLock | null = null;
  try {
    try {
      lock = lockDb ? acquireLock(lockDb, 'restore') : null;
    } catch (err) {
      if (err instanceof LibraryLockedError) throw new BackupError(`cannot restore ${basename(backupFile)} now: ${err.message}`);
      throw err;
    }
    if (!opts.live) {
      lockDb?.close();
      lockDb = null;
    }
    const safety = await safetyBackup(dbFile, opts);
    const source = new Database(backupFile, { readonly: true, fileMustExist: true });
    try {
      await copyInto(source, dbFile);
    } finally {
      source.close();
    }
    return report(dbFile, backupFile, found.schemaVersion, safety, opts);
  } finally {
    // The copy replaced the lock's row with the backup's content; a refused or failed restore removes it.
    lock?.release();
    if (lock && !opts.live) {
      try {
        const db = openDatabase(dbFile, MIGRATIONS, { keepBackups: opts.keep });
        try {
          db.prepare("DELETE FROM library_locks WHERE kind = 'restore' AND pid = ?").run(process.pid);
        } finally {
          db.close();
        }
      } catch {
        // An older restored library has no locks table; a leftover lock goes stale by itself.
      }
    }
  }
}

function report(dbFile: string, backupFile: string, fromVersion: number, safety: string | null, opts: RestoreOptions): RestoreReport {
  // A backup from an older Claimdesk is migrated now (backed up first, like any migration).
  const db = openDatabase(dbFile, MIGRATIONS, { keepBackups: opts.keep ?? DEFAULT_KEEP });
  try {
    const n = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      restored: basename(backupFile),
      safetyBackup: safety,
      fromVersion,
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      articles: n('articles'),
      annotations: n('annotations'),
    };
  } finally {
    db.close();
  }
}
