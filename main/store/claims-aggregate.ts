/**
 * The claims table's aggregate, from columns already read: groups, their
 * members and attributions counted into rows with integer marks and counting
 * sorts, no SQL and no I/O (the readers in claims.ts feed it).
 */
import type { AttributionKind, ClaimRow } from '../../shared/schemas.js';

/** The label ids with a meaning of their own in the claims table. */
export const CLAIM_LABEL = 'claim';
export const SOURCE_LABEL = 'source';
export const OPINION_LABEL = 'opinion';

/** How an article with no outlet is named where outlets are listed. */
export function outletName(outlet: string | null, articleTitle: string): string {
  return outlet ?? `(no outlet) ${articleTitle.length > 40 ? `${articleTitle.slice(0, 40)}…` : articleTitle}`;
}

export const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true }).compare;

export const KINDS: readonly AttributionKind[] = ['direct', 'paraphrase', 'unnamed'];

/**
 * Each string's place in alphabetical order, equal for strings the collator
 * holds equal: sorting by these numbers gives the collator's order (ties
 * kept in place), with one collator pass over the distinct strings instead
 * of one per list.
 */
export function alphabeticalRanks(strings: readonly string[]): Int32Array {
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
export function insertionSort(ids: number[], rank: Int32Array): void {
  for (let i = 1; i < ids.length; i++) {
    const id = ids[i] as number;
    const r = rank[id] as number;
    let j = i - 1;
    for (; j >= 0 && (rank[ids[j] as number] as number) > r; j--) ids[j + 1] = ids[j] as number;
    ids[j + 1] = id;
  }
}

/** Small integers for distinct strings, in the order first met. */
export class Interned {
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
export class Distinct {
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
export function bucketed(bucketOf: Int32Array, buckets: number): { order: Int32Array; start: Int32Array } {
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
export interface AggregateInput {
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
export const SPAN_KEY = /^span:(\d+):(\d+):(\d+)$/;

/** An array indexed by the numbers in `ns`, every entry `empty`. */
export function byNumber(ns: Iterable<number>, empty: number): Int32Array {
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
export function aggregate(input: AggregateInput, spanOf: (n: number) => string | null): KeyedClaimRow[] {
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
export function citedEntities(
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
