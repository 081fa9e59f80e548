import { describe, expect, it } from 'vitest';
import { httpUrl, normalizeLine, normalizeText, snapToWords } from './text.js';

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

  it('drops control characters (tab and line breaks aside) and lone surrogates', () => {
    expect(normalizeText('a\u0000b\u0007c\u001b[2Jd\u0002e\u0003f\u007fg\u0085h\ti')).toBe('abc[2Jdefgh\ti');
    expect(normalizeText('page one\fpage two\vline')).toBe('page one\npage two\nline');
    expect(normalizeText('x\uD800y\uDC00z 😀')).toBe('x\uFFFDy\uFFFDz 😀');
  });
});

describe('metadata', () => {
  it('is one line of canonical text', () => {
    expect(normalizeLine('  Title\n with\ttabs\u0007 and Cafe\u0301  ')).toBe('Title with tabs and Café');
  });

  it('keeps only http(s) URLs', () => {
    expect(httpUrl('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(httpUrl(' http://example.org ')).toBe('http://example.org/');
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      'file:///etc/passwd',
      '//example.org',
      'example.org',
      '',
      null,
      undefined,
    ]) {
      expect(httpUrl(bad), String(bad)).toBeNull();
    }
  });
});
