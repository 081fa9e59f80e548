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

/** Alphabetical, in place, without calling the collator for the one- and two-element lists most groups have. */
function sortedNames(out: string[]): string[] {
  if (out.length === 2) {
    if (byName(out[0] as string, out[1] as string) > 0) out.reverse();
  } else if (out.length > 2) out.sort(byName);
  return out;
}

/**
 * The distinct values of a list, in the order first added. Most groups hold
 * a handful of values, where a scan of the list is cheaper than a set; a
 * list past 24 values gets a set beside it, so a group of any size stays
 * linear.
 */
class Distinct<T> {
  readonly list: T[] = [];
  private set: Set<T> | null = null;

  /** Adds `x` if new: its position in the list, or -1 when it was there already. */
  add(x: T): number {
    if (this.set ? this.set.has(x) : this.list.includes(x)) return -1;
    if (this.set) this.set.add(x);
    else if (this.list.length === 24) this.set = new Set([...this.list, x]);
    return this.list.push(x) - 1;
  }
}

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
}

/**
 * The rows the aggregate is built from: the whole library, or only what some
 * groups need. Annotations and groups are named by their numbers (`n`,
 * schema version 7), so joining members and links to them indexes arrays
 * instead of hashing UUIDs.
 */
interface AggregateInput {
  articles: readonly [id: number, title: string, outlet: string | null, published: string | null][];
  /** In the order rows are wanted. */
  groups: readonly [n: number, id: string, canonical: string, note: string, createdAt: string][];
  /** Claims and sources (a member or link may name an annotation relabelled since: the table has always counted those); the quote only for sources. */
  mentions: readonly [n: number, articleId: number, annotator: string, quote: string | null][];
  members: readonly [annotationN: number | null, groupN: number | null][];
  /** In `source_links` rowid order, so the spelling kept for sources that differ only in case does not depend on how they were read. */
  links: readonly [claimN: number | null, sourceN: number | null, kind: AttributionKind][];
}

/** A claims table row with the key it is ordered by (groups in the order they were made). */
export interface KeyedClaimRow {
  row: ClaimRow;
  createdAt: string;
}

/** An array indexed by the numbers in `ns`, every entry `empty`. */
function byNumber(ns: Iterable<number>, empty: number): Int32Array {
  let top = -1;
  for (const n of ns) if (n > top) top = n;
  return new Int32Array(top + 1).fill(empty);
}

/**
 * One row per group of `input.groups`. Facts about annotations sit in arrays
 * indexed by annotation number, facts about groups in arrays indexed by the
 * group's position, and outlets and source names are interned as small
 * integers, so each member and link costs a few array reads and the cost
 * grows with the number of rows read, never with the length of article texts.
 */
function aggregate(input: AggregateInput): KeyedClaimRow[] {
  // Article ids are small dense integers: arrays index them faster than a map.
  const outlets = new Interned();
  const outletOf = byNumber(
    input.articles.map((a) => a[0]),
    -1,
  );
  const publishedOf: (string | null)[] = [];
  for (const [id, title, outlet, published] of input.articles) {
    outletOf[id] = outlets.id(outletName(outlet, title));
    publishedOf[id] = published;
  }

  const groupCount = input.groups.length;
  const groupAt = byNumber(
    input.groups.map((g) => g[0]),
    -1,
  );
  const instances = new Int32Array(groupCount);
  const kinds = new Uint8Array(groupCount);
  const first: (string | null)[] = new Array<string | null>(groupCount).fill(null);
  const last: (string | null)[] = new Array<string | null>(groupCount).fill(null);
  const articles: Distinct<number>[] = [];
  const annotators: Distinct<string>[] = [];
  const groupOutlets: Distinct<number>[] = [];
  /** Per group, per outlet (in `groupOutlets` order): the ids of its sources' names. */
  const outletSources: Distinct<number>[][] = [];
  const sourceKeys: Distinct<number>[] = [];
  const sourceNames: number[][] = [];
  input.groups.forEach(([n], g) => {
    groupAt[n] = g;
    articles.push(new Distinct());
    annotators.push(new Distinct());
    groupOutlets.push(new Distinct());
    outletSources.push([]);
    sourceKeys.push(new Distinct());
    sourceNames.push([]);
  });

  const articleOf = byNumber(
    input.mentions.map((c) => c[0]),
    -1,
  );
  const groupOf = new Int32Array(articleOf.length).fill(-1);
  const annotatorOf: string[] = [];
  for (const [n, articleId, annotator] of input.mentions) {
    articleOf[n] = articleId;
    annotatorOf[n] = annotator;
  }

  for (const [n, groupN] of input.members) {
    if (n === null || groupN === null) continue;
    const g = groupAt[groupN] ?? -1;
    const articleId = articleOf[n] ?? -1;
    const outlet = outletOf[articleId] ?? -1;
    if (g < 0 || articleId < 0 || outlet < 0) continue;
    groupOf[n] = g;
    instances[g] = (instances[g] as number) + 1;
    articles[g]?.add(articleId);
    annotators[g]?.add(annotatorOf[n] as string);
    if ((groupOutlets[g] as Distinct<number>).add(outlet) >= 0) outletSources[g]?.push(new Distinct());
    const p = publishedOf[articleId] ?? null;
    if (p !== null) {
      const f = first[g] ?? null;
      const l = last[g] ?? null;
      if (f === null || p < f) first[g] = p;
      if (l === null || p > l) last[g] = p;
    }
  }

  // Sources are deduplicated by their wording, case and spacing aside: each source's name (spacing collapsed) and key (case aside) are worked out once.
  const names = new Interned();
  const keys = new Interned();
  const nameOf = new Int32Array(articleOf.length).fill(-1);
  const keyOf = new Int32Array(articleOf.length);
  for (const [n, , , quote] of input.mentions) {
    if (quote === null) continue;
    const name = quote.replace(/\s+/g, ' ').trim();
    nameOf[n] = names.id(name);
    keyOf[n] = keys.id(name.toLowerCase());
  }
  // A link to an annotation that is not a source names no one.
  const unnamed = names.id('');
  const unnamedKey = keys.id('');
  for (const [claim, source, kind] of input.links) {
    const g = claim === null ? -1 : (groupOf[claim] ?? -1);
    if (claim === null || g < 0) continue;
    const known = source !== null && (nameOf[source] ?? -1) >= 0;
    const name = known ? (nameOf[source] as number) : unnamed;
    if ((sourceKeys[g] as Distinct<number>).add(known ? (keyOf[source] as number) : unnamedKey) >= 0) sourceNames[g]?.push(name);
    kinds[g] = (kinds[g] as number) | (1 << KINDS.indexOf(kind));
    const at = (groupOutlets[g] as Distinct<number>).list.indexOf(outletOf[articleOf[claim] as number] as number);
    outletSources[g]?.[at]?.add(name);
  }

  // Lists in alphabetical order, not the order rows happen to lie in: two libraries holding the same claims give the same table.
  const outletRank = alphabeticalRanks(outlets.strings);
  const nameRank = alphabeticalRanks(names.strings);
  const inOrder = (ids: number[], rank: Int32Array, strings: readonly string[]): string[] => {
    if (ids.length > 1) ids.sort((a, b) => (rank[a] as number) - (rank[b] as number));
    return ids.map((id) => strings[id] as string);
  };
  return input.groups.map(([, groupId, canonical, note, createdAt], g) => {
    const ids = (groupOutlets[g] as Distinct<number>).list;
    const order = ids.map((_, i) => i);
    if (order.length > 1) order.sort((a, b) => (outletRank[ids[a] as number] as number) - (outletRank[ids[b] as number] as number));
    const bySource: Record<string, string[]> = {};
    for (const i of order) bySource[outlets.strings[ids[i] as number] as string] = inOrder((outletSources[g]?.[i] as Distinct<number>).list, nameRank, names.strings);
    return {
      createdAt,
      row: {
        groupId,
        canonical,
        note,
        instanceCount: instances[g] as number,
        articleCount: (articles[g] as Distinct<number>).list.length,
        outlets: order.map((i) => outlets.strings[ids[i] as number] as string),
        sources: inOrder(sourceNames[g] as number[], nameRank, names.strings),
        kinds: KINDS.filter((_, bit) => ((kinds[g] as number) & (1 << bit)) !== 0),
        firstPublished: first[g] ?? null,
        lastPublished: last[g] ?? null,
        annotators: sortedNames((annotators[g] as Distinct<string>).list),
        outletSources: bySource,
      },
    };
  });
}

const GROUP_COLUMNS = 'n, id, canonical, note, created_at';
const MENTION_COLUMNS = `n, article_id, annotator, CASE label WHEN '${SOURCE_LABEL}' THEN quote END`;

/** The whole table from narrow scans of every table involved, in the order groups were made (`npm run bench` times it at 10,000 groups and 100,000 instances). */
export function keyedClaimRows(db: Db): KeyedClaimRow[] {
  const all = <T>(sql: string) => db.prepare(sql).raw().all() as T[];
  return aggregate({
    articles: all('SELECT id, title, outlet, published_at FROM articles'),
    groups: all(`SELECT ${GROUP_COLUMNS} FROM claim_groups ORDER BY created_at, id`),
    // One pass over the table beats the label index here: the index would cost a row lookup for most rows.
    mentions: all(`SELECT ${MENTION_COLUMNS} FROM annotations NOT INDEXED WHERE label IN ('${CLAIM_LABEL}', '${SOURCE_LABEL}')`),
    members: all('SELECT annotation_n, group_n FROM claim_group_members'),
    links: all('SELECT claim_n, source_n, kind FROM source_links ORDER BY rowid'),
  });
}

/** One row per claim group, in the order the groups were made. */
export function claimRows(db: Db): ClaimRow[] {
  return keyedClaimRows(db).map((k) => k.row);
}

/** The rows of some groups only (a group that no longer exists has none), read through the indexes; the same rows `claimRows` gives for them. */
export function claimRowsOf(db: Db, groupIds: readonly string[]): KeyedClaimRow[] {
  if (groupIds.length === 0) return [];
  const ids = JSON.stringify(groupIds);
  const all = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).raw().all(...params) as T[];
  const inGroups = 'SELECT value FROM json_each(?)';
  const members = all<[number | null, number | null]>(`SELECT annotation_n, group_n FROM claim_group_members WHERE group_id IN (${inGroups})`, ids);
  const links = all<[number | null, number | null, AttributionKind]>(
    `SELECT l.claim_n, l.source_n, l.kind FROM source_links l JOIN claim_group_members m ON m.annotation_id = l.claim_id WHERE m.group_id IN (${inGroups}) ORDER BY l.rowid`,
    ids,
  );
  const inNumbers = (ns: (number | null)[]) => JSON.stringify([...new Set(ns)]);
  const mentions = all<[number, number, string, string | null]>(
    `SELECT ${MENTION_COLUMNS} FROM annotations WHERE n IN (SELECT value FROM json_each(?)) AND label IN ('${CLAIM_LABEL}', '${SOURCE_LABEL}')`,
    inNumbers([...members.map((m) => m[0]), ...links.map((l) => l[1])]),
  );
  return aggregate({
    articles: all(`SELECT id, title, outlet, published_at FROM articles WHERE id IN (SELECT value FROM json_each(?))`, inNumbers(mentions.map((c) => c[1]))),
    groups: all(`SELECT ${GROUP_COLUMNS} FROM claim_groups WHERE id IN (${inGroups})`, ids),
    mentions,
    members,
    links,
  });
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
    .iterate() as IterableIterator<InstanceSource & { articleId: number; claimId: string }>;
  const texts = withText ? (db.prepare('SELECT id, text FROM articles ORDER BY id').iterate() as IterableIterator<{ id: number; text: string }>) : null;
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
        list.push({ annotationId, quote, kind });
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

export function sourcesOfClaim(db: Db): (claimId: string) => { annotationId: string; quote: string; kind: AttributionKind }[] {
  const stmt = db.prepare(
    `SELECT s.id AS annotationId, s.quote, l.kind FROM source_links l JOIN annotations s ON s.id = l.source_id
     WHERE l.claim_id = ? ORDER BY s.start, s.id`,
  );
  return (claimId) => stmt.all(claimId) as { annotationId: string; quote: string; kind: AttributionKind }[];
}

/** The instances of one group (or of ungrouped claims when `groupId` is null), with sources and the opinion in the same paragraph. */
export function claimInstances(db: Db, groupId: string | null): ClaimInstance[] {
  const rows = (
    groupId === null
      ? db.prepare(`${INSTANCE_SELECT} AND m.group_id IS NULL ORDER BY ar.published_at, a.article_id, a.start`).all()
      : db.prepare(`${INSTANCE_SELECT} AND m.group_id = ? ORDER BY ar.published_at, a.article_id, a.start`).all(groupId)
  ) as InstanceRow[];
  const sources = sourcesOfClaim(db);
  const textOf = db.prepare('SELECT text FROM articles WHERE id = ?');
  const opinionsIn = db.prepare(`SELECT id, quote FROM annotations WHERE article_id = ? AND label = '${OPINION_LABEL}' AND start < ? AND end > ? ORDER BY start`);
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
    const opinions = opinionsIn.all(r.article_id, cached.index.toCodePoint(paraEnd), cached.index.toCodePoint(paraStart)) as { id: string; quote: string }[];
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
export function claimQuotes(db: Db): { id: string; quote: string; articleId: number; title: string; outlet: string | null; groupId: string | null }[] {
  return db
    .prepare(
      `SELECT a.id, a.quote, a.article_id AS articleId, ar.title, ar.outlet, m.group_id AS groupId
       FROM annotations a JOIN articles ar ON ar.id = a.article_id LEFT JOIN claim_group_members m ON m.annotation_id = a.id
       WHERE a.label = '${CLAIM_LABEL}'`,
    )
    .all() as { id: string; quote: string; articleId: number; title: string; outlet: string | null; groupId: string | null }[];
}
