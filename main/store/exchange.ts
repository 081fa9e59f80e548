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
  return (
    (db
      .prepare('SELECT id, content_hash, url, title, outlet, published_at, file_name, byline, text FROM articles WHERE content_hash = ?')
      .get(hash) as LocalArticle | undefined) ?? null
  );
}

/** Another copy of the same article: same URL, or the same title and outlet. */
export function articleLike(db: Db, url: string | null, title: string, outlet: string | null): LocalArticle | null {
  if (url) {
    const byUrl = db
      .prepare('SELECT id, content_hash, url, title, outlet, published_at, file_name, byline, text FROM articles WHERE url = ?')
      .get(url) as LocalArticle | undefined;
    if (byUrl) return byUrl;
  }
  return (
    (db
      .prepare(
        'SELECT id, content_hash, url, title, outlet, published_at, file_name, byline, text FROM articles WHERE title = ? AND outlet IS ?',
      )
      .get(title, outlet) as LocalArticle | undefined) ?? null
  );
}

export function articlesByIds(db: Db, ids: readonly number[]): LocalArticle[] {
  const stmt = db.prepare('SELECT id, content_hash, url, title, outlet, published_at, file_name, byline, text FROM articles WHERE id = ?');
  return ids.map((id) => stmt.get(id) as LocalArticle);
}

export function annotationsByAnnotator(db: Db, annotator: string): (Annotation & { contentHash: string })[] {
  return [...iterateAnnotationsBy(db, annotator)];
}

/** Distinct annotators with how many tags each has per article. */
export function annotatorProgress(db: Db): { articleId: number; annotator: string; count: number }[] {
  return db
    .prepare(
      'SELECT article_id AS articleId, annotator, count(*) AS count FROM annotations GROUP BY article_id, annotator ORDER BY annotator',
    )
    .all() as {
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

/** The ids of the articles an annotator tagged, in id order. */
export function articleIdsTaggedBy(db: Db, annotator: string): number[] {
  return db
    .prepare('SELECT DISTINCT article_id FROM annotations WHERE annotator = ? ORDER BY article_id')
    .pluck()
    .all(annotator) as number[];
}

/** One article as a bundle lists it. */
export function articleForBundle(db: Db, id: number): LocalArticle {
  return statement(db, 'SELECT id, content_hash, url, title, outlet, published_at, file_name, byline, text FROM articles WHERE id = ?').get(
    id,
  ) as LocalArticle;
}

/** An annotator's annotations, one row at a time, in article order (annotationsByAnnotator collects them). */
export function* iterateAnnotationsBy(db: Db, annotator: string): Generator<Annotation & { contentHash: string }> {
  const rows = db
    .prepare(
      `SELECT a.*, ar.content_hash FROM annotations a JOIN articles ar ON ar.id = a.article_id WHERE a.annotator = ? ORDER BY a.article_id, a.start, a.end, a.id`,
    )
    .iterate(annotator) as Iterable<Record<string, unknown>>;
  for (const r of rows) {
    yield {
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
    };
  }
}

/** Links whose claim and source are both the annotator's, in allLinks' order. */
export function linksWithinAnnotator(
  db: Db,
  annotator: string,
): Iterable<{ id: string; claim_id: string; source_id: string; kind: string; annotator: string; created_at: string }> {
  return db
    .prepare(
      `SELECT l.id, l.claim_id, l.source_id, l.kind, l.annotator, l.created_at FROM source_links l
       JOIN annotations c ON c.id = l.claim_id JOIN annotations s ON s.id = l.source_id
       WHERE c.annotator = ? AND s.annotator = ? ORDER BY l.created_at, l.id`,
    )
    .iterate(annotator, annotator) as Iterable<{
    id: string;
    claim_id: string;
    source_id: string;
    kind: string;
    annotator: string;
    created_at: string;
  }>;
}

/** An entity's members that are the annotator's annotations, sorted by id. */
export function entityMembersBy(db: Db, entityId: string, annotator: string): string[] {
  return db
    .prepare(
      'SELECT m.annotation_id FROM source_entity_members m JOIN annotations a ON a.id = m.annotation_id WHERE m.entity_id = ? AND a.annotator = ? ORDER BY m.annotation_id',
    )
    .pluck()
    .all(entityId, annotator) as string[];
}

/** A group's members that are the annotator's annotations, sorted by id. */
export function groupMembersBy(db: Db, groupId: string, annotator: string): string[] {
  return db
    .prepare(
      'SELECT m.annotation_id FROM claim_group_members m JOIN annotations a ON a.id = m.annotation_id WHERE m.group_id = ? AND a.annotator = ? ORDER BY m.annotation_id',
    )
    .pluck()
    .all(groupId, annotator) as string[];
}
