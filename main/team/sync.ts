/**
 * Keeps a library in step with its team workspace: pushes local changes as
 * they happen, pulls colleagues' when the server says something changed
 * (`LISTEN claimdesk_changes`), retries while the server is away, and keeps
 * a status that tells the truth (synced when, N waiting, offline, or the
 * error in words). One sync runs at a time; a request during one runs
 * another right after.
 */
import pg from 'pg';
import type { ApiEvent } from '../../shared/methods.js';
import type { TeamStatus } from '../../shared/team.js';
import type { Db } from '../store/database.js';
import { getSetting, setSetting } from '../store/settings.js';
import {
  applyAnnotations,
  applyingRemote,
  applyLinks,
  countRefused,
  describeRefused,
  dismissRefused,
  emptyApplied,
  getTeamLink,
  linkTeam,
  listRefused,
  outboxCount,
  unlinkTeam,
  type Applied,
  type Refusal,
} from '../store/team.js';
import { checkUrl, connect, describeError, isConnectionError, redactUrl, TeamError, urlUser } from './connection.js';
import { whoAmI } from './members.js';
import { memoryPasswords, type PasswordStore } from './passwords.js';
import { pull, type PullProgress } from './pull.js';
import { push } from './push.js';
import { checkTeamSchema } from './schema.js';

export { memoryPasswords, type PasswordStore };

export interface TeamSyncOptions {
  db: Db;
  emit: (e: ApiEvent) => void;
  now?: () => string;
  passwords?: PasswordStore;
  /** Listen for colleagues' changes and push local ones as they happen (the app); false: only when asked (the CLI). */
  live?: boolean;
  /** The longest wait between retries while the server is away. */
  maxRetryMs?: number;
  /** Rows per push transaction and per pull fetch (tests make them small to cut syncs at many points). */
  batch?: { push?: number; pull?: number };
  /** Called after each pushed batch and each pulled one, and after each whole sync (tests use it to pick a moment or count syncs). */
  onStep?: (step: 'push' | 'pull' | 'synced') => void;
}

/** The password part of a URL, if any. */
function urlPassword(url: string): string | undefined {
  const p = new URL(url).password;
  return p ? decodeURIComponent(p) : undefined;
}

/** How long a colleague's notice waits for others to share one pull. */
const NOTICE_DELAY_MS = 20;

/** A notice's payload (team schema 2: `{"t", "by", "tx"}`); null for schema 1's table name or anything else. */
export function parseNotice(payload: string | undefined): { by: string; tx: bigint } | null {
  if (!payload?.startsWith('{')) return null;
  try {
    const p = JSON.parse(payload) as { by?: unknown; tx?: unknown };
    if (typeof p.by !== 'string' || typeof p.tx !== 'string' || !/^\d+$/.test(p.tx)) return null;
    return { by: p.by, tx: BigInt(p.tx) };
  } catch {
    return null;
  }
}

export class TeamSync {
  private readonly db: Db;
  private readonly emitEvent: (e: ApiEvent) => void;
  private readonly now: () => string;
  private readonly passwords: PasswordStore;
  private readonly live: boolean;
  private readonly maxRetryMs: number;
  private readonly batch: { push?: number; pull?: number };
  private readonly onStep: (step: 'push' | 'pull' | 'synced') => void;
  private client: pg.Client | null = null;
  private listener: pg.Client | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** A run after the current one was asked for by a local change or a caller, not only by a colleague's notice. */
  private againForced = false;
  private localPending = false;
  /** The newest colleague's transaction a notice named; a pull whose position is past it has it. */
  private noticedTx = -1n;
  /** A notice without a position (a server on team schema 1) arrived since the last pull began. */
  private noticedUnknown = false;
  private syncing = false;
  private offline = false;
  private error: string | null = null;
  private progress: PullProgress | null = null;
  private retryMs = 500;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private nudgeTimer: ReturnType<typeof setTimeout> | null = null;
  private listening = false;
  private closed = false;
  private lastStatus = '';
  /** Articles the server is known to hold (it never drops one), so a push need not ask again. */
  private readonly serverArticles = new Set<string>();

  constructor(opts: TeamSyncOptions) {
    this.db = opts.db;
    this.emitEvent = opts.emit;
    this.now = opts.now ?? (() => new Date().toISOString());
    this.passwords = opts.passwords ?? memoryPasswords();
    this.live = opts.live ?? true;
    this.maxRetryMs = opts.maxRetryMs ?? 4000;
    this.batch = opts.batch ?? {};
    this.onStep = opts.onStep ?? (() => undefined);
  }

  status(): TeamStatus {
    const link = getTeamLink(this.db);
    if (!link)
      return {
        joined: false,
        url: null,
        member: null,
        reviewer: false,
        state: 'off',
        lastSyncedAt: null,
        waiting: 0,
        error: null,
        refused: [],
        progress: null,
      };
    const waiting = outboxCount(this.db);
    const state = this.syncing ? 'syncing' : this.offline ? 'offline' : this.error ? 'error' : waiting > 0 ? 'waiting' : 'synced';
    return {
      joined: true,
      url: link.url,
      member: link.member,
      reviewer: link.reviewer,
      state,
      lastSyncedAt: link.lastSyncedAt,
      waiting,
      error: this.error,
      refused: countRefused(this.db) > 0 ? listRefused(this.db).map((r) => ({ id: r.id, what: r.what, reason: r.reason, at: r.at })) : [],
      progress: this.progress ? { done: this.progress.done, total: this.progress.total } : null,
    };
  }

  private announce(): void {
    // A connection's last gasp can come after the library closed.
    if (!this.db.open) return;
    const s = JSON.stringify(this.status());
    if (s === this.lastStatus) return;
    this.lastStatus = s;
    this.emitEvent({ name: 'team.status' });
  }

  private password(url: string): Promise<string | undefined> {
    return this.passwords.get(url);
  }

  /**
   * Links this library to the workspace at `url` (the member's own role) and
   * runs the first sync: articles matched by content hash, this library's
   * layer pushed, colleagues' layers pulled.
   */
  async join(url: string, opts: { password?: string; onProgress?: (p: PullProgress) => void } = {}): Promise<TeamStatus> {
    checkUrl(url);
    const stored = redactUrl(url);
    const password = opts.password ?? urlPassword(url);
    const existing = getTeamLink(this.db);
    if (existing && existing.url !== stored)
      throw new TeamError('invalid', `this library is already in the team workspace ${existing.url}; leave it first`);
    const client = await connect(stored, { password });
    try {
      await checkTeamSchema(client);
      const me = await whoAmI(client);
      const local = getSetting(this.db, 'annotator');
      if (local && local !== me.member) {
        throw new TeamError(
          'invalid',
          `this library's annotator is "${local}" but the workspace knows ${urlUser(stored) ?? 'this user'} as "${me.member}": open the library that is theirs, or ask the team lead to add "${local}"`,
        );
      }
      if (!existing) {
        this.db.transaction(() => {
          if (!local) setSetting(this.db, 'annotator', me.member);
          linkTeam(this.db, { url: stored, member: me.member, reviewer: me.reviewer, now: this.now() });
        })();
      }
    } finally {
      await client.end().catch(() => undefined);
    }
    if (password !== undefined) await this.passwords.set(stored, password);
    await this.syncNow({ onProgress: opts.onProgress });
    if (this.live) this.start();
    return this.status();
  }

  /** Leaves the workspace: the library keeps everything; nothing more is sent or received. */
  async leave(): Promise<TeamStatus> {
    const link = getTeamLink(this.db);
    await this.stop();
    if (link) {
      await this.passwords.delete(link.url);
      unlinkTeam(this.db);
    }
    this.error = null;
    this.offline = false;
    this.announce();
    return this.status();
  }

  dismiss(ids: readonly number[] | 'all'): TeamStatus {
    dismissRefused(this.db, ids);
    this.announce();
    return this.status();
  }

  /** Starts listening and retrying (the app); a library not in a workspace does nothing. */
  start(): void {
    if (!getTeamLink(this.db) || this.closed) return;
    this.closed = false;
    void this.listen();
    this.nudge(0);
  }

  /**
   * A local change happened: push it soon. `remote`: a colleague's notice
   * (see `notice`), which syncs only if the last pull did not cover it.
   * Nudges within `delayMs` share one sync.
   */
  nudge(delayMs = 30, remote = false): void {
    if (this.closed || !getTeamLink(this.db)) return;
    if (!remote) this.localPending = true;
    if (this.nudgeTimer) return;
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = null;
      const local = this.localPending;
      this.localPending = false;
      if (!local && !this.running && !this.remoteNeeded()) return;
      void this.syncNow({ remote: !local }).catch(() => undefined);
    }, delayMs);
  }

  /** Whether a colleague's noticed change may not be here yet. */
  private remoteNeeded(): boolean {
    if (this.noticedUnknown) return true;
    const cursor = getTeamLink(this.db)?.cursor;
    return cursor === undefined || this.noticedTx >= BigInt(cursor);
  }

  /**
   * A notification from the server. Its payload names the writer and the
   * transaction (team schema 2): the echo of this library's own push needs
   * no pull, nor a transaction older than the position already pulled to.
   */
  private notice(payload: string | undefined): void {
    const p = parseNotice(payload);
    if (!p) this.noticedUnknown = true;
    else {
      const link = getTeamLink(this.db);
      if (!link || p.by === urlUser(link.url)) return;
      if (p.tx < BigInt(link.cursor)) return;
      if (p.tx > this.noticedTx) this.noticedTx = p.tx;
    }
    this.nudge(NOTICE_DELAY_MS, true);
  }

  /** One push and pull now (after the one running, if any). Resolves when done; failures are in the status, and thrown for callers that asked. */
  async syncNow(opts: { onProgress?: (p: PullProgress) => void; remote?: boolean } = {}): Promise<TeamStatus> {
    if (this.running) {
      this.again = true;
      if (!opts.remote) this.againForced = true;
      await this.running.catch(() => undefined);
      return this.status();
    }
    const run = (async () => {
      do {
        this.again = false;
        this.againForced = false;
        await this.runOnce(opts.onProgress);
        // Notices that came during the run are often covered by its pull: another run only for what it may have missed.
      } while (this.again && !this.closed && (this.againForced || this.remoteNeeded()));
    })();
    this.running = run;
    try {
      await run;
    } finally {
      this.running = null;
    }
    return this.status();
  }

  private async ensureClient(url: string): Promise<pg.Client> {
    if (this.client) return this.client;
    const c = await connect(url, { password: await this.password(url) });
    await checkTeamSchema(c);
    c.on('error', () => {
      if (this.client === c) this.client = null;
    });
    this.client = c;
    return c;
  }

  private async runOnce(onProgress?: (p: PullProgress) => void): Promise<void> {
    const link = getTeamLink(this.db);
    if (!link) return;
    this.syncing = true;
    this.announce();
    try {
      const client = await this.ensureClient(link.url);
      const pushed = await push(client, this.db, {
        now: this.now,
        known: this.serverArticles,
        batch: this.batch.push,
        onBatch: () => {
          this.onStep('push');
          this.announce();
        },
      });
      if (pushed.refused.length) await this.restoreRefused(client, pushed.refused);
      const cursor = getTeamLink(this.db)?.cursor ?? '0';
      this.noticedUnknown = false;
      // Progress is reported only by a pull long enough to stream (joining, or back after a long time away).
      const applied = await pull(client, this.db, cursor, {
        now: this.now,
        batch: this.batch.pull,
        onProgress: (p) => {
          this.onStep('pull');
          this.progress = p;
          if (onProgress) onProgress(p);
          this.announce();
        },
      });
      this.offline = false;
      this.error = null;
      this.retryMs = 500;
      this.onStep('synced');
      this.announceChanges(applied);
      if (pushed.refused.length) this.announceChanges({ ...emptyApplied(), claims: true, review: true });
      if (this.live && !this.listening) void this.listen();
    } catch (err) {
      const e = describeError(err, link.url);
      await this.dropClient();
      if (e.kind === 'offline') {
        this.offline = true;
        this.error = e.message;
      } else {
        this.offline = false;
        this.error = e.message;
      }
      this.scheduleRetry();
      if (!this.live) throw e;
    } finally {
      this.syncing = false;
      this.progress = null;
      this.announce();
    }
  }

  /**
   * A refused change leaves this library different from the server: the
   * server's row comes back (a colleague's tag deleted here reappears), and
   * the refusal stays listed with what it was.
   */
  private async restoreRefused(client: pg.Client, refused: readonly Refusal[]): Promise<void> {
    const annotations = refused.filter((r) => r.kind === 'annotation').map((r) => r.ref);
    const links = refused.filter((r) => r.kind === 'link').map((r) => r.ref);
    const applied = emptyApplied();
    if (annotations.length) {
      const { rows } = await client.query(
        'SELECT id, article_hash, start, "end", quote, prefix, suffix, label, annotator, note, created_at, updated_at, deleted FROM claimdesk.annotations WHERE id = ANY($1)',
        [annotations],
      );
      applyingRemote(this.db, () => applyAnnotations(this.db, rows, applied, { force: true }));
      for (const r of rows as { id: string; annotator: string; label: string; quote: string }[]) {
        const quote = r.quote.length > 60 ? `${r.quote.slice(0, 60)}…` : r.quote;
        const before = refused.find((x) => x.kind === 'annotation' && x.ref === r.id)?.what ?? '';
        describeRefused(
          this.db,
          'annotation',
          r.id,
          `${before.startsWith('deleting') ? 'Deleting' : 'Changing'} ${r.annotator}’s ${r.label} tag “${quote}”`,
        );
      }
    }
    if (links.length) {
      const { rows } = await client.query(
        'SELECT id, claim_id, source_id, kind, annotator, created_at, deleted FROM claimdesk.links WHERE id = ANY($1)',
        [links],
      );
      applyingRemote(this.db, () => applyLinks(this.db, rows, applied, { force: true }));
    }
    this.announceChanges(applied);
  }

  private announceChanges(a: Applied): void {
    if (a.articles > 0) this.emitEvent({ name: 'articles.changed', team: true });
    for (const articleId of a.articleIds) this.emitEvent({ name: 'annotations.changed', articleId, team: true });
    if (a.claims || a.articleIds.size > 0) this.emitEvent({ name: 'claims.changed', team: true });
    if (a.labels) this.emitEvent({ name: 'labels.changed', team: true });
    // Review decisions alone: the review queue reads them again.
    if (a.review && a.articleIds.size === 0) this.emitEvent({ name: 'annotations.changed', team: true });
  }

  private scheduleRetry(): void {
    if (!this.live || this.closed || this.retryTimer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.maxRetryMs, this.retryMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.syncNow().catch(() => undefined);
    }, wait);
  }

  /** LISTEN on its own connection; when it drops, the status says offline and the retry reconnects. */
  private async listen(): Promise<void> {
    const link = getTeamLink(this.db);
    if (!link || this.listening || this.closed) return;
    this.listening = true;
    let c: pg.Client;
    try {
      c = await connect(link.url, { password: await this.password(link.url), applicationName: 'claimdesk-listen' });
    } catch {
      this.listening = false;
      this.offline = true;
      this.scheduleRetry();
      this.announce();
      return;
    }
    if (this.closed) {
      await c.end().catch(() => undefined);
      return;
    }
    const lost = () => {
      if (this.listener !== c) return;
      this.listener = null;
      this.listening = false;
      void c.end().catch(() => undefined);
      if (this.closed) return;
      this.offline = true;
      this.announce();
      this.scheduleRetry();
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', (n) => this.notice(n.payload));
    this.listener = c;
    await c.query('LISTEN claimdesk_changes').catch(lost);
    // Anything that changed while nobody listened.
    this.nudge(0);
  }

  private async dropClient(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private async stop(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
    this.retryTimer = this.nudgeTimer = null;
    await this.running?.catch(() => undefined);
    const l = this.listener;
    this.listener = null;
    this.listening = false;
    await l?.end().catch(() => undefined);
    await this.dropClient();
    this.closed = false;
  }

  /** Stops everything for good (the service is closing). */
  async close(): Promise<void> {
    await this.stop();
    this.closed = true;
  }
}

export { isConnectionError };
