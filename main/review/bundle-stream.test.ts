import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../test-support.js';
import { buildRichLibrary } from '../test-builders.js';
import { bundleChunks, exportBundle } from './bundle.js';

let svc: TestService;
beforeEach(async () => {
  svc = await testService({ annotator: 'Dana' });
});
afterEach(() => svc.dispose());

describe('a bundle written in pieces', () => {
  it('is the text of the bundle built whole, for every annotator, with and without texts', async () => {
    await buildRichLibrary(svc);
    const annotators = svc.db.prepare('SELECT DISTINCT annotator FROM annotations').pluck().all() as string[];
    expect(annotators.length).toBeGreaterThanOrEqual(2);
    for (const who of [...annotators, 'Nobody']) {
      for (const includeText of [true, false]) {
        const now = '2026-12-02T10:00:00.000Z';
        const pieces = [...bundleChunks(svc.db, who, { includeText, now })];
        expect(pieces.join('')).toBe(JSON.stringify(exportBundle(svc.db, who, { includeText, now }), null, 1));
      }
    }
  });
});
