/**
 * Markdown articles, read as the text a reader sees: the document is parsed
 * (CommonMark, mdast-util-from-markdown) and each block becomes a paragraph —
 * emphasis marks, list bullets, quote marks, link targets and heading marks
 * are markup, not words to tag. A first heading is the title.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Nodes, RootContent } from 'mdast';
import { joinParagraphs, titleFromParagraphs } from './plain.js';
import { normalizeText } from '../../shared/text.js';
import { ReadError, type ParsedArticle } from './types.js';

/** The text of inline content: a soft line break shows as a space, a hard one as a line break. */
function inlineText(node: Nodes): string {
  switch (node.type) {
    case 'text':
      return node.value.replace(/[ \t]*\n[ \t]*/g, ' ');
    case 'inlineCode':
      return node.value;
    case 'break':
      return '\n';
    case 'image':
    case 'imageReference':
      return node.alt ?? '';
    case 'html':
      return node.value.replace(/<[^>]*>/g, '');
    default:
      return 'children' in node ? node.children.map((c) => inlineText(c as Nodes)).join('') : '';
  }
}

/** Paragraphs of a block, in reading order. */
function blockParagraphs(node: RootContent, out: string[]): void {
  switch (node.type) {
    case 'paragraph':
    case 'heading':
    case 'tableCell':
      out.push(inlineText(node));
      return;
    case 'code':
      out.push(node.value);
      return;
    case 'html':
      out.push(node.value.replace(/<[^>]*>/g, ''));
      return;
    case 'thematicBreak':
    case 'definition':
    case 'yaml':
      return;
    default:
      if ('children' in node) for (const child of node.children) blockParagraphs(child as RootContent, out);
      else if ('value' in node && typeof node.value === 'string') out.push(node.value);
  }
}

export function parseMarkdownArticle(raw: string): ParsedArticle {
  const tree = fromMarkdown(normalizeText(raw));
  const blocks = tree.children.filter((b) => b.type !== 'thematicBreak' && b.type !== 'definition');
  const first = blocks[0];
  if (!first) throw new ReadError('the file is empty');
  const paragraphs: string[] = [];
  for (const block of blocks) blockParagraphs(block, paragraphs);
  const clean = paragraphs.map((p) => p.trim()).filter((p) => p !== '');
  if (clean.length === 0) throw new ReadError('the file is empty');
  if (first.type === 'heading' && inlineText(first).trim() !== '') {
    const [title, ...body] = clean;
    if (body.length === 0) throw new ReadError('there is a title line but no article text under it');
    return { title: title ?? '', text: joinParagraphs(body) };
  }
  return titleFromParagraphs(clean);
}
