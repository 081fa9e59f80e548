/** Deterministic corpora for the benchmark (seeded, so every run measures the same data). */
import { randomUUID } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../main/store/database.js';
import { insertArticle } from '../main/store/articles.js';
import { insertAnnotation } from '../main/store/annotations.js';
import { insertGroup, setMembership } from '../main/store/groups.js';
import { insertLink } from '../main/store/links.js';
import { OffsetIndex } from '../shared/offsets.js';

/** A small seeded PRNG (Park–Miller). */
export function rng(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

const WORDS = (
  'the president said that a peace deal must come before any security guarantees for ukraine according to officials ' +
  'european diplomats told reporters washington moscow kyiv brussels negotiations ceasefire troops border sanctions ' +
  'minister spokesman statement talks agreement proposal plan week meeting summit leaders allies support military'
).split(' ');

/** Text of about `bytes` characters in paragraphs of 25–45 words. */
export function makeText(bytes: number, random: () => number): string {
  const paras: string[] = [];
  let len = 0;
  while (len < bytes) {
    const n = 25 + Math.floor(random() * 20);
    const words = Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)] as string);
    words[0] = (words[0] as string).replace(/^./, (c) => c.toUpperCase());
    const p = `${words.join(' ')}.`;
    paras.push(p);
    len += p.length + 2;
  }
  return paras.join('\n\n');
}

const LABELS = ['claim', 'source', 'opinion'];

/** Adds one article with `count` annotations on word boundaries; returns its id. */
export function addAnnotatedArticle(db: Db, title: string, bytes: number, count: number, seed: number): number {
  const random = rng(seed);
  // The same seed gives the same text; the title line keeps two such articles apart (the library deduplicates by text).
  const text = `${title}\n\n${makeText(bytes, random)}`;
  const id = insertArticle(db, { title, text, fileName: `${title}.txt` }).id;
  const index = new OffsetIndex(text);
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      let s = Math.floor(random() * (text.length - 80));
      while (s > 0 && text[s - 1] !== ' ') s--;
      let e = s + 8 + Math.floor(random() * 60);
      while (e < text.length && /\w/.test(text[e] ?? '')) e++;
      insertAnnotation(db, { id: randomUUID(), articleId: id, start: index.toCodePoint(s), end: index.toCodePoint(e), quote: text.slice(s, e), prefix: '', suffix: '', label: LABELS[i % 3] as string, annotator: 'Bench', note: '', createdAt: now, updatedAt: now });
    }
  })();
  return id;
}

/** 10,000 articles of 2–10 KB as text files in `dir`. */
export function writeTextFiles(dir: string, count: number, seed: number): void {
  mkdirSync(dir, { recursive: true });
  const random = rng(seed);
  for (let i = 0; i < count; i++) {
    const text = makeText(2000 + Math.floor(random() * 8000), random);
    writeFileSync(join(dir, `article-${String(i).padStart(5, '0')}.txt`), `Article ${i} about the peace talks\n\n${text}\n`);
  }
}

/** 10,000 articles with 10 claims each (100,000 claim instances) in 10,000 groups, plus 2 sources per article linked to the claims. */
export function buildClaimsCorpus(db: Db, seed: number): void {
  const random = rng(seed);
  const now = new Date().toISOString();
  db.transaction(() => {
    const groups: string[] = [];
    for (let g = 0; g < 10_000; g++) {
      const id = randomUUID();
      groups.push(id);
      insertGroup(db, { id, canonical: `Claim ${g}: ${(makeText(60, random).split('\n')[0] ?? '').slice(0, 80)}`, note: '', createdBy: 'Bench', at: now });
    }
    for (let a = 0; a < 10_000; a++) {
      const text = makeText(2000 + Math.floor(random() * 3000), random);
      const articleId = insertArticle(db, { title: `Article ${a}`, text, outlet: `Outlet ${a % 40}`, publishedAt: new Date(Date.UTC(2025, 0, 1 + (a % 300))).toISOString(), fileName: null }, now).id;
      const index = new OffsetIndex(text);
      const span = (k: number, of: number) => {
        const s = Math.floor((k * text.length) / of);
        return [index.toCodePoint(s), index.toCodePoint(Math.min(text.length, s + 40)), text.slice(s, Math.min(text.length, s + 40))] as const;
      };
      const sources: string[] = [];
      for (let k = 0; k < 2; k++) {
        const [start, end, quote] = span(2 * k + 1, 24);
        const id = randomUUID();
        sources.push(id);
        insertAnnotation(db, { id, articleId, start, end, quote, prefix: '', suffix: '', label: 'source', annotator: 'Bench', note: '', createdAt: now, updatedAt: now });
      }
      for (let k = 0; k < 10; k++) {
        const [start, end, quote] = span(k, 10);
        const id = randomUUID();
        insertAnnotation(db, { id, articleId, start, end, quote, prefix: '', suffix: '', label: 'claim', annotator: 'Bench', note: '', createdAt: now, updatedAt: now });
        setMembership(db, id, groups[Math.floor(random() * groups.length)] as string, 'Bench', now);
        insertLink(db, { id: randomUUID(), claimId: id, sourceId: sources[k % 2] as string, kind: k % 3 === 0 ? 'direct' : 'paraphrase', annotator: 'Bench', createdAt: now });
      }
    }
  })();
}
