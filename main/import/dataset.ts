/**
 * JSON and JSONL datasets: records with `text` and optional `title`, `outlet`,
 * `url`, `published_at` and `id`. Each record is its own outcome, so one bad
 * line is reported and the others still import.
 */
import { z } from 'zod';
import { joinParagraphs } from './plain.js';
import { normalizeText } from '../../shared/text.js';
import { ReadError, type ReadOutcome } from './types.js';
import { errorMessage } from '../../shared/errors.js';

const recordSchema = z.object({
  text: z
    .string({ error: (i) => (i.input === undefined ? 'missing "text"' : '"text" must be a string') })
    .refine((t) => t.trim() !== '', '"text" is empty'),
  title: z.string().nullish(),
  outlet: z.string().nullish(),
  url: z.string().nullish(),
  published_at: z.string().nullish(),
  id: z.union([z.string(), z.number()]).nullish(),
});

function toOutcome(source: string, value: unknown): ReadOutcome {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { source, error: 'not an object with a "text" field' };
  const r = recordSchema.safeParse(value);
  if (!r.success) return { source, error: r.error.issues.map((i) => i.message).join('; ') };
  const { text, title, outlet, url, published_at: publishedAt } = r.data;
  const canonical = joinParagraphs(normalizeText(text).split(/\n\s*\n/));
  const firstLine = canonical.split('\n')[0] ?? '';
  const date = publishedAt && !Number.isNaN(Date.parse(publishedAt)) ? new Date(Date.parse(publishedAt)).toISOString() : null;
  // A date that is not one is dropped, and the report says so: the analyst may rely on dates to sort or filter.
  const shown = publishedAt && publishedAt.length > 40 ? `${publishedAt.slice(0, 40)}…` : publishedAt;
  const warning =
    publishedAt?.trim() && !date ? `imported without a date: "published_at" ${JSON.stringify(shown)} is not a date` : undefined;
  return {
    source,
    ...(warning ? { warning } : {}),
    article: {
      title: (title?.trim() || (firstLine.length > 100 ? `${firstLine.slice(0, 100)}…` : firstLine)).slice(0, 300),
      text: canonical,
      outlet: outlet ?? null,
      url: url ?? null,
      publishedAt: date,
    },
  };
}

function describeRecord(fileName: string, where: string, value: unknown): string {
  const id = value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? `${fileName}: ${where} (id ${id})` : `${fileName}: ${where}`;
}

/** Records of a JSONL file one by one, so a million-line file is never a million outcomes at once. */
export function* jsonlOutcomes(text: string, fileName: string): Generator<ReadOutcome> {
  let any = false;
  let lineNo = 0;
  for (let at = 0; at <= text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    at = end + 1;
    lineNo++;
    if (line.trim() === '') continue;
    any = true;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      yield { source: `${fileName}: line ${lineNo}`, error: 'not valid JSON' };
      continue;
    }
    yield toOutcome(describeRecord(fileName, `line ${lineNo}`, value), value);
  }
  if (!any) throw new ReadError('the file is empty');
}

export function parseJsonl(text: string, fileName: string): ReadOutcome[] {
  return [...jsonlOutcomes(text, fileName)];
}

/** Records of a JSON dataset (an array, `{ articles: [...] }` or one record), one by one. */
export function* jsonDatasetOutcomes(text: string, fileName: string): Generator<ReadOutcome> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ReadError(`not valid JSON (${errorMessage(err)})`);
  }
  const records = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { articles?: unknown }).articles)
      ? (value as { articles: unknown[] }).articles
      : [value];
  if (records.length === 0) throw new ReadError('the dataset has no records');
  for (let i = 0; i < records.length; i++) yield toOutcome(describeRecord(fileName, `record ${i + 1}`, records[i]), records[i]);
}

export function parseJsonDataset(text: string, fileName: string): ReadOutcome[] {
  return [...jsonDatasetOutcomes(text, fileName)];
}
