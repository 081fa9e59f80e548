import { capLine, MAX_TITLE_CHARS, normalizeText } from '../../shared/text.js';
import { ReadError, type ParsedArticle } from './types.js';

/** Ends like a sentence: . ! ? or a closing quote after one. */
const LEDE = /[.!?]["”’»)]?$/u;

/**
 * A plain-text or Markdown article: the first non-empty line is the title
 * (Markdown heading marks removed), the rest is the body; a first line that is
 * a sentence (ends with . ! or ?) is also kept as the body's first paragraph.
 * Paragraph breaks are kept as they are; blank lines around the body are dropped.
 */
export function parsePlainArticle(raw: string, options: { markdown?: boolean } = {}): ParsedArticle {
  const lines = normalizeText(raw).split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new ReadError('the file is empty');
  let title = (lines[first] ?? '').trim();
  if (options.markdown) title = title.replace(/^#{1,6}\s+/, '').replace(/\s+#+\s*$/, '');
  // A first line that reads as a sentence (a lede, not a headline) stays in
  // the body as well, so the claims it makes can be tagged.
  const lede = LEDE.test(title) || title.length > 160;
  const body = lines
    .slice(lede ? first : first + 1)
    .join('\n')
    .replace(/^(\s*\n)+/, '')
    .replace(/\s+$/, '');
  if (body.trim() === '' || (lede && body.trim() === title)) throw new ReadError('there is a title line but no article text under it');
  return { title: capLine(title, MAX_TITLE_CHARS), text: body };
}

/**
 * Title and body from paragraphs of plain text (Markdown's when it opens with
 * no heading): the first paragraph is the title; one that reads as a sentence
 * (a lede) also stays in the body.
 */
export function titleFromParagraphs(paragraphs: readonly string[]): ParsedArticle {
  const [title = '', ...rest] = paragraphs;
  const lede = LEDE.test(title) || title.length > 160;
  const body = joinParagraphs(lede ? paragraphs : rest);
  if (body === '') throw new ReadError('there is a title line but no article text under it');
  return { title: capLine(title.replace(/\s+/g, ' '), MAX_TITLE_CHARS), text: body };
}

/** Paragraphs (already plain text) joined the canonical way, blank-line separated. */
export function joinParagraphs(paragraphs: readonly string[]): string {
  return normalizeText(
    paragraphs
      .map((p) => p.replace(/[ \t\u00a0]+/g, ' ').trim())
      .filter((p) => p !== '')
      .join('\n\n'),
  );
}

/** Title from the first paragraph, the rest as the body (Word and PDF documents). */
export function titleAndBody(paragraphs: readonly string[], fallbackTitle: string): ParsedArticle {
  const clean = paragraphs.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '');
  if (clean.length === 0) throw new ReadError('no text found');
  if (clean.length === 1) return { title: fallbackTitle, text: joinParagraphs(clean) };
  const [title, ...rest] = clean;
  return { title: capLine(title ?? fallbackTitle, MAX_TITLE_CHARS), text: joinParagraphs(rest) };
}
