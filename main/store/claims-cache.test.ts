/**
 * The claims table kept in memory is patched from the change log after each
 * change: after any sequence of changes, by this connection or another one,
 * it must equal the table built from scratch.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { insertAnnotation, deleteAnnotation, updateAnnotation } from './annotations.js';
import { deleteArticle, insertArticle, updateArticleMetadata } from './articles.js';
import { claimRows } from './claims.js';
import { CLAIM_ROWS_FORMAT, ClaimRowsCache } from './claims-cache.js';
import { restoreBackup } from './restore.js';
import { CLAIMS_CHANGES_KEPT, openDatabase, type Db } from './database.js';
import { deleteGroup, insertGroup, moveMembers, removeMembership, setMembership, updateGroup } from './groups.js';
import { deleteLabelReassigning, insertLabel } from './labels.js';
import { deleteLink, insertLink, setLinkKind } from './links.js';
import { tempDir } from '../test-support.js';

const T = '2026-01-01T00:00:00.000Z';
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function open(): { file: string; db: Db } {
  const dir = tempDir();
  const file = join(dir.dir, 'claims.db');
  const db = openDatabase(file);
  cleanups.push(() => {
    db.close();
    dir.cleanup();
  });
  return { file, db };
}

/** A small library: articles with claims and sources (names differing only in case and spacing), links and groups. */
function seed(db: Db, random: () => number): void {
  const names = ['Rubio', 'rubio', 'an  EU diplomat', 'An EU diplomat', 'Politico', 'Zelenskyy'];
  const groups = Array.from({ length: 4 }, (_, g) => {
    const id = randomUUID();
    insertGroup(db, { id, canonical: `Group ${g}`, note: '', createdBy: 'Dana', at: `2026-01-0${g + 1}T00:00:00.000Z` });
    return id;
  });
  for (let a = 0; a < 5; a++) {
    const text = Array.from({ length: 12 }, (_, k) => `word${k}`).join(' ');
    const articleId = insertArticle(
      db,
      {
        title: `Article ${a}`,
        text,
        outlet: a % 3 === 0 ? null : `Outlet ${a % 3}`,
        publishedAt: `2025-0${a + 1}-01T00:00:00.000Z`,
        fileName: null,
      },
      T,
    ).id;
    const span = (k: number) => {
      const start = text.indexOf(`word${k}`);
      return { start, end: start + `word${k}`.length, quote: `word${k}` };
    };
    const sources = [0, 1].map((k) => {
      const id = randomUUID();
      insertAnnotation(db, {
        id,
        articleId,
        ...span(k),
        prefix: '',
        suffix: '',
        label: 'source',
        annotator: 'Dana',
        note: '',
        createdAt: T,
        updatedAt: T,
      });
      // The quote is what the table names a source by; give it one of the look-alike names.
      db.prepare('UPDATE annotations SET quote = ? WHERE id = ?').run(names[Math.floor(random() * names.length)], id);
      return id;
    });
    for (let k = 2; k < 6; k++) {
      const id = randomUUID();
      insertAnnotation(db, {
        id,
        articleId,
        ...span(k),
        prefix: '',
        suffix: '',
        label: 'claim',
        annotator: k % 2 ? 'Dana' : 'Sam',
        note: '',
        createdAt: T,
        updatedAt: T,
      });
      if (random() < 0.8) setMembership(db, id, groups[Math.floor(random() * groups.length)] as string, 'Dana', T);
      if (random() < 0.7)
        insertLink(db, {
          id: randomUUID(),
          claimId: id,
          sourceId: sources[k % 2] as string,
          kind: k % 3 ? 'direct' : 'paraphrase',
          annotator: 'Dana',
          createdAt: T,
        });
      if (
        random() < 0.4 &&
        !db
          .prepare("SELECT 1 FROM annotations WHERE article_id = ? AND start = ? AND label = 'claim' AND annotator = 'gold'")
          .get(articleId, span(k).start)
      ) {
        // The same claim in the gold layer (a review accepted it), grouped or not: counted once.
        const gold = randomUUID();
        insertAnnotation(db, {
          id: gold,
          articleId,
          ...span(k),
          prefix: '',
          suffix: '',
          label: 'claim',
          annotator: 'gold',
          note: '',
          createdAt: T,
          updatedAt: T,
        });
        if (random() < 0.5) setMembership(db, gold, groups[Math.floor(random() * groups.length)] as string, 'Dana', T);
      }
    }
  }
}

const pick = <T>(db: Db, sql: string, random: () => number): T | undefined => {
  const rows = db.prepare(sql).all() as T[];
  return rows[Math.floor(random() * rows.length)];
};

/** One random change of any kind a user, an import or a review can make. */
function change(db: Db, random: () => number): void {
  const kind = Math.floor(random() * 14);
  const claim = pick<{ id: string; article_id: number }>(db, "SELECT id, article_id FROM annotations WHERE label = 'claim'", random);
  const group = pick<{ id: string }>(db, 'SELECT id FROM claim_groups', random);
  const link = pick<{ id: string }>(db, 'SELECT id FROM source_links', random);
  const article = pick<{ id: number }>(db, 'SELECT id FROM articles', random);
  switch (kind) {
    case 0:
      if (claim && group) setMembership(db, claim.id, group.id, 'Sam', T);
      break;
    case 1:
      if (claim) removeMembership(db, claim.id);
      break;
    case 2: {
      const id = randomUUID();
      insertGroup(db, {
        id,
        canonical: `New ${id.slice(0, 4)}`,
        note: '',
        createdBy: 'Sam',
        at: random() < 0.5 ? '2026-01-02T00:00:00.000Z' : '2027-01-01T00:00:00.000Z',
      });
      if (claim) setMembership(db, claim.id, id, 'Sam', T);
      break;
    }
    case 3:
      if (group) updateGroup(db, group.id, { canonical: `Renamed ${Math.floor(random() * 100)}` }, T);
      break;
    case 4:
      if (group) deleteGroup(db, group.id);
      break;
    case 5: {
      const other = pick<{ id: string }>(db, 'SELECT id FROM claim_groups', random);
      if (group && other && other.id !== group.id) moveMembers(db, group.id, other.id);
      break;
    }
    case 6: {
      const source =
        claim && pick<{ id: string }>(db, `SELECT id FROM annotations WHERE label = 'source' AND article_id = ${claim.article_id}`, random);
      if (claim && source && !db.prepare('SELECT 1 FROM source_links WHERE claim_id = ? AND source_id = ?').get(claim.id, source.id)) {
        insertLink(db, { id: randomUUID(), claimId: claim.id, sourceId: source.id, kind: 'unnamed', annotator: 'Sam', createdAt: T });
      }
      break;
    }
    case 7:
      if (link && random() < 0.5) deleteLink(db, link.id);
      else if (link) setLinkKind(db, link.id, 'unnamed');
      break;
    case 8: {
      const source = pick<{ id: string }>(db, "SELECT id FROM annotations WHERE label = 'source'", random);
      if (source)
        db.prepare('UPDATE annotations SET quote = ? WHERE id = ?').run(random() < 0.5 ? 'ZELENSKYY ' : 'A new source', source.id);
      break;
    }
    case 9:
      if (claim && random() < 0.5) deleteAnnotation(db, claim.id);
      else if (claim) updateAnnotation(db, claim.id, { label: 'opinion' }, T);
      break;
    case 10:
      if (article) {
        // One field at a time: each must reach the table on its own.
        const field = Math.floor(random() * 3);
        updateArticleMetadata(
          db,
          article.id,
          field === 0
            ? { outlet: random() < 0.5 ? null : `Outlet ${Math.floor(random() * 9)}` }
            : field === 1
              ? { publishedAt: random() < 0.3 ? null : '2024-12-31T00:00:00.000Z' }
              : { title: `Retitled ${article.id}` },
        );
      }
      break;
    case 11:
      if (article && random() < 0.3) deleteArticle(db, article.id);
      break;
    case 12: {
      const source = pick<{ id: string }>(db, "SELECT id FROM annotations WHERE label = 'source'", random);
      if (source) deleteAnnotation(db, source.id);
      break;
    }
    default: {
      // A label removed with its tags moved to another (claims can turn into a custom label and back).
      if (!db.prepare("SELECT 1 FROM labels WHERE id = 'evidence'").get())
        insertLabel(db, { id: 'evidence', name: 'Evidence', color: '#888888', shortcut: '', description: '' });
      deleteLabelReassigning(db, 'evidence', 'claim');
    }
  }
}

/** Every annotation and group has a number of its own, and members and links carry the numbers of the rows they name (schema version 7). */
function expectNumbered(db: Db): void {
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  expect(count('SELECT count(*) - count(DISTINCT n) FROM annotations')).toBe(0);
  expect(count('SELECT count(*) - count(DISTINCT n) FROM claim_groups')).toBe(0);
  expect(
    count(`SELECT count(*) FROM claim_group_members m JOIN annotations a ON a.id = m.annotation_id JOIN claim_groups g ON g.id = m.group_id
           WHERE m.annotation_n IS NOT a.n OR m.group_n IS NOT g.n`),
  ).toBe(0);
  expect(
    count(`SELECT count(*) FROM source_links l JOIN annotations c ON c.id = l.claim_id JOIN annotations s ON s.id = l.source_id
           WHERE l.claim_n IS NOT c.n OR l.source_n IS NOT s.n`),
  ).toBe(0);
}

describe('the claims table kept in memory', () => {
  it('equals the table built from scratch after any sequence of changes, and rebuilds only the changed groups', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
        (seedValue, batches) => {
          let state = seedValue;
          const random = () => (state = (Math.imul(state, 48271) >>> 0) % 2147483647) / 2147483647;
          const { db } = open();
          seed(db, random);
          const cache = new ClaimRowsCache();
          expect(cache.rows(db)).toEqual(claimRows(db));
          expect(cache.lastRefresh).toBe('full');
          // One layer's table, kept in memory only, patched from the same log.
          const sams = new ClaimRowsCache('Sam');
          expect(sams.rows(db)).toEqual(claimRows(db, 'Sam'));
          for (const size of batches) {
            db.transaction(() => {
              for (let i = 0; i < size; i++) change(db, random);
            })();
            if (random() < 0.3) {
              // A host starting now reads the saved rows and applies the batch to them.
              const restarted = new ClaimRowsCache();
              expect(restarted.rows(db)).toEqual(claimRows(db));
              expect(restarted.lastRefresh).toBe('saved');
            }
            expect(cache.rows(db)).toEqual(claimRows(db));
            // 'none' when the batch happened to change nothing; 'saved' after a restarted host saved its own rows.
            expect(cache.lastRefresh).not.toBe('full');
            expect(cache.rows(db)).toEqual(claimRows(db));
            expect(cache.lastRefresh).toBe('none');
            expect(sams.rows(db)).toEqual(claimRows(db, 'Sam'));
            expect(sams.lastRefresh).not.toBe('full');
            expectNumbered(db);
          }
        },
      ),
      { numRuns: 60 },
    );
    // Sixty fresh databases, each written with synchronous=FULL: far longer than vitest's default on a loaded machine.
  }, 180_000);

  it('sees changes made by another connection, and rebuilds everything when its place in the log was trimmed away', () => {
    const { file, db } = open();
    let state = 7;
    const random = () => (state = (Math.imul(state, 48271) >>> 0) % 2147483647) / 2147483647;
    seed(db, random);
    const cache = new ClaimRowsCache();
    cache.rows(db);
    const other = openDatabase(file);
    cleanups.unshift(() => other.close());
    for (let i = 0; i < 10; i++) change(other, random);
    expect(cache.rows(db)).toEqual(claimRows(db));
    expect(cache.lastRefresh).toBe('incremental');

    // The log trimmed past the cache's position (as when a database is opened after many changes).
    change(other, random);
    updateGroup(other, (other.prepare('SELECT id FROM claim_groups LIMIT 1').get() as { id: string }).id, { canonical: 'Trimmed away' }, T);
    other.prepare('DELETE FROM claims_changes').run();
    expect(cache.rows(db)).toEqual(claimRows(db));
    expect(cache.lastRefresh).toBe('full');
    expect(cache.rows(db).some((r) => r.canonical === 'Trimmed away')).toBe(true);
  });

  it('keeps the newest entries of the log when a database is opened', () => {
    const { file, db } = open();
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CLAIMS_CHANGES_KEPT + 500}) INSERT INTO claims_changes (group_id) SELECT 'g' || i FROM n`,
    ).run();
    const reopened = openDatabase(file);
    cleanups.unshift(() => reopened.close());
    expect(reopened.prepare('SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM claims_changes').get()).toEqual({
      n: CLAIMS_CHANGES_KEPT,
      lo: 501,
      hi: CLAIMS_CHANGES_KEPT + 500,
    });
  });

  it('logs nothing for changes that cannot alter the table', () => {
    const { db } = open();
    const articleId = insertArticle(db, { title: 'Plain', text: 'one two three', fileName: null }, T).id;
    insertAnnotation(db, {
      id: randomUUID(),
      articleId,
      start: 0,
      end: 3,
      quote: 'one',
      prefix: '',
      suffix: '',
      label: 'opinion',
      annotator: 'Dana',
      note: '',
      createdAt: T,
      updatedAt: T,
    });
    updateArticleMetadata(db, articleId, { url: 'https://example.org/' });
    expect(db.prepare('SELECT count(*) AS n FROM claims_changes').get()).toEqual({ n: 0 });
  });
});

describe('the claims table saved with the database', () => {
  const seeded = (seedValue: number) => {
    const opened = open();
    let state = seedValue;
    const random = () => (state = (Math.imul(state, 48271) >>> 0) % 2147483647) / 2147483647;
    seed(opened.db, random);
    return { ...opened, random };
  };

  it('is where the next host starts: its rows, patched with the changes since they were saved', () => {
    const { file, db, random } = seeded(11);
    const first = new ClaimRowsCache();
    first.rows(db);
    expect(db.prepare('SELECT count(*) AS n FROM claim_rows_saved').get()).toEqual({ n: 4 });
    for (let i = 0; i < 6; i++) change(db, random);
    db.close();
    const reopened = openDatabase(file);
    cleanups.unshift(() => reopened.close());
    const next = new ClaimRowsCache();
    expect(next.rows(reopened)).toEqual(claimRows(reopened));
    expect(next.lastRefresh).toBe('saved');
    // What it saved is the current table: a third host has nothing to patch.
    const third = new ClaimRowsCache();
    expect(third.rows(reopened)).toEqual(claimRows(reopened));
    expect(third.lastRefresh).toBe('saved');
  });

  it('follows a restore of an older backup, and of a newer one from another line of changes', async () => {
    const { file, db } = seeded(23);
    const [g1, g2] = db.prepare('SELECT id FROM claim_groups ORDER BY created_at').pluck().all() as [string, string];
    const cache = new ClaimRowsCache();
    cache.rows(db);
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const older = join(dir.dir, 'older.db');
    await db.backup(older);
    // Five logged changes, all to the first group.
    for (let i = 1; i <= 5; i++) updateGroup(db, g1, { canonical: i === 5 ? 'Only in the newer backup' : `Step ${i}` }, T);
    expect(cache.rows(db)).toEqual(claimRows(db));
    const newer = join(dir.dir, 'newer.db');
    await db.backup(newer);

    await restoreBackup(file, older, { live: db });
    expect(cache.rows(db)).toEqual(claimRows(db));
    // One change on another line: the newer backup's log runs past this position, but its entries are other changes.
    updateGroup(db, g2, { canonical: 'Only on the other line' }, T);
    expect(cache.rows(db)).toEqual(claimRows(db));

    await restoreBackup(file, newer, { live: db });
    expect(cache.rows(db)).toEqual(claimRows(db));
    expect(cache.rows(db).map((r) => r.canonical)).toContain('Only in the newer backup');
    expect(cache.rows(db).map((r) => r.canonical)).not.toContain('Only on the other line');
  });

  it('is rebuilt when damaged, of another layout, or out of step with the groups', () => {
    const { db } = seeded(5);
    new ClaimRowsCache().rows(db);
    const expectRebuilt = () => {
      const cache = new ClaimRowsCache();
      expect(cache.rows(db)).toEqual(claimRows(db));
      expect(cache.lastRefresh).toBe('full');
    };
    db.prepare("UPDATE claim_rows_saved SET row = '{not json' WHERE rowid = (SELECT min(rowid) FROM claim_rows_saved)").run();
    expectRebuilt();
    db.prepare('UPDATE claim_rows_state SET format = format + 1').run();
    expectRebuilt();
    expect(db.prepare('SELECT format FROM claim_rows_state').pluck().get()).toBe(CLAIM_ROWS_FORMAT);
    db.prepare('DELETE FROM claim_rows_saved WHERE rowid = (SELECT min(rowid) FROM claim_rows_saved)').run();
    expectRebuilt();
    db.prepare(
      "UPDATE claim_rows_saved SET row = json_set(row, '$.groupId', 'another') WHERE rowid = (SELECT max(rowid) FROM claim_rows_saved)",
    ).run();
    expectRebuilt();
  });

  it('is not waited for: a locked or read-only database answers from memory and keeps its older saved rows', () => {
    const { file, db, random } = seeded(31);
    new ClaimRowsCache().rows(db);
    const savedBefore = db.prepare('SELECT * FROM claim_rows_state').get();
    // Another connection holds the write lock (as the import worker does during a batch).
    const writer = openDatabase(file);
    cleanups.unshift(() => writer.close());
    for (let i = 0; i < 4; i++) change(writer, random);
    writer.prepare('BEGIN IMMEDIATE').run();
    const cache = new ClaimRowsCache();
    const started = Date.now();
    expect(cache.rows(db)).toEqual(claimRows(db));
    // The connection's busy timeout is 5 s: the save gave up at once instead.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.prepare('SELECT * FROM claim_rows_state').get()).toEqual(savedBefore);
    writer.prepare('COMMIT').run();

    const readOnly = new Database(file, { readonly: true });
    cleanups.unshift(() => readOnly.close());
    const viewer = new ClaimRowsCache();
    expect(viewer.rows(readOnly)).toEqual(claimRows(readOnly));
    expect(viewer.lastRefresh).toBe('saved');
    // The next change is still seen (from the saved rows again, as this cache could not save its own).
    change(writer, random);
    expect(viewer.rows(readOnly)).toEqual(claimRows(readOnly));
  });
});
