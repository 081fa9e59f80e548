/** A restore and an import on one library, from two processes (two connections here): each refuses while the other runs. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support.js';
import { insertArticle } from './articles.js';
import { openDatabase, type Db } from './database.js';
import { acquireLock, LibraryLockedError, LOCK_STALE_MS } from './locks.js';
import { MIGRATIONS } from './migrations/index.js';
import { restoreBackup } from './restore.js';

let files: { dir: string; cleanup: () => void };
let file: string;
let host: Db;
let other: Db;
beforeEach(() => {
  files = tempDir();
  file = join(files.dir, 'claimdesk.db');
  host = openDatabase(file);
  other = openDatabase(file);
});
afterEach(() => {
  host.close();
  other.close();
  files.cleanup();
});

describe('library locks', () => {
  it('refuses a restore while another process imports, changing nothing, and allows it once the import ends', async () => {
    insertArticle(host, { title: 'Before', text: 'The text before the backup.' });
    const backup = join(files.dir, 'backup.db');
    await host.backup(backup);
    const importing = acquireLock(other, 'import');
    insertArticle(other, { title: 'Imported', text: 'An article the other process imported.' });
    await expect(restoreBackup(file, backup, { live: host })).rejects.toThrow(
      'cannot restore backup.db now: an import is running on this library (in this or another window, or the command line)',
    );
    expect(host.prepare('SELECT count(*) AS n FROM articles').get()).toEqual({ n: 2 });
    importing.release();
    await expect(restoreBackup(file, backup, { live: host })).resolves.toMatchObject({ articles: 1 });
  });

  it('refuses an import while a restore holds the library', () => {
    const restoring = acquireLock(host, 'restore');
    expect(() => acquireLock(other, 'import')).toThrow(LibraryLockedError);
    expect(() => acquireLock(other, 'import')).toThrow('a backup is being restored into this library');
    restoring.release();
    acquireLock(other, 'import').release();
  });

  it('ignores a lock whose holder stopped beating, or whose process on this machine is gone (killed)', async () => {
    const backup = join(files.dir, 'backup.db');
    await host.backup(backup);
    acquireLock(other, 'import');
    other.prepare('UPDATE library_locks SET heartbeat_at = ?').run(new Date(Date.now() - LOCK_STALE_MS - 1000).toISOString());
    await expect(restoreBackup(file, backup, { live: host })).resolves.toMatchObject({ restored: 'backup.db' });
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    acquireLock(other, 'import');
    other.prepare('UPDATE library_locks SET pid = ?').run(Number(gone.stdout));
    await expect(restoreBackup(file, backup, { live: host })).resolves.toMatchObject({ restored: 'backup.db' });
  });
});

describe('migration 11', () => {
  it('adds the locks table to a version 10 library', () => {
    const old = join(files.dir, 'v10.db');
    openDatabase(old, MIGRATIONS.slice(0, 10)).close();
    const db = openDatabase(old, MIGRATIONS.slice(0, 11));
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'library_locks'").get()).toEqual({ name: 'library_locks' });
    db.close();
  });
});
