/**
 * The cross-article claims table: a query over groups, members, links and
 * articles, never a copy. Quotes are stored on annotation rows, so nothing
 * here slices article bodies except the paragraph lookup for one group.
 */
import { OffsetIndex } from '../../shared/offsets.js';
import type { AttributionKind, ClaimInstance, ClaimRow } from '../../shared/schemas.js';
import type { Db } from './database.js';

/** The label ids with a meaning of their own in the claims table. */
export const CLAIM_LABEL = 'claim';
export const SOURCE_LABEL = 'source';
export const OPINION_LABEL = 'opinion';

/** How an article with no outlet is named where outlets are listed. */
export function outletName(outlet: string | null, articleTitle: string): string {
  return outlet ?? `(no outlet) ${articleTitle.length > 40 ? `${articleTitle.slice(0, 40)}…` : articleTitle}`;
}

export function claimRows(db: Db): ClaimRow[] {
  const base = db
    .prepare(
      `SELECT g.id, g.canonical, g.note, count(m.annotation_id) AS instances, count(DISTINCT a.article_id) AS articles,
              min(ar.published_at) AS first, max(ar.published_at) AS last
       FROM claim_groups g
       LEFT JOIN claim_group_members m ON m.group_id = g.id
       LEFT JOIN annotations a ON a.id = m.annotation_id
       LEFT JOIN articles ar ON ar.id = a.article_id
       GROUP BY g.id ORDER BY g.created_at, g.id`,
    )
    .all() as { id: string; canonical: string; note: string; instances: number; articles: number; first: string | null; last: string | null }[];
  const rows = new Map<string, ClaimRow & { kindSet: Set<AttributionKind> }>();
  for (const b of base) {
    rows.set(b.id, {
      groupId: b.id,
      canonical: b.canonical,
      note: b.note,
      instanceCount: b.instances,
      articleCount: b.articles,
      outlets: [],
      sources: [],
      kinds: [],
      kindSet: new Set(),
      firstPublished: b.first,
      lastPublished: b.last,
      annotators: [],
      outletSources: {},
    });
  }
  const members = db
    .prepare(
      `SELECT m.group_id, ar.outlet, ar.title, a.annotator
       FROM claim_group_members m JOIN annotations a ON a.id = m.annotation_id JOIN articles ar ON ar.id = a.article_id`,
    )
    .iterate() as Iterable<{ group_id: string; outlet: string | null; title: string; annotator: string }>;
  for (const m of members) {
    const row = rows.get(m.group_id);
    if (!row) continue;
    const outlet = outletName(m.outlet, m.title);
    if (!row.outlets.includes(outlet)) row.outlets.push(outlet);
    row.outletSources[outlet] ??= [];
    if (!row.annotators.includes(m.annotator)) row.annotators.push(m.annotator);
  }
  const sources = db
    .prepare(
      `SELECT m.group_id, ar.outlet, ar.title, s.quote, l.kind
       FROM claim_group_members m
       JOIN source_links l ON l.claim_id = m.annotation_id
       JOIN annotations s ON s.id = l.source_id
       JOIN annotations a ON a.id = m.annotation_id
       JOIN articles ar ON ar.id = a.article_id`,
    )
    .iterate() as Iterable<{ group_id: string; outlet: string | null; title: string; quote: string; kind: AttributionKind }>;
  for (const s of sources) {
    const row = rows.get(s.group_id);
    if (!row) continue;
    // Sources are deduplicated by their wording, case and spacing aside.
    const name = s.quote.replace(/\s+/g, ' ').trim();
    if (!row.sources.some((x) => x.toLocaleLowerCase() === name.toLocaleLowerCase())) row.sources.push(name);
    row.kindSet.add(s.kind);
    const list = (row.outletSources[outletName(s.outlet, s.title)] ??= []);
    if (!list.includes(name)) list.push(name);
  }
  return [...rows.values()].map(({ kindSet, ...row }) => ({ ...row, kinds: [...kindSet].sort() }));
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

const INSTANCE_SELECT = `
  SELECT a.id, a.article_id, a.start, a.end, a.quote, a.prefix, a.suffix, a.annotator, a.note, a.created_at,
         ar.title, ar.outlet, ar.published_at, m.group_id, g.canonical
  FROM annotations a
  JOIN articles ar ON ar.id = a.article_id
  LEFT JOIN claim_group_members m ON m.annotation_id = a.id
  LEFT JOIN claim_groups g ON g.id = m.group_id
  WHERE a.label = '${CLAIM_LABEL}'`;

/** Every claim annotation with its article and group, in a stable order; streamed from SQLite. */
export function iterateClaimInstances(db: Db): Iterable<InstanceRow> {
  return db.prepare(`${INSTANCE_SELECT} ORDER BY a.article_id, a.start, a.end, a.id`).iterate() as Iterable<InstanceRow>;
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
