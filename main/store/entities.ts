/**
 * Source entities (schema 14): the tables, their history, the snapshots undo
 * puts back, and suggestions by name similarity.
 */
import type { EntityHistoryEntry, EntityMembership, EntitySnapshot, EntitySuggestion, SourceEntity } from '../../shared/entities.js';
import { nameKey, nameScore, type NameKey } from '../../shared/source-names.js';
import { SOURCE_LABEL } from './claims.js';
import { statement, type Db } from './database.js';

interface EntityRow {
  id: string;
  name: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  member_count: number;
}

const ENTITY_SELECT = `
  SELECT e.*, (SELECT count(*) FROM source_entity_members m WHERE m.entity_id = e.id) AS member_count
  FROM source_entities e`;

/** A wording as the table shows it: spacing collapsed. */
export const wordingOf = (quote: string) => quote.replace(/\s+/g, ' ').trim();

function wordingsOf(db: Db, id: string): string[] {
  const quotes = statement(
    db,
    'SELECT a.quote FROM source_entity_members m JOIN annotations a ON a.id = m.annotation_id WHERE m.entity_id = ?',
  )
    .pluck()
    .all(id) as string[];
  const counts = new Map<string, number>();
  for (const q of quotes) counts.set(wordingOf(q), (counts.get(wordingOf(q)) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 10)
    .map(([w]) => w);
}

const fromRow = (db: Db, r: EntityRow): SourceEntity => ({
  id: r.id,
  name: r.name,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  memberCount: r.member_count,
  wordings: wordingsOf(db, r.id),
});

export function listEntities(db: Db): SourceEntity[] {
  return (db.prepare(`${ENTITY_SELECT} ORDER BY e.name COLLATE NOCASE, e.id`).all() as EntityRow[]).map((r) => fromRow(db, r));
}

export function getEntity(db: Db, id: string): SourceEntity | null {
  const r = db.prepare(`${ENTITY_SELECT} WHERE e.id = ?`).get(id) as EntityRow | undefined;
  return r ? fromRow(db, r) : null;
}

export function insertEntity(db: Db, e: { id: string; name: string; createdBy: string; at: string; updatedAt?: string }): void {
  statement(db, 'INSERT INTO source_entities (id, name, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
    e.id,
    e.name,
    e.createdBy,
    e.at,
    e.updatedAt ?? e.at,
  );
}

export function renameEntity(db: Db, id: string, name: string, at: string): void {
  db.prepare('UPDATE source_entities SET name = ?, updated_at = ? WHERE id = ?').run(name, at, id);
}

export function touchEntity(db: Db, id: string, at: string): void {
  db.prepare('UPDATE source_entities SET updated_at = ? WHERE id = ?').run(at, id);
}

export function deleteEntity(db: Db, id: string): void {
  db.prepare('DELETE FROM source_entities WHERE id = ?').run(id);
}

export function entityOf(db: Db, annotationId: string): string | null {
  const r = statement(db, 'SELECT entity_id FROM source_entity_members WHERE annotation_id = ?').get(annotationId) as
    { entity_id: string } | undefined;
  return r?.entity_id ?? null;
}

export function setEntityMembership(db: Db, annotationId: string, entityId: string, actor: string, at: string): void {
  statement(
    db,
    `INSERT INTO source_entity_members (annotation_id, entity_id, added_by, added_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(annotation_id) DO UPDATE SET entity_id = excluded.entity_id, added_by = excluded.added_by, added_at = excluded.added_at`,
  ).run(annotationId, entityId, actor, at);
}

export function removeEntityMembership(db: Db, annotationId: string): void {
  db.prepare('DELETE FROM source_entity_members WHERE annotation_id = ?').run(annotationId);
}

/** Moves every member of `from` into `into`; returns how many moved. */
export function moveEntityMembers(db: Db, from: string, into: string): number {
  return db.prepare('UPDATE source_entity_members SET entity_id = ? WHERE entity_id = ?').run(into, from).changes;
}

export function entityMemberIds(db: Db, entityId: string): string[] {
  return db
    .prepare('SELECT annotation_id FROM source_entity_members WHERE entity_id = ? ORDER BY added_at, annotation_id')
    .pluck()
    .all(entityId) as string[];
}

export function entityMembershipsOfArticle(db: Db, articleId: number): EntityMembership[] {
  return db
    .prepare(
      `SELECT m.annotation_id AS annotationId, m.entity_id AS entityId, e.name
       FROM source_entity_members m JOIN annotations a ON a.id = m.annotation_id JOIN source_entities e ON e.id = m.entity_id
       WHERE a.article_id = ?`,
    )
    .all(articleId) as EntityMembership[];
}

export function addEntityHistory(
  db: Db,
  entityId: string,
  action: string,
  detail: Record<string, unknown>,
  actor: string,
  at: string,
): void {
  statement(db, 'INSERT INTO source_entity_history (entity_id, action, detail, actor, at) VALUES (?, ?, ?, ?, ?)').run(
    entityId,
    action,
    JSON.stringify(detail),
    actor,
    at,
  );
}

export function entityHistory(db: Db, entityId: string): EntityHistoryEntry[] {
  const rows = db.prepare('SELECT * FROM source_entity_history WHERE entity_id = ? ORDER BY id').all(entityId) as {
    id: number;
    entity_id: string;
    action: string;
    detail: string;
    actor: string;
    at: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    entityId: r.entity_id,
    action: r.action,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    actor: r.actor,
    at: r.at,
  }));
}

/**
 * The entity state of some entities and sources, as undo and redo put it
 * back: each entity (present or not, with its name), every member of those
 * entities, and the entity of each named source (null: in none).
 */
export function entitySnapshot(db: Db, entityIds: readonly string[], annotationIds: readonly string[]): EntitySnapshot {
  const own = annotationIds.map((a) => entityOf(db, a)).filter((e): e is string => e !== null);
  const ids = [...new Set([...entityIds, ...own])];
  const entities = ids.map((id) => {
    const r = db.prepare('SELECT name, created_by, created_at FROM source_entities WHERE id = ?').get(id) as
      { name: string; created_by: string; created_at: string } | undefined;
    return r
      ? { id, exists: true, name: r.name, createdBy: r.created_by, createdAt: r.created_at }
      : { id, exists: false, name: '', createdBy: '', createdAt: '' };
  });
  const members = new Map<string, string | null>();
  for (const id of ids) for (const a of entityMemberIds(db, id)) members.set(a, id);
  for (const a of annotationIds) if (!members.has(a)) members.set(a, entityOf(db, a));
  return { entities, members: [...members].map(([annotationId, entityId]) => ({ annotationId, entityId })) };
}

/**
 * Puts a snapshot back: entities it holds are (re)made with their names,
 * members go where it says (sources deleted since are skipped), and entities
 * it holds as absent are deleted last, once their members are placed.
 */
export function restoreEntities(db: Db, s: EntitySnapshot, actor: string, at: string): void {
  for (const e of s.entities) {
    if (!e.exists) continue;
    const current = getEntity(db, e.id);
    if (!current) {
      insertEntity(db, { id: e.id, name: e.name, createdBy: e.createdBy, at: e.createdAt, updatedAt: at });
      addEntityHistory(db, e.id, 'restore', { name: e.name }, actor, at);
    } else if (current.name !== e.name) {
      addEntityHistory(db, e.id, 'rename', { from: current.name, to: e.name, undo: true }, actor, at);
      renameEntity(db, e.id, e.name, at);
    }
  }
  const exists = db.prepare('SELECT 1 FROM annotations WHERE id = ?').pluck();
  for (const m of s.members) {
    if (!exists.get(m.annotationId)) continue;
    const current = entityOf(db, m.annotationId);
    if (current === m.entityId) continue;
    if (m.entityId === null) removeEntityMembership(db, m.annotationId);
    else setEntityMembership(db, m.annotationId, m.entityId, actor, at);
    if (current) addEntityHistory(db, current, 'remove', { annotationId: m.annotationId, undo: true }, actor, at);
    if (m.entityId) addEntityHistory(db, m.entityId, 'add', { annotationId: m.annotationId, from: current, undo: true }, actor, at);
  }
  for (const e of s.entities) {
    const current = e.exists ? null : getEntity(db, e.id);
    if (!current) continue;
    addEntityHistory(db, e.id, 'delete', { name: current.name, undo: true }, actor, at);
    deleteEntity(db, e.id);
  }
}

/** Suggestions scoring below this are not shown: "Marco Rubio" and "Marco Polo" share a first name, not a person. */
const MIN_SCORE = 0.5;

/**
 * Entities and wordings of sources in no entity whose names are most like
 * `source`'s wording (see shared/source-names.ts): an entity scores its name
 * or its closest member wording; a wording stands for every source in no
 * entity worded so (case and spacing aside), the source itself left out.
 * The source's own entity is never suggested.
 */
export function suggestEntities(db: Db, source: { id: string; quote: string }, limit: number): EntitySuggestion[] {
  const keys = new Map<string, NameKey>();
  const keyOf = (w: string) => {
    let k = keys.get(w);
    if (!k) keys.set(w, (k = nameKey(w)));
    return k;
  };
  const mine = keyOf(wordingOf(source.quote));
  const own = entityOf(db, source.id);
  const out: EntitySuggestion[] = [];

  const entities = new Map<string, { name: string; members: string[]; score: number }>();
  for (const e of db.prepare('SELECT id, name FROM source_entities').all() as { id: string; name: string }[]) {
    if (e.id !== own) entities.set(e.id, { name: e.name, members: [], score: nameScore(mine, keyOf(wordingOf(e.name))) });
  }
  const members = db
    .prepare(
      `SELECT m.entity_id AS entityId, a.id, a.quote FROM source_entity_members m JOIN annotations a ON a.id = m.annotation_id WHERE a.label = '${SOURCE_LABEL}'`,
    )
    .all() as { entityId: string; id: string; quote: string }[];
  for (const m of members) {
    const e = entities.get(m.entityId);
    if (!e) continue;
    e.members.push(m.id);
    e.score = Math.max(e.score, nameScore(mine, keyOf(wordingOf(m.quote))));
  }
  for (const [id, e] of entities)
    if (e.score >= MIN_SCORE) out.push({ kind: 'entity', id, text: e.name, annotationIds: e.members, score: e.score });

  const loose = db
    .prepare(
      `SELECT a.id, a.quote FROM annotations a INDEXED BY annotations_by_label WHERE a.label = '${SOURCE_LABEL}' AND a.id <> ? AND NOT EXISTS (SELECT 1 FROM source_entity_members m WHERE m.annotation_id = a.id) ORDER BY a.created_at, a.id`,
    )
    .all(source.id) as { id: string; quote: string }[];
  const byWording = new Map<string, { text: string; ids: string[] }>();
  for (const s of loose) {
    const text = wordingOf(s.quote);
    const key = text.toLocaleLowerCase();
    const w = byWording.get(key);
    if (w) w.ids.push(s.id);
    else byWording.set(key, { text, ids: [s.id] });
  }
  for (const w of byWording.values()) {
    const score = nameScore(mine, keyOf(w.text));
    if (score >= MIN_SCORE) out.push({ kind: 'wording', id: w.ids[0] as string, text: w.text, annotationIds: w.ids, score });
  }
  const kindRank = (s: EntitySuggestion) => (s.kind === 'entity' ? 0 : 1);
  out.sort(
    (a, b) =>
      b.score - a.score || kindRank(a) - kindRank(b) || b.annotationIds.length - a.annotationIds.length || a.text.localeCompare(b.text),
  );
  return out.slice(0, limit);
}
