/**
 * The Claimdesk API contract: every method's input and output schema. The
 * Electron IPC host and the HTTP host both serve exactly this, and the
 * renderer's client is a typed proxy over it.
 */
import { z } from 'zod';
import type { ApiMethod } from './methods.js';
import { labelShortcut } from './keys.js';
import { bundleReportSchema } from './bundle.js';
import { teamStatusSchema } from './team.js';
import { entityContract } from './api-entities.js';
import { entityId } from './entities.js';
import { backupFileName, backupInfoSchema, backupListSchema, restoreReportSchema } from './backups.js';
import { DECISIONS, type AgreementReport, type Decision, type ReviewItem } from './review.js';
import {
  annotationId,
  annotationSchema,
  annotatorName,
  appInfoSchema,
  articleId,
  articleSchema,
  articleSummarySchema,
  importJobSchema,
  importItemSchema,
  searchHitSchema,
  articleClaimsSchema,
  attributionKind,
  claimGroupSchema,
  claimInstanceSchema,
  claimRowSchema,
  groupHistorySchema,
  groupingSnapshotSchema,
  groupId,
  sourceLinkSchema,
  suggestionSchema,
  labelId,
  labelSchema,
  note,
  MAX_TEXT_LENGTH,
} from './schemas.js';

const offset = z.number().int().min(0).max(MAX_TEXT_LENGTH);
const reviewScope = z.object({ a: annotatorName, b: annotatorName, articleIds: z.array(articleId).max(100_000).optional() }).strict();
const deletedAnnotationSchema = annotationSchema.extend({
  links: z.array(sourceLinkSchema),
  groupId: groupId.nullable(),
  entityId: entityId.nullable(),
});

export const contract = {
  'app.info': { input: z.object({}).strict(), output: appInfoSchema },
  'settings.setAnnotator': { input: z.object({ name: annotatorName }).strict(), output: appInfoSchema },
  'labels.list': { input: z.object({}).strict(), output: z.array(labelSchema) },
  'articles.list': { input: z.object({}).strict(), output: z.array(articleSummarySchema) },
  'articles.get': { input: z.object({ id: articleId }).strict(), output: articleSchema },
  'articles.update': {
    input: z
      .object({
        id: articleId,
        title: z.string().trim().min(1, 'the title is empty').max(500).optional(),
        outlet: z.string().trim().max(200).nullable().optional(),
        url: z
          .union([z.url({ protocol: /^https?$/, error: 'the URL must start with http:// or https://' }), z.literal('')])
          .nullable()
          .optional(),
        publishedAt: z
          .union([z.iso.date(), z.iso.datetime({ offset: true }), z.literal('')])
          .nullable()
          .optional(),
      })
      .strict(),
    output: articleSchema,
  },
  'articles.delete': {
    input: z.object({ id: articleId }).strict(),
    output: z.object({ id: articleId, annotationsDeleted: z.number().int() }),
  },
  'articles.search': {
    input: z.object({ query: z.string().max(500), limit: z.number().int().min(1).max(500).optional() }).strict(),
    output: z.array(searchHitSchema),
  },
  /** Paste as a new article: the first line is the title unless one is given. */
  'articles.createFromText': {
    input: z.object({ text: z.string().max(MAX_TEXT_LENGTH), title: z.string().max(500).optional() }).strict(),
    output: importItemSchema,
  },
  'claims.forArticle': { input: z.object({ articleId }).strict(), output: articleClaimsSchema },
  /**
   * One row per claim group, then one per claim in no group, aggregated across articles; with `limit`, only the first
   * rows in the default order (claims in the most articles first); with `layer`, only that annotator's claims (absent:
   * all layers, each claim counted once however many layers hold it).
   */
  'claims.table': {
    input: z.object({ limit: z.number().int().min(1).max(100_000).optional(), layer: annotatorName.optional() }).strict(),
    output: z.array(claimRowSchema),
  },
  /**
   * The instances of a group (null: the claims in no group yet; with `claimId`, that claim's row), in `layer` (absent:
   * all layers, a claim several layers hold listed once with each annotator).
   */
  'claims.instances': {
    input: z.object({ groupId: groupId.nullable(), claimId: annotationId.optional(), layer: annotatorName.optional() }).strict(),
    output: z.array(claimInstanceSchema),
  },
  'links.create': {
    input: z
      .object({ id: annotationId.optional(), claimId: annotationId, sourceId: annotationId, kind: attributionKind.optional() })
      .strict(),
    output: sourceLinkSchema,
  },
  'links.update': { input: z.object({ id: annotationId, kind: attributionKind }).strict(), output: sourceLinkSchema },
  'links.delete': { input: z.object({ id: annotationId }).strict(), output: sourceLinkSchema },
  'groups.list': { input: z.object({}).strict(), output: z.array(claimGroupSchema) },
  'groups.create': {
    input: z
      .object({
        id: groupId.optional(),
        canonical: z.string().trim().max(2000).optional(),
        annotationIds: z.array(annotationId).max(10_000),
      })
      .strict(),
    output: claimGroupSchema,
  },
  'groups.assign': { input: z.object({ annotationId, groupId }).strict(), output: claimGroupSchema },
  /** Splits a claim out of its group. */
  'groups.unassign': { input: z.object({ annotationId }).strict(), output: z.object({ annotationId, groupId: groupId.nullable() }) },
  'groups.update': {
    input: z
      .object({
        id: groupId,
        canonical: z.string().trim().min(1, 'the canonical wording is empty').max(2000).optional(),
        note: note.optional(),
      })
      .strict(),
    output: claimGroupSchema,
  },
  'groups.merge': { input: z.object({ intoId: groupId, fromId: groupId }).strict(), output: claimGroupSchema },
  /** Deletes a group (its wording, note and membership list stay in its history); its claims become ungrouped. */
  'groups.delete': { input: z.object({ id: groupId }).strict(), output: z.object({ id: groupId, ungrouped: z.number().int() }) },
  /** The grouping state of these groups and claims (and the groups the claims are in), for undo. */
  'groups.snapshot': {
    input: z.object({ groupIds: z.array(groupId).max(1000), annotationIds: z.array(annotationId).max(10_000) }).strict(),
    output: groupingSnapshotSchema,
  },
  /** Puts a snapshot back (undo/redo of grouping, merging, splitting, renaming and notes); returns the state it left. */
  'groups.restore': { input: groupingSnapshotSchema, output: groupingSnapshotSchema },
  'groups.history': { input: z.object({ id: groupId }).strict(), output: z.array(groupHistorySchema) },
  /** Existing groups and ungrouped claims of other articles most like this claim. */
  'groups.suggest': {
    input: z.object({ annotationId, limit: z.number().int().min(1).max(50).optional() }).strict(),
    output: z.array(suggestionSchema),
  },
  ...entityContract,
  'labels.create': {
    input: z
      .object({
        id: labelId.optional(),
        name: z.string().trim().min(1).max(40),
        color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb'),
        shortcut: labelShortcut,
        description: z.string().max(500).optional(),
      })
      .strict(),
    output: labelSchema,
  },
  'labels.update': {
    input: z
      .object({
        id: labelId,
        name: z.string().trim().min(1).max(40).optional(),
        color: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb')
          .optional(),
        shortcut: labelShortcut.optional(),
        description: z.string().max(500).optional(),
      })
      .strict(),
    output: labelSchema,
  },
  /** Deletes a label; one in use needs `reassignTo`, which its annotations move to. */
  'labels.delete': {
    input: z.object({ id: labelId, reassignTo: labelId.optional() }).strict(),
    output: z.object({ id: labelId, reassigned: z.number().int() }),
  },
  /** Builds an export in memory for the renderer to save (the CLI streams to a file instead). */
  'export.build': {
    input: z
      .object({
        kind: z.enum(['claims', 'instances', 'annotations', 'w3c']),
        format: z.enum(['csv', 'json', 'jsonl', 'jsonld']),
        bom: z.boolean().optional(),
        layer: annotatorName.optional(),
      })
      .strict(),
    output: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string(), summary: z.array(z.string()) }),
  },
  /** A bundle of one annotator's work, to send to colleagues. */
  'bundle.export': {
    input: z.object({ annotator: annotatorName, includeText: z.boolean().optional() }).strict(),
    output: z.object({ fileName: z.string(), content: z.string(), summary: z.array(z.string()) }),
  },
  /** Reads a colleague's bundle: all or nothing, with a report of every annotation that moved or could not be placed. */
  'bundle.import': {
    input: z.object({ fileName: z.string().max(1000), content: z.string().max(60 * 1024 * 1024) }).strict(),
    output: bundleReportSchema,
  },
  /** Tags per annotator per article: the layers and the library's progress. */
  'annotators.progress': {
    input: z.object({}).strict(),
    output: z.array(z.object({ articleId, annotator: z.string(), count: z.number().int() })),
  },
  /** Every tag of A and B on the chosen articles (default: those both tagged), paired and classified, with decisions so far. */
  'review.queue': { input: reviewScope, output: z.array(z.custom<ReviewItem>()) },
  /** The same items a page at a time (whole articles in id order, at least `limit` items unless the queue ends); `next` is the `after` of the next page, null at the end. */
  'review.queuePage': {
    input: reviewScope
      .extend({ after: articleId.optional(), limit: z.number().int().min(1).max(5_000), disagreementsOnly: z.boolean().optional() })
      .strict(),
    output: z.object({ items: z.array(z.custom<ReviewItem>()), next: articleId.nullable() }),
  },
  /** A reviewer's decision on one item: writes the gold layer and the adjudication log. */
  'review.decide': {
    input: z
      .object({
        a: annotatorName,
        b: annotatorName,
        itemKey: z.string().max(200),
        decision: z.enum(DECISIONS as [Decision, ...Decision[]]),
        reason: z.string().max(2000).optional(),
        edit: z.object({ start: offset, end: offset, label: labelId }).strict().optional(),
      })
      .strict(),
    output: z.custom<ReviewItem>(),
  },
  /** Accepts every agreed item not yet decided into the gold layer. */
  'review.acceptAgreed': { input: reviewScope, output: z.object({ accepted: z.number().int() }) },
  /** How many agreed items have no decision yet over the whole scope: what review.acceptAgreed would accept. */
  'review.openAgreed': { input: reviewScope, output: z.object({ open: z.number().int() }) },
  'review.agreement': { input: reviewScope, output: z.custom<AgreementReport>() },
  'review.exportLog': {
    input: z.object({ format: z.enum(['csv', 'json']) }).strict(),
    output: z.object({ fileName: z.string(), content: z.string() }),
  },
  'review.exportAgreement': {
    input: reviewScope.extend({ format: z.enum(['csv', 'json']) }),
    output: z.object({ fileName: z.string(), content: z.string() }),
  },
  /** The database's backups, newest first, with what each holds. */
  'backups.list': { input: z.object({}).strict(), output: backupListSchema },
  /** Backs up the database now. */
  'backups.create': { input: z.object({}).strict(), output: backupInfoSchema },
  /** Replaces the library with a backup named in the list (never a path); the current state is backed up first. */
  'backups.restore': { input: z.object({ file: backupFileName }).strict(), output: restoreReportSchema },
  /** Sends files' bytes to the host, in as many calls as needed; returns the upload to start. */
  'import.upload': {
    input: z
      .object({
        uploadId: z
          .string()
          .regex(/^[a-z0-9-]{8,64}$/)
          .optional(),
        files: z.array(z.object({ name: z.string().min(1).max(1000), data: z.base64() }).strict()).max(10_000),
      })
      .strict(),
    output: z.object({ uploadId: z.string(), files: z.number().int() }),
  },
  /** Starts an import job over an upload or over files and folders on this machine; progress arrives as events. */
  'import.start': {
    input: z.union([
      z.object({ uploadId: z.string().regex(/^[a-z0-9-]{8,64}$/) }).strict(),
      z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000) }).strict(),
    ]),
    output: importJobSchema,
  },
  'import.status': { input: z.object({ jobId: z.string().max(64) }).strict(), output: importJobSchema },
  'import.cancel': { input: z.object({ jobId: z.string().max(64) }).strict(), output: importJobSchema },
  /** An article's annotations in text order; `startBefore` (code points) gives only those starting before it, for the first screens. */
  'annotations.list': {
    input: z.object({ articleId, startBefore: z.number().int().min(0).optional() }).strict(),
    output: z.array(annotationSchema),
  },
  'annotations.create': {
    input: z
      .object({
        /** Chosen by the client so that undo/redo can refer to it. */
        id: annotationId.optional(),
        articleId,
        start: offset,
        end: offset,
        /** The exact text at [start, end); checked against the article. */
        quote: z.string().max(MAX_TEXT_LENGTH),
        label: labelId,
        note: note.optional(),
      })
      .strict(),
    output: annotationSchema,
  },
  'annotations.update': {
    input: z.object({ id: annotationId, label: labelId.optional(), note: note.optional() }).strict(),
    output: annotationSchema,
  },
  /** Deletes an annotation; the answer carries what went with it (its links and group) so undo can put it all back. */
  'annotations.delete': { input: z.object({ id: annotationId }).strict(), output: deletedAnnotationSchema },
  /** Puts back a deleted annotation exactly as it was (undo of a delete), with its links, group and source entity when given. */
  'annotations.restore': {
    input: z
      .object({
        annotation: annotationSchema,
        links: z.array(sourceLinkSchema).max(10_000).optional(),
        groupId: groupId.nullable().optional(),
        entityId: entityId.nullable().optional(),
      })
      .strict(),
    output: annotationSchema,
  },
  /** Where the library stands with its team workspace. */
  'team.status': { input: z.object({}).strict(), output: teamStatusSchema },
  /** Links the library to a team workspace (the member's own PostgreSQL role) and runs the first sync. The password is kept by the host, never in the library. */
  'team.join': {
    input: z
      .object({
        url: z
          .string()
          .min(1)
          .max(2000)
          .regex(/^postgres(ql)?:\/\//, 'the team URL starts with postgres://'),
        password: z.string().max(1000).optional(),
      })
      .strict(),
    output: teamStatusSchema,
  },
  /** One push and pull now. */
  'team.sync': { input: z.object({}).strict(), output: teamStatusSchema },
  /** Leaves the workspace; the library keeps everything it holds. */
  'team.leave': { input: z.object({}).strict(), output: teamStatusSchema },
  /** Takes refused changes off the list once the analyst has seen them. */
  'team.dismissRefused': {
    input: z.object({ ids: z.union([z.array(z.number().int()).max(1000), z.literal('all')]) }).strict(),
    output: teamStatusSchema,
  },
} as const satisfies Record<ApiMethod, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type ApiInput<M extends ApiMethod> = z.input<Contract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<Contract[M]['output']>;

/**
 * Error codes that cross the API as data. `read_only`, `disk_full`, `busy`
 * and `storage` (an input/output error, a damaged or unopenable file) come
 * from the database's disk: the write saved nothing.
 */
export type ApiErrorCode =
  'invalid_input' | 'unknown_method' | 'not_found' | 'conflict' | 'forbidden' | 'read_only' | 'disk_full' | 'busy' | 'storage' | 'internal';

export interface ApiError {
  code: ApiErrorCode;
  message: string;
}

export type ApiResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiError };

/** One function serves every transport: `(method, input) => result`. */
export type Dispatcher = (method: string, input: unknown) => Promise<ApiResult>;
