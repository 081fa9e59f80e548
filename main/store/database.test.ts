import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support.js';
import { DatabaseVersionError, openDatabase, SCHEMA_VERSION } from './database.js';
import { MIGRATIONS } from './migrations/index.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});
function dbFile(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'test.db');
}

describe('openDatabase', () => {
  it('sets WAL, FULL sync, foreign keys and a busy timeout on a fresh and a reopened file', () => {
    const file = dbFile();
    for (let i = 0; i < 2; i++) {
      const db = openDatabase(file);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      db.close();
    }
  });

  it('refuses a database written by a newer Claimdesk and leaves it untouched, byte for byte', () => {
    const file = dbFile();
    const raw = new Database(file);
    raw.exec("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO articles VALUES (1, 'From the future')");
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const bytes = readFileSync(file);
    expect(() => openDatabase(file)).toThrow(DatabaseVersionError);
    expect(() => openDatabase(file)).toThrow(
      `${file} was written by a newer Claimdesk (schema version ${SCHEMA_VERSION + 1}; this version knows up to ${SCHEMA_VERSION}). Update Claimdesk to open it.`,
    );
    // Not even switched to WAL, and not backed up: nothing was written beside it.
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(readdirSync(dirname(file))).toEqual(['test.db']);
  });

  it('rolls back every step of a failing migration', () => {
    const file = dbFile();
    const broken = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        up: (db: Database.Database) => {
          db.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => openDatabase(file, broken)).toThrow('boom');
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('half_done', 'articles')").get()).toEqual({ n: 0 });
    raw.close();
  });
});

describe('migration 1', () => {
  it('creates the tables and the default labels from an empty database', () => {
    const file = dbFile();
    const db = openDatabase(file, MIGRATIONS.slice(0, 1));
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
      (t) => t.name,
    );
    expect(tables).toEqual(['annotations', 'articles', 'labels', 'settings']);
    expect(db.prepare('SELECT id, shortcut FROM labels ORDER BY position').all()).toEqual([
      { id: 'claim', shortcut: '1' },
      { id: 'source', shortcut: '2' },
      { id: 'opinion', shortcut: '3' },
    ]);
    // Deleting an article deletes its annotations; an unknown label is refused.
    db.prepare("INSERT INTO articles (id, title, text, length, content_hash, imported_at) VALUES (1, 't', 'abc', 3, 'h', 'now')").run();
    db.prepare(
      "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES ('a', 1, 0, 1, 'a', '', 'bc', 'claim', 'x', '', 'now', 'now')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES ('b', 1, 0, 1, 'a', '', 'bc', 'nope', 'x', '', 'now', 'now')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES ('c', 1, 2, 2, '', '', '', 'claim', 'x', '', 'now', 'now')",
        )
        .run(),
    ).toThrow(/CHECK/);
    db.prepare('DELETE FROM articles WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('migration 2', () => {
  it('adds the byline and indexes existing articles for full-text search', () => {
    const file = dbFile();
    const v1 = openDatabase(file, MIGRATIONS.slice(0, 1));
    v1.prepare(
      "INSERT INTO articles (id, title, text, length, content_hash, imported_at) VALUES (1, 'Peace deal', 'Rubio told EU officials', 23, 'h', 'now')",
    ).run();
    v1.close();
    const v2 = openDatabase(file, MIGRATIONS.slice(0, 2));
    expect(v2.pragma('user_version', { simple: true })).toBe(2);
    expect(v2.prepare("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'rubio'").all()).toEqual([{ rowid: 1 }]);
    v2.prepare("UPDATE articles SET byline = 'Jane Doe', title = 'Renamed' WHERE id = 1").run();
    expect(v2.prepare("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'renamed'").all()).toEqual([{ rowid: 1 }]);
    v2.prepare('DELETE FROM articles WHERE id = 1').run();
    expect(v2.prepare("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'rubio'").all()).toEqual([]);
    v2.close();
  });
});

describe('migrations 3 and 4', () => {
  it('add claims and review tables to a version-2 database with data', () => {
    const file = dbFile();
    const v2 = openDatabase(file, MIGRATIONS.slice(0, 2));
    v2.prepare(
      "INSERT INTO articles (id, title, text, length, content_hash, imported_at) VALUES (1, 't', 'Rubio said so', 13, 'h', 'now')",
    ).run();
    v2.prepare("INSERT INTO annotations VALUES ('a', 1, 0, 5, 'Rubio', '', ' said so', 'source', 'x', '', 'now', 'now')").run();
    v2.prepare("INSERT INTO annotations VALUES ('c', 1, 6, 13, 'said so', 'Rubio ', '', 'claim', 'x', '', 'now', 'now')").run();
    v2.close();
    const v4 = openDatabase(file, MIGRATIONS.slice(0, 4));
    expect(v4.pragma('user_version', { simple: true })).toBe(4);
    v4.prepare("INSERT INTO source_links VALUES ('l', 'c', 'a', 'direct', 'x', 'now')").run();
    expect(() => v4.prepare("INSERT INTO source_links VALUES ('m', 'c', 'a', 'bogus', 'x', 'now')").run()).toThrow(/CHECK/);
    v4.prepare(
      "INSERT INTO adjudications (article_id, item_key, kind, annotator_a, annotator_b, decision, reviewer, at) VALUES (1, 'k', 'agreed', 'x', 'y', 'accept_a', 'r', 'now')",
    ).run();
    v4.prepare("DELETE FROM annotations WHERE id = 'a'").run();
    expect(v4.prepare('SELECT count(*) AS n FROM source_links').get()).toEqual({ n: 0 });
    v4.close();
  });
});
