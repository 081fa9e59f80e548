import { Schema } from 'prosemirror-model';

/**
 * The article schema: a document of plain paragraphs. Nothing else can be
 * shown, so no imported markup ever reaches the page.
 */
export const articleSchema = new Schema({
  nodes: {
    doc: { content: 'paragraph+' },
    paragraph: {
      content: 'text*',
      parseDOM: [{ tag: 'p' }],
      toDOM: () => ['p', 0],
    },
    text: {},
  },
  marks: {},
});
