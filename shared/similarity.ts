/**
 * How alike two claim wordings are, for "this claim looks like that group"
 * suggestions. Pure and local: no model, no network.
 *
 * The measure is the cosine similarity of TF-IDF weighted bags of features,
 * where the features of a text are its word stems and adjacent stem pairs:
 *  - words are lower-cased, accents removed and a small English stop-word list
 *    dropped, so "the US wants a peace deal" and "Washington wants peace deal"
 *    meet on the words that carry the claim;
 *  - a light suffix-stripping stemmer maps "guarantees"/"guarantee" and
 *    "agreeing"/"agree" together (outlets paraphrase each other);
 *  - stem pairs ("peace deal", "security guarantee") reward shared phrasing
 *    over shared vocabulary;
 *  - IDF is computed over the texts being compared, so words every claim in
 *    this corpus uses ("Ukraine") weigh less than distinctive ones.
 * Scores run from 0 (nothing in common) to 1 (the same features).
 */

const STOP = new Set(
  'a an the and or but if of to in on at by for with from as is are was were be been being it its this that these those he she they we you i his her their our your them him us not no so than then there here which who whom whose what when where why how all any both each few more most other some such only own same too very can will would shall should may might must do does did done has have had having about above after again against also before below between during into out over through under until up down off once further just says said say told according'.split(
    ' ',
  ),
);
// "before" and "after" carry the order of a claim ("deal before guarantees"): keep them.
STOP.delete('before');
STOP.delete('after');

/** A crude stem: enough to meet plural, -ing and -ed forms. */
export function stem(word: string): string {
  let w = word;
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ies', 'ied', 'es', 'ed', 's']) {
    if (w.length > suffix.length + 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w.endsWith('e') && w.length > 4 ? w.slice(0, -1) : w;
}

/** The features of a text: stems and adjacent stem pairs. */
export function features(text: string): string[] {
  // ASCII text has nothing to decompose and no letters beyond a–z: the same words, found more cheaply.
  const ascii = !/[^\x00-\x7f]/.test(text);
  const words = (
    ascii
      ? text.toLocaleLowerCase().split(/[^a-z0-9]+/)
      : text
          .normalize('NFKD')
          .replace(/\p{M}/gu, '')
          .toLocaleLowerCase()
          .split(/[^\p{L}\p{N}]+/u)
  )
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map(stem);
  const out = [...words];
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]} ${words[i]}`);
  return out;
}

export type Vector = Map<string, number>;

/** TF-IDF vectors for a set of texts, and a way to vectorise more texts the same way. */
export class SimilarityIndex {
  private readonly df = new Map<string, number>();
  private readonly docs: number;

  constructor(corpus: readonly string[]) {
    this.docs = corpus.length;
    for (const text of corpus) for (const f of new Set(features(text))) this.df.set(f, (this.df.get(f) ?? 0) + 1);
  }

  vector(text: string): Vector {
    const tf = new Map<string, number>();
    for (const f of features(text)) tf.set(f, (tf.get(f) ?? 0) + 1);
    const v: Vector = new Map();
    for (const [f, n] of tf) {
      // Smoothed IDF: a feature unseen in the corpus still counts.
      const idf = Math.log((1 + this.docs) / (1 + (this.df.get(f) ?? 0))) + 1;
      v.set(f, n * idf);
    }
    return v;
  }

  similarity(a: string, b: string): number {
    return cosine(this.vector(a), this.vector(b));
  }
}

export function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [f, w] of a) {
    na += w * w;
    const o = b.get(f);
    if (o !== undefined) dot += w * o;
  }
  for (const w of b.values()) nb += w * w;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** A growable list of (document slot, term count) pairs: the documents that have one feature. */
class Postings {
  slots = new Int32Array(4);
  counts = new Float64Array(4);
  length = 0;
  push(slot: number, count: number): void {
    if (this.length === this.slots.length) {
      const slots = new Int32Array(this.length * 2);
      slots.set(this.slots);
      this.slots = slots;
      const counts = new Float64Array(this.length * 2);
      counts.set(this.counts);
      this.counts = counts;
    }
    this.slots[this.length] = slot;
    this.counts[this.length++] = count;
  }
}

/**
 * The same TF-IDF cosine as `SimilarityIndex`, kept for a corpus that
 * changes: documents are added and removed one at a time, and a text is
 * scored only against the documents sharing a feature with it (an inverted
 * index), which is where a cosine can be above zero.
 *
 * The IDF moves with every change (it depends on the number of documents),
 * so a document's squared norm Σ (c·idf)² is kept expanded: with
 * idf = A − b, A = ln(1 + N) + 1 and b = ln(1 + df), it is
 * A²·Σc² − 2A·Σc²b + Σc²b². A change of N moves only A; a change of one
 * feature's df moves the two sums of the documents that have it, patched
 * when next scored. So a suggestion after a tag costs a walk over the
 * postings of the few features whose df moved, not every document's norm
 * again. Dot products are summed as `cosine()` sums them; the norms agree
 * with `SimilarityIndex` to rounding (the ranking compares scores to 1e-9).
 * A removed document's slot is never reused (its postings go stale and are
 * skipped); the postings are rebuilt when stale ones outnumber live ones.
 */
export class ChangingSimilarityIndex<M> {
  private readonly featureIds = new Map<string, number>();
  private df: number[] = [];
  private postings: Postings[] = [];
  private readonly slots = new Map<string, number>();
  private keys: (string | null)[] = [];
  private metas: (M | null)[] = [];
  /** Each document's features (numbers) and term counts, at starts[slot] for lengths[slot] entries of the pools; -1: removed. */
  private starts: number[] = [];
  private lengths: number[] = [];
  private featPool = new Int32Array(1 << 16);
  private countPool = new Int32Array(1 << 16);
  private poolEnd = 0;
  /** Per slot: Σc², Σc²b and Σc²b² over the document's features, b as in `applied`. */
  private s0 = new Float64Array(1024);
  private s1 = new Float64Array(1024);
  private s2 = new Float64Array(1024);
  /** Per feature: ln(1 + df) now, and the value the documents' sums include. */
  private logDf: number[] = [];
  private applied: number[] = [];
  /** Features whose df moved since the sums were patched. */
  private pending = new Set<number>();
  private live = 0;
  private acc = new Float64Array(0);
  private touched = new Int32Array(0);

  get size(): number {
    return this.live;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  meta(key: string): M | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : (this.metas[slot] as M);
  }

  /** Replaces what is kept about a document without changing its text. */
  setMeta(key: string, meta: M): void {
    const slot = this.slots.get(key);
    if (slot !== undefined) this.metas[slot] = meta;
  }

  /** Adds (or replaces) a document. */
  add(key: string, text: string, meta: M): void {
    if (this.slots.has(key)) this.remove(key);
    const fs = features(text);
    if (this.poolEnd + fs.length > this.featPool.length) this.growPools(this.poolEnd + fs.length);
    const slot = this.keys.length;
    const start = this.poolEnd;
    let end = start;
    // Term counts in the order features first occur (the order SimilarityIndex.vector keeps).
    for (const f of fs) {
      let id = this.featureIds.get(f);
      if (id === undefined) {
        id = this.df.length;
        this.featureIds.set(f, id);
        this.df.push(0);
        this.logDf.push(0);
        this.applied.push(0);
        this.postings.push(new Postings());
      }
      let i = start;
      while (i < end && this.featPool[i] !== id) i++;
      if (i === end) {
        this.featPool[end] = id;
        this.countPool[end++] = 1;
      } else {
        this.countPool[i] = (this.countPool[i] as number) + 1;
      }
    }
    this.ensureSlots(slot + 1);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let i = start; i < end; i++) {
      const id = this.featPool[i] as number;
      const c = this.countPool[i] as number;
      // The sums use the b the other documents' sums hold; the df change below is patched into all of them alike.
      const b = this.applied[id] as number;
      s0 += c * c;
      s1 += c * c * b;
      s2 += c * c * b * b;
      this.setDf(id, (this.df[id] as number) + 1);
      (this.postings[id] as Postings).push(slot, c);
    }
    this.s0[slot] = s0;
    this.s1[slot] = s1;
    this.s2[slot] = s2;
    this.poolEnd = end;
    this.keys.push(key);
    this.metas.push(meta);
    this.starts.push(start);
    this.lengths.push(end - start);
    this.slots.set(key, slot);
    this.live++;
  }

  private setDf(id: number, df: number): void {
    this.df[id] = df;
    this.logDf[id] = Math.log(1 + df);
    this.pending.add(id);
  }

  private ensureSlots(n: number): void {
    if (n <= this.s0.length) return;
    const size = Math.max(n, this.s0.length * 2);
    for (const k of ['s0', 's1', 's2'] as const) {
      const next = new Float64Array(size);
      next.set(this[k]);
      this[k] = next;
    }
  }

  /**
   * Brings every live document's sums to the current df: feature by feature
   * over its postings, or (when that would walk more than the pools hold)
   * every document again.
   */
  private patchSums(): void {
    if (this.pending.size === 0) return;
    let walk = 0;
    for (const id of this.pending) walk += (this.postings[id] as Postings).length;
    const { s0, s1, s2, keys } = this;
    if (walk >= this.poolEnd) {
      for (let f = 0; f < this.logDf.length; f++) this.applied[f] = this.logDf[f] as number;
      for (let slot = 0; slot < keys.length; slot++) {
        if (keys[slot] === null) continue;
        const start = this.starts[slot] as number;
        const end = start + (this.lengths[slot] as number);
        let a = 0;
        let b2 = 0;
        let c2 = 0;
        for (let i = start; i < end; i++) {
          const c = this.countPool[i] as number;
          const b = this.applied[this.featPool[i] as number] as number;
          c2 += c * c;
          a += c * c * b;
          b2 += c * c * b * b;
        }
        s0[slot] = c2;
        s1[slot] = a;
        s2[slot] = b2;
      }
    } else {
      for (const id of this.pending) {
        const from = this.applied[id] as number;
        const to = this.logDf[id] as number;
        if (from === to) continue;
        const d1 = to - from;
        const d2 = to * to - from * from;
        const p = this.postings[id] as Postings;
        for (let i = 0; i < p.length; i++) {
          const slot = p.slots[i] as number;
          if (keys[slot] === null) continue;
          const cc = (p.counts[i] as number) * (p.counts[i] as number);
          s1[slot] = (s1[slot] as number) + cc * d1;
          s2[slot] = (s2[slot] as number) + cc * d2;
        }
        this.applied[id] = to;
      }
    }
    this.pending.clear();
  }

  private growPools(needed: number): void {
    let size = this.featPool.length;
    while (size < needed) size *= 2;
    const feats = new Int32Array(size);
    feats.set(this.featPool.subarray(0, this.poolEnd));
    const counts = new Int32Array(size);
    counts.set(this.countPool.subarray(0, this.poolEnd));
    this.featPool = feats;
    this.countPool = counts;
  }

  remove(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    const start = this.starts[slot] as number;
    for (let i = start; i < start + (this.lengths[slot] as number); i++) {
      const id = this.featPool[i] as number;
      this.setDf(id, (this.df[id] as number) - 1);
    }
    this.keys[slot] = null;
    this.metas[slot] = null;
    this.slots.delete(key);
    this.live--;
    if (this.keys.length > 1024 && this.keys.length > 2 * this.live) this.compact();
  }

  /** Drops removed documents' slots, pool entries and postings. */
  private compact(): void {
    const keys = this.keys;
    const metas = this.metas;
    const starts = this.starts;
    const lengths = this.lengths;
    const featPool = this.featPool;
    const countPool = this.countPool;
    const [s0, s1, s2] = [this.s0, this.s1, this.s2];
    this.keys = [];
    this.metas = [];
    this.starts = [];
    this.lengths = [];
    this.s0 = new Float64Array(Math.max(1024, this.live * 2));
    this.s1 = new Float64Array(this.s0.length);
    this.s2 = new Float64Array(this.s0.length);
    this.featPool = new Int32Array(featPool.length);
    this.countPool = new Int32Array(countPool.length);
    this.poolEnd = 0;
    this.slots.clear();
    this.postings = this.df.map(() => new Postings());
    for (let old = 0; old < keys.length; old++) {
      const key = keys[old];
      if (key === null || key === undefined) continue;
      const slot = this.keys.length;
      const from = starts[old] as number;
      const n = lengths[old] as number;
      const start = this.poolEnd;
      for (let i = 0; i < n; i++) {
        const id = featPool[from + i] as number;
        this.featPool[start + i] = id;
        this.countPool[start + i] = countPool[from + i] as number;
        (this.postings[id] as Postings).push(slot, countPool[from + i] as number);
      }
      this.poolEnd = start + n;
      this.keys.push(key);
      this.metas.push(metas[old] as M);
      this.starts.push(start);
      this.lengths.push(n);
      this.s0[slot] = s0[old] as number;
      this.s1[slot] = s1[old] as number;
      this.s2[slot] = s2[old] as number;
      this.slots.set(key, slot);
    }
  }

  /** Calls `visit` with the cosine similarity to `text` of every document scoring at least `min` (> 0; a document sharing no feature with it scores 0). */
  scoreAll(text: string, min: number, visit: (key: string, meta: M, score: number) => void): void {
    this.patchSums();
    const docs = this.live;
    // Smoothed IDF, as SimilarityIndex.vector: idf = A − ln(1 + df).
    const A = Math.log(1 + docs) + 1;
    if (this.acc.length < this.keys.length) this.acc = new Float64Array(Math.max(1024, this.keys.length * 2));
    const acc = this.acc;
    if (this.touched.length < this.keys.length) this.touched = new Int32Array(this.acc.length);
    const touched = this.touched;
    let nTouched = 0;
    const keys = this.keys;
    const tf = new Map<string, number>();
    for (const f of features(text)) tf.set(f, (tf.get(f) ?? 0) + 1);
    // The dot products, feature by feature in the text's order (as cosine() sums them).
    let nq = 0;
    for (const [f, n] of tf) {
      const id = this.featureIds.get(f);
      // A feature unseen in the corpus still counts (smoothed IDF of a zero document frequency).
      const known = id !== undefined && this.df[id] !== 0;
      const fidf = known ? Math.log((1 + docs) / (1 + (this.df[id] as number))) + 1 : Math.log((1 + docs) / 1) + 1;
      const w = n * fidf;
      nq += w * w;
      if (!known) continue;
      const p = this.postings[id] as Postings;
      for (let i = 0; i < p.length; i++) {
        const slot = p.slots[i] as number;
        if (keys[slot] === null) continue;
        if (acc[slot] === 0) touched[nTouched++] = slot;
        acc[slot] = (acc[slot] as number) + w * ((p.counts[i] as number) * fidf);
      }
    }
    const { s0, s1, s2 } = this;
    try {
      for (let t = 0; t < nTouched; t++) {
        const slot = touched[t] as number;
        const dot = acc[slot] as number;
        const nd = A * A * (s0[slot] as number) - 2 * A * (s1[slot] as number) + (s2[slot] as number);
        const score = nq === 0 || !(nd > 0) ? 0 : dot / Math.sqrt(nq * nd);
        if (score >= min) visit(this.keys[slot] as string, this.metas[slot] as M, score);
      }
    } finally {
      for (let t = 0; t < nTouched; t++) acc[touched[t] as number] = 0;
    }
  }
}
