/**
 * Writing and reading annotation bundles. Reading validates everything first
 * and writes nothing unless the whole bundle is sound; then it writes in one
 * transaction, skipping what is already there, so importing a bundle twice
 * changes nothing. A colleague's annotations keep their annotator and never
 * replace existing ones.
 */
import { shortcutProblem } from '../../shared/keys.js';
import { ATTRIBUTABLE_LABELS } from '../../shared/labels.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ANCHOR_LIMITS, reanchorOrWhy, type Anchor, type AnchorFailure } from '../../shared/anchoring.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, bundleSchema, type Bundle, type BundleReport } from '../../shared/bundle.js';
import { OffsetIndex } from '../../shared/offsets.js';
import { CONTEXT_LENGTH, normalizeText } from '../../shared/text.js';
import type { Db } from '../store/database.js';
import { insertArticle } from '../store/articles.js';
import { getAnnotation, insertAnnotation } from '../store/annotations.js';
import { getSetting } from '../store/settings.js';
import { allLinks, findLink, getLink, insertLink } from '../store/links.js';
import { addHistory, getGroup, groupOf, insertGroup, listGroups, memberIds, setMembership } from '../store/groups.js';
import { addEntityHistory, entityOf, getEntity, insertEntity, listEntities, setEntityMembership } from '../store/entities.js';
import { getLabel, insertLabel, labelUseCount, labelWithShortcut, listLabels, updateLabel } from '../store/labels.js';
import { DEFAULT_LABELS } from '../../shared/labels.js';
import type { Annotation, ClaimGroup, Label } from '../../shared/schemas.js';
import {
  annotationsByAnnotator,
  articleByHash,
  articleForBundle,
  articleIdsTaggedBy,
  articleLike,
  articlesByIds,
  entityMembersBy,
  groupMembersBy,
  iterateAnnotationsBy,
  linksWithinAnnotator,
  type LocalArticle,
} from '../store/exchange.js';

/** A bundle that cannot be imported; the message names the problem. */
export class BundleError extends Error {
  override name = 'BundleError';
}

type BundleEntry<K extends 'articles' | 'annotations' | 'groups'> = Bundle[K][number];

/** An article as a bundle carries it (its text unless left out). */
function articleEntry(a: LocalArticle, includeText: boolean | undefined): BundleEntry<'articles'> {
  return {
    content_hash: a.content_hash,
    title: a.title,
    outlet: a.outlet,
    url: a.url,
    published_at: a.published_at,
    file_name: a.file_name,
    byline: a.byline,
    ...(includeText === false ? {} : { text: a.text }),
  };
}

/** An annotation as a bundle carries it: placed by its article's content hash. */
function annotationEntry(a: Annotation & { contentHash: string }): BundleEntry<'annotations'> {
  return {
    id: a.id,
    article: a.contentHash,
    start: a.start,
    end: a.end,
    quote: a.quote,
    prefix: a.prefix,
    suffix: a.suffix,
    label: a.label,
    annotator: a.annotator,
    note: a.note,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

/** A claim group with the members the bundle holds (sorted by id: a group's members are a set). */
function groupEntry(g: ClaimGroup, members: readonly string[]): BundleEntry<'groups'> {
  return {
    id: g.id,
    canonical: g.canonical,
    note: g.note,
    created_by: g.createdBy,
    created_at: g.createdAt,
    updated_at: g.updatedAt,
    members: [...members].sort(),
  };
}

export function exportBundle(db: Db, annotator: string, options: { includeText?: boolean; now?: string } = {}): Bundle {
  const annotations = annotationsByAnnotator(db, annotator);
  const ids = new Set(annotations.map((a) => a.id));
  const articles = articlesByIds(db, [...new Set(annotations.map((a) => a.articleId))]);
  const links = allLinks(db).filter((l) => ids.has(l.claimId) && ids.has(l.sourceId));
  const groups = listGroups(db)
    .map((g) => ({ g, members: memberIds(db, g.id).filter((m) => ids.has(m)) }))
    .filter((x) => x.members.length > 0);
  const usedLabels = new Set(annotations.map((a) => a.label));
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exported_at: options.now ?? new Date().toISOString(),
    annotator,
    offset_unit: 'codepoint',
    labels: listLabels(db).filter((l) => usedLabels.has(l.id)),
    articles: articles.map((a) => articleEntry(a, options.includeText)),
    annotations: annotations.map(annotationEntry),
    links: links.map((l) => ({
      id: l.id,
      claim_id: l.claimId,
      source_id: l.sourceId,
      kind: l.kind,
      annotator: l.annotator,
      created_at: l.createdAt,
    })),
    groups: groups.map(({ g, members }) => groupEntry(g, members)),
    source_entities: [...entitiesOf(db, annotator)],
  };
}

/** The source entities holding some of the annotator's sources, with those sources only (sorted by id). */
function* entitiesOf(db: Db, annotator: string): Generator<NonNullable<Bundle['source_entities']>[number]> {
  for (const e of listEntities(db)) {
    const members = entityMembersBy(db, e.id, annotator);
    if (members.length)
      yield { id: e.id, name: e.name, created_by: e.createdBy, created_at: e.createdAt, updated_at: e.updatedAt, members };
  }
}

/** `JSON.stringify(value, null, 1)` of an array element two levels down, as it appears inside the whole bundle. */
const nested = (value: unknown) => JSON.stringify(value, null, 1).replace(/\n/g, '\n  ');

/**
 * The bundle exportBundle makes, as the text `JSON.stringify(bundle, null, 1)`
 * gives, in pieces: one article, annotation, link or group at a time, so a
 * bundle of 120,000 annotations is written without holding it (the command
 * line's `bundle export`, and the app's save destination).
 */
export function* bundleChunks(
  db: Db,
  annotator: string,
  options: { includeText?: boolean; now?: string; counts?: Record<string, number> } = {},
): Generator<string> {
  const used = new Set(db.prepare('SELECT DISTINCT label FROM annotations WHERE annotator = ?').pluck().all(annotator) as string[]);
  const head = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exported_at: options.now ?? new Date().toISOString(),
    annotator,
    offset_unit: 'codepoint',
  };
  yield JSON.stringify(head, null, 1).slice(0, -2);
  const section = function* (name: string, items: Iterable<unknown>, last = false): Generator<string> {
    let first = true;
    for (const item of items) {
      if (options.counts) options.counts[name] = (options.counts[name] ?? 0) + 1;
      yield `${first ? `,\n "${name}": [\n  ` : ',\n  '}${nested(item)}`;
      first = false;
    }
    yield first ? `,\n "${name}": []` : '\n ]';
    if (last) yield '\n}';
  };
  yield* section(
    'labels',
    listLabels(db).filter((l) => used.has(l.id)),
  );
  yield* section(
    'articles',
    (function* () {
      for (const id of articleIdsTaggedBy(db, annotator)) yield articleEntry(articleForBundle(db, id), options.includeText);
    })(),
  );
  yield* section(
    'annotations',
    (function* () {
      for (const a of iterateAnnotationsBy(db, annotator)) yield annotationEntry(a);
    })(),
  );
  yield* section(
    'links',
    (function* () {
      for (const l of linksWithinAnnotator(db, annotator))
        yield { id: l.id, claim_id: l.claim_id, source_id: l.source_id, kind: l.kind, annotator: l.annotator, created_at: l.created_at };
    })(),
  );
  yield* section(
    'groups',
    (function* () {
      for (const g of listGroups(db)) {
        const members = groupMembersBy(db, g.id, annotator);
        if (members.length) yield groupEntry(g, members);
      }
    })(),
  );
  yield* section('source_entities', entitiesOf(db, annotator), true);
}

/** Parses and validates bundle text, with messages a person can act on. */
export function parseBundle(content: string, fileName: string): Bundle {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (err) {
    // A parse error at the very end means the file stops early.
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const truncated = /end of (JSON )?input|Unterminated/i.test(message) || (at !== null && Number(at[1]) >= content.trimEnd().length - 1);
    throw new BundleError(
      `${fileName}: ${truncated ? 'the file is truncated (the JSON ends too early)' : `not JSON (${(err as Error).message})`}`,
    );
  }
  if (!raw || typeof raw !== 'object' || (raw as { format?: unknown }).format !== BUNDLE_FORMAT)
    throw new BundleError(`${fileName}: not a Claimdesk annotation bundle (no "format": "${BUNDLE_FORMAT}")`);
  const version = (raw as { version?: unknown }).version;
  if (typeof version === 'number' && version > BUNDLE_VERSION)
    throw new BundleError(
      `${fileName}: bundle version ${version} was written by a newer Claimdesk (this one reads version ${BUNDLE_VERSION}); update Claimdesk`,
    );
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new BundleError(
      `${fileName}: not a valid bundle — ${issues.join('; ')}${parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : ''}`,
    );
  }
  checkReferences(parsed.data, fileName);
  return parsed.data;
}

/**
 * What the schema cannot say: an attribution links a claim to a source in
 * the same article, and a group holds claims. (A link or member naming an
 * annotation the bundle does not carry is skipped on import, as before.)
 */
function checkReferences(bundle: Bundle, fileName: string): void {
  const annotations = new Map(bundle.annotations.map((a) => [a.id, a]));
  for (const [i, l] of bundle.links.entries()) {
    const claim = annotations.get(l.claim_id);
    const source = annotations.get(l.source_id);
    if (!claim || !source) continue;
    if (!ATTRIBUTABLE_LABELS.includes(claim.label) || source.label !== 'source') {
      throw new BundleError(
        `${fileName}: not a valid bundle — links.${i}: links a ${claim.label} to a ${source.label}; an attribution links a claim or an opinion to a source`,
      );
    }
    if (claim.article !== source.article)
      throw new BundleError(`${fileName}: not a valid bundle — links.${i}: the claim and its source are in different articles`);
  }
  for (const [i, g] of bundle.groups.entries()) {
    const bad = g.members.map((m) => annotations.get(m)).find((a) => a !== undefined && a.label !== 'claim');
    if (bad)
      throw new BundleError(`${fileName}: not a valid bundle — groups.${i}: holds a ${bad.label} annotation; a claim group holds claims`);
  }
  for (const [i, e] of (bundle.source_entities ?? []).entries()) {
    const bad = e.members.map((m) => annotations.get(m)).find((a) => a !== undefined && a.label !== 'source');
    if (bad)
      throw new BundleError(
        `${fileName}: not a valid bundle — source_entities.${i}: holds a ${bad.label} annotation; a source entity holds sources`,
      );
  }
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface Resolved {
  /** The local article (existing), or the bundle article to add. */
  local: LocalArticle | null;
  add: Bundle['articles'][number] | null;
  text: string;
  /** Whether `text` is the very text the bundle's offsets were made on. */
  sameText: boolean;
  index: OffsetIndex;
}

/** A bundle label as the API would accept it (a shortcut is one digit or lowercase letter, or none). */
const bundleLabelRules = z.object({
  name: z.string().trim().min(1, 'a label needs a name'),
  shortcut: z.union([z.literal(''), z.string().regex(/^[0-9a-z]$/, 'a shortcut is one digit or lowercase letter')]),
});

export interface BundleImportOptions {
  now?: string;
  /** Annotations placed so far, of all; called between slices of work. */
  onProgress?: (done: number, total: number) => void;
  /** Milliseconds, like Date.now; for tests of the time limits. */
  clock?: () => number;
}

/**
 * Wall-clock time the approximate matching of one bundle may take in all.
 * Past it, the remaining annotations are still placed by position or exact
 * quote, and those that would need an approximate search are reported
 * unanchored: a bundle of many edited articles on a slow machine ends.
 */
export const BUNDLE_FUZZY_TIME_MS = 120_000;

/** How long the placing of annotations runs before it lets other calls in. */
const SLICE_MS = 20;
const yieldToOthers = () => new Promise<void>((ok) => setImmediate(ok));

/** Two copies of one annotation: the same in every field the layer shows. */
function sameAnnotation(a: Bundle['annotations'][number], b: Bundle['annotations'][number]): boolean {
  return (
    a.article === b.article &&
    a.start === b.start &&
    a.end === b.end &&
    a.quote === b.quote &&
    a.label === b.label &&
    a.annotator === b.annotator &&
    a.note === b.note
  );
}

/**
 * Imports a parsed bundle. Validation and the placing of annotations run in
 * slices that let other calls in (with progress); the writing is one
 * transaction, so a bundle is imported whole or not at all.
 *
 * A bundle is a colleague's file, not trusted: annotator names reserved here
 * ("gold", the local analyst's own name) are re-attributed and reported; an
 * id already used here by a different annotation, or twice in the bundle with
 * different content, is reported and skipped, never merged; links and group
 * members are checked against what is stored; texts are normalised like every
 * import; labels are checked as the API checks them.
 */
export async function importBundle(db: Db, bundle: Bundle, fileName: string, options: BundleImportOptions = {}): Promise<BundleReport> {
  const now = options.now ?? new Date().toISOString();
  const localAnnotator = getSetting(db, 'annotator');
  const reserved = (name: string) =>
    name.toLocaleLowerCase() === 'gold' || (localAnnotator !== null && name.toLocaleLowerCase() === localAnnotator.toLocaleLowerCase());
  const reattributed = new Map<string, { from: string; to: string; annotations: number }>();
  const attribute = (name: string): string => {
    if (!reserved(name)) return name;
    const to = `${name.slice(0, 60)} (imported)`;
    if (!reattributed.has(name)) reattributed.set(name, { from: name, to, annotations: 0 });
    return to;
  };

  for (const l of bundle.labels) {
    const ok = bundleLabelRules.safeParse(l);
    if (!ok.success) throw new BundleError(`${fileName}: label "${l.id}": ${ok.error.issues.map((i) => i.message).join('; ')}`);
  }

  // 1. Resolve every article; a bundle that cannot be placed is refused whole.
  const articles = new Map<string, Resolved>();
  for (const a of bundle.articles) {
    // Stored the canonical way, whatever the file holds (CR, NUL, NFD…); offsets
    // made on a text that normalising changes are placed by their quotes.
    const raw = a.text;
    const text = raw === undefined ? undefined : normalizeText(raw);
    const rawMatches = raw !== undefined && sha256(raw) === a.content_hash;
    if (text !== undefined && !rawMatches && sha256(text) !== a.content_hash) {
      throw new BundleError(`${fileName}: article "${a.title}": its text does not match its content hash (edited or corrupted)`);
    }
    const byHash = articleByHash(db, a.content_hash) ?? (text !== undefined ? articleByHash(db, sha256(text)) : null);
    if (byHash)
      articles.set(a.content_hash, {
        local: byHash,
        add: null,
        text: byHash.text,
        sameText: byHash.content_hash === a.content_hash,
        index: new OffsetIndex(byHash.text),
      });
    else if (text !== undefined)
      articles.set(a.content_hash, { local: null, add: a, text, sameText: text === raw, index: new OffsetIndex(text) });
    else {
      const like = articleLike(db, a.url, a.title, a.outlet);
      if (like)
        articles.set(a.content_hash, { local: like, add: null, text: like.text, sameText: false, index: new OffsetIndex(like.text) });
    }
  }
  const listed = new Map(bundle.articles.map((a) => [a.content_hash, a]));
  for (const an of bundle.annotations) {
    const r = articles.get(an.article);
    if (!r) {
      const known = listed.get(an.article);
      throw new BundleError(
        known
          ? `${fileName}: article "${known.title}" is not in this library and the bundle does not carry its text; import the article first, or ask for a bundle with texts`
          : `${fileName}: annotation ${an.id} points at an article the bundle does not list (${an.article.slice(0, 12)}…)`,
      );
    }
    if (an.end <= an.start) throw new BundleError(`${fileName}: annotation ${an.id}: empty or reversed range ${an.start}–${an.end}`);
    // Offsets are checked against the text the bundle was made on, when that is the text we have.
    if (r.sameText && an.end > r.index.length)
      throw new BundleError(
        `${fileName}: annotation ${an.id}: offsets ${an.start}–${an.end} are outside its article (${r.index.length} code points)`,
      );
  }
  const labelIds = new Set([...listLabels(db).map((l) => l.id), ...bundle.labels.map((l) => l.id)]);
  for (const an of bundle.annotations)
    if (!labelIds.has(an.label))
      throw new BundleError(`${fileName}: annotation ${an.id} has label "${an.label}", which neither this library nor the bundle defines`);

  const report: BundleReport = {
    annotator: bundle.annotator,
    articlesMatched: [...articles.values()].filter((r) => r.local).length,
    articlesAdded: 0,
    annotationsAdded: 0,
    annotationsAlreadyPresent: 0,
    reanchored: [],
    unanchored: [],
    linksAdded: 0,
    groupsAdded: 0,
    membersAdded: 0,
    labelsAdded: [],
    labelsAdopted: [],
    conflicts: [],
    reattributed: [],
  };
  const conflicts = report.conflicts as NonNullable<BundleReport['conflicts']>;

  // 2. One id, one annotation: copies with different content are reported and none of them is taken.
  const byId = new Map<string, Bundle['annotations'][number]>();
  const clashing = new Set<string>();
  for (const an of bundle.annotations) {
    const first = byId.get(an.id);
    if (!first) byId.set(an.id, an);
    else if (!sameAnnotation(first, an)) clashing.add(an.id);
  }
  for (const id of clashing)
    conflicts.push({ id, reason: 'the bundle holds two different annotations with this id; neither was imported' });

  // 3. Place each annotation (the costly part), in slices that let other calls in.
  type Planned = { an: Bundle['annotations'][number]; annotator: string; anchor: Anchor };
  const planned: Planned[] = [];
  const unique = [...byId.values()].filter((an) => !clashing.has(an.id));
  const clock = options.clock ?? Date.now;
  const fuzzyDeadline = clock() + BUNDLE_FUZZY_TIME_MS;
  options.onProgress?.(0, unique.length);
  let sliceStart = performance.now();
  for (const [i, an] of unique.entries()) {
    if (performance.now() - sliceStart > SLICE_MS) {
      options.onProgress?.(i, unique.length);
      await yieldToOthers();
      sliceStart = performance.now();
    }
    const r = articles.get(an.article) as Resolved;
    const left = fuzzyDeadline - clock();
    const found = reanchorOrWhy(r.text, an, r.index, { clock, timeMs: Math.max(0, Math.min(ANCHOR_LIMITS.timeMs, left)) });
    if ('failure' in found) {
      report.unanchored.push({
        id: an.id,
        quote: an.quote.slice(0, 200),
        article: r.local?.title ?? r.add?.title ?? '',
        reason: unanchoredReason(found.failure, left <= 0),
      });
      continue;
    }
    planned.push({ an, annotator: attribute(an.annotator), anchor: found });
  }
  options.onProgress?.(unique.length, unique.length);

  // 4. Write it all, or nothing.
  db.transaction(() => {
    for (const l of bundle.labels) {
      const local = getLabel(db, l.id);
      if (
        local &&
        isPristineDefault(db, local) &&
        (local.name !== l.name || local.color !== l.color || local.description !== l.description)
      ) {
        updateLabel(db, l.id, { name: l.name, color: l.color, description: l.description });
        report.labelsAdopted?.push(l.id);
      }
      if (local) continue;
      insertLabel(db, {
        ...l,
        shortcut: l.shortcut && !shortcutProblem(l.shortcut) && !labelWithShortcut(db, l.shortcut) ? l.shortcut : '',
      });
      report.labelsAdded.push(l.id);
    }
    const articleIds = new Map<string, number>();
    for (const [hash, r] of articles) {
      if (r.local) articleIds.set(hash, r.local.id);
      else if (r.add) {
        const stored = insertArticle(
          db,
          {
            title: r.add.title,
            text: r.text,
            outlet: r.add.outlet,
            url: r.add.url,
            publishedAt: r.add.published_at,
            fileName: r.add.file_name,
            byline: r.add.byline ?? null,
          },
          now,
        );
        articleIds.set(hash, stored.id);
        if (!stored.duplicate) report.articlesAdded++;
      }
    }
    /** Ids this import stands behind: added now, or already here exactly as the bundle has them. */
    const placed = new Set<string>();
    for (const { an, annotator, anchor } of planned) {
      const r = articles.get(an.article) as Resolved;
      const index = r.index;
      const articleId = articleIds.get(an.article) as number;
      const existing = getAnnotation(db, an.id);
      if (existing) {
        if (
          existing.articleId === articleId &&
          existing.start === anchor.start &&
          existing.end === anchor.end &&
          existing.label === an.label &&
          existing.annotator === annotator
        ) {
          report.annotationsAlreadyPresent++;
          placed.add(an.id);
        } else
          conflicts.push({ id: an.id, reason: 'this id is already used here by a different annotation; the bundle’s was not imported' });
        continue;
      }
      if (anchor.method !== 'position')
        report.reanchored.push({ id: an.id, quote: an.quote.slice(0, 200), method: anchor.method, score: anchor.score });
      const u16 = [index.toUtf16(anchor.start), index.toUtf16(anchor.end)] as const;
      insertAnnotation(db, {
        id: an.id,
        articleId,
        start: anchor.start,
        end: anchor.end,
        quote: r.text.slice(u16[0], u16[1]),
        prefix: r.text.slice(index.toUtf16(Math.max(0, anchor.start - CONTEXT_LENGTH)), u16[0]),
        suffix: r.text.slice(u16[1], index.toUtf16(Math.min(index.length, anchor.end + CONTEXT_LENGTH))),
        label: an.label,
        annotator,
        note: normalizeText(an.note),
        createdAt: an.created_at,
        updatedAt: an.updated_at,
      });
      const re = reattributed.get(an.annotator);
      if (re) re.annotations++;
      placed.add(an.id);
      report.annotationsAdded++;
    }
    for (const l of bundle.links) {
      if (!placed.has(l.claim_id) || !placed.has(l.source_id) || getLink(db, l.id) || findLink(db, l.claim_id, l.source_id)) continue;
      // Checked against what is stored, not what the bundle says.
      const claim = getAnnotation(db, l.claim_id);
      const source = getAnnotation(db, l.source_id);
      if (!claim || !source || claim.label !== 'claim' || source.label !== 'source' || claim.articleId !== source.articleId) continue;
      insertLink(db, {
        id: l.id,
        claimId: l.claim_id,
        sourceId: l.source_id,
        kind: l.kind,
        annotator: attribute(l.annotator),
        createdAt: l.created_at,
      });
      report.linksAdded++;
    }
    for (const g of bundle.groups) {
      const members = g.members.filter((m) => placed.has(m) && getAnnotation(db, m)?.label === 'claim' && !groupOf(db, m));
      // A group none of whose members can join is not created (it would stand empty).
      if (members.length === 0) continue;
      if (!getGroup(db, g.id)) {
        insertGroup(db, {
          id: g.id,
          canonical: normalizeText(g.canonical),
          note: normalizeText(g.note),
          createdBy: attribute(g.created_by),
          at: g.created_at,
          updatedAt: g.updated_at,
        });
        addHistory(db, g.id, 'import', { from: fileName, annotator: bundle.annotator }, attribute(g.created_by), now);
        report.groupsAdded++;
      }
      for (const m of members) {
        setMembership(db, m, g.id, attribute(bundle.annotator), now);
        report.membersAdded++;
      }
    }
    for (const e of bundle.source_entities ?? []) {
      // A source already in an entity here keeps it: a colleague's linking never undoes the analyst's.
      const members = e.members.filter((m) => placed.has(m) && getAnnotation(db, m)?.label === 'source' && !entityOf(db, m));
      if (members.length === 0) continue;
      if (!getEntity(db, e.id)) {
        insertEntity(db, {
          id: e.id,
          name: normalizeText(e.name).replace(/\s+/g, ' ').trim(),
          createdBy: attribute(e.created_by),
          at: e.created_at,
          updatedAt: e.updated_at,
        });
        addEntityHistory(db, e.id, 'import', { from: fileName, annotator: bundle.annotator }, attribute(e.created_by), now);
        report.entitiesAdded = (report.entitiesAdded ?? 0) + 1;
      }
      for (const m of members) {
        setEntityMembership(db, m, e.id, attribute(bundle.annotator), now);
        report.entityMembersAdded = (report.entityMembersAdded ?? 0) + 1;
      }
    }
  })();
  report.reattributed = [...reattributed.values()];
  // The layer the work is stored under, for whoever reviews it next.
  report.annotator = attribute(bundle.annotator);
  return report;
}

function unanchoredReason(failure: AnchorFailure, bundleOutOfTime: boolean): string {
  switch (failure) {
    case 'too-costly':
      return 'the quote was not at its position, and searching for it approximately would cost too much';
    case 'out-of-time':
      return bundleOutOfTime
        ? `the quote was not at its position, and the bundle's ${BUNDLE_FUZZY_TIME_MS / 1000} s for approximate searches had run out`
        : `the quote was not at its position, and searching for it approximately took longer than ${ANCHOR_LIMITS.timeMs} ms (the limit per annotation)`;
    case 'not-found':
      return 'the quote is not in the article any more';
  }
}

/**
 * A shipped label this library never changed and never used: a new library
 * takes a colleague's definition of it (name, colour, description), so a
 * bundle read into an empty library looks as it did where it was made. One in
 * use, or edited here, is never overwritten.
 */
function isPristineDefault(db: Db, l: Label): boolean {
  const d = DEFAULT_LABELS.find((x) => x.id === l.id);
  return d !== undefined && d.name === l.name && d.color === l.color && d.description === l.description && labelUseCount(db, l.id) === 0;
}
