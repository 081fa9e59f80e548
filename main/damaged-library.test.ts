/** A library overwritten under the running host: writes fail as damaged, never acknowledged. */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
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
    await expect(attempt).rejects.toMatchObject({ code: 'storage', message: expect.stringContaining('is damaged or not a Claimdesk database: restore a backup') });
  });
});
