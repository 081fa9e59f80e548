import { createHash } from 'node:crypto';
import type { Article, ArticleSummary } from '../../shared/schemas.js';
import { codePointLength } from '../../shared/offsets.js';
import { httpUrl, MAX_TITLE_CHARS, normalizeLine } from '../../shared/text.js';
import type { Db } from './database.js';

export interface NewArticle {
  title: string;
  /** Canonical text (already normalised). */
  text: string;
  outlet?: string | null;
  url?: string | null;
  publishedAt?: string | null;
  fileName?: string | null;
  byline?: string | null;
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
  byline: string | null;
  text?: string;
}

/** A one-line value, or null when nothing is left of it. */
const line = (v: string | null | undefined): string | null => (v ? normalizeLine(v) || null : null);

/** A date as an ISO timestamp, or null when it is not one. */
const isoOrNull = (v: string | null | undefined): string | null => {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) ? v : new Date(t).toISOString();
};

/**
 * Stores an article unless one with the same canonical text exists.
 * Returns the id and whether it was new. Whatever the source (a page, a
 * dataset, a colleague's bundle), metadata is stored as plain one-line text,
 * the URL only when it is http(s) and the date only when it is one.
 */
export function insertArticle(db: Db, a: NewArticle, now = new Date().toISOString()): { id: number; duplicate: boolean } {
  const hash = contentHash(a.text);
  const existing = db.prepare('SELECT id FROM articles WHERE content_hash = ?').get(hash) as { id: number } | undefined;
  if (existing) return { id: existing.id, duplicate: true };
  const info = db
    .prepare(
      `INSERT INTO articles (title, outlet, url, published_at, file_name, byline, text, length, content_hash, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      (a.title && normalizeLine(a.title, MAX_TITLE_CHARS)) || 'Untitled',
      line(a.outlet),
      httpUrl(a.url),
      isoOrNull(a.publishedAt),
      line(a.fileName),
      line(a.byline),
      a.text,
      codePointLength(a.text),
      hash,
      now,
    );
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
    .prepare('SELECT id, title, outlet, url, published_at, file_name, byline, length, content_hash, imported_at FROM articles ORDER BY id')
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
    byline: r.byline,
    contentHash: r.content_hash,
    text: r.text ?? '',
  };
}

/** Just the canonical text, for anchoring checks. */
export function getArticleText(db: Db, id: number): string | null {
  const r = db.prepare('SELECT text FROM articles WHERE id = ?').get(id) as { text: string } | undefined;
  return r?.text ?? null;
}

/** The editable metadata of an article; the text itself never changes. */
export interface ArticleMetadata {
  title?: string;
  outlet?: string | null;
  url?: string | null;
  publishedAt?: string | null;
}

export function updateArticleMetadata(db: Db, id: number, m: ArticleMetadata): void {
  const sets: string[] = [];
  const values: Record<string, unknown> = { id };
  const columns: [keyof ArticleMetadata, string][] = [
    ['title', 'title'],
    ['outlet', 'outlet'],
    ['url', 'url'],
    ['publishedAt', 'published_at'],
  ];
  const clean = {
    title: m.title === undefined ? undefined : (line(m.title) ?? 'Untitled'),
    outlet: m.outlet === undefined ? undefined : line(m.outlet),
    url: m.url === undefined ? undefined : httpUrl(m.url),
    publishedAt: m.publishedAt === undefined ? undefined : isoOrNull(m.publishedAt),
  };
  for (const [key, column] of columns) {
    if (clean[key] !== undefined) {
      sets.push(`${column} = @${key}`);
      values[key] = clean[key];
    }
  }
  if (sets.length) db.prepare(`UPDATE articles SET ${sets.join(', ')} WHERE id = @id`).run(values);
}

/** Deletes an article and (by cascade) its annotations; returns how many annotations went with it. */
export function deleteArticle(db: Db, id: number): number {
  const { n } = db.prepare('SELECT count(*) AS n FROM annotations WHERE article_id = ?').get(id) as { n: number };
  db.prepare('DELETE FROM articles WHERE id = ?').run(id);
  return n;
}

export interface SearchRow {
  id: number;
  title: string;
  outlet: string | null;
  snippet: string;
}

/** Marks around matched words in snippets: control characters that never occur in stored text. */
export const MATCH_OPEN = '\u0002';
export const MATCH_CLOSE = '\u0003';

/**
 * Full-text search (FTS5) over titles, texts and outlets. The query is taken
 * as words (each quoted, the last one as a prefix), never as FTS syntax.
 */
export function searchArticles(db: Db, query: string, limit: number): SearchRow[] {
  const words = query.match(/[\p{L}\p{N}_]+/gu) ?? [];
  if (words.length === 0) return [];
  const match = words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
  return db
    .prepare(
      `SELECT a.id, a.title, a.outlet, snippet(articles_fts, 1, '${MATCH_OPEN}', '${MATCH_CLOSE}', '…', 24) AS snippet
       FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
       WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0, 2.0) LIMIT ?`,
    )
    .all(match, limit) as SearchRow[];
}
