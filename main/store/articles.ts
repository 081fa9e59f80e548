import { createHash } from 'node:crypto';
import type { Article, ArticleSummary } from '../../shared/schemas.js';
import { codePointLength } from '../../shared/offsets.js';
import type { Db } from './database.js';

export interface NewArticle {
  title: string;
  /** Canonical text (already normalised). */
  text: string;
  outlet?: string | null;
  url?: string | null;
  publishedAt?: string | null;
  fileName?: string | null;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

interface ArticleRow {
  id: number;
  title: string;
  outlet: string | null;
  url: string | null;
  published_at: string | null;
  file_name: string | null;
  length: number;
  content_hash: string;
  imported_at: string;
  text?: string;
}

/**
 * Stores an article unless one with the same canonical text exists.
 * Returns the id and whether it was new.
 */
export function insertArticle(db: Db, a: NewArticle, now = new Date().toISOString()): { id: number; duplicate: boolean } {
  const hash = contentHash(a.text);
  const existing = db.prepare('SELECT id FROM articles WHERE content_hash = ?').get(hash) as { id: number } | undefined;
  if (existing) return { id: existing.id, duplicate: true };
  const info = db
    .prepare(
      `INSERT INTO articles (title, outlet, url, published_at, file_name, text, length, content_hash, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(a.title, a.outlet ?? null, a.url ?? null, a.publishedAt ?? null, a.fileName ?? null, a.text, codePointLength(a.text), hash, now);
  return { id: Number(info.lastInsertRowid), duplicate: false };
}

export function countArticles(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
}

function countsByArticle(db: Db): Map<number, Record<string, number>> {
  const rows = db.prepare('SELECT article_id, label, count(*) AS n FROM annotations GROUP BY article_id, label').all() as {
    article_id: number;
    label: string;
    n: number;
  }[];
  const out = new Map<number, Record<string, number>>();
  for (const r of rows) {
    const counts = out.get(r.article_id) ?? {};
    counts[r.label] = r.n;
    out.set(r.article_id, counts);
  }
  return out;
}

function toSummary(r: ArticleRow, counts: Record<string, number>): ArticleSummary {
  return {
    id: r.id,
    title: r.title,
    outlet: r.outlet,
    publishedAt: r.published_at,
    fileName: r.file_name,
    importedAt: r.imported_at,
    length: r.length,
    counts,
  };
}

export function listArticles(db: Db): ArticleSummary[] {
  const rows = db
    .prepare('SELECT id, title, outlet, url, published_at, file_name, length, content_hash, imported_at FROM articles ORDER BY id')
    .all() as ArticleRow[];
  const counts = countsByArticle(db);
  return rows.map((r) => toSummary(r, counts.get(r.id) ?? {}));
}

export function getArticle(db: Db, id: number): Article | null {
  const r = db.prepare('SELECT * FROM articles WHERE id = ?').get(id) as ArticleRow | undefined;
  if (!r) return null;
  const counts = db.prepare('SELECT label, count(*) AS n FROM annotations WHERE article_id = ? GROUP BY label').all(id) as {
    label: string;
    n: number;
  }[];
  return {
    ...toSummary(r, Object.fromEntries(counts.map((c) => [c.label, c.n]))),
    url: r.url,
    contentHash: r.content_hash,
    text: r.text ?? '',
  };
}

/** Just the canonical text, for anchoring checks. */
export function getArticleText(db: Db, id: number): string | null {
  const r = db.prepare('SELECT text FROM articles WHERE id = ?').get(id) as { text: string } | undefined;
  return r?.text ?? null;
}
