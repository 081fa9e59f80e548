import type { Label } from '../../shared/schemas.js';
import type { Db } from './database.js';

export function listLabels(db: Db): Label[] {
  return db.prepare('SELECT id, name, color, shortcut, description FROM labels ORDER BY position, id').all() as Label[];
}

export function labelExists(db: Db, id: string): boolean {
  return db.prepare('SELECT 1 FROM labels WHERE id = ?').get(id) !== undefined;
}

export function getLabel(db: Db, id: string): Label | null {
  return (db.prepare('SELECT id, name, color, shortcut, description FROM labels WHERE id = ?').get(id) as Label | undefined) ?? null;
}

export function labelWithShortcut(db: Db, shortcut: string): Label | null {
  return (
    (db.prepare('SELECT id, name, color, shortcut, description FROM labels WHERE shortcut = ?').get(shortcut) as Label | undefined) ?? null
  );
}

export function insertLabel(db: Db, l: Label): void {
  const { n } = db.prepare('SELECT coalesce(max(position), -1) + 1 AS n FROM labels').get() as { n: number };
  db.prepare('INSERT INTO labels (id, name, color, shortcut, description, position) VALUES (?, ?, ?, ?, ?, ?)').run(
    l.id,
    l.name,
    l.color,
    l.shortcut,
    l.description,
    n,
  );
}

export function updateLabel(db: Db, id: string, changes: Partial<Omit<Label, 'id'>>): void {
  db.prepare(
    'UPDATE labels SET name = coalesce(?, name), color = coalesce(?, color), shortcut = coalesce(?, shortcut), description = coalesce(?, description) WHERE id = ?',
  ).run(changes.name ?? null, changes.color ?? null, changes.shortcut ?? null, changes.description ?? null, id);
}

export function labelUseCount(db: Db, id: string): number {
  return (db.prepare('SELECT count(*) AS n FROM annotations WHERE label = ?').get(id) as { n: number }).n;
}

/** Moves every annotation of `from` to `to`, then deletes `from`; returns how many moved. */
export function deleteLabelReassigning(db: Db, from: string, to: string | null): number {
  const moved = to ? db.prepare('UPDATE annotations SET label = ? WHERE label = ?').run(to, from).changes : 0;
  db.prepare('DELETE FROM labels WHERE id = ?').run(from);
  return moved;
}
