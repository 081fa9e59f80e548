import type { ClaimGroup, GroupHistoryEntry, GroupMembership } from '../../shared/schemas.js';
import { statement, type Db } from './database.js';

interface GroupRow {
  id: string;
  canonical: string;
  note: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  member_count: number;
  article_count: number;
}

const GROUP_SELECT = `
  SELECT g.*, count(m.annotation_id) AS member_count, count(DISTINCT a.article_id) AS article_count
  FROM claim_groups g
  LEFT JOIN claim_group_members m ON m.group_id = g.id
  LEFT JOIN annotations a ON a.id = m.annotation_id`;

const fromRow = (r: GroupRow): ClaimGroup => ({
  id: r.id,
  canonical: r.canonical,
  note: r.note,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  memberCount: r.member_count,
  articleCount: r.article_count,
});

export function listGroups(db: Db): ClaimGroup[] {
  return (db.prepare(`${GROUP_SELECT} GROUP BY g.id ORDER BY g.updated_at DESC, g.id`).all() as GroupRow[]).map(fromRow);
}

export function getGroup(db: Db, id: string): ClaimGroup | null {
  const r = db.prepare(`${GROUP_SELECT} WHERE g.id = ? GROUP BY g.id`).get(id) as GroupRow | undefined;
  return r ? fromRow(r) : null;
}

/** Adds a group; `updatedAt` defaults to its creation time (a group read from a bundle keeps its own). */
export function insertGroup(db: Db, g: { id: string; canonical: string; note: string; createdBy: string; at: string; updatedAt?: string }): void {
  statement(db, 'INSERT INTO claim_groups (id, canonical, note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(g.id, g.canonical, g.note, g.createdBy, g.at, g.updatedAt ?? g.at);
}

export function updateGroup(db: Db, id: string, changes: { canonical?: string; note?: string }, at: string): void {
  db.prepare('UPDATE claim_groups SET canonical = coalesce(?, canonical), note = coalesce(?, note), updated_at = ? WHERE id = ?').run(changes.canonical ?? null, changes.note ?? null, at, id);
}

export function touchGroup(db: Db, id: string, at: string): void {
  db.prepare('UPDATE claim_groups SET updated_at = ? WHERE id = ?').run(at, id);
}

export function deleteGroup(db: Db, id: string): void {
  db.prepare('DELETE FROM claim_groups WHERE id = ?').run(id);
}

export function groupOf(db: Db, annotationId: string): string | null {
  const r = statement(db, 'SELECT group_id FROM claim_group_members WHERE annotation_id = ?').get(annotationId) as { group_id: string } | undefined;
  return r?.group_id ?? null;
}

export function setMembership(db: Db, annotationId: string, groupId: string, actor: string, at: string): void {
  statement(
    db,
    `INSERT INTO claim_group_members (annotation_id, group_id, added_by, added_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(annotation_id) DO UPDATE SET group_id = excluded.group_id, added_by = excluded.added_by, added_at = excluded.added_at`,
  ).run(annotationId, groupId, actor, at);
}

export function removeMembership(db: Db, annotationId: string): void {
  db.prepare('DELETE FROM claim_group_members WHERE annotation_id = ?').run(annotationId);
}

/** Moves every member of `from` into `into`. */
export function moveMembers(db: Db, from: string, into: string): number {
  return db.prepare('UPDATE claim_group_members SET group_id = ? WHERE group_id = ?').run(into, from).changes;
}

export function memberIds(db: Db, groupId: string): string[] {
  return (db.prepare('SELECT annotation_id FROM claim_group_members WHERE group_id = ? ORDER BY added_at, annotation_id').all(groupId) as { annotation_id: string }[]).map((r) => r.annotation_id);
}

export function membershipsOfArticle(db: Db, articleId: number): GroupMembership[] {
  return db
    .prepare(
      `SELECT m.annotation_id AS annotationId, m.group_id AS groupId, g.canonical
       FROM claim_group_members m JOIN annotations a ON a.id = m.annotation_id JOIN claim_groups g ON g.id = m.group_id
       WHERE a.article_id = ?`,
    )
    .all(articleId) as GroupMembership[];
}

export function addHistory(db: Db, groupId: string, action: string, detail: Record<string, unknown>, actor: string, at: string): void {
  statement(db, 'INSERT INTO claim_group_history (group_id, action, detail, actor, at) VALUES (?, ?, ?, ?, ?)').run(groupId, action, JSON.stringify(detail), actor, at);
}

export function groupHistory(db: Db, groupId: string): GroupHistoryEntry[] {
  const rows = db.prepare('SELECT * FROM claim_group_history WHERE group_id = ? ORDER BY id').all(groupId) as { id: number; group_id: string; action: string; detail: string; actor: string; at: string }[];
  return rows.map((r) => ({ id: r.id, groupId: r.group_id, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown>, actor: r.actor, at: r.at }));
}
