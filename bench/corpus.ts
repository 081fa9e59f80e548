/** Deterministic corpora for the benchmark (seeded, so every run measures the same data). */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
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
      insertAnnotation(db, {
        id: randomUUID(),
        articleId: id,
        start: index.toCodePoint(s),
        end: index.toCodePoint(e),
        quote: text.slice(s, e),
        prefix: '',
        suffix: '',
        label: LABELS[i % 3] as string,
        annotator: 'Bench',
        note: '',
        createdAt: now,
        updatedAt: now,
      });
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
      insertGroup(db, {
        id,
        canonical: `Claim ${g}: ${(makeText(60, random).split('\n')[0] ?? '').slice(0, 80)}`,
        note: '',
        createdBy: 'Bench',
        at: now,
      });
    }
    for (let a = 0; a < 10_000; a++) {
      const text = makeText(2000 + Math.floor(random() * 3000), random);
      const articleId = insertArticle(
        db,
        {
          title: `Article ${a}`,
          text,
          outlet: `Outlet ${a % 40}`,
          publishedAt: new Date(Date.UTC(2025, 0, 1 + (a % 300))).toISOString(),
          fileName: null,
        },
        now,
      ).id;
      const index = new OffsetIndex(text);
      const span = (k: number, of: number) => {
        const s = Math.floor((k * text.length) / of);
        return [
          index.toCodePoint(s),
          index.toCodePoint(Math.min(text.length, s + 40)),
          text.slice(s, Math.min(text.length, s + 40)),
        ] as const;
      };
      const sources: string[] = [];
      for (let k = 0; k < 2; k++) {
        const [start, end, quote] = span(2 * k + 1, 24);
        const id = randomUUID();
        sources.push(id);
        insertAnnotation(db, {
          id,
          articleId,
          start,
          end,
          quote,
          prefix: '',
          suffix: '',
          label: 'source',
          annotator: 'Bench',
          note: '',
          createdAt: now,
          updatedAt: now,
        });
      }
      for (let k = 0; k < 10; k++) {
        const [start, end, quote] = span(k, 10);
        const id = randomUUID();
        insertAnnotation(db, {
          id,
          articleId,
          start,
          end,
          quote,
          prefix: '',
          suffix: '',
          label: 'claim',
          annotator: 'Bench',
          note: '',
          createdAt: now,
          updatedAt: now,
        });
        setMembership(db, id, groups[Math.floor(random() * groups.length)] as string, 'Bench', now);
        insertLink(db, {
          id: randomUUID(),
          claimId: id,
          sourceId: sources[k % 2] as string,
          kind: k % 3 === 0 ? 'direct' : 'paraphrase',
          annotator: 'Bench',
          createdAt: now,
        });
      }
    }
  })();
}

/** A UUID (version 4 layout) derived from a name, so a generated bundle is the same on every run. */
function uuidOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A colleague's bundle over the claims corpus: every annotation of `from`
 * made again by `annotator` under new ids — most the same, one claim in ten
 * tagged as an opinion instead, one in ten ending three characters later —
 * with their links and groups (new group ids, the same members). Written
 * piece by piece, articles with their texts, as `bundle export` writes one.
 */
export function writeColleagueBundle(
  db: Db,
  file: string,
  from: string,
  annotator: string,
): { annotations: number; links: number; groups: number } {
  const fd = openSync(file, 'w');
  let buffer = '';
  const put = (s: string) => {
    buffer += s;
    if (buffer.length > 1 << 20) {
      writeSync(fd, buffer);
      buffer = '';
    }
  };
  const now = '2026-12-01T10:00:00.000Z';
  const labels = db
    .prepare("SELECT id, name, color, shortcut, description FROM labels WHERE id IN ('claim', 'source', 'opinion') ORDER BY position")
    .all();
  put(
    `{"format":"claimdesk-bundle","version":1,"exported_at":"${now}","annotator":${JSON.stringify(annotator)},"offset_unit":"codepoint","labels":${JSON.stringify(labels)},"articles":[`,
  );
  let first = true;
  for (const a of db
    .prepare(
      'SELECT content_hash, title, outlet, url, published_at, file_name, byline, text FROM articles WHERE id IN (SELECT article_id FROM annotations WHERE annotator = ?) ORDER BY id',
    )
    .iterate(from) as Iterable<Record<string, unknown>>) {
    put(`${first ? '' : ','}${JSON.stringify(a)}`);
    first = false;
  }
  put('],"annotations":[');
  const dropped = new Set<string>();
  let count = 0;
  const texts = db.prepare('SELECT text FROM articles WHERE id = ?').pluck();
  let textOf = { id: -1, text: '' };
  const rows = db.prepare(
    'SELECT a.id, a.article_id AS articleId, ar.content_hash AS hash, a.start, a.end, a.label FROM annotations a JOIN articles ar ON ar.id = a.article_id WHERE a.annotator = ? ORDER BY a.article_id, a.start, a.id',
  );
  for (const r of rows.iterate(from) as Iterable<{
    id: string;
    articleId: number;
    hash: string;
    start: number;
    end: number;
    label: string;
  }>) {
    if (textOf.id !== r.articleId) textOf = { id: r.articleId, text: texts.get(r.articleId) as string };
    const text = textOf.text; // the corpus is ASCII: code points are UTF-16 units
    let { end, label } = r;
    if (r.label === 'claim' && count % 10 === 3) {
      label = 'opinion';
      dropped.add(r.id);
    } else if (count % 10 === 7 && end + 3 <= text.length) {
      end += 3;
    }
    const ann = {
      id: uuidOf(`${annotator}:${r.id}`),
      article: r.hash,
      start: r.start,
      end,
      quote: text.slice(r.start, end),
      prefix: text.slice(Math.max(0, r.start - 32), r.start),
      suffix: text.slice(end, end + 32),
      label,
      annotator,
      note: '',
      created_at: now,
      updated_at: now,
    };
    put(`${count === 0 ? '' : ','}${JSON.stringify(ann)}`);
    count++;
  }
  put('],"links":[');
  let links = 0;
  for (const l of db
    .prepare('SELECT id, claim_id, source_id, kind FROM source_links WHERE annotator = ? ORDER BY rowid')
    .iterate(from) as Iterable<{ id: string; claim_id: string; source_id: string; kind: string }>) {
    if (dropped.has(l.claim_id)) continue;
    put(
      `${links === 0 ? '' : ','}${JSON.stringify({ id: uuidOf(`${annotator}:${l.id}`), claim_id: uuidOf(`${annotator}:${l.claim_id}`), source_id: uuidOf(`${annotator}:${l.source_id}`), kind: l.kind, annotator, created_at: now })}`,
    );
    links++;
  }
  put('],"groups":[');
  let groups = 0;
  const members = db
    .prepare(
      'SELECT m.annotation_id FROM claim_group_members m JOIN annotations a ON a.id = m.annotation_id WHERE m.group_id = ? AND a.annotator = ? ORDER BY m.annotation_id',
    )
    .pluck();
  for (const g of db.prepare('SELECT id, canonical FROM claim_groups ORDER BY n').iterate() as Iterable<{
    id: string;
    canonical: string;
  }>) {
    const ids = (members.all(g.id, from) as string[]).filter((m) => !dropped.has(m)).map((m) => uuidOf(`${annotator}:${m}`));
    if (ids.length === 0) continue;
    put(
      `${groups === 0 ? '' : ','}${JSON.stringify({ id: uuidOf(`${annotator}:${g.id}`), canonical: g.canonical, note: '', created_by: annotator, created_at: now, updated_at: now, members: ids })}`,
    );
    groups++;
  }
  put(']}\n');
  writeSync(fd, buffer);
  closeSync(fd);
  return { annotations: count, links, groups };
}
