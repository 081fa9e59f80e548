/**
 * Opens a database and wires it to the API: what every host (Electron, HTTP,
 * CLI) starts with.
 */
import { join } from 'node:path';
import type { Dispatcher } from '../shared/api.js';
import type { ApiEvent } from '../shared/methods.js';
import { createDispatcher } from './api.js';
import { warn } from './log.js';
import { openStorage } from './storage-errors.js';
import { ImportJobs } from './import/jobs.js';
import { importSeedsIfEmpty } from './import/seeds.js';
import { appRoot, appVersion } from './paths.js';
import { PathGrants } from './grants.js';
import { AutoBackups, DEFAULT_INTERVAL_MS, DEFAULT_KEEP } from './store/backup.js';
import { openDatabase, type Db } from './store/database.js';
import { MIGRATIONS } from './store/migrations/index.js';
import { sealedPasswords, type PasswordStore, type Sealer } from './team/passwords.js';
import { TeamSync } from './team/sync.js';
import { errorMessage } from '../shared/errors.js';

export interface Service {
  db: Db;
  dispatch: Dispatcher;
  /** Subscribe to change events; returns the unsubscribe function. */
  subscribe: (listener: (e: ApiEvent) => void) => () => void;
  imports: ImportJobs;
  /** The team workspace's sync (idle when the library is in none). */
  team: TeamSync;
  /** Automatic backups; null when turned off. */
  backups: AutoBackups | null;
  /** The paths import.start may read; the host adds what the user chose. */
  grants: PathGrants;
  close: () => void;
  /** Cancels running imports (what finished is kept), waits for them to stop writing, then closes the database. */
  closeWhenIdle: () => Promise<void>;
}

export interface ServiceOptions {
  seed?: boolean;
  inProcessImports?: boolean;
  /**
   * Backups: the newest `keep` are kept (default 10); an automatic one is made
   * at start when there is data and every `intervalMs` (default 4 h) in which
   * something changed. `false` turns the automatic ones off (the CLI).
   */
  backups?: false | { keep?: number; intervalMs?: number };
  /** Where the sample articles and the built import worker are (a packaged app keeps them elsewhere than the source tree). */
  seedsDir?: string;
  workerFile?: string;
  version?: string;
  /**
   * The team workspace: `live` (default) listens for colleagues' changes and
   * pushes local ones as they happen; false syncs only when asked (the CLI).
   * `passwords` is where the host keeps a member's password; with a
   * `sealer` (Electron: safeStorage, asked over the parent channel) the
   * library keeps it sealed; by default it lives in memory for this run only.
   */
  team?: { live?: boolean; passwords?: PasswordStore; sealer?: Sealer };
}

/** Events that mean this library changed here, which the team workspace pushes. */
const LOCAL_CHANGES: ReadonlySet<ApiEvent['name']> = new Set([
  'articles.changed',
  'annotations.changed',
  'claims.changed',
  'labels.changed',
]);

export function openService(databasePath: string, options: ServiceOptions = {}): Service {
  const policy =
    options.backups === false
      ? null
      : { keep: options.backups?.keep ?? DEFAULT_KEEP, intervalMs: options.backups?.intervalMs ?? DEFAULT_INTERVAL_MS };
  const keep = policy?.keep ?? DEFAULT_KEEP;
  const db = openStorage(() => openDatabase(databasePath, MIGRATIONS, { keepBackups: keep }), databasePath);
  let backups: AutoBackups | null = null;
  if (policy && databasePath !== ':memory:') {
    backups = new AutoBackups(db, databasePath, {
      ...policy,
      onError: (err) => warn(`claimdesk: automatic backup failed: ${errorMessage(err)}`),
    });
    // Before the seeds: a new database has nothing to back up yet.
    backups.start();
  }
  if (options.seed !== false) importSeedsIfEmpty(db, options.seedsDir ?? join(appRoot(), 'seeds'));
  const listeners = new Set<(e: ApiEvent) => void>();
  // Created before the dispatcher, which answers the team methods with it; it emits through `emit` below.
  const passwords = options.team?.passwords ?? (options.team?.sealer ? sealedPasswords(db, options.team.sealer) : undefined);
  const team: TeamSync = new TeamSync({ db, emit: (e) => emit(e), live: options.team?.live ?? true, passwords });
  const emit = (e: ApiEvent) => {
    listeners.forEach((l) => l(e));
    if (!e.team && LOCAL_CHANGES.has(e.name)) team.nudge();
  };
  const worker = options.workerFile ?? join(appRoot(), 'out', 'main', 'import-worker.js');
  const grants = new PathGrants();
  const imports = new ImportJobs({ db, databasePath, emit, workerFile: options.inProcessImports ? null : worker });
  const dispatch = createDispatcher({
    db,
    databasePath,
    version: options.version ?? appVersion(),
    emit,
    imports,
    backups: { keep, intervalMs: backups ? (policy?.intervalMs ?? null) : null },
    grants,
    team,
  });
  if (options.team?.live ?? true) team.start();
  return {
    db,
    dispatch,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    imports,
    team,
    backups,
    grants,
    close: () => {
      void team.close();
      backups?.stop();
      void imports.dispose();
      db.close();
    },
    closeWhenIdle: async () => {
      await team.close();
      backups?.stop();
      await imports.dispose();
      if (db.open) db.close();
    },
  };
}
