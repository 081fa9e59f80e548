/** A restore takes only a database whose schema is exactly Claimdesk's for its version. */
import Database from 'better-sqlite3';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appRoot } from '../paths.js';
import { tempDir } from '../test-support.js';
import { insertArticle } from './articles.js';
import { insertAnnotation } from './annotations.js';
import { inspectBackup } from './backup.js';
import { openDatabase, type Db } from './database.js';
import { restoreBackup } from './restore.js';

let files: { dir: string; cleanup: () => void };
let db: Db;
let file: string;
beforeEach(() => {
  files = tempDir();
  file = join(files.dir, 'claimdesk.db');
  db = openDatabase(file);
});
afterEach(() => {
  db.close();
  files.cleanup();
});

describe('restore checks the schema', () => {
  it('accepts every schema version Claimdesk has shipped', () => {
    const fixtures = join(appRoot(), 'main', 'store', 'fixtures');
    const dbs = readdirSync(fixtures).filter((f) => /^schema-v\d+\.db$/.test(f));
    expect(dbs.length).toBeGreaterThan(0);
    for (const f of dbs) {
      const copy = join(files.dir, f);
      copyFileSync(join(fixtures, f), copy);
      expect(() => inspectBackup(copy), f).not.toThrow();
    }
  });

  it('refuses a file with a Claimdesk version number and two empty tables of the right names', () => {
    const fake = join(files.dir, 'fake.db');
    const f = new Database(fake);
    f.exec('CREATE TABLE articles (id INTEGER PRIMARY KEY); CREATE TABLE annotations (id TEXT PRIMARY KEY)');
    f.pragma('user_version = 7');
    f.close();
    expect(() => inspectBackup(fake)).toThrow(
      /cannot restore fake\.db: its schema is not Claimdesk's schema version 7: its table "(articles|annotations)" is defined differently/,
    );
  });

  it('refuses a real backup with an added trigger that deletes every new tag, and changes nothing', async () => {
    const articleId = insertArticle(db, { title: 'T', text: 'Washington wants a peace deal first.' }).id;
    const t = '2026-01-01T00:00:00.000Z';
    db.transaction(() =>
      insertAnnotation(db, {
        id: '00000000-0000-4000-8000-000000000001',
        articleId,
        start: 0,
        end: 10,
        quote: 'Washington',
        prefix: '',
        suffix: ' wants',
        label: 'claim',
        annotator: 'Dana',
        note: '',
        createdAt: t,
        updatedAt: t,
      }),
    )();
    const backup = join(files.dir, 'hostile.db');
    await db.backup(backup);
    const b = new Database(backup);
    b.exec('CREATE TRIGGER vanish AFTER INSERT ON annotations BEGIN DELETE FROM annotations WHERE id = NEW.id; END');
    b.close();
    await expect(restoreBackup(file, backup, { live: db })).rejects.toThrow(
      "cannot restore hostile.db: its schema is not Claimdesk's schema version",
    );
    await expect(restoreBackup(file, backup, { live: db })).rejects.toThrow('it holds a trigger "vanish" that Claimdesk does not make');
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name = 'vanish'").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual({ n: 1 });
  });
});
