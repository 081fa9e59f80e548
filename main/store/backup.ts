/**
 * Backups of the database into a `backups/<name>/` folder beside it: made online
 * while Claimdesk runs, each written under a temporary name and renamed when
 * complete (so a backup file is never partial), the last few kept.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { backupFileNameFor, parseBackupFileName, type BackupInfo, type BackupReason } from '../../shared/backups.js';
import type { Db } from './connection.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';
import { errorMessage } from '../../shared/errors.js';

export const DEFAULT_KEEP = 10;
export const DEFAULT_INTERVAL_MS = 4 * 60 * 60 * 1000;

/** A backup that must not be restored, with the reason in words. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupOptions {
  reason?: BackupReason;
  /** How many backups to keep after this one; older ones are deleted. Infinity keeps all. */
  keep?: number;
  now?: () => Date;
}

/**
 * `backups/<name>/` beside the database file (`backups/claimdesk/` for
 * `claimdesk.db`): databases kept in one folder never list, restore or prune
 * each other's backups.
 */
export function backupFolder(dbFile: string): string {
  return join(dirname(dbFile), 'backups', basename(dbFile, extname(dbFile)) || basename(dbFile));
}

/** `claimdesk-` + the UTC second: what two backups must not share, so names sort in the order they were made. */
const STAMP_LENGTH = 'claimdesk-2026-11-23T09-30-00Z'.length;
const TEMP_FILE = /^\.claimdesk-[0-9a-f-]+\.tmp(-wal|-shm|-journal)?$/;

/** Backup file names in the folder, oldest first. */
export function backupNames(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((n) => parseBackupFileName(n) !== null)
    .sort();
}

function tempFile(folder: string): string {
  mkdirSync(folder, { recursive: true });
  return join(folder, `.claimdesk-${randomUUID()}.tmp`);
}

function removeTemp(tmp: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${tmp}${suffix}`, { force: true });
}

function fsync(path: string, flags: 'r' | 'r+'): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, flags);
    fsyncSync(fd);
  } catch {
    // Folders cannot be opened for fsync on Windows; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Makes a finished temporary copy durable and gives it its name. */
function publish(tmp: string, folder: string, reason: BackupReason, now: Date): string {
  const copy = new Database(tmp, { fileMustExist: true });
  let version: number;
  try {
    // One self-contained file: a page copy keeps the live database's WAL flag,
    // and opening a WAL file read-only would leave -wal/-shm files beside it.
    copy.pragma('journal_mode = DELETE');
    version = copy.pragma('user_version', { simple: true }) as number;
  } finally {
    copy.close();
  }
  fsync(tmp, 'r+');
  const names = backupNames(folder);
  const taken = new Set(names.map((n) => n.slice(0, STAMP_LENGTH)));
  // After the newest existing one: many backups within a second must not name a
  // new one older than those kept, or pruning would delete it at once.
  const newest = Date.parse(parseBackupFileName(names.at(-1) ?? '')?.createdAt ?? '');
  let t = Math.max(Math.floor(now.getTime() / 1000) * 1000, Number.isNaN(newest) ? 0 : newest + 1000);
  while (taken.has(backupFileNameFor(new Date(t), version, reason).slice(0, STAMP_LENGTH))) t += 1000;
  const name = backupFileNameFor(new Date(t), version, reason);
  renameSync(tmp, join(folder, name));
  fsync(folder, 'r');
  return name;
}

/**
 * An online backup through SQLite's backup API: the app keeps answering
 * between steps, and writes made meanwhile are carried into the copy.
 */
export async function createBackup(db: Db, dbFile: string, opts: BackupOptions = {}): Promise<BackupInfo> {
  const folder = backupFolder(dbFile);
  const tmp = tempFile(folder);
  let name: string;
  try {
    await db.backup(tmp, { progress: () => 1000 });
    name = publish(tmp, folder, opts.reason ?? 'regular', (opts.now ?? (() => new Date()))());
  } catch (err) {
    removeTemp(tmp);
    throw err;
  }
  pruneBackups(dbFile, opts.keep ?? DEFAULT_KEEP);
  return describeBackup(join(folder, name));
}

/**
 * The same, in one synchronous statement (VACUUM INTO takes a consistent
 * snapshot): for openDatabase, which backs up before it migrates.
 */
export function createBackupSync(db: Db, dbFile: string, opts: BackupOptions = {}): string {
  const folder = backupFolder(dbFile);
  const tmp = tempFile(folder);
  let name: string;
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
    name = publish(tmp, folder, opts.reason ?? 'regular', (opts.now ?? (() => new Date()))());
  } catch (err) {
    removeTemp(tmp);
    throw err;
  }
  pruneBackups(dbFile, opts.keep ?? DEFAULT_KEEP);
  return name;
}

/** Deletes all but the newest `keep` backups (and temporary files an interrupted backup left); returns the names deleted. */
export function pruneBackups(dbFile: string, keep = DEFAULT_KEEP): string[] {
  const folder = backupFolder(dbFile);
  const names = backupNames(folder);
  const doomed = names.slice(0, Math.max(0, names.length - Math.max(1, keep)));
  for (const n of doomed) rmSync(join(folder, n), { force: true });
  if (existsSync(folder)) {
    const hourAgo = Date.now() - 60 * 60 * 1000;
    for (const n of readdirSync(folder)) {
      if (TEMP_FILE.test(n) && statSync(join(folder, n)).mtimeMs < hourAgo) rmSync(join(folder, n), { force: true });
    }
  }
  return doomed;
}

function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function count(db: Db, table: 'articles' | 'annotations'): number | null {
  return hasTable(db, table) ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : null;
}

/** Whether the database holds any article: nothing to protect before the first. */
export function hasData(db: Db): boolean {
  return hasTable(db, 'articles') && db.prepare('SELECT 1 FROM articles LIMIT 1').get() !== undefined;
}

/** What the list shows of one backup, read from the file opened read-only. */
export function describeBackup(file: string): BackupInfo {
  const name = basename(file);
  const parsed = parseBackupFileName(name);
  if (!parsed) throw new RangeError(`${name} is not named like a Claimdesk backup`);
  const info: BackupInfo = { file: name, ...parsed, size: statSync(file).size, articles: null, annotations: null, problem: null };
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    info.schemaVersion = db.pragma('user_version', { simple: true }) as number;
    info.articles = count(db, 'articles');
    info.annotations = count(db, 'annotations');
    if (info.articles === null) info.problem = 'not a Claimdesk database';
  } catch (err) {
    info.problem = errorMessage(err);
  } finally {
    db?.close();
  }
  return info;
}

/** Every backup of the database, newest first. */
export function listBackups(dbFile: string): BackupInfo[] {
  const folder = backupFolder(dbFile);
  return backupNames(folder)
    .reverse()
    .map((n) => describeBackup(join(folder, n)));
}

type SchemaEntry = { type: string; name: string; sql: string };
const schemaCache = new Map<number, Map<string, SchemaEntry>>();

/** Tables, indexes, triggers and views a database has (SQLite's own excepted), by type and name. */
function schemaEntries(db: Db): Map<string, SchemaEntry> {
  const rows = db
    .prepare("SELECT type, name, coalesce(sql, '') AS sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .all() as SchemaEntry[];
  return new Map(rows.map((r) => [`${r.type} ${r.name}`, { ...r, sql: r.sql.replace(/\s+/g, ' ').trim() }]));
}

/** The schema Claimdesk's migrations make at `version`, built once in memory. */
function schemaAt(version: number): Map<string, SchemaEntry> {
  let schema = schemaCache.get(version);
  if (!schema) {
    const mem = new Database(':memory:');
    try {
      for (const m of MIGRATIONS.slice(0, version)) m.up(mem);
      schema = schemaEntries(mem);
    } finally {
      mem.close();
    }
    schemaCache.set(version, schema);
  }
  return schema;
}

/**
 * How a database's schema differs from the one its version should have, or
 * null when it is the same: a trigger, view or table Claimdesk never makes
 * (a trigger deleting every new tag, say) or a changed or missing one.
 */
export function schemaDifference(db: Db, version: number): string | null {
  const expected = schemaAt(version);
  const actual = schemaEntries(db);
  for (const [key, entry] of actual) {
    const mine = expected.get(key);
    if (!mine) return `it holds a ${entry.type} "${entry.name.slice(0, 60)}" that Claimdesk does not make`;
    if (mine.sql !== entry.sql) return `its ${entry.type} "${entry.name.slice(0, 60)}" is defined differently`;
  }
  for (const [key, entry] of expected) if (!actual.has(key)) return `its ${entry.type} "${entry.name}" is missing`;
  return null;
}

/**
 * Checks that a file can be restored: a SQLite database that passes its
 * integrity check, with a Claimdesk schema no newer than this app's and
 * exactly the schema of its version (no added trigger, view or table).
 * Throws a {@link BackupError} naming the file otherwise.
 */
export function inspectBackup(file: string, maxVersion = SCHEMA_VERSION): { schemaVersion: number; articles: number; annotations: number } {
  const name = basename(file);
  const refuse = (why: string) => new BackupError(`cannot restore ${name}: ${why}`);
  if (!existsSync(file) || !statSync(file).isFile()) throw refuse('there is no such file');
  let db: Db | undefined;
  try {
    let version: number;
    let check: unknown;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      version = db.pragma('user_version', { simple: true }) as number;
      check = db.pragma('integrity_check', { simple: true });
    } catch (err) {
      throw refuse(`it is not a readable SQLite database (${errorMessage(err)})`);
    }
    if (check !== 'ok')
      throw refuse(
        `it is damaged (integrity check: ${String(check)
          .replace(/\s*\n\s*/g, '; ')
          .slice(0, 200)})`,
      );
    if (version > maxVersion)
      throw refuse(`it was written by a newer Claimdesk (schema version ${version}; this version knows up to ${maxVersion})`);
    const articles = count(db, 'articles');
    const annotations = count(db, 'annotations');
    if (version < 1 || articles === null || annotations === null) throw refuse('it is not a Claimdesk database');
    const difference = schemaDifference(db, version);
    if (difference) throw refuse(`its schema is not Claimdesk's schema version ${version}: ${difference}`);
    return { schemaVersion: version, articles, annotations };
  } finally {
    db?.close();
  }
}

/**
 * Whether the database file (or its write-ahead log) was written after the
 * newest backup was made: across runs, where a connection's own change
 * counters do not reach. Errs towards yes (a checkpoint counts as a write).
 */
export function changedSinceNewestBackup(dbFile: string): boolean {
  const folder = backupFolder(dbFile);
  const newest = backupNames(folder).at(-1);
  if (!newest || !existsSync(dbFile)) return true;
  const made = statSync(join(folder, newest)).mtimeMs;
  const wal = statSync(`${dbFile}-wal`, { throwIfNoEntry: false });
  // Opening a database creates an empty log; only one holding frames says something was written.
  const written = Math.max(statSync(dbFile).mtimeMs, wal && wal.size > 0 ? wal.mtimeMs : 0);
  return written > made;
}

/** What changed since: this connection's writes and any other connection's commits. */
function changeMark(db: Db): string {
  const own = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  return `${String(db.pragma('data_version', { simple: true }))}:${own}`;
}

/**
 * Automatic backups while Claimdesk runs: one at start when the database
 * holds anything not yet backed up (so restarting the app does not push
 * older backups out with copies of the same state), then one every interval
 * in which something changed. The timer never keeps the process alive.
 */
export class AutoBackups {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<BackupInfo | null> | null = null;
  private lastMark: string | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly dbFile: string,
    private readonly opts: { keep: number; intervalMs: number; onError: (err: unknown) => void },
  ) {}

  start(): void {
    if (hasData(this.db) && changedSinceNewestBackup(this.dbFile)) void this.run();
    else this.lastMark = changeMark(this.db);
    this.timer = setInterval(() => {
      if (!this.running && changeMark(this.db) !== this.lastMark) void this.run();
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  /** Backs up now (or joins the backup already under way). */
  run(): Promise<BackupInfo | null> {
    if (this.running) return this.running;
    const mark = changeMark(this.db);
    this.running = createBackup(this.db, this.dbFile, { keep: this.opts.keep })
      .then(
        (info) => {
          this.lastMark = mark;
          return info;
        },
        (err: unknown) => {
          if (!this.stopped && this.db.open) this.opts.onError(err);
          return null;
        },
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** The backup under way, if any. */
  get pending(): Promise<BackupInfo | null> | null {
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}
