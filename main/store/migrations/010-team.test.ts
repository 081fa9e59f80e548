import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../../test-support.js';
import { openDatabase } from '../database.js';
import { linkTeam } from '../team.js';
import { MIGRATIONS } from './index.js';

const VERSION = MIGRATIONS.findIndex((m) => m.up.name === 'migration010') + 1;
const dirs: (() => void)[] = [];
afterEach(() => dirs.splice(0).forEach((c) => c()));
function dbFile(): string {
  const { dir, cleanup } = tempDir();
  dirs.push(cleanup);
  return join(dir, 'claimdesk.db');
}

describe('migration 10 (team workspace)', () => {
  it('gives existing history and decisions a uid, and records changes only once the library joins a workspace', () => {
    const file = dbFile();
    const before = openDatabase(file, MIGRATIONS.slice(0, VERSION - 1));
    before
      .prepare("INSERT INTO articles (id, title, text, length, content_hash, imported_at) VALUES (1, 't', 'Rubio said so', 13, 'h', 'now')")
      .run();
    before
      .prepare(
        "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, created_at, updated_at) VALUES ('c', 1, 6, 13, 'said so', 'Rubio ', '', 'claim', 'Alice', 'now', 'now')",
      )
      .run();
    before.prepare("INSERT INTO claim_group_history (group_id, action, actor, at) VALUES ('g', 'create', 'Alice', 'now')").run();
    before
      .prepare(
        "INSERT INTO adjudications (article_id, item_key, kind, annotator_a, annotator_b, decision, reviewer, at) VALUES (1, '1:k', 'agreed', 'Alice', 'Bob', 'accept_a', 'Rev', 'now')",
      )
      .run();
    before.close();

    const db = openDatabase(file, MIGRATIONS.slice(0, VERSION));
    expect(db.pragma('user_version', { simple: true })).toBe(VERSION);
    expect(db.prepare('SELECT uid FROM claim_group_history').get()).toEqual({ uid: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(db.prepare('SELECT uid FROM adjudications').get()).toEqual({ uid: expect.stringMatching(/^[0-9a-f]{32}$/) });
    // Not in a workspace: nothing is recorded.
    db.prepare("UPDATE annotations SET note = 'x' WHERE id = 'c'").run();
    expect(db.prepare('SELECT count(*) AS n FROM team_outbox').get()).toEqual({ n: 0 });

    linkTeam(db, { url: 'postgres://alice@host/team', member: 'Alice', reviewer: false, now: '2026-01-01T00:00:00.000Z' });
    const queued = db.prepare('SELECT kind, ref FROM team_outbox ORDER BY seq').all();
    expect(queued).toEqual(
      expect.arrayContaining([
        { kind: 'article', ref: 'h' },
        { kind: 'annotation', ref: 'c' },
        { kind: 'label', ref: 'claim' },
      ]),
    );
    db.prepare('DELETE FROM team_outbox').run();

    db.prepare("UPDATE annotations SET label = 'opinion' WHERE id = 'c'").run();
    db.prepare(
      "INSERT INTO claim_groups (id, canonical, created_by, created_at, updated_at) VALUES ('g2', 'x', 'Alice', 'now', 'now')",
    ).run();
    db.prepare("UPDATE claim_groups SET canonical = 'y' WHERE id = 'g2'").run();
    db.prepare("DELETE FROM annotations WHERE id = 'c'").run();
    expect(db.prepare('SELECT kind, ref, field FROM team_outbox ORDER BY seq').all()).toEqual([
      { kind: 'annotation', ref: 'c', field: '' },
      { kind: 'group', ref: 'g2', field: '' },
      { kind: 'group', ref: 'g2', field: 'canonical' },
      { kind: 'annotation', ref: 'c', field: '' },
    ]);
    // What a pull applies is not sent back.
    db.prepare('DELETE FROM team_outbox').run();
    db.prepare('INSERT INTO team_applying (flag) VALUES (1)').run();
    db.prepare("UPDATE claim_groups SET canonical = 'z' WHERE id = 'g2'").run();
    db.prepare('DELETE FROM team_applying').run();
    expect(db.prepare('SELECT count(*) AS n FROM team_outbox').get()).toEqual({ n: 0 });
    db.close();
  });
});
