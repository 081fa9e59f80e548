import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/database.js';
import { countArticles, insertArticle } from '../store/articles.js';
import { parsePlainArticle } from './plain.js';

/**
 * Imports the bundled sample corpus into an empty database, once. Returns the
 * number of articles stored (0 when the database already had articles).
 */
export function importSeedsIfEmpty(db: Db, seedsDir: string): number {
  if (countArticles(db) > 0) return 0;
  const files = readdirSync(seedsDir)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  let stored = 0;
  db.transaction(() => {
    for (const f of files) {
      const parsed = parsePlainArticle(readFileSync(join(seedsDir, f), 'utf8'));
      if (!insertArticle(db, { ...parsed, fileName: f }).duplicate) stored++;
    }
  })();
  return stored;
}
