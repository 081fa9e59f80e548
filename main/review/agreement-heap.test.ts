import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeText, rng } from '../../bench/corpus.js';
import { openDatabase } from '../store/database.js';
import { insertArticle } from '../store/articles.js';
import { insertAnnotation } from '../store/annotations.js';
import { insertGroup, setMembership } from '../store/groups.js';
import { tempDir } from '../test-support.js';

/** A heap far smaller than every coding of the corpus below held at once. */
const HEAP_MB = 128;
const ARTICLES = 1_500;

const temp = tempDir();
const file = join(temp.dir, 'heap.db');

beforeAll(() => {
  const db = openDatabase(file);
  const random = rng(31);
  const now = new Date().toISOString();
  db.transaction(() => {
    const group = randomUUID();
    insertGroup(db, { id: group, canonical: 'A claim', note: '', createdBy: 'Ann', at: now });
    for (let a = 0; a < ARTICLES; a++) {
      const text = makeText(8_000, random);
      const articleId = insertArticle(db, { title: `Article ${a}`, text, fileName: null }, now).id;
      for (const who of ['Ann', 'Ben']) {
        for (let k = 0; k < 10; k++) {
          const start = text.indexOf(' ', Math.floor((k / 10) * (text.length - 200))) + 1;
          const end = text.indexOf(' ', start + 20 + (who === 'Ben' && k % 3 === 0 ? 15 : 0));
          const id = randomUUID();
          insertAnnotation(db, {
            id,
            articleId,
            start,
            end,
            quote: text.slice(start, end),
            prefix: '',
            suffix: '',
            label: k % 4 === 0 ? 'source' : 'claim',
            annotator: who,
            note: '',
            createdAt: now,
            updatedAt: now,
          });
          if (k === 1) setMembership(db, id, group, who, now);
        }
      }
    }
  })();
  db.close();
}, 120_000);
afterAll(() => temp.cleanup());

const run = (mode: string) =>
  spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', join(import.meta.dirname, 'agreement-heap.child.ts'), mode, file],
    { encoding: 'utf8', timeout: 300_000 },
  );

describe(`agreement with a ${HEAP_MB} MB heap`, () => {
  it('computes the report and writes the coding table of a corpus whose codings do not fit that heap', () => {
    const r = run('report');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { articles: number; tokens: number; cohen: number; rows: number; bytes: number };
    expect(out.articles).toBe(ARTICLES);
    expect(out.rows).toBe(2 * out.tokens);
    expect(out.tokens).toBeGreaterThan(1_500_000);
    expect(out.cohen).toBeGreaterThan(0.5);
  }, 300_000);

  it('runs out of that heap holding every coding at once (the corpus is big enough to tell)', () => {
    const r = run('all-codings');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/heap out of memory/i);
  }, 300_000);
});
