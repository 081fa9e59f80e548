import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../../shared/api.js';
import { addArticle, tempDir, testService, type TestService } from '../../test-support.js';
import { startHttpHost, type HttpHost } from './server.js';

let svc: TestService;
let host: HttpHost;
let cleanup: () => void;

beforeEach(async () => {
  svc = await testService();
  const t = tempDir();
  cleanup = t.cleanup;
  const staticDir = join(t.dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Claimdesk</title>');
  writeFileSync(join(t.dir, 'secret.txt'), 'outside the renderer');
  host = await startHttpHost({ dispatch: svc.dispatch, subscribe: svc.subscribe, staticDir });
});
afterEach(async () => {
  await host.close();
  svc.dispose();
  cleanup();
});

/** A raw request, so tests can send any Host, Origin or path. */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${host.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

const apiCall = (method: string, input: unknown, headers: Record<string, string> = {}) =>
  raw(`/api/${method}`, { method: 'POST', body: JSON.stringify(input), headers: { 'Content-Type': 'application/json', 'X-Claimdesk-Token': host.token, ...headers } });

describe('HTTP host security', () => {
  it('prints a loopback URL with the token and listens on 127.0.0.1 only', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{20,}$`));
  });

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await raw('/')).status).toBe(403);
    expect((await raw('/api/app.info', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status).toBe(403);
    expect((await apiCall('app.info', {}, { 'X-Claimdesk-Token': 'x'.repeat(host.token.length) })).status).toBe(403);
    expect((await raw(`/?token=${host.token}`)).status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    expect((await raw(`/?token=${host.token}`, { headers: { Host: `evil.example:${host.port}` } })).status).toBe(403);
    expect((await apiCall('app.info', {}, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await apiCall('app.info', {}, { Origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
    expect((await apiCall('app.info', {}, { Host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('sets an HttpOnly same-site cookie with the token, accepted on later requests', async () => {
    const first = await raw(`/?token=${host.token}`);
    const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(first.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await raw('/index.html', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('serves static files only from the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/../../secret.txt']) {
      const r = await raw(`${path}${path.includes('?') ? '&' : '?'}token=${host.token}`);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('outside the renderer');
    }
  });

  it('takes API calls as POST with JSON only', async () => {
    expect((await raw(`/api/app.info?token=${host.token}`)).status).toBe(405);
    expect((await raw('/api/app.info', { method: 'POST', body: '{}', headers: { 'X-Claimdesk-Token': host.token, 'Content-Type': 'text/plain' } })).status).toBe(415);
    const bad = await raw('/api/app.info', { method: 'POST', body: '{nope', headers: { 'X-Claimdesk-Token': host.token, 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('the API contract over both transports', () => {
  it('gives the same results directly and over HTTP', async () => {
    const articleId = addArticle(svc, 'Rubio told EU officials that Washington wants a deal.');
    const cases: [string, unknown][] = [
      ['app.info', {}],
      ['labels.list', {}],
      ['articles.list', {}],
      ['articles.get', { id: articleId }],
      ['annotations.list', { articleId }],
      ['annotations.create', { articleId, start: 0, end: 99, quote: 'Rubio', label: 'claim' }],
      ['annotations.create', { articleId, start: 0, end: 5, quote: 'Rubio', label: 'claim', id: 'not-a-uuid' }],
      ['annotations.update', { id: '00000000-0000-4000-8000-000000000000' }],
      ['no.such.method', {}],
    ];
    for (const [method, input] of cases) {
      const direct = await svc.dispatch(method, input);
      const viaHttp = JSON.parse((await apiCall(method, input)).body) as ApiResult;
      expect(viaHttp, method).toEqual(direct);
    }
    // A write over HTTP is visible directly.
    const created = JSON.parse((await apiCall('annotations.create', { articleId, start: 0, end: 5, quote: 'Rubio', label: 'source' })).body) as ApiResult;
    expect(created.ok).toBe(true);
    const list = await svc.dispatch('annotations.list', { articleId });
    expect(list.ok && (list.value as unknown[]).length).toBe(1);
  });
});
