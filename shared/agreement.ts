/**
 * Inter-annotator agreement, computed the textbook way so the numbers can be
 * checked against a reference implementation (NLTK's AnnotationTask).
 *
 * Token level: every word token of an article is an item; each annotator
 * gives it a category — the label(s) of the spans covering it, or "none".
 * Untagged tokens therefore count: two annotators who both leave a token
 * untagged agree on it. Per-label figures use the binary category
 * "label" / "none" for that label alone.
 */

/** One coding: annotator `coder` put `item` in `category`. */
export interface Coding {
  item: string;
  coder: string;
  category: string;
}

export const NONE = 'none';

export interface Span {
  start: number;
  end: number;
  label: string;
}

/** Word tokens of a text as code-point ranges: runs of letters, digits and marks. */
export function tokenize(text: string): { start: number; end: number }[] {
  const { starts, ends, count } = tokenBounds(text);
  const out: { start: number; end: number }[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = { start: starts[i] as number, end: ends[i] as number };
  return out;
}

/** The tokens of `tokenize` as two arrays of code-point offsets (no object per token). */
export interface TokenBounds {
  starts: Int32Array;
  ends: Int32Array;
  count: number;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** `tokenize` without an object per token; ASCII is classified without a regular expression. */
export function tokenBounds(text: string): TokenBounds {
  let starts: Int32Array<ArrayBuffer> = new Int32Array(Math.max(16, text.length >> 2));
  let ends = new Int32Array(starts.length);
  let count = 0;
  let cp = 0;
  let start = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let word: boolean;
    if (c < 128) {
      const lower = c | 32;
      word = (c >= 48 && c <= 57) || (lower >= 97 && lower <= 122);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // One code point in two UTF-16 units, as `for (const ch of text)` reads it.
      word = WORD_CHAR.test(text.slice(i, i + 2));
      i++;
    } else {
      word = WORD_CHAR.test(text[i] as string);
    }
    if (word) {
      if (start < 0) start = cp;
    } else if (start >= 0) {
      if (count === starts.length) [starts, ends] = [grow(starts), grow(ends)];
      starts[count] = start;
      ends[count++] = cp;
      start = -1;
    }
    cp++;
  }
  if (start >= 0) {
    if (count === starts.length) [starts, ends] = [grow(starts), grow(ends)];
    starts[count] = start;
    ends[count++] = cp;
  }
  return { starts, ends, count };
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Token categories as small integers: 0 is "none", every other number a set
 * of labels, named as `categoryOf` names it. A category with one more label
 * is found through a cache, so coding a token costs a lookup, not a sort.
 */
export class CategoryTable {
  /** Each category's labels, sorted as tokenLabelSets sorts them. */
  readonly labels: (readonly string[])[] = [[]];
  readonly names: string[] = [NONE];
  private readonly byName = new Map<string, number>([['', 0]]);
  private readonly next: Map<string, number>[] = [new Map()];

  /** The category of `category`'s labels and `label`. */
  with(category: number, label: string): number {
    const step = this.next[category] as Map<string, number>;
    let to = step.get(label);
    if (to === undefined) {
      const from = this.labels[category] as readonly string[];
      const set = from.includes(label) ? from : [...from, label].sort();
      const key = set.join('\u0000');
      to = this.byName.get(key);
      if (to === undefined) {
        to = this.labels.length;
        this.labels.push(set);
        this.names.push(set.join('+'));
        this.byName.set(key, to);
        this.next.push(new Map());
      }
      step.set(label, to);
    }
    return to;
  }

  /**
   * Each token's category for one coder's spans (the sweep of
   * tokenLabelSets), written into `out` (length ≥ tokens.count).
   */
  code(tokens: TokenBounds, spans: readonly Span[], out: Int32Array): void {
    out.fill(0, 0, tokens.count);
    const { starts, ends, count } = tokens;
    for (const s of spans) {
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((ends[mid] as number) <= s.start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < count && (starts[i] as number) < s.end; i++) {
        if (s.start < (ends[i] as number) && s.end > (starts[i] as number)) out[i] = this.with(out[i] as number, s.label);
      }
    }
  }
}

/** The category of a token for one annotator: covering labels joined with "+", or "none"; with `only`, that label or "none". */
export function tokenCategory(token: { start: number; end: number }, spans: readonly Span[], only?: string): string {
  const labels = new Set<string>();
  for (const s of spans) if (s.start < token.end && s.end > token.start && (!only || s.label === only)) labels.add(s.label);
  return labels.size === 0 ? NONE : [...labels].sort().join('+');
}

/** Token-level codings of one article by several annotators. */
export function tokenCodings(articleKey: string, text: string, byCoder: Record<string, readonly Span[]>, only?: string): Coding[] {
  const tokens = tokenize(text);
  const out: Coding[] = [];
  tokens.forEach((t, i) => {
    for (const [coder, spans] of Object.entries(byCoder))
      out.push({ item: `${articleKey}:${i}`, coder, category: tokenCategory(t, spans, only) });
  });
  return out;
}

/** Items coded by every one of the coders, with their categories in coder order. */
function complete(codings: readonly Coding[], coders: readonly string[]): string[][] {
  const byItem = new Map<string, Map<string, string>>();
  for (const c of codings) {
    let m = byItem.get(c.item);
    if (!m) byItem.set(c.item, (m = new Map()));
    m.set(c.coder, c.category);
  }
  const rows: string[][] = [];
  for (const m of byItem.values()) if (coders.every((c) => m.has(c))) rows.push(coders.map((c) => m.get(c) as string));
  return rows;
}

/** Cohen's kappa for two coders: (Ao − Ae) / (1 − Ae), Ae from each coder's own category distribution. Null when undefined (Ae = 1). */
export function cohensKappa(codings: readonly Coding[], a: string, b: string): number | null {
  const rows = complete(codings, [a, b]);
  const n = rows.length;
  if (n === 0) return null;
  let agree = 0;
  const fa = new Map<string, number>();
  const fb = new Map<string, number>();
  for (const [x, y] of rows as [string, string][]) {
    if (x === y) agree++;
    fa.set(x, (fa.get(x) ?? 0) + 1);
    fb.set(y, (fb.get(y) ?? 0) + 1);
  }
  const ao = agree / n;
  let ae = 0;
  for (const [k, v] of fa) ae += (v / n) * ((fb.get(k) ?? 0) / n);
  return ae === 1 ? null : (ao - ae) / (1 - ae);
}

/** Fleiss' kappa for any number of coders (each item coded by all of them). */
export function fleissKappa(codings: readonly Coding[], coders: readonly string[]): number | null {
  const rows = complete(codings, coders);
  const n = coders.length;
  const N = rows.length;
  if (N === 0 || n < 2) return null;
  const totals = new Map<string, number>();
  let pBar = 0;
  for (const row of rows) {
    const counts = new Map<string, number>();
    for (const c of row) counts.set(c, (counts.get(c) ?? 0) + 1);
    let agreeing = 0;
    for (const [k, v] of counts) {
      agreeing += v * (v - 1);
      totals.set(k, (totals.get(k) ?? 0) + v);
    }
    pBar += agreeing / (n * (n - 1));
  }
  pBar /= N;
  let pe = 0;
  for (const v of totals.values()) pe += (v / (N * n)) ** 2;
  return pe === 1 ? null : (pBar - pe) / (1 - pe);
}

/** Krippendorff's alpha with the nominal metric, from the coincidence matrix (items with at least two codings). */
export function krippendorffAlpha(codings: readonly Coding[]): number | null {
  const byItem = new Map<string, string[]>();
  for (const c of codings) byItem.set(c.item, [...(byItem.get(c.item) ?? []), c.category]);
  const o = new Map<string, number>(); // coincidences, keyed "c\u0000k"
  const nc = new Map<string, number>();
  let n = 0;
  for (const values of byItem.values()) {
    const m = values.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i === j) continue;
        const key = `${values[i]}\u0000${values[j]}`;
        o.set(key, (o.get(key) ?? 0) + 1 / (m - 1));
      }
    }
    for (const v of values) nc.set(v, (nc.get(v) ?? 0) + 1);
    n += m;
  }
  if (n === 0) return null;
  let disagreeObserved = 0;
  for (const [key, v] of o) {
    const [c, k] = key.split('\u0000');
    if (c !== k) disagreeObserved += v;
  }
  let disagreeExpected = 0;
  const cats = [...nc.entries()];
  for (const [c, a] of cats) for (const [k, b] of cats) if (c !== k) disagreeExpected += a * b;
  if (disagreeExpected === 0) return null;
  return 1 - ((n - 1) * disagreeObserved) / disagreeExpected;
}

export interface PRF {
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Reference spans (A), predicted spans (B), and matched pairs. */
  a: number;
  b: number;
  matched: number;
}

function prf(a: number, b: number, matched: number): PRF {
  const precision = b === 0 ? null : matched / b;
  const recall = a === 0 ? null : matched / a;
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, a, b, matched };
}

/**
 * Span-level precision, recall and F1 of B against A as reference. Exact:
 * the same start, end and label. Overlap: the same label and overlapping
 * extents, each span matched at most once (largest overlap first).
 */
export function spanAgreement(a: readonly Span[], b: readonly Span[], mode: 'exact' | 'overlap'): PRF {
  if (mode === 'exact') {
    const keys = new Map<string, number>();
    for (const s of a) keys.set(`${s.start}:${s.end}:${s.label}`, (keys.get(`${s.start}:${s.end}:${s.label}`) ?? 0) + 1);
    let matched = 0;
    for (const s of b) {
      const k = `${s.start}:${s.end}:${s.label}`;
      const left = keys.get(k) ?? 0;
      if (left > 0) {
        matched++;
        keys.set(k, left - 1);
      }
    }
    return prf(a.length, b.length, matched);
  }
  const pairs: { i: number; j: number; overlap: number }[] = [];
  a.forEach((x, i) =>
    b.forEach((y, j) => {
      const overlap = Math.min(x.end, y.end) - Math.max(x.start, y.start);
      if (x.label === y.label && overlap > 0) pairs.push({ i, j, overlap });
    }),
  );
  pairs.sort((p, q) => q.overlap - p.overlap || p.i - q.i || p.j - q.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  for (const p of pairs) {
    if (usedA.has(p.i) || usedB.has(p.j)) continue;
    usedA.add(p.i);
    usedB.add(p.j);
  }
  return prf(a.length, b.length, usedA.size);
}

/**
 * B-cubed precision, recall and F1 of one clustering against another over the
 * same items (claims matched between the two annotators). Each item's cluster
 * is compared: precision is the share of B's cluster-mates that are also A's,
 * recall the share of A's cluster-mates that B kept together. Ungrouped items
 * are singletons.
 */
export function bCubed(
  clusterA: ReadonlyMap<string, string>,
  clusterB: ReadonlyMap<string, string>,
): { precision: number | null; recall: number | null; f1: number | null; items: number } {
  const items = [...clusterA.keys()].filter((k) => clusterB.has(k));
  if (items.length === 0) return { precision: null, recall: null, f1: null, items: 0 };
  const members = (m: ReadonlyMap<string, string>, item: string) => new Set(items.filter((x) => m.get(x) === m.get(item)));
  let p = 0;
  let r = 0;
  for (const item of items) {
    const ca = members(clusterA, item);
    const cb = members(clusterB, item);
    const both = [...cb].filter((x) => ca.has(x)).length;
    p += both / cb.size;
    r += both / ca.size;
  }
  const precision = p / items.length;
  const recall = r / items.length;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), items: items.length };
}

// ---------------------------------------------------------------------------
// The same figures from counts, for corpora too large to hold every coding:
// an article's tokens are coded, counted and dropped before the next is read.
// ---------------------------------------------------------------------------

/** The covering labels of each token for one coder's spans, sorted as tokenCategory sorts them (null: none). A sweep: each span visits only the tokens it covers. */
export function tokenLabelSets(tokens: readonly { start: number; end: number }[], spans: readonly Span[]): (string[] | null)[] {
  const out: (string[] | null)[] = new Array<string[] | null>(tokens.length).fill(null);
  for (const s of spans) {
    // The first token ending after the span starts.
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((tokens[mid] as { end: number }).end <= s.start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < tokens.length && (tokens[i] as { start: number }).start < s.end; i++) {
      const t = tokens[i] as { start: number; end: number };
      if (!(s.start < t.end && s.end > t.start)) continue;
      const set = out[i];
      if (!set) out[i] = [s.label];
      else if (!set.includes(s.label)) set.push(s.label);
    }
  }
  for (const set of out) if (set && set.length > 1) set.sort();
  return out;
}

/** A token's category from its label set: the labels joined with "+", or "none"; with `only`, that label or "none". */
export function categoryOf(labels: readonly string[] | null, only?: string): string {
  if (!labels) return NONE;
  if (only !== undefined) return labels.includes(only) ? only : NONE;
  return labels.length === 1 ? (labels[0] as string) : labels.join('+');
}

/**
 * How often each pair of categories (A's, B's) was given to an item both
 * coded: Cohen's κ and Krippendorff's α of two coders follow from these
 * counts alone, equal to cohensKappa and krippendorffAlpha on the codings.
 */
export class PairTally {
  private readonly pairs = new Map<string, Map<string, number>>();
  n = 0;

  add(x: string, y: string, count = 1): void {
    let row = this.pairs.get(x);
    if (!row) this.pairs.set(x, (row = new Map()));
    row.set(y, (row.get(y) ?? 0) + count);
    this.n += count;
  }

  addAll(other: PairTally): void {
    for (const [x, row] of other.pairs) for (const [y, count] of row) this.add(x, y, count);
  }

  kappa(): number | null {
    const n = this.n;
    if (n === 0) return null;
    let agree = 0;
    const fa = new Map<string, number>();
    const fb = new Map<string, number>();
    for (const [x, row] of this.pairs) {
      for (const [y, count] of row) {
        if (x === y) agree += count;
        fa.set(x, (fa.get(x) ?? 0) + count);
        fb.set(y, (fb.get(y) ?? 0) + count);
      }
    }
    const ao = agree / n;
    let ae = 0;
    for (const [k, v] of fa) ae += (v / n) * ((fb.get(k) ?? 0) / n);
    return ae === 1 ? null : (ao - ae) / (1 - ae);
  }

  /** Nominal α over items with exactly these two codings: each item adds one coincidence each way. */
  alpha(): number | null {
    if (this.n === 0) return null;
    const total = 2 * this.n;
    let disagreeing = 0;
    const nc = new Map<string, number>();
    for (const [x, row] of this.pairs) {
      for (const [y, count] of row) {
        if (x !== y) disagreeing += 2 * count;
        nc.set(x, (nc.get(x) ?? 0) + count);
        nc.set(y, (nc.get(y) ?? 0) + count);
      }
    }
    let disagreeExpected = 0;
    const cats = [...nc.entries()];
    for (const [c, a] of cats) for (const [k, b] of cats) if (c !== k) disagreeExpected += a * b;
    if (disagreeExpected === 0) return null;
    return 1 - ((total - 1) * disagreeing) / disagreeExpected;
  }
}

/** Fleiss' κ accumulated item by item (each item's categories from every coder), as fleissKappa computes it. */
export class FleissTally {
  private readonly totals = new Map<string, number>();
  private pBar = 0;
  items = 0;

  constructor(readonly coders: number) {}

  addItem(categories: readonly string[]): void {
    const counts = new Map<string, number>();
    for (const c of categories) counts.set(c, (counts.get(c) ?? 0) + 1);
    let agreeing = 0;
    for (const [k, v] of counts) {
      agreeing += v * (v - 1);
      this.totals.set(k, (this.totals.get(k) ?? 0) + v);
    }
    this.pBar += agreeing / (this.coders * (this.coders - 1));
    this.items++;
  }

  kappa(): number | null {
    const n = this.coders;
    const N = this.items;
    if (N === 0 || n < 2) return null;
    const pBar = this.pBar / N;
    let pe = 0;
    for (const v of this.totals.values()) pe += (v / (N * n)) ** 2;
    return pe === 1 ? null : (pBar - pe) / (1 - pe);
  }
}

/**
 * B³ of two clusterings from counts: an item's term depends only on how many
 * items share its (A cluster, B cluster), its A cluster and its B cluster, so
 * a cluster of one (`null`) needs no entry. Equal to bCubed.
 */
export class BCubedTally {
  private readonly both = new Map<string, number>();
  private readonly inA = new Map<string, number>();
  private readonly inB = new Map<string, number>();
  /** Items alone in A, by their B cluster ('' for alone in B too). */
  private readonly aloneInA = new Map<string, number>();
  /** Items alone in B (not in A), by their A cluster. */
  private readonly aloneInB = new Map<string, number>();
  items = 0;

  add(clusterA: string | null, clusterB: string | null): void {
    this.items++;
    if (clusterA !== null) this.inA.set(clusterA, (this.inA.get(clusterA) ?? 0) + 1);
    if (clusterB !== null) this.inB.set(clusterB, (this.inB.get(clusterB) ?? 0) + 1);
    if (clusterA === null) this.aloneInA.set(clusterB ?? '', (this.aloneInA.get(clusterB ?? '') ?? 0) + 1);
    else if (clusterB === null) this.aloneInB.set(clusterA, (this.aloneInB.get(clusterA) ?? 0) + 1);
    else {
      const key = `${clusterA}\u0000${clusterB}`;
      this.both.set(key, (this.both.get(key) ?? 0) + 1);
    }
  }

  result(): { precision: number | null; recall: number | null; f1: number | null; items: number } {
    if (this.items === 0) return { precision: null, recall: null, f1: null, items: 0 };
    let p = 0;
    let r = 0;
    for (const [key, n] of this.both) {
      const [a, b] = key.split('\u0000') as [string, string];
      p += (n * n) / (this.inB.get(b) as number);
      r += (n * n) / (this.inA.get(a) as number);
    }
    // Alone in A: each shares its (A, B) pair with itself only.
    for (const [b, n] of this.aloneInA) {
      p += b === '' ? n : n / (this.inB.get(b) as number);
      r += n;
    }
    for (const [a, n] of this.aloneInB) {
      p += n;
      r += n / (this.inA.get(a) as number);
    }
    const precision = p / this.items;
    const recall = r / this.items;
    return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), items: this.items };
  }
}
