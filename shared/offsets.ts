/**
 * The one definition of a text offset in Claimdesk.
 *
 * Stored and exported offsets count **Unicode code points** into an article's
 * canonical text, so Python (`text[start:end]`) and most NLP tools slice the
 * same characters. JavaScript strings index UTF-16 code units; the renderer and
 * ProseMirror work in those, and convert at the API boundary with an
 * {@link OffsetIndex}.
 */

/** Number of code points in `text`. */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * Converts between code-point offsets and UTF-16 offsets of one text in
 * O(log n), by remembering where the astral characters (surrogate pairs) are.
 */
export class OffsetIndex {
  /** UTF-16 index of the high surrogate of each astral character, ascending. */
  private readonly astralAt: number[] = [];
  /** Length of the text in code points. */
  readonly length: number;
  /** Length of the text in UTF-16 code units. */
  readonly utf16Length: number;

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.astralAt.push(i);
          i++;
        }
      }
    }
    this.utf16Length = text.length;
    this.length = text.length - this.astralAt.length;
  }

  /** UTF-16 offset of code-point offset `cp` (0 ≤ cp ≤ length). */
  toUtf16(cp: number): number {
    if (!Number.isInteger(cp) || cp < 0 || cp > this.length) {
      throw new RangeError(`code-point offset ${cp} is outside 0..${this.length}`);
    }
    // Astral characters before code point `cp`: those whose code-point index
    // (astralAt[k] - k) is below cp.
    let lo = 0;
    let hi = this.astralAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.astralAt[mid] as number) - mid < cp) lo = mid + 1;
      else hi = mid;
    }
    return cp + lo;
  }

  /**
   * Code-point offset of UTF-16 offset `u16`. An offset inside a surrogate
   * pair is rounded down to the start of that character.
   */
  toCodePoint(u16: number): number {
    if (!Number.isInteger(u16) || u16 < 0 || u16 > this.utf16Length) {
      throw new RangeError(`UTF-16 offset ${u16} is outside 0..${this.utf16Length}`);
    }
    // Astral characters that start before u16.
    let lo = 0;
    let hi = this.astralAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.astralAt[mid] as number) < u16) lo = mid + 1;
      else hi = mid;
    }
    // Each astral character before u16 is two units but one code point. An
    // offset inside a pair also lands on the pair's start: (u16-1) - (lo-1).
    return u16 - lo;
  }
}

/** `text` sliced by code-point offsets, like Python's `text[start:end]`. */
export function sliceCodePoints(text: string, start: number, end: number, index = new OffsetIndex(text)): string {
  return text.slice(index.toUtf16(start), index.toUtf16(end));
}
