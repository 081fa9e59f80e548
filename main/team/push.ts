/**
 * Pushing the library's outbox to the team database.
 *
 * A batch of outbox entries is read, each entity once (its latest state:
 * present is an upsert, absent a tombstone), and written in one PostgreSQL
 * transaction, kind by kind with one statement per kind. When a statement is
 * refused (row-level security, a constraint), the batch is redone row by row
 * under savepoints, so the refused rows are known by name and everything else
 * still goes. Only after the commit are the entries taken off the outbox: a
 * push cut short anywhere is repeated, and repeating one changes nothing
 * (upserts by UUID, tombstones, last-writer-wins by the change's own time).
 */
import type pg from 'pg';
import type { Db } from '../store/database.js';
import {
  ackOutbox,
  adjudicationForPush,
  annotationForPush,
  articlesForPush,
  ARTICLE_FIELDS,
  articleMetadataForPush,
  goldOriginForPush,
  groupForPush,
  historyForPush,
  labelForPush,
  linkForPush,
  memberForPush,
  outboxBatch,
  type OutboxEntry,
  type Refusal,
} from '../store/team.js';
import { isConnectionError } from './connection.js';

/** How many outbox entries one transaction carries. */
export const PUSH_BATCH = 2000;

/** One statement's worth of rows of a kind, as JSON for `json_to_recordset`. */
interface Step {
  kind: string;
  ref: (row: Record<string, unknown>) => string;
  sql: string;
  rows: Record<string, unknown>[];
  describe: (row: Record<string, unknown>) => string;
}

const clip = (s: unknown, n = 60) => {
  const t = String(s ?? '');
  return t.length > n ? `${t.slice(0, n)}…` : t;
};

/** The entities named in a batch, each once, with the latest time per field. */
function collapse(entries: readonly OutboxEntry[]): Map<string, { kind: string; ref: string; fields: Map<string, string> }> {
  const out = new Map<string, { kind: string; ref: string; fields: Map<string, string> }>();
  for (const e of entries) {
    const key = `${e.kind}\u0000${e.ref}`;
    let x = out.get(key);
    if (!x) out.set(key, (x = { kind: e.kind, ref: e.ref, fields: new Map() }));
    const prev = x.fields.get(e.field);
    if (!prev || e.at > prev) x.fields.set(e.field, e.at);
  }
  return out;
}

const latest = (fields: Map<string, string>, field: string): string | null => {
  const all = fields.get('') ?? null;
  const one = fields.get(field) ?? null;
  if (all === null) return one;
  if (one === null) return all;
  return one > all ? one : all;
};

const ARTICLE_SQL = `INSERT INTO claimdesk.articles (content_hash, title, outlet, url, published_at, file_name, byline, text)
  SELECT content_hash, title, outlet, url, published_at, file_name, byline, text
  FROM json_to_recordset($1::json) AS r(content_hash text, title text, outlet text, url text, published_at text, file_name text, byline text, text text)
  ON CONFLICT (content_hash) DO NOTHING`;

function buildSteps(db: Db, entries: readonly OutboxEntry[]): { steps: Step[]; articleHashes: Set<string> } {
  const byKind = new Map<string, { ref: string; fields: Map<string, string> }[]>();
  for (const e of collapse(entries).values()) {
    const list = byKind.get(e.kind) ?? [];
    list.push(e);
    byKind.set(e.kind, list);
  }
  const of = (kind: string) => byKind.get(kind) ?? [];
  const articleHashes = new Set<string>(of('article').map((e) => e.ref));
  const steps: Step[] = [];
  const add = (kind: string, ref: string, sql: string, rows: Record<string, unknown>[], describe: Step['describe']) => {
    if (rows.length) steps.push({ kind, ref: (r) => String(r[ref]), sql, rows, describe });
  };

  // Article metadata edited here: each field settled by the later edit (the article itself goes in first, see push()).
  const metadata = of('article')
    .filter((e) => [...e.fields.keys()].some((f) => f !== ''))
    .flatMap((e) => {
      const m = articleMetadataForPush(db, e.ref);
      if (!m) return [];
      const row: Record<string, unknown> = { content_hash: e.ref };
      for (const f of ARTICLE_FIELDS) {
        row[f] = m[f];
        row[`${f}_at`] = e.fields.get(f) ?? '';
      }
      return [row];
    });
  const newer = (f: string) =>
    `${f} = CASE WHEN r.${f}_at > t.${f}_at THEN r.${f} ELSE t.${f} END, ${f}_at = greatest(r.${f}_at, t.${f}_at)`;
  add(
    'article',
    'content_hash',
    `UPDATE claimdesk.articles t SET ${ARTICLE_FIELDS.map(newer).join(', ')}
     FROM json_to_recordset($1::json) AS r(content_hash text, ${ARTICLE_FIELDS.map((f) => `${f} text, ${f}_at text`).join(', ')})
     WHERE t.content_hash = r.content_hash AND (${ARTICLE_FIELDS.map((f) => `r.${f}_at > t.${f}_at`).join(' OR ')})`,
    metadata,
    (r) => `the title, outlet, URL or date of “${clip(r.title)}”`,
  );

  // Labels before annotations that name them.
  const labels = of('label').map((e) => {
    const l = labelForPush(db, e.ref);
    const at = (f: string) => latest(e.fields, f) ?? '';
    return l
      ? {
          id: e.ref,
          deleted: false,
          name: l.name,
          name_at: at('name'),
          color: l.color,
          color_at: at('color'),
          shortcut: l.shortcut,
          shortcut_at: at('shortcut'),
          description: l.description,
          description_at: at('description'),
          deleted_at: at(''),
        }
      : {
          id: e.ref,
          deleted: true,
          name: e.ref,
          name_at: '',
          color: '#888888',
          color_at: '',
          shortcut: '',
          shortcut_at: '',
          description: '',
          description_at: '',
          deleted_at: at(''),
        };
  });
  const lww = (f: string, t = 'claimdesk.labels') =>
    `${f} = CASE WHEN excluded.${f}_at > ${t}.${f}_at THEN excluded.${f} ELSE ${t}.${f} END, ${f}_at = greatest(excluded.${f}_at, ${t}.${f}_at)`;
  add(
    'label',
    'id',
    `INSERT INTO claimdesk.labels (id, name, name_at, color, color_at, shortcut, shortcut_at, description, description_at, deleted, deleted_at)
     SELECT id, name, name_at, color, color_at, shortcut, shortcut_at, description, description_at, deleted, deleted_at
     FROM json_to_recordset($1::json) AS r(id text, name text, name_at text, color text, color_at text, shortcut text, shortcut_at text, description text, description_at text, deleted boolean, deleted_at text)
     ON CONFLICT (id) DO UPDATE SET ${['name', 'color', 'shortcut', 'description'].map((f) => lww(f)).join(', ')},
       deleted = CASE WHEN excluded.deleted_at >= claimdesk.labels.deleted_at THEN excluded.deleted ELSE claimdesk.labels.deleted END,
       deleted_at = greatest(excluded.deleted_at, claimdesk.labels.deleted_at)`,
    labels,
    (r) => `label "${clip(r.name)}"`,
  );

  const annotations: Record<string, unknown>[] = [];
  const tombstones: Record<string, unknown>[] = [];
  for (const e of of('annotation')) {
    const a = annotationForPush(db, e.ref);
    if (a) {
      annotations.push({ ...a });
      articleHashes.add(a.article_hash);
    } else tombstones.push({ id: e.ref });
  }
  add(
    'annotation',
    'id',
    `INSERT INTO claimdesk.annotations AS t (id, article_hash, start, "end", quote, prefix, suffix, label, annotator, note, created_at, updated_at)
     SELECT id, article_hash, start, "end", quote, prefix, suffix, label, annotator, note, created_at, updated_at
     FROM json_to_recordset($1::json) AS r(id text, article_hash text, start int, "end" int, quote text, prefix text, suffix text, label text, annotator text, note text, created_at text, updated_at text)
     ON CONFLICT (id) DO UPDATE SET start = excluded.start, "end" = excluded."end", quote = excluded.quote, prefix = excluded.prefix, suffix = excluded.suffix,
       label = excluded.label, note = excluded.note, updated_at = excluded.updated_at, deleted = false
     WHERE (t.start, t."end", t.quote, t.label, t.note, t.updated_at, t.deleted) IS DISTINCT FROM (excluded.start, excluded."end", excluded.quote, excluded.label, excluded.note, excluded.updated_at, false)`,
    annotations,
    (r) => `${String(r.annotator)}'s ${String(r.label)} tag “${clip(r.quote)}”`,
  );
  add(
    'annotation',
    'id',
    `UPDATE claimdesk.annotations t SET deleted = true FROM json_to_recordset($1::json) AS r(id text) WHERE t.id = r.id AND NOT t.deleted`,
    tombstones,
    (r) => `deleting tag ${String(r.id)}`,
  );

  const links: Record<string, unknown>[] = [];
  const linkTombstones: Record<string, unknown>[] = [];
  for (const e of of('link')) {
    const l = linkForPush(db, e.ref);
    if (l) links.push({ ...l });
    else linkTombstones.push({ id: e.ref });
  }
  add(
    'link',
    'id',
    `INSERT INTO claimdesk.links AS t (id, claim_id, source_id, kind, annotator, created_at)
     SELECT id, claim_id, source_id, kind, annotator, created_at
     FROM json_to_recordset($1::json) AS r(id text, claim_id text, source_id text, kind text, annotator text, created_at text)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, deleted = false WHERE (t.kind, t.deleted) IS DISTINCT FROM (excluded.kind, false)`,
    links,
    (r) => `${String(r.annotator)}'s source link ${String(r.id)}`,
  );
  add(
    'link',
    'id',
    `UPDATE claimdesk.links t SET deleted = true FROM json_to_recordset($1::json) AS r(id text) WHERE t.id = r.id AND NOT t.deleted`,
    linkTombstones,
    (r) => `deleting source link ${String(r.id)}`,
  );

  const groups = of('group').map((e) => {
    const g = groupForPush(db, e.ref);
    const at = (f: string) => latest(e.fields, f) ?? '';
    return g
      ? {
          id: e.ref,
          canonical: g.canonical,
          canonical_at: at('canonical'),
          note: g.note,
          note_at: at('note'),
          created_by: g.created_by,
          created_at: g.created_at,
          deleted: false,
          deleted_at: at(''),
        }
      : {
          id: e.ref,
          canonical: '',
          canonical_at: '',
          note: '',
          note_at: '',
          created_by: '',
          created_at: at(''),
          deleted: true,
          deleted_at: at(''),
        };
  });
  add(
    'group',
    'id',
    `INSERT INTO claimdesk.groups (id, canonical, canonical_at, note, note_at, created_by, created_at, deleted, deleted_at)
     SELECT id, canonical, canonical_at, note, note_at, created_by, created_at, deleted, deleted_at
     FROM json_to_recordset($1::json) AS r(id text, canonical text, canonical_at text, note text, note_at text, created_by text, created_at text, deleted boolean, deleted_at text)
     ON CONFLICT (id) DO UPDATE SET ${lww('canonical', 'claimdesk.groups')}, ${lww('note', 'claimdesk.groups')},
       deleted = CASE WHEN excluded.deleted_at >= claimdesk.groups.deleted_at THEN excluded.deleted ELSE claimdesk.groups.deleted END,
       deleted_at = greatest(excluded.deleted_at, claimdesk.groups.deleted_at)`,
    groups,
    (r) => `claim group “${clip(r.canonical)}”`,
  );

  const members = of('member').map((e) => {
    const m = memberForPush(db, e.ref);
    return { annotation_id: e.ref, group_id: m?.group_id ?? null, added_by: m?.added_by ?? '', at: latest(e.fields, '') ?? '' };
  });
  add(
    'member',
    'annotation_id',
    `INSERT INTO claimdesk.memberships AS t (annotation_id, group_id, added_by, at)
     SELECT annotation_id, group_id, added_by, at FROM json_to_recordset($1::json) AS r(annotation_id text, group_id text, added_by text, at text)
     ON CONFLICT (annotation_id) DO UPDATE SET group_id = excluded.group_id, added_by = excluded.added_by, at = excluded.at WHERE excluded.at >= t.at`,
    members,
    (r) => `group membership of ${String(r.annotation_id)}`,
  );

  const history = of('history')
    .map((e) => historyForPush(db, e.ref))
    .filter((h) => h !== null)
    .map((h) => ({ ...h, ref: h.uid }));
  add(
    'history',
    'ref',
    `INSERT INTO claimdesk.group_history (id, group_id, action, detail, actor, at)
     SELECT uid, group_id, action, detail, actor, at FROM json_to_recordset($1::json) AS r(uid text, group_id text, action text, detail text, actor text, at text)
     ON CONFLICT (id) DO NOTHING`,
    history,
    (r) => `${String(r.actor)}'s group history entry “${String(r.action)}”`,
  );

  const adjudications = of('adjudication')
    .map((e) => adjudicationForPush(db, e.ref))
    .filter((a) => a !== null);
  for (const a of adjudications) articleHashes.add(a.article_hash);
  add(
    'adjudication',
    'uid',
    `INSERT INTO claimdesk.adjudications (id, article_hash, item_key, kind, annotator_a, annotator_b, a_id, b_id, decision, reason, reviewer, at, gold_ids)
     SELECT uid, article_hash, item_key, kind, annotator_a, annotator_b, a_id, b_id, decision, reason, reviewer, at, gold_ids
     FROM json_to_recordset($1::json) AS r(uid text, article_hash text, item_key text, kind text, annotator_a text, annotator_b text, a_id text, b_id text, decision text, reason text, reviewer text, at text, gold_ids text)
     ON CONFLICT (id) DO NOTHING`,
    adjudications.map((a) => ({ ...a })),
    (r) => `review decision by ${String(r.reviewer)}`,
  );

  const origins = of('gold_origin').map((e) => {
    const g = goldOriginForPush(db, e.ref);
    return { gold_id: e.ref, origin_id: g?.origin_id ?? '', deleted: g === null };
  });
  add(
    'gold_origin',
    'gold_id',
    `INSERT INTO claimdesk.gold_origins AS t (gold_id, origin_id, deleted)
     SELECT gold_id, origin_id, deleted FROM json_to_recordset($1::json) AS r(gold_id text, origin_id text, deleted boolean)
     ON CONFLICT (gold_id) DO UPDATE SET origin_id = CASE WHEN excluded.deleted THEN t.origin_id ELSE excluded.origin_id END, deleted = excluded.deleted
     WHERE t.deleted IS DISTINCT FROM excluded.deleted OR (NOT excluded.deleted AND t.origin_id IS DISTINCT FROM excluded.origin_id)`,
    origins,
    (r) => `gold origin of ${String(r.gold_id)}`,
  );
  return { steps, articleHashes };
}

/** The server's words for a refusal, said for an analyst. */
function refusalReason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === '42501' && /row-level security/.test(e.message ?? ''))
    return 'refused by the team database: it belongs to another member’s layer (or needs a reviewer)';
  if (e.code === '42501') return `refused by the team database: ${e.message ?? 'permission denied'}`;
  return `refused by the team database: ${e.message ?? String(err)}`;
}

async function runSteps(client: pg.Client, steps: readonly Step[]): Promise<void> {
  for (const s of steps) await client.query(s.sql, [JSON.stringify(s.rows)]);
}

/** Row by row under savepoints: what goes, goes; what is refused is named. */
async function runIsolating(client: pg.Client, steps: readonly Step[], refused: Refusal[]): Promise<void> {
  for (const s of steps) {
    for (const row of s.rows) {
      await client.query('SAVEPOINT row');
      try {
        await client.query(s.sql, [JSON.stringify([row])]);
        await client.query('RELEASE SAVEPOINT row');
      } catch (err) {
        if (isConnectionError(err)) throw err;
        await client.query('ROLLBACK TO SAVEPOINT row');
        refused.push({ kind: s.kind, ref: s.ref(row), what: s.describe(row), reason: refusalReason(err) });
      }
    }
  }
}

export interface PushResult {
  pushed: number;
  refused: Refusal[];
}

/**
 * Pushes everything waiting, batch by batch. Throws on a connection failure
 * (what was committed stays acknowledged; the rest waits for the next try).
 */
export async function push(
  client: pg.Client,
  db: Db,
  opts: { now: () => string; onBatch?: () => void; batch?: number; known?: Set<string> } = { now: () => new Date().toISOString() },
): Promise<PushResult> {
  const known = opts.known ?? new Set<string>();
  const result: PushResult = { pushed: 0, refused: [] };
  for (;;) {
    const entries = outboxBatch(db, opts.batch ?? PUSH_BATCH);
    const last = entries.at(-1);
    if (!last) return result;
    const { steps, articleHashes } = buildSteps(db, entries);
    const refused: Refusal[] = [];
    const unknown = [...articleHashes].filter((h) => !known.has(h));
    const confirmed: string[] = [];
    // A live push of a tag or two: one round trip opens the transaction and its savepoint.
    await client.query(unknown.length ? 'BEGIN' : 'BEGIN; SAVEPOINT batch');
    try {
      // The articles the batch's rows name, unless the server has them already (their text is the bulk of a push).
      if (unknown.length) {
        const { rows } = await client.query<{ content_hash: string }>(
          'SELECT content_hash FROM claimdesk.articles WHERE content_hash = ANY($1)',
          [unknown],
        );
        const present = new Set(rows.map((r) => r.content_hash));
        const missing = articlesForPush(
          db,
          unknown.filter((h) => !present.has(h)),
        );
        for (let i = 0; i < missing.length; i += 200) await client.query(ARTICLE_SQL, [JSON.stringify(missing.slice(i, i + 200))]);
        confirmed.push(...present, ...missing.map((a) => a.content_hash));
        await client.query('SAVEPOINT batch');
      }
      try {
        await runSteps(client, steps);
      } catch (err) {
        if (isConnectionError(err)) throw err;
        await client.query('ROLLBACK TO SAVEPOINT batch');
        await runIsolating(client, steps, refused);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    ackOutbox(db, last.seq, refused, opts.now());
    for (const h of confirmed) known.add(h);
    result.pushed += entries.length;
    result.refused.push(...refused);
    opts.onBatch?.();
  }
}
