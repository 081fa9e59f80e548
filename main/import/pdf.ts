/**
 * PDFs: the text layer (pdf.js, through unpdf's dependency-free build), lines rejoined into paragraphs. A paragraph
 * ends at a vertical gap clearly larger than the line spacing; a word broken
 * by a hyphen at a line end is joined again.
 */
import { MAX_PDF_PAGES, PDF_EMPTY_PAGES_BEFORE_GIVING_UP } from './limits.js';
import { titleAndBody } from './plain.js';
import { ReadError, type ParsedArticle } from './types.js';
import { errorMessage } from '../../shared/errors.js';

interface Line {
  text: string;
  y: number;
  height: number;
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
  transform?: number[];
  height?: number;
}

function linesOf(items: readonly TextItemLike[]): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    const y = item.transform?.[5] ?? 0;
    const height = item.height ?? 0;
    if (!current || (current.text !== '' && Math.abs(current.y - y) > Math.max(2, height / 2))) {
      if (current && current.text.trim() !== '') lines.push(current);
      current = { text: '', y, height };
    }
    current.text += item.str;
    current.height = Math.max(current.height, height);
    if (item.hasEOL) {
      if (current.text.trim() !== '') lines.push(current);
      current = null;
    }
  }
  if (current && current.text.trim() !== '') lines.push(current);
  return lines;
}

function joinLines(paragraph: string, line: string): string {
  if (paragraph === '') return line.trim();
  // "guaran-" + "tees" -> "guarantees"; "long-" + "Standing" keeps its hyphen.
  if (/\p{L}-$/u.test(paragraph)) return /^\p{Ll}/u.test(line.trim()) ? paragraph.slice(0, -1) + line.trim() : paragraph + line.trim();
  return `${paragraph} ${line.trim()}`;
}

/** Paragraphs of one page from its lines, by vertical spacing. */
export function paragraphsOf(lines: readonly Line[]): string[] {
  const gaps = lines
    .slice(1)
    .map((l, i) => Math.abs((lines[i] as Line).y - l.y))
    .filter((g) => g > 0);
  const sorted = [...gaps].sort((a, b) => a - b);
  // Line spacing: the lower quartile of the gaps (paragraph gaps can be as common
  // as line gaps), but never more than a normal leading for the font size.
  const heights = lines
    .map((l) => l.height)
    .filter((h) => h > 0)
    .sort((a, b) => a - b);
  const leading = (heights[Math.floor(heights.length / 2)] ?? 0) * 1.25;
  const quartile = sorted[Math.floor(sorted.length / 4)] ?? 0;
  const typical = leading > 0 ? Math.min(quartile || leading, leading) : quartile;
  const out: string[] = [];
  let paragraph = '';
  lines.forEach((line, i) => {
    const gap = i > 0 ? Math.abs((lines[i - 1] as Line).y - line.y) : 0;
    if (i > 0 && typical > 0 && gap > typical * 1.4) {
      out.push(paragraph);
      paragraph = '';
    }
    paragraph = joinLines(paragraph, line.text);
  });
  if (paragraph) out.push(paragraph);
  return out;
}

export async function parsePdfArticle(bytes: Uint8Array, fallbackTitle: string): Promise<ParsedArticle> {
  const { getDocumentProxy } = await import('unpdf');
  let doc: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // Only the text layer is read: no fonts, no eval, no fetching.
    doc = await getDocumentProxy(new Uint8Array(bytes), {
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
      stopAtErrors: false,
      enableXfa: false,
    });
  } catch (err) {
    const msg = errorMessage(err);
    if (/password/i.test(msg)) throw new ReadError('the PDF is password-protected');
    throw new ReadError(`not a readable PDF (${msg})`);
  }
  try {
    if (doc.numPages > MAX_PDF_PAGES)
      throw new ReadError(
        `the PDF has ${doc.numPages.toLocaleString('en')} pages, over the ${MAX_PDF_PAGES.toLocaleString('en')}-page limit`,
      );
    const paragraphs: string[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      // A scan has no text on its first pages either: stop there rather than read every page.
      if (p > PDF_EMPTY_PAGES_BEFORE_GIVING_UP && paragraphs.length === 0) break;
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      paragraphs.push(...paragraphsOf(linesOf(content.items as TextItemLike[])));
      page.cleanup();
    }
    if (paragraphs.join('').trim() === '') throw new ReadError('no text layer (scanned image?)');
    return titleAndBody(paragraphs, fallbackTitle);
  } finally {
    await doc.loadingTask.destroy();
  }
}
