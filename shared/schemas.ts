/**
 * Domain records as they cross the API, with their zod schemas. Everything is
 * JSON: integers, strings, ISO-8601 date strings.
 */
import { z } from 'zod';

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
