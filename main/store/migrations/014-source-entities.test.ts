import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support.js';
import { openDatabase } from '../database.js';
import { MIGRATIONS } from './index.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

describe('migration 14', () => {
  it('adds source entities to a version 13 library, and logs the claims table rows their changes touch', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'v14.db');
    const old = openDatabase(file, MIGRATIONS.slice(0, 13));
    old
      .prepare(
        "INSERT INTO articles (id, title, text, length, content_hash, imported_at) VALUES (1, 't', 'Rubio said so. Rubio again.', 27, 'h', 'now')",
      )
      .run();
    const ann = old.prepare(
      "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES (?, 1, ?, ?, ?, '', '', ?, 'Dana', '', 'now', 'now')",
    );
    ann.run('src', 0, 5, 'Rubio', 'source');
    ann.run('grouped', 6, 13, 'said so', 'claim');
    ann.run('loose', 15, 27, 'Rubio again', 'claim');
    old
      .prepare(
        "INSERT INTO source_links (id, claim_id, source_id, kind, annotator, created_at) VALUES ('l1', 'grouped', 'src', 'direct', 'Dana', 'now'), ('l2', 'loose', 'src', 'direct', 'Dana', 'now')",
      )
      .run();
    old
      .prepare(
        "INSERT INTO claim_groups (id, canonical, note, created_by, created_at, updated_at) VALUES ('grp', 'said so', '', 'Dana', 'now', 'now')",
      )
      .run();
    old
      .prepare("INSERT INTO claim_group_members (annotation_id, group_id, added_by, added_at) VALUES ('grouped', 'grp', 'Dana', 'now')")
      .run();
    old.close();

    const v14 = openDatabase(file, MIGRATIONS.slice(0, 14));
    expect(v14.prepare('SELECT count(*) FROM source_entities').pluck().get()).toBe(0);
    const logged = () =>
      v14.prepare('SELECT DISTINCT group_id FROM claims_changes WHERE seq > ? ORDER BY group_id').pluck().all(top) as string[];
    let top = v14.prepare('SELECT coalesce(max(seq), 0) FROM claims_changes').pluck().get() as number;
    v14
      .prepare(
        "INSERT INTO source_entities (id, name, created_by, created_at, updated_at) VALUES ('e1', 'Marco Rubio', 'Dana', 'now', 'now')",
      )
      .run();
    v14
      .prepare("INSERT INTO source_entity_members (annotation_id, entity_id, added_by, added_at) VALUES ('src', 'e1', 'Dana', 'now')")
      .run();
    expect(logged()).toEqual(['grp', 'span:1:15:27', 'span:1:6:13']);
    top = v14.prepare('SELECT max(seq) FROM claims_changes').pluck().get() as number;
    v14.prepare("UPDATE source_entities SET name = 'Rubio, Marco' WHERE id = 'e1'").run();
    expect(logged()).toEqual(['grp', 'span:1:15:27', 'span:1:6:13']);
    top = v14.prepare('SELECT max(seq) FROM claims_changes').pluck().get() as number;
    // Deleting the entity takes its memberships with it, and that is logged too.
    v14.prepare("DELETE FROM source_entities WHERE id = 'e1'").run();
    expect(logged()).toEqual(['grp', 'span:1:15:27', 'span:1:6:13']);
    expect(v14.prepare('SELECT count(*) FROM source_entity_members').pluck().get()).toBe(0);
    v14.close();
  });
});
