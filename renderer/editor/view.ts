import { EditorState, Plugin, TextSelection } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import {
  addPaintedAnnotation,
  annotationsPlugin,
  annotationsAt,
  paintWindow,
  setAnnotationLayer,
  setPaintWindow,
  type AnnotationLayer,
  type PaintedAnnotation,
} from './annotations.js';
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
  private layer: AnnotationLayer;

  constructor(mount: HTMLElement, text: string, layer: AnnotationLayer, callbacks: ArticleViewCallbacks) {
    this.layer = layer;
    this.article = new ArticleDocument(text);
    // The text is immutable: refuse every transaction that would change it.
    const readOnly = new Plugin({ filterTransaction: (tr) => !tr.docChanged });
    const clicked = (view: EditorView, pos: number): boolean => {
      if (view.state.selection.empty) callbacks.onClickAnnotations(annotationsAt(view.state, pos));
      return false;
    };
    const state = EditorState.create({ doc: this.article.doc, plugins: [readOnly, annotationsPlugin(this.article, layer)] });
    this.view = new EditorView(mount, {
      state,
      // A read-only multi-line text box: screen readers then offer caret browsing and say that it cannot be edited.
      attributes: {
        class: 'article-text',
        spellcheck: 'false',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': 'Article text',
        'aria-readonly': 'true',
      },
      dispatchTransaction: (tr) => {
        this.view.updateState(this.view.state.apply(tr));
        this.keepPlaintextOnly();
      },
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
      handleClick: clicked,
      // ProseMirror counts another click on the same spot within half a second as a double (then triple) click and
      // calls only these: click a tag, Esc, click it again would otherwise do nothing. The browser still selects the word.
      handleDoubleClick: clicked,
      handleTripleClick: clicked,
    });
    this.keepPlaintextOnly();
  }

  /**
   * React saves and restores the selection of a focused element whose
   * `contentEditable` is "true" around every commit, walking all of its text
   * nodes: with a book-length article focused, tens of milliseconds per
   * commit anywhere in the app. The view refuses every edit anyway, so it is
   * "plaintext-only", which keeps the caret and keyboard selection and which
   * React leaves alone. ProseMirror writes "true" back only when its own
   * attributes change, so this is checked after each update.
   */
  private keepPlaintextOnly(): void {
    if (this.view.dom.getAttribute('contenteditable') === 'true') this.view.dom.setAttribute('contenteditable', 'plaintext-only');
  }

  /** Shows `layer` (nothing to do when it is the layer shown already, e.g. the one the view was made with). */
  setLayer(layer: AnnotationLayer): void {
    if (layer === this.layer) return;
    this.layer = layer;
    this.view.dispatch(setAnnotationLayer(this.view.state, layer));
  }

  /** Paints a new annotation on the next frame, before the full layer (and the app around it) catches up. */
  paintNow(annotation: PaintedAnnotation, selected: boolean): void {
    this.view.dispatch(addPaintedAnnotation(this.view.state, annotation, selected));
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

  /** Selects [start, end) (UTF-16 offsets) in the page, as a selection made with the mouse would be. */
  selectInPage(start: number, end: number): void {
    const from = this.view.domAtPos(this.article.posOf(start));
    const to = this.view.domAtPos(this.article.posOf(end));
    const range = this.view.dom.ownerDocument.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    const sel = this.view.dom.ownerDocument.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
  }

  clearSelection(): void {
    const range = this.selectedTextRange();
    this.view.dom.ownerDocument.getSelection()?.collapseToEnd();
    const at = range ? this.article.posOf(range.end) : this.view.state.selection.to;
    this.view.dispatch(this.view.state.tr.setSelection(TextSelection.create(this.view.state.doc, at)));
  }

  /** Selects the text range [start, end) (UTF-16 offsets) and scrolls it into view. */
  selectTextRange(start: number, end: number): void {
    this.ensurePainted(start, end);
    const sel = TextSelection.create(this.view.state.doc, this.article.posOf(start), this.article.posOf(end));
    this.view.dispatch(this.view.state.tr.setSelection(sel).scrollIntoView());
  }

  /** Scrolls the text offset into view without changing the selection. */
  /** Makes sure [start, end) is inside the paint window (before jumping there). */
  ensurePainted(start: number, end: number): void {
    const w = paintWindow(this.view.state);
    if (w.from <= start && w.to >= end) return;
    this.view.dispatch(setPaintWindow(this.view.state, { from: Math.max(0, start - 20_000), to: end + 20_000 }));
  }

  scrollToText(u16: number): void {
    this.ensurePainted(u16, u16 + 1);
    const pos = this.article.posOf(u16);
    const dom = this.view.domAtPos(pos);
    const el = dom.node instanceof Element ? dom.node : dom.node.parentElement;
    el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  annotationsAtCoords(x: number, y: number): string[] {
    const hit = this.view.posAtCoords({ left: x, top: y });
    return hit ? annotationsAt(this.view.state, hit.pos) : [];
  }

  /**
   * Moves the paint window to what is on screen inside `scroller`, with a
   * screenful of margin either side; does nothing while the window still
   * covers the screen comfortably. Call it on scroll and resize.
   */
  updatePaintWindow(scroller: HTMLElement): void {
    const box = scroller.getBoundingClientRect();
    const dom = this.view.dom.getBoundingClientRect();
    const left = Math.min(Math.max(dom.left + 4, box.left + 4), dom.right - 4);
    const top = this.view.posAtCoords({ left, top: Math.max(box.top + 2, dom.top + 2) });
    const bottom = this.view.posAtCoords({ left, top: Math.min(box.bottom - 2, dom.bottom - 2) });
    if (!top || !bottom) return;
    const from = this.article.textOf(top.pos);
    const to = this.article.textOf(bottom.pos);
    const span = Math.max(2000, to - from);
    const current = paintWindow(this.view.state);
    if (current.from <= Math.max(0, from - span / 2) && current.to >= to + span / 2) return;
    this.view.dispatch(setPaintWindow(this.view.state, { from: Math.max(0, from - span * 2), to: to + span * 2 }));
  }

  focus(): void {
    this.view.focus();
  }

  destroy(): void {
    this.view.destroy();
  }
}
