/**
 * Hostile and huge files: each is that file's failure, with its reason, and
 * never stops, hangs or loses the files around it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportItem } from '../../shared/schemas.js';
import { call } from '../api.js';
import { countArticles } from '../store/articles.js';
import { testService, type TestService } from '../test-support.js';
import { longPage, makeDocx, nestedPage, tinyRecords } from './fixtures/hostile.js';
import { makePdf } from './fixtures/make-pdf.js';
import { STATUS_RECENT } from './jobs.js';
import { MAX_HTML_DEPTH, MAX_PDF_PAGES } from './limits.js';
import { importInputs, type ImportInput } from './pipeline.js';
import { readArticles } from './readers.js';

let svc: TestService;
beforeEach(async () => {
  svc = await testService({ seed: false });
});
afterEach(() => svc.dispose());

const utf8 = (s: string) => new TextEncoder().encode(s);
const input = (display: string, content: string | Uint8Array): ImportInput => {
  const bytes = typeof content === 'string' ? utf8(content) : content;
  return { display, size: bytes.length, read: async () => bytes };
};
const good = (n: number) => input(`good${n}.txt`, `Good file ${n}\n\nThe text of good file number ${n}.`);
const line = (r: ImportItem) => `${r.status} ${r.source}${r.status === 'failed' ? `: ${r.message}` : ''}`;

describe('a web page nested thousands of levels deep', () => {
  it('is refused quickly with its reason, and the files around it import', async () => {
    const started = Date.now();
    const { results } = await importInputs(svc.db, [good(1), input('deep.html', nestedPage(4000)), good(2)]);
    expect(results.map(line)).toEqual([
      'imported good1.txt',
      `failed deep.html: the page is nested more than ${MAX_HTML_DEPTH} elements deep (the limit for a web page)`,
      'imported good2.txt',
    ]);
    // Before the cap this page ran for minutes; the time budget is a minute, so well under it means the cap worked.
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});

describe('time and memory limits per file', () => {
  it('stops a file that runs out of its time budget and reports it failed; the next file still imports', async () => {
    const { results } = await importInputs(svc.db, [good(1), input('slow.html', longPage(40_000)), good(2)], {
      readerLimits: { timeMs: 300, memoryMb: 1024 },
    });
    expect(results.map(line)).toEqual([
      'imported good1.txt',
      'failed slow.html: took longer than 0.3 s to read (the limit per file)',
      'imported good2.txt',
    ]);
    expect(countArticles(svc.db)).toBe(2);
  }, 60_000);

  it('makes running out of memory that file’s failure: what was read before it is committed and reported, and later files import', async () => {
    const inputs = [good(1), good(2), input('huge.html', longPage(60_000)), good(3)];
    const { results } = await importInputs(svc.db, inputs, { readerLimits: { timeMs: 60_000, memoryMb: 48 } });
    expect(results.map(line)).toEqual([
      'imported good1.txt',
      'imported good2.txt',
      'failed huge.html: needed more than 48 MB of memory to read (the limit per file)',
      'imported good3.txt',
    ]);
    expect(countArticles(svc.db)).toBe(3);
  }, 60_000);
});

describe('a big ordinary web page', () => {
  it('is read within a memory limit that parsing it once per step exceeded (each parse costs the page’s size again)', async () => {
    const page = longPage(14_000).replace(/<\/p>/g, ` ${'More words of the same paragraph, as long news paragraphs have. '.repeat(2)}</p>`);
    const { results } = await importInputs(svc.db, [input('big.html', page)], { readerLimits: { timeMs: 120_000, memoryMb: 240 } });
    expect(results.map(line)).toEqual(['imported big.html']);
  }, 150_000);
});

describe('cancel', () => {
  it('ends the file being read at once and reports it failed, keeping what was stored before it', async () => {
    const job = await call(svc.dispatch, 'import.upload', {
      files: [
        { name: 'first.txt', data: Buffer.from('First\n\nThe first text.').toString('base64') },
        { name: 'slow.html', data: Buffer.from(longPage(40_000)).toString('base64') },
        { name: 'last.txt', data: Buffer.from('Last\n\nThe last text.').toString('base64') },
      ],
    });
    const started = await call(svc.dispatch, 'import.start', { uploadId: job.uploadId });
    // Wait until the slow page is being read, then cancel.
    for (let i = 0; i < 400 && (await call(svc.dispatch, 'import.status', { jobId: started.id })).current !== 'slow.html'; i++)
      await new Promise((ok) => setTimeout(ok, 25));
    await new Promise((ok) => setTimeout(ok, 200));
    const t = Date.now();
    await call(svc.dispatch, 'import.cancel', { jobId: started.id });
    const done = await svc.imports.wait(started.id);
    expect(Date.now() - t).toBeLessThan(3000);
    expect(done.state).toBe('cancelled');
    expect(done.results.map(line)).toEqual(['failed slow.html: cancelled while it was being read', 'imported first.txt']);
    expect(countArticles(svc.db)).toBe(1);
  }, 60_000);
});

describe('Word documents that unpack to far more than they weigh', () => {
  it('refuses a .docx whose text part declares more than the limit, and one that lies about its size', async () => {
    const honest = makeDocx(['Title', 'Body'], { fillBytes: 70 * 1024 * 1024 });
    const liar = makeDocx(['Title', 'Body'], { fillBytes: 70 * 1024 * 1024, declaredSize: 1000 });
    expect(honest.length).toBeLessThan(1024 * 1024);
    expect(await readArticles('bomb.docx', honest)).toEqual([
      { source: 'bomb.docx', error: "the Word document's part word/document.xml unpacks to 70 MB, over the 64 MB limit" },
    ]);
    expect(await readArticles('liar.docx', liar)).toEqual([
      {
        source: 'liar.docx',
        error: "the Word document's part word/document.xml unpacks to more than 64 MB (the limit), though it claims 0 MB",
      },
    ]);
    // An ordinary one built the same way still reads.
    expect(await readArticles('ok.docx', makeDocx(['Title', 'Body text.']))).toEqual([
      { source: 'ok.docx', article: { title: 'Title', text: 'Body text.' } },
    ]);
  }, 60_000);
});

describe('PDFs of many pages', () => {
  it('refuses a PDF over the page limit without reading its pages', async () => {
    const pages = Array.from({ length: MAX_PDF_PAGES + 1 }, () => [] as string[]);
    expect(await readArticles('many.pdf', makePdf(pages))).toEqual([
      {
        source: 'many.pdf',
        error: `the PDF has ${(MAX_PDF_PAGES + 1).toLocaleString('en')} pages, over the ${MAX_PDF_PAGES.toLocaleString('en')}-page limit`,
      },
    ]);
  }, 60_000);

  it('stops at the first pages when they have no text (a scan)', async () => {
    const pages = [...Array.from({ length: 30 }, () => [] as string[]), ['Text that only a full read would find.']];
    expect(await readArticles('scan.pdf', makePdf(pages))).toEqual([{ source: 'scan.pdf', error: 'no text layer (scanned image?)' }]);
  });
});

describe('one-line metadata', () => {
  it('caps a title made of a 1 MB first line', async () => {
    const first = 'word '.repeat(200_000);
    const { results } = await importInputs(svc.db, [input('long.txt', `${first}\n\nBody.`)]);
    const stored = await call(svc.dispatch, 'articles.get', { id: results[0]?.articleId as number });
    expect(stored.title.length).toBeLessThanOrEqual(300);
    expect(stored.title.endsWith('…')).toBe(true);
    // The reader caps it too, as the other readers do (the store's cap is the last line of defence, not the only one).
    const [read] = await readArticles('long.txt', utf8(`${first}\n\nBody.`));
    expect(read && 'article' in read ? read.article.title.length : -1).toBeLessThanOrEqual(300);
    expect(read && 'article' in read ? read.article.title.length : -1).toBeGreaterThan(0);
  });

  it('removes bidirectional controls from titles, outlets, bylines and file names', async () => {
    const rlo = '\u202E';
    const page = `<html><head><title>Safe ${rlo}gpj.exe\u2066x\u2069</title><meta property="og:site_name" content="Out${rlo}let"><meta name="author" content="A\u200Fn Author"></head><body><article><p>${'Body text of the page. '.repeat(20)}</p></article></body></html>`;
    const { results } = await importInputs(svc.db, [input(`invoice${rlo}fdp.html`, page)]);
    const stored = await call(svc.dispatch, 'articles.get', { id: results[0]?.articleId as number });
    expect([stored.title, stored.outlet, stored.byline, stored.fileName]).toEqual([
      'Safe gpj.exex',
      'Outlet',
      'An Author',
      'invoicefdp.html',
    ]);
  });
});

describe('a dataset of many tiny records', () => {
  it('is stored a batch at a time, and the job status summarises it instead of listing every record', async () => {
    const data = tinyRecords(3000, 1000);
    const up = await call(svc.dispatch, 'import.upload', { files: [{ name: 'tiny.jsonl', data: Buffer.from(data).toString('base64') }] });
    const job = await call(svc.dispatch, 'import.start', { uploadId: up.uploadId });
    const done = await svc.imports.wait(job.id);
    expect(done.counts).toEqual({ imported: 2997, duplicate: 0, failed: 3 });
    expect(done.results.filter((r) => r.status === 'failed').map((r) => r.source)).toEqual([
      'tiny.jsonl: line 1000',
      'tiny.jsonl: line 2000',
      'tiny.jsonl: line 3000',
    ]);
    const listed = done.results.filter((r) => r.status !== 'failed');
    expect(listed).toHaveLength(STATUS_RECENT);
    expect(listed.at(-1)?.source).toBe('tiny.jsonl: line 2999');
    expect(done.omitted).toBe(2997 - STATUS_RECENT);
    expect(JSON.stringify(await call(svc.dispatch, 'import.status', { jobId: job.id })).length).toBeLessThan(20_000);
    expect(countArticles(svc.db)).toBe(2997);
  }, 60_000);
});
