/** A library overwritten under the running host: writes fail as damaged, never acknowledged. */
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from './api.js';
import { ApiFailure } from './errors.js';
import { addArticle, testService, type TestService } from './test-support.js';

let svc: TestService;
beforeEach(async () => {
  svc = await testService({ seed: false, annotator: 'Dana' });
});
afterEach(() => svc.dispose());

describe('a library damaged underneath the host', () => {
  it('refuses the next write as "damaged" instead of acknowledging it', async () => {
    const articleId = addArticle(svc, 'Washington wants a peace deal first.');
    await call(svc.dispatch, 'annotations.create', { articleId, start: 0, end: 10, quote: 'Washington', label: 'claim' });
    // Overwritten in place, as a faulty sync tool or a stray `dd` would.
    const fd = openSync(svc.file, 'r+');
    writeSync(fd, randomBytes(statSync(svc.file).size), 0, undefined, 0);
    closeSync(fd);
    const attempt = call(svc.dispatch, 'annotations.create', { articleId, start: 11, end: 16, quote: 'wants', label: 'claim' });
    await expect(attempt).rejects.toBeInstanceOf(ApiFailure);
    await expect(attempt).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringContaining('is damaged or not a Claimdesk database: restore a backup'),
    });
  });

  it('comes back whole from a backup restored over it, and takes writes again', async () => {
    const articleId = addArticle(svc, 'Washington wants a peace deal first.');
    await call(svc.dispatch, 'annotations.create', { articleId, start: 0, end: 10, quote: 'Washington', label: 'claim' });
    const backup = await call(svc.dispatch, 'backups.create', {});
    const fd = openSync(svc.file, 'r+');
    writeSync(fd, randomBytes(statSync(svc.file).size), 0, undefined, 0);
    closeSync(fd);
    await expect(
      call(svc.dispatch, 'annotations.create', { articleId, start: 11, end: 16, quote: 'wants', label: 'claim' }),
    ).rejects.toMatchObject({ code: 'storage' });
    const restored = await call(svc.dispatch, 'backups.restore', { file: backup.file });
    // The damaged file is kept aside, as it was, beside the backups.
    expect(restored.safetyBackup).toMatch(/^damaged-.*claimdesk\.db$/);
    expect(existsSync(join(dirname(svc.file), 'backups', 'claimdesk', restored.safetyBackup as string))).toBe(true);
    expect((await call(svc.dispatch, 'annotations.list', { articleId })).map((a) => a.quote)).toEqual(['Washington']);
    await call(svc.dispatch, 'annotations.create', { articleId, start: 11, end: 16, quote: 'wants', label: 'claim' });
    expect(await call(svc.dispatch, 'annotations.list', { articleId })).toHaveLength(2);
  });
});
