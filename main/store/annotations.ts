import type { Annotation } from '../../shared/schemas.js';
import { statement, type Db } from './database.js';

interface AnnotationRow {
  id: string;
  article_id: number;
  start: number;
  end: number;
  quote: string;
  prefix: string;
  suffix: string;
  label: string;
  annotator: string;
  note: string;
  created_at: string;
  updated_at: string;
}

function fromRow(r: AnnotationRow): Annotation {
  return {
    id: r.id,
    articleId: r.article_id,
    start: r.start,
    end: r.end,
    quote: r.quote,
    prefix: r.prefix,
    suffix: r.suffix,
    label: r.label,
    annotator: r.annotator,
    note: r.note,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** An article's annotations in text order (start, then longer first). */
/** An article's annotations in text order; with `startBefore`, only those starting before that code point (the first screens). */
export function listAnnotations(db: Db, articleId: number, startBefore?: number): Annotation[] {
  const rows = (
    startBefore === undefined
      ? db.prepare('SELECT * FROM annotations WHERE article_id = ? ORDER BY start, end DESC, created_at, id').all(articleId)
      : db
          .prepare('SELECT * FROM annotations WHERE article_id = ? AND start < ? ORDER BY start, end DESC, created_at, id')
          .all(articleId, startBefore)
  ) as AnnotationRow[];
  return rows.map(fromRow);
}

export function getAnnotation(db: Db, id: string): Annotation | null {
  const r = db.prepare('SELECT * FROM annotations WHERE id = ?').get(id) as AnnotationRow | undefined;
  return r ? fromRow(r) : null;
}

export function insertAnnotation(db: Db, a: Annotation): void {
  statement(
    db,
    `INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at)
     VALUES (@id, @articleId, @start, @end, @quote, @prefix, @suffix, @label, @annotator, @note, @createdAt, @updatedAt)`,
  ).run(a);
}

export function updateAnnotation(db: Db, id: string, changes: { label?: string; note?: string }, now: string): void {
  db.prepare(`UPDATE annotations SET label = coalesce(@label, label), note = coalesce(@note, note), updated_at = @now WHERE id = @id`).run({
    id,
    label: changes.label ?? null,
    note: changes.note ?? null,
    now,
  });
}

export function deleteAnnotation(db: Db, id: string): void {
  db.prepare('DELETE FROM annotations WHERE id = ?').run(id);
}
