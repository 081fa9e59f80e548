/**
 * Saved news pages: metadata from the page head (Open Graph, article:*,
 * JSON-LD NewsArticle, canonical link), the body extracted the way reader
 * modes do (Mozilla Readability on jsdom), sanitised with DOMPurify first.
 * jsdom here never runs scripts and never loads a resource; only the text of
 * block elements is kept, so no markup of the page ever reaches the app.
 */
import { Readability } from '@mozilla/readability';
import createDOMPurify from 'dompurify';
import { JSDOM, VirtualConsole } from 'jsdom';
import { joinParagraphs } from './plain.js';
import { ReadError, type ParsedArticle } from './types.js';

/** Elements and attributes that may survive sanitising: text structure only. */
const ALLOWED_TAGS = ['html', 'head', 'body', 'title', 'article', 'main', 'section', 'header', 'footer', 'div', 'span', 'p', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'em', 'strong', 'b', 'i', 'u', 'a', 'time', 'figure', 'figcaption', 'nav', 'aside', 'table', 'tr', 'td', 'th', 'tbody', 'thead', 'q', 'cite', 'small', 'sup', 'sub'];
const ALLOWED_ATTR = ['class', 'id', 'datetime', 'lang', 'dir'];

function createDom(html: string): JSDOM {
  // No `runScripts` and no `resources`: jsdom neither executes nor fetches anything.
  // A console that goes nowhere: a page's broken CSS must not write to the host's stderr.
  return new JSDOM(html, { contentType: 'text/html', virtualConsole: new VirtualConsole() });
}

let purifier: ReturnType<typeof createDOMPurify> | null = null;
/** DOMPurify, configured to keep nothing but text structure. */
export function sanitizeHtml(html: string): string {
  purifier ??= createDOMPurify(createDom('').window as unknown as Parameters<typeof createDOMPurify>[0]);
  return purifier.sanitize(html, { WHOLE_DOCUMENT: true, ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOWED_URI_REGEXP: /^$/ }) as unknown as string;
}

interface Metadata {
  title?: string;
  outlet?: string;
  url?: string;
  publishedAt?: string;
  byline?: string;
}

function meta(doc: Document, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const el = doc.querySelector(`meta[property="${key}"], meta[name="${key}"], meta[itemprop="${key}"]`);
    const v = el?.getAttribute('content')?.trim();
    if (v) return v;
  }
  return undefined;
}

function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

type JsonLd = Record<string, unknown>;

function jsonLdArticles(doc: Document): JsonLd[] {
  const out: JsonLd[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const obj = node as JsonLd;
    const type = obj['@type'];
    const types = Array.isArray(type) ? type : [type];
    if (types.some((t) => typeof t === 'string' && /Article$|^Report$|^BlogPosting$/.test(t))) out.push(obj);
    if (obj['@graph']) visit(obj['@graph']);
  };
  for (const s of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(s.textContent ?? ''));
    } catch {
      // A broken JSON-LD block is ignored: the page's other metadata still counts.
    }
  }
  return out;
}

function nameOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(nameOf).filter(Boolean).join(', ') || undefined;
  if (v && typeof v === 'object' && typeof (v as JsonLd).name === 'string') return (v as JsonLd).name as string;
  return undefined;
}

function readMetadata(doc: Document): Metadata {
  const ld = jsonLdArticles(doc)[0] ?? {};
  const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? undefined;
  const httpUrl = (u: string | undefined) => (u && /^https?:\/\//i.test(u) ? u : undefined);
  return {
    title: meta(doc, 'og:title', 'twitter:title') ?? (typeof ld.headline === 'string' ? ld.headline : undefined) ?? (doc.title.trim() || undefined),
    outlet: meta(doc, 'og:site_name', 'application-name') ?? nameOf(ld.publisher),
    url: httpUrl(canonical) ?? httpUrl(meta(doc, 'og:url')) ?? httpUrl(typeof ld.url === 'string' ? ld.url : undefined),
    publishedAt: isoDate(meta(doc, 'article:published_time', 'datePublished', 'pubdate', 'date') ?? (typeof ld.datePublished === 'string' ? ld.datePublished : undefined)),
    byline: meta(doc, 'author', 'article:author') ?? nameOf(ld.author),
  };
}

const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, td';

/** Text of each innermost block element, in document order. */
function blockTexts(root: Element): string[] {
  const out: string[] = [];
  for (const el of root.querySelectorAll(BLOCKS)) {
    if (el.querySelector(BLOCKS)) continue; // the inner blocks speak for it
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  if (out.length === 0) {
    const all = (root.textContent ?? '').split(/\n\s*\n/).map((t) => t.replace(/\s+/g, ' ').trim());
    out.push(...all.filter(Boolean));
  }
  return out;
}

export function parseHtmlArticle(html: string): ParsedArticle {
  if (html.trim() === '') throw new ReadError('the file is empty');
  const original = createDom(html);
  const metadata = readMetadata(original.window.document);
  original.window.close();

  const clean = createDom(sanitizeHtml(html));
  const doc = clean.window.document;
  const parsed = new Readability(doc, { charThreshold: 200 }).parse();
  let paragraphs: string[];
  if (parsed?.content) {
    const body = createDom(`<body>${sanitizeHtml(parsed.content)}</body>`);
    paragraphs = blockTexts(body.window.document.body);
    body.window.close();
  } else {
    paragraphs = blockTexts(doc.body);
  }
  clean.window.close();

  const title = (metadata.title ?? parsed?.title ?? '').replace(/\s+/g, ' ').trim();
  // Readability sometimes keeps the headline as the first paragraph.
  if (paragraphs[0] && paragraphs[0] === title) paragraphs.shift();
  const text = joinParagraphs(paragraphs);
  if (text === '') throw new ReadError('no article text found in the page');
  return {
    title: title || (paragraphs[0] ?? 'Untitled').slice(0, 120),
    text,
    outlet: metadata.outlet ?? parsed?.siteName ?? null,
    url: metadata.url ?? null,
    publishedAt: metadata.publishedAt ?? isoDate(parsed?.publishedTime ?? undefined) ?? null,
    byline: metadata.byline ?? parsed?.byline ?? null,
  };
}
