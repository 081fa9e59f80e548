/**
 * Domain records as they cross the API, with their zod schemas. Everything is
 * JSON: integers, strings, ISO-8601 date strings.
 */
import { z } from 'zod';
import { entityMembershipSchema } from './entities.js';

/** Largest article text Claimdesk accepts, in code points. */
export const MAX_TEXT_LENGTH = 20_000_000;

const isoDate = z.string().max(40);
const offset = z.number().int().min(0).max(MAX_TEXT_LENGTH);
export const annotationId = z.uuid();
export const articleId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const labelId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a label id is 1–40 lowercase letters, digits, - or _');
export const annotatorName = z.string().trim().min(1, 'the annotator name is empty').max(80);
export const note = z.string().max(10_000);

export const labelSchema = z.object({
  id: labelId,
  name: z.string(),
  color: z.string(),
  shortcut: z.string(),
  description: z.string(),
});
export type Label = z.infer<typeof labelSchema>;

/** Per-label tag counts, keyed by label id. */
export const labelCounts = z.record(z.string(), z.number().int());

export const articleSummarySchema = z.object({
  id: articleId,
  title: z.string(),
  outlet: z.string().nullable(),
  publishedAt: isoDate.nullable(),
  fileName: z.string().nullable(),
  importedAt: isoDate,
  length: z.number().int(),
  counts: labelCounts,
});
export type ArticleSummary = z.infer<typeof articleSummarySchema>;

export const articleSchema = articleSummarySchema.extend({
  url: z.string().nullable(),
  byline: z.string().nullable(),
  contentHash: z.string(),
  /** Canonical text: `\n` line endings, NFC; never changes after import. */
  text: z.string(),
});
export type Article = z.infer<typeof articleSchema>;

export const annotationSchema = z.object({
  id: annotationId,
  articleId,
  /** Code-point offsets into the article's canonical text, end exclusive. */
  start: offset,
  end: offset,
  quote: z.string(),
  prefix: z.string(),
  suffix: z.string(),
  label: labelId,
  annotator: z.string(),
  note: note,
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Annotation = z.infer<typeof annotationSchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  databasePath: z.string(),
  annotator: z.string().nullable(),
  /** Unit of every offset in the API. */
  offsetUnit: z.literal('codepoint'),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** What happened to one imported file (or one dataset record). */
export const importItemSchema = z.object({
  /** The file name, with a line or record number for dataset records. */
  source: z.string(),
  status: z.enum(['imported', 'duplicate', 'failed']),
  /** For failures: the reason, in words a person understands; for an imported item, something to know about it (a date that was dropped). */
  message: z.string().optional(),
  articleId: z.number().int().optional(),
  title: z.string().optional(),
});
export type ImportItem = z.infer<typeof importItemSchema>;

export const importJobSchema = z.object({
  id: z.string(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** Files in the job, and how many are finished. */
  total: z.number().int(),
  done: z.number().int(),
  /** The file being read now. */
  current: z.string().nullable(),
  /** The failures and the latest other items (a summary, not every record: see `omitted`). */
  results: z.array(importItemSchema),
  counts: z.object({ imported: z.number().int(), duplicate: z.number().int(), failed: z.number().int() }),
  /** Items counted in `counts` but not listed in `results`. */
  omitted: z.number().int().optional(),
  error: z.string().optional(),
});
export type ImportJob = z.infer<typeof importJobSchema>;

export const searchHitSchema = z.object({
  articleId,
  title: z.string(),
  outlet: z.string().nullable(),
  /** Text around the match; matched words are wrapped in U+0002 … U+0003. */
  snippet: z.string(),
  /** Code-point offset and length of the first match in the text, when found. */
  matchStart: z.number().int().nullable(),
  matchLength: z.number().int(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const ATTRIBUTION_KINDS = ['direct', 'paraphrase', 'unnamed'] as const;
export const attributionKind = z.enum(ATTRIBUTION_KINDS);
export type AttributionKind = z.infer<typeof attributionKind>;
/** How each kind reads in the UI and in exports. */
export const ATTRIBUTION_LABELS: Record<AttributionKind, string> = {
  direct: 'direct quote',
  paraphrase: 'paraphrase',
  unnamed: 'unnamed / unattributed',
};

/** A claim attributed to a source: both are annotations. */
export const sourceLinkSchema = z.object({
  id: annotationId,
  claimId: annotationId,
  sourceId: annotationId,
  kind: attributionKind,
  annotator: z.string(),
  createdAt: isoDate,
});
export type SourceLink = z.infer<typeof sourceLinkSchema>;

export const groupId = z.uuid();

export const claimGroupSchema = z.object({
  id: groupId,
  canonical: z.string(),
  note: z.string(),
  createdBy: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
  memberCount: z.number().int(),
  articleCount: z.number().int(),
});
export type ClaimGroup = z.infer<typeof claimGroupSchema>;

/** The grouping state of some groups and claims, which undo and redo put back (see `groups.restore`). */
export const groupingSnapshotSchema = z.object({
  groups: z
    .array(
      z
        .object({
          id: groupId,
          exists: z.boolean(),
          canonical: z.string().max(2000),
          note: z.string().max(100_000),
          createdBy: z.string().max(200),
          createdAt: z.string().max(40),
        })
        .strict(),
    )
    .max(1000),
  members: z.array(z.object({ annotationId, groupId: groupId.nullable() }).strict()).max(100_000),
});
export type GroupingSnapshot = z.infer<typeof groupingSnapshotSchema>;

export const groupMembershipSchema = z.object({ annotationId, groupId, canonical: z.string() });
export type GroupMembership = z.infer<typeof groupMembershipSchema>;

/** Links and group memberships of one article's annotations. */
export const articleClaimsSchema = z.object({
  links: z.array(sourceLinkSchema),
  memberships: z.array(groupMembershipSchema),
  /** The entity of each of its sources that is in one. */
  entities: z.array(entityMembershipSchema),
});
export type ArticleClaims = z.infer<typeof articleClaimsSchema>;

export const groupHistorySchema = z.object({
  id: z.number().int(),
  groupId: z.string(),
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
  actor: z.string(),
  at: isoDate,
});
export type GroupHistoryEntry = z.infer<typeof groupHistorySchema>;

export const suggestionSchema = z.object({
  kind: z.enum(['group', 'claim']),
  /** Group id, or the claim annotation's id. */
  id: z.string(),
  text: z.string(),
  articleTitle: z.string().nullable(),
  outlet: z.string().nullable(),
  /** Similarity in 0..1 (see shared/similarity.ts). */
  score: z.number(),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

/**
 * One row of the cross-article claims table: a claim group, aggregated, or a
 * claim in no group yet (`groupId` null, `claimId` set; its quote is the
 * wording).
 */
export const claimRowSchema = z.object({
  /** Identifies the row: the group's id, or `span:<article>:<start>:<end>` for a claim in no group. */
  key: z.string(),
  groupId: groupId.nullable(),
  claimId: annotationId.nullable(),
  canonical: z.string(),
  note: z.string(),
  instanceCount: z.number().int(),
  articleCount: z.number().int(),
  outlets: z.array(z.string()),
  /** Who the claims are attributed to: a source's entity name, or its wording when it is in no entity (case aside, once each). */
  sources: z.array(z.string()),
  /** The entities among `sources`, with the wordings through which these claims cite them. */
  sourceEntities: z.array(z.object({ id: z.string(), name: z.string(), wordings: z.array(z.string()) })),
  kinds: z.array(attributionKind),
  firstPublished: z.string().nullable(),
  lastPublished: z.string().nullable(),
  annotators: z.array(z.string()),
  /** For the outlet × claim matrix: the sources through which each outlet carries the claim. */
  outletSources: z.record(z.string(), z.array(z.string())),
});
export type ClaimRow = z.infer<typeof claimRowSchema>;

/** One claim annotation in a group, with its context, sources and surrounding opinion. */
export const claimInstanceSchema = z.object({
  annotationId,
  groupId: groupId.nullable(),
  articleId,
  articleTitle: z.string(),
  outlet: z.string().nullable(),
  publishedAt: z.string().nullable(),
  start: z.number().int(),
  end: z.number().int(),
  quote: z.string(),
  prefix: z.string(),
  suffix: z.string(),
  annotator: z.string(),
  note: z.string(),
  sources: z.array(
    z.object({
      annotationId,
      quote: z.string(),
      kind: attributionKind,
      entityId: z.string().nullable(),
      entityName: z.string().nullable(),
    }),
  ),
  opinions: z.array(z.object({ annotationId, quote: z.string() })),
});
export type ClaimInstance = z.infer<typeof claimInstanceSchema>;
