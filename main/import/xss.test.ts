/**
 * Lets nothing in: every payload of the hostile corpus, in a news page, goes
 * through the real import pipeline into a database, and what is stored is
 * plain text: no markup, no handler, no script URL. (That plain text can only
 * ever become paragraphs and text in the article view is proved beside the
 * renderer's document builder, renderer/editor/hostile-text.test.ts, and in
 * the browser by e2e/hostile.spec.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_PARAGRAPHS, hostilePage, xssPayloads } from './fixtures/xss-payloads.js';
import { importInputs, type ImportInput } from './pipeline.js';
import { testService, type TestService } from '../test-support.js';

/** What would be markup, a handler or a script-bearing URL if a stored field were ever read as HTML. */
const DANGEROUS: readonly RegExp[] = [
  /<[a-z!/?]/i, // a tag, comment, end tag or processing instruction
  /\bon[a-z]+\s*=/i,
  /\b(?:java|vb)script\s*:/i,
  /\bdata\s*:\s*(?:text\/html|image\/svg)/i,
  /\b(?:srcdoc|formaction|http-equiv|xlink:href)\b/i,
  /\bexpression\s*\(/i,
  /@import\b/i,
  /beacon\.invalid/i,
];

interface StoredArticle {
  id: number;
  title: string;
  outlet: string | null;
  url: string | null;
  published_at: string | null;
  file_name: string | null;
  byline: string | null;
  text: string;
  length: number;
  content_hash: string;
}

let svc: TestService;
beforeAll(async () => {
  svc = await testService();
});
afterAll(() => svc.dispose());

const input = (display: string, html: string): ImportInput => {
  const bytes = new Uint8Array(Buffer.from(html, 'utf8'));
  return { display, size: bytes.length, read: () => Promise.resolve(bytes) };
};

async function importPage(name: string, html: string): Promise<StoredArticle> {
  const { results } = await importInputs(svc.db, [input(name, html)]);
  expect(results, name).toHaveLength(1);
  const [r] = results;
  expect(r?.status, `${name}: ${r?.message ?? ''}`).toBe('imported');
  const row = svc.db.prepare('SELECT * FROM articles WHERE id = ?').get(r?.articleId) as StoredArticle;
  // Stored whole: its full-text row is there too.
  const indexed = svc.db.prepare('SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ?').all('"Washington"') as { id: number }[];
  expect(indexed.map((x) => x.id)).toContain(row.id);
  return row;
}

/** The fields a reader of the page can see, as stored. */
const visible = (a: StoredArticle) => ({ title: a.title, outlet: a.outlet, byline: a.byline, file_name: a.file_name, text: a.text });

function expectPlain(a: StoredArticle, name: string, literals: readonly string[] = []): void {
  for (const [field, value] of Object.entries(visible(a))) {
    if (value === null) continue;
    // What the page showed as text may stay, as text; nothing else may look like markup.
    const rest = literals.reduce((v, l) => v.split(l).join(' '), value);
    for (const pattern of DANGEROUS) expect(rest, `${name}: ${field} matches ${pattern}`).not.toMatch(pattern);
    expect(value, `${name}: ${field} holds a control character`).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
  }
  expect(a.url === null || /^https?:\/\//.test(a.url), `${name}: url ${a.url}`).toBe(true);
  expect(a.published_at === null || !Number.isNaN(Date.parse(a.published_at))).toBe(true);
  for (const p of ARTICLE_PARAGRAPHS.slice(0, 2)) expect(a.text, name).toContain(p);
}

describe('the hostile corpus, imported page by page', () => {
  const payloads = xssPayloads();
  it('has a broad corpus', () => {
    expect(payloads.length).toBeGreaterThan(150);
    expect(new Set(payloads.map((p) => p.name)).size).toBe(payloads.length);
  });

  it.each(payloads.map((p, i) => [p.name, p, i] as const))('%s: stored as plain text', async (_name, payload, i) => {
    const page = hostilePage([payload], `Hostile sample ${i + 1}`);
    const a = await importPage(`sample-${i + 1}.html`, page);
    expectPlain(a, payload.name, payload.literal ? [payload.literal] : []);
    if (payload.literal) expect(Object.values(visible(a)).join('\n'), `${payload.name}: shown as text`).toContain(payload.literal);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the whole corpus in one page', () => {
  it('imports as plain text, the article paragraphs intact', async () => {
    const payloads = xssPayloads();
    const a = await importPage('everything.html', hostilePage(payloads, 'The whole corpus'));
    expectPlain(
      a,
      'everything',
      payloads.flatMap((p) => (p.literal ? [p.literal] : [])),
    );
    expect(a.text).toContain(ARTICLE_PARAGRAPHS[2]);
  });

  it('refuses a page with raw NUL bytes whole, storing nothing', async () => {
    const before = (svc.db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
    const { results } = await importInputs(svc.db, [
      input('nul.html', hostilePage([{ name: 'raw NUL', html: '<a href="java\u0000script:alert(1)">x</a>' }])),
    ]);
    expect(results[0]).toMatchObject({ status: 'failed', message: expect.stringMatching(/binary data/) });
    expect((svc.db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n).toBe(before);
  });
});

describe('other ways in', () => {
  it('a dataset or a pasted text cannot bring a script URL or control characters', async () => {
    const jsonl = [
      {
        title: 'Dataset\u001b[2J title\u0007',
        text: 'Body with a bell\u0007 and markers \u0002x\u0003.',
        url: 'javascript:alert(1)',
        outlet: 'Out\nlet',
        published_at: '<script>',
      },
      { title: 'Second', text: 'Another body.', url: ' https://example.org/a b ' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const { results } = await importInputs(svc.db, [input('data.jsonl', jsonl)]);
    expect(results.map((r) => r.status)).toEqual(['imported', 'imported']);
    const rows = results.map((r) =>
      svc.db.prepare('SELECT title, outlet, url, published_at, text FROM articles WHERE id = ?').get(r.articleId),
    );
    expect(rows).toEqual([
      { title: 'Dataset[2J title', outlet: 'Out let', url: null, published_at: null, text: 'Body with a bell and markers x.' },
      { title: 'Second', outlet: null, url: 'https://example.org/a%20b', published_at: null, text: 'Another body.' },
    ]);
    const pasted = await svc.dispatch('articles.createFromText', { text: 'Title\u001b]0;pwned\u0007\n\nBody\u0000 text.' });
    expect(pasted).toMatchObject({ ok: true, value: { title: 'Title]0;pwned' } });
  });
});
