/** A restore takes only a database whose schema is exactly Claimdesk's for its version. */
import Database from 'better-sqlite3';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from './api.js';
import { appRoot } from './paths.js';
import { addArticle, tempDir, testService, type TestService } from './test-support.js';
import { inspectBackup } from './store/backup.js';
import { restoreBackup } from './store/restore.js';

let svc: TestService;
let files: { dir: string; cleanup: () => void };
beforeEach(async () => {
  svc = await testService({ seed: false, annotator: 'Dana' });
  files = tempDir();
});
afterEach(() => {
  svc.dispose();
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
    const db = new Database(fake);
    db.exec('CREATE TABLE articles (id INTEGER PRIMARY KEY); CREATE TABLE annotations (id TEXT PRIMARY KEY)');
    db.pragma('user_version = 7');
    db.close();
    expect(() => inspectBackup(fake)).toThrow(/cannot restore fake\.db: its schema is not Claimdesk's schema version 7: its table "(articles|annotations)" is defined differently/);
  });

  it('refuses a real backup with an added trigger that deletes every new tag, and changes nothing', async () => {
    const articleId = addArticle(svc, 'Washington wants a peace deal first.');
    await call(svc.dispatch, 'annotations.create', { articleId, start: 0, end: 10, quote: 'Washington', label: 'claim' });
    const backup = join(files.dir, 'hostile.db');
    await svc.db.backup(backup);
    const b = new Database(backup);
    b.exec('CREATE TRIGGER vanish AFTER INSERT ON annotations BEGIN DELETE FROM annotations WHERE id = NEW.id; END');
    b.close();
    await expect(restoreBackup(svc.file, backup, { live: svc.db })).rejects.toThrow('cannot restore hostile.db: its schema is not Claimdesk\'s schema version');
    await expect(restoreBackup(svc.file, backup, { live: svc.db })).rejects.toThrow('it holds a trigger "vanish" that Claimdesk does not make');
    expect(svc.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name = 'vanish'").get()).toEqual({ n: 0 });
    expect((await call(svc.dispatch, 'annotations.list', { articleId })).length).toBe(1);
  });
});
