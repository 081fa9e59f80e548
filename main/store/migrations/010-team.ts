import type { Database } from 'better-sqlite3';

/**
 * Version 10: the team workspace's local side.
 *
 * - `team_link`: the workspace this library is joined to (its URL without
 *   the password, the member, the pull position, when it last synced).
 * - `team_outbox`: what changed locally since the last push, written by
 *   triggers so that every writer (the API, the import worker, a bundle
 *   import, the CLI) is covered without knowing about the team. An entry
 *   names a row (and, for the shared groups and labels, the field that
 *   changed, with the time, for last-writer-wins); the push reads the row's
 *   state when it runs: present is an upsert, absent a tombstone.
 * - `team_applying`: holds a row while a pull applies colleagues' changes,
 *   which the triggers then leave out of the outbox.
 * - `team_refused`: changes the server refused (a colleague's row, a
 *   constraint), kept and shown until the analyst dismisses them.
 * - Group history entries and adjudications get a `uid`, the stable id they
 *   travel under (their integer ids are local).
 *
 * The triggers record nothing until a library joins a workspace. Never edit
 * once shipped.
 */
export function migration010(db: Database): void {
  const now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
  const when = 'EXISTS (SELECT 1 FROM team_link) AND NOT EXISTS (SELECT 1 FROM team_applying)';
  const out = (kind: string, ref: string, field = "''") =>
    `INSERT INTO team_outbox (kind, ref, field, at) VALUES ('${kind}', ${ref}, ${field}, ${now});`;
  const trigger = (name: string, event: string, table: string, body: string, extra = '') =>
    `CREATE TRIGGER team_${name} AFTER ${event} ON ${table} WHEN ${when}${extra} BEGIN ${body} END;`;
  db.exec(`
    CREATE TABLE team_link (
      id              INTEGER PRIMARY KEY CHECK (id = 1),
      url             TEXT NOT NULL,          -- without the password
      member          TEXT NOT NULL,
      reviewer        INTEGER NOT NULL,
      cursor          TEXT NOT NULL DEFAULT '0',
      joined_at       TEXT NOT NULL,
      last_synced_at  TEXT
    ) STRICT;

    CREATE TABLE team_outbox (
      seq    INTEGER PRIMARY KEY AUTOINCREMENT,
      kind   TEXT NOT NULL,
      ref    TEXT NOT NULL,
      field  TEXT NOT NULL DEFAULT '',
      at     TEXT NOT NULL
    ) STRICT;

    CREATE TABLE team_applying (flag INTEGER) STRICT;

    CREATE TABLE team_refused (
      id      INTEGER PRIMARY KEY,
      kind    TEXT NOT NULL,
      ref     TEXT NOT NULL,
      what    TEXT NOT NULL,
      reason  TEXT NOT NULL,
      at      TEXT NOT NULL
    ) STRICT;

    ALTER TABLE claim_group_history ADD COLUMN uid TEXT;
    UPDATE claim_group_history SET uid = lower(hex(randomblob(16)));
    CREATE UNIQUE INDEX claim_group_history_by_uid ON claim_group_history(uid);
    CREATE TRIGGER claim_group_history_uid AFTER INSERT ON claim_group_history WHEN NEW.uid IS NULL BEGIN
      UPDATE claim_group_history SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id;
    END;

    ALTER TABLE adjudications ADD COLUMN uid TEXT;
    UPDATE adjudications SET uid = lower(hex(randomblob(16)));
    CREATE UNIQUE INDEX adjudications_by_uid ON adjudications(uid);
    CREATE TRIGGER adjudications_uid AFTER INSERT ON adjudications WHEN NEW.uid IS NULL BEGIN
      UPDATE adjudications SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id;
    END;

    ${trigger('article_insert', 'INSERT', 'articles', out('article', 'NEW.content_hash'))}
    ${trigger('annotation_insert', 'INSERT', 'annotations', out('annotation', 'NEW.id'))}
    ${trigger('annotation_update', 'UPDATE OF start, end, quote, prefix, suffix, label, note, annotator', 'annotations', out('annotation', 'NEW.id'))}
    ${trigger('annotation_delete', 'DELETE', 'annotations', out('annotation', 'OLD.id'))}
    ${trigger('link_insert', 'INSERT', 'source_links', out('link', 'NEW.id'))}
    ${trigger('link_update', 'UPDATE OF kind', 'source_links', out('link', 'NEW.id'))}
    ${trigger('link_delete', 'DELETE', 'source_links', out('link', 'OLD.id'))}
    ${trigger('group_insert', 'INSERT', 'claim_groups', out('group', 'NEW.id'))}
    ${trigger('group_canonical', 'UPDATE OF canonical', 'claim_groups', out('group', 'NEW.id', "'canonical'"), ' AND NEW.canonical IS NOT OLD.canonical')}
    ${trigger('group_note', 'UPDATE OF note', 'claim_groups', out('group', 'NEW.id', "'note'"), ' AND NEW.note IS NOT OLD.note')}
    ${trigger('group_delete', 'DELETE', 'claim_groups', out('group', 'OLD.id'))}
    ${trigger('member_insert', 'INSERT', 'claim_group_members', out('member', 'NEW.annotation_id'))}
    ${trigger('member_update', 'UPDATE OF group_id', 'claim_group_members', out('member', 'NEW.annotation_id'))}
    ${trigger('member_delete', 'DELETE', 'claim_group_members', out('member', 'OLD.annotation_id'))}
    ${trigger('history_insert', 'INSERT', 'claim_group_history', out('history', 'NEW.id'))}
    ${trigger('label_insert', 'INSERT', 'labels', out('label', 'NEW.id'))}
    ${['name', 'color', 'shortcut', 'description']
      .map((f) => trigger(`label_${f}`, `UPDATE OF ${f}`, 'labels', out('label', 'NEW.id', `'${f}'`), ` AND NEW.${f} IS NOT OLD.${f}`))
      .join('\n    ')}
    ${trigger('label_delete', 'DELETE', 'labels', out('label', 'OLD.id'))}
    ${trigger('adjudication_insert', 'INSERT', 'adjudications', out('adjudication', 'NEW.id'))}
    ${trigger('gold_origin_insert', 'INSERT', 'gold_origins', out('gold_origin', 'NEW.gold_id'))}
    ${trigger('gold_origin_delete', 'DELETE', 'gold_origins', out('gold_origin', 'OLD.gold_id'))}
  `);
}
