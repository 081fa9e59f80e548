/**
 * The import pipeline every entry point shares (UI jobs, the CLI, tests):
 * read each input, store the articles in batched transactions (a savepoint
 * each), report each outcome once it is committed. One bad file never stops
 * the others, and a failure never leaves a half-stored article.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { ImportItem } from '../../shared/schemas.js';
import type { Db } from '../store/database.js';
import { insertArticle, type NewArticle } from '../store/articles.js';
import { acquireLock } from '../store/locks.js';
import { readerFor, type ReaderLimits, type ReaderPool } from './reader-pool.js';
import { precheck } from './readers.js';
import { systemProblem } from '../system-errors.js';

export interface ImportInput {
  /** Shown in reports: the file name, or its path under the imported folder. */
  display: string;
  size: number;
  read: () => Promise<Uint8Array>;
}

export interface ImportProgress {
  done: number;
  total: number;
  current: string | null;
}

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  onItem?: (item: ImportItem) => void;
  isCancelled?: () => boolean;
  /** Aborting it cancels at once: the file being read is stopped and reported failed. */
  signal?: AbortSignal;
  /** Time and memory each file may take (defaults: limits.ts). */
  readerLimits?: ReaderLimits;
}

export interface ImportSummary {
  /**
   * Every outcome, when no `onItem` was given (callers that report as they go
   * get them there, so a million-record import holds none of them).
   */
  results: ImportItem[];
  counts: Record<ImportItem['status'], number>;
  cancelled: boolean;
}

/** Files under the given files and folders (recursive, hidden entries skipped), in a stable order. */
export async function collectInputs(paths: readonly string[]): Promise<{ inputs: ImportInput[]; missing: ImportItem[] }> {
  const inputs: ImportInput[] = [];
  const missing: ImportItem[] = [];
  const fileInput = (file: string, display: string, size: number): ImportInput => ({
    display,
    size,
    read: async () => new Uint8Array(await readFile(file)),
  });
  async function walk(dir: string, root: string): Promise<void> {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full, root);
      else if (e.isFile()) inputs.push(fileInput(full, relative(root, full) || e.name, (await stat(full)).size));
    }
  }
  for (const p of paths) {
    try {
      const s = await stat(p);
      if (s.isDirectory()) await walk(p, join(p, '..'));
      else inputs.push(fileInput(p, basename(p), s.size));
    } catch (err) {
      missing.push({ source: p, status: 'failed', message: systemProblem(err) ?? String(err) });
    }
  }
  return { inputs, missing };
}

/** How many read articles are stored in one transaction, and the longest a read article waits for its commit. */
export const BATCH_ARTICLES = 250;
export const BATCH_MS = 200;

interface Pending {
  source: string;
  article: NewArticle;
  warning?: string;
}

/**
 * Imports the inputs; returns every outcome and whether it was cancelled.
 *
 * Files are read one by one, and the articles they yield are stored in
 * batches: one transaction per batch (a commit with synchronous=FULL costs an
 * fsync, which per article would dominate a 10,000-file import), with a
 * savepoint per article so one that fails to store rolls back alone. An
 * outcome is reported only once its batch has committed, so "imported" always
 * means durable; a cancel stores what was read before it and stops.
 */
export async function importInputs(db: Db, inputs: readonly ImportInput[], opts: ImportOptions = {}): Promise<ImportSummary> {
  const results: ImportItem[] = [];
  const counts = { imported: 0, duplicate: 0, failed: 0 };
  const record = (item: ImportItem) => {
    counts[item.status]++;
    if (opts.onItem) opts.onItem(item);
    else results.push(item);
  };
  const cancelled = () => opts.signal?.aborted === true || opts.isCancelled?.() === true;
  // Held in the library while the import runs: a restore (from any process) waits for none and refuses.
  const lock = acquireLock(db, 'import');
  const { reader, owned } = readerFor(opts.readerLimits);
  try {
    return await importWith(reader);
  } finally {
    lock.release();
    if (owned) await reader.close();
  }

  async function importWith(reader: ReaderPool): Promise<ImportSummary> {
    // Outcomes are reported in input order: a failure first commits what was read before it.
    const report = (item: ImportItem) => {
      flush();
      record(item);
    };
    let pending: Pending[] = [];
    let batchStarted = 0;
    function flush(): void {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      let outcomes: ImportItem[];
      try {
        outcomes = db.transaction(() =>
          batch.map(({ source, article, warning }): ImportItem => {
            try {
              const stored = db.transaction(() => insertArticle(db, article))();
              const message = stored.duplicate ? 'the same text is already in the library' : warning;
              return {
                source,
                status: stored.duplicate ? 'duplicate' : 'imported',
                articleId: stored.id,
                title: article.title,
                ...(message ? { message } : {}),
              };
            } catch (err) {
              return { source, status: 'failed', message: `could not be stored (${(err as Error).message})` };
            }
          }),
        )();
      } catch (err) {
        // The commit itself failed (disk full, read-only file): nothing of the batch is stored.
        outcomes = batch.map(({ source }) => ({ source, status: 'failed', message: `could not be stored (${(err as Error).message})` }));
      }
      outcomes.forEach(record);
    }
    for (let i = 0; i < inputs.length; i++) {
      if (cancelled()) {
        flush();
        return { results, counts, cancelled: true };
      }
      const input = inputs[i] as ImportInput;
      opts.onProgress?.({ done: i, total: inputs.length, current: input.display });
      const problem = precheck(input.display, input.size);
      if (problem) {
        report({ source: input.display, status: 'failed', message: problem });
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = await input.read();
      } catch (err) {
        report({ source: input.display, status: 'failed', message: `could not be read (${(err as Error).message})` });
        continue;
      }
      for await (const chunk of reader.read(input.display, bytes, opts.signal)) {
        for (const outcome of chunk) {
          if ('error' in outcome) {
            report({ source: outcome.source, status: 'failed', message: outcome.error });
            continue;
          }
          if (pending.length === 0) batchStarted = performance.now();
          pending.push({
            source: outcome.source,
            article: { ...outcome.article, fileName: basename(input.display) },
            ...(outcome.warning ? { warning: outcome.warning } : {}),
          });
          // A dataset's records are stored a batch at a time while the rest is still being read.
          if (pending.length >= BATCH_ARTICLES) flush();
        }
      }
      if (pending.length >= BATCH_ARTICLES || (pending.length > 0 && performance.now() - batchStarted >= BATCH_MS)) flush();
    }
    flush();
    opts.onProgress?.({ done: inputs.length, total: inputs.length, current: null });
    return { results, counts, cancelled: cancelled() };
  }
}
