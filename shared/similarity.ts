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
