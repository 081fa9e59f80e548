/**
 * Hostile and huge files, generated: pages nested deep and wide, Word
 * documents whose parts unpack to far more than they weigh, datasets of many
 * tiny records (some broken). Whatever the shape, the import ends with each
 * file imported or failed with its reason, never throws, never stops the files
 * around it, and never loses what was stored before. Runs are few: each one
 * reads real files in the reader thread.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../api.js';
import { countArticles } from '../store/articles.js';
import { addArticle, testService, type TestService } from '../test-support.js';
import { makeDocx, nestedTree, tinyRecords } from './fixtures/hostile.js';
import { STATUS_RECENT } from './jobs.js';
import { MAX_HTML_DEPTH, MAX_HTML_ELEMENTS, MAX_ZIP_ENTRY_BYTES } from './limits.js';
import { importInputs, type ImportInput } from './pipeline.js';

let svc: TestService;
/** An article stored before every generated import, which must come out of each exactly as it went in. */
let sentinel: number;
const SENTINEL_TEXT = 'Stored before the hostile files arrived.';
beforeEach(async () => {
  svc = await testService({ seed: false });
  sentinel = addArticle(svc, SENTINEL_TEXT, 'Sentinel');
});
afterEach(() => svc.dispose());

const utf8 = (s: string) => new TextEncoder().encode(s);
const input = (display: string, content: string | Uint8Array): ImportInput => {
  const bytes = typeof content === 'string' ? utf8(content) : content;
  return { display, size: bytes.length, read: async () => bytes };
};
let goodCount = 0;
const good = () => {
  goodCount++;
  return input(`good${goodCount}.txt`, `Good file ${goodCount}\n\nThe text of good file number ${goodCount}.`);
};
/** A failure names its cause: a limit, the reader's budget, or what is wrong with the file. */
const REASON = /limit|longer than|memory|no article text|not a|damaged|could not/i;

async function sentinelIntact(): Promise<void> {
  const stored = await call(svc.dispatch, 'articles.get', { id: sentinel });
  expect([stored.title, stored.text]).toEqual(['Sentinel', SENTINEL_TEXT]);
}

describe('web pages nested deep and wide', () => {
  it('import, or fail with the limit they break, between two good files that import', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 200 }),
        // Elements that nest when the parser reads them (an <li> or <p> inside its own kind would be closed, not nested).
        fc.constantFrom('div', 'span', 'section', 'blockquote', 'article'),
        async (depth, width, tag) => {
          const before = countArticles(svc.db);
          const { results, counts } = await importInputs(svc.db, [good(), input('tree.html', nestedTree(depth, width, tag)), good()], {
            // A page that is slow to extract fails on the reader's time budget, which is one of its reasons.
            readerLimits: { timeMs: 5_000, memoryMb: 512 },
          });
          expect(results.map((r) => r.status)).toEqual(['imported', expect.stringMatching(/^(imported|duplicate|failed)$/), 'imported']);
          const page = results[1];
          // html > body > depth levels > the deepest paragraph.
          const deepest = depth + 2;
          const elements = 4 + depth * (1 + width) + 1;
          if (deepest > MAX_HTML_DEPTH + 1 || elements > MAX_HTML_ELEMENTS + 1) {
            // Refused by the shape check, or, on a machine too busy to parse it within the budget, by the budget.
            expect(page).toMatchObject({
              status: 'failed',
              message: expect.stringMatching(/the limit for a web page|longer than .* to read/),
            });
          }
          if (page?.status === 'failed') expect(page.message).toMatch(REASON);
          expect(countArticles(svc.db)).toBe(before + counts.imported);
          await sentinelIntact();
        },
      ),
      { numRuns: 6, seed: 1601 },
    );
  }, 240_000);
});

describe('Word documents that unpack to far more than they weigh', () => {
  it('are refused with the limit named when a part passes it (whatever size it claims); smaller ones import or fail with a reason', async () => {
    const MB = 1024 * 1024;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 65, max: 90 })), fc.boolean(), async (fillMb, lies) => {
        const before = countArticles(svc.db);
        const doc = makeDocx(['Title', `Body of a document with ${fillMb} MB of empty paragraphs.`], {
          fillBytes: fillMb * MB,
          ...(lies ? { declaredSize: 1000 } : {}),
        });
        const { results, counts } = await importInputs(svc.db, [good(), input('bomb.docx', doc), good()], {
          readerLimits: { timeMs: 10_000, memoryMb: 512 },
        });
        expect([results[0]?.status, results[2]?.status]).toEqual(['imported', 'imported']);
        const docx = results[1];
        if (fillMb * MB > MAX_ZIP_ENTRY_BYTES)
          expect(docx).toMatchObject({ status: 'failed', message: expect.stringMatching(/unpacks to .*64 MB/) });
        if (docx?.status === 'failed') expect(docx.message).toMatch(REASON);
        expect(countArticles(svc.db)).toBe(before + counts.imported);
        await sentinelIntact();
      }),
      { numRuns: 6, seed: 1602 },
    );
  }, 240_000);
});

describe('datasets of many tiny records', () => {
  it('are counted exactly, broken lines failed one by one, the status stays small, and nothing stored before is lost', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 0, max: 60 }), async (n, badEvery) => {
        run++;
        const before = countArticles(svc.db);
        const data = tinyRecords(n, badEvery, `run${run}-`);
        const up = await call(svc.dispatch, 'import.upload', {
          files: [{ name: 'tiny.jsonl', data: Buffer.from(data).toString('base64') }],
        });
        const job = await call(svc.dispatch, 'import.start', { uploadId: up.uploadId });
        const done = await svc.imports.wait(job.id);
        const bad = badEvery > 0 ? Math.floor(n / badEvery) : 0;
        expect(done.counts).toEqual({ imported: n - bad, duplicate: 0, failed: bad });
        const failures = done.results.filter((r) => r.status === 'failed');
        expect(failures).toHaveLength(Math.min(bad, 1000));
        expect(
          failures.every((f) => f.status === 'failed' && /^tiny\.jsonl: line \d+$/.test(f.source) && (f.message ?? '').length > 0),
        ).toBe(true);
        expect(done.results.length - failures.length).toBeLessThanOrEqual(STATUS_RECENT);
        expect(JSON.stringify(await call(svc.dispatch, 'import.status', { jobId: job.id })).length).toBeLessThan(200_000);
        expect(countArticles(svc.db)).toBe(before + n - bad);
        await sentinelIntact();
      }),
      { numRuns: 6, seed: 1603 },
    );
  }, 240_000);
});
