/**
 * The host's side of the service process: starts it, forwards calls and
 * events, and restarts it when it dies. Used by Electron's main process
 * (with `utilityProcess`) and by the Node HTTP host and tests (with
 * `child_process.fork`), through a `spawn` function each provides.
 *
 * Nothing here touches the database. Every write the service acknowledged was
 * committed (SQLite in WAL mode with synchronous=FULL) before its answer was
 * sent, so a crash loses only calls that had not been answered: those fail
 * with a message saying so, and the restarted service opens the same file.
 */
import type { ApiResult, Dispatcher } from '../../shared/api.js';
import type { ApiEvent, ServiceStatus } from '../../shared/methods.js';
import { secretRequestSchema } from '../../shared/team.js';
import {
  LOST_CALL_MESSAGE,
  type Channel,
  type Reply,
  type Request,
  type SaveOutcome,
  type SaveRequest,
  type SecretResult,
} from './messages.js';

/** One running service process, as the host sees it. */
export interface SpawnedService {
  channel: Channel;
  /** Ends the process at once (used when it does not close in time). */
  kill: () => void;
  onExit: (listener: (code: number | null) => void) => void;
  pid?: number;
}

export interface SupervisorOptions {
  spawn: () => SpawnedService;
  /** Every event of the service, and the supervisor's own `service.status` events. */
  onEvent?: (e: ApiEvent) => void;
  /** Called each time a service process is ready (first start and every restart), e.g. to hand renderers new ports. */
  onReady?: (spawned: SpawnedService) => void;
  /** Restarts allowed within `restartWindowMs` before giving up (default 3 in 60 s). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** How long close() waits for the service before ending it (default 10 s). */
  closeTimeoutMs?: number;
  /**
   * Seals and unseals the team password for the service (Electron:
   * safeStorage, which only the main process reaches). Without it the
   * service keeps the password in memory only.
   */
  secrets?: { seal: (plain: string) => string | Promise<string>; unseal: (sealed: string) => string | Promise<string> };
}

type Pending = { resolve: (r: ApiResult) => void; message: Request };

export { LOST_CALL_MESSAGE };

export class ServiceSupervisor {
  private current: SpawnedService | null = null;
  private ready = false;
  private stopping = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Calls made while the service is (re)starting, sent once it is ready. */
  private readonly queued: Request[] = [];
  /** Paths granted so far, given again to a restarted service. */
  private readonly granted: string[] = [];
  private readonly restarts: number[] = [];
  private readyWaiters: { ok: () => void; fail: (e: Error) => void }[] = [];
  private lastStatus: ServiceStatus = { state: 'starting', message: 'Starting…' };
  private restarting = false;

  constructor(private readonly opts: SupervisorOptions) {}

  /** Starts the service; resolves once it answers (the library is open), rejects if it cannot open it. */
  start(): Promise<void> {
    this.launch();
    return this.whenReady();
  }

  get status(): ServiceStatus {
    return this.lastStatus;
  }

  get pid(): number | undefined {
    return this.current?.pid;
  }

  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.lastStatus.state === 'failed') return Promise.reject(new Error(this.lastStatus.message));
    return new Promise((ok, fail) => this.readyWaiters.push({ ok, fail }));
  }

  /** The API, answered by the service process. */
  readonly dispatch: Dispatcher = (method, input) => this.request({ type: 'call', id: 0, method, input });

  /** Lets the service read these paths (the user chose them); remembered across restarts. */
  async grant(paths: readonly string[]): Promise<string[]> {
    const r = await this.request({ type: 'grant', id: 0, paths: [...paths] });
    if (!r.ok) throw new Error(r.error.message);
    this.granted.push(...(r.value as string[]));
    return r.value as string[];
  }

  /** Writes an export to a path the user chose. */
  async save(request: SaveRequest, path: string): Promise<SaveOutcome> {
    const r = await this.request({ type: 'save', id: 0, request, path });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as SaveOutcome;
  }

  /** Whether work is running that closing would cut short. */
  async busy(): Promise<{ importing: boolean }> {
    if (!this.ready) return { importing: false };
    const r = await this.request({ type: 'busy', id: 0 });
    return r.ok ? (r.value as { importing: boolean }) : { importing: false };
  }

  /** Asks the service to finish (running imports are cancelled, keeping what finished) and waits for it to exit. */
  async close(): Promise<void> {
    this.stopping = true;
    const child = this.current;
    if (!child) return;
    const exited = new Promise<void>((ok) => child.onExit(() => ok()));
    if (this.ready) void this.request({ type: 'close', id: 0 });
    const timeout = this.opts.closeTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((ok) => (timer = setTimeout(ok, timeout)))]);
    clearTimeout(timer);
    child.kill();
    await exited;
  }

  /** Ends the service process at once, as a crash would (for tests and the Electron e2e). */
  crashForTest(): void {
    // Calls from now on wait for the restarted process instead of going to the dying one.
    this.ready = false;
    this.current?.kill();
  }

  private request(message: Request): Promise<ApiResult> {
    const id = this.nextId++;
    const m = { ...message, id } as Request;
    return new Promise((resolve) => {
      if (this.stopping && message.type !== 'close') {
        resolve({ ok: false, error: { code: 'conflict', message: 'Claimdesk is closing' } });
        return;
      }
      if (this.lastStatus.state === 'failed') {
        resolve({ ok: false, error: { code: 'storage', message: this.lastStatus.message } });
        return;
      }
      this.pending.set(id, { resolve, message: m });
      if (this.ready && this.current) this.current.channel.post(m);
      else this.queued.push(m);
    });
  }

  private setStatus(status: ServiceStatus): void {
    this.lastStatus = status;
    this.opts.onEvent?.({ name: 'service.status', status });
  }

  private launch(): void {
    const spawned = this.opts.spawn();
    this.current = spawned;
    this.ready = false;
    spawned.channel.onMessage((raw) => this.onReply(spawned, raw as Reply));
    spawned.onExit((code) => this.onExit(spawned, code));
  }

  private onReply(spawned: SpawnedService, m: Reply): void {
    if (spawned !== this.current || typeof m !== 'object' || m === null) return;
    switch (m.type) {
      case 'result': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        p.resolve(JSON.parse(m.json) as ApiResult);
        return;
      }
      case 'event':
        this.opts.onEvent?.(m.event);
        return;
      case 'secret':
        void this.answerSecret(spawned, m);
        return;
      case 'starting':
        this.setStatus({ state: 'starting', message: m.message });
        return;
      case 'failed':
        this.setStatus({ state: 'failed', message: `The library could not be opened: ${m.message}` });
        for (const w of this.readyWaiters.splice(0)) w.fail(new Error(m.message));
        this.failAll(`The library could not be opened: ${m.message}`, 'storage');
        return;
      case 'ready': {
        const restarted = this.restarting;
        this.restarting = false;
        // Grants first, so a queued import.start finds its paths granted.
        if (this.granted.length) spawned.channel.post({ type: 'grant', id: 0, paths: this.granted } satisfies Request);
        this.ready = true;
        for (const q of this.queued.splice(0)) spawned.channel.post(q);
        this.setStatus({
          state: 'ready',
          message: restarted ? 'The Claimdesk service stopped unexpectedly and was restarted. Everything shown as saved is kept.' : 'Ready',
        });
        this.opts.onReady?.(spawned);
        for (const w of this.readyWaiters.splice(0)) w.ok();
        return;
      }
    }
  }

  private async answerSecret(spawned: SpawnedService, raw: unknown): Promise<void> {
    const m = secretRequestSchema.safeParse(raw);
    if (!m.success) return;
    const { id, op, data } = m.data;
    const answer = (ok: boolean, text: string) =>
      spawned.channel.post({ type: 'secret-result', id, ok, data: text } satisfies SecretResult);
    const secrets = this.opts.secrets;
    if (!secrets) {
      answer(false, 'this host keeps no secrets: the password stays in memory for this run');
      return;
    }
    try {
      answer(true, await (op === 'seal' ? secrets.seal(data) : secrets.unseal(data)));
    } catch (err) {
      answer(false, err instanceof Error ? err.message : String(err));
    }
  }

  /** Fails the calls sent to the process; with `queuedToo`, also those still waiting to be sent. */
  private failAll(message: string, code: 'internal' | 'storage', queuedToo = true): void {
    const waiting = new Set(this.queued.map((q) => q.id));
    for (const [id, p] of this.pending) {
      if (!queuedToo && waiting.has(id)) continue;
      this.pending.delete(id);
      p.resolve({ ok: false, error: { code, message } });
    }
    if (queuedToo) this.queued.length = 0;
  }

  private onExit(spawned: SpawnedService, code: number | null): void {
    if (spawned !== this.current) return;
    this.current = null;
    this.ready = false;
    if (this.stopping || this.lastStatus.state === 'failed') {
      this.failAll('Claimdesk is closing', 'internal');
      return;
    }
    // Calls in flight may or may not have run; they fail with a message saying so (the client shows it).
    // Calls not sent yet wait for the restarted process.
    this.failAll(LOST_CALL_MESSAGE, 'internal', false);
    const now = Date.now();
    const window = this.opts.restartWindowMs ?? 60_000;
    while (this.restarts.length && now - (this.restarts[0] ?? 0) > window) this.restarts.shift();
    if (this.restarts.length >= (this.opts.maxRestarts ?? 3)) {
      this.setStatus({
        state: 'failed',
        message: `The Claimdesk service stopped ${this.restarts.length + 1} times in a row (last exit code ${code}); quit and start Claimdesk again. Everything shown as saved is kept.`,
      });
      for (const w of this.readyWaiters.splice(0)) w.fail(new Error(this.lastStatus.message));
      return;
    }
    this.restarts.push(now);
    this.restarting = true;
    this.setStatus({
      state: 'restarting',
      message: `The Claimdesk service stopped unexpectedly (exit code ${code}); restarting it. Everything shown as saved is kept.`,
    });
    this.launch();
  }
}
