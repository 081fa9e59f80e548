import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/methods.js';
import { call } from '../api.js';
import { addArticle, testService, type TestService } from '../test-support.js';
import { tagPhrase } from '../test-builders.js';

let svc: TestService;
let events: ApiEvent[];
beforeEach(async () => {
  svc = await testService();
  events = [];
  svc.subscribe((e) => events.push(e));
});
afterEach(() => svc.dispose());

const TEXT = 'Rubio told EU officials that Washington wants a peace deal.';

describe('backups over the API', () => {
  it('backs up, lists, and restores a backup named in the list, announcing the restore', async () => {
    const id = addArticle(svc, TEXT);
    await tagPhrase(svc, id, 'Rubio', 'source');
    const made = await call(svc.dispatch, 'backups.create', {});
    expect(made).toMatchObject({ articles: 1, annotations: 1, reason: 'regular' });

    await tagPhrase(svc, id, 'Washington wants a peace deal', 'claim');
    addArticle(svc, 'Another article.', 'Later');
    const list = await call(svc.dispatch, 'backups.list', {});
    expect(list).toMatchObject({ folder: join(svc.file, '..', 'backups', 'claimdesk'), keep: 10, intervalHours: 4 });
    expect(list.backups.map((b) => b.file)).toEqual([made.file]);

    const report = await call(svc.dispatch, 'backups.restore', { file: made.file });
    expect(report).toMatchObject({
      restored: made.file,
      articles: 1,
      annotations: 1,
      safetyBackup: expect.stringMatching(/-pre-restore\.db$/),
    });
    expect(events.map((e) => e.name)).toContain('database.restored');
    // The service keeps working on the restored database.
    expect((await call(svc.dispatch, 'articles.list', {})).map((a) => a.title)).toEqual(['Test article']);
    expect((await call(svc.dispatch, 'annotations.list', { articleId: id })).map((a) => a.quote)).toEqual(['Rubio']);
    const after = await call(svc.dispatch, 'backups.list', {});
    expect(after.backups.map((b) => [b.reason, b.articles, b.annotations])).toEqual([
      ['pre-restore', 2, 2],
      ['regular', 1, 1],
    ]);
  });

  it('takes only a file name from the list, never a path', async () => {
    addArticle(svc, TEXT);
    const made = await call(svc.dispatch, 'backups.create', {});
    writeFileSync(join(svc.file, '..', 'claimdesk-2026-01-01T00-00-00Z-v4.db'), 'outside the folder');
    for (const file of [
      '../claimdesk.db',
      `backups/${made.file}`,
      `..\\${made.file}`,
      join(svc.file, '..', 'backups', 'claimdesk', made.file),
      'claimdesk.db',
      '',
      `${made.file}/..`,
    ]) {
      const r = await svc.dispatch('backups.restore', { file });
      expect(r.ok, file).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_input');
    }
    const missing = await svc.dispatch('backups.restore', { file: 'claimdesk-2026-01-01T00-00-00Z-v4.db' });
    expect(missing).toEqual({
      ok: false,
      error: { code: 'not_found', message: expect.stringContaining('there is no backup named claimdesk-2026-01-01T00-00-00Z-v4.db') },
    });
  });

  it('refuses a damaged backup with a clear message, changing nothing', async () => {
    addArticle(svc, TEXT);
    const made = await call(svc.dispatch, 'backups.create', {});
    writeFileSync(join(svc.file, '..', 'backups', 'claimdesk', made.file), 'not sqlite'.repeat(500));
    const r = await svc.dispatch('backups.restore', { file: made.file });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: expect.stringMatching(
          new RegExp(`^cannot restore ${made.file}: it is not a readable SQLite database .*Nothing was changed\\.$`),
        ),
      },
    });
    expect((await call(svc.dispatch, 'backups.list', {})).backups).toHaveLength(1);
    expect(events.map((e) => e.name)).not.toContain('database.restored');
  });

  it('turns other calls away while a restore runs', async () => {
    addArticle(svc, TEXT);
    const made = await call(svc.dispatch, 'backups.create', {});
    const restoring = svc.dispatch('backups.restore', { file: made.file });
    expect(await svc.dispatch('articles.list', {})).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'a backup is being restored; try again in a moment' },
    });
    expect((await svc.dispatch('app.info', {})).ok).toBe(true);
    expect((await restoring).ok).toBe(true);
    expect((await svc.dispatch('articles.list', {})).ok).toBe(true);
  });
});
