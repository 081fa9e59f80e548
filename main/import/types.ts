/** What a reader makes of one input: an article ready to store, or a reason it could not. */
export interface ParsedArticle {
  title: string;
  /** Canonical text: `\n` line endings, NFC, paragraphs separated by blank lines. */
  text: string;
  outlet?: string | null;
  url?: string | null;
  publishedAt?: string | null;
  byline?: string | null;
}

/** A reader's verdict on one file or one dataset record. */
export type ReadOutcome =
  | {
      source: string;
      article: ParsedArticle;
      /** Something the analyst should know about an article that was read (e.g. a date that is not one). */ warning?: string;
    }
  | { source: string; error: string };

/** A reader failure with a message a person understands (no file name: the caller adds it). */
export class ReadError extends Error {
  override name = 'ReadError';
}

export { MAX_FILE_BYTES, SUPPORTED_EXTENSIONS } from '../../shared/import-limits.js';
