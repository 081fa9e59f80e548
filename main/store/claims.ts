/**
 * The cross-article claims table: a query over groups, members, links and
 * articles, never a copy. The rows are read here as columns and aggregated
 * by claims-aggregate.ts; the instances behind them are in claim-instances.ts.
 */
import type { ClaimRow } from '../../shared/schemas.js';
import { compareClaimRows, DEFAULT_CLAIM_SORT } from '../../shared/claims-sort.js';
import type { Db } from './database.js';
import {
  aggregate,
  KINDS,
  type AggregateInput,
  type ClaimLayer,
  type KeyedClaimRow,
  spanKey,
  SPAN_KEY,
  CLAIM_LABEL,
  SOURCE_LABEL,
} from './claims-aggregate.js';

export { CLAIM_LABEL, OPINION_LABEL, outletName, SOURCE_LABEL, spanKey, type ClaimLayer, type KeyedClaimRow } from './claims-aggregate.js';

/**
 * Some columns of many rows, one array per column, the i-th entries from the
 * same row, read in one pass: SQLite gathers each column into a JSON array
 * and `JSON.parse` turns each into one array. At 100,000 rows that costs a
 * third less than plucking each column in a pass of its own, and far less
 * than an array per row. `from` is a `FROM` clause; to keep rows in an
 * order, give it a subquery with an `ORDER BY` (SQLite feeds an aggregate
 * the rows of such a subquery in its order).
 */
function columns<T extends Record<string, unknown[]>>(db: Db, select: { [K in keyof T]: string }, from: string, ...params: unknown[]): T {
  const names = Object.keys(select);
  const arrays = db
    .prepare(`SELECT ${names.map((name) => `json_group_array(${select[name]})`).join(', ')} ${from}`)
    .raw()
    .get(...params) as string[];
  return Object.fromEntries(names.map((name, i) => [name, JSON.parse(arrays[i] as string) as unknown[]])) as T;
}

const GROUP_COLUMNS = 'n, id, canonical, note, created_at';
const MENTION_COLUMNS = {
  n: 'n',
  claimArticleId: `CASE label WHEN '${CLAIM_LABEL}' THEN article_id END`,
  claimAnnotator: `CASE label WHEN '${CLAIM_LABEL}' THEN annotator END`,
  sourceQuote: `CASE label WHEN '${SOURCE_LABEL}' THEN quote END`,
};
const ENTITIES = 'SELECT id, name FROM source_entities';
const ENTITY_MEMBERS = 'SELECT a.n, m.entity_id FROM source_entity_members m JOIN annotations a ON a.id = m.annotation_id';
const MENTION_LABELS = `label IN ('${CLAIM_LABEL}', '${SOURCE_LABEL}')`;
const MEMBER_COLUMNS = { annotationN: 'annotation_n', groupN: 'group_n' };
const LINK_COLUMNS = {
  claimN: 'claim_n',
  sourceN: 'source_n',
  kind: `CASE kind ${KINDS.map((k, i) => `WHEN '${k}' THEN ${i}`).join(' ')} END`,
};

/** Leaves out the claims of other layers: a member or link of such a claim then counts nowhere. */
function inLayer(mentions: AggregateInput['mentions'], layer: ClaimLayer): void {
  if (layer === null) return;
  mentions.claimAnnotator.forEach((annotator, i) => {
    if (annotator !== null && annotator !== layer) mentions.claimArticleId[i] = null;
  });
}

interface SpanClaim {
  n: number;
  id: string;
  articleId: number;
  start: number;
  end: number;
  quote: string;
  annotator: string;
  createdAt: string;
  grouped: number;
}
const SPAN_CLAIM_COLUMNS = `c.n, c.id, c.article_id AS articleId, c.start, c.end, c.quote, c.annotator, c.created_at AS createdAt,
  EXISTS (SELECT 1 FROM claim_group_members m WHERE m.annotation_id = c.id) AS grouped`;

/**
 * Adds a row for each span whose claims (in the layer) are in no group: its
 * members are the layers' claims at that span, so the row counts the claim
 * once and lists every annotator who tagged it. `claims` are every claim at
 * the spans concerned, any layer, grouped or not.
 */
function withUngrouped(input: AggregateInput, claims: readonly SpanClaim[], layer: ClaimLayer): AggregateInput {
  const bySpan = new Map<string, SpanClaim[]>();
  const seen = new Set<number>();
  for (const c of claims) {
    if ((layer !== null && c.annotator !== layer) || seen.has(c.n)) continue;
    seen.add(c.n);
    const key = spanKey(c.articleId, c.start, c.end);
    const list = bySpan.get(key);
    if (list) list.push(c);
    else bySpan.set(key, [c]);
  }
  let top = -1;
  for (const g of input.groups) if (g[0] > top) top = g[0];
  const groups = [...input.groups];
  const members = { annotationN: [...input.members.annotationN], groupN: [...input.members.groupN] };
  const byTime = (a: { createdAt: string; key: string }, b: { createdAt: string; key: string }) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  const rows: { key: string; createdAt: string; list: SpanClaim[] }[] = [];
  for (const [key, list] of bySpan) {
    if (list.some((c) => c.grouped)) continue;
    list.sort((a, b) => byTime({ createdAt: a.createdAt, key: a.id }, { createdAt: b.createdAt, key: b.id }));
    rows.push({ key, createdAt: (list[0] as SpanClaim).createdAt, list });
  }
  // In the order the claims were tagged, as the host's cache keeps them (see claims-cache.ts).
  for (const { key, list } of rows.sort(byTime)) {
    const first = list[0] as SpanClaim;
    const n = ++top;
    groups.push([n, null, first.quote.replace(/\s+/g, ' ').trim(), '', first.createdAt, key, first.id]);
    for (const c of list) {
      members.annotationN.push(c.n);
      members.groupN.push(n);
    }
  }
  return { ...input, groups, members };
}

/** Claims at the same spans as the claims numbered `ns` (themselves included), any layer. */
function claimsAtSpansOf(db: Db, ns: readonly number[]): SpanClaim[] {
  if (ns.length === 0) return [];
  return db
    .prepare(
      `SELECT ${SPAN_CLAIM_COLUMNS} FROM annotations u JOIN annotations c INDEXED BY annotations_by_article
         ON c.article_id = u.article_id AND c.start = u.start AND c.end = u.end AND c.label = '${CLAIM_LABEL}'
       WHERE u.n IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ns)) as SpanClaim[];
}

/** Looks a claim's span up by its number (rarely needed: see `aggregate`). */
function spanLookup(db: Db): (n: number) => string | null {
  const stmt = db.prepare('SELECT article_id, start, end FROM annotations WHERE n = ?').raw();
  return (n) => {
    const r = stmt.get(n) as [number, number, number] | undefined;
    return r ? spanKey(r[0], r[1], r[2]) : null;
  };
}

/** In a layer, a group none of whose claims the layer holds has no row. */
const shown = (rows: KeyedClaimRow[], layer: ClaimLayer) => (layer === null ? rows : rows.filter((k) => k.row.instanceCount > 0));

/**
 * The whole table from narrow scans of every table involved, in the order groups were made, then a row per claim
 * in no group (`npm run bench` times it at 10,000 groups and 100,000 instances).
 */
export function keyedClaimRows(db: Db, layer: ClaimLayer = null): KeyedClaimRow[] {
  const rows = <T>(sql: string) => db.prepare(sql).raw().all() as T[];
  const input = db
    .transaction((): AggregateInput => {
      const base: AggregateInput = {
        articles: rows('SELECT id, title, outlet, published_at FROM articles'),
        groups: rows(`SELECT ${GROUP_COLUMNS} FROM claim_groups ORDER BY created_at, id`),
        // One pass over the table beats the label index here: the index would cost a row lookup for most rows.
        mentions: columns<AggregateInput['mentions']>(db, MENTION_COLUMNS, `FROM annotations NOT INDEXED WHERE ${MENTION_LABELS}`),
        members: columns<AggregateInput['members']>(db, MEMBER_COLUMNS, 'FROM (SELECT * FROM claim_group_members ORDER BY rowid)'),
        links: columns<AggregateInput['links']>(db, LINK_COLUMNS, 'FROM (SELECT * FROM source_links ORDER BY rowid)'),
        entities: rows(ENTITIES),
        entityMembers: rows(ENTITY_MEMBERS),
      };
      inLayer(base.mentions, layer);
      // Claims (of the layer) in no group: marks indexed by number, no set.
      let top = -1;
      for (const n of base.mentions.n) if (n > top) top = n;
      const member = new Uint8Array(top + 1);
      for (const n of base.members.annotationN) if (n !== null && n <= top) member[n] = 1;
      const ungrouped: number[] = [];
      base.mentions.n.forEach((n, i) => {
        if ((base.mentions.claimArticleId[i] ?? null) !== null && member[n] === 0) ungrouped.push(n);
      });
      return withUngrouped(base, claimsAtSpansOf(db, ungrouped), layer);
    })
    .deferred();
  return shown(aggregate(input, spanLookup(db)), layer);
}

/** One row per claim group, in the order the groups were made, then one per claim in no group. */
export function claimRows(db: Db, layer: ClaimLayer = null): ClaimRow[] {
  return keyedClaimRows(db, layer).map((k) => k.row);
}

/**
 * The rows of some keys only (group ids and span keys; a group that no longer exists, or a span with no ungrouped
 * claim, has none), read through the indexes; the same rows `claimRows` gives for them.
 */
export function claimRowsOf(db: Db, keys: readonly string[], layer: ClaimLayer = null): KeyedClaimRow[] {
  if (keys.length === 0) return [];
  const groupIds = keys.filter((k) => !k.startsWith('span:'));
  const spans = keys.map((k) => SPAN_KEY.exec(k)).filter((m): m is RegExpExecArray => m !== null);
  const ids = JSON.stringify(groupIds);
  const inGroups = 'SELECT value FROM json_each(?)';
  const inNumbers = (ns: (number | null)[]) => JSON.stringify([...new Set(ns)]);
  const rows = <T>(sql: string, ...params: unknown[]) =>
    db
      .prepare(sql)
      .raw()
      .all(...params) as T[];
  const input = db
    .transaction((): AggregateInput => {
      const atSpan = db.prepare(
        `SELECT ${SPAN_CLAIM_COLUMNS} FROM annotations c WHERE article_id = ? AND start = ? AND end = ? AND label = '${CLAIM_LABEL}'`,
      );
      const spanClaims = spans.flatMap((m) => atSpan.all(Number(m[1]), Number(m[2]), Number(m[3])) as SpanClaim[]);
      const members = columns<AggregateInput['members']>(
        db,
        MEMBER_COLUMNS,
        `FROM (SELECT * FROM claim_group_members WHERE group_id IN (${inGroups}) ORDER BY rowid)`,
        ids,
      );
      const claimIds = JSON.stringify(spanClaims.map((c) => c.id));
      const links = columns<AggregateInput['links']>(
        db,
        LINK_COLUMNS,
        `FROM (SELECT * FROM source_links WHERE claim_id IN (SELECT annotation_id FROM claim_group_members WHERE group_id IN (${inGroups})) OR claim_id IN (SELECT value FROM json_each(?)) ORDER BY rowid)`,
        ids,
        claimIds,
      );
      const mentions = columns<AggregateInput['mentions']>(
        db,
        MENTION_COLUMNS,
        `FROM annotations WHERE n IN (SELECT value FROM json_each(?)) AND ${MENTION_LABELS}`,
        inNumbers([...members.annotationN, ...links.sourceN, ...spanClaims.map((c) => c.n)]),
      );
      inLayer(mentions, layer);
      const base: AggregateInput = {
        articles: rows(
          `SELECT id, title, outlet, published_at FROM articles WHERE id IN (SELECT value FROM json_each(?))`,
          inNumbers(mentions.claimArticleId),
        ),
        groups: rows(`SELECT ${GROUP_COLUMNS} FROM claim_groups WHERE id IN (${inGroups})`, ids),
        mentions,
        members,
        links,
        entities: rows(ENTITIES),
        entityMembers: rows(`${ENTITY_MEMBERS} WHERE a.n IN (SELECT value FROM json_each(?))`, inNumbers(links.sourceN)),
      };
      return withUngrouped(base, spanClaims, layer);
    })
    .deferred();
  return shown(aggregate(input, spanLookup(db)), layer);
}

/** The first `limit` rows in the table's default order (what the renderer shows before the rest arrives). */
export function firstRows(rows: readonly ClaimRow[], limit: number): ClaimRow[] {
  const compare = compareClaimRows(DEFAULT_CLAIM_SORT);
  // A bounded insertion into a sorted top list: O(n · limit) worst case, ~O(n) in practice.
  const top: ClaimRow[] = [];
  for (const r of rows) {
    if (top.length === limit && compare(r, top[limit - 1] as ClaimRow) >= 0) continue;
    let i = top.length;
    while (i > 0 && compare(r, top[i - 1] as ClaimRow) < 0) i--;
    top.splice(i, 0, r);
    if (top.length > limit) top.pop();
  }
  return top;
}
