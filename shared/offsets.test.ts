import { describe, expect, it } from 'vitest';
import { codePointLength, OffsetIndex, sliceCodePoints } from './offsets.js';

const text = 'Café 😀 says “hi” — 👩‍👩‍👧 ok';

describe('code-point offsets', () => {
  it('counts code points the way Python does', () => {
    // len('Café 😀 says “hi” — 👩‍👩‍👧 ok') in Python 3 is 27 (checked with python3).
    expect(codePointLength(text)).toBe(27);
    expect([...text].length).toBe(27);
  });

  it('round-trips every code-point offset through UTF-16', () => {
    const index = new OffsetIndex(text);
    expect(index.length).toBe(27);
    for (let cp = 0; cp <= index.length; cp++) {
      expect(index.toCodePoint(index.toUtf16(cp))).toBe(cp);
    }
  });

  it('slices like Python text[start:end]', () => {
    const chars = [...text];
    for (let s = 0; s < chars.length; s += 3) {
      for (let e = s; e <= chars.length; e += 4) {
        expect(sliceCodePoints(text, s, e)).toBe(chars.slice(s, e).join(''));
      }
    }
  });

  it('rounds an offset inside a surrogate pair down to the character start', () => {
    const index = new OffsetIndex('a😀b');
    expect(index.toCodePoint(2)).toBe(1);
    expect(index.toCodePoint(3)).toBe(2);
  });

  it('rejects offsets outside the text', () => {
    const index = new OffsetIndex('abc');
    expect(() => index.toUtf16(4)).toThrow(RangeError);
    expect(() => index.toUtf16(-1)).toThrow(RangeError);
    expect(() => index.toCodePoint(1.5)).toThrow(RangeError);
  });
});
