/**
 * Bundles are a colleague's file, not trusted: hostile quotes cannot stall
 * the host, reserved names and reused ids cannot reach local layers, and
 * texts and labels pass the checks every other input passes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bundle } from '../../shared/bundle.js';
import type { ApiEvent } from '../../shared/methods.js';
import { call } from '../api.js';
import { addArticle, testService, type TestService } from '../test-support.js';
import { tagPhrase } from '../test-builders.js';
import { ANCHOR_LIMITS } from '../../shared/anchoring.js';
import { BUNDLE_FUZZY_TIME_MS, importBundle } from './bundle.js';

let svc: TestService;
beforeEach(async () => {
  svc = await testService({ seed: false, annotator: 'Dana' });
});
afterEach(() => svc.dispose());

const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
type BundleAnnotation = Bundle['annotations'][number];

/** A bundle of one article (with its text) and the given annotations, links, groups and labels. */
function bundle(text: string, annotations: Partial<BundleAnnotation>[], extra: Partial<Bundle> = {}): Bundle {
  const hash = sha(text);
  return {
    format: 'claimdesk-bundle',
    version: 1,
    exported_at: '2026-01-01T00:00:00.000Z',
    annotator: 'Colleague',
    offset_unit: 'codepoint',
    labels: [],
    articles: [{ content_hash: hash, title: 'Article', outlet: null, url: null, published_at: null, file_name: null, text }],
    annotations: annotations.map((a) => ({
      id: randomUUID(),
      article: hash,
      start: 0,
      end: 1,
      quote: '',
      prefix: '',
      suffix: '',
      label: 'claim',
      annotator: 'Colleague',
      note: '',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      ...a,
    })),
    links: [],
    groups: [],
    ...extra,
  };
}
const importIt = (b: Bundle) => call(svc.dispatch, 'bundle.import', { fileName: 'colleague.json', content: JSON.stringify(b) });
const count = (table: string) => (svc.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('adversarial quotes', () => {
  it('places a one-letter quote at a wrong position in a megabyte of "e e e" by its nearest occurrence, without stalling other calls', async () => {
    const text = 'e '.repeat(500_000).trimEnd();
    const b = bundle(
      text,
      Array.from({ length: 200 }, (_, i) => ({ start: 2 * i * 1000 + 1, end: 2 * i * 1000 + 2, quote: 'e' })),
    );
    const events: ApiEvent[] = [];
    const off = svc.subscribe((e) => events.push(e));
    const order: string[] = [];
    const imported = importIt(b).then((r) => {
      order.push('import');
      return r;
    });
    // Another call made while the bundle is being placed answers before it ends.
    await call(svc.dispatch, 'labels.list', {}).then(() => order.push('labels.list'));
    const report = await imported;
    off();
    expect(order).toEqual(['labels.list', 'import']);
    expect(report.annotationsAdded).toBe(200);
    expect(report.reanchored).toHaveLength(200);
    expect(report.reanchored.every((r) => r.method === 'exact')).toBe(true);
    expect(events.some((e) => e.name === 'bundle.progress' && e.bundle?.done === 200 && e.bundle.total === 200)).toBe(true);
  }, 60_000);

  it('reports a long quote that is not at its position as unanchored instead of searching a large text for it approximately', async () => {
    const text = 'word '.repeat(400_000).trimEnd();
    const quote = 'x'.repeat(3000);
    const report = await importIt(bundle(text, [{ start: 0, end: 3000, quote, prefix: 'p'.repeat(2000) }]));
    expect(report.unanchored).toEqual([
      expect.objectContaining({ reason: 'the quote was not at its position, and searching for it approximately would cost too much' }),
    ]);
    expect(count('annotations')).toBe(0);
  }, 60_000);
});

describe('a big bundle', () => {
  it('lets a call made while its thousands of annotations are placed be answered before it ends, reporting progress on the way', async () => {
    const sentences = Array.from({ length: 5000 }, (_, i) => `Sentence ${i} reports claim number ${i}.`);
    const text = `${sentences.join(' ')} The end.`;
    // Each stored one character off (after its place), so each is placed by an exact search around its position.
    let at = 0;
    const annotations = sentences.map((s) => {
      const a = { start: at + 1, end: at + 1 + s.length, quote: s };
      at += s.length + 1;
      return a;
    });
    const events: ApiEvent[] = [];
    const order: string[] = [];
    let asked: Promise<unknown> | null = null;
    /** Annotations placed when the other call was answered. */
    let placedWhenAnswered = -1;
    const off = svc.subscribe((e) => {
      events.push(e);
      // Once placing has begun, another window asks something.
      if (e.name === 'bundle.progress' && !asked) {
        asked = call(svc.dispatch, 'annotators.progress', {}).then(() => {
          placedWhenAnswered = events.filter((x) => x.name === 'bundle.progress').at(-1)?.bundle?.done ?? -1;
          order.push('annotators.progress');
        });
      }
    });
    const report = await importIt(bundle(text, annotations)).then((r) => {
      order.push('import');
      return r;
    });
    await asked;
    off();
    expect(order).toEqual(['annotators.progress', 'import']);
    expect(placedWhenAnswered).toBeGreaterThanOrEqual(0);
    expect(placedWhenAnswered).toBeLessThan(5000);
    expect(report.annotationsAdded).toBe(5000);
    const progress = events.filter((e) => e.name === 'bundle.progress').map((e) => e.bundle);
    expect(progress[0]).toEqual({ fileName: 'colleague.json', done: 0, total: 5000 });
    expect(progress.some((p) => p && p.done > 0 && p.done < 5000)).toBe(true);
    expect(progress.at(-1)).toEqual({ fileName: 'colleague.json', done: 5000, total: 5000 });
  }, 60_000);
});

describe('wall-clock limits on approximate matching', () => {
  // Three annotations: a reworded quote (needs an approximate search), one still at its position, another reworded one.
  const text = `${'Filler sentence that says nothing much. '.repeat(2000)}Washington wanted a peace-deal first. Kyiv disagrees. Moscow opposed any guarantee.`;
  const at = (q: string) => text.indexOf(q);
  const annotations = [
    { start: 5, end: 40, quote: 'Washington wants a peace deal first' },
    { start: at('Kyiv disagrees'), end: at('Kyiv disagrees') + 14, quote: 'Kyiv disagrees' },
    { start: 3, end: 32, quote: 'Moscow opposes any guarantees' },
  ];
  /** A clock that moves `step` ms each time it is read: a machine that slow. */
  const clockOf = (step: number) => {
    let now = 0;
    return () => (now += step);
  };

  it('reports an annotation whose approximate search outlasts its own limit as unanchored, and places the others', async () => {
    const report = await importBundle(svc.db, bundle(text, annotations), 'slow.json', { clock: clockOf(ANCHOR_LIMITS.timeMs) });
    expect(report.unanchored.map((u) => u.reason)).toEqual([
      `the quote was not at its position, and searching for it approximately took longer than ${ANCHOR_LIMITS.timeMs} ms (the limit per annotation)`,
      `the quote was not at its position, and searching for it approximately took longer than ${ANCHOR_LIMITS.timeMs} ms (the limit per annotation)`,
    ]);
    expect(report.annotationsAdded).toBe(1);
    // With a clock that stands still, the same bundle is placed whole.
    svc.db.prepare('DELETE FROM annotations').run();
    const calm = await importBundle(svc.db, bundle(text, annotations), 'calm.json', { clock: () => 0 });
    expect(calm).toMatchObject({ annotationsAdded: 3, unanchored: [] });
  }, 60_000);

  it('stops approximate searches once the bundle’s own limit has passed, still placing what its position or exact quote places', async () => {
    const report = await importBundle(svc.db, bundle(text, annotations), 'slow.json', { clock: clockOf(BUNDLE_FUZZY_TIME_MS) });
    expect(report.unanchored.map((u) => u.quote)).toEqual(['Washington wants a peace deal first', 'Moscow opposes any guarantees']);
    expect(new Set(report.unanchored.map((u) => u.reason))).toEqual(
      new Set([
        `the quote was not at its position, and the bundle's ${BUNDLE_FUZZY_TIME_MS / 1000} s for approximate searches had run out`,
      ]),
    );
    expect(report.annotationsAdded).toBe(1);
  }, 60_000);
});

describe('who the work belongs to', () => {
  it('re-attributes annotations named "gold" or after this library’s analyst, and says so', async () => {
    const text = 'Washington wants a peace deal first.';
    const b = bundle(text, [
      { start: 0, end: 10, quote: 'Washington', annotator: 'gold' },
      { start: 11, end: 16, quote: 'wants', annotator: 'Dana' },
      { start: 19, end: 29, quote: 'peace deal', annotator: 'Colleague' },
    ]);
    b.annotator = 'gold';
    const report = await importIt(b);
    expect(report.reattributed).toEqual([
      { from: 'gold', to: 'gold (imported)', annotations: 1 },
      { from: 'Dana', to: 'Dana (imported)', annotations: 1 },
    ]);
    expect(report.annotator).toBe('gold (imported)');
    const stored = svc.db.prepare('SELECT annotator FROM annotations ORDER BY start').all() as { annotator: string }[];
    expect(stored.map((r) => r.annotator)).toEqual(['gold (imported)', 'Dana (imported)', 'Colleague']);
  });
});

describe('ids that clash', () => {
  it('never attaches a bundle’s links and groups to a local annotation that has the same id', async () => {
    const text = 'Washington wants a peace deal first, said a diplomat.';
    const articleId = addArticle(svc, text);
    const local = await tagPhrase(svc, articleId, 'Washington wants', 'opinion');
    const sourceId = randomUUID();
    const groupId = randomUUID();
    const b = bundle(text, [
      { id: local.id, start: 0, end: 16, quote: 'Washington wants', label: 'claim' },
      { id: sourceId, start: 43, end: 53, quote: 'a diplomat', label: 'source' },
    ]);
    b.links = [
      {
        id: randomUUID(),
        claim_id: local.id,
        source_id: sourceId,
        kind: 'unnamed',
        annotator: 'Colleague',
        created_at: '2026-01-01T00:00:00.000Z',
      },
    ];
    b.groups = [
      {
        id: groupId,
        canonical: 'x',
        note: '',
        created_by: 'Colleague',
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
        members: [local.id],
      },
    ];
    const report = await importIt(b);
    expect(report.conflicts).toEqual([
      { id: local.id, reason: 'this id is already used here by a different annotation; the bundle’s was not imported' },
    ]);
    expect(report).toMatchObject({ annotationsAdded: 1, linksAdded: 0, groupsAdded: 0, membersAdded: 0 });
    expect(count('source_links')).toBe(0);
    expect(count('claim_groups')).toBe(0);
    expect((await call(svc.dispatch, 'annotations.list', { articleId })).find((a) => a.id === local.id)?.label).toBe('opinion');
  });

  it('reports two annotations with one id and different content, imports neither, and creates no empty group', async () => {
    const text = 'Washington wants a peace deal first.';
    const id = randomUUID();
    const b = bundle(text, [
      { id, start: 0, end: 10, quote: 'Washington' },
      { id, start: 19, end: 29, quote: 'peace deal' },
    ]);
    b.groups = [
      {
        id: randomUUID(),
        canonical: 'x',
        note: '',
        created_by: 'Colleague',
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
        members: [id],
      },
    ];
    const report = await importIt(b);
    expect(report.conflicts).toEqual([{ id, reason: 'the bundle holds two different annotations with this id; neither was imported' }]);
    expect(report.annotationsAlreadyPresent).toBe(0);
    expect(count('annotations')).toBe(0);
    expect(count('claim_groups')).toBe(0);
  });
});

describe('texts and labels pass the checks every import passes', () => {
  it('stores a bundle text normalised (no CR, no NUL, NFC), placing the annotations by their quotes', async () => {
    const raw = 'Cafe\u0301 owners\r\nsay the\u0000 deal is near.';
    const report = await importIt(bundle(raw, [{ start: 12, end: 15, quote: 'say', prefix: 'owners\r\n' }]));
    const article = (await call(svc.dispatch, 'articles.list', {}))[0];
    const stored = await call(svc.dispatch, 'articles.get', { id: article?.id as number });
    expect(stored.text).toBe('Café owners\nsay the deal is near.');
    expect(report.annotationsAdded).toBe(1);
    const [a] = await call(svc.dispatch, 'annotations.list', { articleId: stored.id });
    expect(a?.quote).toBe('say');
  });

  it('refuses a label the API would refuse (a shortcut "Z"), writing nothing', async () => {
    const b = bundle('Some text here.', [{ start: 0, end: 4, quote: 'Some', label: 'rumour' }], {
      labels: [{ id: 'rumour', name: 'Rumour', color: '#aa0000', shortcut: 'Z', description: '' }],
    });
    await expect(importIt(b)).rejects.toThrow('label "rumour": a shortcut is one digit or lowercase letter');
    expect(count('articles')).toBe(0);
  });
});
