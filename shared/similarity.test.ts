import { describe, expect, it } from 'vitest';
import { ChangingSimilarityIndex, SimilarityIndex, cosine } from './similarity.js';

const WORDS =
  'peace deal security guarantees ukraine talks ceasefire troops border sanctions summit leaders allies support military plan'.split(' ');

/** A seeded PRNG, so a failure names the same sequence every time. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('ChangingSimilarityIndex', () => {
  it('scores as the whole-corpus TF-IDF cosine after every add and remove (patched norms, compactions included)', () => {
    const random = rng(7);
    const text = () => Array.from({ length: 3 + Math.floor(random() * 8) }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
    const index = new ChangingSimilarityIndex<null>();
    const docs = new Map<string, string>();
    let next = 0;
    for (let step = 0; step < 3000; step++) {
      const keys = [...docs.keys()];
      if (keys.length > 0 && random() < 0.45) {
        const key = keys[Math.floor(random() * keys.length)] as string;
        index.remove(key);
        docs.delete(key);
      } else {
        const key = random() < 0.1 && keys.length > 0 ? (keys[0] as string) : `d${next++}`;
        const t = text();
        index.add(key, t, null);
        docs.set(key, t);
      }
      if (step % 250 !== 0 && step !== 2999) continue;
      const reference = new SimilarityIndex([...docs.values()]);
      const query = text();
      const target = reference.vector(query);
      const got = new Map<string, number>();
      index.scoreAll(query, 1e-9, (key, _meta, score) => got.set(key, score));
      for (const [key, t] of docs) {
        const want = cosine(target, reference.vector(t));
        if (want < 1e-6) continue;
        expect(got.get(key), `${key} at step ${step}`).toBeCloseTo(want, 12);
      }
    }
    expect(index.size).toBe(docs.size);
  });
});
