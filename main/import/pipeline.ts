/**
 * The import pipeline every entry point shares (UI jobs, the CLI, tests):
 * read each input, store each article in its own transaction, report each
 * outcome. One bad file never stops the others, and a failure never leaves a
 * half-stored article.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { ImportItem } from '../../shared/schemas.js';
import type { Db } from '../store/database.js';
import { insertArticle } from '../store/articles.js';
import { precheck, readArticles } from './readers.js';

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
}

/** Files under the given files and folders (recursive, hidden entries skipped), in a stable order. */
export async function collectInputs(paths: readonly string[]): Promise<{ inputs: ImportInput[]; missing: ImportItem[] }> {
  const inputs: ImportInput[] = [];
  const missing: ImportItem[] = [];
  const fileInput = (file: string, display: string, size: number): ImportInput => ({ display, size, read: async () => new Uint8Array(await readFile(file)) });
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
      const code = (err as NodeJS.ErrnoException).code;
      missing.push({ source: p, status: 'failed', message: code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : String(err) });
    }
  }
  return { inputs, missing };
}

/** Imports the inputs one by one; returns every outcome and whether it was cancelled. */
export async function importInputs(db: Db, inputs: readonly ImportInput[], opts: ImportOptions = {}): Promise<{ results: ImportItem[]; cancelled: boolean }> {
  const results: ImportItem[] = [];
  const report = (item: ImportItem) => {
    results.push(item);
    opts.onItem?.(item);
  };
  for (let i = 0; i < inputs.length; i++) {
    if (opts.isCancelled?.()) return { results, cancelled: true };
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
    for (const outcome of await readArticles(input.display, bytes)) {
      if ('error' in outcome) {
        report({ source: outcome.source, status: 'failed', message: outcome.error });
        continue;
      }
      try {
        const stored = db.transaction(() => insertArticle(db, { ...outcome.article, fileName: basename(input.display) }))();
        report({ source: outcome.source, status: stored.duplicate ? 'duplicate' : 'imported', articleId: stored.id, title: outcome.article.title, ...(stored.duplicate ? { message: 'the same text is already in the library' } : {}) });
      } catch (err) {
        report({ source: outcome.source, status: 'failed', message: `could not be stored (${(err as Error).message})` });
      }
    }
  }
  opts.onProgress?.({ done: inputs.length, total: inputs.length, current: null });
  return { results, cancelled: false };
}
