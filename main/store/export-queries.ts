/** Read-only queries the exporters stream from. */
import type { ClaimGroup, SourceLink } from '../../shared/schemas.js';
import type { Db } from './database.js';
import { allLinks } from './links.js';
import { listGroups } from './groups.js';

export interface ExportArticleRow {
  id: number;
  title: string;
  outlet: string | null;
  url: string | null;
  published_at: string | null;
  file_name: string | null;
  content_hash: string;
  text: string;
}

export interface ExportSpanRow {
  id: string;
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

/** Articles one at a time, in id order. */
export function iterateArticlesForExport(db: Db): Iterable<ExportArticleRow> {
  return db
    .prepare('SELECT id, title, outlet, url, published_at, file_name, content_hash, text FROM articles ORDER BY id')
    .iterate() as Iterable<ExportArticleRow>;
}

/** A function giving one article's annotations in text order. */
export function iterateAnnotationsByArticle(db: Db): (articleId: number) => ExportSpanRow[] {
  const stmt = db.prepare(
    'SELECT id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at FROM annotations WHERE article_id = ? ORDER BY start, end DESC, id',
  );
  return (articleId) => stmt.all(articleId) as ExportSpanRow[];
}

export function linksByClaim(db: Db): Map<string, SourceLink[]> {
  const out = new Map<string, SourceLink[]>();
  for (const l of allLinks(db)) out.set(l.claimId, [...(out.get(l.claimId) ?? []), l]);
  return out;
}

export function membershipsByAnnotation(db: Db): Map<string, string> {
  const rows = db.prepare('SELECT annotation_id, group_id FROM claim_group_members ORDER BY added_at, annotation_id').all() as {
    annotation_id: string;
    group_id: string;
  }[];
  return new Map(rows.map((r) => [r.annotation_id, r.group_id]));
}

export function groupsById(db: Db): Map<string, ClaimGroup> {
  return new Map(listGroups(db).map((g) => [g.id, g]));
}
