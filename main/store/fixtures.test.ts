/**
 * The committed databases at every past schema version (built by
 * scripts/make-fixture-dbs.ts) migrate to the current version with their
 * data, backed up first; a failing migration leaves them as they were.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support.js';
import { backupFolder, listBackups } from './backup.js';
import { claimRows } from './claims.js';
import { ClaimRowsCache } from './claims-cache.js';
import { openDatabase, SCHEMA_VERSION, type Db } from './database.js';
import { searchArticles } from './articles.js';
import { MIGRATIONS } from './migrations/index.js';
import { restoreBackup } from './restore.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const PAST_VERSIONS = Array.from({ length: SCHEMA_VERSION - 1 }, (_, i) => i + 1);

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

/** A copy of the fixture at `version` in a fresh folder: the committed file is never opened for writing. */
function copyOf(version: number): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const file = join(t.dir, 'claimdesk.db');
  copyFileSync(join(FIXTURES, `schema-v${version}.db`), file);
  return file;
}

const rows = (db: Db, sql: string) => db.prepare(sql).all();

/** What every fixture holds, whatever its version. */
function expectVersion1Data(db: Db): void {
  expect(rows(db, 'SELECT id, title, outlet FROM articles ORDER BY id')).toEqual([
    { id: 1, title: 'US urges Ukraine to sign peace deal before security guarantees', outlet: 'Politico' },
    { id: 2, title: 'Zelenskyy: no deal that rewards aggression', outlet: 'Kyiv Independent' },
  ]);
  const tags = rows(
    db,
    "SELECT a.start, a.end, a.quote, a.label, a.note, t.text FROM annotations a JOIN articles t ON t.id = a.article_id WHERE a.annotator = 'Dana Reyes' ORDER BY a.id",
  ) as {
    start: number;
    end: number;
    quote: string;
    label: string;
    note: string;
    text: string;
  }[];
  expect(tags.map((t) => t.label)).toEqual(['claim', 'source', 'opinion', 'claim', 'source', 'evidence']);
  // Offsets are code points, and still select each quote.
  for (const t of tags) expect([...t.text].slice(t.start, t.end).join('')).toBe(t.quote);
  expect(tags[5]).toMatchObject({ quote: 'naïve — 🇺🇦 flags', note: 'a custom label, with non-BMP characters' });
  expect(rows(db, "SELECT id, shortcut FROM labels WHERE id = 'evidence'")).toEqual([{ id: 'evidence', shortcut: '4' }]);
  expect(rows(db, "SELECT value FROM settings WHERE key = 'annotator'")).toEqual([{ value: 'Dana Reyes' }]);
}

describe('fixture databases', () => {
  it('exist for every past schema version, each at its version', () => {
    expect(
      readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.db'))
        .sort(),
    ).toEqual(PAST_VERSIONS.map((v) => `schema-v${v}.db`).sort());
    for (const v of PAST_VERSIONS) {
      const raw = new Database(join(FIXTURES, `schema-v${v}.db`), { readonly: true });
      expect(raw.pragma('user_version', { simple: true })).toBe(v);
      raw.close();
    }
  });

  describe.each(PAST_VERSIONS)('at schema version %i', (version) => {
    it('migrates to the current version with its data, after a backup of the old file', () => {
      const file = copyOf(version);
      const db = openDatabase(file);
      cleanups.unshift(() => db.close());
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expectVersion1Data(db);

      // What later migrations add works on the old data: full-text search (2), the claims table (3).
      expect(searchArticles(db, 'guarantees', 10).map((r) => r.id)).toEqual([1]);
      expect(searchArticles(db, 'naive', 10).map((r) => r.id)).toEqual([2]);
      expect(rows(db, 'SELECT byline FROM articles ORDER BY id')).toEqual(
        version >= 2 ? [{ byline: 'Jane Doe' }, { byline: null }] : [{ byline: null }, { byline: null }],
      );
      const table = claimRows(db)
        .filter((r) => r.groupId !== null)
        .map((r) => [r.canonical, r.articleCount, [...r.sources].sort(), [...r.kinds].sort()]);
      // Claims in no group have rows of their own (12).
      expect(
        claimRows(db)
          .filter((r) => r.groupId === null)
          .map((r) => r.instanceCount),
      ).toEqual(version >= 3 ? [] : [1, 1]);
      expect(table).toEqual(
        version >= 3 ? [['Peace deal before security guarantees', 2, ['Zelenskyy', 'a report by Politico'], ['direct', 'paraphrase']]] : [],
      );
      if (version >= 3) expect(claimRows(db)[0]?.note).toBe(version >= 5 ? 'disputed by Kyiv' : 'disputed');

      // Review (4): the decision and the gold annotation it wrote.
      expect(rows(db, 'SELECT decision, reviewer FROM adjudications ORDER BY id')).toEqual(
        version >= 4
          ? [{ decision: 'accept_a', reviewer: 'Rev' }, ...(version >= 7 ? [{ decision: 'accept_b', reviewer: 'Rev' }] : [])]
          : [],
      );
      // A decision belongs to the pair of tags whatever the A/B order (8): version 7's second decision, made with A and B
      // the other way round, has the first one's key, and the gold copy it wrote twice is one.
      expect(rows(db, 'SELECT DISTINCT item_key, gold_ids FROM adjudications')).toEqual(
        version >= 4
          ? [{ item_key: '2:-:00000000-0000-4000-8000-000000000004', gold_ids: '["30000000-0000-4000-8000-000000000001"]' }]
          : [],
      );
      expect(rows(db, "SELECT count(*) AS n FROM annotations WHERE annotator = 'gold'")).toEqual([{ n: version >= 4 ? 1 : 0 }]);
      // The claims change log (5) starts empty (version 5 logged its group's new note) and records the next change to a group.
      const logged = version >= 5 ? 1 : 0;
      expect(rows(db, 'SELECT count(*) AS n FROM claims_changes')).toEqual([{ n: logged }]);
      if (version >= 3) {
        db.prepare("UPDATE claim_groups SET canonical = 'Renamed'").run();
        expect(rows(db, 'SELECT count(*) AS n FROM claims_changes')).toEqual([{ n: logged + 1 }]);
      }
      // The saved claims table (6) starts empty, or holds what a version 6 host saved, in row layout 1: the first host
      // rebuilds it either way (the layout is 2 since), and the next host starts from the rows the first one saved.
      expect(rows(db, 'SELECT count(*) AS n FROM claim_rows_saved')).toEqual([{ n: version >= 6 ? 1 : 0 }]);
      expect(rows(db, 'SELECT format FROM claim_rows_state')).toEqual(version >= 6 ? [{ format: 1 }] : []);
      const first = new ClaimRowsCache();
      expect(first.rows(db)).toEqual(claimRows(db));
      expect(first.lastRefresh).toBe('full');
      const next = new ClaimRowsCache();
      expect(next.rows(db)).toEqual(claimRows(db));
      expect(next.lastRefresh).toBe('saved');

      // Annotation numbers (7): every annotation has its own, members and links carry the numbers of the annotations they name, and so do new ones.
      const numbered = rows(db, 'SELECT count(DISTINCT n) AS distinct_n, count(*) AS n FROM annotations');
      expect(numbered).toEqual([{ distinct_n: version >= 4 ? 7 : 6, n: version >= 4 ? 7 : 6 }]);
      const unnumbered = `SELECT (SELECT count(*) FROM claim_group_members m JOIN annotations a ON a.id = m.annotation_id WHERE m.annotation_n IS NOT a.n)
                               + (SELECT count(*) FROM source_links l JOIN annotations c ON c.id = l.claim_id JOIN annotations s ON s.id = l.source_id
                                  WHERE l.claim_n IS NOT c.n OR l.source_n IS NOT s.n) AS n`;
      expect(rows(db, unnumbered)).toEqual([{ n: 0 }]);
      db.prepare(
        "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) VALUES ('new-claim', 1, 0, 10, 'Washington', '', '', 'claim', 'Dana Reyes', '', 'now', 'now')",
      ).run();
      expect(rows(db, "SELECT n FROM annotations WHERE id = 'new-claim'")).toEqual(rows(db, 'SELECT max(n) AS n FROM annotations'));
      if (version >= 3) {
        db.prepare(
          "INSERT INTO claim_group_members (annotation_id, group_id, added_by, added_at) SELECT 'new-claim', id, 'Dana Reyes', 'now' FROM claim_groups",
        ).run();
        db.prepare(
          "INSERT INTO source_links (id, claim_id, source_id, kind, annotator, created_at) VALUES ('new-link', 'new-claim', '00000000-0000-4000-8000-000000000002', 'direct', 'Dana Reyes', 'now')",
        ).run();
        expect(rows(db, unnumbered)).toEqual([{ n: 0 }]);
        expect(next.rows(db)).toEqual(claimRows(db));
        expect(claimRows(db)[0]?.instanceCount).toBe(3);
      }
      // The claim annotations log (8) starts empty and records a claim made, relabelled or deleted (never another label's tags).
      expect(rows(db, 'SELECT annotation_id FROM claim_annotation_changes')).toEqual([{ annotation_id: 'new-claim' }]);
      db.prepare("UPDATE annotations SET label = 'source' WHERE id = 'new-claim'").run();
      db.prepare("DELETE FROM annotations WHERE id = '00000000-0000-4000-8000-000000000003'").run();
      expect(rows(db, 'SELECT annotation_id FROM claim_annotation_changes ORDER BY seq')).toEqual([
        { annotation_id: 'new-claim' },
        { annotation_id: 'new-claim' },
      ]);

      const backups = listBackups(file);
      expect(backups.map((b) => [b.reason, b.schemaVersion, b.articles, b.annotations])).toEqual([
        ['pre-migration', version, 2, version === 7 ? 8 : version >= 4 ? 7 : 6],
      ]);
      expect(backups[0]?.file).toMatch(new RegExp(`-v${version}-pre-migration\\.db$`));
    });

    it('stays at its version with all its data when a migration fails', () => {
      const file = copyOf(version);
      const broken = [
        ...MIGRATIONS,
        {
          version: SCHEMA_VERSION + 1,
          up: (db: Database.Database) => {
            db.exec('CREATE TABLE half_done (x INTEGER)');
            throw new Error('boom');
          },
        },
      ];
      expect(() => openDatabase(file, broken)).toThrow('boom');
      const raw = new Database(file, { readonly: true });
      cleanups.unshift(() => raw.close());
      expect(raw.pragma('user_version', { simple: true })).toBe(version);
      expect(rows(raw, "SELECT name FROM sqlite_master WHERE name = 'half_done'")).toEqual([]);
      expectVersion1Data(raw);
      // The backup made before the attempt is there too.
      expect(listBackups(file).map((b) => [b.reason, b.schemaVersion])).toEqual([['pre-migration', version]]);
    });
  });

  it('restores a backup from an older version over a live database, migrating it', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'claimdesk.db');
    const live = openDatabase(file);
    cleanups.unshift(() => live.close());
    live
      .prepare("INSERT INTO articles (title, text, length, content_hash, imported_at) VALUES ('Current', 'text of today', 13, 'h', 'now')")
      .run();
    mkdirSync(backupFolder(file), { recursive: true });
    const old = join(backupFolder(file), 'claimdesk-2025-11-21T10-00-00Z-v1.db');
    copyFileSync(join(FIXTURES, 'schema-v1.db'), old);

    const report = await restoreBackup(file, old, { live });
    expect(report).toMatchObject({ fromVersion: 1, schemaVersion: SCHEMA_VERSION, articles: 2, annotations: 6 });
    // The app's connection carries on, on the migrated schema.
    expect(live.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expectVersion1Data(live);
    expect(searchArticles(live, 'guarantees', 10).map((r) => r.id)).toEqual([1]);
    expect(listBackups(file).map((b) => [b.reason, b.schemaVersion, b.articles])).toEqual([
      ['pre-migration', 1, 2],
      ['pre-restore', SCHEMA_VERSION, 1],
      ['regular', 1, 2],
    ]);
  });

  it('makes no backup when nothing needs migrating', () => {
    const file = copyOf(1);
    openDatabase(file).close();
    openDatabase(file).close();
    expect(listBackups(file)).toHaveLength(1);
    expect(existsSync(backupFolder(file))).toBe(true);
  });
});
