import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from './api.js';
import { addArticle, testService, type TestService } from './test-support.js';

let svc: TestService;
beforeEach(async () => {
  svc = await testService();
});
afterEach(() => svc.dispose());

const TEXT = 'Rubio told EU officials that Washington wants a peace deal.\nKyiv insists on guarantees first.';

async function expectError(method: Parameters<TestService['dispatch']>[0], input: unknown, code: string, message: RegExp) {
  const before = svc.db.prepare('SELECT count(*) AS n FROM annotations').get();
  const r = await svc.dispatch(method, input);
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error.code).toBe(code);
    expect(r.error.message).toMatch(message);
  }
  expect(svc.db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual(before);
}

describe('annotations', () => {
  it('creates, lists in text order, updates and deletes, stamping annotator and times', async () => {
    const articleId = addArticle(svc, TEXT);
    const b = await call(svc.dispatch, 'annotations.create', {
      articleId,
      start: 29,
      end: 58,
      quote: 'Washington wants a peace deal',
      label: 'claim',
    });
    const a = await call(svc.dispatch, 'annotations.create', {
      articleId,
      start: 0,
      end: 5,
      quote: 'Rubio',
      label: 'source',
      note: 'Secretary of State',
    });
    expect(a.annotator).toBe('Tester');
    expect(a.prefix).toBe('');
    expect(a.suffix).toBe(' told EU officials that Washingt');
    expect(b.prefix).toBe('Rubio told EU officials that ');
    expect(Date.parse(a.createdAt)).not.toBeNaN();

    const list = await call(svc.dispatch, 'annotations.list', { articleId });
    expect(list.map((x) => x.id)).toEqual([a.id, b.id]);
    // The first screens only: tags starting before a code point.
    expect((await call(svc.dispatch, 'annotations.list', { articleId, startBefore: 29 })).map((x) => x.id)).toEqual([a.id]);
    expect((await call(svc.dispatch, 'annotations.list', { articleId, startBefore: 30 })).map((x) => x.id)).toEqual([a.id, b.id]);
    await expectError('annotations.list', { articleId, startBefore: -1 }, 'invalid_input', /startBefore/);

    const updated = await call(svc.dispatch, 'annotations.update', { id: b.id, label: 'opinion', note: 'loaded' });
    expect(updated).toMatchObject({ label: 'opinion', note: 'loaded', start: 29, end: 58 });
    expect(updated.updatedAt >= b.updatedAt).toBe(true);

    const { links, groupId, entityId, ...deleted } = await call(svc.dispatch, 'annotations.delete', { id: a.id });
    expect(deleted.id).toBe(a.id);
    expect([links, groupId, entityId]).toEqual([[], null, null]);
    expect((await call(svc.dispatch, 'annotations.list', { articleId })).map((x) => x.id)).toEqual([b.id]);

    // Undo of the delete puts it back exactly.
    const restored = await call(svc.dispatch, 'annotations.restore', { annotation: deleted });
    expect(restored).toEqual(deleted);
    expect(await call(svc.dispatch, 'articles.get', { id: articleId })).toMatchObject({ counts: { source: 1, opinion: 1 } });
  });

  it('allows overlapping annotations', async () => {
    const articleId = addArticle(svc, TEXT);
    await call(svc.dispatch, 'annotations.create', { articleId, start: 0, end: 10, quote: 'Rubio told', label: 'claim' });
    await call(svc.dispatch, 'annotations.create', { articleId, start: 6, end: 13, quote: 'told EU', label: 'opinion' });
    await call(svc.dispatch, 'annotations.create', { articleId, start: 0, end: 10, quote: 'Rubio told', label: 'source' });
    expect(await call(svc.dispatch, 'annotations.list', { articleId })).toHaveLength(3);
  });

  it('rejects bad ranges and quotes with a message naming the problem, writing nothing', async () => {
    const articleId = addArticle(svc, TEXT);
    await expectError(
      'annotations.create',
      { articleId, start: 5, end: 5, quote: '', label: 'claim' },
      'invalid_input',
      /empty or reversed range/,
    );
    await expectError(
      'annotations.create',
      { articleId, start: 8, end: 2, quote: 'x', label: 'claim' },
      'invalid_input',
      /empty or reversed/,
    );
    await expectError(
      'annotations.create',
      { articleId, start: 90, end: 200, quote: 'x', label: 'claim' },
      'invalid_input',
      /outside the article.*93 code points/,
    );
    await expectError(
      'annotations.create',
      { articleId, start: 0, end: 5, quote: 'Rubia', label: 'claim' },
      'invalid_input',
      /quote does not match.*"Rubio"/,
    );
    await expectError('annotations.create', { articleId, start: -1, end: 5, quote: 'Rubio', label: 'claim' }, 'invalid_input', /start/);
    await expectError(
      'annotations.create',
      { articleId, start: 0, end: 5, quote: 'Rubio', label: 'rumour' },
      'invalid_input',
      /unknown label "rumour"/,
    );
    await expectError(
      'annotations.create',
      { articleId: 999, start: 0, end: 5, quote: 'Rubio', label: 'claim' },
      'not_found',
      /no article with id 999/,
    );
    await expectError(
      'annotations.create',
      { articleId, start: 0, end: 5, quote: 'Rubio', label: 'claim', extra: 1 },
      'invalid_input',
      /Unrecognized key/,
    );
    await expectError('annotations.update', { id: '00000000-0000-4000-8000-000000000000', label: 'claim' }, 'not_found', /no annotation/);
    await expectError('nope.method', {}, 'unknown_method', /unknown API method "nope.method"/);
  });

  it('refuses to tag before an annotator is set', async () => {
    svc.dispose();
    svc = await testService({ annotator: null });
    const articleId = addArticle(svc, TEXT);
    expect((await call(svc.dispatch, 'app.info', {})).annotator).toBeNull();
    await expectError('annotations.create', { articleId, start: 0, end: 5, quote: 'Rubio', label: 'claim' }, 'conflict', /annotator/);
  });

  it('keeps code-point offsets right for emoji and accents, through the API and a reopen', async () => {
    const text = 'Zelensky 🇺🇦 said: “Ça suffit” 😀 — Kyiv’s position.';
    const articleId = addArticle(svc, text);
    const chars = [...text];
    const start = chars.indexOf('“');
    const end = start + [...'“Ça suffit”'].length;
    expect(start).toBe(18); // python3: t.index('“') == 18 for this text
    const a = await call(svc.dispatch, 'annotations.create', { articleId, start, end, quote: '“Ça suffit”', label: 'claim' });
    expect(a.prefix.endsWith('said: ')).toBe(true);
    expect(a.suffix.startsWith(' 😀 — Kyiv')).toBe(true);
    const kyiv = chars.indexOf('K');
    await call(svc.dispatch, 'annotations.create', { articleId, start: kyiv, end: kyiv + 6, quote: 'Kyiv’s', label: 'source' });

    const file = svc.file;
    svc.close();
    const { openService } = await import('./service.js');
    const reopened = openService(file, { seed: false });
    const list = await call(reopened.dispatch, 'annotations.list', { articleId });
    expect(list.map((x) => [x.start, x.end, chars.slice(x.start, x.end).join('')])).toEqual([
      [18, 29, '“Ça suffit”'],
      [kyiv, kyiv + 6, 'Kyiv’s'],
    ]);
    reopened.close();
  });
});

describe('seeds', () => {
  it('imports the bundled corpus into an empty database once, title from the first line', async () => {
    svc.dispose();
    svc = await testService({ seed: true });
    const articles = await call(svc.dispatch, 'articles.list', {});
    expect(articles).toHaveLength(5);
    expect(articles[0]?.title).toBe('U.S. seeks peace deal with Russia before offering security guarantees to Ukraine — Politico');
    expect(articles[1]?.title).toBe('US Urges Ukraine to Sign Peace Deal Before Security Guarantees');
    const second = await call(svc.dispatch, 'articles.get', { id: articles[1]?.id ?? 0 });
    expect(second.text.startsWith('Washington is pushing for Ukraine')).toBe(true);
    expect(second.text.split('\n\n').length).toBeGreaterThan(2); // paragraphs kept
    expect(second.fileName).toBe('001_efa086cf72b01ba9.txt');
    // Reopening does not import again.
    const { openService } = await import('./service.js');
    svc.close();
    const again = openService(svc.file, { seed: true });
    expect(await call(again.dispatch, 'articles.list', {})).toHaveLength(5);
    again.close();
  });
});
