import type { Database } from 'better-sqlite3';
import { DEFAULT_LABELS } from '../../../shared/labels.js';

/** Version 1: settings, labels, articles and annotations. Never edit once shipped. */
export function migration001(db: Database): void {
  db.exec(`
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE labels (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      color       TEXT NOT NULL,
      shortcut    TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      position    INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE articles (
      id           INTEGER PRIMARY KEY,
      title        TEXT NOT NULL,
      outlet       TEXT,
      url          TEXT,
      published_at TEXT,
      file_name    TEXT,
      text         TEXT NOT NULL,
      length       INTEGER NOT NULL,          -- code points
      content_hash TEXT NOT NULL UNIQUE,      -- sha256 of the canonical text
      imported_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE annotations (
      id          TEXT PRIMARY KEY,            -- UUID
      article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
      start       INTEGER NOT NULL,            -- code points, inclusive
      end         INTEGER NOT NULL,            -- code points, exclusive
      quote       TEXT NOT NULL,
      prefix      TEXT NOT NULL,
      suffix      TEXT NOT NULL,
      label       TEXT NOT NULL REFERENCES labels(id),
      annotator   TEXT NOT NULL,
      note        TEXT NOT NULL DEFAULT '',
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL,
      CHECK (start >= 0 AND end > start)
    ) STRICT;
    CREATE INDEX annotations_by_article ON annotations(article_id, start, end);
    CREATE INDEX annotations_by_label ON annotations(label);
  `);
  const insert = db.prepare('INSERT INTO labels (id, name, color, shortcut, description, position) VALUES (?, ?, ?, ?, ?, ?)');
  DEFAULT_LABELS.forEach((l, i) => insert.run(l.id, l.name, l.color, l.shortcut, l.description, i));
}
