import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makePdf } from './fixtures/make-pdf.js';
import { readArticles } from './readers.js';
import type { ParsedArticle, ReadOutcome } from './types.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', name)));
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

async function one(name: string, bytes: Uint8Array): Promise<ParsedArticle> {
  const [outcome, ...rest] = await readArticles(name, bytes);
  expect(rest).toEqual([]);
  if (!outcome || 'error' in outcome) throw new Error(`expected an article, got ${JSON.stringify(outcome)}`);
  return outcome.article;
}

async function failure(name: string, bytes: Uint8Array): Promise<string> {
  const [outcome] = await readArticles(name, bytes);
  if (!outcome || !('error' in outcome)) throw new Error(`expected an error, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

describe('plain text and Markdown', () => {
  const body = 'Washington wants a peace deal first.\r\n\r\nKyiv disagrees — café “quote”.\r\n';
  it('reads UTF-8 with a BOM, normalises line endings and Unicode', async () => {
    const a = await one('a.txt', utf8(`\uFEFFTitle line\r\n\r\n${body.replace('é', 'e\u0301')}`));
    expect(a.title).toBe('Title line');
    expect(a.text).toBe('Washington wants a peace deal first.\n\nKyiv disagrees — café “quote”.');
  });

  it('reads UTF-16 LE and BE with a BOM', async () => {
    const text = `Title\n${body}`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    expect((await one('le.txt', new Uint8Array(le))).text).toContain('café “quote”');
    expect((await one('be.txt', new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), be])))).text).toContain('café “quote”');
  });

  it('falls back to Windows-1252 for text that is not UTF-8', async () => {
    // "café “quote” – €5" in Windows-1252
    const bytes = new Uint8Array([
      ...Buffer.from('Title\n\ncaf', 'latin1'),
      0xe9,
      0x20,
      0x93,
      ...Buffer.from('quote', 'latin1'),
      0x94,
      0x20,
      0x96,
      0x20,
      0x80,
      0x35,
    ]);
    expect((await one('w.txt', bytes)).text).toBe('café “quote” – €5');
  });

  it('takes a Markdown title without its heading marks', async () => {
    expect((await one('a.md', utf8('\n\n## Peace deal first ##\n\nBody text.'))).title).toBe('Peace deal first');
  });

  it('refuses empty, whitespace-only, title-only and binary files', async () => {
    expect(await failure('e.txt', new Uint8Array())).toBe('the file is empty');
    expect(await failure('w.txt', utf8('  \n\n '))).toBe('the file is empty');
    expect(await failure('t.txt', utf8('Only a title\n'))).toMatch(/no article text/);
    expect(await failure('s.txt', utf8('Only one sentence.\n'))).toMatch(/no article text/);
    expect(await failure('b.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]))).toMatch(/binary data/);
  });

  it('refuses unsupported types and files over the size limit', async () => {
    expect(await failure('photo.png', utf8('x'))).toMatch(/not a supported file type \(\.png\)/);
    expect(await failure('big.txt', new Uint8Array(50 * 1024 * 1024 + 1))).toMatch(/50.0 MB, over the 50 MB limit/);
  });
});

describe('saved web pages', () => {
  it('extracts the article body and metadata of a real news page and drops the rest', async () => {
    const a = await one('news-page.html', fixture('news-page.html'));
    expect(a.title).toBe('Trump commits in principle to Ukraine ‘security guarantees’ after Putin summit');
    expect(a.outlet).toBe('New York Post');
    expect(a.url).toBe('https://nypost.com/2025/08/16/us-news/trump-commits-to-ukraine-security-guarantees/');
    expect(a.publishedAt).toBe('2025-08-16T22:42:11.000Z');
    expect(a.byline).toBe('Caitlin Doornbos');
    const paragraphs = a.text.split('\n\n');
    expect(paragraphs).toContain(
      'The security may amount to a European-led initiative with America’s support, a source familiar with the talks said.',
    );
    expect(
      paragraphs[
        paragraphs.indexOf(
          'The security may amount to a European-led initiative with America’s support, a source familiar with the talks said.',
        ) - 1
      ],
    ).toMatch(/^The precise contours/);
    for (const junk of [
      'Subscribe now',
      'Sports',
      'Advertisement',
      'First! This is',
      'All Rights Reserved',
      'Yankees',
      'HACKED',
      'alert',
      'javascript',
    ]) {
      expect(a.text).not.toContain(junk);
    }
  });

  it('falls back to the body text for a page that is not article-shaped', async () => {
    const a = await one(
      'short.html',
      utf8('<html><head><title>Note</title></head><body><p>Short note one.</p><p>Short note two.</p><script>x()</script></body></html>'),
    );
    expect(a.title).toBe('Note');
    expect(a.text).toBe('Short note one.\n\nShort note two.');
  });

  it('reports a page with no text', async () => {
    expect(await failure('empty.html', utf8('<html><body><script>alert(1)</script><img src=x onerror=alert(1)></body></html>'))).toMatch(
      /no article text/,
    );
  });
});

describe('Word and PDF documents', () => {
  it('reads the paragraphs of a .docx, the first as the title', async () => {
    const a = await one('rubio.docx', fixture('rubio.docx'));
    expect(a.title).toBe('Rubio: peace deal before security guarantees');
    expect(a.text).toBe(
      'US Secretary of State Marco Rubio told European allies that Washington will insist on a peace deal before agreeing to long-term security guarantees for Ukraine.\n\nThis is reported by Politico, citing sources. Kyiv’s officials disagree.',
    );
  });

  it('refuses a .docx that is not a Word document', async () => {
    expect(await failure('fake.docx', utf8('hello'))).toMatch(/not a Word document/);
    expect(await failure('broken.docx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toMatch(/not a readable Word document/);
  });

  it('reads a PDF text layer, rejoining lines and hyphenated words into paragraphs', async () => {
    const pdf = makePdf([
      [
        'Peace deal first, says Washington',
        '',
        'The US wants a peace deal before it offers se-',
        'curity guarantees to Ukraine, officials',
        'said on Friday.',
        '',
        'Kyiv disagrees.',
      ],
      ['A second page with long-', 'Standing words.'],
    ]);
    const a = await one('report.pdf', pdf);
    expect(a.title).toBe('Peace deal first, says Washington');
    expect(a.text).toBe(
      'The US wants a peace deal before it offers security guarantees to Ukraine, officials said on Friday.\n\nKyiv disagrees.\n\nA second page with long-Standing words.',
    );
  });

  it('says so when a PDF has no text layer, or is not a PDF', async () => {
    expect(await failure('scan.pdf', makePdf([[]]))).toBe('no text layer (scanned image?)');
    expect(await failure('fake.pdf', utf8('hello world'))).toMatch(/not a PDF file/);
    expect(await failure('broken.pdf', utf8('%PDF-1.4\ngarbage'))).toMatch(/not a readable PDF|no text layer/);
  });
});

describe('datasets', () => {
  it('reads JSONL records and reports the bad lines by number', async () => {
    const lines = [
      JSON.stringify({
        id: 'a1',
        title: 'First',
        text: 'Peace deal first.',
        outlet: 'Politico',
        url: 'https://politico.eu/x',
        published_at: '2025-11-24',
      }),
      '',
      JSON.stringify({ id: 'a2', text: 'Second article text without a title.' }),
      '{"id": "a3", "title": "broken"',
      JSON.stringify({ id: 'a4', title: 'No text' }),
      JSON.stringify({ text: 42 }),
    ].join('\n');
    const out = await readArticles('data.jsonl', utf8(lines));
    const summary = out.map((o) => ('error' in o ? `${o.source}: ${o.error}` : `${o.source}: ${o.article.title}`));
    expect(summary).toEqual([
      'data.jsonl: line 1 (id a1): First',
      'data.jsonl: line 3 (id a2): Second article text without a title.',
      'data.jsonl: line 4: not valid JSON',
      'data.jsonl: line 5 (id a4): missing "text"',
      'data.jsonl: line 6: "text" must be a string',
    ]);
    const first = out[0] as Extract<ReadOutcome, { article: unknown }>;
    expect(first.article).toMatchObject({ outlet: 'Politico', url: 'https://politico.eu/x', publishedAt: '2025-11-24T00:00:00.000Z' });
  });

  it('reads a JSON array or an { articles: [...] } object', async () => {
    expect(await readArticles('d.json', utf8(JSON.stringify([{ text: 'One.' }, { text: 'Two.' }])))).toHaveLength(2);
    expect(await readArticles('d.json', utf8(JSON.stringify({ articles: [{ text: 'One.' }] })))).toHaveLength(1);
    expect(await failure('d.json', utf8('{"text": '))).toMatch(/not valid JSON/);
    expect(await failure('d.json', utf8('[]'))).toMatch(/no records/);
  });
});

describe('every reader, fed random input', () => {
  const names = ['x.txt', 'x.md', 'x.html', 'x.htm', 'x.docx', 'x.pdf', 'x.json', 'x.jsonl'];

  it('returns articles or clear errors for random bytes, never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.uint8Array({ maxLength: 2000 }), async (name, bytes) => {
        const out = await readArticles(name, bytes);
        expect(out.length).toBeGreaterThan(0);
        for (const o of out) {
          if ('error' in o) expect(o.error.length).toBeGreaterThan(3);
          else expect(o.article.text.trim().length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('returns articles or clear errors for random strings, never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.string({ unit: 'binary', maxLength: 1000 }), async (name, text) => {
        const out = await readArticles(name, utf8(text));
        for (const o of out) expect('error' in o ? o.error : o.article.title).toEqual(expect.any(String));
      }),
      { numRuns: 150 },
    );
  });
});

describe('a lede as the first line', () => {
  it('keeps a first line that is a sentence in the body too, so it can be tagged', async () => {
    const a = await one('lede.txt', utf8('Rubio said the US will insist on a peace deal first.\nThis is reported by Politico.'));
    expect(a.title).toBe('Rubio said the US will insist on a peace deal first.');
    expect(a.text).toBe('Rubio said the US will insist on a peace deal first.\nThis is reported by Politico.');
    const h = await one('headline.txt', utf8('Peace deal first, says Rubio\n\nThis is reported by Politico.'));
    expect(h.text).toBe('This is reported by Politico.');
  });
});
