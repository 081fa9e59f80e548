import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../../shared/api.js';
import { addArticle, tempDir, testService, type TestService } from '../../test-support.js';
import { serializeResult, startHttpHost, type HttpHost } from './server.js';

let svc: TestService;
let host: HttpHost;
let cleanup: () => void;
let staticDir: string;

beforeEach(async () => {
  svc = await testService();
  const t = tempDir();
  cleanup = t.cleanup;
  staticDir = join(t.dir, 'renderer');
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
function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; port?: number } = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const port = opts.port ?? host.port;
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', fail);
    req.end(opts.body);
  });
}

const apiCall = (method: string, input: unknown, headers: Record<string, string> = {}) =>
  raw(`/api/${method}`, {
    method: 'POST',
    body: JSON.stringify(input),
    headers: { 'Content-Type': 'application/json', 'X-Claimdesk-Token': host.token, ...headers },
  });

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

  it('resists encoded, doubled, backslashed, absolute and NUL-bearing paths', async () => {
    const secret = `/..${staticDir.slice(staticDir.lastIndexOf('/'))}/../secret.txt`;
    const paths = [
      '/%2e%2e%2fsecret.txt',
      '/%2E%2E/secret.txt',
      '/.%2e/secret.txt',
      '/%2e./secret.txt',
      '/%252e%252e/secret.txt',
      '/%252e%252e%252fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/%5c..%5csecret.txt',
      '/....//secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      secret,
      '//etc/passwd',
      '/%2fetc%2fpasswd',
      '/%2F%2Fetc%2Fpasswd',
      '/etc/passwd',
      `/${staticDir.replace(/^\//, '')}/../secret.txt`,
      '/proc/self/environ',
      '/%2fproc%2fself%2fenviron',
      '/index.html%00.png',
      '/%00../secret.txt',
      '/..%00/secret.txt',
      '/%c0%ae%c0%ae/secret.txt',
      '/%e0%80%ae%e0%80%ae/secret.txt',
    ];
    for (const path of paths) {
      const r = await raw(`${path}?token=${host.token}`);
      expect([400, 404], `${path}: ${r.status}`).toContain(r.status);
      expect(r.body, path).not.toMatch(/outside the renderer|root:|PATH=/);
    }
  });

  it('answers a malformed %-escape with 400, not a crash', async () => {
    expect((await raw(`/%E0%A4%A?token=${host.token}`)).status).toBe(400);
    expect(
      (
        await raw('/api/app%E0.info', {
          method: 'POST',
          body: '{}',
          headers: { 'X-Claimdesk-Token': host.token, 'Content-Type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect((await raw(`/?token=${host.token}`)).status).toBe(200);
  });

  it('listens on the IPv4 loopback only', async () => {
    const refused = (address: string) =>
      new Promise<boolean>((ok) => {
        const socket = connect({ host: address, port: host.port, timeout: 2000 });
        socket.once('connect', () => {
          socket.destroy();
          ok(false);
        });
        socket.once('error', () => ok(true));
        socket.once('timeout', () => {
          socket.destroy();
          ok(true);
        });
      });
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal)
      .map((i) => i?.address as string);
    for (const address of ['::1', ...others]) expect(await refused(address), address).toBe(true);
    expect(await refused('127.0.0.1')).toBe(false);
  });

  it('never sends CORS headers, and refuses preflights and other methods', async () => {
    for (const method of ['OPTIONS', 'PUT', 'DELETE', 'PATCH']) {
      const r = await raw(`/api/app.info?token=${host.token}`, {
        method,
        headers: { Origin: `http://127.0.0.1:${host.port}`, 'Access-Control-Request-Method': 'POST' },
      });
      expect(r.status, method).toBe(405);
      expect(
        Object.keys(r.headers).filter((h) => h.startsWith('access-control-')),
        method,
      ).toEqual([]);
    }
    expect((await apiCall('app.info', {}, { Origin: 'null' })).status).toBe(403);
    expect((await apiCall('app.info', {}, { Host: `127.0.0.1:${host.port}.evil.example` })).status).toBe(403);
    // No Host at all (HTTP/1.0), over a bare socket since Node's client always adds one.
    const reply = await new Promise<string>((ok, fail) => {
      const socket = connect({ host: '127.0.0.1', port: host.port }, () =>
        socket.end(
          `POST /api/app.info HTTP/1.0\r\nX-Claimdesk-Token: ${host.token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
        ),
      );
      let data = '';
      socket.on('data', (d: Buffer) => (data += d.toString()));
      socket.on('end', () => ok(data));
      socket.on('error', fail);
    });
    expect(reply).toMatch(/^HTTP\/1\.[01] 403 /);
  });

  it('takes API calls as POST with JSON only', async () => {
    expect((await raw(`/api/app.info?token=${host.token}`)).status).toBe(405);
    expect(
      (
        await raw('/api/app.info', {
          method: 'POST',
          body: '{}',
          headers: { 'X-Claimdesk-Token': host.token, 'Content-Type': 'text/plain' },
        })
      ).status,
    ).toBe(415);
    // The content types a cross-site form can send without asking, and near misses.
    for (const type of [
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/plain; charset=utf-8',
      'application/jsonp',
      'application/json5',
      '',
    ]) {
      expect(
        (await raw('/api/app.info', { method: 'POST', body: '{}', headers: { 'X-Claimdesk-Token': host.token, 'Content-Type': type } }))
          .status,
        type,
      ).toBe(415);
    }
    expect(
      (
        await raw('/api/app.info', {
          method: 'POST',
          body: '{}',
          headers: { 'X-Claimdesk-Token': host.token, 'Content-Type': 'application/json; charset=utf-8' },
        })
      ).status,
    ).toBe(200);
    const bad = await raw('/api/app.info', {
      method: 'POST',
      body: '{nope',
      headers: { 'X-Claimdesk-Token': host.token, 'Content-Type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('the HTTP API fed anything', () => {
  it('answers any body with 400 (not JSON) or 200 (an ApiResult), and keeps serving', async () => {
    const body = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.json().map((j) => j.slice(0, Math.max(1, j.length - 1))),
      fc.json(),
      fc.constantFrom(
        '',
        '{',
        '[]',
        'null',
        '"x"',
        '{"__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
        '\uFEFF{}',
        '{}garbage',
        '1e999',
        '-',
      ),
    );
    const method = fc.constantFrom(
      'app.info',
      'articles.list',
      'annotations.create',
      'bundle.import',
      'no.such',
      '__proto__',
      'constructor',
      '..%2f..%2fetc',
    );
    await fc.assert(
      fc.asyncProperty(method, body, async (m, b) => {
        const r = await raw(`/api/${m}`, {
          method: 'POST',
          body: b,
          headers: { 'X-Claimdesk-Token': host.token, 'Content-Type': 'application/json' },
        });
        expect([200, 400], `${m} ${JSON.stringify(b)}: ${r.status} ${r.body.slice(0, 200)}`).toContain(r.status);
        const parsed = JSON.parse(r.body) as ApiResult;
        expect(typeof parsed.ok).toBe('boolean');
        if (r.status === 400) expect(parsed).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 150, seed: 7 },
    );
    expect((await apiCall('app.info', {})).status).toBe(200);
  });

  it('refuses a body over the limit with 413, by its length or as it arrives', async () => {
    const small = await startHttpHost({ dispatch: svc.dispatch, subscribe: svc.subscribe, staticDir, maxBody: 1024 });
    try {
      const post = (body: string, headers: Record<string, string> = {}) =>
        raw('/api/articles.createFromText', {
          port: small.port,
          method: 'POST',
          body,
          headers: { 'X-Claimdesk-Token': small.token, 'Content-Type': 'application/json', ...headers },
        });
      const big = JSON.stringify({ text: `Title\n\n${'x'.repeat(10_000)}` });
      const declared = await post(big);
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: 'the request body is over 1024 bytes' },
      });
      const streamed = await post(big, { 'Transfer-Encoding': 'chunked' });
      expect(streamed.status).toBe(413);
      expect((await svc.dispatch('articles.list', {})).ok && (await svc.dispatch('articles.list', {}))).toMatchObject({ value: [] });
      expect((await post(JSON.stringify({ text: 'Title\n\nSmall enough.' }))).status).toBe(200);
    } finally {
      await small.close();
    }
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
    const created = JSON.parse(
      (await apiCall('annotations.create', { articleId, start: 0, end: 5, quote: 'Rubio', label: 'source' })).body,
    ) as ApiResult;
    expect(created.ok).toBe(true);
    const list = await svc.dispatch('annotations.list', { articleId });
    expect(list.ok && (list.value as unknown[]).length).toBe(1);
  });
});

describe('API results as JSON', () => {
  it('serialises a frozen snapshot once and exactly as JSON.stringify would; anything else every time', () => {
    const rows = Object.freeze([{ groupId: 'g1', canonical: 'A “quoted” claim 🇺🇦', outletSources: { 'Outlet </script>': ['x'] } }]);
    const first = serializeResult({ ok: true, value: rows });
    expect(first).toBe(JSON.stringify({ ok: true, value: rows }));
    expect(JSON.parse(first)).toEqual({ ok: true, value: rows });
    // The same snapshot is not serialised again (its JSON is kept): a row changed behind its back would not show — which is why only frozen values are kept.
    (rows[0] as { canonical: string }).canonical = 'changed';
    expect(serializeResult({ ok: true, value: rows })).toBe(first);
    const open = [{ canonical: 'a' }];
    expect(serializeResult({ ok: true, value: open })).toBe(JSON.stringify({ ok: true, value: open }));
    open[0] = { canonical: 'b' };
    expect(serializeResult({ ok: true, value: open })).toContain('"b"');
    const failure: ApiResult = { ok: false, error: { code: 'not_found', message: 'no such group' } };
    expect(serializeResult(failure)).toBe(JSON.stringify(failure));
  });

  it('hands out the claims table from one serialisation until the data changes', async () => {
    const id = addArticle(svc, 'Washington wants a peace deal first, officials said.', 'Claims');
    const claim = await svc.dispatch('annotations.create', {
      articleId: id,
      start: 0,
      end: 35,
      quote: 'Washington wants a peace deal first',
      label: 'claim',
    });
    expect(claim).toMatchObject({ ok: true });
    if (!claim.ok) return;
    const group = await svc.dispatch('groups.create', { annotationIds: [(claim.value as { id: string }).id] });
    expect(group).toMatchObject({ ok: true });
    const a = await svc.dispatch('claims.table', {});
    const b = await svc.dispatch('claims.table', {});
    expect(a.ok && b.ok && a.value === b.value && Object.isFrozen(a.value)).toBe(true);
    const renamed = await svc.dispatch('groups.update', {
      id: (a.ok ? (a.value as { groupId: string }[])[0]?.groupId : '') as string,
      canonical: 'Renamed',
    });
    expect(renamed.ok).toBe(true);
    const c = await svc.dispatch('claims.table', {});
    expect(c.ok && serializeResult(c)).toContain('"canonical":"Renamed"');
  });
});
