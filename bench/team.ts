/**
 * Bench cases for the paths a team leans on (issue 18): similar claims,
 * agreement, the review queue, bundles, full-text search. Each case that has
 * a floor measures it in the same run, on the same data, and passes or fails
 * on the ratio.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { rng } from './corpus.js';

export interface HostLike {
  api<T>(method: string, input: unknown): Promise<T>;
  stop(): Promise<void>;
}

export interface BenchContext {
  runs: number;
  work: string;
  record(name: string, samples: number[], unit: string, target: string, pass: (median: number, p95: number) => boolean, note?: string): void;
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
  while ((await host.api<unknown[]>('backups.list', {})).length === 0) {
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
  const articles = raw.prepare('SELECT id, substr(text, 1, 400) AS head FROM articles ORDER BY id LIMIT 100').all() as { id: number; head: string }[];
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
      const made = await host.api<{ id: string }>('annotations.create', { articleId: a.id, start, end, quote: a.head.slice(start, end), label: 'claim' });
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
    ctx.record('similar claims, 100,000 claims: one suggestion', steady, 'ms', 'p95 ≤ 50 ms', (_m, p95) => p95 <= 50, `first call after the host starts (builds the index): ${Math.round(first)} ms`);
    ctx.record('similar claims right after a tag, relabel or group change', afterChange, 'ms', 'p95 ≤ 50 ms', (_m, p95) => p95 <= 50, 'the index is patched from the change logs');
  } finally {
    await host.stop();
  }
}
