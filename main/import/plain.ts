import { normalizeText } from '../../shared/text.js';

export interface ParsedArticle {
  title: string;
  text: string;
}

/**
 * A plain-text article: the first non-empty line is the title, the rest is the
 * body. Paragraph breaks are kept as they are; leading and trailing blank
 * lines of the body are dropped.
 */
export function parsePlainArticle(raw: string, fileName: string): ParsedArticle {
  const lines = normalizeText(raw).split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new Error(`${fileName}: the file is empty`);
  const title = (lines[first] ?? '').trim();
  const body = lines
    .slice(first + 1)
    .join('\n')
    .replace(/^\s*\n/, '')
    .replace(/\s+$/, '');
  if (body.trim() === '') throw new Error(`${fileName}: there is a title line but no article text under it`);
  return { title, text: body.replace(/^(\s*\n)+/, '') };
}
