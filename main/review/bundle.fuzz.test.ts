/**
 * Adversarial bundles, generated: a text of one repeated letter or pair (so
 * a short quote occurs everywhere), quotes that are or are not at their
 * stored position, in the text or not, and prefixes and suffixes up to 3,000
 * characters. The import always ends: each annotation is placed, reported
 * unanchored with a reason, or reported as a clash; whatever is placed holds
 * its own quote; it never throws anything but a BundleError (which writes
 * nothing); and what was stored before stays as it was.
 */
import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bundle } from '../../shared/bundle.js';
import { call } from '../api.js';
import { addArticle, testService, type TestService } from '../test-support.js';
import { tagPhrase } from '../test-builders.js';
import { BundleError, importBundle } from './bundle.js';

let svc: TestService;
beforeEach(async () => {
  svc = await testService({ seed: false, annotator: 'Dana' });
});
afterEach(() => svc.dispose());

const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
const REASONS =
  /^the quote (is not in the article any more|was not at its position, and (searching for it approximately (would cost too much|took longer than \d+ ms)|the bundle's \d+ s for approximate searches had run out))/;

const unit = fc.constantFrom('e ', 'e', 'ab', 'aab ', '😀 ', 'é');
/** A quote: a piece of the text's own alphabet, something absent, or random characters. */
const quote = fc.oneof(
  fc.constantFrom('e', 'e e', 'a', 'ab', 'b a', '😀', 'é', 'x'),
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ minLength: 100, maxLength: 3000 }),
  // Nearly the text: only an approximate search could place it, and a long one costs too much to search for.
  fc.tuple(fc.constantFrom('e ', 'aab ', 'ab'), fc.integer({ min: 4, max: 3000 })).map(([u, n]) => `${u.repeat(n).slice(0, n - 1)}x`),
);
const context = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 64 }),
  fc.integer({ min: 0, max: 3000 }).map((n) => 'e '.repeat(n).slice(0, n)),
);
const annotation = fc.record({ at: fc.nat(), quote, prefix: context, suffix: context, exactAt: fc.boolean() });

describe('bundles with adversarial quotes and contexts', () => {
  it('always end, with every annotation placed on its own quote, reported unanchored with a reason, or reported as a clash', async () => {
    const local = addArticle(svc, 'A local article that the analyst tagged before any bundle came.');
    const mine = await tagPhrase(svc, local, 'local article', 'claim');
    await fc.assert(
      fc.asyncProperty(
        unit,
        fc.integer({ min: 1, max: 150_000 }),
        fc.array(annotation, { minLength: 1, maxLength: 6 }),
        async (u, reps, specs) => {
          const text = u.repeat(reps).trimEnd() || u;
          const chars = [...text];
          const hash = sha(text);
          const annotations = specs.map((s) => {
            const len = [...s.quote].length;
            const start = s.at % chars.length;
            // Either exactly where the quote is (when the text has it there) or at any in-range spot.
            const end = Math.min(chars.length, start + Math.max(1, len));
            const q = s.exactAt ? chars.slice(start, end).join('') : s.quote;
            return {
              id: randomUUID(),
              article: hash,
              start,
              end,
              quote: q,
              prefix: s.prefix,
              suffix: s.suffix,
              label: 'claim',
              annotator: 'Colleague',
              note: '',
              created_at: '2026-01-01T00:00:00.000Z',
              updated_at: '2026-01-01T00:00:00.000Z',
            };
          });
          const bundle: Bundle = {
            format: 'claimdesk-bundle',
            version: 1,
            exported_at: '2026-01-01T00:00:00.000Z',
            annotator: 'Colleague',
            offset_unit: 'codepoint',
            labels: [],
            articles: [{ content_hash: hash, title: 'Adversarial', outlet: null, url: null, published_at: null, file_name: null, text }],
            annotations,
            links: [],
            groups: [],
          };
          const stored = (svc.db.prepare('SELECT count(*) AS n FROM annotations').get() as { n: number }).n;
          let report;
          try {
            report = await importBundle(svc.db, bundle, 'adversarial.json');
          } catch (err) {
            expect(err).toBeInstanceOf(BundleError);
            expect((svc.db.prepare('SELECT count(*) AS n FROM annotations').get() as { n: number }).n).toBe(stored);
            return;
          }
          expect(
            report.annotationsAdded + report.annotationsAlreadyPresent + report.unanchored.length + (report.conflicts?.length ?? 0),
          ).toBe(annotations.length);
          for (const u of report.unanchored) expect(u.reason).toMatch(REASONS);
          // Exactly at its position, an annotation is placed there.
          for (const a of annotations) {
            if (chars.slice(a.start, a.end).join('') === a.quote) expect(report.unanchored.map((x) => x.id)).not.toContain(a.id);
          }
          const article = (await call(svc.dispatch, 'articles.list', {})).find(
            (x) => x.title === 'Adversarial' && x.length === chars.length,
          );
          for (const placed of article ? await call(svc.dispatch, 'annotations.list', { articleId: article.id }) : []) {
            const full = await call(svc.dispatch, 'articles.get', { id: placed.articleId });
            expect([...full.text].slice(placed.start, placed.end).join('')).toBe(placed.quote);
          }
          // The analyst's own work is untouched.
          const [still] = await call(svc.dispatch, 'annotations.list', { articleId: local });
          expect(still).toMatchObject({ id: mine.id, quote: 'local article', label: 'claim', annotator: 'Dana' });
        },
      ),
      { numRuns: 25, seed: 1604 },
    );
  }, 240_000);
});
