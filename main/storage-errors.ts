/**
 * What the disk and SQLite say when they fail, in words an analyst can act
 * on, naming the file: a read-only database, a full disk, a lock held by
 * another program, an input/output error, a damaged file.
 */
import { dirname } from 'node:path';
import type { ApiErrorCode } from '../shared/api.js';
import { ApiFailure } from './errors.js';
import { errorMessage } from '../shared/errors.js';

/** The code of an SQLite error (SQLITE_READONLY, SQLITE_IOERR_WRITE…) or a system error (EROFS, ENOSPC…), if any. */
function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * The failure as an {@link ApiFailure} with a clear code and message when it
 * comes from storage; null for any other error. Every write is one
 * transaction, so a failed one saved nothing, and the message says so.
 */
export function storageFailure(err: unknown, file: string): ApiFailure | null {
  if (err instanceof ApiFailure) return err;
  const code = codeOf(err);
  const detail = errorMessage(err);
  const fail = (c: ApiErrorCode, message: string) => new ApiFailure(c, `${message} (${code}: ${detail})`);
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    return fail(
      'read_only',
      `${file} cannot be written: its folder ${dirname(file)} is read-only, and SQLite keeps its journal files (-wal, -shm) beside the database`,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'SQLITE_PERM' || code === 'EACCES' || code === 'EPERM') {
    return fail(
      'read_only',
      `${file} is read-only, so nothing was saved: check the permissions of the file and of its folder, and that the disk is not mounted read-only`,
    );
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return fail('disk_full', `the disk holding ${file} is full, so nothing was saved: free some space and try again`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return fail(
      'busy',
      `${file} is busy with another program (another Claimdesk window or the command line), so nothing was saved: try again`,
    );
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return fail('storage', `${file} could not be read or written (a disk input/output error), so nothing was saved: check the disk`);
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return fail('storage', `${file} is damaged or not a Claimdesk database: restore a backup`);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return fail(
      'storage',
      `${file} cannot be opened: check that it exists and that its folder can be written (SQLite keeps its journal files beside it)`,
    );
  }
  return null;
}

/** Opens storage with `open`; a storage failure becomes a clear error naming the file. */
export function openStorage<T>(open: () => T, file: string): T {
  try {
    return open();
  } catch (err) {
    throw storageFailure(err, file) ?? err;
  }
}
