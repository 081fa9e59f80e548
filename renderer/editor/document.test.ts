import { describe, expect, it } from 'vitest';
import { overlapLevels } from './annotations.js';
import { ArticleDocument } from './document.js';
import { CHUNK_PARAGRAPHS } from './schema.js';

describe('ArticleDocument', () => {
  const text = 'First para.\n\nSecond 😀 para.\nThird.';
  const doc = new ArticleDocument(text);

  it('makes one paragraph per non-blank line', () => {
    expect(doc.paragraphCount).toBe(3);
    expect(doc.doc.childCount).toBe(1);
    expect(doc.doc.child(0).childCount).toBe(3);
    expect(doc.doc.child(0).child(1).textContent).toBe('Second 😀 para.');
  });

  it('groups paragraphs in chunks and maps offsets exactly across chunk boundaries', () => {
    const lines = Array.from({ length: CHUNK_PARAGRAPHS * 2 + 3 }, (_, i) => `Paragraph ${i} with ${'word '.repeat(i % 5)}end.`);
    const long = lines.join('\n\n');
    const d = new ArticleDocument(long);
    expect(d.doc.childCount).toBe(3);
    expect(d.doc.child(0).childCount).toBe(CHUNK_PARAGRAPHS);
    expect(d.doc.child(2).childCount).toBe(3);
    for (const line of lines) {
      const start = long.indexOf(line);
      for (const i of [start, start + 3, start + line.length - 1]) {
        const pos = d.posOf(i);
        expect(d.textOf(pos)).toBe(i);
        expect(d.doc.textBetween(pos, pos + 1)).toBe(long[i]);
      }
    }
    // A range from the last paragraph of one chunk into the first of the next is painted in two pieces.
    const from = long.indexOf(lines[CHUNK_PARAGRAPHS - 1] as string) + 5;
    const to = long.indexOf(lines[CHUNK_PARAGRAPHS] as string) + 9;
    expect(d.ranges(from, to).map((r) => d.doc.textBetween(r.from, r.to))).toEqual([
      (lines[CHUNK_PARAGRAPHS - 1] as string).slice(5),
      'Paragraph',
    ]);
  });

  it('maps every text offset inside a paragraph to a document position and back', () => {
    let checked = 0;
    for (const line of ['First para.', 'Second 😀 para.', 'Third.']) {
      const start = text.indexOf(line);
      for (let i = start; i <= start + line.length; i++) {
        const pos = doc.posOf(i);
        expect(doc.textOf(pos)).toBe(i);
        if (i < start + line.length) expect(doc.doc.textBetween(pos, pos + 1)).toBe(text[i]);
        checked++;
      }
    }
    expect(checked).toBe(text.replace(/\n/g, '').length + 3);
  });

  it('splits a range across paragraphs into per-paragraph pieces', () => {
    const from = text.indexOf('para.');
    const to = text.indexOf('Second') + 6;
    const pieces = doc.ranges(from, to);
    expect(pieces).toHaveLength(2);
    expect(pieces.map((r) => doc.doc.textBetween(r.from, r.to))).toEqual(['para.', 'Second']);
  });
});

describe('overlapLevels', () => {
  it('gives overlapping annotations different underline levels and reuses free ones', () => {
    const levels = overlapLevels([
      { id: 'a', label: 'claim', start: 0, end: 10 },
      { id: 'b', label: 'source', start: 2, end: 5 },
      { id: 'c', label: 'opinion', start: 4, end: 12 },
      { id: 'd', label: 'claim', start: 11, end: 14 },
      { id: 'e', label: 'claim', start: 20, end: 30 },
    ]);
    expect(Object.fromEntries(levels)).toEqual({ a: 0, b: 1, c: 2, d: 0, e: 0 });
  });
});

describe('inWindow', () => {
  it('finds exactly the annotations touching the window, long ones starting before it included', async () => {
    const { inWindow } = await import('./annotations.js');
    const sorted = [
      { id: 'long', label: 'claim', start: 0, end: 500 },
      { id: 'a', label: 'claim', start: 100, end: 110 },
      { id: 'b', label: 'claim', start: 290, end: 310 },
      { id: 'c', label: 'claim', start: 320, end: 330 },
      { id: 'd', label: 'claim', start: 600, end: 610 },
    ];
    expect(inWindow(sorted, 500, { from: 300, to: 600 }).map((a) => a.id)).toEqual(['long', 'b', 'c']);
    expect(inWindow(sorted, 500, { from: 0, to: 50 }).map((a) => a.id)).toEqual(['long']);
    expect(inWindow(sorted, 500, { from: 700, to: 800 })).toEqual([]);
  });
});
