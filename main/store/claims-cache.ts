/**
 * The claims table kept between requests, and saved with the database.
 *
 * Nothing is recomputed while the database is unchanged. After a change,
 * only the groups the change log (`claims_changes`, written by triggers for
 * every connection's writes) names are rebuilt. The rows are also saved in
 * the database (`claim_rows_saved`, schema 6) with the log position they
 * include, so a host that starts (or finds the file replaced by a restore)
 * reads them back and applies the changes since, instead of building every
 * group from scratch (`npm run bench` times both). The whole table is built
 * from scratch only when there are no usable saved rows (a database from an
 * older Claimdesk, a log trimmed past their position, a different row
 * layout) or when more groups changed than rebuilding them one by one is
 * worth.
 */
import { randomUUID } from 'node:crypto';
import type { ClaimRow } from '../../shared/schemas.js';
import { claimRowsOf, keyedClaimRows, type ClaimLayer, type KeyedClaimRow } from './claims.js';
import type { Db } from './database.js';

/**
 * A value that changes whenever the database may have: `data_version` moves
 * on commits by other connections (the import worker, the CLI), and
 * `total_changes()` on this connection's own writes.
 */
export function dataVersion(db: Db): string {
  const other = db.pragma('data_version', { simple: true }) as number;
  const own = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  return `${other}:${own}`;
}

/** Above this many changed groups, rebuilding the whole table is as quick as rebuilding them one by one. */
const INCREMENTAL_LIMIT = 2_000;

/**
 * The layout of saved rows. Change it whenever rows are built differently: saved rows of another layout are ignored
 * and rebuilt. 2: a member relabelled as a source no longer counts as an instance. 3: rows for claims in no group,
 * and a claim several layers hold counted once. 4: sources named by their entity, with the entities cited (schema 14).
 */
export const CLAIM_ROWS_FORMAT = 4;

const groupsFirst = (k: KeyedClaimRow) => (k.row.groupId === null ? 1 : 0);
/** Groups in the order they were made, then claims in no group in the order they were tagged. */
const byCreation = (a: KeyedClaimRow, b: KeyedClaimRow) =>
  groupsFirst(a) - groupsFirst(b) ||
  (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.row.key < b.row.key ? -1 : a.row.key > b.row.key ? 1 : 0);

interface SavedState {
  format: number;
  seq: number;
  token: string;
}

const savedState = (db: Db): SavedState | undefined =>
  db.prepare('SELECT format, seq, token FROM claim_rows_state WHERE id = 1').get() as SavedState | undefined;

/** The saved rows in creation order; throws when they are unreadable. */
function loadSaved(db: Db): KeyedClaimRow[] {
  const saved = db.prepare('SELECT group_id, created_at, row FROM claim_rows_saved').raw().all() as [string, string, string][];
  const keyed = saved.map(([groupId, createdAt, json]): KeyedClaimRow => {
    const row = JSON.parse(json) as ClaimRow;
    if (
      row === null ||
      typeof row !== 'object' ||
      row.key !== groupId ||
      (row.groupId ?? row.key.replace(/^span:.*/, '')) !== (row.groupId === null ? '' : groupId)
    )
      throw new Error(`saved claims table row for ${groupId} is damaged`);
    return { createdAt, row };
  });
  return keyed.sort(byCreation);
}

/** What a refresh leaves to write to the saved rows. */
type Unsaved = { kind: 'all' } | { kind: 'delta'; changed: readonly string[]; fresh: readonly KeyedClaimRow[]; basedOn: string } | null;

export type ClaimRowsRefresh = 'none' | 'full' | 'saved' | 'incremental';

export class ClaimRowsCache {
  /**
   * `layer`: the layer the rows count (null: all, each claim once). Only the
   * all-layers table is saved with the database; a layer's table is kept in
   * memory and patched from the same log.
   */
  constructor(
    private readonly layer: ClaimLayer = null,
    private readonly persist = layer === null,
  ) {}

  private version: string | null = null;
  private db: Db | null = null;
  private seq = 0;
  /**
   * The token of the saved rows this cache's rows are, or null when the file
   * may hold other rows (nothing saved yet, a failed save). A file holding
   * another token was replaced or written by another host: its saved rows,
   * not this cache, are the base to patch.
   */
  private token: string | null = null;
  private keyed: KeyedClaimRow[] = [];
  private cached: readonly ClaimRow[] = Object.freeze([]);
  /** How the last refresh went (for tests and the benchmark): 'saved' read the saved rows and patched them with the changes since. */
  lastRefresh: ClaimRowsRefresh = 'none';

  rows(db: Db): ClaimRow[] {
    const version = dataVersion(db);
    if (version === this.version && db === this.db) {
      this.lastRefresh = 'none';
      return this.cached as ClaimRow[];
    }
    let unsaved: Unsaved = null;
    let refresh: ClaimRowsRefresh = 'none';
    // Read the log position, the saved rows and the changes in one read transaction, so a write in between cannot be missed or applied twice.
    db.transaction(() => {
      const { lo, hi } = db.prepare('SELECT min(seq) AS lo, max(seq) AS hi FROM claims_changes').get() as {
        lo: number | null;
        hi: number | null;
      };
      const top =
        hi ?? (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'claims_changes'").pluck().get() as number | undefined) ?? 0;
      // The log holds every change after `seq` (none trimmed away, and not a log that restarted lower after a restore).
      const logHoldsAfter = (seq: number) => top >= seq && (lo === null ? top === seq : lo <= seq + 1);
      const state = savedState(db);
      const rebuild = () => {
        this.keyed = keyedClaimRows(db, this.layer);
        refresh = 'full';
        unsaved = { kind: 'all' };
      };
      let base: string | null = null;
      if (!this.persist) {
        if (db === this.db && this.version !== null && logHoldsAfter(this.seq)) base = 'memory';
      } else if (db === this.db && this.token !== null && state?.token === this.token && logHoldsAfter(this.seq)) {
        base = this.token;
      } else if (state && state.format === CLAIM_ROWS_FORMAT && logHoldsAfter(state.seq)) {
        try {
          this.keyed = loadSaved(db);
          this.seq = state.seq;
          base = state.token;
          refresh = 'saved';
        } catch {
          // Unreadable saved rows are rebuilt, as if there were none.
        }
      }
      const changed =
        base === null
          ? null
          : (db
              .prepare('SELECT DISTINCT group_id FROM claims_changes WHERE seq > ? LIMIT ?')
              .pluck()
              .all(this.seq, INCREMENTAL_LIMIT + 1) as string[]);
      if (base === null || changed === null || changed.length > INCREMENTAL_LIMIT) {
        rebuild();
      } else if (changed.length > 0) {
        const fresh = claimRowsOf(db, changed, this.layer);
        this.keyed = patch(this.keyed, changed, fresh);
        if (refresh === 'none') refresh = 'incremental';
        unsaved = { kind: 'delta', changed, fresh, basedOn: base };
      }
      if (
        refresh === 'saved' &&
        this.keyed.filter((k) => k.row.groupId !== null).length !==
          (db.prepare('SELECT count(*) FROM claim_groups').pluck().get() as number)
      ) {
        // Saved rows out of step with the groups (edited by hand, or a bug): rebuilt rather than trusted.
        rebuild();
      } else if (unsaved === null && refresh !== 'full') {
        // Nothing that touches the table changed (or the saved rows are current): the same snapshot, so hosts keep what they made of it.
        this.token = base;
      }
      this.seq = top;
    }).deferred();
    this.lastRefresh = refresh;
    // Frozen: a snapshot the hosts may serialise once and hand out while the data is unchanged.
    if (refresh !== 'none' || db !== this.db) this.cached = Object.freeze(this.keyed.map((k) => k.row));
    this.db = db;
    if (unsaved !== null && this.persist) this.save(db, unsaved);
    this.version = version;
    return this.cached as ClaimRow[];
  }

  /**
   * Writes this cache's rows to the saved table: only the changed groups when
   * the file still holds the rows they were patched onto, else all of them.
   * Never waits for a lock and never fails the read it follows: a busy,
   * read-only or full database keeps its older saved rows (still correct,
   * with the log since), and the next refresh starts from those.
   */
  private save(db: Db, unsaved: NonNullable<Unsaved>): void {
    const token = randomUUID();
    const timeout = db.pragma('busy_timeout', { simple: true }) as number;
    try {
      db.pragma('busy_timeout = 0');
      db.transaction(() => {
        const insert = db.prepare('INSERT OR REPLACE INTO claim_rows_saved (group_id, created_at, row) VALUES (?, ?, ?)');
        const state = savedState(db);
        if (unsaved.kind === 'delta' && state?.token === unsaved.basedOn && state.format === CLAIM_ROWS_FORMAT) {
          const remove = db.prepare('DELETE FROM claim_rows_saved WHERE group_id = ?');
          for (const id of unsaved.changed) remove.run(id);
          for (const k of unsaved.fresh) insert.run(k.row.key, k.createdAt, JSON.stringify(k.row));
        } else {
          db.prepare('DELETE FROM claim_rows_saved').run();
          for (const k of this.keyed) insert.run(k.row.key, k.createdAt, JSON.stringify(k.row));
        }
        db.prepare('INSERT OR REPLACE INTO claim_rows_state (id, format, seq, token) VALUES (1, ?, ?, ?)').run(
          CLAIM_ROWS_FORMAT,
          this.seq,
          token,
        );
      }).immediate();
      this.token = token;
    } catch {
      this.token = null;
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
    }
  }
}

/** `rows` with the rows of `changed` groups replaced by `fresh` (a changed group missing from `fresh` was deleted), still in creation order. */
function patch(rows: readonly KeyedClaimRow[], changed: readonly string[], fresh: readonly KeyedClaimRow[]): KeyedClaimRow[] {
  const gone = new Set(changed);
  const out = rows.filter((k) => !gone.has(k.row.key));
  if (fresh.length === 0) return out;
  // Changed groups usually keep their place; new ones are the newest. Insert each where its creation key belongs.
  for (const k of [...fresh].sort(byCreation)) {
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byCreation(out[mid] as KeyedClaimRow, k) < 0) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, k);
  }
  return out;
}
