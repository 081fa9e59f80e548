import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { OffsetIndex } from '../../shared/offsets.js';
import type { Annotation, ArticleClaims, Article, AttributionKind, Label, Suggestion } from '../../shared/schemas.js';
import { snapToWords } from '../../shared/text.js';
import { COMMAND_KEYS } from '../../shared/keys.js';
import { ATTRIBUTABLE_LABELS } from '../../shared/labels.js';
import { api, onApiEvent } from '../api/client.js';
import { damagedMessage } from '../api/library-health.js';
import { GroupPicker, type GroupChoice } from './GroupPicker.js';
import { EntityPicker } from './EntityPicker.js';
import { useSourceEntities } from './useSourceEntities.js';
import { ArticleView, type AnnotationLayer, type PaintedAnnotation } from '../editor/index.js';
import { describe, targetState, type Change, type GroupingChange, type History } from '../state/history.js';
import { IdIndex, MappedList } from '../state/incremental.js';
import { AnnotationList } from './AnnotationList.js';
import { LabelChip } from '../components/LabelChip.js';
import { ArticleHeader } from './ArticleHeader.js';
import { onAppCommand } from '../state/commands.js';
import { errorMessage } from '../../shared/errors.js';

interface Props {
  articleId: number;
  labels: readonly Label[];
  annotator: string | null;
  history: History;
  /** A modal is open: leave the keyboard alone. */
  blocked: boolean;
  /** A text range (code points) to select and scroll to once open, e.g. a search hit. */
  focus?: { start: number; length: number; at: number } | { annotationId: string; at: number } | undefined;
}

interface Hover {
  x: number;
  y: number;
  ids: string[];
}

/** Code points of text whose tags come with the text when an article opens (a few screens, inside the editor's first paint window). */
const FIRST_SCREENS = 8_000;

/** Runs `f` once the next frame has been painted. */
function afterNextPaint(f: () => void): void {
  requestAnimationFrame(() => setTimeout(f, 0));
}

function byTextOrder(a: Annotation, b: Annotation): number {
  return a.start - b.start || b.end - a.end || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

/** The first index of `list` (in text order) whose annotation is not `before` the one looked for: a binary search. */
function firstIndex(list: readonly Annotation[], before: (a: Annotation) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid] as Annotation)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The tag in `list` (in text order) over exactly [start, end) with this label by this annotator, if there is one. */
function sameTag(list: readonly Annotation[], start: number, end: number, label: string, annotator: string): Annotation | undefined {
  for (let i = firstIndex(list, (a) => a.start < start); i < list.length && (list[i] as Annotation).start === start; i++) {
    const a = list[i] as Annotation;
    if (a.end === end && a.label === label && a.annotator === annotator) return a;
  }
  return undefined;
}

/**
 * `list` (in text order) with `a` put in its place: the annotation list is
 * kept in text order as it changes, never re-sorted (on a book, 50,000 tags
 * re-sorted after every key press cost more than the paint).
 */
function withInserted(list: readonly Annotation[], a: Annotation): Annotation[] {
  const at = firstIndex(list, (x) => byTextOrder(x, a) <= 0);
  return [...list.slice(0, at), a, ...list.slice(at)];
}

/** `list` with the annotation of `saved`'s id replaced by it; the same list when it holds `saved` already or not that id. */
function withSaved(list: Annotation[], saved: Annotation): Annotation[] {
  const i = list.findIndex((a) => a.id === saved.id);
  if (i < 0 || list[i] === saved) return list;
  const out = list.slice();
  out[i] = saved;
  return out;
}

function isTypingTarget(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
}

/** The article in the middle and its annotations on the right, with tagging, editing and undo. */
export function ArticleWorkspace({ articleId, labels, annotator, history, blocked, focus }: Props) {
  const [article, setArticle] = useState<Article | null>(null);
  const [annotations, setAnnotations] = useState<Annotation[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [pending, setPending] = useState(0);
  /** Notes typed and not yet sent, by annotation id: unsaved as much as a write in flight. */
  const [dirtyNotes, setDirtyNotes] = useState<ReadonlySet<string>>(new Set());
  const onNoteDirty = useCallback((id: string, dirty: boolean) => {
    setDirtyNotes((s) => {
      if (s.has(id) === dirty) return s;
      const next = new Set(s);
      if (dirty) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  const unsaved = pending > 0 || dirtyNotes.size > 0;
  // Leaving the page (reload, close) with something not yet saved asks first.
  useEffect(() => {
    if (!unsaved) return;
    const onLeave = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [unsaved]);
  /** The last write failed: the status says so until a later one succeeds. */
  const [saveFailed, setSaveFailed] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  // Where the pointer rests over the text (null once it leaves, or once scrolling or j / k took its card away):
  // a tag made or removed under it changes its card.
  const pointer = useRef<{ x: number; y: number } | null>(null);
  // An information banner goes by itself after a while; an error stays until dismissed.
  useEffect(() => {
    if (message?.kind !== 'info') return;
    const t = setTimeout(() => setMessage((m) => (m === message ? null : m)), 6000);
    return () => clearTimeout(t);
  }, [message]);
  const [, setHistoryVersion] = useState(0);
  const mountRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<ArticleView | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  /** New tags painted but not yet in the app state, by id, with the update that puts them there (see `tag`). */
  const pendingShows = useRef(new Map<string, () => void>());
  /** Counts the writes queued since the page opened. */
  const writes = useRef(0);
  const lastClick = useRef<{ ids: string; index: number } | null>(null);
  const [claims, setClaims] = useState<ArticleClaims>({ links: [], memberships: [], entities: [] });
  const [claimsVersion, setClaimsVersion] = useState(0);
  /** The claim being attributed: the next source clicked or selected is linked to it. */
  const [linkMode, setLinkMode] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);

  const index = useMemo(() => (article ? new OffsetIndex(article.text) : null), [article]);
  /** Lets the editor's click callback (made once) see the current link mode. */
  const clickHandler = useRef<((ids: string[]) => boolean) | null>(null);
  // Metadata edits keep the text: update the header without rebuilding the editor.
  const [meta, setArticleMeta] = useState<Article | null>(null);
  const labelById = useMemo(() => new Map(labels.map((l) => [l.id, l])), [labels]);
  // Patched from the part of the list that changed (see state/incremental.ts): the same map object throughout, read at call time.
  const idIndex = useMemo(() => new IdIndex<Annotation>(), []);
  const byId = idIndex.update(annotations);
  useEffect(() => {
    for (const id of pendingShows.current.keys()) if (byId.has(id)) pendingShows.current.delete(id);
  }, [annotations, byId]);

  const reload = useCallback(async () => {
    const [a, list] = await Promise.all([api['articles.get']({ id: articleId }), api['annotations.list']({ articleId })]);
    setArticle(a);
    setAnnotations(list.sort(byTextOrder));
  }, [articleId]);

  useEffect(() => {
    let live = true;
    const writesAtOpen = writes.current;
    // The text comes with the tags of its first screens; the rest follow once that is painted. On a book-length
    // article with tens of thousands of tags, the first screen then opens as fast as an untagged one.
    Promise.all([api['articles.get']({ id: articleId }), api['annotations.list']({ articleId, startBefore: FIRST_SCREENS })])
      .then(([a, first]) => {
        if (!live) return;
        setArticle(a);
        setAnnotations(first.sort(byTextOrder));
        if (first.length === 0 && a.length <= FIRST_SCREENS) return;
        // Asked once the first screen is painted: parsing tens of thousands of tags must not hold that paint back.
        return new Promise<void>((painted) => afterNextPaint(painted))
          .then(() => (live ? api['annotations.list']({ articleId }) : null))
          .then((all) => {
            if (!live || !all) return;
            // A tag made in the moment between the two answers is saved through the queue; read again after it.
            if (writes.current !== writesAtOpen) void queue.current.then(reload);
            else startTransition(() => setAnnotations(all.sort(byTextOrder)));
          });
      })
      .catch((e: unknown) => setMessage({ kind: 'error', text: errorMessage(e) }));
    return () => {
      live = false;
    };
  }, [articleId, reload]);

  // Links and groups of this article, refreshed whenever claims change anywhere.
  useEffect(() => {
    let live = true;
    api['claims.forArticle']({ articleId })
      .then((c) => live && setClaims(c))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [articleId, claimsVersion]);
  useEffect(
    () =>
      onApiEvent((e) => {
        if (e.name === 'claims.changed' || e.name === 'annotations.changed') setClaimsVersion((v) => v + 1);
        // A colleague's change to this article (team workspace): read the tags again once this window's own writes are saved.
        if (e.team && e.name === 'annotations.changed' && e.articleId === articleId) void queue.current.then(reload);
      }),
    [articleId, reload],
  );

  // One layer per annotator: yours first, gold last; each its own outline style, each can be hidden.
  // The annotators in layer order; the same map while they stay the same (a new tag by you changes nothing here).
  const layerNames = useMemo(() => {
    const names = [...new Set(annotations.map((a) => a.annotator))].sort(
      (x, y) => Number(x === 'gold') - Number(y === 'gold') || Number(y === annotator) - Number(x === annotator) || x.localeCompare(y),
    );
    return JSON.stringify(names);
  }, [annotations, annotator]);
  const layers = useMemo(
    () => new Map((JSON.parse(layerNames) as string[]).map((n, i) => [n, n === 'gold' ? 'gold' : String(Math.min(i, 3))])),
    [layerNames],
  );
  const [hiddenLayers, setHiddenLayers] = useState<ReadonlySet<string>>(new Set());
  const visible = useMemo(
    () => (hiddenLayers.size === 0 ? annotations : annotations.filter((a) => !hiddenLayers.has(a.annotator))),
    [annotations, hiddenLayers],
  );
  // The header counts the layers shown, and a tag several of them hold (yours and gold's copy) once.
  const headerCounts = useMemo(() => {
    const shown = [...layers.keys()].filter((n) => !hiddenLayers.has(n));
    const counts = new Map<string, number>();
    const seen = shown.length > 1 ? new Set<string>() : null;
    for (const a of visible) {
      if (seen) {
        const key = `${a.label}:${a.start}:${a.end}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      counts.set(a.label, (counts.get(a.label) ?? 0) + 1);
    }
    const countsOf =
      shown.length === 0
        ? 'no layer shown'
        : shown.length === 1
          ? shown[0] === annotator
            ? 'your layer'
            : `${shown[0]}’s layer`
          : `${shown.length} layers, each tag once`;
    return { counts, countsOf };
  }, [visible, layers, hiddenLayers, annotator]);

  // One painted object per annotation, kept while the annotation is unchanged: the editor keeps each one's underline
  // level by object, and a new tag among 50,000 costs a pointer walk, not 50,000 new objects and a re-levelling.
  const paintedList = useMemo(() => new MappedList<Annotation, PaintedAnnotation>(), []);
  // What the mapping depends on besides the annotation: a new article text or new layer names map everything again.
  const paintContext = useMemo(() => ({ index, layers }), [index, layers]);
  const painted = useMemo<readonly PaintedAnnotation[]>(() => {
    if (!index) return [];
    return paintedList.update(visible, paintContext, (a) => ({
      id: a.id,
      label: a.label,
      start: index.toUtf16(a.start),
      end: index.toUtf16(a.end),
      layer: layers.get(a.annotator) ?? '0',
    }));
  }, [visible, index, layers, paintedList, paintContext]);

  const linkedIds = useMemo(() => {
    const out = new Set<string>();
    for (const l of claims.links) {
      if (l.claimId === selectedId) out.add(l.sourceId);
      if (l.sourceId === selectedId) out.add(l.claimId);
    }
    return out;
  }, [claims.links, selectedId]);

  const layer = useMemo<AnnotationLayer>(() => ({ annotations: painted, selectedId, linkedIds }), [painted, selectedId, linkedIds]);
  /** The layer an editor made now starts with (set before the editor effect below runs). */
  const layerNow = useRef(layer);
  useEffect(() => {
    layerNow.current = layer;
  }, [layer]);
  // The editor lives as long as the article is open. It starts with the layer of that moment, so the first screen's
  // text and tags are drawn in one pass (not the text, then again with its tags).
  useEffect(() => {
    if (!article || !mountRef.current) return;
    const view = new ArticleView(mountRef.current, article.text, layerNow.current, {
      onClickAnnotations: (ids) => {
        if (clickHandler.current?.(ids)) return;
        if (ids.length === 0) {
          lastClick.current = null;
          setSelectedId(null);
          return;
        }
        // Clicking the same stack of overlapping tags again cycles through them.
        const key = ids.join(',');
        const next = lastClick.current?.ids === key ? (lastClick.current.index + 1) % ids.length : 0;
        lastClick.current = { ids: key, index: next };
        setSelectedId(ids[next] ?? null);
      },
    });
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  }, [article]);
  useEffect(() => {
    viewRef.current?.setLayer(layer);
  }, [layer, article]);

  // Open at a search hit: select the match and bring it into view.
  useEffect(() => {
    if (!focus || !index || !viewRef.current) return;
    if ('annotationId' in focus) {
      const a = annotations.find((x) => x.id === focus.annotationId);
      if (!a) return;
      const t = setTimeout(() => setSelectedId(a.id), 0);
      viewRef.current.scrollToText(index.toUtf16(a.start));
      return () => clearTimeout(t);
    }
    const start = Math.min(focus.start, index.length);
    const end = Math.min(start + focus.length, index.length);
    // The editor shows its selection only while focused.
    viewRef.current.focus();
    viewRef.current.selectTextRange(index.toUtf16(start), index.toUtf16(end));
    viewRef.current.scrollToText(index.toUtf16(start));
  }, [focus, index, annotations.length > 0]); // eslint-disable-line react-hooks/exhaustive-deps

  /** Runs API writes one after another, in the order they were made. */
  const enqueue = useCallback(
    (write: () => Promise<void>) => {
      writes.current++;
      setPending((n) => n + 1);
      const run = queue.current.then(write).then(
        () => setSaveFailed(false),
        (e: unknown) => {
          // Nothing unsaved is put back on screen by a later key press: the reload shows what is stored.
          pendingShows.current.clear();
          setSaveFailed(true);
          // A damaged library is explained once, in the window's banner above.
          setMessage({
            kind: 'error',
            text: damagedMessage() !== null ? 'Not saved: the library file is damaged (see above).' : `Not saved: ${errorMessage(e)}`,
          });
          // The database is the truth: show what it holds.
          return reload();
        },
      );
      queue.current = run.catch(() => undefined).finally(() => setPending((n) => n - 1));
    },
    [reload],
  );

  /** Shows a change at once, then saves it. */
  const apply = useCallback(
    (c: Change) => {
      switch (c.kind) {
        case 'create': {
          setAnnotations((list) =>
            withInserted(
              list.filter((a) => a.id !== c.annotation.id),
              c.annotation,
            ),
          );
          enqueue(async () => {
            // Read the holder only now: the delete before this in the queue has filled it.
            const saved = await api['annotations.restore']({
              annotation: c.annotation,
              ...(c.attached ? { links: c.attached.links, groupId: c.attached.groupId, entityId: c.attached.entityId ?? null } : {}),
            });
            setAnnotations((list) => withSaved(list, saved));
          });
          break;
        }
        case 'delete': {
          pendingShows.current.delete(c.annotation.id);
          setAnnotations((list) => list.filter((a) => a.id !== c.annotation.id));
          setSelectedId((s) => (s === c.annotation.id ? null : s));
          enqueue(async () => {
            // Keep what went with it (links, group) on the change, for undo.
            const { links, groupId, entityId } = await api['annotations.delete']({ id: c.annotation.id });
            if (c.attached) {
              c.attached.links = links;
              c.attached.groupId = groupId;
              c.attached.entityId = entityId;
            }
          });
          break;
        }
        case 'update': {
          setAnnotations((list) => list.map((a) => (a.id === c.id ? { ...a, ...c.after } : a)));
          enqueue(async () => {
            const saved = await api['annotations.update']({ id: c.id, ...c.after });
            setAnnotations((list) => withSaved(list, saved));
          });
          break;
        }
        case 'grouping': {
          enqueue(async () => {
            // Read only now: the write this undoes, queued before, has filled it.
            const state = targetState(c);
            if (state) await api['groups.restore'](state);
            setClaimsVersion((v) => v + 1);
          });
          break;
        }
        case 'entities': {
          enqueue(async () => {
            const state = targetState(c);
            if (state) await api['entities.restore'](state);
            setClaimsVersion((v) => v + 1);
          });
          break;
        }
      }
    },
    [enqueue],
  );

  const record = useCallback(
    (c: Change) => {
      history.record(c);
      setHistoryVersion((v) => v + 1);
    },
    [history],
  );

  const tag = useCallback(
    /** Tags the selected text; `select` is the tag selected afterwards (the new one unless given). */
    (labelId: string, afterSave?: (saved: Annotation) => Promise<void>, select?: string, given?: { start: number; end: number }) => {
      const view = viewRef.current;
      if (!view || !article || !index) return;
      const range = given ?? view.selectedTextRange();
      if (!range) {
        setMessage({ kind: 'info', text: 'Select some text first, then press a label key.' });
        return;
      }
      const snapped = snapToWords(article.text, range.start, range.end);
      if (!snapped) return;
      const start = index.toCodePoint(snapped.start);
      const end = index.toCodePoint(snapped.end);
      // The same words with the same label again would count twice (in the exports and in agreement): the tag there is
      // is selected instead (and, in link mode, linked).
      const existing = sameTag(annotations, start, end, labelId, annotator ?? '');
      if (existing) {
        if (!given) view.clearSelection();
        setSelectedId(select ?? existing.id);
        setMessage({
          kind: 'info',
          text: `${given ? 'Already in your layer' : 'Already tagged'} as ${labelById.get(labelId)?.name ?? labelId}.`,
        });
        if (afterSave) enqueue(() => afterSave(existing));
        return;
      }
      const now = new Date().toISOString();
      const annotation: Annotation = {
        id: crypto.randomUUID(),
        articleId,
        start,
        end,
        quote: article.text.slice(snapped.start, snapped.end),
        prefix: '',
        suffix: '',
        label: labelId,
        annotator: annotator ?? '',
        note: '',
        createdAt: now,
        updatedAt: now,
      };
      // Painted now, so the highlight is on the next frame; the list, the
      // sidebar and the full layer follow as a transition that never holds
      // up that frame or the next key press.
      if (!given) view.clearSelection();
      view.paintNow(
        { id: annotation.id, label: labelId, start: snapped.start, end: snapped.end, layer: layers.get(annotation.annotator) ?? '0' },
        select === undefined,
      );
      /** The record the host saved, once it answers: shown instead of this one when it is back first, so the list changes once. */
      let saved: Annotation | null = null;
      // Idempotent: a key pressed before the transition commits runs it again, synchronously.
      const show = () => {
        // A new tag is saved with `create`, so the host stamps annotator and times.
        setAnnotations((list) => (list.some((a) => a.id === annotation.id) ? list : withInserted(list, saved ?? annotation)));
        setSelectedId(select ?? annotation.id);
        setMessage(null);
      };
      pendingShows.current.set(annotation.id, show);
      const shown = new Promise<void>((resolve) =>
        afterNextPaint(() => {
          startTransition(show);
          resolve();
        }),
      );
      // Recorded at once so an immediate Ctrl+Z works; redo then restores the saved record.
      const change: Change = { kind: 'create', annotation };
      record(change);
      enqueue(async () => {
        const stored = await api['annotations.create']({
          id: annotation.id,
          articleId,
          start,
          end,
          quote: annotation.quote,
          label: labelId,
        });
        saved = stored;
        // The updates that follow the save (the saved record, an attribution's selection) are
        // queued after the new tag's own, so they apply on top of them.
        await shown;
        change.annotation = stored;
        // Usually shown already (the host answers before the next frame); otherwise it replaces the optimistic record.
        startTransition(() => setAnnotations((list) => withSaved(list, stored)));
        await afterSave?.(stored);
      });
    },
    [article, index, annotator, articleId, enqueue, record, layers, annotations, labelById],
  );

  /** A colleague's (or gold's) tag: theirs to change, never mine; says so and answers true. */
  const refuseOthers = useCallback(
    (a: Annotation, what: string): boolean => {
      if (a.annotator === annotator) return false;
      setMessage({
        kind: 'info',
        text: `This is ${a.annotator}’s tag: a colleague’s layer is read-only, so it cannot be ${what}. Press c to copy it into your layer.`,
      });
      return true;
    },
    [annotator],
  );

  const remove = useCallback(
    (id: string) => {
      const a = byId.get(id);
      if (!a || refuseOthers(a, 'deleted')) return;
      const c: Change = { kind: 'delete', annotation: a, attached: { links: [], groupId: null } };
      apply(c);
      record(c);
    },
    [byId, apply, record, refuseOthers],
  );

  const update = useCallback(
    (id: string, changes: { label?: string; note?: string }, session?: string) => {
      const a = byId.get(id);
      if (!a || refuseOthers(a, changes.label !== undefined ? 'relabelled' : 'annotated')) return;
      const before = { label: a.label, note: a.note };
      const after = { label: changes.label ?? a.label, note: changes.note ?? a.note };
      if (before.label === after.label && before.note === after.note) return;
      const c: Change = { kind: 'update', id, before, after, ...(session ? { session } : {}) };
      apply(c);
      record(c);
    },
    [byId, apply, record, refuseOthers],
  );

  /** Copies a colleague's tag (span and label) into my layer: one key, one undo step. */
  const copyToMine = useCallback(
    (a: Annotation) => {
      if (!index) return;
      tag(a.label, undefined, undefined, { start: index.toUtf16(a.start), end: index.toUtf16(a.end) });
    },
    [index, tag],
  );

  const selected = selectedId ? byId.get(selectedId) : undefined;

  const link = useCallback(
    (claimId: string, sourceId: string) => {
      // An attribution joins two tags of the analyst's layer; a colleague's source is copied first (c).
      const source = byId.get(sourceId);
      if (source && refuseOthers(source, 'linked as a source')) return;
      enqueue(async () => {
        await api['links.create']({ claimId, sourceId });
        setMessage({ kind: 'info', text: 'Attribution linked.' });
      });
      setLinkMode(null);
      setSelectedId(claimId);
    },
    [enqueue, byId, refuseOthers],
  );

  /** In link mode, a new selection tagged as a source is linked to the tag being attributed (mouse drag or Shift+arrows and the source key). */
  const tagLinkedSource = useCallback(
    (claimId: string) => {
      setLinkMode(null);
      tag(
        'source',
        async (saved) => {
          await api['links.create']({ claimId, sourceId: saved.id });
        },
        claimId,
      );
    },
    [tag],
  );

  useEffect(() => {
    clickHandler.current = (ids) => {
      if (!linkMode) return false;
      const sourceId = ids.find((id) => byId.get(id)?.label === 'source');
      if (sourceId) link(linkMode, sourceId);
      else if (ids.length > 0)
        setMessage({ kind: 'info', text: 'That is not a source. Click a source tag, or select new text to tag it as a source.' });
      return ids.length > 0;
    };
  }, [linkMode, byId, link]);

  // In link mode, newly selected text becomes a source linked to the claim.
  const onMouseUp = useCallback(() => {
    if (!linkMode || !viewRef.current?.selectedTextRange()) return;
    tagLinkedSource(linkMode);
  }, [linkMode, tagLinkedSource]);

  // Suggestions for the selected claim: groups and other articles' claims most like it.
  useEffect(() => {
    let live = true;
    if (!selected || selected.label !== 'claim') {
      const t = setTimeout(() => live && setSuggestions([]), 0);
      return () => {
        live = false;
        clearTimeout(t);
      };
    }
    api['groups.suggest']({ annotationId: selected.id, limit: 5 })
      .then((s) => live && setSuggestions(s))
      .catch(() => live && setSuggestions([]));
    return () => {
      live = false;
    };
  }, [selected?.id, selected?.label, claimsVersion]); // eslint-disable-line react-hooks/exhaustive-deps

  /**
   * A grouping write on the undo stack: the grouping state of the groups and
   * claims it touches is read before and after it, so undo and redo put
   * either back. `write` says what it did.
   */
  const grouping = useCallback(
    (what: string, scope: { groupIds: string[]; annotationIds: string[] }, write: () => Promise<string>) => {
      const c: GroupingChange = { kind: 'grouping', what, forward: true, states: { before: null, after: null } };
      record(c);
      enqueue(async () => {
        c.states.before = await api['groups.snapshot'](scope);
        const done = await write();
        c.states.after = await api['groups.snapshot'](scope);
        setMessage({ kind: 'info', text: `${done} Ctrl+Z undoes it.` });
        setClaimsVersion((v) => v + 1);
      });
    },
    [record, enqueue],
  );

  const groupOf = useMemo(() => new Map(claims.memberships.map((m) => [m.annotationId, m])), [claims.memberships]);
  const say = useCallback((text: string) => setMessage({ kind: 'info', text }), []);
  const claimsChanged = useCallback(() => setClaimsVersion((v) => v + 1), []);
  const entities = useSourceEntities({ selected, claims, claimsVersion, record, enqueue, say, claimsChanged });

  /**
   * `y` or Join: brings the suggestion together with what the claim already
   * has. A claim in a group keeps it: a suggested claim joins that group, a
   * suggested group is merged into it. An ungrouped claim joins the
   * suggested group, or forms a new one with the suggested claim.
   */
  const acceptSuggestion = useCallback(
    (claimId: string, s: Suggestion) => {
      const own = groupOf.get(claimId) ?? null;
      const quote = byId.get(claimId)?.quote ?? '';
      if (own && s.kind === 'group') {
        grouping(`merging “${s.text}” into “${own.canonical}”`, { groupIds: [own.groupId, s.id], annotationIds: [claimId] }, async () => {
          const g = await api['groups.merge']({ intoId: own.groupId, fromId: s.id });
          return `Merged “${s.text}” into “${g.canonical}”.`;
        });
      } else if (own) {
        grouping(`adding “${s.text}” to “${own.canonical}”`, { groupIds: [own.groupId], annotationIds: [claimId, s.id] }, async () => {
          const g = await api['groups.assign']({ annotationId: s.id, groupId: own.groupId });
          return `Added “${s.text}” to “${g.canonical}”.`;
        });
      } else if (s.kind === 'group') {
        grouping(`grouping “${quote}” under “${s.text}”`, { groupIds: [s.id], annotationIds: [claimId] }, async () => {
          const g = await api['groups.assign']({ annotationId: claimId, groupId: s.id });
          return `Claim added to “${g.canonical}”.`;
        });
      } else {
        const id = crypto.randomUUID();
        grouping(`grouping “${quote}” with “${s.text}”`, { groupIds: [id], annotationIds: [claimId, s.id] }, async () => {
          const g = await api['groups.create']({ id, annotationIds: [claimId, s.id] });
          return `Grouped under “${g.canonical}”.`;
        });
      }
    },
    [groupOf, byId, grouping],
  );

  /** From the `g` picker: an existing group, or a new one the analyst chose to make. */
  const chooseGroup = useCallback(
    (claimId: string, choice: GroupChoice) => {
      const quote = byId.get(claimId)?.quote ?? '';
      const own = groupOf.get(claimId)?.groupId;
      if (choice.kind === 'group') {
        grouping(
          `grouping “${quote}” under “${choice.canonical}”`,
          { groupIds: [choice.id, ...(own ? [own] : [])], annotationIds: [claimId] },
          async () => {
            const g = await api['groups.assign']({ annotationId: claimId, groupId: choice.id });
            return `Claim added to “${g.canonical}”.`;
          },
        );
      } else {
        const id = crypto.randomUUID();
        grouping(
          `making the group “${choice.canonical}”`,
          { groupIds: [id, ...(own ? [own] : [])], annotationIds: [claimId] },
          async () => {
            const g = await api['groups.create']({ id, canonical: choice.canonical, annotationIds: [claimId] });
            return `New group “${g.canonical}”.`;
          },
        );
      }
    },
    [groupOf, byId, grouping],
  );

  const splitOut = useCallback(
    (claimId: string) => {
      const own = groupOf.get(claimId);
      if (!own) return;
      grouping(
        `splitting “${byId.get(claimId)?.quote ?? ''}” out of “${own.canonical}”`,
        { groupIds: [own.groupId], annotationIds: [claimId] },
        async () => {
          await api['groups.unassign']({ annotationId: claimId });
          return `Split out of “${own.canonical}” (the group is kept).`;
        },
      );
    },
    [groupOf, byId, grouping],
  );

  const labelName = useCallback((id: string) => labelById.get(id)?.name ?? id, [labelById]);
  const undo = useCallback(() => {
    const done = history.peekUndo();
    const c = history.undo();
    if (c) apply(c);
    if (done) setMessage({ kind: 'info', text: `Undid ${describe(done, labelName)}.` });
    setHistoryVersion((v) => v + 1);
  }, [history, apply, labelName]);

  const redo = useCallback(() => {
    const c = history.redo();
    if (c) apply(c);
    if (c) setMessage({ kind: 'info', text: `Redid ${describe(c, labelName)}.` });
    setHistoryVersion((v) => v + 1);
  }, [history, apply, labelName]);

  // Edit › Undo / Redo in the desktop menu reach this article's history.
  useEffect(() => {
    const offUndo = onAppCommand('undo', undo);
    const offRedo = onAppCommand('redo', redo);
    return () => {
      offUndo();
      offRedo();
    };
  }, [undo, redo]);

  const select = useCallback(
    (id: string | null, scroll = false) => {
      setSelectedId(id);
      const a = id ? byId.get(id) : undefined;
      if (scroll && a && index) viewRef.current?.scrollToText(index.toUtf16(a.start));
    },
    [byId, index],
  );

  // Keyboard first: label keys, Delete, Escape, j/k and undo/redo.
  useEffect(() => {
    if (blocked || picking || entities.picking) return;
    const onKey = (e: KeyboardEvent) => {
      // A dialog open over the article (an article's delete confirmation, say) has the keyboard.
      if (document.querySelector('.modal-backdrop')) return;
      // A key pressed before a new tag reached the app state (within a frame of tagging: `1` then `a`)
      // must see it: apply it now, then handle the key again with the handler that knows it.
      if (pendingShows.current.size > 0) {
        const shows = [...pendingShows.current.values()];
        pendingShows.current.clear();
        const selection = viewRef.current?.selectedTextRange() ?? null;
        flushSync(() => shows.forEach((f) => f()));
        // Drawing the new tag may put the editor's own selection back in the page, and it may not have seen the
        // selection the key was pressed on yet (it learns of it on the next selectionchange): keep that one.
        if (selection && !viewRef.current?.selectedTextRange()) viewRef.current?.selectInPage(selection.start, selection.end);
        e.preventDefault();
        e.stopImmediatePropagation();
        const again = new KeyboardEvent('keydown', {
          key: e.key,
          code: e.code,
          ctrlKey: e.ctrlKey,
          metaKey: e.metaKey,
          shiftKey: e.shiftKey,
          altKey: e.altKey,
          bubbles: true,
          cancelable: true,
        });
        // flushSync also ran the effects, so the listener that now receives this knows the new tag.
        (e.target instanceof Node && e.target.isConnected ? e.target : window).dispatchEvent(again);
        return;
      }
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && e.key.toLowerCase() === 'z') {
        if (isTypingTarget(e.target)) return;
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
        return;
      }
      if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'y') {
        if (isTypingTarget(e.target)) return;
        e.preventDefault();
        redo();
        return;
      }
      if (mod || e.altKey || isTypingTarget(e.target)) return;
      // A command key stays a command even where an older library gave it to a label.
      const label = COMMAND_KEYS[e.key] === undefined ? labels.find((l) => l.shortcut === e.key) : undefined;
      if (label) {
        e.preventDefault();
        e.stopPropagation();
        const hasText = viewRef.current?.selectedTextRange();
        if (hasText && linkMode && label.id === 'source') tagLinkedSource(linkMode);
        else if (hasText) tag(label.id);
        else if (selectedId) update(selectedId, { label: label.id });
        else setMessage({ kind: 'info', text: 'Select some text first, then press a label key.' });
        return;
      }
      if (e.key === 'Delete' || e.key === 'Backspace') {
        if (selectedId) {
          e.preventDefault();
          e.stopPropagation();
          remove(selectedId);
        }
        return;
      }
      if (e.key === 'Escape') {
        if (linkMode) setLinkMode(null);
        else setSelectedId(null);
        return;
      }
      // In link mode, Enter links the source j/k (or a click) selected.
      if (e.key === 'Enter' && linkMode) {
        e.preventDefault();
        if (selected?.label === 'source') link(linkMode, selected.id);
        else setMessage({ kind: 'info', text: 'Select a source tag (j / k) and press Enter, or select new text and press 2.' });
        return;
      }
      if (e.key === 'a' && !linkMode) {
        e.preventDefault();
        if (selected && refuseOthers(selected, 'attributed')) return;
        if (selected && ATTRIBUTABLE_LABELS.includes(selected.label)) setLinkMode(selected.id);
        else
          setMessage({
            kind: 'info',
            text: selected
              ? `A ${labelById.get(selected.label)?.name.toLowerCase() ?? selected.label} is not attributed: select a claim or an opinion, then press a.`
              : 'Select a claim or an opinion first, then press a to attribute it to a source.',
          });
        return;
      }
      if (e.key === 'c' && selected && selected.annotator !== annotator) {
        e.preventDefault();
        copyToMine(selected);
        return;
      }
      if (e.key === 'g' && selected?.label === 'claim') {
        e.preventDefault();
        setPicking(true);
        return;
      }
      if (e.key === 'y' && selected?.label === 'claim' && suggestions[0]) {
        e.preventDefault();
        acceptSuggestion(selected.id, suggestions[0]);
        return;
      }
      if (e.key === 'g' && selected?.label === 'source') {
        e.preventDefault();
        entities.setPicking(true);
        return;
      }
      if (e.key === 'y' && selected?.label === 'source' && entities.suggestions[0]) {
        e.preventDefault();
        entities.actions.onAcceptEntitySuggestion(selected.id, entities.suggestions[0]);
        return;
      }
      if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        pointer.current = null;
        setHover(null);
        const at = visible.findIndex((a) => a.id === selectedId);
        const next =
          e.key === 'j' ? (at < 0 ? 0 : Math.min(visible.length - 1, at + 1)) : at < 0 ? visible.length - 1 : Math.max(0, at - 1);
        const a = visible[next];
        if (a) select(a.id, true);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [
    blocked,
    picking,
    labels,
    selectedId,
    selected,
    visible,
    tag,
    update,
    remove,
    undo,
    redo,
    select,
    linkMode,
    suggestions,
    acceptSuggestion,
    link,
    tagLinkedSource,
    copyToMine,
    annotator,
    labelById,
    refuseOthers,
    entities,
  ]);

  // Paint the tags around what is on screen, once per frame while scrolling.
  const scrollRef = useRef<HTMLDivElement>(null);
  const frame = useRef(0);
  const onScroll = useCallback(() => {
    // A hover card belongs to the spot under the pointer, which scrolling moves away; it comes back when the pointer moves.
    pointer.current = null;
    setHover(null);
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (scrollRef.current) viewRef.current?.updatePaintWindow(scrollRef.current);
    });
  }, []);

  const onMouseMove = useCallback((e: React.MouseEvent) => {
    pointer.current = { x: e.clientX, y: e.clientY };
    const ids = viewRef.current?.annotationsAtCoords(e.clientX, e.clientY) ?? [];
    setHover(ids.length ? { x: e.clientX, y: e.clientY, ids } : null);
  }, []);
  const onMouseLeave = useCallback(() => {
    pointer.current = null;
    setHover(null);
  }, []);
  useEffect(() => {
    // The view paints a change on the next frame: read the tags under the pointer after it.
    const frame = requestAnimationFrame(() => {
      const at = pointer.current;
      if (!at) return;
      const ids = viewRef.current?.annotationsAtCoords(at.x, at.y) ?? [];
      setHover(ids.length ? { ...at, ids } : null);
    });
    return () => cancelAnimationFrame(frame);
  }, [annotations]);

  if (!article) {
    return <main className="pane article-pane loading">{message?.text ?? 'Opening article…'}</main>;
  }
  const shownArticle = meta && meta.id === article.id ? { ...article, ...meta, text: article.text } : article;
  const { counts, countsOf } = headerCounts;

  return (
    <>
      <main className="pane article-pane">
        <div className="toolbar" role="toolbar" aria-label="Tagging">
          {labels.map((l) => (
            <button
              key={l.id}
              className="tag-button"
              data-label={l.id}
              // Keep the text selection: do not take focus on mouse down.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => tag(l.id)}
              title={`${l.description} (key ${l.shortcut})`}
            >
              <span className="dot" aria-hidden="true" />
              {l.name}
              <kbd>{l.shortcut}</kbd>
            </button>
          ))}
          <span className="spacer" />
          <button className="icon-button" onClick={undo} disabled={!history.canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">
            ↶ Undo
          </button>
          <button className="icon-button" onClick={redo} disabled={!history.canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
            ↷ Redo
          </button>
          <span
            className={`save-status${unsaved ? ' saving' : saveFailed ? ' failed' : ''}`}
            role="status"
            data-pending={pending + dirtyNotes.size}
          >
            {pending > 0
              ? 'Saving…'
              : dirtyNotes.size > 0
                ? 'Note not saved yet…'
                : saveFailed
                  ? 'Last change not saved'
                  : 'All changes saved'}
          </span>
        </div>
        {/* Over the text, never above it: a banner that pushed the text down would move what the analyst is about to click. */}
        <div className="banners">
          {message && (
            <div className={`message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
              {message.text}
              <button className="link" onClick={() => setMessage(null)} aria-label="Dismiss">
                ×
              </button>
            </div>
          )}
          {linkMode && (
            <div className="message link" role="status">
              Attributing “{(byId.get(linkMode)?.quote ?? '').slice(0, 60)}”: click a source tag (or pick one with j / k and press Enter),
              or select new text to tag it as a source (drag, or Shift+arrows and 2). Esc cancels.
            </div>
          )}
        </div>
        {layers.size > 1 && (
          <div className="layers" role="group" aria-label="Annotator layers">
            <span className="muted small">Layers</span>
            {[...layers].map(([name, layer]) => (
              <label key={name} className="layer-toggle" data-layer={layer}>
                <input
                  type="checkbox"
                  checked={!hiddenLayers.has(name)}
                  onChange={(e) =>
                    setHiddenLayers((h) => {
                      const next = new Set(h);
                      if (e.target.checked) next.delete(name);
                      else next.add(name);
                      return next;
                    })
                  }
                />
                <span className="layer-sample" aria-hidden="true" />
                {name === annotator ? `${name} (you)` : name}{' '}
                <span className="muted small">{annotations.filter((a) => a.annotator === name).length}</span>
              </label>
            ))}
          </div>
        )}
        <div
          className={`article-scroll${linkMode ? ' link-mode' : ''}`}
          onMouseMove={onMouseMove}
          onMouseLeave={onMouseLeave}
          onMouseUp={onMouseUp}
          onScroll={onScroll}
          ref={scrollRef}
        >
          <article className="article">
            <ArticleHeader article={shownArticle} labels={labels} counts={counts} countsOf={countsOf} onChanged={setArticleMeta} />
            <div ref={mountRef} className="article-body" />
          </article>
        </div>
        {hover && (
          <div className="hover-card" style={{ left: hover.x + 14, top: hover.y + 16 }} role="tooltip">
            {hover.ids.map((id) => {
              const a = byId.get(id);
              if (!a) return null;
              return (
                <div key={id} className="hover-row">
                  <LabelChip label={labelById.get(a.label)} />
                  <span className="hover-quote">{a.quote.length > 60 ? `${a.quote.slice(0, 60)}…` : a.quote}</span>
                  <span className="muted">{a.annotator}</span>
                </div>
              );
            })}
          </div>
        )}
      </main>
      {picking && selected && (
        <GroupPicker
          claim={selected}
          currentGroupId={groupOf.get(selected.id)?.groupId ?? null}
          onClose={() => setPicking(false)}
          onChoose={(choice) => {
            setPicking(false);
            chooseGroup(selected.id, choice);
          }}
        />
      )}
      {entities.picking && selected?.label === 'source' && (
        <EntityPicker
          source={selected}
          currentEntityId={entities.entityOf.get(selected.id)?.entityId ?? null}
          onClose={() => entities.setPicking(false)}
          onChoose={(choice) => {
            entities.setPicking(false);
            entities.choose(selected.id, choice);
          }}
        />
      )}
      <AnnotationList
        entitySuggestions={entities.suggestions}
        entityActions={entities.actions}
        entityMergeRequest={entities.mergeRequest}
        onEntityMergeRequestDone={entities.clearMergeRequest}
        annotations={visible}
        byId={byId}
        claims={claims}
        suggestions={suggestions}
        onLinkMode={(id) => setLinkMode(id)}
        onPickGroup={() => setPicking(true)}
        onAcceptSuggestion={acceptSuggestion}
        onUnlink={(id) => enqueue(async () => void (await api['links.delete']({ id })))}
        onLinkKind={(id, kind: AttributionKind) => enqueue(async () => void (await api['links.update']({ id, kind })))}
        onSplit={splitOut}
        labels={labels}
        selectedId={selectedId}
        onSelect={(id) => select(id, true)}
        onRelabel={(id, label) => update(id, { label })}
        onNote={(id, note, session) => update(id, { note }, session)}
        onNoteDirty={onNoteDirty}
        onDelete={remove}
        me={annotator}
        onCopy={(id) => {
          const a = byId.get(id);
          if (a) copyToMine(a);
        }}
      />
    </>
  );
}
