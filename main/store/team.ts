/**
 * The local side of the team workspace: the link, the outbox of local
 * changes (filled by the triggers of migration 10), and applying colleagues'
 * rows pulled from the team database. Applying sets `team_applying`, so the
 * triggers leave pulled rows out of the outbox, and never overwrites a row
 * with a local change still waiting to be pushed (the push comes first and
 * the server settles it).
 */
import { insertArticle } from './articles.js';
import type { Db } from './database.js';

export interface TeamLink {
  url: string;
  member: string;
  reviewer: boolean;
  cursor: string;
  joinedAt: string;
  lastSyncedAt: string | null;
}

export function getTeamLink(db: Db): TeamLink | null {
  const r = db.prepare('SELECT * FROM team_link WHERE id = 1').get() as
    { url: string; member: string; reviewer: number; cursor: string; joined_at: string; last_synced_at: string | null } | undefined;
  return r
    ? { url: r.url, member: r.member, reviewer: r.reviewer === 1, cursor: r.cursor, joinedAt: r.joined_at, lastSyncedAt: r.last_synced_at }
    : null;
}

/** The earliest time, for rows whose shared fields must lose to any colleague's edit. */
export const EPOCH = '1970-01-01T00:00:00.000Z';

/**
 * Links the library to a workspace and queues what it brings: every
 * article, the member's own layer (and gold for a reviewer), links, groups
 * with their members and history, labels. Labels and groups queue with the
 * time they last changed (labels: never), so joining does not overwrite a
 * colleague's later edits of the shared ones.
 */
export function linkTeam(db: Db, link: { url: string; member: string; reviewer: boolean; now: string }): void {
  db.transaction(() => {
    db.prepare('INSERT INTO team_link (id, url, member, reviewer, joined_at) VALUES (1, ?, ?, ?, ?)').run(
      link.url,
      link.member,
      link.reviewer ? 1 : 0,
      link.now,
    );
    db.prepare('DELETE FROM team_outbox').run();
    const layers = link.reviewer ? [link.member, 'gold'] : [link.member];
    const q = (sql: string, ...params: unknown[]) => db.prepare(`INSERT INTO team_outbox (kind, ref, field, at) ${sql}`).run(...params);
    q("SELECT 'article', content_hash, '', ? FROM articles ORDER BY id", link.now);
    q("SELECT 'label', id, '', ? FROM labels ORDER BY position", EPOCH);
    q(
      `SELECT 'annotation', id, '', updated_at FROM annotations WHERE annotator IN (${layers.map(() => '?').join(', ')}) ORDER BY rowid`,
      ...layers,
    );
    q(
      `SELECT 'link', id, '', created_at FROM source_links WHERE annotator IN (${layers.map(() => '?').join(', ')}) ORDER BY rowid`,
      ...layers,
    );
    q("SELECT 'group', id, '', updated_at FROM claim_groups ORDER BY rowid");
    q("SELECT 'member', annotation_id, '', added_at FROM claim_group_members ORDER BY rowid");
    q(`SELECT 'history', id, '', at FROM claim_group_history WHERE actor IN (${layers.map(() => '?').join(', ')}) ORDER BY id`, ...layers);
    if (link.reviewer) {
      q("SELECT 'adjudication', id, '', at FROM adjudications WHERE reviewer = ? ORDER BY id", link.member);
      q("SELECT 'gold_origin', gold_id, '', ? FROM gold_origins", link.now);
    }
  })();
}

export function setPullPosition(db: Db, cursor: string, at: string): void {
  db.prepare('UPDATE team_link SET cursor = ?, last_synced_at = ? WHERE id = 1').run(cursor, at);
}

export function setSyncedAt(db: Db, at: string): void {
  db.prepare('UPDATE team_link SET last_synced_at = ? WHERE id = 1').run(at);
}

/** Leaves the workspace: the library keeps everything it holds; nothing more is recorded or sent. */
export function unlinkTeam(db: Db): void {
  db.transaction(() => {
    db.prepare('DELETE FROM team_link').run();
    db.prepare('DELETE FROM team_outbox').run();
  })();
}

export interface OutboxEntry {
  seq: number;
  kind: string;
  ref: string;
  field: string;
  at: string;
}

export function outboxCount(db: Db): number {
  return (db.prepare('SELECT count(DISTINCT kind || char(0) || ref) AS n FROM team_outbox').get() as { n: number }).n;
}

export function outboxBatch(db: Db, limit: number): OutboxEntry[] {
  return db.prepare('SELECT seq, kind, ref, field, at FROM team_outbox ORDER BY seq LIMIT ?').all(limit) as OutboxEntry[];
}

export interface Refusal {
  kind: string;
  ref: string;
  what: string;
  reason: string;
}

/** Takes pushed entries off the outbox and records what the server refused, in one transaction. */
export function ackOutbox(db: Db, uptoSeq: number, refused: readonly Refusal[], at: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM team_outbox WHERE seq <= ?').run(uptoSeq);
    const add = db.prepare('INSERT INTO team_refused (kind, ref, what, reason, at) VALUES (?, ?, ?, ?, ?)');
    for (const r of refused) add.run(r.kind, r.ref, r.what, r.reason, at);
  })();
}

/** Says a refused change in the analyst's words once the server's row is known (whose tag, which words). */
export function describeRefused(db: Db, kind: string, ref: string, what: string): void {
  db.prepare('UPDATE team_refused SET what = ? WHERE kind = ? AND ref = ?').run(what, kind, ref);
}

export function listRefused(db: Db): (Refusal & { id: number; at: string })[] {
  return db.prepare('SELECT id, kind, ref, what, reason, at FROM team_refused ORDER BY id DESC LIMIT 200').all() as (Refusal & {
    id: number;
    at: string;
  })[];
}

export function countRefused(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM team_refused').get() as { n: number }).n;
}

export function dismissRefused(db: Db, ids: readonly number[] | 'all'): void {
  if (ids === 'all') db.prepare('DELETE FROM team_refused').run();
  else {
    const del = db.prepare('DELETE FROM team_refused WHERE id = ?');
    db.transaction(() => ids.forEach((id) => del.run(id)))();
  }
}

// ---- Reading local rows for a push -------------------------------------------------------------

export interface ArticleOut {
  content_hash: string;
  title: string;
  outlet: string | null;
  url: string | null;
  published_at: string | null;
  file_name: string | null;
  byline: string | null;
  text: string;
}

export function articlesForPush(db: Db, hashes: readonly string[]): ArticleOut[] {
  const get = db.prepare(
    'SELECT content_hash, title, outlet, url, published_at, file_name, byline, text FROM articles WHERE content_hash = ?',
  );
  return hashes.map((h) => get.get(h) as ArticleOut | undefined).filter((a): a is ArticleOut => a !== undefined);
}

export interface AnnotationOut {
  id: string;
  article_hash: string;
  start: number;
  end: number;
  quote: string;
  prefix: string;
  suffix: string;
  label: string;
  annotator: string;
  note: string;
  created_at: string;
  updated_at: string;
}

export function annotationForPush(db: Db, id: string): AnnotationOut | null {
  return (
    (db
      .prepare(
        `SELECT a.id, ar.content_hash AS article_hash, a.start, a.end, a.quote, a.prefix, a.suffix, a.label, a.annotator, a.note, a.created_at, a.updated_at
         FROM annotations a JOIN articles ar ON ar.id = a.article_id WHERE a.id = ?`,
      )
      .get(id) as AnnotationOut | undefined) ?? null
  );
}

export interface LinkOut {
  id: string;
  claim_id: string;
  source_id: string;
  kind: string;
  annotator: string;
  created_at: string;
}

export function linkForPush(db: Db, id: string): LinkOut | null {
  return (
    (db.prepare('SELECT id, claim_id, source_id, kind, annotator, created_at FROM source_links WHERE id = ?').get(id) as
      LinkOut | undefined) ?? null
  );
}

export interface GroupOut {
  id: string;
  canonical: string;
  note: string;
  created_by: string;
  created_at: string;
}

export function groupForPush(db: Db, id: string): GroupOut | null {
  return (
    (db.prepare('SELECT id, canonical, note, created_by, created_at FROM claim_groups WHERE id = ?').get(id) as GroupOut | undefined) ??
    null
  );
}

export function memberForPush(db: Db, annotationId: string): { group_id: string; added_by: string } | null {
  return (
    (db.prepare('SELECT group_id, added_by FROM claim_group_members WHERE annotation_id = ?').get(annotationId) as
      { group_id: string; added_by: string } | undefined) ?? null
  );
}

export interface HistoryOut {
  uid: string;
  group_id: string;
  action: string;
  detail: string;
  actor: string;
  at: string;
}

export function historyForPush(db: Db, localId: string): HistoryOut | null {
  return (
    (db.prepare('SELECT uid, group_id, action, detail, actor, at FROM claim_group_history WHERE id = ?').get(Number(localId)) as
      HistoryOut | undefined) ?? null
  );
}

export interface LabelOut {
  id: string;
  name: string;
  color: string;
  shortcut: string;
  description: string;
}

export function labelForPush(db: Db, id: string): LabelOut | null {
  return (db.prepare('SELECT id, name, color, shortcut, description FROM labels WHERE id = ?').get(id) as LabelOut | undefined) ?? null;
}

export interface AdjudicationOut {
  uid: string;
  article_hash: string;
  item_key: string;
  kind: string;
  annotator_a: string;
  annotator_b: string;
  a_id: string | null;
  b_id: string | null;
  decision: string;
  reason: string;
  reviewer: string;
  at: string;
  gold_ids: string;
}

/** An adjudication with its item key made portable: the local article id in front replaced by the article's hash. */
export function adjudicationForPush(db: Db, localId: string): AdjudicationOut | null {
  const r = db
    .prepare(
      `SELECT j.uid, ar.content_hash AS article_hash, j.item_key, j.kind, j.annotator_a, j.annotator_b, j.a_id, j.b_id, j.decision, j.reason, j.reviewer, j.at, j.gold_ids
       FROM adjudications j JOIN articles ar ON ar.id = j.article_id WHERE j.id = ?`,
    )
    .get(Number(localId)) as AdjudicationOut | undefined;
  if (!r) return null;
  return { ...r, item_key: r.item_key.replace(/^\d+:/, `${r.article_hash}:`) };
}

export function goldOriginForPush(db: Db, goldId: string): { origin_id: string } | null {
  return (db.prepare('SELECT origin_id FROM gold_origins WHERE gold_id = ?').get(goldId) as { origin_id: string } | undefined) ?? null;
}

// ---- Applying pulled rows ------------------------------------------------------------------------

/** What a pull changed, for the events that update the screens in place. */
export interface Applied {
  articles: number;
  articleIds: Set<number>;
  claims: boolean;
  labels: boolean;
  review: boolean;
  rows: number;
}

export const emptyApplied = (): Applied => ({ articles: 0, articleIds: new Set(), claims: false, labels: false, review: false, rows: 0 });

/** Runs `fn` in one transaction with the outbox triggers held off. */
export function applyingRemote<T>(db: Db, fn: () => T): T {
  return db.transaction(() => {
    db.prepare('INSERT INTO team_applying (flag) VALUES (1)').run();
    try {
      return fn();
    } finally {
      db.prepare('DELETE FROM team_applying').run();
    }
  })();
}

function pendingRefs(db: Db, kind: string): Set<string> {
  return new Set((db.prepare('SELECT DISTINCT ref FROM team_outbox WHERE kind = ?').all(kind) as { ref: string }[]).map((r) => r.ref));
}

function articleIdsByHash(db: Db): (hash: string) => number | null {
  const get = db.prepare('SELECT id FROM articles WHERE content_hash = ?');
  const cache = new Map<string, number | null>();
  return (hash) => {
    if (!cache.has(hash)) cache.set(hash, (get.get(hash) as { id: number } | undefined)?.id ?? null);
    return cache.get(hash) ?? null;
  };
}

/** The article metadata a member may edit, each settled by the later edit. */
export const ARTICLE_FIELDS = ['title', 'outlet', 'url', 'published_at'] as const;
export type ArticleField = (typeof ARTICLE_FIELDS)[number];

/** An article as pulled: with the time of the last edit of each field ('' when nobody edited it). */
export type ArticleIn = ArticleOut & Partial<Record<`${ArticleField}_at`, string>>;

export function applyArticles(db: Db, rows: readonly ArticleIn[], applied: Applied, now: string): void {
  // Fields edited here and not pushed yet: the push settles them first.
  const pending = new Set(
    (
      db.prepare("SELECT DISTINCT ref || char(0) || field AS k FROM team_outbox WHERE kind = 'article' AND field <> ''").all() as {
        k: string;
      }[]
    ).map((r) => r.k),
  );
  const local = db.prepare('SELECT id, title, outlet, url, published_at FROM articles WHERE content_hash = ?');
  for (const r of rows) {
    const { duplicate } = insertArticle(
      db,
      { title: r.title, text: r.text, outlet: r.outlet, url: r.url, publishedAt: r.published_at, fileName: r.file_name, byline: r.byline },
      now,
    );
    if (!duplicate) {
      applied.articles++;
      continue;
    }
    const mine = local.get(r.content_hash) as (Record<ArticleField, string | null> & { id: number }) | undefined;
    if (!mine) continue;
    for (const f of ARTICLE_FIELDS) {
      // A field nobody edited keeps this library's own value (its copy may have come from another file).
      if (!r[`${f}_at`] || pending.has(`${r.content_hash}\u0000${f}`) || mine[f] === r[f]) continue;
      if (f === 'title' && !r.title) continue;
      db.prepare(`UPDATE articles SET ${f} = ? WHERE id = ?`).run(r[f], mine.id);
      applied.articles++;
    }
  }
  applied.rows += rows.length;
}

/** An article's edited metadata for a push: the value of each field and the time of its latest edit here ('' when not edited). */
export function articleMetadataForPush(db: Db, hash: string): Record<ArticleField, string | null> | null {
  return (
    (db.prepare('SELECT title, outlet, url, published_at FROM articles WHERE content_hash = ?').get(hash) as
      Record<ArticleField, string | null> | undefined) ?? null
  );
}

/** Labels an annotation names but this library lacks (a colleague's new label, not pulled yet) get a plain stand-in. */
function ensureLabel(db: Db, id: string): void {
  if (db.prepare('SELECT 1 FROM labels WHERE id = ?').get(id)) return;
  const { n } = db.prepare('SELECT coalesce(max(position), -1) + 1 AS n FROM labels').get() as { n: number };
  db.prepare("INSERT INTO labels (id, name, color, shortcut, description, position) VALUES (?, ?, '#888888', '', '', ?)").run(id, id, n);
}

export function applyAnnotations(
  db: Db,
  rows: readonly (AnnotationOut & { deleted: boolean })[],
  applied: Applied,
  opts: { force?: boolean } = {},
): void {
  const pending = opts.force ? new Set<string>() : pendingRefs(db, 'annotation');
  const articleOf = articleIdsByHash(db);
  const localArticle = db.prepare('SELECT article_id FROM annotations WHERE id = ?');
  const del = db.prepare('DELETE FROM annotations WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO annotations (id, article_id, start, end, quote, prefix, suffix, label, annotator, note, created_at, updated_at)
     VALUES (@id, @article_id, @start, @end, @quote, @prefix, @suffix, @label, @annotator, @note, @created_at, @updated_at)
     ON CONFLICT(id) DO UPDATE SET start = excluded.start, end = excluded.end, quote = excluded.quote, prefix = excluded.prefix,
       suffix = excluded.suffix, label = excluded.label, note = excluded.note, updated_at = excluded.updated_at
     WHERE start IS NOT excluded.start OR end IS NOT excluded.end OR label IS NOT excluded.label OR note IS NOT excluded.note
       OR quote IS NOT excluded.quote OR updated_at IS NOT excluded.updated_at
     ON CONFLICT DO NOTHING`,
  );
  for (const r of rows) {
    applied.rows++;
    if (pending.has(r.id)) continue;
    if (r.deleted) {
      const at = localArticle.get(r.id) as { article_id: number } | undefined;
      if (at && del.run(r.id).changes > 0) {
        applied.articleIds.add(at.article_id);
        applied.claims = true;
      }
      continue;
    }
    const articleId = articleOf(r.article_hash);
    if (articleId === null) continue;
    ensureLabel(db, r.label);
    if (upsert.run({ ...r, article_id: articleId }).changes > 0) {
      applied.articleIds.add(articleId);
      if (r.label === 'claim' || r.label === 'source') applied.claims = true;
      if (r.annotator === 'gold') applied.review = true;
    }
  }
}

export function applyLinks(
  db: Db,
  rows: readonly (LinkOut & { deleted: boolean })[],
  applied: Applied,
  opts: { force?: boolean } = {},
): void {
  const pending = opts.force ? new Set<string>() : pendingRefs(db, 'link');
  const exists = db.prepare('SELECT article_id FROM annotations WHERE id = ?');
  const del = db.prepare('DELETE FROM source_links WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO source_links (id, claim_id, source_id, kind, annotator, created_at) VALUES (@id, @claim_id, @source_id, @kind, @annotator, @created_at)
     ON CONFLICT(id) DO UPDATE SET kind = excluded.kind WHERE kind IS NOT excluded.kind
     ON CONFLICT DO NOTHING`,
  );
  for (const r of rows) {
    applied.rows++;
    if (pending.has(r.id)) continue;
    if (r.deleted) {
      if (del.run(r.id).changes > 0) applied.claims = true;
      continue;
    }
    const claim = exists.get(r.claim_id) as { article_id: number } | undefined;
    if (!claim || !exists.get(r.source_id)) continue;
    if (upsert.run(r).changes > 0) {
      applied.claims = true;
      applied.articleIds.add(claim.article_id);
    }
  }
}

export interface GroupIn {
  id: string;
  canonical: string;
  canonical_at: string;
  note: string;
  note_at: string;
  created_by: string;
  created_at: string;
  deleted: boolean;
}

export function applyGroups(db: Db, rows: readonly GroupIn[], applied: Applied): void {
  const pending = pendingRefs(db, 'group');
  const del = db.prepare('DELETE FROM claim_groups WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO claim_groups (id, canonical, note, created_by, created_at, updated_at) VALUES (@id, @canonical, @note, @created_by, @created_at, @updated_at)
     ON CONFLICT(id) DO UPDATE SET canonical = excluded.canonical, note = excluded.note, updated_at = max(updated_at, excluded.updated_at)
     WHERE canonical IS NOT excluded.canonical OR note IS NOT excluded.note`,
  );
  for (const r of rows) {
    applied.rows++;
    if (pending.has(r.id)) continue;
    if (r.deleted) {
      if (del.run(r.id).changes > 0) applied.claims = true;
      continue;
    }
    const updated = [r.canonical_at, r.note_at, r.created_at].sort().at(-1) ?? r.created_at;
    if (upsert.run({ ...r, updated_at: updated }).changes > 0) applied.claims = true;
  }
}

export function applyMembers(
  db: Db,
  rows: readonly { annotation_id: string; group_id: string | null; added_by: string; at: string }[],
  applied: Applied,
): void {
  const pending = pendingRefs(db, 'member');
  const del = db.prepare('DELETE FROM claim_group_members WHERE annotation_id = ?');
  const hasAnnotation = db.prepare('SELECT 1 FROM annotations WHERE id = ?');
  const hasGroup = db.prepare('SELECT 1 FROM claim_groups WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO claim_group_members (annotation_id, group_id, added_by, added_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(annotation_id) DO UPDATE SET group_id = excluded.group_id, added_by = excluded.added_by, added_at = excluded.added_at
     WHERE group_id IS NOT excluded.group_id`,
  );
  for (const r of rows) {
    applied.rows++;
    if (pending.has(r.annotation_id)) continue;
    if (r.group_id === null) {
      if (del.run(r.annotation_id).changes > 0) applied.claims = true;
      continue;
    }
    if (!hasAnnotation.get(r.annotation_id) || !hasGroup.get(r.group_id)) continue;
    if (upsert.run(r.annotation_id, r.group_id, r.added_by, r.at).changes > 0) applied.claims = true;
  }
}

export function applyHistory(db: Db, rows: readonly HistoryOut[], applied: Applied): void {
  const add = db.prepare(
    'INSERT INTO claim_group_history (group_id, action, detail, actor, at, uid) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(uid) DO NOTHING',
  );
  for (const r of rows) {
    applied.rows++;
    add.run(r.group_id, r.action, r.detail, r.actor, r.at, r.uid);
  }
}

export function applyLabels(db: Db, rows: readonly (LabelOut & { deleted: boolean })[], applied: Applied): void {
  const pending = pendingRefs(db, 'label');
  const used = db.prepare('SELECT 1 FROM annotations WHERE label = ? LIMIT 1');
  const del = db.prepare('DELETE FROM labels WHERE id = ?');
  const update = db.prepare(
    `UPDATE labels SET name = @name, color = @color, shortcut = @shortcut, description = @description
     WHERE id = @id AND (name IS NOT @name OR color IS NOT @color OR shortcut IS NOT @shortcut OR description IS NOT @description)`,
  );
  const insert = db.prepare(
    'INSERT OR IGNORE INTO labels (id, name, color, shortcut, description, position) VALUES (@id, @name, @color, @shortcut, @description, (SELECT coalesce(max(position), -1) + 1 FROM labels))',
  );
  for (const r of rows) {
    applied.rows++;
    if (pending.has(r.id)) continue;
    if (r.deleted) {
      if (!used.get(r.id) && del.run(r.id).changes > 0) applied.labels = true;
      continue;
    }
    if (insert.run(r).changes > 0 || update.run(r).changes > 0) applied.labels = true;
  }
}

export function applyAdjudications(db: Db, rows: readonly AdjudicationOut[], applied: Applied): void {
  const articleOf = articleIdsByHash(db);
  const add = db.prepare(
    `INSERT INTO adjudications (article_id, item_key, kind, annotator_a, annotator_b, a_id, b_id, decision, reason, reviewer, at, gold_ids, uid)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(uid) DO NOTHING`,
  );
  for (const r of rows) {
    applied.rows++;
    const articleId = articleOf(r.article_hash);
    if (articleId === null) continue;
    const key = r.item_key.startsWith(`${r.article_hash}:`) ? `${articleId}:${r.item_key.slice(r.article_hash.length + 1)}` : r.item_key;
    if (
      add.run(
        articleId,
        key,
        r.kind,
        r.annotator_a,
        r.annotator_b,
        r.a_id,
        r.b_id,
        r.decision,
        r.reason,
        r.reviewer,
        r.at,
        r.gold_ids,
        r.uid,
      ).changes > 0
    )
      applied.review = true;
  }
}

export function applyGoldOrigins(
  db: Db,
  rows: readonly { gold_id: string; origin_id: string; deleted: boolean }[],
  applied: Applied,
): void {
  const pending = pendingRefs(db, 'gold_origin');
  const del = db.prepare('DELETE FROM gold_origins WHERE gold_id = ?');
  const hasGold = db.prepare('SELECT 1 FROM annotations WHERE id = ?');
  const upsert = db.prepare(
    'INSERT INTO gold_origins (gold_id, origin_id) VALUES (?, ?) ON CONFLICT(gold_id) DO UPDATE SET origin_id = excluded.origin_id WHERE origin_id IS NOT excluded.origin_id',
  );
  for (const r of rows) {
    applied.rows++;
    if (pending.has(r.gold_id)) continue;
    if (r.deleted) {
      if (del.run(r.gold_id).changes > 0) applied.review = true;
      continue;
    }
    if (hasGold.get(r.gold_id) && upsert.run(r.gold_id, r.origin_id).changes > 0) applied.review = true;
  }
}

// ---- The member's password, sealed by the host -----------------------------------------------

const SEALED_KEY = 'team.password.sealed';

/** The sealed password for `url` (a blob only the host's key opens), if any. */
export function getSealedPassword(db: Db, url: string): string | null {
  const r = db.prepare('SELECT value FROM settings WHERE key = ?').get(SEALED_KEY) as { value: string } | undefined;
  if (!r) return null;
  try {
    const v = JSON.parse(r.value) as { url?: unknown; sealed?: unknown };
    return v.url === url && typeof v.sealed === 'string' ? v.sealed : null;
  } catch {
    return null;
  }
}

export function setSealedPassword(db: Db, url: string, sealed: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    SEALED_KEY,
    JSON.stringify({ url, sealed }),
  );
}

export function clearSealedPassword(db: Db): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(SEALED_KEY);
}
