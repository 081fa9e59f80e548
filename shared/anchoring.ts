/**
 * Re-anchoring a stored annotation in a text that may differ from the one it
 * was made on (a colleague's copy, an edited version), as the Hypothesis
 * client does: by position checked against the quote, then by exact quote,
 * then by an approximate quote match scored on quote, prefix, suffix and
 * distance from the old position. Pure: no DOM, no Node.
 */
import search from 'approx-string-match';
import { OffsetIndex } from './offsets.js';
import { CONTEXT_LENGTH } from './text.js';

/** A stored selector: code-point position plus quote with context. */
export interface StoredSelector {
  start: number;
  end: number;
  quote: string;
  prefix: string;
  suffix: string;
}

/** Where a selector landed, and how. */
export interface Anchor {
  start: number;
  end: number;
  method: 'position' | 'exact' | 'fuzzy';
  /** 1 for a position or exact match; 0..1 for a fuzzy one. */
  score: number;
}

/** Below this, a fuzzy match is not trusted: better unanchored than wrong. */
export const MIN_FUZZY_SCORE = 0.75;

/**
 * Bounds on the work one selector may cost, so a hostile bundle (a quote of
 * "e" in a megabyte of "e e e", a 2,000-character prefix) cannot stall the host.
 */
export const ANCHOR_LIMITS = {
  /** Characters of prefix and suffix compared (annotations store 32 code points). */
  context: 64,
  /** Exact occurrences scored by their context: the ones nearest the stored position. */
  exactCandidates: 200,
  /** Approximate occurrences scored by their context: the ones with the fewest errors. */
  fuzzyCandidates: 50,
  /** Text length × quote length in 32-character words past which the approximate search is not tried. */
  fuzzyWork: 50_000_000,
  /**
   * Wall-clock time one selector's approximate search may take. The work bound above keeps it far
   * below this on an ordinary machine; this holds on a slow or busy one.
   */
  timeMs: 500,
  /** Characters of text searched approximately between two looks at the clock. */
  fuzzyWindow: 262_144,
} as const;

/** Why a selector could not be placed. */
export type AnchorFailure = 'not-found' | 'too-costly' | 'out-of-time';

/** A time limit for one selector; `clock` is there for tests (milliseconds, like Date.now). */
export interface AnchorBudget {
  timeMs?: number;
  clock?: () => number;
}

/**
 * Approximate occurrences of `quote` in `text`, searched a window at a time (windows overlap by
 * the longest possible match) so the clock is looked at between windows; null once `deadline` passes.
 */
function searchWithin(
  text: string,
  quote: string,
  maxErrors: number,
  clock: () => number,
  deadline: number,
): { start: number; end: number; errors: number }[] | null {
  const overlap = quote.length + maxErrors;
  const step = Math.max(ANCHOR_LIMITS.fuzzyWindow, overlap * 2);
  const seen = new Set<string>();
  const out: { start: number; end: number; errors: number }[] = [];
  for (let from = 0; from < text.length; from += step) {
    if (clock() > deadline) return null;
    const window = text.slice(from, Math.min(text.length, from + step + overlap));
    for (const m of search(window, quote, maxErrors)) {
      const key = `${from + m.start}:${from + m.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ start: from + m.start, end: from + m.end, errors: m.errors });
    }
    if (from + step + overlap >= text.length) break;
  }
  return clock() > deadline ? null : out;
}

/** How alike `a` and `b` are, 1 - errors / length, from the best approximate occurrence of the shorter in the longer. */
function similarity(expected: string, text: string): number {
  if (expected.length === 0) return 1;
  if (text.length === 0) return 0;
  const matches = search(text, expected, expected.length);
  if (matches.length === 0) return 0;
  const best = Math.min(...matches.map((m) => m.errors));
  return Math.max(0, 1 - best / expected.length);
}

export function reanchor(text: string, s: StoredSelector, index = new OffsetIndex(text)): Anchor | null {
  const r = reanchorOrWhy(text, s, index);
  return 'failure' in r ? null : r;
}

/** Like `reanchor`, saying why when the selector cannot be placed. */
export function reanchorOrWhy(
  text: string,
  selector: StoredSelector,
  index = new OffsetIndex(text),
  budget: AnchorBudget = {},
): Anchor | { failure: AnchorFailure } {
  const clock = budget.clock ?? Date.now;
  const deadline = clock() + (budget.timeMs ?? ANCHOR_LIMITS.timeMs);
  const s = { ...selector, prefix: selector.prefix.slice(-ANCHOR_LIMITS.context), suffix: selector.suffix.slice(0, ANCHOR_LIMITS.context) };
  const notFound = { failure: 'not-found' } as const;
  // 1. The stored position, if it still holds the quote.
  if (s.end <= index.length && s.start < s.end) {
    const at = text.slice(index.toUtf16(s.start), index.toUtf16(s.end));
    if (at === s.quote) return { start: s.start, end: s.end, method: 'position', score: 1 };
  }
  if (s.quote.length === 0) return notFound;
  const expectedAt = s.start <= index.length ? index.toUtf16(s.start) : text.length;

  // Scores a candidate [u16Start, u16End) by its context and position.
  const contextScore = (u16Start: number, u16End: number) => {
    const prefix = similarity(s.prefix, text.slice(Math.max(0, u16Start - s.prefix.length), u16Start));
    const suffix = similarity(s.suffix, text.slice(u16End, u16End + s.suffix.length));
    const distance = 1 - Math.abs(u16Start - expectedAt) / Math.max(1, text.length);
    return { prefix, suffix, distance };
  };
  const toAnchor = (u16Start: number, u16End: number, method: Anchor['method'], score: number): Anchor => ({
    start: index.toCodePoint(u16Start),
    end: index.toCodePoint(u16End),
    method,
    score,
  });

  // 2. Exact occurrences of the quote: the one whose context fits best, then the nearest.
  // Only the occurrences nearest the stored position are weighed (half after it, half before), so a
  // quote found half a million times costs no more than one found a hundred times.
  const exact: number[] = [];
  const half = ANCHOR_LIMITS.exactCandidates / 2;
  for (let i = text.indexOf(s.quote, expectedAt), n = 0; i >= 0 && n < half; i = text.indexOf(s.quote, i + 1), n++) exact.push(i);
  for (
    let i = expectedAt > 0 ? text.lastIndexOf(s.quote, expectedAt - 1) : -1, n = 0;
    i >= 0 && n < half;
    i = i > 0 ? text.lastIndexOf(s.quote, i - 1) : -1, n++
  )
    exact.push(i);
  if (exact.length > 0) {
    let best = exact[0] as number;
    let bestScore = -1;
    for (const i of exact) {
      const c = contextScore(i, i + s.quote.length);
      const score = c.prefix * 20 + c.suffix * 20 + c.distance * 2;
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return toAnchor(best, best + s.quote.length, 'exact', 1);
  }

  // 3. Approximate occurrences, up to a quarter of the quote wrong, weighed like Hypothesis's match-quote.
  if (text.length * Math.ceil(s.quote.length / 32) > ANCHOR_LIMITS.fuzzyWork) return { failure: 'too-costly' };
  const maxErrors = Math.floor(s.quote.length / 4);
  let candidates = searchWithin(text, s.quote, maxErrors, clock, deadline);
  if (candidates === null) return { failure: 'out-of-time' };
  if (candidates.length > ANCHOR_LIMITS.fuzzyCandidates)
    candidates = candidates.sort((a, b) => a.errors - b.errors).slice(0, ANCHOR_LIMITS.fuzzyCandidates);
  let best: { start: number; end: number; score: number; quote: number } | null = null;
  for (const m of candidates) {
    const quote = 1 - m.errors / s.quote.length;
    const c = contextScore(m.start, m.end);
    const score = (quote * 50 + c.prefix * 20 + c.suffix * 20 + c.distance * 2) / 92;
    if (!best || score > best.score) best = { start: m.start, end: m.end, score, quote };
  }
  if (!best || best.quote < MIN_FUZZY_SCORE || best.score < MIN_FUZZY_SCORE * 0.8) return notFound;
  return toAnchor(best.start, best.end, 'fuzzy', Math.round(best.score * 1000) / 1000);
}

/** A range that does not lie in the text, or does not hold the quote it claims to. */
export class AnchorMismatch extends Error {
  override name = 'AnchorMismatch';
}

/** Checks that [start, end) lies inside the text and holds `quote`; returns the context stored with it. Throws {@link AnchorMismatch} otherwise. */
export function anchorIn(text: string, start: number, end: number, quote: string): { prefix: string; suffix: string } {
  const index = new OffsetIndex(text);
  if (end <= start) throw new AnchorMismatch(`empty or reversed range: start ${start}, end ${end}`);
  if (end > index.length)
    throw new AnchorMismatch(`range ${start}–${end} is outside the article (its text is ${index.length} code points long)`);
  const u16Start = index.toUtf16(start);
  const u16End = index.toUtf16(end);
  const actual = text.slice(u16Start, u16End);
  if (actual !== quote)
    throw new AnchorMismatch(`the quote does not match the text at ${start}–${end}: expected ${JSON.stringify(actual.slice(0, 80))}`);
  return {
    prefix: text.slice(index.toUtf16(Math.max(0, start - CONTEXT_LENGTH)), u16Start),
    suffix: text.slice(u16End, index.toUtf16(Math.min(index.length, end + CONTEXT_LENGTH))),
  };
}
