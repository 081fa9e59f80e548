/**
 * Loses nothing: a rich library exported as bundles (one per annotator) and
 * read into an empty library exports again to the same canonical JSON, and
 * the two libraries hold the same articles, annotations, links, groups and
 * labels; the claims, instances, annotations and W3C exports match too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../store/database.js';
import { call } from '../api.js';
import { buildExport, EXPORT_KINDS, FORMATS } from '../export/exporters.js';
import { testService, type TestService } from '../test-support.js';
import { buildRichLibrary } from '../test-builders.js';

/** JSON with object keys sorted, so equal data gives equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Each annotator's bundle as written, and in canonical form without its export time. */
async function bundles(svc: TestService): Promise<Map<string, { content: string; canonical: string }>> {
  const annotators = [...new Set((await call(svc.dispatch, 'annotators.progress', {})).map((p) => p.annotator))].sort();
  const out = new Map<string, { content: string; canonical: string }>();
  for (const annotator of annotators) {
    const { content } = await call(svc.dispatch, 'bundle.export', { annotator });
    const { exported_at: _at, ...rest } = JSON.parse(content) as { exported_at: string };
    out.set(annotator, { content, canonical: canonical(rest) });
  }
  return out;
}

/** Every row the bundles promise to carry, keyed by stable ids (articles by content hash). */
function libraryDump(db: Db): Record<string, unknown[]> {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    articles: all(
      'SELECT content_hash, title, outlet, url, published_at, file_name, byline, text, length FROM articles ORDER BY content_hash',
    ),
    annotations: all(
      `SELECT a.id, ar.content_hash, a.start, a."end", a.quote, a.prefix, a.suffix, a.label, a.annotator, a.note, a.created_at, a.updated_at
       FROM annotations a JOIN articles ar ON ar.id = a.article_id ORDER BY a.id`,
    ),
    // Annotation and group numbers (n, claim_n, source_n) are local, like article ids: each library numbers its rows in the order it got them.
    links: all('SELECT id, claim_id, source_id, kind, annotator, created_at FROM source_links ORDER BY id'),
    groups: all('SELECT id, canonical, note, created_by, created_at, updated_at FROM claim_groups ORDER BY id'),
    members: all('SELECT annotation_id, group_id FROM claim_group_members ORDER BY annotation_id'),
    labels: all('SELECT id, name, color, shortcut, description FROM labels ORDER BY id'),
  };
}

let source: TestService;
let target: TestService;
beforeEach(async () => {
  source = await testService();
  target = await testService({ annotator: null });
});
afterEach(() => {
  source.dispose();
  target.dispose();
});

describe('export → import into an empty library → export', () => {
  it('gives identical bundles and an identical library', async () => {
    await buildRichLibrary(source);
    const first = await bundles(source);
    expect([...first.keys()]).toEqual(['Alice', 'Bob']);
    for (const [annotator, { content }] of first) {
      const report = await call(target.dispatch, 'bundle.import', { fileName: `${annotator}.json`, content });
      expect(report, annotator).toMatchObject({ unanchored: [], reanchored: [] });
    }
    const second = await bundles(target);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [annotator, bundle] of first) expect(second.get(annotator)?.canonical, annotator).toBe(bundle.canonical);

    expect(libraryDump(target.db)).toEqual(libraryDump(source.db));

    // Every other export, too (same article ids: the empty library numbers them in the same order).
    const now = '2025-12-01T00:00:00.000Z';
    for (const kind of EXPORT_KINDS) {
      for (const format of FORMATS[kind]) {
        const made = (db: Db) => [...buildExport(db, kind, format, { now }).chunks].join('');
        expect(made(target.db), `${kind}.${format}`).toBe(made(source.db));
      }
    }
  });

  it('reading the bundles again changes nothing', async () => {
    await buildRichLibrary(source);
    const first = await bundles(source);
    for (const [annotator, { content }] of first) await call(target.dispatch, 'bundle.import', { fileName: `${annotator}.json`, content });
    const before = libraryDump(target.db);
    for (const [annotator, { content }] of first) {
      const again = await call(target.dispatch, 'bundle.import', { fileName: `${annotator}.json`, content });
      expect(again).toMatchObject({
        articlesAdded: 0,
        annotationsAdded: 0,
        linksAdded: 0,
        groupsAdded: 0,
        membersAdded: 0,
        labelsAdded: [],
        labelsAdopted: [],
      });
    }
    expect(libraryDump(target.db)).toEqual(before);
  });
});
