import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportJob } from '../../shared/schemas.js';
import { call } from '../api.js';
import { countArticles } from '../store/articles.js';
import { tempDir, testService, type TestService } from '../test-support.js';
import { makePdf } from './fixtures/make-pdf.js';
import { importInputs } from './pipeline.js';

let svc: TestService;
let files: { dir: string; cleanup: () => void };
beforeEach(async () => {
  svc = await testService();
  files = tempDir();
});
afterEach(() => {
  svc.dispose();
  files.cleanup();
});

function write(rel: string, content: string | Uint8Array): string {
  const full = join(files.dir, rel);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  return full;
}

async function runPaths(paths: string[]): Promise<ImportJob> {
  svc.grants.grant(paths);
  const job = await call(svc.dispatch, 'import.start', { paths });
  return svc.imports.wait(job.id);
}

describe('importing a folder', () => {
  it('imports every readable file recursively and reports each one', async () => {
    write('corpus/a.txt', 'Peace deal first\n\nWashington wants a peace deal before guarantees.');
    write('corpus/nested/b.md', '# Kyiv insists\n\nKyiv wants assurances before signing.');
    write('corpus/nested/c.pdf', makePdf([['Report title', '', 'Rubio told EU officials.']]));
    write('corpus/scan.pdf', makePdf([[]]));
    write('corpus/data.jsonl', `${JSON.stringify({ text: 'Dataset article one.' })}\n{"broken"\n`);
    write('corpus/empty.txt', '');
    write('corpus/.hidden.txt', 'Hidden\n\nnot imported');
    write('corpus/photo.png', 'not really');
    const job = await runPaths([join(files.dir, 'corpus'), join(files.dir, 'missing.txt')]);
    expect(job.state).toBe('done');
    const lines = job.results.map((r) => `${r.status} ${r.source}${r.message ? `: ${r.message}` : ''}`).sort();
    expect(lines).toEqual(
      [
        'failed missing.txt: no such file or folder'.replace('missing.txt', join(files.dir, 'missing.txt')),
        'imported corpus/a.txt',
        'imported corpus/data.jsonl: line 1',
        'failed corpus/data.jsonl: line 2: not valid JSON',
        'failed corpus/empty.txt: the file is empty',
        'imported corpus/nested/b.md',
        'imported corpus/nested/c.pdf',
        'failed corpus/photo.png: not a supported file type (.png); Claimdesk reads .txt .md .markdown .html .htm .docx .pdf .json .jsonl',
        'failed corpus/scan.pdf: no text layer (scanned image?)',
      ].sort(),
    );
    expect(job.counts).toEqual({ imported: 4, duplicate: 0, failed: 5 });
    expect(job.done).toBe(job.total);
    const articles = await call(svc.dispatch, 'articles.list', {});
    expect(articles.map((a) => [a.title, a.fileName]).sort()).toEqual([
      ['Dataset article one.', 'data.jsonl'],
      ['Kyiv insists', 'b.md'],
      ['Peace deal first', 'a.txt'],
      ['Report title', 'c.pdf'],
    ]);
  });

  it('reports the same text again as a duplicate and stores nothing new', async () => {
    write('a.txt', 'Title\n\nThe same body.');
    write('copy.txt', 'Another title\n\nThe same body.');
    const job = await runPaths([join(files.dir, 'a.txt'), join(files.dir, 'copy.txt')]);
    expect(job.results.map((r) => r.status)).toEqual(['imported', 'duplicate']);
    expect(job.results[1]?.message).toMatch(/already in the library/);
    const again = await runPaths([join(files.dir, 'a.txt')]);
    expect(again.counts).toEqual({ imported: 0, duplicate: 1, failed: 0 });
    expect(countArticles(svc.db)).toBe(1);
  });

  it('imports uploaded bytes the same way', async () => {
    const up = await call(svc.dispatch, 'import.upload', {
      files: [{ name: 'dropped/one.txt', data: Buffer.from('One\n\nBody one.').toString('base64') }],
    });
    const up2 = await call(svc.dispatch, 'import.upload', {
      uploadId: up.uploadId,
      files: [{ name: '../../etc/two.txt', data: Buffer.from('Two\n\nBody two.').toString('base64') }],
    });
    expect(up2.files).toBe(2);
    const job = await call(svc.dispatch, 'import.start', { uploadId: up.uploadId });
    const done = await svc.imports.wait(job.id);
    expect(done.results.map((r) => [r.status, r.source])).toEqual([
      ['imported', 'dropped/one.txt'],
      ['imported', '../../etc/two.txt'],
    ]);
    // The upload is consumed.
    const again = await svc.dispatch('import.start', { uploadId: up.uploadId });
    expect(again.ok).toBe(false);
  });

  it('cancels between files, keeping what finished and nothing partial', async () => {
    const paths = Array.from({ length: 30 }, (_, i) =>
      write(`many/${String(i).padStart(2, '0')}.txt`, `Article ${i}\n\nBody of article ${i}.`),
    );
    svc.grants.grant(paths);
    const job = await call(svc.dispatch, 'import.start', { paths });
    const cancelled = await call(svc.dispatch, 'import.cancel', { jobId: job.id });
    expect(cancelled.id).toBe(job.id);
    const end = await svc.imports.wait(job.id);
    expect(end.state).toBe('cancelled');
    expect(end.results.length).toBeLessThan(30);
    expect(countArticles(svc.db)).toBe(end.counts.imported);
  });

  it('leaves the database unchanged when a file fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('x.txt', 'x.html', 'x.pdf', 'x.docx', 'x.json', 'x.jsonl', 'x.md'),
        fc.uint8Array({ maxLength: 600 }),
        async (name, bytes) => {
          const before = countArticles(svc.db);
          const { results } = await importInputs(svc.db, [{ display: name, size: bytes.length, read: async () => bytes }]);
          const stored = results.filter((r) => r.status === 'imported').length;
          expect(countArticles(svc.db)).toBe(before + stored);
          expect(svc.db.pragma('integrity_check', { simple: true })).toBe('ok');
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('batched storing', () => {
  const input = (name: string, text: string) => {
    const bytes = new TextEncoder().encode(text);
    return { display: name, size: bytes.length, read: async () => bytes };
  };

  it('stores more articles than a batch holds, each outcome in input order, duplicates caught across batches', async () => {
    // Bodies 550..599 repeat 0..49 (an earlier batch); 600 and 601 repeat each other (the same batch).
    const inputs = Array.from({ length: 602 }, (_, i) => input(`a${i}.txt`, `Title ${i}\n\nBody of article ${i < 600 ? i % 550 : 'x'}.`));
    const { results } = await importInputs(svc.db, inputs);
    expect(results.map((r) => r.source)).toEqual(inputs.map((i) => i.display));
    expect(results.filter((r) => r.status === 'imported')).toHaveLength(551);
    expect(results.filter((r) => r.status === 'duplicate').map((r) => r.source)).toEqual(
      [...inputs.slice(550, 600), inputs[601]].map((i) => i?.display),
    );
    const again = await importInputs(svc.db, inputs.slice(0, 3));
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(countArticles(svc.db)).toBe(551);
  });

  it('rolls back only the article that fails to store, keeping the rest of its batch', async () => {
    svc.db.exec(
      "CREATE TEMP TRIGGER refuse_bad BEFORE INSERT ON main.articles WHEN NEW.title = 'Bad' BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
    );
    const { results } = await importInputs(svc.db, [
      input('one.txt', 'One\n\nFirst text.'),
      input('bad.txt', 'Bad\n\nSecond text.'),
      input('three.txt', 'Three\n\nThird text.'),
    ]);
    expect(results.map((r) => `${r.status} ${r.source}${r.message ? `: ${r.message}` : ''}`)).toEqual([
      'imported one.txt',
      'failed bad.txt: could not be stored (injected failure)',
      'imported three.txt',
    ]);
    expect(countArticles(svc.db)).toBe(2);
    expect(svc.db.prepare("SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH 'Second'").get()).toEqual({ n: 0 });
  });

  it('reports nothing as imported when the commit itself fails, and stores nothing of that batch', async () => {
    svc.db.exec(
      "CREATE TEMP TRIGGER refuse_commit AFTER INSERT ON main.articles WHEN NEW.title = 'Last' BEGIN SELECT RAISE(ROLLBACK, 'disk full (injected)'); END",
    );
    const { results } = await importInputs(svc.db, [input('one.txt', 'One\n\nFirst text.'), input('last.txt', 'Last\n\nSecond text.')]);
    expect(results.every((r) => r.status === 'failed')).toBe(true);
    expect(countArticles(svc.db)).toBe(0);
  });
});

describe('the library API', () => {
  it('pastes text as a new article, and a second paste as a duplicate', async () => {
    const first = await call(svc.dispatch, 'articles.createFromText', { text: 'Pasted title\n\nPasted body text.' });
    expect(first).toMatchObject({ status: 'imported', title: 'Pasted title' });
    const again = await call(svc.dispatch, 'articles.createFromText', { text: 'Another\n\nPasted body text.' });
    expect(again.status).toBe('duplicate');
    const titled = await call(svc.dispatch, 'articles.createFromText', { text: 'Only a body line.', title: 'Given title' });
    expect((await call(svc.dispatch, 'articles.get', { id: titled.articleId ?? 0 })).text).toBe('Only a body line.');
    expect((await svc.dispatch('articles.createFromText', { text: '   ' })).ok).toBe(false);
  });

  it('edits metadata and validates it', async () => {
    const { articleId = 0 } = await call(svc.dispatch, 'articles.createFromText', { text: 'T\n\nBody.' });
    const a = await call(svc.dispatch, 'articles.update', {
      id: articleId,
      title: 'New title',
      outlet: 'Politico',
      url: 'https://politico.eu/a',
      publishedAt: '2025-11-24',
    });
    expect(a).toMatchObject({
      title: 'New title',
      outlet: 'Politico',
      url: 'https://politico.eu/a',
      publishedAt: '2025-11-24T00:00:00.000Z',
      text: 'Body.',
    });
    const cleared = await call(svc.dispatch, 'articles.update', { id: articleId, outlet: '', url: null });
    expect(cleared).toMatchObject({ outlet: null, url: null, title: 'New title' });
    const bad = await svc.dispatch('articles.update', { id: articleId, url: 'javascript:alert(1)' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.message).toMatch(/http/);
    expect((await svc.dispatch('articles.update', { id: articleId, publishedAt: 'yesterday' })).ok).toBe(false);
  });

  it('deletes an article with its annotations', async () => {
    const { articleId = 0 } = await call(svc.dispatch, 'articles.createFromText', { text: 'T\n\nRubio said so.' });
    await call(svc.dispatch, 'annotations.create', { articleId, start: 0, end: 5, quote: 'Rubio', label: 'source' });
    expect(await call(svc.dispatch, 'articles.delete', { id: articleId })).toEqual({ id: articleId, annotationsDeleted: 1 });
    expect(svc.db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual({ n: 0 });
    expect((await svc.dispatch('articles.get', { id: articleId })).ok).toBe(false);
  });

  it('searches the full text with highlighted snippets and the offset of the first match', async () => {
    await call(svc.dispatch, 'articles.createFromText', { text: 'Kyiv 😀 café\n\nThe Élysée said security guarantees matter.' });
    await call(svc.dispatch, 'articles.createFromText', { text: 'Other\n\nNothing relevant here.' });
    const hits = await call(svc.dispatch, 'articles.search', { query: 'guarant' });
    expect(hits).toHaveLength(1);
    expect(hits[0]?.snippet).toContain('\u0002guarantees\u0003');
    const article = await call(svc.dispatch, 'articles.get', { id: hits[0]?.articleId ?? 0 });
    const start = hits[0]?.matchStart ?? -1;
    expect([...article.text].slice(start, start + (hits[0]?.matchLength ?? 0)).join('')).toBe('guarantees');
    expect(await call(svc.dispatch, 'articles.search', { query: 'elysee' })).toHaveLength(1); // diacritics folded
    expect(await call(svc.dispatch, 'articles.search', { query: '"unbalanced OR (' })).toEqual([]);
    expect(await call(svc.dispatch, 'articles.search', { query: 'Kyiv' })).toHaveLength(1); // title
  });
});
