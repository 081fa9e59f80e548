import { EditorState, Plugin, TextSelection } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { annotationsPlugin, annotationsAt, setAnnotationLayer, type AnnotationLayer } from './annotations.js';
import { ArticleDocument } from './document.js';

export interface ArticleViewCallbacks {
  /** The annotation ids under a click, innermost first (empty when none). */
  onClickAnnotations: (ids: string[]) => void;
}

/**
 * A read-only article view: the text can be selected with mouse and keyboard
 * (it is contenteditable so the caret moves), but no input ever changes it.
 */
export class ArticleView {
  readonly article: ArticleDocument;
  readonly view: EditorView;

  constructor(mount: HTMLElement, text: string, layer: AnnotationLayer, callbacks: ArticleViewCallbacks) {
    this.article = new ArticleDocument(text);
    // The text is immutable: refuse every transaction that would change it.
    const readOnly = new Plugin({ filterTransaction: (tr) => !tr.docChanged });
    const state = EditorState.create({ doc: this.article.doc, plugins: [readOnly, annotationsPlugin(this.article, layer)] });
    this.view = new EditorView(mount, {
      state,
      attributes: { class: 'article-text', spellcheck: 'false', 'aria-label': 'Article text', 'aria-readonly': 'true' },
      handleTextInput: () => true,
      handlePaste: () => true,
      handleDrop: () => true,
      handleDOMEvents: {
        beforeinput: (_view, event) => {
          event.preventDefault();
          return true;
        },
        cut: (_view, event) => {
          event.preventDefault();
          return true;
        },
      },
      handleClick: (view, pos) => {
        if (!view.state.selection.empty) return false;
        callbacks.onClickAnnotations(annotationsAt(view.state, pos));
        return false;
      },
    });
  }

  setLayer(layer: AnnotationLayer): void {
    this.view.dispatch(setAnnotationLayer(this.view.state, layer));
  }

  /** The selected text range as UTF-16 offsets, or null for an empty selection. */
  selectedTextRange(): { start: number; end: number } | null {
    // Read the DOM selection first: ProseMirror learns of it only on the next
    // selectionchange event, and a key pressed right after a drag must see it.
    const sel = this.view.dom.ownerDocument.getSelection();
    const dom = this.view.dom;
    if (sel && sel.rangeCount > 0 && sel.anchorNode && sel.focusNode && dom.contains(sel.anchorNode) && dom.contains(sel.focusNode)) {
      if (sel.isCollapsed) return null;
      const a = this.view.posAtDOM(sel.anchorNode, sel.anchorOffset);
      const f = this.view.posAtDOM(sel.focusNode, sel.focusOffset);
      return { start: this.article.textOf(Math.min(a, f)), end: this.article.textOf(Math.max(a, f)) };
    }
    const { from, to, empty } = this.view.state.selection;
    if (empty) return null;
    return { start: this.article.textOf(from), end: this.article.textOf(to) };
  }

  clearSelection(): void {
    const range = this.selectedTextRange();
    this.view.dom.ownerDocument.getSelection()?.collapseToEnd();
    const at = range ? this.article.posOf(range.end) : this.view.state.selection.to;
    this.view.dispatch(this.view.state.tr.setSelection(TextSelection.create(this.view.state.doc, at)));
  }

  /** Selects the text range [start, end) (UTF-16 offsets) and scrolls it into view. */
  selectTextRange(start: number, end: number): void {
    const sel = TextSelection.create(this.view.state.doc, this.article.posOf(start), this.article.posOf(end));
    this.view.dispatch(this.view.state.tr.setSelection(sel).scrollIntoView());
  }

  /** Scrolls the text offset into view without changing the selection. */
  scrollToText(u16: number): void {
    const pos = this.article.posOf(u16);
    const dom = this.view.domAtPos(pos);
    const el = dom.node instanceof Element ? dom.node : dom.node.parentElement;
    el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  annotationsAtCoords(x: number, y: number): string[] {
    const hit = this.view.posAtCoords({ left: x, top: y });
    return hit ? annotationsAt(this.view.state, hit.pos) : [];
  }

  focus(): void {
    this.view.focus();
  }

  destroy(): void {
    this.view.destroy();
  }
}
