/** API handlers for backups: the list, "Back up now", and restoring one. */
import { join } from 'node:path';
import type { ApiOutput } from '../../shared/api.js';
import type { ApiEvent } from '../../shared/methods.js';
import { ApiFailure } from '../errors.js';
import { BackupError, backupFolder, backupNames, createBackup, listBackups } from '../store/backup.js';
import type { Db } from '../store/database.js';
import { restoreBackup } from '../store/restore.js';

export interface BackupsContext {
  db: Db;
  databasePath: string;
  emit: (e: ApiEvent) => void;
  keep: number;
  /** Time between automatic backups; null when they are off. */
  intervalMs: number | null;
  /** Whether an import is writing; a restore waits until none is. */
  importing: () => boolean;
  /** Raised while a restore runs, so the dispatcher turns other calls away. */
  gate: { restoring: boolean };
}

export function backupHandlers(ctx: BackupsContext) {
  const { db, databasePath, emit, keep, gate } = ctx;
  const folder = backupFolder(databasePath);
  const requireFile = (): void => {
    if (databasePath === ':memory:') throw new ApiFailure('conflict', 'a database in memory has no backups');
  };
  return {
    'backups.list': (): ApiOutput<'backups.list'> => ({
      folder,
      keep,
      intervalHours: ctx.intervalMs === null ? null : ctx.intervalMs / 3_600_000,
      backups: databasePath === ':memory:' ? [] : listBackups(databasePath),
    }),
    'backups.create': async (): Promise<ApiOutput<'backups.create'>> => {
      requireFile();
      return createBackup(db, databasePath, { keep });
    },
    'backups.restore': async ({ file }: { file: string }): Promise<ApiOutput<'backups.restore'>> => {
      requireFile();
      // Only a backup in the list, looked up by name: the input never becomes a path of its own.
      if (!backupNames(folder).includes(file)) throw new ApiFailure('not_found', `there is no backup named ${file} in ${folder}`);
      if (gate.restoring) throw new ApiFailure('conflict', 'a restore is already under way');
      if (ctx.importing()) throw new ApiFailure('conflict', 'an import is running; let it finish (or cancel it), then restore');
      gate.restoring = true;
      let report;
      try {
        report = await restoreBackup(databasePath, join(folder, file), { live: db, keep });
      } catch (err) {
        if (err instanceof BackupError) throw new ApiFailure('invalid_input', `${err.message}. Nothing was changed.`);
        throw err;
      } finally {
        gate.restoring = false;
      }
      emit({ name: 'database.restored' });
      return report;
    },
  };
}
