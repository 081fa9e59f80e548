import type { Node } from 'prosemirror-model';
import { articleSchema, CHUNK_PARAGRAPHS } from './schema.js';

/**
 * An article's text laid out as ProseMirror paragraphs, with the maps between
 * text offsets (UTF-16, into the canonical text) and document positions.
 * Every non-blank line is a paragraph; the line breaks between them are in
 * the text but not in the document. Paragraphs are grouped in chunks (see the
 * schema), which shifts positions by one at each chunk's start and end.
 */
export class ArticleDocument {
  readonly doc: Node;
  /** UTF-16 offset in the text where each paragraph starts. */
  private readonly textStart: number[] = [];
  /** Document position of the start of each paragraph's content. */
  private readonly posStart: number[] = [];
  private readonly lengths: number[] = [];

  constructor(readonly text: string) {
    const chunks: Node[] = [];
    let paragraphs: Node[] = [];
    let offset = 0;
    // Position 0 is the start of the document; 1 is inside the first chunk.
    let pos = 1;
    const closeChunk = () => {
      chunks.push(articleSchema.node('chunk', null, paragraphs));
      paragraphs = [];
      pos += 2; // the chunk's end and the next chunk's start
    };
    for (const line of text.split('\n')) {
      if (line.trim() !== '') {
        if (paragraphs.length === CHUNK_PARAGRAPHS) closeChunk();
        this.textStart.push(offset);
        this.posStart.push(pos + 1);
        this.lengths.push(line.length);
        paragraphs.push(articleSchema.node('paragraph', null, [articleSchema.text(line)]));
        pos += line.length + 2;
      }
      offset += line.length + 1;
    }
    if (paragraphs.length === 0 && chunks.length === 0) paragraphs.push(articleSchema.node('paragraph'));
    if (paragraphs.length > 0) chunks.push(articleSchema.node('chunk', null, paragraphs));
    this.doc = articleSchema.node('doc', null, chunks);
  }

  get paragraphCount(): number {
    return this.textStart.length;
  }

  /** Index of the last paragraph starting at or before text offset `u16` (-1 if none). */
  private paragraphAtText(u16: number): number {
    let lo = 0;
    let hi = this.textStart.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.textStart[mid] as number) <= u16) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Document position of a text offset; offsets between paragraphs go to the nearest paragraph edge. */
  posOf(u16: number): number {
    const p = this.paragraphAtText(u16);
    if (p < 0) return this.posStart[0] ?? 1;
    const within = Math.min(u16 - (this.textStart[p] as number), this.lengths[p] as number);
    return (this.posStart[p] as number) + within;
  }

  /** Text offset of a document position. */
  textOf(pos: number): number {
    let lo = 0;
    let hi = this.posStart.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.posStart[mid] as number) <= pos) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const start = this.posStart[found] ?? 1;
    const within = Math.max(0, Math.min(pos - start, this.lengths[found] ?? 0));
    return (this.textStart[found] ?? 0) + within;
  }

  /**
   * The pieces of the text range [from, to) that lie inside paragraphs, as
   * document ranges: an annotation across paragraphs is painted per paragraph.
   */
  ranges(from: number, to: number): { from: number; to: number }[] {
    const out: { from: number; to: number }[] = [];
    for (let p = Math.max(0, this.paragraphAtText(from)); p < this.textStart.length; p++) {
      const s = this.textStart[p] as number;
      const e = s + (this.lengths[p] as number);
      if (s >= to) break;
      const a = Math.max(from, s);
      const b = Math.min(to, e);
      if (b > a) out.push({ from: (this.posStart[p] as number) + (a - s), to: (this.posStart[p] as number) + (b - s) });
    }
    return out;
  }
}
