import type { Database } from 'better-sqlite3';

/**
 * Version 13: an article's title, outlet, URL and date, edited in a library
 * that is in a team workspace, go into the outbox by field with the time of
 * the edit, so the team's copy settles each field by the later edit (as for
 * claim groups and labels). Never edit once shipped.
 */
export function migration013(db: Database): void {
  const when = 'EXISTS (SELECT 1 FROM team_link) AND NOT EXISTS (SELECT 1 FROM team_applying)';
  const now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
  db.exec(
    ['title', 'outlet', 'url', 'published_at']
      .map(
        (f) => `CREATE TRIGGER team_article_${f} AFTER UPDATE OF ${f} ON articles WHEN ${when} AND NEW.${f} IS NOT OLD.${f} BEGIN
          INSERT INTO team_outbox (kind, ref, field, at) VALUES ('article', NEW.content_hash, '${f}', ${now});
        END;`,
      )
      .join('\n'),
  );
}
