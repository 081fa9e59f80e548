/** Queries for exchanging annotation bundles between colleagues. */
import type { Annotation } from '../../shared/schemas.js';
import { statement, type Db } from './database.js';

export interface LocalArticle {
  id: number;
  content_hash: string;
  url: string | null;
  title: string;
  outlet: string | null;
  published_at: string | null;
  file_name: string | null;
  byline: string | null;
  text: string;
}

export function articleByHash(db: Db, hash: string): LocalArticle | null {
  return (db.prepare('SELECT id, content_hash, url, title, outlet, published_at, file_name, byline, text FROM articles WHERE content_hash = ?').get(hash) as LocalArticle | undefined) ?? null;
}

/** Another copy of the same article: same URL, or the same title and outlet. */
export function articleLike(db: Db, url: string | null, title: string, outlet: string | null): LocalArticle | null {
  if (url) {
    const byUrl = db.prepare('SELECT id, content_hash, url, title, outlet, published_at, file_name, byline, text FROM articles WHERE url = ?').get(url) as LocalArticle | undefined;
    if (byUrl) return byUrl;
  }
  return (db.prepare('SELECT id, content_hash, url, title, outlet, published_at, file_name, byline, text FROM articles WHERE title = ? AND outlet IS ?').get(title, outlet) as LocalArticle | undefined) ?? null;
}

export function articlesByIds(db: Db, ids: readonly number[]): LocalArticle[] {
  const stmt = db.prepare('SELECT id, content_hash, url, title, outlet, published_at, file_name, byline, text FROM articles WHERE id = ?');
  return ids.map((id) => stmt.get(id) as LocalArticle);
}

export function annotationsByAnnotator(db: Db, annotator: string): (Annotation & { contentHash: string })[] {
  const rows = db
    .prepare(
      `SELECT a.*, ar.content_hash FROM annotations a JOIN articles ar ON ar.id = a.article_id
       WHERE a.annotator = ? ORDER BY a.article_id, a.start, a.end, a.id`,
    )
    .all(annotator) as Record<string, unknown>[];
  return rows.map((r) => ({
    id: r.id as string,
    articleId: r.article_id as number,
    start: r.start as number,
    end: r.end as number,
    quote: r.quote as string,
    prefix: r.prefix as string,
    suffix: r.suffix as string,
    label: r.label as string,
    annotator: r.annotator as string,
    note: r.note as string,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
    contentHash: r.content_hash as string,
  }));
}

/** Distinct annotators with how many tags each has per article. */
export function annotatorProgress(db: Db): { articleId: number; annotator: string; count: number }[] {
  return db.prepare('SELECT article_id AS articleId, annotator, count(*) AS count FROM annotations GROUP BY article_id, annotator ORDER BY annotator').all() as {
    articleId: number;
    annotator: string;
    count: number;
  }[];
}

export function annotationExists(db: Db, id: string): { annotator: string } | null {
  return (statement(db, 'SELECT annotator FROM annotations WHERE id = ?').get(id) as { annotator: string } | undefined) ?? null;
}

/** Whether a claim group with this id exists (without reading its members, as getGroup does). */
export function groupExists(db: Db, id: string): boolean {
  return statement(db, 'SELECT 1 FROM claim_groups WHERE id = ?').get(id) !== undefined;
}
