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
import { MAX_HTML_DEPTH, MAX_HTML_ELEMENTS } from './limits.js';
import { joinParagraphs } from './plain.js';
import { capLine, MAX_TITLE_CHARS } from '../../shared/text.js';
import { ReadError, type ParsedArticle } from './types.js';

/** Elements and attributes that may survive sanitising: text structure only. */
const ALLOWED_TAGS = [
  'html',
  'head',
  'body',
  'title',
  'article',
  'main',
  'section',
  'header',
  'footer',
  'div',
  'span',
  'p',
  'br',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'em',
  'strong',
  'b',
  'i',
  'u',
  'a',
  'time',
  'figure',
  'figcaption',
  'nav',
  'aside',
  'table',
  'tr',
  'td',
  'th',
  'tbody',
  'thead',
  'q',
  'cite',
  'small',
  'sup',
  'sub',
];
const ALLOWED_ATTR = ['class', 'id', 'datetime', 'lang', 'dir'];

function createDom(html: string): JSDOM {
  // No `runScripts` and no `resources`: jsdom neither executes nor fetches anything.
  // A console that goes nowhere: a page's broken CSS must not write to the host's stderr.
  return new JSDOM(html, { contentType: 'text/html', virtualConsole: new VirtualConsole() });
}

let purifier: ReturnType<typeof createDOMPurify> | null = null;
const PURIFY = { WHOLE_DOCUMENT: true, ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOWED_URI_REGEXP: /^$/ };
const purify = () => (purifier ??= createDOMPurify(createDom('').window as unknown as Parameters<typeof createDOMPurify>[0]));

/** DOMPurify, configured to keep nothing but text structure. */
export function sanitizeHtml(html: string): string {
  return purify().sanitize(html, PURIFY) as unknown as string;
}

/**
 * The sanitised page as a document, without writing it out and parsing it
 * again: each parse of a page costs its full size in time and memory (a 15 MB
 * page: about 8 s and 300 MB), and the reader's memory per file is limited.
 */
function sanitizedDocument(html: string): Document {
  return (purify().sanitize(html, { ...PURIFY, RETURN_DOM: true }) as unknown as Element).ownerDocument;
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

/** The host of an http(s) URL without "www.", or undefined. */
function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.replace(/^www\./i, '') || undefined;
  } catch {
    return undefined;
  }
}

const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** Separators sites put between a headline and their name ("Headline - BBC News", "Site | Headline"). */
const SEPARATOR = /\s+[|\-–—:·•»«\/]{1,2}\s+/gu;

/**
 * The headline without the site's name, as reader modes show it: a first or
 * last part that names the site (its outlet name, or a label of its host such
 * as "wikipedia" in en.wikipedia.org) is dropped; failing that, a short last
 * part after " | " or " - " under a long headline is taken for the site's name.
 */
export function stripSiteName(title: string, siteNames: readonly string[], host: string | undefined): string {
  const parts: { text: string; sepStart: number; sepEnd: number }[] = [];
  for (const m of title.matchAll(SEPARATOR)) parts.push({ text: m[0], sepStart: m.index, sepEnd: m.index + m[0].length });
  if (parts.length === 0) return title;
  const names = siteNames.map(squash).filter((n) => n.length >= 2);
  const labels = (host ?? '').split('.').filter((l) => l.length >= 3 && l !== 'www' && l !== 'com' && l !== 'org' && l !== 'net');
  const namesSite = (part: string) => {
    const p = squash(part);
    return (
      p !== '' &&
      (names.some((n) => n === p || (p.length >= 4 && n.startsWith(p)) || (n.length >= 4 && p.startsWith(n))) ||
        labels.some((l) => p === l || p.startsWith(l)))
    );
  };
  const first = parts[0] as (typeof parts)[number];
  const last = parts[parts.length - 1] as (typeof parts)[number];
  const head = title.slice(0, last.sepStart);
  const tail = title.slice(last.sepEnd);
  if (namesSite(tail) && head.trim() !== '') return head.trim();
  const lead = title.slice(0, first.sepStart);
  const rest = title.slice(first.sepEnd);
  if (namesSite(lead) && rest.trim() !== '') return rest.trim();
  const words = (s: string) => s.trim().split(/\s+/).length;
  if (/^\s+[|-]\s+$/.test(last.text) && words(tail) <= 3 && words(head) >= 4) return head.trim();
  return title;
}

function readMetadata(doc: Document): Metadata {
  const ld = jsonLdArticles(doc)[0] ?? {};
  const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? undefined;
  const httpUrl = (u: string | undefined) => (u && /^https?:\/\//i.test(u) ? u : undefined);
  const url = httpUrl(canonical) ?? httpUrl(meta(doc, 'og:url')) ?? httpUrl(typeof ld.url === 'string' ? ld.url : undefined);
  const host = hostOf(url);
  const siteName = meta(doc, 'og:site_name') ?? nameOf(ld.publisher);
  // A JSON-LD headline comes last: some sites put a description there ("Wikimedia list article").
  const headline = typeof ld.headline === 'string' && ld.headline !== ld.description ? ld.headline : undefined;
  const rawTitle = meta(doc, 'og:title', 'twitter:title') ?? (doc.title.trim() || undefined) ?? headline;
  const siteNames = [siteName, meta(doc, 'application-name'), nameOf(ld.publisher)].filter((n): n is string => !!n);
  // Bylines come only from author metadata: text near the headline is often page furniture.
  const byline = [meta(doc, 'author'), meta(doc, 'article:author'), nameOf(ld.author)].find((b) => b && !/^https?:\/\//i.test(b));
  return {
    title: rawTitle === undefined ? undefined : stripSiteName(rawTitle.replace(/\s+/g, ' ').trim(), siteNames, host),
    outlet: siteName ?? meta(doc, 'application-name') ?? host,
    url,
    publishedAt: isoDate(
      meta(doc, 'article:published_time', 'datePublished', 'pubdate', 'date') ??
        (typeof ld.datePublished === 'string' ? ld.datePublished : undefined),
    ),
    byline,
  };
}

/**
 * Refuses a page too big or too deeply nested to extract: reader-mode
 * extraction slows sharply with nesting (4,000 nested elements did not finish
 * in minutes) and its memory grows with the element count. Walks the tree
 * without recursion, so depth itself cannot overflow the stack.
 */
function checkShape(doc: Document): void {
  let elements = 0;
  let depth = 0;
  let deepest = 0;
  let el: Element | null = doc.documentElement;
  while (el) {
    elements++;
    if (elements > MAX_HTML_ELEMENTS)
      throw new ReadError(`the page has more than ${MAX_HTML_ELEMENTS.toLocaleString('en')} elements (the limit for a web page)`);
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_HTML_DEPTH)
      throw new ReadError(`the page is nested more than ${MAX_HTML_DEPTH} elements deep (the limit for a web page)`);
    if (el.firstElementChild) {
      el = el.firstElementChild;
      depth++;
      continue;
    }
    while (el && !el.nextElementSibling) {
      el = el.parentElement;
      depth--;
    }
    el = el?.nextElementSibling ?? null;
  }
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
  let metadata: Metadata;
  try {
    checkShape(original.window.document);
    metadata = readMetadata(original.window.document);
  } finally {
    original.window.close();
  }

  const doc = sanitizedDocument(html);
  const parsed = new Readability(doc, { charThreshold: 200 }).parse();
  const paragraphs = parsed?.content ? blockTexts(sanitizedDocument(`<body>${parsed.content}</body>`).body) : blockTexts(doc.body);

  const title = capLine((metadata.title ?? parsed?.title ?? '').replace(/\s+/g, ' ').trim(), MAX_TITLE_CHARS);
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
    byline: metadata.byline ?? null,
  };
}
