/** What the readers make of Markdown, dataset dates and saved web pages' titles, outlets and bylines. */
import { describe, expect, it } from 'vitest';
import { readArticles } from './readers.js';
import { stripSiteName } from './html.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
async function one(name: string, content: string) {
  const [o] = await readArticles(name, utf8(content));
  if (!o || 'error' in o) throw new Error(`expected an article, got ${JSON.stringify(o)}`);
  return o;
}

describe('Markdown is read as the text a reader sees', () => {
  it('drops emphasis, bullets, quote marks and link targets, and keeps paragraphs', async () => {
    const md = [
      '# Peace **deal** first',
      '',
      'Rubio *insisted* on a **peace deal** before [guarantees](https://example.com/g).',
      'Same paragraph, next line.',
      '',
      '- first point',
      '- second point',
      '',
      '> Kyiv wants `assurances`.',
      '',
      '---',
      '',
      '1. numbered',
    ].join('\n');
    const { article } = await one('a.md', md);
    expect(article.title).toBe('Peace deal first');
    expect(article.text).toBe(
      [
        'Rubio insisted on a peace deal before guarantees. Same paragraph, next line.',
        'first point',
        'second point',
        'Kyiv wants assurances.',
        'numbered',
      ].join('\n\n'),
    );
  });

  it('takes a first paragraph that is a sentence as the title and keeps it in the body', async () => {
    const { article } = await one('b.md', 'Rubio said **this** first.\n\nMore text.');
    expect(article).toEqual({ title: 'Rubio said this first.', text: 'Rubio said this first.\n\nMore text.' });
  });
});

describe('a dataset date that is not one', () => {
  it('imports the record without a date and says so', async () => {
    const out = await readArticles(
      'd.jsonl',
      utf8(
        `${JSON.stringify({ text: 'Body.', published_at: 'next Tuesday' })}\n${JSON.stringify({ text: 'Other.', published_at: '2025-11-24' })}\n`,
      ),
    );
    expect(out.map((o) => ('warning' in o ? o.warning : undefined))).toEqual([
      'imported without a date: "published_at" "next Tuesday" is not a date',
      undefined,
    ]);
    expect(out.map((o) => ('article' in o ? o.article.publishedAt : 'failed'))).toEqual([null, '2025-11-24T00:00:00.000Z']);
  });
});

const page = (head: string, body = `<article><p>${'The body of the article says something. '.repeat(20)}</p></article>`) =>
  `<html><head>${head}</head><body>${body}</body></html>`;

describe('saved web pages', () => {
  it('shows the title without the site’s name', async () => {
    const wiki = await one(
      'w.html',
      page(
        '<title>New Zealand - Wikipedia</title><link rel="canonical" href="https://en.wikipedia.org/wiki/New_Zealand"><script type="application/ld+json">{"@context":"https://schema.org","@type":"Article","name":"New Zealand","headline":"Wikimedia list article","publisher":{"@type":"Organization","name":"Wikimedia Foundation, Inc."}}</script>',
      ),
    );
    expect(wiki.article.title).toBe('New Zealand');
    const bbc = await one(
      'b.html',
      page('<title>Obama admits he was wrong - BBC News</title><meta property="og:site_name" content="BBC News">'),
    );
    expect(bbc.article.title).toBe('Obama admits he was wrong');
    const piped = await one(
      'p.html',
      page('<title>Reuters | Talks resume in Geneva on Monday</title><link rel="canonical" href="https://www.reuters.com/world/x">'),
    );
    expect(piped.article.title).toBe('Talks resume in Geneva on Monday');
    // A dash inside a headline is not a site name.
    expect(stripSiteName('Kyiv - Moscow talks resume', [], 'example.org')).toBe('Kyiv - Moscow talks resume');
  });

  it('takes the outlet from og:site_name, then JSON-LD publisher, then the canonical URL’s host', async () => {
    expect((await one('a.html', page('<title>T</title><meta property="og:site_name" content="The Outlet">'))).article.outlet).toBe(
      'The Outlet',
    );
    expect(
      (
        await one(
          'b.html',
          page(
            '<title>T</title><script type="application/ld+json">{"@type":"NewsArticle","publisher":{"@type":"Organization","name":"Publisher Name"}}</script>',
          ),
        )
      ).article.outlet,
    ).toBe('Publisher Name');
    expect(
      (await one('c.html', page('<title>T</title><link rel="canonical" href="https://www.example-news.com/2025/a">'))).article.outlet,
    ).toBe('example-news.com');
  });

  it('takes bylines only from author metadata, never from page furniture', async () => {
    const furniture = page(
      '<title>T</title>',
      `<div class="byline">Authority control</div><article><p>${'The body of the article says something. '.repeat(20)}</p></article>`,
    );
    expect((await one('f.html', furniture)).article.byline).toBeNull();
    expect((await one('m.html', page('<title>T</title><meta name="author" content="Jane Reporter">'))).article.byline).toBe(
      'Jane Reporter',
    );
    expect(
      (
        await one(
          'u.html',
          page(
            '<title>T</title><meta property="article:author" content="https://facebook.com/someone"><script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Ld Author"}}</script>',
          ),
        )
      ).article.byline,
    ).toBe('Ld Author');
  });
});
