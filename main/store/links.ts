import type { AttributionKind, SourceLink } from '../../shared/schemas.js';
import { statement, type Db } from './database.js';

interface LinkRow {
  id: string;
  claim_id: string;
  source_id: string;
  kind: AttributionKind;
  annotator: string;
  created_at: string;
}

const fromRow = (r: LinkRow): SourceLink => ({
  id: r.id,
  claimId: r.claim_id,
  sourceId: r.source_id,
  kind: r.kind,
  annotator: r.annotator,
  createdAt: r.created_at,
});

export function insertLink(db: Db, l: SourceLink): void {
  statement(db, 'INSERT INTO source_links (id, claim_id, source_id, kind, annotator, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    l.id,
    l.claimId,
    l.sourceId,
    l.kind,
    l.annotator,
    l.createdAt,
  );
}

export function getLink(db: Db, id: string): SourceLink | null {
  const r = statement(db, 'SELECT * FROM source_links WHERE id = ?').get(id) as LinkRow | undefined;
  return r ? fromRow(r) : null;
}

export function findLink(db: Db, claimId: string, sourceId: string): SourceLink | null {
  const r = statement(db, 'SELECT * FROM source_links WHERE claim_id = ? AND source_id = ?').get(claimId, sourceId) as LinkRow | undefined;
  return r ? fromRow(r) : null;
}

export function setLinkKind(db: Db, id: string, kind: AttributionKind): void {
  db.prepare('UPDATE source_links SET kind = ? WHERE id = ?').run(kind, id);
}

export function deleteLink(db: Db, id: string): void {
  db.prepare('DELETE FROM source_links WHERE id = ?').run(id);
}

/** Every link touching an annotation of the article. */
export function linksOfArticle(db: Db, articleId: number): SourceLink[] {
  const rows = db
    .prepare(
      `SELECT l.* FROM source_links l JOIN annotations c ON c.id = l.claim_id
       WHERE c.article_id = ? ORDER BY l.created_at, l.id`,
    )
    .all(articleId) as LinkRow[];
  return rows.map(fromRow);
}

export function allLinks(db: Db): SourceLink[] {
  return (db.prepare('SELECT * FROM source_links ORDER BY created_at, id').all() as LinkRow[]).map(fromRow);
}

/** Links where the annotation is the claim or the source. */
export function linksOfAnnotation(db: Db, annotationId: string): SourceLink[] {
  return (
    db
      .prepare('SELECT * FROM source_links WHERE claim_id = ? OR source_id = ? ORDER BY created_at, id')
      .all(annotationId, annotationId) as LinkRow[]
  ).map(fromRow);
}
