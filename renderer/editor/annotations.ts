import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { ArticleDocument } from './document.js';
import { sameEnds } from '../state/incremental.js';

/** An annotation as the editor paints it: UTF-16 offsets into the article text. */
export interface PaintedAnnotation {
  id: string;
  label: string;
  start: number;
  end: number;
  /** The annotator's layer, which sets the outline style ("0" is yours). */
  layer?: string;
}

export interface AnnotationLayer {
  annotations: readonly PaintedAnnotation[];
  selectedId: string | null;
  /** Annotations linked to the selected one (its sources, or the claims it is the source of). */
  linkedIds?: ReadonlySet<string>;
}

/** The part of the text (UTF-16 offsets) that gets decorations: the screen and a margin around it. */
export interface PaintWindow {
  from: number;
  to: number;
}

interface LayerState extends AnnotationLayer {
  /** The annotations as the app last handed them over (`annotations` may since hold tags painted ahead of the app). */
  given: readonly PaintedAnnotation[];
  /** Whether `given` was in text order (then only a changed middle needs checking next time). */
  givenInOrder: boolean;
  /** Annotations sorted by start, and the longest one's length, for window queries. */
  sorted: PaintedAnnotation[];
  maxLength: number;
  /**
   * Each painted annotation's underline level, by object: an annotation that
   * stays when the layer changes (the same object) keeps its level, so a new
   * tag never moves the underlines around it, and a layer with a few new tags
   * costs a few lookups instead of levelling 50,000 again.
   */
  levels: WeakMap<PaintedAnnotation, number>;
  window: PaintWindow;
  decorations: DecorationSet;
}

export const annotationsKey = new PluginKey<LayerState>('claimdesk-annotations');

/** Deepest underline level drawn apart; deeper overlaps share the last one. */
export const MAX_LEVEL = 4;

/** Text painted before the first scroll: the first screens (about four at 1440 × 900, two on a tall portrait screen); fewer tags to draw before the first paint. */
export const INITIAL_WINDOW: PaintWindow = { from: 0, to: 10_000 };

/** Text order for painting: by start, the longer of two at one start first. */
const byPosition = (a: PaintedAnnotation, b: PaintedAnnotation) => a.start - b.start || b.end - a.end;

/**
 * Assigns each annotation the lowest underline level not used by an
 * annotation it overlaps, so stacked underlines stay apart.
 */
export function overlapLevels(annotations: readonly PaintedAnnotation[], presorted = false): Map<string, number> {
  const levels = new Map<string, number>();
  assignLevels(presorted ? annotations : [...annotations].sort(byPosition), (a, level) => levels.set(a.id, level));
  return levels;
}

/** The greedy levelling of {@link overlapLevels} over annotations in text order, reporting each level to `set`. */
function assignLevels(sorted: readonly PaintedAnnotation[], set: (a: PaintedAnnotation, level: number) => void): void {
  // The annotations still open at the current start, and how many of them hold each level.
  const active: { end: number; level: number }[] = [];
  const inUse: number[] = [];
  for (const a of sorted) {
    for (let i = active.length - 1; i >= 0; i--) {
      const o = active[i] as { end: number; level: number };
      if (o.end <= a.start) {
        inUse[o.level] = (inUse[o.level] ?? 1) - 1;
        active[i] = active[active.length - 1] as { end: number; level: number };
        active.pop();
      }
    }
    let level = 0;
    while ((inUse[level] ?? 0) > 0) level++;
    inUse[level] = (inUse[level] ?? 0) + 1;
    set(a, level);
    active.push({ end: a.end, level });
  }
}

/** The lowest level no levelled annotation overlapping `a` uses. */
function freeLevel(s: Pick<LayerState, 'sorted' | 'maxLength' | 'levels'>, a: PaintedAnnotation): number {
  const used = new Set<number>();
  for (const o of inWindow(s.sorted, s.maxLength, { from: a.start, to: a.end })) {
    const l = o === a ? undefined : s.levels.get(o);
    if (l !== undefined) used.add(l);
  }
  let level = 0;
  while (used.has(level)) level++;
  return level;
}

/** The sorted annotations that touch [from, to). */
export function inWindow(sorted: readonly PaintedAnnotation[], maxLength: number, w: PaintWindow): PaintedAnnotation[] {
  // First annotation that could still reach `from`: start >= from - maxLength.
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as PaintedAnnotation).start < w.from - maxLength) lo = mid + 1;
    else hi = mid;
  }
  const out: PaintedAnnotation[] = [];
  for (let i = lo; i < sorted.length; i++) {
    const a = sorted[i] as PaintedAnnotation;
    if (a.start >= w.to) break;
    if (a.end > w.from) out.push(a);
  }
  return out;
}

/**
 * Decorations for the annotations in the paint window only: ProseMirror's
 * cost grows with blocks × decorations, so a book-length article with tens of
 * thousands of tags paints a few hundred at a time as the reader scrolls.
 */
function buildDecorations(article: ArticleDocument, s: Omit<LayerState, 'decorations'>): DecorationSet {
  const decorations: Decoration[] = [];
  for (const a of inWindow(s.sorted, s.maxLength, s.window)) {
    const level = Math.min(s.levels.get(a) ?? 0, MAX_LEVEL);
    const cls = `ann lvl-${level}${a.id === s.selectedId ? ' is-selected' : ''}${s.linkedIds?.has(a.id) ? ' is-linked' : ''}`;
    for (const r of article.ranges(a.start, a.end)) {
      decorations.push(
        Decoration.inline(
          r.from,
          r.to,
          // nodeName gives each annotation its own <span>, so overlapping
          // annotations keep their own data-annotation-id.
          {
            nodeName: 'span',
            class: cls,
            'data-annotation-id': a.id,
            'data-label': a.label,
            ...(a.layer ? { 'data-layer': a.layer } : {}),
          },
          { id: a.id },
        ),
      );
    }
  }
  return DecorationSet.create(article.doc, decorations);
}

/** Above this many new annotations in a layer, levelling them all again is as quick as one by one. */
const INCREMENTAL_LEVELS = 1_000;

const inTextOrder = (xs: readonly PaintedAnnotation[]) => {
  for (let i = 1; i < xs.length; i++) if (byPosition(xs[i - 1] as PaintedAnnotation, xs[i] as PaintedAnnotation) > 0) return false;
  return true;
};

function layerState(article: ArticleDocument, layer: AnnotationLayer, window: PaintWindow, previous?: LayerState): LayerState {
  // Sorting and levels depend only on the annotations, not on selection or window.
  const given = layer.annotations;
  if (previous && previous.given === given) {
    const base = { ...previous, ...layer, annotations: previous.annotations, window };
    return { ...base, decorations: buildDecorations(article, base) };
  }
  // Only the middle the new list does not share with the last one (by identity, from both ends) can hold new annotations.
  const { head, tail } = previous ? sameEnds(previous.given, given) : { head: 0, tail: 0 };
  const middle = given.slice(Math.max(0, head - 1), given.length - Math.max(0, tail - 1));
  // A copy: `withAdded` inserts into it. The app hands annotations over in text order: checking the changed middle is enough.
  const sorted = [...given];
  const givenInOrder = previous?.givenInOrder ? inTextOrder(middle) : inTextOrder(sorted);
  if (!givenInOrder) sorted.sort(byPosition);
  const fresh = previous ? middle.filter((a) => !previous.levels.has(a)) : sorted;
  let base: Omit<LayerState, 'decorations'>;
  if (previous && fresh.length <= INCREMENTAL_LEVELS) {
    // The annotations that stay keep their levels; each new one takes the lowest level free around it.
    const maxLength = fresh.reduce((m, a) => Math.max(m, a.end - a.start), previous.maxLength);
    base = { ...layer, given, givenInOrder, sorted, maxLength, levels: previous.levels, window };
    for (const a of fresh) previous.levels.set(a, freeLevel(base, a));
  } else {
    const levels = new WeakMap<PaintedAnnotation, number>();
    assignLevels(sorted, (a, level) => levels.set(a, level));
    base = { ...layer, given, givenInOrder, sorted, maxLength: sorted.reduce((m, a) => Math.max(m, a.end - a.start), 0), levels, window };
  }
  return { ...base, decorations: buildDecorations(article, base) };
}

/**
 * The state with one annotation added, without re-sorting or re-levelling the
 * others: what a new tag needs to show on the next frame. The next
 * {@link setAnnotationLayer} keeps the others' levels too.
 */
function withAdded(article: ArticleDocument, s: LayerState, a: PaintedAnnotation, selected: boolean): LayerState {
  let lo = 0;
  let hi = s.sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byPosition(s.sorted[mid] as PaintedAnnotation, a) <= 0) lo = mid + 1;
    else hi = mid;
  }
  const level = freeLevel(s, a);
  // In place: the sorted copy and the levels belong to this plugin (see layerState), and the
  // previous state is never read again; copying 50,000 entries would cost more than the paint.
  const sorted = s.sorted;
  sorted.splice(lo, 0, a);
  s.levels.set(a, level);
  const maxLength = Math.max(s.maxLength, a.end - a.start);
  const base = { ...s, annotations: sorted, sorted, maxLength, selectedId: selected ? a.id : s.selectedId };
  return { ...base, decorations: buildDecorations(article, base) };
}

/** Paints the annotations; replace them with {@link setAnnotationLayer}, move the window with {@link setPaintWindow}. */
export function annotationsPlugin(article: ArticleDocument, initial: AnnotationLayer): Plugin<LayerState> {
  return new Plugin<LayerState>({
    key: annotationsKey,
    state: {
      init: () => layerState(article, initial, INITIAL_WINDOW),
      apply(tr, value) {
        const next = tr.getMeta(annotationsKey) as
          { layer?: AnnotationLayer; window?: PaintWindow; add?: { annotation: PaintedAnnotation; selected: boolean } } | undefined;
        if (next?.add) return withAdded(article, value, next.add.annotation, next.add.selected);
        if (next) return layerState(article, next.layer ?? value, next.window ?? value.window, value);
        return tr.docChanged ? { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) } : value;
      },
    },
    props: {
      decorations: (state) => annotationsKey.getState(state)?.decorations ?? DecorationSet.empty,
    },
  });
}

export function setAnnotationLayer(state: EditorState, layer: AnnotationLayer): Transaction {
  return state.tr.setMeta(annotationsKey, { layer });
}

/** Paints one new annotation at once (see {@link withAdded}). */
export function addPaintedAnnotation(state: EditorState, annotation: PaintedAnnotation, selected: boolean): Transaction {
  return state.tr.setMeta(annotationsKey, { add: { annotation, selected } });
}

export function setPaintWindow(state: EditorState, window: PaintWindow): Transaction {
  return state.tr.setMeta(annotationsKey, { window });
}

export function paintWindow(state: EditorState): PaintWindow {
  return annotationsKey.getState(state)?.window ?? INITIAL_WINDOW;
}

/** Ids of the annotations painted at a document position, innermost (shortest) first. */
export function annotationsAt(state: EditorState, pos: number): string[] {
  const layer = annotationsKey.getState(state);
  if (!layer) return [];
  const found = layer.decorations.find(pos, pos, undefined).filter((d) => d.from <= pos && d.to >= pos);
  const ids = [...new Set(found.map((d) => (d.spec as { id: string }).id))];
  const span = new Map(layer.annotations.map((a) => [a.id, a.end - a.start]));
  return ids.sort((a, b) => (span.get(a) ?? 0) - (span.get(b) ?? 0));
}
