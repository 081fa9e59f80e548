import type Database from 'better-sqlite3';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The first bytes of every SQLite database file. */
const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Raised when the database file under an open connection is no longer a database. */
export class DamagedLibraryError extends Error {
  override name = 'DamagedLibraryError';
  /** Read by storageFailure, like SQLite's own error for a damaged file. */
  readonly code = 'SQLITE_CORRUPT';
}

/**
 * Throws when the file under `db` has been overwritten or replaced since it
 * was opened (its header is not SQLite's, or it is another file now): a
 * connection keeps serving from its cache and its log, and would acknowledge
 * writes that are lost. Costs one 16-byte read.
 */
export function checkIntact(db: Database.Database, identity: { ino?: number }): void {
  if (db.memory || db.name === '') return;
  let fd: number;
  try {
    fd = openSync(db.name, 'r');
  } catch {
    throw new DamagedLibraryError(`the library file ${db.name} is gone from under the open connection`);
  }
  try {
    const head = Buffer.alloc(MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    const { ino } = fstatSync(fd);
    identity.ino ??= ino;
    if (n === 0 && ino === identity.ino) return; // a new database before its first page
    if (!head.equals(MAGIC))
      throw new DamagedLibraryError(`the library file ${db.name} was overwritten while open and is no longer a database`);
    if (ino !== identity.ino) throw new DamagedLibraryError(`the library file ${db.name} was replaced by another file while open`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes every `db.transaction(fn)()` begin IMMEDIATE: it takes the write lock
 * at BEGIN, waiting for it under the busy timeout. Every transaction Claimdesk
 * runs writes, and in WAL mode a DEFERRED one that reads and then writes fails
 * at once with SQLITE_BUSY (the busy timeout does not apply) whenever another
 * process (the CLI, a second window, the import worker) committed in between.
 * Nested calls still become savepoints; `.deferred()` and the other variants
 * stay available.
 */
export function immediateTransactions(db: Database.Database): void {
  const make = db.transaction.bind(db);
  const identity: { ino?: number } = {};
  let depth = 0;
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    // The file is checked once the write lock is held, before anything is written:
    // a write into a damaged library fails and is never acknowledged.
    const t = make((...args: never[]) => {
      if (depth === 0) checkIntact(db, identity);
      depth++;
      try {
        return fn(...args);
      } finally {
        depth--;
      }
    });
    return Object.assign((...args: never[]) => t.immediate(...args), {
      default: t.immediate,
      deferred: t.deferred,
      immediate: t.immediate,
      exclusive: t.exclusive,
      database: db,
    });
  }) as unknown as Database.Database['transaction'];
}
