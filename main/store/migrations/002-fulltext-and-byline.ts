import type { Database } from 'better-sqlite3';

/**
 * Version 2: the article's byline, and a full-text index (FTS5) over titles and
 * texts kept in step with `articles` by triggers. Never edit once shipped.
 */
export function migration002(db: Database): void {
  db.exec(`
    ALTER TABLE articles ADD COLUMN byline TEXT;

    CREATE VIRTUAL TABLE articles_fts USING fts5(
      title, text, outlet,
      content = 'articles', content_rowid = 'id',
      tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts (rowid, title, text, outlet) SELECT id, title, text, coalesce(outlet, '') FROM articles;

    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
      INSERT INTO articles_fts (rowid, title, text, outlet) VALUES (new.id, new.title, new.text, coalesce(new.outlet, ''));
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
      INSERT INTO articles_fts (articles_fts, rowid, title, text, outlet) VALUES ('delete', old.id, old.title, old.text, coalesce(old.outlet, ''));
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, outlet ON articles BEGIN
      INSERT INTO articles_fts (articles_fts, rowid, title, text, outlet) VALUES ('delete', old.id, old.title, old.text, coalesce(old.outlet, ''));
      INSERT INTO articles_fts (rowid, title, text, outlet) VALUES (new.id, new.title, new.text, coalesce(new.outlet, ''));
    END;

    CREATE INDEX articles_by_outlet ON articles(outlet);
    CREATE INDEX articles_by_published ON articles(published_at);
  `);
}
