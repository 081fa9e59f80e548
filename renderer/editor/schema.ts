import { Schema } from 'prosemirror-model';

/**
 * The article schema: a document of plain paragraphs. Nothing else can be
 * shown, so no imported markup ever reaches the page. Paragraphs come in
 * chunks of up to {@link CHUNK_PARAGRAPHS}: the browser skips laying out and
 * painting chunks far from the screen (`content-visibility`), and ProseMirror
 * compares a few hundred chunks instead of tens of thousands of paragraphs
 * when the painted tags change.
 */
export const CHUNK_PARAGRAPHS = 40;

export const articleSchema = new Schema({
  nodes: {
    doc: { content: 'chunk+' },
    chunk: {
      content: 'paragraph+',
      parseDOM: [{ tag: 'div.chunk' }],
      toDOM: () => ['div', { class: 'chunk' }, 0],
    },
    paragraph: {
      content: 'text*',
      parseDOM: [{ tag: 'p' }],
      toDOM: () => ['p', 0],
    },
    text: {},
  },
  marks: {},
});
