/**
 * The cross-article claims table: a query over groups, members, links and
 * articles, never a copy. Quotes are stored on annotation rows, so nothing
 * here slices article bodies except the paragraph lookup for one group.
 */
import { OffsetIndex } from '../../shared/offsets.js';
import type { AttributionKind, ClaimInstance, ClaimRow } from '../../shared/schemas.js';
import { compareClaimRows, DEFAULT_CLAIM_SORT } from '../../shared/claims-sort.js';
import type { Db } from './database.js';

/** The label ids with a meaning of their own in the claims table. */
export const CLAIM_LABEL = 'claim';
export const SOURCE_LABEL = 'source';
export const OPINION_LABEL = 'opinion';

/** How an article with no outlet is named where outlets are listed. */
export function outletName(outlet: string | null, articleTitle: string): string {
  return outlet ?? `(no outlet) ${articleTitle.length > 40 ? `${articleTitle.slice(0, 40)}…` : articleTitle}`;
}

const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true }).compare;

const KINDS: readonly AttributionKind[] = ['direct', 'paraphrase', 'unnamed'];

/**
 * Each string's place in alphabetical order, equal for strings the collator
 * holds equal: sorting by these numbers gives the collator's order (ties
 * kept in place), with one collator pass over the distinct strings instead
 * of one per list.
 */
function alphabeticalRanks(strings: readonly string[]): Int32Array {
  const order = strings.map((_, i) => i).sort((a, b) => byName(strings[a] as string, strings[b] as string));
  const rank = new Int32Array(strings.length);
  order.forEach((i, k) => {
    const prev = order[k - 1];
    rank[i] = prev !== undefined && byName(strings[prev] as string, strings[i] as string) === 0 ? (rank[prev] as number) : k;
  });
  return rank;
}

/**
 * Sorts `ids` by `rank` in place, ties kept in order: for the short lists
 * most groups have (a few outlets, a few sources) it costs a fraction of
 * `Array.prototype.sort` and its comparator calls.
 */
function insertionSort(ids: number[], rank: Int32Array): void {
  for (let i = 1; i < ids.length; i++) {
    const id = ids[i] as number;
    const r = rank[id] as number;
    let j = i - 1;
    for (; j >= 0 && (rank[ids[j] as number] as number) > r; j--) ids[j + 1] = ids[j] as number;
    ids[j + 1] = id;
  }
}

/** Small integers for distinct strings, in the order first met. */
class Interned {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.push(s) - 1;
      this.ids.set(s, id);
    }
    return id;
  }

  /** The strings of `ids` in alphabetical order (ties in the order given), given the ranks of all of them; puts `ids` in that order too. */
  inOrder(ids: number[], rank: Int32Array): string[] {
    if (ids.length > 16) ids.sort((a, b) => (rank[a] as number) - (rank[b] as number));
    else insertionSort(ids, rank);
    const out = new Array<string>(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = this.strings[ids[i] as number] as string;
    return out;
  }
}

/**
 * The distinct small integers added in one round (one group), in the order
 * first added, each with its place in that order. Marks in arrays indexed by
 * the integer stand in for a set per group, and `next()` forgets them all at
 * once by starting a new round. `list` is reused by the next round.
 */
class Distinct {
  readonly list: number[] = [];
  private readonly round: Int32Array;
  private readonly place: Int32Array;
  private current = 1;

  constructor(size: number) {
    this.round = new Int32Array(size);
    this.place = new Int32Array(size);
  }

  next(): void {
    this.current++;
    this.list.length = 0;
  }

  has(x: number): boolean {
    return this.round[x] === this.current;
  }

  /** `x`'s place in the order first added this round (it stays when `list` is reordered), added at the end if new. */
  add(x: number): number {
    if (this.has(x)) return this.place[x] as number;
    this.round[x] = this.current;
    this.place[x] = this.list.length;
    return this.list.push(x) - 1;
  }
}

/**
 * The indices of `bucketOf` ordered by bucket, each bucket's in their
 * original order, leaving out those with a negative bucket: bucket `b` is
 * `order[start[b]]` to `order[start[b + 1] - 1]`. A counting sort, linear in
 * the number of indices and buckets.
 */
function bucketed(bucketOf: Int32Array, buckets: number): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(buckets + 1);
  for (const b of bucketOf) if (b >= 0) start[b + 1] = (start[b + 1] as number) + 1;
  for (let b = 0; b < buckets; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number);
  const next = start.slice(0, buckets);
  const order = new Int32Array(start[buckets] as number);
  bucketOf.forEach((b, i) => {
    if (b >= 0) order[(next[b] = (next[b] as number) + 1) - 1] = i;
  });
  return { order, start };
}

/**
 * The rows the aggregate is built from: the whole library, or only what some
 * groups need. Annotations and groups are named by their numbers (`n`,
 * schema version 7), so joining members and links to them indexes arrays
 * instead of hashing UUIDs. The large tables come as columns (see `columns`).
 */
interface AggregateInput {
  articles: readonly [id: number, title: string, outlet: string | null, published: string | null][];
  /**
   * In the order rows are wanted: the claim groups, then a row per span of claims in no group (`id` null, `claimId`
   * the claim it shows; numbered after the groups, see `withUngrouped`).
   */
  groups: readonly (readonly [
    n: number,
    id: string | null,
    canonical: string,
    note: string,
    createdAt: string,
    key?: string,
    claimId?: string,
  ])[];
  /**
   * Claims and sources: the article and annotator only for claims, the quote only for sources. A member or link may
   * name an annotation relabelled since; a member counts only while it is a claim (as in the group's instances and the
   * exports), and a link names someone only while its source is a source.
   */
  mentions: { n: number[]; claimArticleId: (number | null)[]; claimAnnotator: (string | null)[]; sourceQuote: (string | null)[] };
  /** Source entities (schema 14): a source in one is named by the entity's name. */
  entities: readonly (readonly [id: string, name: string])[];
  /** The entity of each annotation (by number) in one; read apart from `mentions`, as few sources are. */
  entityMembers: readonly (readonly [n: number, entityId: string])[];
  members: { annotationN: (number | null)[]; groupN: (number | null)[] };
  /** In `source_links` rowid order, so the spelling kept for sources that differ only in case does not depend on how they were read; `kind` is a place in `KINDS`. */
  links: { claimN: (number | null)[]; sourceN: (number | null)[]; kind: number[] };
}

/** A claims table row with the key it is ordered by (groups in the order they were made). */
export interface KeyedClaimRow {
  row: ClaimRow;
  createdAt: string;
}

/**
 * Which annotators' claims the table counts: one layer (an annotator's name,
 * or `gold`), or all of them (null). Wherever several layers hold the same
 * claim (the same span of the same article), it is counted once.
 */
export type ClaimLayer = string | null;

/** The change-log key of the row of the claims at a span that are in no group (see schema 12). */
export const spanKey = (articleId: number, start: number, end: number) => `span:${articleId}:${start}:${end}`;
const SPAN_KEY = /^span:(\d+):(\d+):(\d+)$/;

/** An array indexed by the numbers in `ns`, every entry `empty`. */
function byNumber(ns: Iterable<number>, empty: number): Int32Array {
  let top = -1;
  for (const n of ns) if (n > top) top = n;
  return new Int32Array(top + 1).fill(empty);
}

/**
 * One row per group of `input.groups`. Facts about annotations sit in arrays
 * indexed by annotation number; members and links are sorted into their
 * groups by a counting sort, and each group's distinct articles, outlets,
 * annotators and sources are counted with marks (`Distinct`), so the cost
 * grows with the number of rows read, never with the length of article
 * texts, and no set or map is made per group.
 */
function aggregate(input: AggregateInput, spanOf: (n: number) => string | null): KeyedClaimRow[] {
  // Article ids are small dense integers: arrays index them faster than a map.
  const outletNames = new Interned();
  const outletOf = byNumber(
    input.articles.map((a) => a[0]),
    -1,
  );
  const publishedOf: (string | null)[] = [];
  for (const [id, title, outlet, published] of input.articles) {
    outletOf[id] = outletNames.id(outletName(outlet, title));
    publishedOf[id] = published;
  }
  const groupAt = byNumber(
    input.groups.map((g) => g[0]),
    -1,
  );
  input.groups.forEach(([n], g) => (groupAt[n] = g));

  const { mentions, members, links } = input;
  const articleOf = byNumber(mentions.n, -1);
  const annotatorNames = new Interned();
  const annotatorOf = new Int32Array(articleOf.length);
  // Sources are deduplicated by their name (their entity's, else their wording), case and spacing aside: each source's
  // name (spacing collapsed) and key (case aside) are worked out once.
  const sourceNames = new Interned();
  const sourceKeys = new Interned();
  const nameOf = new Int32Array(articleOf.length).fill(-1);
  const keyOf = new Int32Array(articleOf.length);
  // For a source in an entity: the entity (a place in `input.entities`) and the wording (in `sourceNames`) it is cited by.
  const entityAt = new Map(input.entities.map(([id], i) => [id, i]));
  const entityOf = new Int32Array(articleOf.length).fill(-1);
  const wordingOf = new Int32Array(articleOf.length);
  for (const [n, entityId] of input.entityMembers) if (n < entityOf.length) entityOf[n] = entityAt.get(entityId) ?? -1;
  mentions.n.forEach((n, i) => {
    const articleId = mentions.claimArticleId[i] ?? null;
    if (articleId !== null) {
      articleOf[n] = articleId;
      annotatorOf[n] = annotatorNames.id(mentions.claimAnnotator[i] ?? '');
    }
    const quote = mentions.sourceQuote[i];
    if (quote === null || quote === undefined) return;
    const wording = quote.replace(/\s+/g, ' ').trim();
    const entity = entityOf[n] as number;
    const name = entity < 0 ? wording : (input.entities[entity] as readonly [string, string])[1].replace(/\s+/g, ' ').trim();
    nameOf[n] = sourceNames.id(name);
    keyOf[n] = sourceKeys.id(name.toLowerCase());
    if (entity >= 0) wordingOf[n] = sourceNames.id(wording);
  });
  // A link to an annotation that is not a source names no one.
  const unnamed = sourceNames.id('');
  const unnamedKey = sourceKeys.id('');

  // Members of a group that exists, naming a claim in an article that exists; then the links of those claims.
  const groupOf = new Int32Array(articleOf.length).fill(-1);
  const memberGroup = Int32Array.from(members.annotationN, (n, i) => {
    const g = groupAt[members.groupN[i] ?? -1] ?? -1;
    const articleId = articleOf[n ?? -1] ?? -1;
    if (n === null || g < 0 || (outletOf[articleId] ?? -1) < 0) return -1;
    groupOf[n] = g;
    return g;
  });
  const linkGroup = Int32Array.from(links.claimN, (n) => groupOf[n ?? -1] ?? -1);
  const membersOf = bucketed(memberGroup, input.groups.length);
  const linksOf = bucketed(linkGroup, input.groups.length);

  // Lists in alphabetical order, not the order rows happen to lie in: two libraries holding the same claims give the same table.
  const outletRank = alphabeticalRanks(outletNames.strings);
  const annotatorRank = alphabeticalRanks(annotatorNames.strings);
  const nameRank = alphabeticalRanks(sourceNames.strings);
  const articles = new Distinct(outletOf.length);
  const outlets = new Distinct(outletNames.strings.length);
  const annotators = new Distinct(annotatorNames.strings.length);
  const keys = new Distinct(sourceKeys.strings.length);
  const names = new Distinct(sourceNames.strings.length);
  return input.groups.map(([, groupId, canonical, note, createdAt, key, claimId], g) => {
    articles.next();
    outlets.next();
    annotators.next();
    let first: string | null = null;
    let last: string | null = null;
    const memberEnd = membersOf.start[g + 1] as number;
    let instanceCount = memberEnd - (membersOf.start[g] as number);
    for (let k = membersOf.start[g] as number; k < memberEnd; k++) {
      const n = members.annotationN[membersOf.order[k] as number] as number;
      const articleId = articleOf[n] as number;
      // Two members in one article may be two layers' copies of one claim: only then are spans compared.
      if (articles.has(articleId)) instanceCount = -1;
      articles.add(articleId);
      outlets.add(outletOf[articleId] as number);
      annotators.add(annotatorOf[n] as number);
      const p = publishedOf[articleId] ?? null;
      if (p !== null) {
        if (first === null || p < first) first = p;
        if (last === null || p > last) last = p;
      }
    }

    keys.next();
    const sources: number[] = [];
    /** Per outlet (in `outlets.list` order), the names of its sources, repeats included. */
    const outletSources: number[][] = outlets.list.map(() => []);
    let kinds = 0;
    /** Entities cited, with the wordings (in `sourceNames`) they are cited by; made only for groups citing one. */
    let cited: Map<number, Set<number>> | null = null;
    const linkEnd = linksOf.start[g + 1] as number;
    for (let k = linksOf.start[g] as number; k < linkEnd; k++) {
      const i = linksOf.order[k] as number;
      const claim = links.claimN[i] as number;
      const source = links.sourceN[i] ?? -1;
      const known = (nameOf[source] ?? -1) >= 0;
      const name = known ? (nameOf[source] as number) : unnamed;
      const key = known ? (keyOf[source] as number) : unnamedKey;
      if (!keys.has(key)) {
        keys.add(key);
        sources.push(name);
      }
      kinds |= 1 << (links.kind[i] as number);
      const entity = known ? (entityOf[source] as number) : -1;
      if (entity >= 0) {
        cited ??= new Map();
        let wordings = cited.get(entity);
        if (!wordings) cited.set(entity, (wordings = new Set()));
        wordings.add(wordingOf[source] as number);
      }
      outletSources[outlets.add(outletOf[articleOf[claim] as number] as number)]?.push(name);
    }

    if (instanceCount < 0) {
      const spans = new Set<string>();
      for (let k = membersOf.start[g] as number; k < memberEnd; k++) {
        const n = members.annotationN[membersOf.order[k] as number] as number;
        spans.add(spanOf(n) ?? `n${n}`);
      }
      instanceCount = spans.size;
    }
    const outletList = outletNames.inOrder(outlets.list, outletRank);
    const bySource: Record<string, string[]> = {};
    outlets.list.forEach((outlet, i) => {
      names.next();
      for (const name of outletSources[outlets.add(outlet)] as number[]) names.add(name);
      bySource[outletList[i] as string] = sourceNames.inOrder(names.list, nameRank);
    });
    return {
      createdAt,
      row: {
        key: key ?? (groupId as string),
        groupId,
        claimId: claimId ?? null,
        canonical,
        note,
        instanceCount,
        articleCount: articles.list.length,
        outlets: outletList,
        sources: sourceNames.inOrder(sources, nameRank),
        sourceEntities: cited === null ? [] : citedEntities(cited, input.entities, sourceNames, nameRank),
        kinds: KINDS.filter((_, bit) => (kinds & (1 << bit)) !== 0),
        firstPublished: first,
        lastPublished: last,
        annotators: annotatorNames.inOrder(annotators.list, annotatorRank),
        outletSources: bySource,
      },
    };
  });
}

/** The entities a row cites, by name, each with its wordings in alphabetical order. */
function citedEntities(
  cited: Map<number, Set<number>>,
  entities: AggregateInput['entities'],
  names: Interned,
  rank: Int32Array,
): ClaimRow['sourceEntities'] {
  return [...cited]
    .map(([e, wordings]) => {
      const [id, name] = entities[e] as readonly [string, string];
      return { id, name: name.replace(/\s+/g, ' ').trim(), wordings: names.inOrder([...wordings], rank) };
    })
    .sort((a, b) => byName(a.name, b.name) || (a.id < b.id ? -1 : 1));
}

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

interface InstanceRow {
  id: string;
  article_id: number;
  start: number;
  end: number;
  quote: string;
  prefix: string;
  suffix: string;
  annotator: string;
  note: string;
  created_at: string;
  title: string;
  outlet: string | null;
  published_at: string | null;
  group_id: string | null;
  canonical: string | null;
}

/** Claims with their article and group. */
const INSTANCE_SELECT = `
  SELECT a.id, a.article_id, a.start, a.end, a.quote, a.prefix, a.suffix, a.annotator, a.note, a.created_at,
         ar.title, ar.outlet, ar.published_at, m.group_id, g.canonical
  FROM annotations a
  JOIN articles ar ON ar.id = a.article_id
  LEFT JOIN claim_group_members m ON m.annotation_id = a.id
  LEFT JOIN claim_groups g ON g.id = m.group_id
  WHERE a.label = '${CLAIM_LABEL}'`;

/**
 * The same rows for a whole-table read: `INDEXED BY` walks the articles'
 * index, already in article and offset order, and the group's wording comes
 * from a map of the groups (a join per row costs more than the rest of the
 * row).
 */
const INSTANCE_SELECT_IN_ARTICLE_ORDER = `
  SELECT a.id, a.article_id, a.start, a.end, a.quote, a.prefix, a.suffix, a.annotator, a.note, a.created_at,
         ar.title, ar.outlet, ar.published_at, m.group_id, NULL AS canonical
  FROM annotations a INDEXED BY annotations_by_article
  JOIN articles ar ON ar.id = a.article_id
  LEFT JOIN claim_group_members m ON m.annotation_id = a.id
  WHERE a.label = '${CLAIM_LABEL}'
  ORDER BY a.article_id, a.start, a.end, a.id`;

/** A claim's sources as exports list them. */
export interface InstanceSource {
  annotationId: string;
  quote: string;
  kind: AttributionKind;
  /** The source's entity (schema 14), if it is in one. */
  entityId: string | null;
  entityName: string | null;
}

/**
 * Every claim annotation with its article, group and sources, one article
 * at a time, in article and text order. Three cursors walk the articles'
 * index side by side (claims, attributed sources, and the article texts when
 * `withText` is set, for UTF-16 offsets) and are merged by article id, so
 * only one article's rows (and the groups' wording) are ever in memory and
 * SQLite never sorts the whole table (the index gives article and offset order; only ties on the
 * same offsets are sorted).
 */
export function* claimInstancesByArticle(
  db: Db,
  { withText = false }: { withText?: boolean } = {},
): Generator<{ articleId: number; rows: InstanceRow[]; sources: Map<string, InstanceSource[]>; text: string | null }> {
  const canonical = new Map(db.prepare('SELECT id, canonical FROM claim_groups').raw().all() as [string, string][]);
  const claims = db.prepare(INSTANCE_SELECT_IN_ARTICLE_ORDER).iterate() as IterableIterator<InstanceRow>;
  const sources = db
    .prepare(
      `SELECT s.article_id AS articleId, l.claim_id AS claimId, s.id AS annotationId, s.quote, l.kind
       FROM annotations s INDEXED BY annotations_by_article JOIN source_links l ON l.source_id = s.id
       WHERE s.label = '${SOURCE_LABEL}' ORDER BY s.article_id, s.start, s.id`,
    )
    .iterate() as IterableIterator<Omit<InstanceSource, 'entityId' | 'entityName'> & { articleId: number; claimId: string }>;
  // Sources in an entity are few next to all sources: a map of them keeps the export's main scan as it was.
  const entityOf = new Map(
    (
      db
        .prepare('SELECT m.annotation_id, m.entity_id, e.name FROM source_entity_members m JOIN source_entities e ON e.id = m.entity_id')
        .raw()
        .all() as [string, string, string][]
    ).map(([a, id, name]) => [a, { id, name }]),
  );
  const texts = withText
    ? (db.prepare('SELECT id, text FROM articles ORDER BY id').iterate() as IterableIterator<{ id: number; text: string }>)
    : null;
  try {
    let claim = claims.next();
    let source = sources.next();
    let text = texts?.next();
    while (!claim.done) {
      const articleId = claim.value.article_id;
      const rows: InstanceRow[] = [];
      while (!claim.done && claim.value.article_id === articleId) {
        const row = claim.value;
        if (row.group_id !== null) row.canonical = canonical.get(row.group_id) ?? null;
        rows.push(row);
        claim = claims.next();
      }
      const bySource = new Map<string, InstanceSource[]>();
      while (!source.done && source.value.articleId < articleId) source = sources.next();
      while (!source.done && source.value.articleId === articleId) {
        const { claimId, annotationId, quote, kind } = source.value;
        const list = bySource.get(claimId) ?? [];
        const entity = entityOf.size === 0 ? undefined : entityOf.get(annotationId);
        list.push({ annotationId, quote, kind, entityId: entity?.id ?? null, entityName: entity?.name ?? null });
        bySource.set(claimId, list);
        source = sources.next();
      }
      while (text && !text.done && text.value.id < articleId) text = texts?.next();
      yield { articleId, rows, sources: bySource, text: text && !text.done && text.value.id === articleId ? text.value.text : null };
    }
  } finally {
    // An export stopped early (a write failed) must not leave cursors open on the connection.
    claims.return?.();
    sources.return?.();
    texts?.return?.();
  }
}

export type { InstanceRow };

export function sourcesOfClaim(db: Db): (claimId: string) => InstanceSource[] {
  const stmt = db.prepare(
    `SELECT s.id AS annotationId, s.quote, l.kind, em.entity_id AS entityId, e.name AS entityName
     FROM source_links l JOIN annotations s ON s.id = l.source_id
     LEFT JOIN source_entity_members em ON em.annotation_id = s.id LEFT JOIN source_entities e ON e.id = em.entity_id
     WHERE l.claim_id = ? ORDER BY s.start, s.id`,
  );
  return (claimId) => stmt.all(claimId) as InstanceSource[];
}

/**
 * The instances of one group (or of ungrouped claims when `groupId` is null; with `claimId`, the claims at that claim's
 * span), with sources and the opinion in the same paragraph. With a `layer`, only that annotator's claims; else a claim
 * several layers hold is listed once, with every annotator who tagged it (as the claims table counts it).
 */
export function claimInstances(
  db: Db,
  groupId: string | null,
  { layer = null, claimId }: { layer?: ClaimLayer; claimId?: string } = {},
): ClaimInstance[] {
  const order = 'ORDER BY ar.published_at, a.article_id, a.start, a.end, a.created_at, a.id';
  const span = `AND (a.article_id, a.start, a.end) = (SELECT article_id, start, end FROM annotations WHERE id = ?)`;
  const all = (
    claimId !== undefined
      ? db.prepare(`${INSTANCE_SELECT} ${span} AND m.group_id IS ? ${order}`).all(claimId, groupId)
      : groupId === null
        ? db.prepare(`${INSTANCE_SELECT} AND m.group_id IS NULL ${order}`).all()
        : db.prepare(`${INSTANCE_SELECT} AND m.group_id = ? ${order}`).all(groupId)
  ) as InstanceRow[];
  const rows: InstanceRow[] = [];
  const bySpan = new Map<string, InstanceRow>();
  for (const r of all) {
    if (layer !== null && r.annotator !== layer) continue;
    const key = spanKey(r.article_id, r.start, r.end);
    const first = bySpan.get(key);
    if (first) {
      if (!first.annotator.split(', ').includes(r.annotator)) first.annotator = `${first.annotator}, ${r.annotator}`;
      continue;
    }
    bySpan.set(key, r);
    rows.push(r);
  }
  const sources = sourcesOfClaim(db);
  const textOf = db.prepare('SELECT text FROM articles WHERE id = ?');
  const opinionsIn = db.prepare(
    `SELECT id, quote FROM annotations WHERE article_id = ? AND label = '${OPINION_LABEL}' AND start < ? AND end > ? ORDER BY start`,
  );
  const paragraphCache = new Map<number, { text: string; index: OffsetIndex }>();
  return rows.map((r) => {
    let cached = paragraphCache.get(r.article_id);
    if (!cached) {
      const text = (textOf.get(r.article_id) as { text: string }).text;
      cached = { text, index: new OffsetIndex(text) };
      paragraphCache.set(r.article_id, cached);
    }
    // The paragraph is the run of text between line breaks around the claim.
    const u16Start = cached.index.toUtf16(r.start);
    const u16End = cached.index.toUtf16(r.end);
    const paraStart = cached.text.lastIndexOf('\n', u16Start - 1) + 1;
    const nl = cached.text.indexOf('\n', u16End);
    const paraEnd = nl < 0 ? cached.text.length : nl;
    const opinions = opinionsIn.all(r.article_id, cached.index.toCodePoint(paraEnd), cached.index.toCodePoint(paraStart)) as {
      id: string;
      quote: string;
    }[];
    return {
      annotationId: r.id,
      groupId: r.group_id,
      articleId: r.article_id,
      articleTitle: r.title,
      outlet: r.outlet,
      publishedAt: r.published_at,
      start: r.start,
      end: r.end,
      quote: r.quote,
      prefix: r.prefix,
      suffix: r.suffix,
      annotator: r.annotator,
      note: r.note,
      sources: sources(r.id),
      opinions: opinions.map((o) => ({ annotationId: o.id, quote: o.quote })),
    };
  });
}

/** Claim quotes for similarity ranking: every claim with its article and group. */
export function claimQuotes(
  db: Db,
): { id: string; quote: string; articleId: number; title: string; outlet: string | null; groupId: string | null }[] {
  return db
    .prepare(
      `SELECT a.id, a.quote, a.article_id AS articleId, ar.title, ar.outlet, m.group_id AS groupId
       FROM annotations a JOIN articles ar ON ar.id = a.article_id LEFT JOIN claim_group_members m ON m.annotation_id = a.id
       WHERE a.label = '${CLAIM_LABEL}'`,
    )
    .all() as { id: string; quote: string; articleId: number; title: string; outlet: string | null; groupId: string | null }[];
}
