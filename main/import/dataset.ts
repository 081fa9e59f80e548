/**
 * JSON and JSONL datasets: records with `text` and optional `title`, `outlet`,
 * `url`, `published_at` and `id`. Each record is its own outcome, so one bad
 * line is reported and the others still import.
 */
import { z } from 'zod';
import { joinParagraphs } from './plain.js';
import { normalizeText } from '../../shared/text.js';
import { ReadError, type ReadOutcome } from './types.js';

const recordSchema = z.object({
  text: z.string({ error: (i) => (i.input === undefined ? 'missing "text"' : '"text" must be a string') }).refine((t) => t.trim() !== '', '"text" is empty'),
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
  return {
    source,
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

export function parseJsonl(text: string, fileName: string): ReadOutcome[] {
  const out: ReadOutcome[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      out.push({ source: `${fileName}: line ${i + 1}`, error: 'not valid JSON' });
      return;
    }
    out.push(toOutcome(describeRecord(fileName, `line ${i + 1}`, value), value));
  });
  if (out.length === 0) throw new ReadError('the file is empty');
  return out;
}

export function parseJsonDataset(text: string, fileName: string): ReadOutcome[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ReadError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const records = Array.isArray(value) ? value : value && typeof value === 'object' && Array.isArray((value as { articles?: unknown }).articles) ? (value as { articles: unknown[] }).articles : [value];
  if (records.length === 0) throw new ReadError('the dataset has no records');
  return records.map((r, i) => toOutcome(describeRecord(fileName, `record ${i + 1}`, r), r));
}
