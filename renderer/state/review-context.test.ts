import { describe, expect, it } from 'vitest';
import { reviewContext } from './review-context.js';

const text = 'First sentence here. Washington is pushing for a deal, Politico says. Another one follows!\n\nNew paragraph.';
const at = (phrase: string) => {
  const start = [...text.slice(0, text.indexOf(phrase))].length;
  return { start, end: start + [...phrase].length };
};

describe('reviewContext', () => {
  it('gives the sentence around both tags, marked by side', () => {
    const pieces = reviewContext(text, at('Washington is pushing'), at('pushing for a deal'));
    expect(pieces.map((p) => p.text).join('')).toBe('Washington is pushing for a deal, Politico says.');
    expect(pieces.filter((p) => p.inA && p.inB).map((p) => p.text)).toEqual(['pushing']);
    expect(pieces.filter((p) => p.inA && !p.inB).map((p) => p.text)).toEqual(['Washington is ']);
    expect(pieces.filter((p) => !p.inA && p.inB).map((p) => p.text)).toEqual([' for a deal']);
  });

  it('spans the sentences both tags are in, and stops at a paragraph break', () => {
    const pieces = reviewContext(text, at('Politico'), at('Another one'));
    expect(pieces.map((p) => p.text).join('')).toBe('Washington is pushing for a deal, Politico says. Another one follows!');
    expect(
      reviewContext(text, null, at('New paragraph'))
        .map((p) => p.text)
        .join(''),
    ).toBe('New paragraph.');
    expect(reviewContext(text, null, null)).toEqual([]);
  });

  it('counts offsets in code points', () => {
    const emoji = 'Kyiv 🇺🇦 said no. Then 👍🏽 it agreed.';
    const start = [...emoji.slice(0, emoji.indexOf('it agreed'))].length;
    const pieces = reviewContext(emoji, { start, end: start + 2 }, null);
    expect(pieces.map((p) => p.text).join('')).toBe('Then 👍🏽 it agreed.');
    expect(pieces.find((p) => p.inA)?.text).toBe('it');
  });
});
