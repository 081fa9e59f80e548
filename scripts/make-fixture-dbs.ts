/**
 * Builds `main/store/fixtures/schema-vK.db`: a small database at every past
 * schema version K (1 up to the current version minus one), made by running
 * only the first K migrations and inserting, with raw SQL, the data a user of
 * that version could have had. Tests migrate copies of them to the current
 * version. A committed fixture is never rebuilt: run this when a migration is
 * added, and commit only the new file.
 *
 *   npx tsx scripts/make-fixture-dbs.ts [--force]
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, type Db } from '../main/store/database.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../main/store/migrations/index.js';

const FOLDER = join(dirname(fileURLToPath(import.meta.url)), '..', 'main', 'store', 'fixtures');
const T = '2025-11-21T10:00:00.000Z';

const ARTICLES = [
  {
    id: 1,
    title: 'US urges Ukraine to sign peace deal before security guarantees',
    outlet: 'Politico',
    url: 'https://example.com/politico/peace-deal',
    published: '2025-11-20T00:00:00.000Z',
    file: 'politico.txt',
    text: 'Washington is pushing for Ukraine to sign a peace deal before agreeing to any security guarantees, according to a report by Politico.\n\nKyiv’s officials call the plan “premature”.',
  },
  {
    id: 2,
    title: 'Zelenskyy: no deal that rewards aggression',
    outlet: 'Kyiv Independent',
    url: null,
    published: '2025-11-21T00:00:00.000Z',
    file: 'kyiv.docx',
    text: 'Zelenskyy said Ukraine will not accept a deal that rewards aggression, the Kyiv Independent reported. Critics called Washington’s timeline naïve — 🇺🇦 flags lined the square.',
  },
];

/** [id, article, phrase, label, note]: offsets, quote and context are computed in code points. */
const ANNOTATIONS: [string, number, string, string, string][] = [
  [
    '00000000-0000-4000-8000-000000000001',
    1,
    'Washington is pushing for Ukraine to sign a peace deal before agreeing to any security guarantees',
    'claim',
    '',
  ],
  ['00000000-0000-4000-8000-000000000002', 1, 'a report by Politico', 'source', ''],
  ['00000000-0000-4000-8000-000000000003', 1, '“premature”', 'opinion', 'scare quotes'],
  ['00000000-0000-4000-8000-000000000004', 2, 'Ukraine will not accept a deal that rewards aggression', 'claim', ''],
  ['00000000-0000-4000-8000-000000000005', 2, 'Zelenskyy', 'source', ''],
  ['00000000-0000-4000-8000-000000000006', 2, 'naïve — 🇺🇦 flags', 'evidence', 'a custom label, with non-BMP characters'],
];

const cps = (s: string) => [...s];

/** Version 1: the annotator, a custom label, articles and their tags. */
function dataV1(db: Db): void {
  db.prepare("INSERT INTO settings (key, value) VALUES ('annotator', 'Dana Reyes')").run();
  db.prepare(
    "INSERT INTO labels (id, name, color, shortcut, description, position) VALUES ('evidence', 'Evidence', '#2f9e44', '4', 'Facts offered in support', 3)",
  ).run();
  for (const a of ARTICLES) {
    db.prepare(
      'INSERT INTO articles (id, title, outlet, url, published_at, file_name, text, length, content_hash, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      a.id,
      a.title,
      a.outlet,
      a.url,
      a.published,
      a.file,
      a.text,
      cps(a.text).length,
      createHash('sha256').update(a.text).digest('hex'),
      T,
    );
  }
  for (const [id, articleId, phrase, label, note] of ANNOTATIONS) {
    const full = ARTICLES.find((a) => a.id === articleId)?.text ?? '';
    if (!full.includes(phrase)) throw new Error(`"${phrase}" is not in article ${articleId}`);
    const text = cps(full);
    const start = cps(full.slice(0, full.indexOf(phrase))).length;
    const end = start + cps(phrase).length;
    db.prepare('INSERT INTO annotations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      id,
      articleId,
      start,
      end,
      phrase,
      text.slice(Math.max(0, start - 32), start).join(''),
      text.slice(end, end + 32).join(''),
      label,
      'Dana Reyes',
      note,
      T,
      T,
    );
  }
}

/** Version 2: a byline (the full-text index is filled by the migration and its triggers). */
function dataV2(db: Db): void {
  db.prepare("UPDATE articles SET byline = 'Jane Doe' WHERE id = 1").run();
}

/** Version 3: attributions and a claim group across both articles, with its history. */
function dataV3(db: Db): void {
  const [c1, s1, , c2, s2] = ANNOTATIONS.map((a) => a[0]);
  db.prepare("INSERT INTO source_links VALUES ('10000000-0000-4000-8000-000000000001', ?, ?, 'paraphrase', 'Dana Reyes', ?)").run(
    c1,
    s1,
    T,
  );
  db.prepare("INSERT INTO source_links VALUES ('10000000-0000-4000-8000-000000000002', ?, ?, 'direct', 'Dana Reyes', ?)").run(c2, s2, T);
  db.prepare(
    "INSERT INTO claim_groups VALUES ('20000000-0000-4000-8000-000000000001', 'Peace deal before security guarantees', 'disputed', 'Dana Reyes', ?, ?)",
  ).run(T, T);
  for (const c of [c1, c2])
    db.prepare("INSERT INTO claim_group_members VALUES (?, '20000000-0000-4000-8000-000000000001', 'Dana Reyes', ?)").run(c, T);
  db.prepare(
    "INSERT INTO claim_group_history (group_id, action, detail, actor, at) VALUES ('20000000-0000-4000-8000-000000000001', 'create', '{}', 'Dana Reyes', ?)",
  ).run(T);
  db.prepare(
    "INSERT INTO claim_group_history (group_id, action, detail, actor, at) VALUES ('20000000-0000-4000-8000-000000000001', 'add', ?, 'Dana Reyes', ?)",
  ).run(JSON.stringify({ annotationId: c2 }), T);
}

/** Version 4: a review decision and the gold annotation it wrote. */
function dataV4(db: Db): void {
  const gold = '30000000-0000-4000-8000-000000000001';
  db.prepare(
    "INSERT INTO annotations SELECT ?, article_id, start, end, quote, prefix, suffix, label, 'gold', note, created_at, updated_at FROM annotations WHERE id = '00000000-0000-4000-8000-000000000004'",
  ).run(gold);
  db.prepare("INSERT INTO gold_origins VALUES (?, '00000000-0000-4000-8000-000000000004')").run(gold);
  db.prepare(
    "INSERT INTO adjudications (article_id, item_key, kind, annotator_a, annotator_b, a_id, b_id, decision, reviewer, at, gold_ids) VALUES (2, 'k1', 'only_a', 'Dana Reyes', 'Sam Lee', '00000000-0000-4000-8000-000000000004', NULL, 'accept_a', 'Rev', ?, ?)",
  ).run(T, JSON.stringify([gold]));
}

/** Version 5: a change to the group after the change log existed (so the log is not empty). */
function dataV5(db: Db): void {
  db.prepare("UPDATE claim_groups SET note = 'disputed by Kyiv'").run();
}

/** Version 6: the claims table a version 6 host saved (format 1, at the log's last position), as it wrote it. */
function dataV6(db: Db): void {
  const row = {
    groupId: '20000000-0000-4000-8000-000000000001',
    canonical: 'Peace deal before security guarantees',
    note: 'disputed by Kyiv',
    instanceCount: 2,
    articleCount: 2,
    outlets: ['Kyiv Independent', 'Politico'],
    sources: ['a report by Politico', 'Zelenskyy'],
    kinds: ['direct', 'paraphrase'],
    firstPublished: '2025-11-20T00:00:00.000Z',
    lastPublished: '2025-11-21T00:00:00.000Z',
    annotators: ['Dana Reyes'],
    outletSources: { 'Kyiv Independent': ['Zelenskyy'], Politico: ['a report by Politico'] },
  };
  db.prepare('INSERT INTO claim_rows_saved (group_id, created_at, row) VALUES (?, ?, ?)').run(row.groupId, T, JSON.stringify(row));
  db.prepare(
    "INSERT INTO claim_rows_state (id, format, seq, token) VALUES (1, 1, (SELECT max(seq) FROM claims_changes), 'fixture-v6')",
  ).run();
}

/** Version 7: the same tag accepted again with A and B the other way round (a second decision key, a second gold copy), as version 7 allowed. */
function dataV7(db: Db): void {
  const again = '30000000-0000-4000-8000-000000000002';
  db.prepare(
    "INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at) SELECT ?, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at FROM annotations WHERE id = '30000000-0000-4000-8000-000000000001'",
  ).run(again);
  db.prepare("INSERT INTO gold_origins VALUES (?, '00000000-0000-4000-8000-000000000004')").run(again);
  db.prepare(
    "INSERT INTO adjudications (article_id, item_key, kind, annotator_a, annotator_b, a_id, b_id, decision, reviewer, at, gold_ids) VALUES (2, 'k2', 'only_b', 'Sam Lee', 'Dana Reyes', NULL, '00000000-0000-4000-8000-000000000004', 'accept_b', 'Rev', ?, ?)",
  ).run(T, JSON.stringify([again]));
}

/** Version 8: nothing a user writes that version 7 could not (it removes duplicate gold copies). */
function dataV8(): void {}

/** Version 9: one more group history entry (history entries and decisions get the uid a team workspace sends them under in version 10). */
function dataV9(db: Db): void {
  const group = (db.prepare('SELECT id FROM claim_groups ORDER BY rowid LIMIT 1').get() as { id: string } | undefined)?.id;
  if (group)
    db.prepare("INSERT INTO claim_group_history (group_id, action, detail, actor, at) VALUES (?, 'note', '{}', 'Dana Reyes', ?)").run(
      group,
      T,
    );
}

/** The data each version adds, in SQL for that version's schema; a new migration adds its step here. */
/** Version 10: the team workspace's local tables start empty; nothing a user writes that version 9 could not. */
function dataV10(): void {}

/** Version 11: nothing a user writes that version 10 could not. */
function dataV11(): void {}

/** Version 12: the claims table's rows of ungrouped claims are derived; nothing a user writes that version 11 could not. */
function dataV12(): void {}

/** Version 13: nothing a user writes that version 12 could not (the team's article edit log starts empty). */
function dataV13(): void {}

const DATA: ((db: Db) => void)[] = [
  dataV1,
  dataV2,
  dataV3,
  dataV4,
  dataV5,
  dataV6,
  dataV7,
  dataV8,
  dataV9,
  dataV10,
  dataV11,
  dataV12,
  dataV13,
];

function build(version: number, file: string): void {
  rmSync(file, { force: true });
  const db = new Database(file);
  try {
    // As a user's database grew: each version's data written against that version's schema, then migrated on.
    for (let v = 1; v <= version; v++) {
      migrate(db, MIGRATIONS.slice(0, v));
      db.transaction(() => DATA[v - 1]?.(db))();
    }
    // One self-contained file, as small as it gets.
    db.pragma('journal_mode = DELETE');
    db.exec('VACUUM');
  } finally {
    db.close();
  }
}

const force = process.argv.includes('--force');
mkdirSync(FOLDER, { recursive: true });
if (DATA.length < SCHEMA_VERSION - 1) throw new Error(`add a data step for schema version ${DATA.length + 1} to DATA`);
for (let version = 1; version < SCHEMA_VERSION; version++) {
  const file = join(FOLDER, `schema-v${version}.db`);
  if (existsSync(file) && !force) {
    process.stdout.write(`kept  ${file} (committed fixtures are never rebuilt; --force to overwrite)\n`);
    continue;
  }
  build(version, file);
  process.stdout.write(`wrote ${file}\n`);
}
