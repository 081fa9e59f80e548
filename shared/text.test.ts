import { describe, expect, it } from 'vitest';
import { normalizeText, snapToWords } from './text.js';

const snap = (text: string, from: string, to?: string) => {
  const start = text.indexOf(from);
  const end = to === undefined ? start + from.length : text.indexOf(to) + to.length;
  const r = snapToWords(text, start, end);
  return r ? text.slice(r.start, r.end) : null;
};

describe('snapToWords', () => {
  const text = 'Rubio told EU officials that Washington’s long-standing view holds.';

  it('widens a partial selection to whole words', () => {
    expect(snap(text, 'bio told E')).toBe('Rubio told EU');
  });

  it('trims surrounding whitespace', () => {
    expect(snap(text, ' told ')).toBe('told');
  });

  it('keeps apostrophes and hyphens inside words', () => {
    expect(snap(text, 'ington', 'long-st')).toBe('Washington’s long-standing');
  });

  it('does not swallow the punctuation next to a word', () => {
    expect(snap(text, 'hold')).toBe('holds');
    expect(snap(text, 'holds.')).toBe('holds.');
  });

  it('returns null for a whitespace-only selection', () => {
    expect(snapToWords('a   b', 1, 4)).toBeNull();
  });

  it('handles accents and emoji', () => {
    const t = 'Le café 😀 était fermé';
    expect(snap(t, 'af')).toBe('café');
    expect(snap(t, 'ait ferm')).toBe('était fermé');
  });
});

describe('normalizeText', () => {
  it('turns CRLF and CR into LF and composes to NFC', () => {
    expect(normalizeText('a\r\nb\rc')).toBe('a\nb\nc');
    expect(normalizeText('Cafe\u0301')).toBe('Café');
  });
});
