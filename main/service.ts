/**
 * Opens a database and wires it to the API: what every host (Electron, HTTP,
 * CLI) starts with.
 */
import { join } from 'node:path';
import type { Dispatcher } from '../shared/api.js';
import type { ApiEvent } from '../shared/methods.js';
import { createDispatcher } from './api.js';
import { ImportJobs } from './import/jobs.js';
import { importSeedsIfEmpty } from './import/seeds.js';
import { appRoot, appVersion } from './paths.js';
import { openDatabase, type Db } from './store/database.js';

export interface Service {
  db: Db;
  dispatch: Dispatcher;
  /** Subscribe to change events; returns the unsubscribe function. */
  subscribe: (listener: (e: ApiEvent) => void) => () => void;
  imports: ImportJobs;
  close: () => void;
}

export function openService(databasePath: string, options: { seed?: boolean; inProcessImports?: boolean } = {}): Service {
  const db = openDatabase(databasePath);
  if (options.seed !== false) importSeedsIfEmpty(db, join(appRoot(), 'seeds'));
  const listeners = new Set<(e: ApiEvent) => void>();
  const emit = (e: ApiEvent) => listeners.forEach((l) => l(e));
  const worker = join(appRoot(), 'out', 'main', 'import-worker.js');
  const imports = new ImportJobs({ db, databasePath, emit, workerFile: options.inProcessImports ? null : worker });
  const dispatch = createDispatcher({ db, databasePath, version: appVersion(), emit, imports });
  return {
    db,
    dispatch,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    imports,
    close: () => {
      void imports.dispose();
      db.close();
    },
  };
}
