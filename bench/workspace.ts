/**
 * Team workspace cases, against a real local PostgreSQL (a throwaway cluster
 * on 127.0.0.1, stopped at the end):
 *   npx tsx bench/workspace.ts [--only join,live,live-one-process]
 * - join: a new library joins a workspace holding 10,000 articles and
 *   120,000 annotations; target ≤ 3 × the floor of copying the same rows out
 *   with COPY (psql \copy) into the local schema with plain inserts, measured
 *   in the same run. Progress is printed as it goes.
 * - live: 20 simulated analysts (one library and one LISTEN connection each,
 *   loopback only, each in its own Node process as on twenty machines) tag
 *   at once for a bounded time; one change to a colleague's library:
 *   p95 ≤ 2 s, and every change arrives exactly once.
 * - live-one-process (only when asked): the same with all twenty in this
 *   process, which measures one event loop carrying twenty libraries more
 *   than the sync path.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { insertAnnotation } from '../main/store/annotations.js';
import { insertArticle } from '../main/store/articles.js';
import { openDatabase, type Db } from '../main/store/database.js';
import { setSetting } from '../main/store/settings.js';
import { connect } from '../main/team/connection.js';
import { addMember } from '../main/team/members.js';
import { migrateTeam } from '../main/team/schema.js';
import { TeamSync } from '../main/team/sync.js';
import { mergeResults, parseResults, renderReadme, type BenchRow } from './report.js';
import type { ChildMessage, ParentMessage } from './workspace-analyst.js';
import { LEAD_PASSWORD, startTestCluster, type TestCluster } from '../main/team/test-cluster.js';

const only = process.argv.includes('--only') ? new Set((process.argv[process.argv.indexOf('--only') + 1] ?? '').split(',')) : null;
const ARTICLES = Number(process.env.BENCH_TEAM_ARTICLES ?? 10_000);
const ANNOTATIONS = Number(process.env.BENCH_TEAM_ANNOTATIONS ?? 120_000);
const ANALYSTS = 20;
const LIVE_SECONDS = Number(process.env.BENCH_TEAM_LIVE_SECONDS ?? 20);

/** Printed as PASS/FAIL lines, and recorded (the `row`) in bench/results.json and bench/README.md with the other cases. */
const results: { case: string; value: string; target: string; pass: boolean; row: BenchRow }[] = [];
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

async function seedWorkspace(cluster: TestCluster): Promise<void> {
  const lead = await connect(cluster.url);
  await migrateTeam(lead);
  await addMember(lead, 'Seeder', { reviewer: false, password: 'seeder-password' });
  await addMember(lead, 'Joiner', { reviewer: false, password: 'joiner-password' });
  const per = Math.ceil(ANNOTATIONS / ARTICLES);
  // Articles of about 2,000 characters, each tagged `per` times on its words, as the lead (no row-level security in the way).
  await lead.query(
    `INSERT INTO claimdesk.articles (content_hash, title, outlet, text)
    SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex'), 'Article ' || i, 'Outlet ' || (i % 40), t
    FROM (SELECT i, 'Article ' || i || ': ' || repeat('Officials said the talks would resume next week. ', 40) AS t FROM generate_series(1, $1::int) i) s`,
    [ARTICLES],
  );
  await lead.query(
    `INSERT INTO claimdesk.annotations (id, article_hash, start, "end", quote, prefix, suffix, label, annotator, created_at, updated_at)
    SELECT 'seed-' || a.i || '-' || k, a.h, 20 + k * 50, 29 + k * 50, 'Officials', '', '', CASE WHEN k % 3 = 0 THEN 'source' ELSE 'claim' END, 'Seeder',
           '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
    FROM (SELECT row_number() OVER (ORDER BY content_hash) AS i, content_hash AS h FROM claimdesk.articles) a, generate_series(0, $1::int - 1) k`,
    [per],
  );
  await lead.end();
}

/** The floor: the same rows out of PostgreSQL with COPY, into the local schema with plain inserts in one transaction. */
function copyFloor(cluster: TestCluster, dir: string): number {
  const t0 = performance.now();
  const psql = (sql: string) => {
    const r = spawnSync(
      'psql',
      ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'lead', '-d', 'team', '-At', '-c', `\\copy (${sql}) to stdout`],
      { env: { ...process.env, PGPASSWORD: LEAD_PASSWORD }, encoding: 'utf8', maxBuffer: 1 << 30 },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout;
  };
  const unescape = (v: string) => v.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  const db = openDatabase(join(dir, 'floor.db'));
  const articles = psql('SELECT content_hash, title, outlet, text FROM claimdesk.articles');
  const annotations = psql(
    'SELECT id, article_hash, start, "end", quote, prefix, suffix, label, annotator, note, created_at, updated_at FROM claimdesk.annotations',
  );
  db.transaction(() => {
    const addArticle = db.prepare(
      "INSERT INTO articles (title, outlet, text, length, content_hash, imported_at) VALUES (?, ?, ?, ?, ?, '2026-01-01')",
    );
    const ids = new Map<string, number>();
    for (const line of articles.split('\n')) {
      if (!line) continue;
      const [hash = '', title = '', outlet = '', text = ''] = line.split('\t').map(unescape);
      ids.set(hash, Number(addArticle.run(title, outlet, text, text.length, hash).lastInsertRowid));
    }
    const add = db.prepare(
      'INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const line of annotations.split('\n')) {
      if (!line) continue;
      const f = line.split('\t').map(unescape);
      add.run(f[0], ids.get(f[1] ?? ''), Number(f[2]), Number(f[3]), f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]);
    }
  })();
  db.close();
  return performance.now() - t0;
}

async function benchJoin(cluster: TestCluster, dir: string): Promise<void> {
  process.stderr.write(`seeding ${ARTICLES} articles, ${ANNOTATIONS} annotations…\n`);
  await seedWorkspace(cluster);
  const floor = copyFloor(cluster, dir);
  const db = openDatabase(join(dir, 'joiner.db'));
  setSetting(db, 'annotator', 'Joiner');
  const sync = new TeamSync({ db, emit: () => undefined, live: false });
  const t0 = performance.now();
  let shown = -1;
  const s = await sync.join(cluster.urlFor('Joiner', 'joiner-password'), {
    onProgress: (p) => {
      const pct = Math.floor((p.done / Math.max(1, p.total)) * 10) * 10;
      if (pct !== shown) process.stderr.write(`  join: ${p.done} of ${p.total} rows (${pct} %)\n`);
      shown = pct;
    },
  });
  const joinMs = performance.now() - t0;
  const counts = db.prepare('SELECT (SELECT count(*) FROM articles) AS a, (SELECT count(*) FROM annotations) AS n').get() as {
    a: number;
    n: number;
  };
  db.close();
  const ratio = joinMs / floor;
  const complete = s.state === 'synced' && counts.a === ARTICLES && counts.n >= ANNOTATIONS;
  const pass = ratio <= 3 && complete;
  results.push({
    case: `join ${ARTICLES} articles / ${counts.n} annotations`,
    value: `${(joinMs / 1000).toFixed(1)} s, floor ${(floor / 1000).toFixed(1)} s, ratio ${ratio.toFixed(2)}`,
    target: '≤ 3 × COPY floor, all rows',
    pass,
    row: {
      case: `team workspace: join ${ARTICLES.toLocaleString('en-US')} articles / ${counts.n.toLocaleString('en-US')} annotations`,
      median: Math.round(joinMs),
      p95: Math.round(joinMs),
      unit: 'ms',
      target: '≤ 3 × COPY floor (same run), all rows',
      pass,
      note: `${ratio.toFixed(2)} × floor of ${Math.round(floor).toLocaleString('en-US')} ms`,
      samples: [Math.round(joinMs)],
    },
  });
}

/** The live cases' own workspace (a second database of the cluster), so the analysts do not first join the join case's 130,000 rows. */
function liveUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/live';
  return u.toString();
}

let analystsAdded = false;
async function addAnalysts(cluster: TestCluster): Promise<void> {
  if (analystsAdded) return;
  analystsAdded = true;
  const admin = await connect(cluster.url);
  await admin.query('CREATE DATABASE live');
  await admin.end();
  const lead = await connect(liveUrl(cluster.url));
  await migrateTeam(lead);
  for (let i = 0; i < ANALYSTS; i++) await addMember(lead, `Analyst${i}`, { reviewer: false, password: `analyst-password-${i}` });
  await lead.end();
}

const LIVE_TEXT = 'The minister said the ceasefire would hold. '.repeat(200);

function liveResult(
  harness: string,
  made: Map<string, number>,
  arrived: Map<string, number>,
  copies: { c: number; d: number },
  loopP99Ms: number,
): void {
  const latencies = [...made].filter(([id]) => arrived.has(id)).map(([id, t]) => (arrived.get(id) ?? t) - t);
  const p95 = quantile(latencies, 0.95);
  const lost = made.size - arrived.size;
  const pass = p95 <= 2000 && lost === 0 && copies.c === made.size && copies.d === made.size;
  results.push({
    case: `one change to a colleague, ${ANALYSTS} analysts (${harness}), ${made.size} changes`,
    value: `p95 ${(p95 / 1000).toFixed(2)} s, median ${(quantile(latencies, 0.5) / 1000).toFixed(2)} s, max ${(Math.max(...latencies) / 1000).toFixed(2)} s, ${lost} lost, ${copies.c - copies.d} duplicated; observer's event-loop delay p99 ${loopP99Ms.toFixed(0)} ms`,
    target: 'p95 ≤ 2 s, none lost or duplicated',
    pass,
    row: {
      case: `team workspace: one change to a colleague's library, ${ANALYSTS} analysts tagging at once (${harness})`,
      median: Math.round(quantile(latencies, 0.5)),
      p95: Math.round(p95),
      unit: 'ms',
      target: 'p95 ≤ 2 s, none lost or duplicated',
      pass,
      note: `${made.size} changes, ${lost} lost, ${copies.c - copies.d} duplicated`,
      samples: latencies.map((l) => Math.round(l)),
    },
  });
}

/** Every analyst in this process: one event loop carries twenty libraries' SQLite work and connections. */
async function benchLiveInProcess(cluster: TestCluster, dir: string): Promise<void> {
  await addAnalysts(cluster);
  mkdirSync(dir, { recursive: true });
  const text = LIVE_TEXT;
  const made = new Map<string, number>();
  const arrived = new Map<string, number>();
  let observer: Db | null = null;
  const libs: { db: Db; sync: TeamSync; articleId: number }[] = [];
  for (let i = 0; i < ANALYSTS; i++) {
    const db = openDatabase(join(dir, `analyst${i}.db`));
    setSetting(db, 'annotator', `Analyst${i}`);
    const articleId = insertArticle(db, { title: 'Ceasefire', text }).id;
    const seen = db.prepare("SELECT id FROM annotations WHERE id LIKE 'live-one-%'");
    const sync: TeamSync = new TeamSync({
      db,
      live: true,
      emit: (e) => {
        // Analyst 0 watches its colleagues' changes arrive.
        if (i !== 0 || e.name !== 'annotations.changed' || !e.team || !observer) return;
        const now = performance.now();
        for (const { id } of seen.all() as { id: string }[]) if (!arrived.has(id)) arrived.set(id, now);
      },
    });
    await sync.join(liveUrl(cluster.urlFor(`Analyst${i}`, `analyst-password-${i}`)));
    if (i === 0) observer = db;
    libs.push({ db, sync, articleId });
  }
  process.stderr.write(`${ANALYSTS} analysts joined (one process); tagging for ${LIVE_SECONDS} s…\n`);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const end = performance.now() + LIVE_SECONDS * 1000;
  let n = 0;
  await Promise.all(
    libs.slice(1).map(async (lib, k) => {
      while (performance.now() < end) {
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
        const id = `live-one-${k}-${n++}`;
        const at = (n % 190) * 45;
        const t = new Date().toISOString();
        insertAnnotation(lib.db, {
          id,
          articleId: lib.articleId,
          start: at,
          end: at + 8,
          quote: text.slice(at, at + 8),
          prefix: '',
          suffix: '',
          label: 'claim',
          annotator: `Analyst${k + 1}`,
          note: '',
          createdAt: t,
          updatedAt: t,
        });
        made.set(id, performance.now());
        lib.sync.nudge(0);
      }
    }),
  );
  // Everything made must arrive; wait a bounded time for the last ones.
  const deadline = performance.now() + 15_000;
  while (arrived.size < made.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  loop.disable();
  const copies = observer
    ? (observer.prepare("SELECT count(*) AS c, count(DISTINCT id) AS d FROM annotations WHERE id LIKE 'live-one-%'").get() as {
        c: number;
        d: number;
      })
    : { c: 0, d: 0 };
  for (const l of libs) await l.sync.close();
  for (const l of libs) l.db.close();
  liveResult('one process', made, arrived, copies, loop.percentile(99) / 1e6);
}

/** Each analyst in its own Node process (bounded: twenty children, loopback only, killed at the end). */
async function benchLiveProcesses(cluster: TestCluster, dir: string): Promise<void> {
  await addAnalysts(cluster);
  mkdirSync(dir, { recursive: true });
  const children: ChildProcess[] = [];
  const made = new Map<string, number>();
  const arrived = new Map<string, number>();
  let copies = { c: 0, d: 0 };
  let loopP99Ms = 0;
  const waitFor = (child: ChildProcess, type: ChildMessage['type']) =>
    new Promise<void>((ok, fail) => {
      const on = (m: ChildMessage) => {
        if (m.type !== type) return;
        child.off('message', on);
        ok();
      };
      child.on('message', on);
      child.once('exit', (code) => fail(new Error(`an analyst process exited (${code}) before "${type}"`)));
    });
  try {
    for (let i = 0; i < ANALYSTS; i++) {
      const child = fork(fileURLToPath(new URL('./workspace-analyst.ts', import.meta.url)), [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'made') made.set(m.id, m.at);
        else if (m.type === 'arrived') {
          for (const id of m.ids) if (!arrived.has(id)) arrived.set(id, m.at);
        } else if (m.type === 'done' && i === 0) {
          copies = { c: m.copies, d: m.distinct };
          loopP99Ms = m.loopP99Ms;
        }
      });
    }
    await Promise.all(
      children.map((child, i) => {
        const joined = waitFor(child, 'joined');
        child.send({
          type: 'start',
          index: i,
          url: liveUrl(cluster.urlFor(`Analyst${i}`, `analyst-password-${i}`)),
          dbPath: join(dir, `analyst${i}.db`),
          text: LIVE_TEXT,
          observer: i === 0,
        } satisfies ParentMessage);
        return joined;
      }),
    );
    process.stderr.write(`${ANALYSTS} analysts joined (one process each); tagging for ${LIVE_SECONDS} s…\n`);
    const endAt = performance.timeOrigin + performance.now() + LIVE_SECONDS * 1000;
    for (const c of children) c.send({ type: 'go', endAt } satisfies ParentMessage);
    await new Promise((r) => setTimeout(r, LIVE_SECONDS * 1000 + 1500));
    const deadline = performance.now() + 15_000;
    while (arrived.size < made.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await Promise.all(
      children.map((child) => {
        const done = waitFor(child, 'done');
        child.send({ type: 'stop' } satisfies ParentMessage);
        return done;
      }),
    );
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }
  liveResult('one process each', made, arrived, copies, loopP99Ms);
}

const cluster = await startTestCluster();
const dir = mkdtempSync(join(tmpdir(), 'claimdesk-bench-team-'));
try {
  if (!only || only.has('join')) await benchJoin(cluster, dir);
  if (!only || only.has('live')) await benchLiveProcesses(cluster, join(dir, 'processes'));
  if (only?.has('live-one-process')) await benchLiveInProcess(cluster, join(dir, 'one-process'));
} finally {
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
for (const r of results) process.stdout.write(`${r.pass ? 'PASS' : 'FAIL'}  ${r.case}: ${r.value}  (target ${r.target})\n`);
if (results.length) {
  const previous = parseResults(existsSync('bench/results.json') ? readFileSync('bench/results.json', 'utf8') : null);
  const machine = { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const record = mergeResults(
    previous,
    results.map((r) => r.row),
    new Date().toISOString(),
    machine,
    1,
  );
  writeFileSync('bench/results.json', `${JSON.stringify(record, null, 1)}\n`);
  writeFileSync('bench/README.md', renderReadme(record));
  process.stderr.write('Wrote bench/results.json and bench/README.md\n');
}
process.exit(results.every((r) => r.pass) ? 0 : 1);
