/** The sentence(s) around a review item's tags, split into pieces marked by which side's tag covers them. */
import { OffsetIndex } from '../../shared/offsets.js';

export interface ContextPiece {
  text: string;
  inA: boolean;
  inB: boolean;
}

/** At most this many UTF-16 units of context either side, for a "sentence" with no end in sight. */
const MAX_REACH = 400;

/** A sentence ends at `.`, `!`, `?` or `…` (closing quotes and brackets included) before whitespace, or at a line break. */
const SENTENCE_END = /[.!?…]["'”’)\]]*\s+|\n+/g;

/**
 * The text from the start of the sentence holding the earliest tag to the end
 * of the sentence holding the latest, cut into pieces at the tags' ends.
 * Offsets are code points, as annotations store them.
 */
export function reviewContext(
  text: string,
  a: { start: number; end: number } | null,
  b: { start: number; end: number } | null,
): ContextPiece[] {
  const spans = [a, b].filter((x): x is { start: number; end: number } => x !== null);
  if (spans.length === 0) return [];
  const index = new OffsetIndex(text);
  const u = (cp: number) => index.toUtf16(Math.max(0, Math.min(cp, index.length)));
  const first = u(Math.min(...spans.map((s) => s.start)));
  const last = u(Math.max(...spans.map((s) => s.end)));
  const reach = Math.max(0, first - MAX_REACH);
  let from = reach;
  for (const m of text.slice(reach, first).matchAll(SENTENCE_END)) from = reach + m.index + m[0].length;
  let to = Math.min(text.length, last + MAX_REACH);
  const after = SENTENCE_END.exec(text.slice(last, to));
  SENTENCE_END.lastIndex = 0;
  // A tag that itself ends a sentence ("… a deal.") keeps that stop; the next sentence starts after it.
  if (after) to = last + after.index + after[0].trimEnd().length;
  const cuts = [...new Set([from, to, ...spans.flatMap((s) => [u(s.start), u(s.end)])])]
    .filter((x) => x >= from && x <= to)
    .sort((x, y) => x - y);
  const inSpan = (s: { start: number; end: number } | null, x: number) => s !== null && u(s.start) <= x && x < u(s.end);
  const out: ContextPiece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const x = cuts[i] as number;
    const y = cuts[i + 1] as number;
    if (y > x) out.push({ text: text.slice(x, y), inA: inSpan(a, x), inB: inSpan(b, x) });
  }
  return out;
}
