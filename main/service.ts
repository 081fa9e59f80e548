/**
 * Opens a database and wires it to the API: what every host (Electron, HTTP,
 * CLI) starts with.
 */
import { join } from 'node:path';
import type { Dispatcher } from '../shared/api.js';
import type { ApiEvent } from '../shared/methods.js';
import { createDispatcher } from './api.js';
import { importSeedsIfEmpty } from './import/seeds.js';
import { appRoot, appVersion } from './paths.js';
import { openDatabase, type Db } from './store/database.js';

export interface Service {
  db: Db;
  dispatch: Dispatcher;
  /** Subscribe to change events; returns the unsubscribe function. */
  subscribe: (listener: (e: ApiEvent) => void) => () => void;
  close: () => void;
}

export function openService(databasePath: string, options: { seed?: boolean } = {}): Service {
  const db = openDatabase(databasePath);
  if (options.seed !== false) importSeedsIfEmpty(db, join(appRoot(), 'seeds'));
  const listeners = new Set<(e: ApiEvent) => void>();
  const dispatch = createDispatcher({
    db,
    databasePath,
    version: appVersion(),
    emit: (e) => listeners.forEach((l) => l(e)),
  });
  return {
    db,
    dispatch,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: () => db.close(),
  };
}
