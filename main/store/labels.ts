import type { Label } from '../../shared/schemas.js';
import type { Db } from './database.js';

export function listLabels(db: Db): Label[] {
  return db.prepare('SELECT id, name, color, shortcut, description FROM labels ORDER BY position, id').all() as Label[];
}

export function labelExists(db: Db, id: string): boolean {
  return db.prepare('SELECT 1 FROM labels WHERE id = ?').get(id) !== undefined;
}
