import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { ArticleDocument } from './document.js';

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

interface LayerState extends AnnotationLayer {
  decorations: DecorationSet;
}

export const annotationsKey = new PluginKey<LayerState>('claimdesk-annotations');

/** Deepest underline level drawn apart; deeper overlaps share the last one. */
export const MAX_LEVEL = 4;

/**
 * Assigns each annotation the lowest underline level not used by an
 * annotation it overlaps, so stacked underlines stay apart.
 */
export function overlapLevels(annotations: readonly PaintedAnnotation[]): Map<string, number> {
  const sorted = [...annotations].sort((a, b) => a.start - b.start || b.end - a.end);
  const active: { end: number; level: number }[] = [];
  const levels = new Map<string, number>();
  for (const a of sorted) {
    for (let i = active.length - 1; i >= 0; i--) if ((active[i] as { end: number }).end <= a.start) active.splice(i, 1);
    const used = new Set(active.map((x) => x.level));
    let level = 0;
    while (used.has(level)) level++;
    levels.set(a.id, level);
    active.push({ end: a.end, level });
  }
  return levels;
}

function buildDecorations(article: ArticleDocument, layer: AnnotationLayer): DecorationSet {
  const levels = overlapLevels(layer.annotations);
  const decorations: Decoration[] = [];
  // Longer annotations first, so shorter ones nest inside them.
  const ordered = [...layer.annotations].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const a of ordered) {
    const level = Math.min(levels.get(a.id) ?? 0, MAX_LEVEL);
    const cls = `ann lvl-${level}${a.id === layer.selectedId ? ' is-selected' : ''}${layer.linkedIds?.has(a.id) ? ' is-linked' : ''}`;
    for (const r of article.ranges(a.start, a.end)) {
      decorations.push(
        Decoration.inline(
          r.from,
          r.to,
          // nodeName gives each annotation its own <span>, so overlapping
          // annotations keep their own data-annotation-id.
          { nodeName: 'span', class: cls, 'data-annotation-id': a.id, 'data-label': a.label, ...(a.layer ? { 'data-layer': a.layer } : {}) },
          { id: a.id },
        ),
      );
    }
  }
  return DecorationSet.create(article.doc, decorations);
}

/** Paints the annotations; replace them with {@link setAnnotationLayer}. */
export function annotationsPlugin(article: ArticleDocument, initial: AnnotationLayer): Plugin<LayerState> {
  return new Plugin<LayerState>({
    key: annotationsKey,
    state: {
      init: () => ({ ...initial, decorations: buildDecorations(article, initial) }),
      apply(tr, value) {
        const next = tr.getMeta(annotationsKey) as AnnotationLayer | undefined;
        if (next) return { ...next, decorations: buildDecorations(article, next) };
        return tr.docChanged ? { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) } : value;
      },
    },
    props: {
      decorations: (state) => annotationsKey.getState(state)?.decorations ?? DecorationSet.empty,
    },
  });
}

export function setAnnotationLayer(state: EditorState, layer: AnnotationLayer): Transaction {
  return state.tr.setMeta(annotationsKey, layer);
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
