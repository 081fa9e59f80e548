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

interface RowBuilder {
  row: ClaimRow;
  articles: Set<number>;
  annotators: Set<string>;
  /** Outlet → the names of its sources for this group (an outlet's list exists once one of its articles carries the claim). */
  outlets: Map<string, string[]>;
  sourceKeys: Set<string>;
  kinds: Set<AttributionKind>;
}

/** A claim or source annotation as the aggregate needs it; a member claim points at its group's builder. */
interface Mention {
  articleId: number;
  annotator: string;
  /** Sources only: the quote as a source name (spacing collapsed) and its key (case aside). */
  name?: string;
  key?: string;
  quote: string | null;
  group?: RowBuilder;
}

const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true }).compare;

/** Alphabetical, without calling the collator for the one- and two-element lists most groups have. */
function sortedNames(xs: Iterable<string>): string[] {
  const out = [...xs];
  if (out.length === 2) {
    if (byName(out[0] as string, out[1] as string) > 0) out.reverse();
  } else if (out.length > 2) out.sort(byName);
  return out;
}

/** The rows the aggregate is built from: the whole library, or only what some groups need. */
interface AggregateInput {
  articles: Iterable<[id: number, title: string, outlet: string | null, published: string | null]>;
  groups: Iterable<[id: string, canonical: string, note: string, createdAt: string]>;
  mentions: Iterable<[id: string, articleId: number, annotator: string, label: string, quote: string | null]>;
  members: Iterable<[annotationId: string, groupId: string]>;
  /** In `source_links` rowid order, so the spelling kept for sources that differ only in case does not depend on how they were read. */
  links: Iterable<[claimId: string, sourceId: string, kind: AttributionKind]>;
}

/** A claims table row with the key it is ordered by (groups in the order they were made). */
export interface KeyedClaimRow {
  row: ClaimRow;
  createdAt: string;
}

/**
 * One row per group of `input.groups`, joined in memory: each member and
 * link row costs one map lookup by its text key, so the cost grows with the
 * number of rows, never with the length of article texts.
 */
function aggregate(input: AggregateInput): KeyedClaimRow[] {
  // Article ids are small dense integers: arrays index them faster than a map.
  const outletOf: string[] = [];
  const publishedOf: (string | null)[] = [];
  for (const [id, title, outlet, published] of input.articles) {
    outletOf[id] = outletName(outlet, title);
    publishedOf[id] = published;
  }
  const builders = new Map<string, RowBuilder & { createdAt: string }>();
  for (const [id, canonical, note, createdAt] of input.groups) {
    builders.set(id, {
      row: { groupId: id, canonical, note, instanceCount: 0, articleCount: 0, outlets: [], sources: [], kinds: [], firstPublished: null, lastPublished: null, annotators: [], outletSources: {} },
      articles: new Set(),
      annotators: new Set(),
      outlets: new Map(),
      sourceKeys: new Set(),
      kinds: new Set(),
      createdAt,
    });
  }
  const mentions = new Map<string, Mention>();
  for (const [id, articleId, annotator, label, quote] of input.mentions) {
    mentions.set(id, label === SOURCE_LABEL ? { articleId, annotator, quote } : { articleId, annotator, quote: null });
  }
  for (const [annotationId, groupId] of input.members) {
    const b = builders.get(groupId);
    const claim = mentions.get(annotationId);
    if (!b || !claim) continue;
    const outlet = outletOf[claim.articleId];
    if (outlet === undefined) continue;
    claim.group = b;
    b.row.instanceCount++;
    b.articles.add(claim.articleId);
    b.annotators.add(claim.annotator);
    if (!b.outlets.has(outlet)) b.outlets.set(outlet, []);
    const p = publishedOf[claim.articleId] ?? null;
    if (p !== null) {
      if (b.row.firstPublished === null || p < b.row.firstPublished) b.row.firstPublished = p;
      if (b.row.lastPublished === null || p > b.row.lastPublished) b.row.lastPublished = p;
    }
  }
  // Sources are deduplicated by their wording, case and spacing aside.
  for (const [claimId, sourceId, kind] of input.links) {
    const claim = mentions.get(claimId);
    const b = claim?.group;
    if (!claim || !b) continue;
    const source = mentions.get(sourceId);
    let name = source?.name;
    let key = source?.key;
    if (name === undefined || key === undefined) {
      name = (source?.quote ?? '').replace(/\s+/g, ' ').trim();
      key = name.toLowerCase();
      if (source) {
        source.name = name;
        source.key = key;
      }
    }
    if (!b.sourceKeys.has(key)) {
      b.sourceKeys.add(key);
      b.row.sources.push(name);
    }
    b.kinds.add(kind);
    const list = b.outlets.get(outletOf[claim.articleId] as string) as string[];
    if (!list.includes(name)) list.push(name);
  }
  // Lists in alphabetical order, not the order rows happen to lie in: two libraries holding the same claims give the same table.
  return [...builders.values()].map((b) => {
    const outlets = sortedNames(b.outlets.keys());
    const outletSources: Record<string, string[]> = {};
    for (const o of outlets) outletSources[o] = sortedNames(b.outlets.get(o) as string[]);
    return {
      createdAt: b.createdAt,
      row: {
        ...b.row,
        articleCount: b.articles.size,
        outlets,
        sources: sortedNames(b.row.sources),
        annotators: sortedNames(b.annotators),
        kinds: [...b.kinds].sort(),
        outletSources,
      },
    };
  });
}

const MENTION_COLUMNS = `id, article_id, annotator, label, CASE label WHEN '${SOURCE_LABEL}' THEN quote END`;

/** The whole table from narrow scans of every table involved, in the order groups were made (`npm run bench` times it at 10,000 groups and 100,000 instances). */
export function keyedClaimRows(db: Db): KeyedClaimRow[] {
  const all = <T>(sql: string) => db.prepare(sql).raw().all() as T[];
  return aggregate({
    articles: all('SELECT id, title, outlet, published_at FROM articles'),
    groups: all('SELECT id, canonical, note, created_at FROM claim_groups ORDER BY created_at, id'),
    // Annotation ids are UUID text keys: one scan into a map is cheaper than 200,000 index lookups. Claims need no quote.
    mentions: all(`SELECT ${MENTION_COLUMNS} FROM annotations WHERE label IN ('${CLAIM_LABEL}', '${SOURCE_LABEL}')`),
    members: all('SELECT annotation_id, group_id FROM claim_group_members'),
    links: all('SELECT claim_id, source_id, kind FROM source_links ORDER BY rowid'),
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
  const members = all<[string, string]>(`SELECT annotation_id, group_id FROM claim_group_members WHERE group_id IN (${inGroups})`, ids);
  const links = all<[string, string, AttributionKind]>(
    `SELECT l.claim_id, l.source_id, l.kind FROM source_links l JOIN claim_group_members m ON m.annotation_id = l.claim_id WHERE m.group_id IN (${inGroups}) ORDER BY l.rowid`,
    ids,
  );
  const mentionIds = JSON.stringify([...new Set([...members.map((m) => m[0]), ...links.map((l) => l[1])])]);
  const mentions = all<[string, number, string, string, string | null]>(
    `SELECT ${MENTION_COLUMNS} FROM annotations WHERE id IN (SELECT value FROM json_each(?)) AND label IN ('${CLAIM_LABEL}', '${SOURCE_LABEL}')`,
    mentionIds,
  );
  return aggregate({
    articles: all(`SELECT id, title, outlet, published_at FROM articles WHERE id IN (SELECT value FROM json_each(?))`, JSON.stringify([...new Set(mentions.map((m) => m[1]))])),
    groups: all(`SELECT id, canonical, note, created_at FROM claim_groups WHERE id IN (${inGroups})`, ids),
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
