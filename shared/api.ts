/**
 * The Claimdesk API contract: every method's input and output schema. The
 * Electron IPC host and the HTTP host both serve exactly this, and the
 * renderer's client is a typed proxy over it.
 */
import { z } from 'zod';
import type { ApiMethod } from './methods.js';
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
  labelId,
  labelSchema,
  note,
  MAX_TEXT_LENGTH,
} from './schemas.js';

const offset = z.number().int().min(0).max(MAX_TEXT_LENGTH);

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
        url: z.union([z.url({ protocol: /^https?$/, error: 'the URL must start with http:// or https://' }), z.literal('')]).nullable().optional(),
        publishedAt: z.union([z.iso.date(), z.iso.datetime({ offset: true }), z.literal('')]).nullable().optional(),
      })
      .strict(),
    output: articleSchema,
  },
  'articles.delete': { input: z.object({ id: articleId }).strict(), output: z.object({ id: articleId, annotationsDeleted: z.number().int() }) },
  'articles.search': {
    input: z.object({ query: z.string().max(500), limit: z.number().int().min(1).max(500).optional() }).strict(),
    output: z.array(searchHitSchema),
  },
  /** Paste as a new article: the first line is the title unless one is given. */
  'articles.createFromText': {
    input: z.object({ text: z.string().max(MAX_TEXT_LENGTH), title: z.string().max(500).optional() }).strict(),
    output: importItemSchema,
  },
  /** Sends files' bytes to the host, in as many calls as needed; returns the upload to start. */
  'import.upload': {
    input: z
      .object({
        uploadId: z.string().regex(/^[a-z0-9-]{8,64}$/).optional(),
        files: z
          .array(z.object({ name: z.string().min(1).max(1000), data: z.base64() }).strict())
          .max(10_000),
      })
      .strict(),
    output: z.object({ uploadId: z.string(), files: z.number().int() }),
  },
  /** Starts an import job over an upload or over files and folders on this machine; progress arrives as events. */
  'import.start': {
    input: z
      .union([
        z.object({ uploadId: z.string().regex(/^[a-z0-9-]{8,64}$/) }).strict(),
        z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000) }).strict(),
      ]),
    output: importJobSchema,
  },
  'import.status': { input: z.object({ jobId: z.string().max(64) }).strict(), output: importJobSchema },
  'import.cancel': { input: z.object({ jobId: z.string().max(64) }).strict(), output: importJobSchema },
  'annotations.list': { input: z.object({ articleId }).strict(), output: z.array(annotationSchema) },
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
  'annotations.delete': { input: z.object({ id: annotationId }).strict(), output: annotationSchema },
  /** Puts back a deleted annotation exactly as it was (undo of a delete). */
  'annotations.restore': { input: z.object({ annotation: annotationSchema }).strict(), output: annotationSchema },
} as const satisfies Record<ApiMethod, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type ApiInput<M extends ApiMethod> = z.input<Contract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<Contract[M]['output']>;

/** Error codes that cross the API as data. */
export type ApiErrorCode = 'invalid_input' | 'unknown_method' | 'not_found' | 'conflict' | 'forbidden' | 'internal';

export interface ApiError {
  code: ApiErrorCode;
  message: string;
}

export type ApiResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiError };

/** One function serves every transport: `(method, input) => result`. */
export type Dispatcher = (method: string, input: unknown) => Promise<ApiResult>;
