import type Database from 'better-sqlite3';

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
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const t = make(fn);
    return Object.assign((...args: never[]) => t.immediate(...args), { default: t.immediate, deferred: t.deferred, immediate: t.immediate, exclusive: t.exclusive, database: db });
  }) as unknown as Database.Database['transaction'];
}
