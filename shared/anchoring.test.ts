import { describe, expect, it } from 'vitest';
import { codePointLength } from './offsets.js';
import { ANCHOR_LIMITS, reanchor, reanchorOrWhy, type StoredSelector } from './anchoring.js';

/** A selector for `quote` in `text`, with 32 code points of context, as Claimdesk stores it. */
function selector(text: string, quote: string, nth = 0): StoredSelector {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(quote, at + 1);
  const start = codePointLength(text.slice(0, at));
  const chars = [...text];
  return {
    start,
    end: start + codePointLength(quote),
    quote,
    prefix: chars.slice(Math.max(0, start - 32), start).join(''),
    suffix: chars.slice(start + codePointLength(quote), start + codePointLength(quote) + 32).join(''),
  };
}
const slice = (text: string, a: { start: number; end: number } | null) => (a ? [...text].slice(a.start, a.end).join('') : null);

const ORIGINAL =
  'Rubio told EU officials that Washington wants a peace deal first. 😀 Kyiv disagrees.\n\nMoscow opposes one-sided guarantees, a Kremlin source said.';

describe('reanchor', () => {
  it('keeps the stored position when it still holds the quote', () => {
    const s = selector(ORIGINAL, 'Kyiv disagrees');
    expect(reanchor(ORIGINAL, s)).toMatchObject({ method: 'position', start: s.start, end: s.end });
  });

  it('finds the quote again in edited text (words inserted before it)', () => {
    const s = selector(ORIGINAL, 'Moscow opposes one-sided guarantees');
    const edited = ORIGINAL.replace('Rubio told', 'On Friday, Secretary of State Marco Rubio told');
    const a = reanchor(edited, s);
    expect(a?.method).toBe('exact');
    expect(slice(edited, a)).toBe('Moscow opposes one-sided guarantees');
  });

  it('follows a moved paragraph', () => {
    const s = selector(ORIGINAL, 'a Kremlin source said');
    const [p1, p2] = ORIGINAL.split('\n\n');
    const moved = `${p2}\n\n${p1}`;
    expect(slice(moved, reanchor(moved, s))).toBe('a Kremlin source said');
  });

  it('picks the right one of duplicated quotes by its context', () => {
    const text = 'The US said yes. Later, Kyiv said no. Then the US said yes. Finally Moscow said no.';
    const second = selector(text, 'said no', 1);
    const shifted = `Breaking: ${text}`;
    const a = reanchor(shifted, second);
    expect(a?.method).toBe('exact');
    // The second "said no" (Moscow's), not the first (Kyiv's).
    expect(a?.start).toBe(shifted.indexOf('said no', shifted.indexOf('Moscow')));
    expect(a?.start).not.toBe(shifted.indexOf('said no'));
  });

  it('matches a slightly reworded quote approximately', () => {
    const s = selector(ORIGINAL, 'Washington wants a peace deal first');
    const edited = ORIGINAL.replace('Washington wants a peace deal first', 'Washington wanted a peace-deal first');
    const a = reanchor(edited, s);
    expect(a?.method).toBe('fuzzy');
    expect(slice(edited, a)).toBe('Washington wanted a peace-deal first');
    expect(a?.score).toBeGreaterThan(0.75);
  });

  it('leaves unanchored what is gone, rather than placing it wrongly', () => {
    const s = selector(ORIGINAL, 'Moscow opposes one-sided guarantees');
    expect(reanchor('A completely different article about the weather in Lviv today.', s)).toBeNull();
  });
});

describe('the time limit of an approximate search', () => {
  // A text several search windows long, the reworded quote near its end.
  const filler = 'Nothing to see in this sentence at all. '.repeat(Math.ceil((ANCHOR_LIMITS.fuzzyWindow * 2.5) / 40));
  const text = `${filler}${ORIGINAL}`;
  const edited = text.replace('Washington wants a peace deal first', 'Washington wanted a peace-deal first');
  const s = selector(text, 'Washington wants a peace deal first');

  it('finds a match across search windows as a search of the whole text does', () => {
    const a = reanchorOrWhy(edited, s);
    expect('failure' in a ? a : slice(edited, a)).toBe('Washington wanted a peace-deal first');
  });

  it('gives up, reporting the selector out of time, when its clock passes the limit between windows', () => {
    // A clock that moves a whole limit each time it is read: a machine slow enough to pass it in one window.
    let now = 0;
    const slow = () => (now += ANCHOR_LIMITS.timeMs);
    expect(reanchorOrWhy(edited, s, undefined, { clock: slow })).toEqual({ failure: 'out-of-time' });
    // The position and exact steps do not depend on the clock.
    expect(reanchorOrWhy(text, s, undefined, { clock: slow })).toMatchObject({ method: 'position' });
    expect(reanchorOrWhy(text, { ...s, start: 0, end: s.end - s.start }, undefined, { clock: slow })).toMatchObject({ method: 'exact' });
  });
});
