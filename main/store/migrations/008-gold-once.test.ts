import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support.js';
import { openDatabase } from '../database.js';
import { MIGRATIONS } from './index.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

describe('migration 8', () => {
  it('merges gold tags written twice into the first, re-keys decisions by the pair, and refuses a duplicate afterwards', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'v7.db');
    const v7 = openDatabase(file, MIGRATIONS.slice(0, 7));
    v7.prepare(
      "INSERT INTO articles (id, title, text, length, content_hash, imported_at) VALUES (1, 't', 'Rubio said so', 13, 'h', 'now')",
    ).run();
    const ann = v7.prepare(
      "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES (?, 1, ?, ?, '', '', '', ?, ?, '', 'now', 'now')",
    );
    ann.run('zz-alice', 6, 13, 'claim', 'Alice');
    ann.run('aa-bob', 6, 13, 'claim', 'Bob');
    ann.run('src', 0, 5, 'source', 'gold');
    ann.run('g1', 6, 13, 'claim', 'gold');
    ann.run('g2', 6, 13, 'claim', 'gold');
    v7.prepare(
      "INSERT INTO source_links (id, claim_id, source_id, kind, annotator, created_at) VALUES ('l2', 'g2', 'src', 'direct', 'r', 'now')",
    ).run();
    v7.prepare(
      "INSERT INTO claim_groups (id, canonical, note, created_by, created_at, updated_at) VALUES ('grp', 'said so', '', 'r', 'now', 'now')",
    ).run();
    v7.prepare("INSERT INTO claim_group_members (annotation_id, group_id, added_by, added_at) VALUES ('g2', 'grp', 'r', 'now')").run();
    const adj = v7.prepare(
      "INSERT INTO adjudications (article_id, item_key, kind, annotator_a, annotator_b, a_id, b_id, decision, reviewer, at, gold_ids) VALUES (1, ?, 'agreed', ?, ?, ?, ?, 'accept_a', 'r', 'now', ?)",
    );
    adj.run('1:zz-alice:aa-bob', 'Alice', 'Bob', 'zz-alice', 'aa-bob', '["g1"]');
    adj.run('1:aa-bob:zz-alice', 'Bob', 'Alice', 'aa-bob', 'zz-alice', '["g2"]');
    v7.close();

    const v8 = openDatabase(file, MIGRATIONS.slice(0, 8));
    expect(v8.prepare("SELECT id FROM annotations WHERE annotator = 'gold' ORDER BY id").all()).toEqual([{ id: 'g1' }, { id: 'src' }]);
    expect(
      v8
        .prepare('SELECT claim_id, source_id, claim_n = (SELECT n FROM annotations WHERE id = claim_id) AS numbered FROM source_links')
        .all(),
    ).toEqual([{ claim_id: 'g1', source_id: 'src', numbered: 1 }]);
    expect(v8.prepare('SELECT annotation_id FROM claim_group_members').all()).toEqual([{ annotation_id: 'g1' }]);
    expect(v8.prepare('SELECT item_key, gold_ids FROM adjudications ORDER BY id').all()).toEqual([
      { item_key: '1:aa-bob:zz-alice', gold_ids: '["g1"]' },
      { item_key: '1:aa-bob:zz-alice', gold_ids: '["g1"]' },
    ]);
    expect(() =>
      v8
        .prepare(
          "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES ('g3', 1, 6, 13, '', '', '', 'claim', 'gold', '', 'now', 'now')",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    // Other annotators may still tag the same span twice (the app prevents it; it is not a data rule for them).
    v8.prepare(
      "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES ('a2', 1, 6, 13, '', '', '', 'claim', 'Alice', '', 'now', 'now')",
    ).run();
    v8.close();
  });
});
