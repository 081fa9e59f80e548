import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKUP_FILE_NAME } from '../../shared/backups.js';
import { tempDir } from '../test-support.js';
import { AutoBackups, BackupError, backupFolder, backupNames, createBackup, listBackups, pruneBackups } from './backup.js';
import { openDatabase, SCHEMA_VERSION, type Db } from './database.js';
import { restoreBackup } from './restore.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

/** A database file in a fresh folder, opened, with `n` articles each holding one claim. */
function library(n = 2): { file: string; db: Db } {
  const t = tempDir();
  const file = join(t.dir, 'claimdesk.db');
  const db = openDatabase(file);
  cleanups.push(() => {
    if (db.open) db.close();
    t.cleanup();
  });
  for (let i = 0; i < n; i++) addArticle(db, `Article ${i + 1}`);
  return { file, db };
}

let nextId = 1;
function addArticle(db: Db, title: string): number {
  const id = nextId++;
  const text = `${title}: Rubio said the deal is close.`;
  db.prepare("INSERT INTO articles (id, title, text, length, content_hash, imported_at) VALUES (?, ?, ?, ?, ?, 'now')").run(
    id,
    title,
    text,
    text.length,
    `hash-${id}`,
  );
  db.prepare(
    "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES (?, ?, 0, 5, 'x', '', '', 'claim', 'Tester', '', 'now', 'now')",
  ).run(`a-${id}`, id);
  return id;
}

const titles = (db: Db) => (db.prepare('SELECT title FROM articles ORDER BY id').all() as { title: string }[]).map((r) => r.title);
const folderFiles = (file: string) => (existsSync(backupFolder(file)) ? readdirSync(backupFolder(file)).sort() : []);
const at = (iso: string) => () => new Date(iso);

describe('createBackup', () => {
  it('writes one self-contained file named by time and schema version into backups/<name>/ beside the database', async () => {
    const { file, db } = library(2);
    const info = await createBackup(db, file, { now: at('2026-11-23T09:30:00.456Z') });
    expect(info).toMatchObject({
      file: `claimdesk-2026-11-23T09-30-00Z-v${SCHEMA_VERSION}.db`,
      createdAt: '2026-11-23T09:30:00.000Z',
      schemaVersion: SCHEMA_VERSION,
      reason: 'regular',
      articles: 2,
      annotations: 2,
      problem: null,
    });
    // No temporary file, no -wal/-shm: the backup is one file in rollback-journal mode.
    expect(folderFiles(file)).toEqual([info.file]);
    const path = join(backupFolder(file), info.file);
    expect(info.size).toBe(statSync(path).size);
    const copy = new Database(path, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(titles(copy)).toEqual(['Article 1', 'Article 2']);
    copy.close();
    expect(folderFiles(file)).toEqual([info.file]);
  });

  it('keeps names in the order backups were made, even within one second', async () => {
    const { file, db } = library(1);
    const a = await createBackup(db, file, { now: at('2026-11-23T09:30:00Z') });
    const b = await createBackup(db, file, { now: at('2026-11-23T09:30:00.900Z') });
    expect(a.file).toBe(`claimdesk-2026-11-23T09-30-00Z-v${SCHEMA_VERSION}.db`);
    expect(b.file).toBe(`claimdesk-2026-11-23T09-30-01Z-v${SCHEMA_VERSION}.db`);
    expect(listBackups(file).map((x) => x.file)).toEqual([b.file, a.file]);
  });

  it('keeps the newest N, deleting the oldest', async () => {
    const { file, db } = library(1);
    const made = [];
    for (let h = 0; h < 4; h++) made.push((await createBackup(db, file, { keep: 3, now: at(`2026-11-23T0${h}:00:00Z`) })).file);
    expect(listBackups(file).map((x) => x.file)).toEqual(made.slice(1).reverse());
    expect(pruneBackups(file, 1)).toEqual(made.slice(1, 3));
    expect(listBackups(file).map((x) => x.file)).toEqual([made[3]]);
  });

  it('keeps the backups of databases that share a folder apart: neither lists nor prunes the other’s', async () => {
    const { file, db } = library(1);
    const otherFile = join(file, '..', 'other.db');
    const other = openDatabase(otherFile);
    cleanups.unshift(() => other.close());
    expect(backupFolder(file)).toBe(join(file, '..', 'backups', 'claimdesk'));
    expect(backupFolder(otherFile)).toBe(join(file, '..', 'backups', 'other'));
    const mine = (await createBackup(db, file, { keep: 1, now: at('2026-11-23T01:00:00Z') })).file;
    for (let h = 2; h < 5; h++) await createBackup(other, otherFile, { keep: 1, now: at(`2026-11-23T0${h}:00:00Z`) });
    expect(listBackups(file).map((x) => x.file)).toEqual([mine]);
    expect(listBackups(otherFile).map((x) => x.file)).toEqual([`claimdesk-2026-11-23T04-00-00Z-v${SCHEMA_VERSION}.db`]);
  });

  it('leaves no file behind when the backup fails part way', async () => {
    const { file, db } = library(1);
    const pending = createBackup(db, file);
    db.close();
    await expect(pending).rejects.toThrow();
    expect(folderFiles(file)).toEqual([]);
  });

  it('lists what each backup holds, and says so when one cannot be read', async () => {
    const { file, db } = library(3);
    await createBackup(db, file, { now: at('2026-01-01T00:00:00Z') });
    writeFileSync(
      join(backupFolder(file), 'claimdesk-2026-01-02T00-00-00Z-v4.db'),
      'not a database at all, but long enough to look like a header'.repeat(20),
    );
    writeFileSync(join(backupFolder(file), 'notes.txt'), 'not a backup');
    const list = listBackups(file);
    expect(list.map((b) => [b.file, b.articles, b.annotations])).toEqual([
      ['claimdesk-2026-01-02T00-00-00Z-v4.db', null, null],
      [`claimdesk-2026-01-01T00-00-00Z-v${SCHEMA_VERSION}.db`, 3, 3],
    ]);
    expect(list[0]?.problem).toMatch(/not a database/);
    expect(list.every((b) => BACKUP_FILE_NAME.test(b.file))).toBe(true);
  });
});

describe('restoreBackup', () => {
  it('brings back the backed-up state over the live connection, after backing up the current state', async () => {
    const { file, db } = library(2);
    const backup = await createBackup(db, file, { now: at('2026-11-23T09:00:00Z') });
    db.prepare('DELETE FROM articles WHERE id = (SELECT min(id) FROM articles)').run();
    addArticle(db, 'Written after the backup');
    const report = await restoreBackup(file, join(backupFolder(file), backup.file), { live: db, now: at('2026-11-23T10:00:00Z') });
    expect(report).toEqual({
      restored: backup.file,
      safetyBackup: `claimdesk-2026-11-23T10-00-00Z-v${SCHEMA_VERSION}-pre-restore.db`,
      fromVersion: SCHEMA_VERSION,
      schemaVersion: SCHEMA_VERSION,
      articles: 2,
      annotations: 2,
    });
    // The open connection sees the restored database, still in WAL mode, and can write.
    expect(titles(db)).toEqual(['Article 1', 'Article 2']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    addArticle(db, 'After the restore');
    const fresh = new Database(file, { readonly: true });
    expect(titles(fresh)).toEqual(['Article 1', 'Article 2', 'After the restore']);
    fresh.close();
    // The safety backup holds what the restore replaced.
    const safety = new Database(join(backupFolder(file), report.safetyBackup ?? ''), { readonly: true });
    expect(titles(safety)).toEqual(['Article 2', 'Written after the backup']);
    safety.close();
  });

  it('works from another process without the app’s connection (the CLI)', async () => {
    const { file, db } = library(1);
    const backup = await createBackup(db, file);
    addArticle(db, 'Later');
    db.close();
    const report = await restoreBackup(file, join(backupFolder(file), backup.file));
    expect([report.articles, report.safetyBackup]).toEqual([1, expect.stringMatching(/-pre-restore\.db$/)]);
    const reopened = openDatabase(file);
    expect(titles(reopened)).toEqual(['Article 1']);
    reopened.close();
  });

  it('restores over a database SQLite cannot read, keeping the damaged file aside', async () => {
    const { file, db } = library(1);
    const backup = await createBackup(db, file);
    db.close();
    writeFileSync(file, 'garbage'.repeat(1000));
    const report = await restoreBackup(file, join(backupFolder(file), backup.file));
    expect(report.safetyBackup).toMatch(/^damaged-.*claimdesk\.db$/);
    expect(readFileSync(join(backupFolder(file), report.safetyBackup ?? ''), 'utf8')).toMatch(/^garbage/);
    const reopened = openDatabase(file);
    expect(titles(reopened)).toEqual(['Article 1']);
    reopened.close();
  });

  describe('refuses, naming the file and changing nothing,', () => {
    async function expectRefused(make: (path: string, good: string) => void, message: RegExp) {
      const { file, db } = library(2);
      const good = join(backupFolder(file), (await createBackup(db, file, { now: at('2026-01-01T00:00:00Z') })).file);
      const bad = join(backupFolder(file), 'claimdesk-2026-02-02T00-00-00Z-v4.db');
      make(bad, good);
      addArticle(db, 'Unsaved work');
      const before = folderFiles(file);
      const error = await restoreBackup(file, bad, { live: db }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackupError);
      expect((error as Error).message).toMatch(/^cannot restore claimdesk-2026-02-02T00-00-00Z-v4\.db: /);
      expect((error as Error).message).toMatch(message);
      expect(titles(db)).toEqual(['Article 1', 'Article 2', 'Unsaved work']);
      expect(folderFiles(file)).toEqual(before);
    }
    it('a file that is not SQLite', async () => {
      await expectRefused(
        (bad) => writeFileSync(bad, 'PK\u0003\u0004 a zip file, not a database'.repeat(200)),
        /not a readable SQLite database/,
      );
    });
    it('a damaged backup', async () => {
      await expectRefused((bad, good) => {
        copyFileSync(good, bad);
        // Scribble over the page holding the articles, keeping the file's header valid.
        const raw = new Database(bad, { readonly: true });
        const { rootpage } = raw.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").get() as { rootpage: number };
        raw.close();
        const bytes = readFileSync(bad);
        bytes.fill(0x5a, 4096 * (rootpage - 1), 4096 * rootpage);
        writeFileSync(bad, bytes);
      }, /damaged|malformed|not a readable/);
    });
    it('a backup written by a newer Claimdesk', async () => {
      await expectRefused(
        (bad, good) => {
          copyFileSync(good, bad);
          const raw = new Database(bad);
          raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
          raw.close();
        },
        new RegExp(`written by a newer Claimdesk \\(schema version ${SCHEMA_VERSION + 1}; this version knows up to ${SCHEMA_VERSION}\\)`),
      );
    });
    it('a SQLite database that is not Claimdesk’s', async () => {
      await expectRefused((bad) => {
        const raw = new Database(bad);
        raw.exec('CREATE TABLE things (x)');
        raw.close();
      }, /not a Claimdesk database/);
    });
    it('a missing file', async () => {
      await expectRefused(() => undefined, /no such file/);
    });
  });
});

describe('AutoBackups', () => {
  const waitFor = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((ok) => setTimeout(ok, 10));
    expect(check()).toBe(true);
  };

  it('backs up at start when there is data, then each interval in which something changed', async () => {
    const { file, db } = library(1);
    const auto = new AutoBackups(db, file, {
      keep: 10,
      intervalMs: 40,
      onError: (e) => {
        throw e;
      },
    });
    auto.start();
    cleanups.unshift(() => auto.stop());
    await waitFor(() => listBackups(file).length === 1);
    // Nothing changed: several intervals pass without a backup.
    await new Promise((ok) => setTimeout(ok, 200));
    expect(listBackups(file)).toHaveLength(1);
    addArticle(db, 'New');
    await waitFor(() => listBackups(file).length === 2);
    expect(listBackups(file)[0]?.articles).toBe(2);
  });

  it('makes no backup at start when nothing changed since the newest one', async () => {
    const { file, db } = library(1);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const start = (conn: Db) => {
      const auto = new AutoBackups(conn, file, {
        keep: 10,
        intervalMs: 60_000,
        onError: (e) => {
          throw e;
        },
      });
      auto.start();
      cleanups.unshift(() => auto.stop());
      return auto;
    };
    await start(db).pending;
    expect(listBackups(file)).toHaveLength(1);
    db.close();
    // Restarted without a change in between: no copy of the same state.
    const again = openDatabase(file);
    cleanups.unshift(() => again.close());
    expect(start(again).pending).toBeNull();
    // A change, then a restart: backed up.
    addArticle(again, 'Changed');
    again.close();
    const third = openDatabase(file);
    cleanups.unshift(() => third.close());
    expect((await start(third).pending)?.articles).toBe(2);
    expect(listBackups(file)).toHaveLength(2);
  });

  it('makes no backup of a database with nothing in it until something is written', async () => {
    const { file, db } = library(0);
    const auto = new AutoBackups(db, file, {
      keep: 10,
      intervalMs: 40,
      onError: (e) => {
        throw e;
      },
    });
    auto.start();
    cleanups.unshift(() => auto.stop());
    await new Promise((ok) => setTimeout(ok, 150));
    expect(listBackups(file)).toEqual([]);
    // A write through another connection (the import worker, the CLI) counts too.
    const other = openDatabase(file);
    addArticle(other, 'From elsewhere');
    other.close();
    await waitFor(() => listBackups(file).length === 1);
  });
});

describe('many backups within a second', () => {
  it('names each after the newest kept, so pruning never deletes the one just made', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'claimdesk.db');
      const db = openDatabase(file);
      const now = () => new Date('2026-11-23T09:30:00.400Z');
      const made: string[] = [];
      for (let i = 0; i < 15; i++) made.push((await createBackup(db, file, { keep: 10, now })).file);
      db.close();
      expect(new Set(made).size).toBe(15);
      expect([...made].sort()).toEqual(made);
      expect(backupNames(backupFolder(file))).toEqual(made.slice(-10));
    } finally {
      cleanup();
    }
  });
});
