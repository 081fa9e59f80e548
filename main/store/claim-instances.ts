/** The claim instances behind the claims table's rows: each claim with its article, group, sources and nearby opinion, read by cursors in article order. */
import { OffsetIndex } from '../../shared/offsets.js';
import type { AttributionKind, ClaimInstance } from '../../shared/schemas.js';
import type { Db } from './database.js';
import { type ClaimLayer, spanKey, CLAIM_LABEL, SOURCE_LABEL, OPINION_LABEL } from './claims-aggregate.js';

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
