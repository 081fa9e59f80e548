/**
 * The local HTTP host: serves the built renderer and `POST /api/<method>` with
 * the same dispatcher as the Electron host, plus change events over SSE.
 * Binds 127.0.0.1 only; every request needs the per-run token, a loopback
 * `Host` and, when the browser sends one, a same-origin `Origin`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from '../../../shared/api.js';
import type { ApiEvent } from '../../../shared/methods.js';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp.js';
import { serializeResult } from '../../serialize.js';
import { errorMessage } from '../../../shared/errors.js';

export interface HttpHostOptions {
  dispatch: Dispatcher;
  subscribe: (listener: (e: ApiEvent) => void) => () => void;
  /** Folder of the built renderer (index.html and assets/). */
  staticDir: string;
  port?: number;
  token?: string;
  /** Largest API request body, in bytes (default 64 MB). */
  maxBody?: number;
}

export interface HttpHost {
  url: string;
  port: number;
  token: string;
  close: () => Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

/** A request body larger than the host takes. */
class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new BodyTooLarge(`the request body is over ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A percent-decoded path, or null when its encoding is broken. */
function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

export { serializeResult };

export async function startHttpHost(opts: HttpHostOptions): Promise<HttpHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const maxBody = opts.maxBody ?? MAX_BODY;
  const staticRoot = resolve(opts.staticDir);
  let port = 0;
  // Cookies are per host, not per port: name it after the port so two hosts never clash.
  const cookieName = () => `claimdesk_token_${port}`;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, `internal error: ${errorMessage(err)}`);
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (!allowedHosts().includes(req.headers.host ?? '')) return send(res, 403, 'forbidden: unexpected Host header');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin)) return send(res, 403, 'forbidden: foreign Origin');

    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const given =
      url.searchParams.get('token') ?? (req.headers['x-claimdesk-token'] as string | undefined) ?? cookieToken(req, cookieName());
    if (given === null || !sameSecret(given, token))
      return send(res, 403, 'forbidden: missing or wrong token (use the URL printed by `npm run serve`)');

    if (url.pathname.startsWith('/api/')) {
      if (url.pathname === '/api/events' && req.method === 'GET') return events(req, res);
      if (req.method !== 'POST') return send(res, 405, 'use POST for API calls', undefined, { Allow: 'POST' });
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return send(res, 415, 'API calls take application/json');
      const method = decodePath(url.pathname.slice('/api/'.length));
      if (method === null) return send(res, 400, 'bad request: a malformed %-escape in the path');
      const failure = (status: number, message: string) => {
        // Say so at once and close: the rest of an oversized body is not read.
        res.setHeader('Connection', 'close');
        send(res, status, JSON.stringify({ ok: false, error: { code: 'invalid_input', message } }), 'application/json');
      };
      if (Number(req.headers['content-length'] ?? 0) > maxBody) return failure(413, `the request body is over ${maxBody} bytes`);
      let input: unknown;
      try {
        input = JSON.parse(await readBody(req, maxBody));
      } catch (err) {
        if (err instanceof BodyTooLarge) return failure(413, err.message);
        return failure(400, `the request body is not JSON: ${(err as Error).message.slice(0, 200)}`);
      }
      const result = await opts.dispatch(method, input);
      return send(res, 200, serializeResult(result), 'application/json');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    return serveStatic(url, res);
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = opts.subscribe((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
    const keepAlive = setInterval(() => res.write(': ping\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  }

  async function serveStatic(url: URL, res: ServerResponse): Promise<void> {
    const decoded = decodePath(url.pathname);
    if (decoded === null || decoded.includes('\u0000')) return send(res, 400, 'bad request');
    const rel = url.pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const file = resolve(join(staticRoot, normalize(rel)));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) return send(res, 404, 'not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return send(res, 404, 'not found');
    }
    const headers: Record<string, string> = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY };
    if (url.searchParams.has('token')) {
      headers['Set-Cookie'] = `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache', ...headers });
    res.end(body);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
