/**
 * Backups of the database as they cross the API: how a backup file is named,
 * what the list shows of each, and what a restore reports.
 */
import { z } from 'zod';

/** Why a backup was made; `regular` covers the automatic ones and "Back up now". */
export const BACKUP_REASONS = ['regular', 'pre-migration', 'pre-restore'] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];

/**
 * `claimdesk-2026-11-23T09-30-00Z-v4.db`, or with `-pre-migration` /
 * `-pre-restore` before `.db`: UTC time (sortable), then the schema version.
 * Only letters, digits and dashes, so a name can never point outside the folder.
 */
export const BACKUP_FILE_NAME = /^claimdesk-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ)-v(\d{1,6})(?:-(pre-migration|pre-restore))?\.db$/;

/** A backup named as the list names it; never a path. */
export const backupFileName = z
  .string()
  .max(200)
  .refine((s) => !/[/\\]|\.\./.test(s), 'give the backup’s file name from the list, not a path')
  .refine((s) => BACKUP_FILE_NAME.test(s), 'not a backup file name (like claimdesk-2026-11-23T09-30-00Z-v4.db)');

export const backupInfoSchema = z.object({
  /** File name inside the backups folder. */
  file: z.string(),
  /** When it was made (ISO, from the name). */
  createdAt: z.string(),
  size: z.number().int(),
  schemaVersion: z.number().int(),
  reason: z.enum(BACKUP_REASONS),
  /** Read from the backup itself; null when it cannot be read. */
  articles: z.number().int().nullable(),
  annotations: z.number().int().nullable(),
  /** Why the backup cannot be read, if it cannot. */
  problem: z.string().nullable(),
});
export type BackupInfo = z.infer<typeof backupInfoSchema>;

export const backupListSchema = z.object({
  folder: z.string(),
  /** How many backups are kept; older ones are deleted. */
  keep: z.number().int(),
  /** Hours between automatic backups while Claimdesk runs; null when off. */
  intervalHours: z.number().nullable(),
  /** Newest first. */
  backups: z.array(backupInfoSchema),
});

export const restoreReportSchema = z.object({
  restored: z.string(),
  /** The backup of the state just before the restore (null when there was no database). */
  safetyBackup: z.string().nullable(),
  /** The backup's schema version, and the version it was migrated to. */
  fromVersion: z.number().int(),
  schemaVersion: z.number().int(),
  articles: z.number().int(),
  annotations: z.number().int(),
});
export type RestoreReport = z.infer<typeof restoreReportSchema>;

/** The file name of a backup made at `at` (whole seconds, UTC). */
export function backupFileNameFor(at: Date, schemaVersion: number, reason: BackupReason): string {
  const stamp = at.toISOString().slice(0, 19).replaceAll(':', '-');
  return `claimdesk-${stamp}Z-v${schemaVersion}${reason === 'regular' ? '' : `-${reason}`}.db`;
}

/** Reads time, version and reason back from a backup's name; null for any other file. */
export function parseBackupFileName(name: string): { createdAt: string; schemaVersion: number; reason: BackupReason } | null {
  const m = BACKUP_FILE_NAME.exec(name);
  if (!m?.[1] || !m[2]) return null;
  const [date, time] = m[1].split('T') as [string, string];
  return {
    createdAt: `${date}T${time.slice(0, 8).replaceAll('-', ':')}.000Z`,
    schemaVersion: Number(m[2]),
    reason: (m[3] as BackupReason | undefined) ?? 'regular',
  };
}
