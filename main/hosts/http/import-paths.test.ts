/**
 * `import.start({ paths })` over HTTP: whoever holds the token (a page, or a
 * compromised renderer) may not name files on disk. Only paths granted by the
 * host (the command line here; a dialog or a drop in Electron) are read;
 * the browser uploads what the user picked instead.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../../shared/api.js';
import { tempDir, testService, type TestService } from '../../test-support.js';
import { startHttpHost, type HttpHost } from './server.js';

let svc: TestService;
let host: HttpHost;
let files: { dir: string; cleanup: () => void };

beforeEach(async () => {
  svc = await testService();
  files = tempDir();
  host = await startHttpHost({ dispatch: svc.dispatch, subscribe: svc.subscribe, staticDir: files.dir });
});
afterEach(async () => {
  await host.close();
  svc.dispose();
  files.cleanup();
});

async function api(method: string, input: unknown): Promise<ApiResult> {
  const res = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Claimdesk-Token': host.token },
    body: JSON.stringify(input),
  });
  return (await res.json()) as ApiResult;
}

describe('import.start by path over HTTP', () => {
  it('refuses a path nobody chose, and reads nothing of it', async () => {
    const secret = join(files.dir, 'secret-notes.txt');
    writeFileSync(secret, 'Private notes\n\nThe password is hunter2.');
    const r = await api('import.start', { paths: [secret] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('forbidden');
      expect(r.error.message).toContain('secret-notes.txt');
    }
    // Nothing was started that could store it.
    await new Promise((ok) => setTimeout(ok, 200));
    const list = (await api('articles.list', {})) as { ok: true; value: { title: string }[] };
    expect(list.value.map((a) => a.title)).not.toContain('Private notes');
    const search = (await api('articles.search', { query: 'hunter2' })) as { ok: true; value: unknown[] };
    expect(search.value).toEqual([]);
  });

  it('refuses a folder nobody chose, and a file inside a granted folder named on its own', async () => {
    const granted = join(files.dir, 'granted');
    svc.grants.grant([granted]);
    const r = await api('import.start', { paths: [files.dir] });
    expect(r.ok).toBe(false);
    const inside = await api('import.start', { paths: [join(granted, '..', 'secret.txt')] });
    expect(inside.ok).toBe(false);
  });

  it('reads a path the host granted (the command line), and uploads still work', async () => {
    const chosen = join(files.dir, 'chosen.txt');
    writeFileSync(chosen, 'Chosen article\n\nA body the user picked.');
    svc.grants.grant([chosen]);
    const r = (await api('import.start', { paths: [chosen] })) as { ok: true; value: { id: string } };
    expect(r.ok).toBe(true);
    const job = await svc.imports.wait(r.value.id);
    expect(job.counts.imported).toBe(1);
    const up = (await api('import.upload', { files: [{ name: 'up.txt', data: Buffer.from('Uploaded\n\nBody.').toString('base64') }] })) as {
      ok: true;
      value: { uploadId: string };
    };
    const started = (await api('import.start', { uploadId: up.value.uploadId })) as { ok: true; value: { id: string } };
    expect((await svc.imports.wait(started.value.id)).counts.imported).toBe(1);
  });
});
