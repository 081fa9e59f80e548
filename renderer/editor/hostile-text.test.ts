/**
 * Whatever text an article holds (a stored article is plain text; see
 * main/import/xss.test.ts), the article view builds nothing from it but
 * paragraphs of text: markup-like text stays text, in the document and in the
 * DOM that ProseMirror renders from it.
 */
import fc from 'fast-check';
import { JSDOM } from 'jsdom';
import { DOMSerializer, type Node } from 'prosemirror-model';
import { describe, expect, it } from 'vitest';
import { ArticleDocument } from './document.js';
import { articleSchema } from './schema.js';

/** Markup a hostile page may leave as text (entity-encoded, or inside a text-only element). */
const HOSTILE_TEXT = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">',
  '" onmouseover="alert(1)',
  '<svg onload=alert(1)>',
  '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">',
  '<meta http-equiv="refresh" content="0;url=https://beacon.invalid">',
  '<base href="https://beacon.invalid/"><link rel=import href=x>',
  '<!--><img src=x onerror=alert(1)>-->',
  ']]><![CDATA[<script>alert(1)</script>',
  '<style>@import "https://beacon.invalid/x.css"</style>',
  '<form action="javascript:alert(1)"><button formaction=javascript:alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x3C;',
  '\u202Ereversed\u200B text\u2066isolate\u2069 ＜script＞',
];

const dom = new JSDOM('<!doctype html><body></body>');
const serializer = DOMSerializer.fromSchema(articleSchema);

function expectOnlyParagraphsOfText(text: string): void {
  const built = new ArticleDocument(text);
  const { doc } = built;
  doc.check();
  const types = new Set<string>();
  doc.descendants((n: Node) => {
    types.add(n.type.name);
    expect(n.marks).toEqual([]);
  });
  for (const t of types) expect(['chunk', 'paragraph', 'text']).toContain(t);
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const paragraphs: Node[] = [];
  doc.descendants((n: Node) => {
    if (n.type.name === 'paragraph') paragraphs.push(n);
    return n.type.name !== 'paragraph';
  });
  expect(paragraphs).toHaveLength(Math.max(1, lines.length));
  lines.forEach((line, i) => expect(paragraphs[i]?.textContent).toBe(line));

  // Rendered: chunk <div>s of <p> elements holding text nodes, nothing else.
  const container = dom.window.document.createElement('div');
  container.appendChild(serializer.serializeFragment(doc.content, { document: dom.window.document }));
  for (const el of container.querySelectorAll('*'))
    expect(el.tagName === 'P' || (el.tagName === 'DIV' && el.className === 'chunk' && el.attributes.length === 1)).toBe(true);
  const ps = [...container.querySelectorAll('p')];
  for (const p of ps) for (const child of p.childNodes) expect(child.nodeType).toBe(dom.window.Node.TEXT_NODE);
  expect(ps.map((p) => p.textContent)).toEqual(lines.length > 0 ? lines : ['']);
}

describe('hostile text in the article view', () => {
  it.each(HOSTILE_TEXT)('%s stays text', (line) => {
    expectOnlyParagraphsOfText(`A first paragraph.\n\n${line}\n\nA last paragraph with ${line} inside.`);
  });

  it('any text becomes paragraphs of that same text', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      fc.constantFrom(...HOSTILE_TEXT, '\n', '\n\n', ' ', '\t'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => expectOnlyParagraphsOfText(pieces.join(''))),
      { numRuns: 300 },
    );
  });
});
