import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addArticle, testService, type TestService } from './test-support.js';
import { storageFailure } from './storage-errors.js';

let svc: TestService;
beforeEach(async () => {
  svc = await testService();
});
afterEach(() => svc.dispose());

/** Every row of every table, to show a failed write changed nothing. */
const dump = () =>
  (svc.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(({ name }) =>
    svc.db.prepare(`SELECT * FROM "${name}"`).all(),
  );

describe('storage failures reach the user as clear errors', () => {
  it('a full disk: disk_full, naming the file, and nothing half-written', async () => {
    const articleId = addArticle(svc, 'Washington wants a peace deal first, officials said.');
    const before = dump();
    // SQLite answers SQLITE_FULL when the file may not grow, as on a full disk.
    svc.db.pragma(`max_page_count = ${svc.db.pragma('page_count', { simple: true }) as number}`);
    const r = await svc.dispatch('articles.createFromText', { text: `Big\n\n${'A long paragraph about guarantees. '.repeat(20_000)}` });
    expect(r).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    expect(!r.ok && r.error.message).toContain(`the disk holding ${svc.file} is full, so nothing was saved`);
    expect(dump()).toEqual(before);
    // Small writes that still fit go on working; reads always do.
    expect((await svc.dispatch('annotations.list', { articleId })).ok).toBe(true);
  });

  it('a database opened read-only: read_only, naming the file', async () => {
    const articleId = addArticle(svc, 'Kyiv insists on guarantees first.');
    svc.db.pragma('query_only = 1');
    const r = await svc.dispatch('annotations.create', { articleId, start: 0, end: 4, quote: 'Kyiv', label: 'claim' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'read_only', message: expect.stringContaining(`${svc.file} is read-only, so nothing was saved`) },
    });
    expect((await svc.dispatch('articles.get', { id: articleId })).ok).toBe(true);
  });

  it('maps each kind of failure, and leaves other errors alone', () => {
    const err = (code: string) => Object.assign(new Error(`${code} happened`), { code });
    const f = '/data/claimdesk.db';
    expect(storageFailure(err('SQLITE_READONLY_DBMOVED'), f)).toMatchObject({ code: 'read_only' });
    expect(storageFailure(err('SQLITE_READONLY_DIRECTORY'), f)?.message).toContain('its folder /data is read-only');
    expect(storageFailure(err('EROFS'), f)).toMatchObject({ code: 'read_only' });
    expect(storageFailure(err('ENOSPC'), f)).toMatchObject({ code: 'disk_full' });
    expect(storageFailure(err('SQLITE_BUSY_SNAPSHOT'), f)).toMatchObject({ code: 'busy' });
    expect(storageFailure(err('SQLITE_IOERR_FSYNC'), f)?.message).toMatch(
      /^\/data\/claimdesk\.db could not be read or written .*\(SQLITE_IOERR_FSYNC: SQLITE_IOERR_FSYNC happened\)$/,
    );
    expect(storageFailure(err('SQLITE_CORRUPT'), f)?.message).toContain('restore a backup');
    expect(storageFailure(err('SQLITE_CONSTRAINT_UNIQUE'), f)).toBeNull();
    expect(storageFailure(new TypeError('x'), f)).toBeNull();
  });
});
