/**
 * Restoring a backup over the live database: checked first, the current state
 * backed up, then the backup's pages copied in through SQLite's backup API
 * (so the live file's WAL and shared-memory index stay consistent and open
 * connections see the restored content), then migrated if it is older.
 */
import Database from 'better-sqlite3';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { RestoreReport } from '../../shared/backups.js';
import { BackupError, backupFolder, createBackup, DEFAULT_KEEP, inspectBackup } from './backup.js';
import { openDatabase, type Db } from './database.js';
import { MIGRATIONS } from './migrations/index.js';
import { acquireLock, LibraryLockedError, type HeldLock } from './locks.js';
import { checkIntact, DamagedLibraryError } from './transactions.js';

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

/** Whether the file under the open connection no longer reads as a database (overwritten in place while open). */
function damagedUnder(live: Db): boolean {
  try {
    checkIntact(live, {});
    return false;
  } catch (err) {
    if (err instanceof DamagedLibraryError) return true;
    throw err;
  }
}

/**
 * Restores over a library overwritten in place under the open connection.
 * The backup API cannot write into a file that is no longer a database, and
 * the connection must stay usable, so the file keeps its identity: the damaged
 * file and its log are copied aside, the backup's bytes are written over the
 * file (marked for write-ahead logging, as the connection uses it), the log is
 * emptied and its shared index cleared, which makes SQLite rebuild the index
 * and drop every cached page on the next read.
 */
function restoreOverDamaged(dbFile: string, backupFile: string, now: Date): string {
  const folder = backupFolder(dbFile);
  mkdirSync(folder, { recursive: true });
  const name = `damaged-${now.toISOString().replaceAll(':', '-')}-${basename(dbFile)}`;
  for (const suffix of ['', '-wal'])
    if (existsSync(`${dbFile}${suffix}`)) copyFileSync(`${dbFile}${suffix}`, join(folder, `${name}${suffix}`));
  const bytes = readFileSync(backupFile);
  // Bytes 18 and 19 of the header: the file format versions, 2 for write-ahead logging.
  bytes[18] = 2;
  bytes[19] = 2;
  const overwrite = (file: string, data: Uint8Array, truncate: boolean) => {
    const fd = openSync(file, 'r+');
    try {
      if (truncate) ftruncateSync(fd, 0);
      writeSync(fd, data, 0, data.length, 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };
  overwrite(dbFile, bytes, true);
  if (existsSync(`${dbFile}-wal`)) overwrite(`${dbFile}-wal`, new Uint8Array(0), true);
  // The index's two header copies and checkpoint information: zeroed, they are read as "not built yet".
  if (existsSync(`${dbFile}-shm`)) overwrite(`${dbFile}-shm`, new Uint8Array(136), false);
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
  if (opts.live && damagedUnder(opts.live)) {
    // A damaged library holds no readable lock, and cannot be backed up; it is kept as it is, aside.
    const aside = restoreOverDamaged(dbFile, backupFile, (opts.now ?? (() => new Date()))());
    return report(dbFile, backupFile, found.schemaVersion, aside, opts);
  }
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
