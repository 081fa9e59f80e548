/**
 * Loses nothing: a writer process killed (SIGKILL) at random moments, again
 * and again on the same database, never leaves it damaged, never loses a
 * write it acknowledged and never leaves half an article. Two processes
 * writing one database at once both succeed. A database the disk will not let
 * us write answers with a clear error instead of crashing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput, ApiOutput } from '../../shared/api.js';
import type { ApiMethod } from '../../shared/methods.js';
import { openService, type Service } from '../service.js';
import { bundleChild, tempDir } from '../test-support.js';
import { openDatabase, type Db } from './database.js';

let child: { file: string; remove: () => void };
let dir: { dir: string; cleanup: () => void };
beforeAll(async () => {
  child = await bundleChild(join(import.meta.dirname, 'fixtures', 'kill-child.ts'));
  dir = tempDir();
});
afterAll(() => {
  child.remove();
  dir.cleanup();
});

/** What writers acknowledged: only these must survive. */
interface Acked {
  articles: Map<number, string>;
  annotations: Map<string, { articleId: number; start: number; end: number }>;
  links: Set<string>;
  groups: Set<string>;
}
const newAcked = (): Acked => ({ articles: new Map(), annotations: new Map(), links: new Set(), groups: new Set() });

function record(acked: Acked, line: string): void {
  const [kind, ...rest] = line.split(' ');
  if (kind === 'article') acked.articles.set(Number(rest[0]), rest[1] ?? '');
  else if (kind === 'annotation')
    acked.annotations.set(rest[0] ?? '', { articleId: Number(rest[1]), start: Number(rest[2]), end: Number(rest[3]) });
  else if (kind === 'link') acked.links.add(rest[0] ?? '');
  else if (kind === 'group') acked.groups.add(rest[0] ?? '');
}

interface Run {
  /** Resolves with the complete lines printed, once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[]; stderr: string }>;
  /** Resolves when the writer has printed `ready`. */
  ready: Promise<void>;
  /** Resolves once the writer has acknowledged `n` writes (or has exited). */
  acknowledged: (n: number) => Promise<void>;
  kill: () => void;
}

function startWriter(db: string, seed: string, count?: number): Run {
  const proc = spawn(process.execPath, [child.file, db, seed, ...(count === undefined ? [] : [String(count)])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stderr = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((ok) => (onReady = ok));
  const waiting: { n: number; ok: () => void }[] = [];
  let closed = false;
  const settle = () => {
    const acks = out.split('\n').length - 2; // complete lines after `ready`
    for (const w of waiting.splice(0)) {
      if (closed || acks >= w.n) w.ok();
      else waiting.push(w);
    }
  };
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) onReady();
    settle();
  });
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[]; stderr: string }>((ok) =>
    proc.on('close', (code, signal) => {
      onReady();
      closed = true;
      settle();
      // A line counts only when complete: its newline was written after the write returned.
      ok({ code, signal, lines: out.split('\n').slice(0, -1), stderr });
    }),
  );
  const acknowledged = (n: number) =>
    new Promise<void>((ok) => {
      waiting.push({ n, ok });
      settle();
    });
  return { exited, ready, acknowledged, kill: () => proc.kill('SIGKILL') };
}

/** A dispatcher call that must succeed. */
async function call<M extends ApiMethod>(svc: Service, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const r = await svc.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as ApiOutput<M>;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Opens the database as the next run of the app would, and checks everything. */
function verify(file: string, acked: Acked): { articles: number; annotations: number } {
  const db: Db = openDatabase(file);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The full-text index agrees with the articles, row for row.
    db.prepare("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)").run();
    const articles = db.prepare('SELECT id, title, text, length, content_hash FROM articles').all() as {
      id: number;
      title: string;
      text: string;
      length: number;
      content_hash: string;
    }[];
    expect((db.prepare('SELECT count(*) AS n FROM articles_fts_docsize').get() as { n: number }).n).toBe(articles.length);
    const texts = new Map<number, string>();
    for (const a of articles) {
      // No half-stored article: text, hash and length all there and agreeing.
      expect(a.text.length, `article ${a.id}`).toBeGreaterThan(0);
      expect(a.content_hash, `article ${a.id}`).toBe(sha256(a.text));
      expect(a.length, `article ${a.id}`).toBe([...a.text].length);
      texts.set(a.id, a.text);
    }
    for (const [id, marker] of acked.articles) expect(texts.get(id), `acknowledged article ${id}`).toContain(marker);

    const annotations = db.prepare('SELECT id, article_id, start, "end", quote FROM annotations').all() as {
      id: string;
      article_id: number;
      start: number;
      end: number;
      quote: string;
    }[];
    const byId = new Map(annotations.map((a) => [a.id, a]));
    for (const a of annotations) {
      const cps = [...(texts.get(a.article_id) ?? '')];
      expect(cps.slice(a.start, a.end).join(''), `annotation ${a.id}`).toBe(a.quote);
    }
    for (const [id, want] of acked.annotations) {
      const got = byId.get(id);
      expect(got, `acknowledged annotation ${id}`).toBeDefined();
      expect({ articleId: got?.article_id, start: got?.start, end: got?.end }).toEqual(want);
    }
    const ids = (sql: string) => new Set((db.prepare(sql).all() as { id: string }[]).map((r) => r.id));
    const links = ids('SELECT id FROM source_links');
    for (const id of acked.links) expect(links.has(id), `acknowledged link ${id}`).toBe(true);
    const groups = ids('SELECT id FROM claim_groups');
    for (const id of acked.groups) expect(groups.has(id), `acknowledged group ${id}`).toBe(true);
    return { articles: articles.length, annotations: annotations.length };
  } finally {
    db.close();
  }
}

/** Seeded delays, so a failing run can be repeated. */
function delays(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

describe('a writer killed at random moments', () => {
  it('leaves an intact database with every acknowledged write, run after run on the same file', async () => {
    const file = join(dir.dir, 'killed.db');
    const acked = newAcked();
    const next = delays(20251123);
    const runs = 24;
    let killedMidWork = 0;
    for (let run = 0; run < runs; run++) {
      const writer = startWriter(file, String(1000 + run));
      await writer.ready;
      // A random moment, but never before some writes were acknowledged: a loaded machine must not make the run trivial.
      await Promise.all([new Promise((ok) => setTimeout(ok, Math.floor(next() * 350))), writer.acknowledged(6)]);
      writer.kill();
      const { signal, lines, stderr } = await writer.exited;
      expect(
        lines.filter((l) => l.startsWith('error')),
        stderr,
      ).toEqual([]);
      if (signal === 'SIGKILL') killedMidWork++;
      lines.forEach((l) => record(acked, l));
      verify(file, acked);
    }
    expect(killedMidWork).toBe(runs);
    // The runs did real work: every kind of write was acknowledged, many times.
    expect(acked.articles.size).toBeGreaterThan(15);
    expect(acked.annotations.size).toBeGreaterThan(60);
    expect(acked.links.size + acked.groups.size).toBeGreaterThan(5);
  }, 90_000);
});

describe('two processes on one database', () => {
  it('both write at once; both succeed and nothing is lost', async () => {
    const file = join(dir.dir, 'shared.db');
    const acked = newAcked();
    const svc = openService(file, { seed: false, inProcessImports: true });
    try {
      await call(svc, 'settings.setAnnotator', { name: 'Here' });
      const here = await call(svc, 'articles.createFromText', {
        text: 'Written here\n\nWashington wants a peace deal first, officials in Kyiv said on Monday.',
      });
      const articleId = here.articleId ?? 0;
      const writer = startWriter(file, '77', 60);
      await writer.ready;
      let finished = false;
      void writer.exited.then(() => (finished = true));
      // This process writes as fast as it can while the other one does.
      let n = 0;
      while (!finished) {
        const a = await call(svc, 'annotations.create', {
          articleId,
          start: n % 20,
          end: (n % 20) + 5,
          quote: [...'Washington wants a peace deal first'].slice(n % 20, (n % 20) + 5).join(''),
          label: 'claim',
        });
        record(acked, `annotation ${a.id} ${a.articleId} ${a.start} ${a.end}`);
        const imported = await call(svc, 'articles.createFromText', {
          text: `Here ${n}\n\nA second writer's article number ${n}, with its own text.`,
        });
        record(acked, `article ${imported.articleId} number ${n},`);
        n++;
        await new Promise((ok) => setImmediate(ok));
      }
      const { code, lines, stderr } = await writer.exited;
      expect(code, `${stderr}\n${lines.filter((l) => l.startsWith('error')).join('\n')}`).toBe(0);
      expect(lines.at(-1)).toBe('done');
      lines.forEach((l) => record(acked, l));
      expect(n).toBeGreaterThan(10);
    } finally {
      svc.close();
    }
    const counts = verify(file, acked);
    expect(counts.annotations).toBeGreaterThanOrEqual(acked.annotations.size);
  }, 60_000);
});

/**
 * Runs the writer's probe (open, list, one write) on a database the process
 * may not write. As root, permissions do not bind, so the probe runs with the
 * capabilities that bypass them dropped (setpriv), where that is possible.
 */
function probe(
  file: string,
): { articles: { ok: boolean }; write: { ok: boolean; error?: { code: string; message: string } } } | { failed: string } {
  const root = process.getuid?.() === 0;
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
  const command = root ? (setpriv as string) : process.execPath;
  const args = [
    ...(root ? ['--bounding-set=-dac_override,-dac_read_search,-fowner', '--', process.execPath] : []),
    child.file,
    file,
    'probe',
  ];
  const run = spawnSync(command, args, { encoding: 'utf8' });
  if (run.status !== 0) return { failed: `${run.stderr}${run.stdout}` };
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as ReturnType<typeof probe>;
}
const canDropPrivileges = process.getuid?.() !== 0 || ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => existsSync(p));

describe.skipIf(!canDropPrivileges)('a database the disk will not let us write', () => {
  function library(name: string): { folder: string; file: string } {
    const folder = join(dir.dir, name);
    mkdirSync(folder);
    const file = join(folder, 'claimdesk.db');
    const svc = openService(file, { seed: false, inProcessImports: true });
    svc.close();
    // An automatic backup folder may have appeared beside it; only the database matters here.
    return { folder, file };
  }

  it('a read-only file: reads work, a write answers read_only naming the file', () => {
    const { file } = library('read-only-file');
    chmodSync(file, 0o444);
    const result = probe(file);
    expect(result).toMatchObject({ articles: { ok: true }, write: { ok: false, error: { code: 'read_only' } } });
    if ('write' in result) expect(result.write.error?.message).toContain(`${file} is read-only`);
  });

  it('a read-only folder: the database cannot even be opened, and the error says why and where', () => {
    const { folder, file } = library('read-only-folder');
    for (const f of readdirSync(folder)) if (f !== 'claimdesk.db') chmodSync(join(folder, f), 0o555);
    chmodSync(folder, 0o555);
    try {
      const result = probe(file);
      expect('failed' in result ? result.failed : JSON.stringify(result)).toMatch(
        new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*(read-only|cannot be opened)`),
      );
    } finally {
      chmodSync(folder, 0o755);
    }
  });
});
