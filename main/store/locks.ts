/**
 * Locks in the library itself (schema 11), seen by every process that opens
 * it: an import holds one while it runs; a restore takes one for its copy.
 * Each refuses while the other is live. A lock counts as live while its
 * heartbeat is younger than LOCK_STALE_MS, so a killed holder's lock expires.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from './database.js';

/** A heartbeat older than this means the holder is gone. */
export const LOCK_STALE_MS = 30_000;
/** How often a holder refreshes its heartbeat. */
export const LOCK_BEAT_MS = 5_000;

export class LibraryLockedError extends Error {
  override name = 'LibraryLockedError';
}

export type LockKind = 'import' | 'restore';

const hasLocks = (db: Db) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'library_locks'").get() !== undefined;

/** Whether process `pid` of this machine is running (a killed holder's lock holds nothing). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Live locks of a kind, held by any process: a fresh heartbeat and, on this machine, a running holder. */
export function liveLocks(db: Db, kind: LockKind, now = Date.now()): { pid: number; startedAt: string }[] {
  if (!hasLocks(db)) return [];
  const rows = db
    .prepare('SELECT pid, host, started_at AS startedAt FROM library_locks WHERE kind = ? AND heartbeat_at > ?')
    .all(kind, new Date(now - LOCK_STALE_MS).toISOString()) as { pid: number; host: string; startedAt: string }[];
  return rows.filter((r) => r.host !== hostname() || running(r.pid)).map(({ pid, startedAt }) => ({ pid, startedAt }));
}

export interface HeldLock {
  /** Refreshes the heartbeat (also done on a timer while held). */
  beat: () => void;
  release: () => void;
}

const WHY: Record<LockKind, string> = {
  import: 'an import is running on this library (in this or another window, or the command line); let it finish or cancel it, then restore',
  restore: 'a backup is being restored into this library; import again when it has finished',
};

/**
 * Takes a lock of `kind`, refusing (LibraryLockedError) while a lock of the
 * other kind is live. Check and take are one transaction, so a restore and an
 * import starting at once cannot both win. A library from before schema 11
 * has no locks: then this holds nothing.
 */
export function acquireLock(db: Db, kind: LockKind): HeldLock {
  if (!hasLocks(db)) return { beat: () => undefined, release: () => undefined };
  const other: LockKind = kind === 'import' ? 'restore' : 'import';
  const id = randomUUID();
  db.transaction(() => {
    if (liveLocks(db, other).length > 0) throw new LibraryLockedError(WHY[other]);
    const at = new Date().toISOString();
    db.prepare('INSERT INTO library_locks (id, kind, pid, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      id,
      kind,
      process.pid,
      hostname(),
      at,
      at,
    );
  })();
  const beat = () => {
    try {
      if (db.open) db.prepare('UPDATE library_locks SET heartbeat_at = ? WHERE id = ?').run(new Date().toISOString(), id);
    } catch {
      // A busy moment: the next beat comes well before the lock goes stale.
    }
  };
  const timer = setInterval(beat, LOCK_BEAT_MS);
  timer.unref();
  return {
    beat,
    release: () => {
      clearInterval(timer);
      try {
        if (db.open) db.prepare('DELETE FROM library_locks WHERE id = ?').run(id);
      } catch {
        // Left behind, it goes stale on its own.
      }
    },
  };
}
