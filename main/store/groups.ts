import type { ClaimGroup, GroupHistoryEntry, GroupingSnapshot, GroupMembership } from '../../shared/schemas.js';
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
export function insertGroup(
  db: Db,
  g: { id: string; canonical: string; note: string; createdBy: string; at: string; updatedAt?: string },
): void {
  statement(db, 'INSERT INTO claim_groups (id, canonical, note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    g.id,
    g.canonical,
    g.note,
    g.createdBy,
    g.at,
    g.updatedAt ?? g.at,
  );
}

export function updateGroup(db: Db, id: string, changes: { canonical?: string; note?: string }, at: string): void {
  db.prepare('UPDATE claim_groups SET canonical = coalesce(?, canonical), note = coalesce(?, note), updated_at = ? WHERE id = ?').run(
    changes.canonical ?? null,
    changes.note ?? null,
    at,
    id,
  );
}

export function touchGroup(db: Db, id: string, at: string): void {
  db.prepare('UPDATE claim_groups SET updated_at = ? WHERE id = ?').run(at, id);
}

export function deleteGroup(db: Db, id: string): void {
  db.prepare('DELETE FROM claim_groups WHERE id = ?').run(id);
}

export function groupOf(db: Db, annotationId: string): string | null {
  const r = statement(db, 'SELECT group_id FROM claim_group_members WHERE annotation_id = ?').get(annotationId) as
    { group_id: string } | undefined;
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
  return (
    db.prepare('SELECT annotation_id FROM claim_group_members WHERE group_id = ? ORDER BY added_at, annotation_id').all(groupId) as {
      annotation_id: string;
    }[]
  ).map((r) => r.annotation_id);
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
  statement(db, 'INSERT INTO claim_group_history (group_id, action, detail, actor, at) VALUES (?, ?, ?, ?, ?)').run(
    groupId,
    action,
    JSON.stringify(detail),
    actor,
    at,
  );
}

export function groupHistory(db: Db, groupId: string): GroupHistoryEntry[] {
  const rows = db.prepare('SELECT * FROM claim_group_history WHERE group_id = ? ORDER BY id').all(groupId) as {
    id: number;
    group_id: string;
    action: string;
    detail: string;
    actor: string;
    at: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    groupId: r.group_id,
    action: r.action,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    actor: r.actor,
    at: r.at,
  }));
}

/** Whether some claim is a member of the group. */
export function memberCount(db: Db, groupId: string): number {
  return db.prepare('SELECT count(*) FROM claim_group_members WHERE group_id = ?').pluck().get(groupId) as number;
}

/**
 * The grouping state of some groups and claims, as undo and redo put it back:
 * each group (present or not, with its wording and note), every member of
 * those groups, and the group of each named claim (null: in none).
 */
export function groupingSnapshot(db: Db, groupIds: readonly string[], annotationIds: readonly string[]): GroupingSnapshot {
  const ownGroups = annotationIds.map((a) => groupOf(db, a)).filter((g): g is string => g !== null);
  const ids = [...new Set([...groupIds, ...ownGroups])];
  const groups = ids.map((id) => {
    const r = db.prepare('SELECT canonical, note, created_by, created_at FROM claim_groups WHERE id = ?').get(id) as
      { canonical: string; note: string; created_by: string; created_at: string } | undefined;
    return r
      ? { id, exists: true, canonical: r.canonical, note: r.note, createdBy: r.created_by, createdAt: r.created_at }
      : { id, exists: false, canonical: '', note: '', createdBy: '', createdAt: '' };
  });
  const members = new Map<string, string | null>();
  for (const id of ids) for (const a of memberIds(db, id)) members.set(a, id);
  for (const a of annotationIds) if (!members.has(a)) members.set(a, groupOf(db, a));
  return { groups, members: [...members].map(([annotationId, groupId]) => ({ annotationId, groupId })) };
}

/**
 * Puts a snapshot back: groups it holds are (re)made with their wording and
 * note, members go where it says (claims deleted since are skipped), and
 * groups it holds as absent are deleted last, once their members are placed.
 */
export function restoreGrouping(db: Db, s: GroupingSnapshot, actor: string, at: string): void {
  for (const g of s.groups) {
    if (!g.exists) continue;
    const current = getGroup(db, g.id);
    if (!current) {
      insertGroup(db, { id: g.id, canonical: g.canonical, note: g.note, createdBy: g.createdBy, at: g.createdAt, updatedAt: at });
      addHistory(db, g.id, 'restore', { canonical: g.canonical }, actor, at);
    } else if (current.canonical !== g.canonical || current.note !== g.note) {
      if (current.canonical !== g.canonical)
        addHistory(db, g.id, 'rename', { from: current.canonical, to: g.canonical, undo: true }, actor, at);
      if (current.note !== g.note) addHistory(db, g.id, 'note', { from: current.note, to: g.note, undo: true }, actor, at);
      updateGroup(db, g.id, { canonical: g.canonical, note: g.note }, at);
    }
  }
  const exists = db.prepare('SELECT 1 FROM annotations WHERE id = ?').pluck();
  for (const m of s.members) {
    if (!exists.get(m.annotationId)) continue;
    const current = groupOf(db, m.annotationId);
    if (current === m.groupId) continue;
    if (m.groupId === null) removeMembership(db, m.annotationId);
    else setMembership(db, m.annotationId, m.groupId, actor, at);
    if (current) addHistory(db, current, 'remove', { annotationId: m.annotationId, undo: true }, actor, at);
    if (m.groupId) addHistory(db, m.groupId, 'add', { annotationId: m.annotationId, from: current, undo: true }, actor, at);
  }
  for (const g of s.groups) {
    if (g.exists || !getGroup(db, g.id)) continue;
    addHistory(db, g.id, 'delete', { canonical: getGroup(db, g.id)?.canonical, undo: true }, actor, at);
    deleteGroup(db, g.id);
  }
}
