/**
 * Bench cases for the paths a team leans on (issue 18): similar claims,
 * agreement, the review queue, bundles, full-text search. Each case that has
 * a floor measures it in the same run, on the same data, and passes or fails
 * on the ratio.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tokenBounds } from '../shared/agreement.js';
import type { Bundle } from '../shared/bundle.js';
import { rng, writeColleagueBundle } from './corpus.js';

export interface HostLike {
  api<T>(method: string, input: unknown): Promise<T>;
  stop(): Promise<void>;
}

export interface BenchContext {
  runs: number;
  work: string;
  record(
    name: string,
    samples: number[],
    unit: string,
    target: string,
    pass: (median: number, p95: number) => boolean,
    note?: string,
  ): void;
  startHost(dbFile: string): Promise<HostLike>;
  quantile(xs: number[], q: number): number;
}

/** A copy of a corpus database, so a case that writes leaves the others their data. */
export function copyDb(ctx: BenchContext, from: string, name: string): string {
  const to = join(ctx.work, name);
  copyFileSync(from, to);
  return to;
}

/** Waits until the host's automatic backup at start (a changed, non-empty library) is written, so it does not run under a measurement. */
export async function settle(host: HostLike): Promise<void> {
  const until = Date.now() + 120_000;
  while ((await host.api<{ backups: unknown[] }>('backups.list', {})).backups.length === 0) {
    if (Date.now() > until) throw new Error('the host wrote no backup within 2 minutes of starting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Similar claims for one claim at 100,000 claims: steady, and right after a tag, a relabel or a group change. */
export async function benchSuggest(ctx: BenchContext, claimsDb: string): Promise<void> {
  const file = copyDb(ctx, claimsDb, 'suggest.db');
  const raw = new Database(file, { readonly: true });
  const claimIds = raw.prepare("SELECT id FROM annotations WHERE label = 'claim' ORDER BY n").pluck().all() as string[];
  const groupIds = raw.prepare('SELECT id FROM claim_groups ORDER BY n').pluck().all() as string[];
  const articles = raw.prepare('SELECT id, substr(text, 1, 400) AS head FROM articles ORDER BY id LIMIT 100').all() as {
    id: number;
    head: string;
  }[];
  raw.close();
  if (claimIds.length < 100_000) throw new Error(`the claims corpus has ${claimIds.length} claims, not 100,000`);
  const host = await ctx.startHost(file);
  const random = rng(23);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const suggest = async (annotationId: string) => {
    const t = performance.now();
    await host.api('groups.suggest', { annotationId, limit: 5 });
    return performance.now() - t;
  };
  try {
    await settle(host);
    const first = await suggest(pick(claimIds));
    // Untimed: the JIT's first optimisations of the scoring loop.
    for (let i = 0; i < 20; i++) await suggest(pick(claimIds));
    const steady: number[] = [];
    for (let i = 0; i < ctx.runs * 8; i++) steady.push(await suggest(pick(claimIds)));
    const afterChange: number[] = [];
    for (let i = 0; i < ctx.runs * 2; i++) {
      // A new claim in a paragraph's untagged middle, then suggestions for it.
      const a = articles[i] as { id: number; head: string };
      const start = a.head.indexOf(' ', 45) + 1;
      const end = a.head.indexOf(' ', start + 30);
      const made = await host.api<{ id: string }>('annotations.create', {
        articleId: a.id,
        start,
        end,
        quote: a.head.slice(start, end),
        label: 'claim',
      });
      afterChange.push(await suggest(made.id));
      // A relabel away and back.
      const other = pick(claimIds);
      await host.api('annotations.update', { id: other, label: 'source' });
      afterChange.push(await suggest(made.id));
      await host.api('annotations.update', { id: other, label: 'claim' });
      afterChange.push(await suggest(other));
      // A group change.
      await host.api('groups.assign', { annotationId: made.id, groupId: pick(groupIds) });
      afterChange.push(await suggest(made.id));
      await host.api('groups.update', { id: pick(groupIds), canonical: `Renamed in the bench ${i}` });
      afterChange.push(await suggest(pick(claimIds)));
    }
    ctx.record(
      'similar claims, 100,000 claims: one suggestion',
      steady,
      'ms',
      'p95 ≤ 50 ms',
      (_m, p95) => p95 <= 50,
      `first call after the host starts (builds the index): ${Math.round(first)} ms`,
    );
    ctx.record(
      'similar claims right after a tag, relabel or group change',
      afterChange,
      'ms',
      'p95 ≤ 50 ms',
      (_m, p95) => p95 <= 50,
      'the index is patched from the change logs',
    );
  } finally {
    await host.stop();
  }
}

/** Full-text search over 10,000 articles through the API (the library's search box): whole words and a word being typed. */
export async function benchSearch(ctx: BenchContext, claimsDb: string): Promise<void> {
  const host = await ctx.startHost(copyDb(ctx, claimsDb, 'search.db'));
  const queries = [
    'peace deal',
    'security guarantees',
    'ceasefire',
    'sanctions border',
    'minister spok',
    'kyiv',
    'washington moscow',
    'summit lead',
    'troops',
    'proposal plan week',
    'negotiations',
    'allies support military',
  ];
  try {
    await settle(host);
    for (const q of queries.slice(0, 3)) await host.api('articles.search', { query: q });
    const times: number[] = [];
    let hits = 0;
    for (let run = 0; run < ctx.runs * 4; run++) {
      for (const query of queries) {
        const t = performance.now();
        const found = await host.api<unknown[]>('articles.search', { query });
        times.push(performance.now() - t);
        hits += found.length;
      }
    }
    if (hits === 0) throw new Error('the search found nothing');
    ctx.record(
      'full-text search, 10,000 articles: one query (50 results with snippets)',
      times,
      'ms',
      'p95 ≤ 100 ms',
      (_m, p95) => p95 <= 100,
      'words every article has: the ranking orders all 10,000',
    );
  } finally {
    await host.stop();
  }
}

/** Runs the built command line; resolves with its exit code, output, time and peak memory (resident set, from /usr/bin/time). */
export function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string; ms: number; maxRssMb: number }> {
  return new Promise((ok, fail) => {
    const t = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'maxrss=%M', process.execPath, 'out/main/cli.js', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      const rss = /maxrss=(\d+)/.exec(stderr);
      ok({ code: code ?? -1, stdout, stderr, ms: performance.now() - t, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN });
    });
  });
}

/** The floor of a bundle import: the bundle read and parsed, and its rows inserted with plain statements in one transaction. */
function bundleFloor(dbFile: string, bundleFile: string): number {
  const t = performance.now();
  const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as Bundle;
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const ids = new Map(
    (db.prepare('SELECT content_hash, id FROM articles').all() as { content_hash: string; id: number }[]).map((r) => [
      r.content_hash,
      r.id,
    ]),
  );
  const ann = db.prepare(
    'INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const link = db.prepare('INSERT INTO source_links (id, claim_id, source_id, kind, annotator, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const group = db.prepare('INSERT INTO claim_groups (id, canonical, note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const member = db.prepare('INSERT INTO claim_group_members (annotation_id, group_id, added_by, added_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const a of bundle.annotations)
      ann.run(
        a.id,
        ids.get(a.article),
        a.start,
        a.end,
        a.quote,
        a.prefix,
        a.suffix,
        a.label,
        a.annotator,
        a.note,
        a.created_at,
        a.updated_at,
      );
    for (const l of bundle.links) link.run(l.id, l.claim_id, l.source_id, l.kind, l.annotator, l.created_at);
    for (const g of bundle.groups) {
      group.run(g.id, g.canonical, g.note, g.created_by, g.created_at, g.updated_at);
      for (const m of g.members) member.run(m, g.id, bundle.annotator, g.created_at);
    }
  })();
  db.close();
  return performance.now() - t;
}

/** The floor of the agreement report: the same articles' texts read and tokenized once. */
function tokenizeFloor(dbFile: string, a: string, b: string): number {
  const t = performance.now();
  const db = new Database(dbFile, { readonly: true });
  let tokens = 0;
  const ids = db
    .prepare(
      'SELECT article_id FROM annotations WHERE annotator = ? INTERSECT SELECT article_id FROM annotations WHERE annotator = ? ORDER BY article_id',
    )
    .pluck()
    .all(a, b) as number[];
  const text = db.prepare('SELECT text FROM articles WHERE id = ?').pluck();
  for (const id of ids) tokens += tokenBounds(text.get(id) as string).count;
  db.close();
  if (tokens === 0) throw new Error('no tokens');
  return performance.now() - t;
}

/**
 * A colleague's bundle of the claims corpus (120,000 annotations, 100,000
 * links, 10,000 groups) imported with the command line, against its floor;
 * then the agreement report and coding table of the two annotators over the
 * 10,000 articles, against tokenizing those texts once; and the bundle
 * exported again. Returns the database holding both annotators' work.
 */
export async function benchBundleAndAgreement(ctx: BenchContext, claimsDb: string, only: ReadonlySet<string>): Promise<string> {
  const bundleFile = join(ctx.work, 'colleague-bundle.json');
  const source = new Database(claimsDb, { readonly: true });
  const made = writeColleagueBundle(source, bundleFile, 'Bench', 'Bench2');
  source.close();
  process.stderr.write(
    `  (colleague bundle: ${made.annotations} annotations, ${made.links} links, ${made.groups} groups, ${Math.round(statSync(bundleFile).size / 2 ** 20)} MB)\n`,
  );
  const runs = Math.min(ctx.runs, 3);
  let team = '';
  const imports: number[] = [];
  const floors: number[] = [];
  const rss: number[] = [];
  for (let run = 0; run < runs; run++) {
    const floorDb = copyDb(ctx, claimsDb, `bundle-floor-${run}.db`);
    floors.push(bundleFloor(floorDb, bundleFile));
    rmSync(floorDb);
    team = copyDb(ctx, claimsDb, `team-${run}.db`);
    const r = await cli(['bundle', 'import', bundleFile, '--db', team]);
    if (r.code !== 0 || !r.stdout.includes(`${made.annotations} annotations added`))
      throw new Error(`bundle import failed (${r.code}): ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 500)}`);
    imports.push(r.ms);
    rss.push(r.maxRssMb);
  }
  const ratio = quantileOf(imports, 0.5) / quantileOf(floors, 0.5);
  ctx.record(
    'bundle import, 120,000 annotations (command line)',
    imports.map((x) => x / 1000),
    's',
    '≤ 3 × floor',
    () => ratio <= 3,
    `floor ${(quantileOf(floors, 0.5) / 1000).toFixed(1)} s (parse + the same rows inserted in one transaction): ${ratio.toFixed(2)} ×; peak RSS ${Math.round(Math.max(...rss))} MB`,
  );

  if (only.has('agreement')) {
    const reports: number[] = [];
    const tokenFloors: number[] = [];
    const agreementRss: number[] = [];
    for (let run = 0; run < runs; run++) {
      tokenFloors.push(tokenizeFloor(team, 'Bench', 'Bench2'));
      const r = await cli([
        'agreement',
        '--a',
        'Bench',
        '--b',
        'Bench2',
        '--out',
        join(ctx.work, 'agreement.json'),
        '--items',
        join(ctx.work, 'items.csv'),
        '--db',
        team,
      ]);
      if (r.code !== 0) throw new Error(`agreement failed (${r.code}): ${r.stderr.slice(0, 500)}`);
      reports.push(r.ms);
      agreementRss.push(r.maxRssMb);
    }
    const items = statSync(join(ctx.work, 'items.csv')).size;
    const aRatio = quantileOf(reports, 0.5) / quantileOf(tokenFloors, 0.5);
    ctx.record(
      'agreement report + coding table, 2 annotators × 10,000 articles (command line)',
      reports.map((x) => x / 1000),
      's',
      '≤ 2 × floor',
      () => aRatio <= 2,
      `floor ${(quantileOf(tokenFloors, 0.5) / 1000).toFixed(1)} s (the texts read and tokenized once): ${aRatio.toFixed(2)} ×; peak RSS ${Math.round(Math.max(...agreementRss))} MB; coding table ${Math.round(items / 2 ** 20)} MB`,
    );
    await benchReviewQueue(ctx, team);
  }
  return team;
}

function quantileOf(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/**
 * The review screen over two annotators' 10,000 articles, through the API
 * the app uses: the first page of the queue (as the screen asks for it), the
 * pages after it, and the count behind "Accept N agreed" (the whole scope).
 */
async function benchReviewQueue(ctx: BenchContext, teamDb: string): Promise<void> {
  const host = await ctx.startHost(copyDb(ctx, teamDb, 'review.db'));
  try {
    await settle(host);
    type Page = { items: unknown[]; next: number | null };
    const scope = { a: 'Bench', b: 'Bench2' };
    const first: number[] = [];
    const later: number[] = [];
    for (let run = 0; run < ctx.runs * 2; run++) {
      let t = performance.now();
      let page = await host.api<Page>('review.queuePage', { ...scope, limit: 200 });
      first.push(performance.now() - t);
      for (let n = 0; n < 5 && page.next !== null; n++) {
        t = performance.now();
        page = await host.api<Page>('review.queuePage', { ...scope, after: page.next, limit: 200 });
        later.push(performance.now() - t);
      }
      if (page.items.length === 0) throw new Error('the review queue has no items');
    }
    ctx.record(
      'review queue, 2 annotators × 10,000 articles: first page',
      first,
      'ms',
      '≤ 200 ms',
      (m, p95) => p95 <= 200,
      '200 items; reads the first articles only',
    );
    ctx.record('review queue: each next page', later, 'ms', '≤ 200 ms', (m, p95) => p95 <= 200, 'from the article the last page ended at');
    const t = performance.now();
    const { open } = await host.api<{ open: number }>('review.openAgreed', scope);
    ctx.record(
      'review: open agreed items over the whole scope (server count)',
      [performance.now() - t],
      'ms',
      'informational',
      () => true,
      `${open} items; the button's count, read after the first page shows`,
    );
  } finally {
    await host.stop();
  }
}
