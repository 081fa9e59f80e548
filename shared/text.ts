/**
 * Pure text helpers both sides need: canonical normalisation, word snapping
 * and the quote context stored with every annotation. Offsets here are UTF-16
 * unless a name says otherwise.
 */

/** Control characters that never belong in an article: C0 (but tab and line breaks), DEL and C1. */
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g;
/** Unpaired UTF-16 surrogates, which no encoding can store. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Canonical form of imported text: `\n` line endings (vertical tab and form
 * feed count as line breaks), Unicode NFC, no control characters (they could
 * fake search-match markers or drive a terminal) and no lone surrogates.
 */
export function normalizeText(raw: string): string {
  return raw
    .replace(/\r\n?|[\v\f]/g, '\n')
    .replace(CONTROL, '')
    .replace(LONE_SURROGATE, '\uFFFD')
    .normalize('NFC');
}

/**
 * Bidirectional formatting controls (embeddings, overrides, isolates and the
 * directional marks). In a one-line value they can make a title or a file
 * name display as something else ("gpj.exe" shown as "exe.jpg"); article
 * text keeps them, as a reader of right-to-left text may need them there.
 */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Longest title stored (a first line of 10 MB is not a title). */
export const MAX_TITLE_CHARS = 300;
/** Longest other one-line value stored (outlet, byline, file name). */
export const MAX_LINE_CHARS = 500;

/** `s` cut to at most `max` UTF-16 units at a code point boundary, with "…" when cut. */
export function capLine(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  if (/[\uDC00-\uDFFF]/.test(s[end] ?? '')) end--;
  return `${s.slice(0, end).trimEnd()}…`;
}

/**
 * A one-line metadata value (title, outlet, byline, file name): canonical,
 * bidirectional controls removed, whitespace collapsed, trimmed, at most `max` long.
 */
export function normalizeLine(raw: string, max = MAX_LINE_CHARS): string {
  return capLine(normalizeText(raw).replace(BIDI_CONTROL, '').replace(/\s+/g, ' ').trim(), max);
}

/** `url` when it is an absolute http(s) URL (then as the URL parser writes it), else null. */
export function httpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

const WORD = /[\p{L}\p{N}\p{M}\p{Pc}]/u;
const JOINER = /['’\-‐]/u;

function isWordAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  // Treat a surrogate pair as one character.
  const cp = text.codePointAt(i);
  const lowHalf = i > 0 && /[\uDC00-\uDFFF]/.test(text[i] ?? '') && /[\uD800-\uDBFF]/.test(text[i - 1] ?? '');
  const ch = lowHalf ? String.fromCodePoint(text.codePointAt(i - 1) ?? 0) : String.fromCodePoint(cp ?? 0);
  if (WORD.test(ch)) return true;
  // An apostrophe or hyphen counts inside a word ("don't", "long-standing").
  return JOINER.test(ch) && WORD.test(text[i - 1] ?? '') && WORD.test(text[i + 1] ?? '');
}

/**
 * The range an analyst meant when selecting `[start, end)`: surrounding
 * whitespace trimmed, then both ends widened to whole words. Returns null when
 * nothing but whitespace was selected.
 */
export function snapToWords(text: string, start: number, end: number): { start: number; end: number } | null {
  if (start > end) [start, end] = [end, start];
  start = Math.max(0, start);
  end = Math.min(text.length, end);
  while (start < end && /\s/u.test(text[start] ?? '')) start++;
  while (end > start && /\s/u.test(text[end - 1] ?? '')) end--;
  if (start >= end) return null;
  if (isWordAt(text, start)) {
    while (start > 0 && isWordAt(text, start - 1)) start--;
  }
  if (isWordAt(text, end - 1)) {
    while (end < text.length && isWordAt(text, end)) end++;
  }
  return { start, end };
}

/** How many code points of context are stored on each side of a quote. */
export const CONTEXT_LENGTH = 32;
