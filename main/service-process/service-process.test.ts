/**
 * The service process driven through its message port, as the hosts drive
 * it: API calls and events, the host-only requests (grants, saving to a
 * chosen file, closing), and a crash: the supervisor restarts the process,
 * calls in flight fail with a message saying so, and every write the service
 * had acknowledged is in the library afterwards.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../shared/api.js';
import type { ApiEvent } from '../../shared/methods.js';
import type { Annotation, ImportItem, ImportJob } from '../../shared/schemas.js';
import { bundleChild, tempDir } from '../test-support.js';
import { forkService } from './node-spawn.js';
import { LOST_CALL_MESSAGE, ServiceSupervisor } from './supervisor.js';

let entry: { file: string; remove: () => void };
let dir: { dir: string; cleanup: () => void };
let sup: ServiceSupervisor;
let events: ApiEvent[];

beforeAll(async () => {
  entry = await bundleChild(join(import.meta.dirname, 'entry.ts'));
});
afterAll(() => entry.remove());
beforeEach(() => {
  dir = tempDir();
  events = [];
});
afterEach(async () => {
  await sup.close();
  dir.cleanup();
}, 30_000);

function start(extra: Partial<ConstructorParameters<typeof ServiceSupervisor>[0]> = {}): Promise<void> {
  // Imports run inside the service process here: the built worker in out/ may be older than the source under test.
  const args = ['--db', join(dir.dir, 'claimdesk.db'), '--no-seed', '--worker', join(dir.dir, 'no-built-worker.js')];
  sup = new ServiceSupervisor({ spawn: forkService(entry.file, args), onEvent: (e) => events.push(e), ...extra });
  return sup.start();
}

async function call<T>(method: string, input: unknown): Promise<T> {
  const r = await sup.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

const until = async (check: () => boolean, what: string, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

// Child processes start in a second or two; more on a loaded machine.
describe('the service process', { timeout: 60_000 }, () => {
  it('answers the API and sends its events through its port, in its own process', async () => {
    await start();
    expect(sup.pid).toBeGreaterThan(0);
    expect(sup.pid).not.toBe(process.pid);
    await call('settings.setAnnotator', { name: 'Dana' });
    const item = await call<ImportItem>('articles.createFromText', { text: 'A title\n\nKyiv said the plan needs guarantees.' });
    const text = 'Kyiv said the plan needs guarantees.';
    const a = await call<Annotation>('annotations.create', {
      articleId: item.articleId,
      start: 0,
      end: 4,
      quote: text.slice(0, 4),
      label: 'source',
    });
    expect(a.annotator).toBe('Dana');
    await until(() => events.some((e) => e.name === 'annotations.changed' && e.articleId === item.articleId), 'the change event');
    // Validation runs in the service as in every host.
    const bad = await sup.dispatch('annotations.create', { articleId: 'x' });
    expect(bad.ok).toBe(false);
    expect((bad as Extract<ApiResult, { ok: false }>).error.code).toBe('invalid_input');
  });

  it('restarts after a crash: the window is told, calls in flight fail saying so, nothing acknowledged is lost', async () => {
    await start();
    await call('settings.setAnnotator', { name: 'Dana' });
    const body = 'word '.repeat(400).trim();
    const item = await call<ImportItem>('articles.createFromText', { text: body, title: 'Crash test' });
    const articleId = item.articleId as number;
    const firstPid = sup.pid;
    const acked: string[] = [];
    const lost: string[] = [];
    const calls: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      const start = i * 5;
      calls.push(
        sup.dispatch('annotations.create', { articleId, start, end: start + 4, quote: 'word', label: 'claim' }).then((r) => {
          if (r.ok) acked.push((r.value as Annotation).id);
          else lost.push(r.error.message);
        }),
      );
      // The crash lands in the middle of the stream of writes.
      if (i === 30) sup.crashForTest();
    }
    await Promise.all(calls);
    expect(lost.length).toBeGreaterThan(0);
    expect(new Set(lost)).toEqual(new Set([LOST_CALL_MESSAGE]));
    await sup.whenReady();
    expect(sup.pid).not.toBe(firstPid);
    expect(events.filter((e) => e.name === 'service.status').map((e) => e.status?.state)).toEqual(
      expect.arrayContaining(['restarting', 'ready']),
    );
    expect(
      events.find((e) => e.name === 'service.status' && e.status?.state === 'ready' && /restarted/.test(e.status.message)),
    ).toBeTruthy();
    const stored = new Set((await call<Annotation[]>('annotations.list', { articleId })).map((a) => a.id));
    for (const id of acked) expect(stored.has(id), `acknowledged annotation ${id} lost`).toBe(true);
    // And it goes on working.
    await call<Annotation>('annotations.create', { articleId, start: 0, end: 4, quote: 'word', label: 'source' });
  });

  it('gives the paths granted before a crash to the restarted service', async () => {
    await start();
    const file = join(dir.dir, 'chosen.txt');
    writeFileSync(file, 'Chosen\n\nAn article the user picked in the dialog.');
    await sup.grant([file]);
    sup.crashForTest();
    // Accepted by the restarted process (a path nobody granted is refused); reading it is the import pipeline's business.
    const job = await call<ImportJob>('import.start', { paths: [file] });
    expect(job.state).toBe('running');
    const refused = await sup.dispatch('import.start', { paths: [join(dir.dir, 'other.txt')] });
    expect(refused.ok).toBe(false);
  });

  it('gives up after repeated crashes and says so', async () => {
    await start({ maxRestarts: 1 });
    sup.crashForTest();
    await sup.whenReady();
    sup.crashForTest();
    await until(() => sup.status.state === 'failed', 'the failed status');
    expect(sup.status.message).toMatch(/stopped 2 times/);
    const r = await sup.dispatch('app.info', {});
    expect(r.ok).toBe(false);
  });

  it('saves an export to a chosen file, atomically, and reports a failure instead of "saved"', async () => {
    await start();
    await call('settings.setAnnotator', { name: 'Dana' });
    const item = await call<ImportItem>('articles.createFromText', { text: 'Title\n\nKyiv said so.' });
    await call('annotations.create', { articleId: item.articleId, start: 0, end: 4, quote: 'Kyiv', label: 'claim' });
    const out = join(dir.dir, 'instances.csv');
    const saved = await sup.save({ method: 'export.build', input: { kind: 'instances', format: 'csv' } }, out);
    expect(saved.path).toBe(out);
    expect(saved.bytes).toBe(Buffer.byteLength(readFileSync(out, 'utf8')));
    expect(readFileSync(out, 'utf8')).toContain('Kyiv');
    expect(saved.summary.length).toBeGreaterThan(0);
    const bundle = await sup.save({ method: 'bundle.export', input: { annotator: 'Dana' } }, join(dir.dir, 'bundle.json'));
    expect(JSON.parse(readFileSync(bundle.path, 'utf8')).format).toBe('claimdesk-bundle');
    await expect(
      sup.save({ method: 'export.build', input: { kind: 'instances', format: 'csv' } }, join(dir.dir, 'no-such-folder', 'x.csv')),
    ).rejects.toThrow(/no-such-folder/);
    expect(readdirSync(dir.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('closes when asked, waiting for it to exit', async () => {
    await start();
    const pid = sup.pid as number;
    await sup.close();
    expect(() => process.kill(pid, 0)).toThrow();
    // The database was closed cleanly: no WAL left behind to replay.
    expect(existsSync(join(dir.dir, 'claimdesk.db-wal'))).toBe(false);
  });

  it('reports a library it cannot open instead of restarting forever', async () => {
    const notAFile = join(dir.dir, 'notadb.db');
    writeFileSync(notAFile, 'this is not a database '.repeat(100));
    sup = new ServiceSupervisor({ spawn: forkService(entry.file, ['--db', notAFile, '--no-seed']), onEvent: (e) => events.push(e) });
    await expect(sup.start()).rejects.toThrow(/notadb\.db|not a database|damaged/i);
    expect(sup.status.state).toBe('failed');
  });
});

describe('a renderer port', () => {
  it('may only call API methods, not grant paths, save files or close the service', async () => {
    const { testService } = await import('../test-support.js');
    const { serveChannel } = await import('./protocol.js');
    const svc = await testService();
    try {
      const replies: unknown[] = [];
      let deliver: (m: unknown) => void = () => undefined;
      serveChannel(svc, { post: (m) => replies.push(m), onMessage: (l) => (deliver = l) }, { privileged: false });
      deliver({ type: 'grant', id: 1, paths: ['/etc'] });
      deliver({
        type: 'save',
        id: 2,
        request: { method: 'export.build', input: { kind: 'claims', format: 'csv' } },
        path: join(dir.dir, 'x.csv'),
      });
      deliver({ type: 'close', id: 3 });
      deliver({ type: 'call', id: 4, method: 'app.info', input: {} });
      deliver({ type: 'nonsense', id: 5 });
      deliver('not even an object');
      await until(() => replies.length >= 4, 'the replies');
      const byId = new Map((replies as { id: number; json: string }[]).map((r) => [r.id, JSON.parse(r.json) as ApiResult]));
      for (const id of [1, 2, 3]) expect(byId.get(id)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(byId.get(4)?.ok).toBe(true);
      expect(svc.grants.allows('/etc')).toBe(false);
      expect(existsSync(join(dir.dir, 'x.csv'))).toBe(false);
      expect(svc.db.open).toBe(true);
    } finally {
      svc.dispose();
    }
  });
});
