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
  'a an the and or but if of to in on at by for with from as is are was were be been being it its this that these those he she they we you i his her their our your them him us not no so than then there here which who whom whose what when where why how all any both each few more most other some such only own same too very can will would shall should may might must do does did done has have had having about above after again against also before below between during into out over through under until up down off once further just says said say told according'.split(' '),
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
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
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

/**
 * The same TF-IDF cosine as `SimilarityIndex`, kept for a corpus that
 * changes: documents are added and removed one at a time, and one text is
 * scored against all of them in a single pass over flat arrays of feature
 * numbers. The IDF moves with every change (it depends on the number of
 * documents), so each document's weights and norm are computed at query time
 * from its term counts; the IDF table is recomputed only after a change.
 */
export class ChangingSimilarityIndex<M> {
  private readonly featureIds = new Map<string, number>();
  private df = new Float64Array(1024);
  private features = 0;
  private idf = new Float64Array(0);
  /** The IDF table is of this many documents (-1: to be recomputed). */
  private idfDocs = -1;
  private readonly slots = new Map<string, number>();
  private readonly free: number[] = [];
  private keys: (string | null)[] = [];
  private metas: (M | null)[] = [];
  private feats: Int32Array[] = [];
  private counts: Float64Array[] = [];
  private live = 0;
  private query = new Float64Array(0);

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
    const tf = new Map<number, number>();
    for (const f of features(text)) {
      let id = this.featureIds.get(f);
      if (id === undefined) {
        id = this.features++;
        this.featureIds.set(f, id);
        if (id >= this.df.length) {
          const grown = new Float64Array(this.df.length * 2);
          grown.set(this.df);
          this.df = grown;
        }
      }
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    const ids = new Int32Array(tf.size);
    const ns = new Float64Array(tf.size);
    let i = 0;
    for (const [id, n] of tf) {
      ids[i] = id;
      ns[i++] = n;
      this.df[id] = (this.df[id] as number) + 1;
    }
    const slot = this.free.pop() ?? this.keys.length;
    this.keys[slot] = key;
    this.metas[slot] = meta;
    this.feats[slot] = ids;
    this.counts[slot] = ns;
    this.slots.set(key, slot);
    this.live++;
    this.idfDocs = -1;
  }

  remove(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    for (const id of this.feats[slot] as Int32Array) this.df[id] = (this.df[id] as number) - 1;
    this.keys[slot] = null;
    this.metas[slot] = null;
    this.feats[slot] = new Int32Array(0);
    this.counts[slot] = new Float64Array(0);
    this.slots.delete(key);
    this.free.push(slot);
    this.live--;
    this.idfDocs = -1;
  }

  /** Calls `visit` with every document's cosine similarity to `text` (0 where they share no feature). */
  scoreAll(text: string, visit: (key: string, meta: M, score: number) => void): void {
    if (this.idfDocs !== this.live || this.idf.length < this.features) {
      // Smoothed IDF, as SimilarityIndex.vector: a feature unseen in the corpus still counts.
      this.idf = new Float64Array(Math.max(this.features, 1));
      for (let f = 0; f < this.features; f++) this.idf[f] = Math.log((1 + this.live) / (1 + (this.df[f] as number))) + 1;
      this.idfDocs = this.live;
    }
    if (this.query.length < this.features) this.query = new Float64Array(this.df.length);
    const q = this.query;
    const tf = new Map<string, number>();
    for (const f of features(text)) tf.set(f, (tf.get(f) ?? 0) + 1);
    let nq = 0;
    const set: number[] = [];
    for (const [f, n] of tf) {
      const id = this.featureIds.get(f);
      const w = n * (id === undefined ? Math.log(1 + this.live) + 1 : (this.idf[id] as number));
      nq += w * w;
      if (id !== undefined) {
        q[id] = w;
        set.push(id);
      }
    }
    const idf = this.idf;
    try {
      for (let slot = 0; slot < this.keys.length; slot++) {
        const key = this.keys[slot];
        if (key === null || key === undefined) continue;
        const ids = this.feats[slot] as Int32Array;
        const ns = this.counts[slot] as Float64Array;
        let dot = 0;
        let nd = 0;
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i] as number;
          const w = (ns[i] as number) * (idf[id] as number);
          nd += w * w;
          dot += w * (q[id] as number);
        }
        visit(key, this.metas[slot] as M, nq === 0 || nd === 0 ? 0 : dot / Math.sqrt(nq * nd));
      }
    } finally {
      for (const id of set) q[id] = 0;
    }
  }
}
