import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  ATTRIBUTION_KINDS,
  ATTRIBUTION_LABELS,
  type Annotation,
  type ArticleClaims,
  type AttributionKind,
  type Label,
  type Suggestion,
} from '../../shared/schemas.js';
import { LabelChip } from '../components/LabelChip.js';
import type { EntitySuggestion } from '../../shared/entities.js';
import { SourceEntityPanel, type EntityActions } from './SourceEntityPanel.js';

interface Props {
  /** In text order. */
  annotations: readonly Annotation[];
  /** Every annotation of the article by id (also those of hidden layers, which links may name). */
  byId: ReadonlyMap<string, Annotation>;
  labels: readonly Label[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onRelabel: (id: string, label: string) => void;
  onNote: (id: string, note: string, session: string) => void;
  /** A note is being typed and not yet sent (or is sent again). */
  onNoteDirty: (id: string, dirty: boolean) => void;
  onDelete: (id: string) => void;
  claims: ArticleClaims;
  suggestions: readonly Suggestion[];
  onLinkMode: (claimId: string) => void;
  onPickGroup: () => void;
  onAcceptSuggestion: (claimId: string, s: Suggestion) => void;
  onUnlink: (linkId: string) => void;
  onLinkKind: (linkId: string, kind: AttributionKind) => void;
  onSplit: (claimId: string) => void;
  /** The annotator using the app: everyone else's tags are read-only here. */
  me: string | null;
  onCopy: (id: string) => void;
  /** Entities and wordings like the selected source's. */
  entitySuggestions: readonly EntitySuggestion[];
  entityActions: EntityActions;
  /** A merge of the selected source's entity into this entity, to confirm (from `y`). */
  entityMergeRequest: string | null;
  onEntityMergeRequestDone: () => void;
}

/** Attribution, group and suggestions of the selected claim; the claims a selected source stands behind. */
function ClaimPanel({ a, byId, p }: { a: Annotation; byId: ReadonlyMap<string, Annotation>; p: Props }) {
  const group = p.claims.memberships.find((m) => m.annotationId === a.id);
  // A colleague's attributions are their layer: shown, not changed (the API refuses it too).
  const mine = a.annotator === p.me;
  if (a.label === 'source') {
    const claims = p.claims.links.filter((l) => l.sourceId === a.id);
    return (
      <div className="claim-panel">
        <SourceEntityPanel
          source={a}
          own={p.claims.entities.find((e) => e.annotationId === a.id) ?? null}
          suggestions={p.entitySuggestions}
          mergeRequest={p.entityMergeRequest}
          onMergeRequestDone={p.onEntityMergeRequestDone}
          actions={p.entityActions}
        />
        <h4>Source for</h4>
        {claims.length === 0 && <p className="muted small">No claim is attributed to this source yet. Select a claim and press a.</p>}
        <ul>
          {claims.map((l) => (
            <li key={l.id}>
              <button className="link-button" onClick={() => p.onSelect(l.claimId)}>
                “{byId.get(l.claimId)?.quote ?? '…'}”
              </button>{' '}
              <span className="muted small">({ATTRIBUTION_LABELS[l.kind]})</span>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  if (a.label === 'opinion') {
    // Who holds the opinion: sources linked as to a claim.
    const holders = p.claims.links.filter((l) => l.claimId === a.id);
    return (
      <div className="claim-panel">
        <h4>Held by</h4>
        {holders.length === 0 && <p className="muted small">No source yet.</p>}
        <ul className="links">
          {holders.map((l) => (
            <li key={l.id} className="link-row" data-label="source">
              <button className="link-button source-quote" onClick={() => p.onSelect(l.sourceId)}>
                {byId.get(l.sourceId)?.quote ?? '…'}
              </button>
              {l.annotator === p.me && (
                <button
                  className="link-button danger-text"
                  aria-label="Remove attribution"
                  title="Remove attribution"
                  onClick={() => p.onUnlink(l.id)}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
        {mine && (
          <button className="secondary small-button" onClick={() => p.onLinkMode(a.id)}>
            Link a source <kbd>a</kbd>
          </button>
        )}
      </div>
    );
  }
  if (a.label !== 'claim') return null;
  const links = p.claims.links.filter((l) => l.claimId === a.id);
  return (
    <div className="claim-panel">
      <h4>Attributed to</h4>
      {links.length === 0 && <p className="muted small">No source yet.</p>}
      <ul className="links">
        {links.map((l) => (
          <li key={l.id} className="link-row" data-label="source">
            <button className="link-button source-quote" onClick={() => p.onSelect(l.sourceId)}>
              {byId.get(l.sourceId)?.quote ?? '…'}
            </button>
            {l.annotator === p.me ? (
              <>
                <select
                  aria-label="Attribution kind"
                  value={l.kind}
                  onChange={(e) => p.onLinkKind(l.id, e.target.value as AttributionKind)}
                >
                  {ATTRIBUTION_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {ATTRIBUTION_LABELS[k]}
                    </option>
                  ))}
                </select>
                <button
                  className="link-button danger-text"
                  aria-label="Remove attribution"
                  title="Remove attribution"
                  onClick={() => p.onUnlink(l.id)}
                >
                  ×
                </button>
              </>
            ) : (
              <span className="muted small">{ATTRIBUTION_LABELS[l.kind]}</span>
            )}
          </li>
        ))}
      </ul>
      {mine && (
        <button className="secondary small-button" onClick={() => p.onLinkMode(a.id)}>
          Link a source <kbd>a</kbd>
        </button>
      )}
      <h4>Claim group</h4>
      {group ? (
        <p className="group-line">
          <span className="group-name">{group.canonical}</span>
          <button className="link-button" onClick={p.onPickGroup}>
            Move…
          </button>
          <button className="link-button" onClick={() => p.onSplit(a.id)}>
            Split out
          </button>
        </p>
      ) : (
        <button className="secondary small-button" onClick={p.onPickGroup}>
          Add to a group <kbd>g</kbd>
        </button>
      )}
      {p.suggestions.length > 0 && (
        <>
          <h4>Similar claims</h4>
          <ul className="suggestions" aria-label="Suggestions">
            {p.suggestions.map((s, i) => (
              <li key={s.id}>
                <span className="suggestion-text">
                  {s.kind === 'group' ? <strong>Group: </strong> : null}
                  {s.text}
                  {s.kind === 'claim' && <span className="muted small"> — {s.outlet ?? s.articleTitle}</span>}
                </span>
                <span className="score" title="Similarity of wording (TF-IDF cosine)">
                  {Math.round(s.score * 100)}%
                </span>
                <button className="secondary small-button" onClick={() => p.onAcceptSuggestion(a.id, s)}>
                  {s.kind === 'group' ? 'Join' : 'Group together'}
                  {i === 0 && <kbd>y</kbd>}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** One formatter for every row: `toLocaleString` with options builds a new one per call. */
const TIME_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : TIME_FORMAT.format(d);
}

/** How long typing pauses before a note is saved. */
const NOTE_SAVE_DELAY = 700;

/**
 * A note field saved as the analyst types (after a short pause), when it
 * loses focus and on Ctrl/Cmd+Enter. Saves made while it has focus are one
 * undo step. While what is typed is not yet sent, `onDirty` says so: the save
 * indicator counts it as unsaved, and leaving the page asks first.
 */
function NoteEditor({
  id,
  value,
  onSave,
  onDirty,
}: {
  id: string;
  value: string;
  onSave: (note: string, session: string) => void;
  onDirty: (id: string, dirty: boolean) => void;
}) {
  const [draft, setDraft] = useState(value);
  /** The note as last sent or received: what is typed beyond it is unsaved. */
  const [sent, setSent] = useState(value);
  // The stored note changed under the field (undo, redo): show it, unless something typed is waiting to be saved.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (draft === sent) setDraft(value);
    setSent(value);
  }
  const session = useRef('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef({ draft, sent, onSave, onDirty });
  useEffect(() => {
    latest.current = { draft, sent, onSave, onDirty };
  });
  const flush = useCallback(() => {
    clearTimeout(timer.current);
    const { draft: d, sent: s, onSave: save, onDirty: dirty } = latest.current;
    if (d !== s) {
      latest.current.sent = d;
      setSent(d);
      save(d, session.current || crypto.randomUUID());
    }
    dirty(id, false);
  }, [id]);
  // Leaving the tag (or the article) saves what was typed.
  useEffect(() => () => flush(), [flush]);
  return (
    <textarea
      className="note-editor"
      aria-label="Note"
      placeholder="Add a note…"
      title="Saved as you type"
      value={draft}
      rows={3}
      maxLength={10000}
      onFocus={() => {
        session.current = crypto.randomUUID();
      }}
      onChange={(e) => {
        setDraft(e.target.value);
        onDirty(id, e.target.value !== sent);
        clearTimeout(timer.current);
        timer.current = setTimeout(flush, NOTE_SAVE_DELAY);
      }}
      onBlur={flush}
      onKeyDown={(e) => {
        if ((e.key === 'Enter' && (e.ctrlKey || e.metaKey)) || e.key === 'Escape') {
          e.preventDefault();
          flush();
          (e.target as HTMLTextAreaElement).blur();
        }
      }}
    />
  );
}

interface ItemProps {
  a: Annotation;
  selected: boolean;
  props: Props;
  labelById: Map<string, Label>;
  byId: ReadonlyMap<string, Annotation>;
  group: string | undefined;
  sources: number | undefined;
  /** A source's entity name. */
  entity: string | undefined;
}

/** One annotation in the sidebar; expanded into an editor when selected. */
function AnnotationItem({ a, selected, props, labelById, byId, group, sources, entity }: ItemProps) {
  const { labels, onSelect, onRelabel, onNote, onDelete } = props;
  return (
    <div className={`annotation-item${selected ? ' selected' : ''}`} data-label={a.label} data-annotation-item={a.id}>
      <button className="annotation-summary" onClick={() => onSelect(a.id)} aria-expanded={selected}>
        <span className="row">
          <LabelChip label={labelById.get(a.label)} />
          <span className="muted small">
            {a.annotator} · {formatTime(a.updatedAt)}
          </span>
        </span>
        <q className="quote">{a.quote}</q>
        {a.label === 'claim' && (group !== undefined || sources !== undefined) && (
          <span className="claim-badges muted small">
            {sources !== undefined && `${sources} source${sources === 1 ? '' : 's'}`}
            {sources !== undefined && group !== undefined && ' · '}
            {group !== undefined && `group: ${group}`}
          </span>
        )}
        {entity !== undefined && <span className="claim-badges muted small">entity: {entity}</span>}
        {a.note && !selected && <span className="note">{a.note}</span>}
      </button>
      {selected && a.annotator !== props.me && (
        <div className="annotation-editor read-only">
          <p className="muted small">
            {a.annotator === 'gold' ? 'The gold layer is written in Review' : `${a.annotator}’s layer`}: read-only here.
          </p>
          <ClaimPanel a={a} byId={byId} p={props} />
          {a.note && <p className="note">{a.note}</p>}
          <div className="editor-actions">
            <span className="muted small">
              chars {a.start}–{a.end}
            </span>
            <button className="secondary" onClick={() => props.onCopy(a.id)} title="Copy this tag into your layer (c)">
              Copy to my layer <kbd>c</kbd>
            </button>
          </div>
        </div>
      )}
      {selected && a.annotator === props.me && (
        <div className="annotation-editor">
          <div className="relabel" role="group" aria-label="Label">
            {labels.map((l) => (
              <button
                key={l.id}
                className={`relabel-button${l.id === a.label ? ' active' : ''}`}
                data-label={l.id}
                aria-pressed={l.id === a.label}
                onClick={() => onRelabel(a.id, l.id)}
              >
                <span className="dot" aria-hidden="true" />
                {l.name}
              </button>
            ))}
          </div>
          <ClaimPanel a={a} byId={byId} p={props} />
          <NoteEditor
            key={a.id}
            id={a.id}
            value={a.note}
            onSave={(note, session) => onNote(a.id, note, session)}
            onDirty={props.onNoteDirty}
          />
          <div className="editor-actions">
            <span className="muted small">
              chars {a.start}–{a.end}
            </span>
            <button className="danger" onClick={() => onDelete(a.id)} title="Delete (Delete or Backspace)">
              Delete
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

const ROW_ESTIMATE = 84;

/**
 * A row's height from the ResizeObserver's report. When a row mounts there is
 * no report yet, and the default reads `getBoundingClientRect`, which forces
 * a layout of the whole page, a book-length article included, in the middle
 * of the render that follows each new tag; the size known for the row (or the
 * estimate) does until the observer's first report, which comes before the
 * frame is painted.
 */
function measureRow(el: Element, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, Element>): number {
  const box = entry?.borderBoxSize[0];
  if (box) return Math.round(box.blockSize);
  const index = instance.indexFromElement(el);
  return instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? ROW_ESTIMATE;
}

/**
 * The right pane: the article's annotations in text order; the selected one
 * can be edited. Virtualised: only the rows on screen exist, so an article
 * with 50,000 tags opens as fast as one with fifty.
 */
export function AnnotationList(props: Props) {
  const { annotations, labels, selectedId, claims, byId } = props;
  const labelById = useMemo(() => new Map(labels.map((l) => [l.id, l])), [labels]);
  const groupOf = useMemo(() => new Map(claims.memberships.map((m) => [m.annotationId, m.canonical])), [claims.memberships]);
  const entityOf = useMemo(() => new Map(claims.entities.map((m) => [m.annotationId, m.name])), [claims.entities]);
  const sourceCount = useMemo(() => {
    const m = new Map<string, number>();
    for (const l of claims.links) m.set(l.claimId, (m.get(l.claimId) ?? 0) + 1);
    return m;
  }, [claims.links]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // Stable between renders: the virtualizer recomputes every row's position (50,000 on a book) whenever this function changes.
  const getItemKey = useCallback((i: number) => annotations[i]?.id ?? i, [annotations]);
  // The React Compiler cannot memoise this hook; this app does not use the compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: annotations.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
    getItemKey,
    measureElement: measureRow,
  });
  useEffect(() => {
    const i = selectedId ? annotations.findIndex((a) => a.id === selectedId) : -1;
    if (i >= 0) virtualizer.scrollToIndex(i, { align: 'auto' });
  }, [selectedId]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <aside className="pane annotations" aria-label="Annotations">
      <header className="pane-header">
        <h2>Annotations</h2>
        <span className="muted">{annotations.length}</span>
      </header>
      {annotations.length === 0 && (
        <p className="empty hint">
          Select text in the article and press <kbd>1</kbd> claim, <kbd>2</kbd> source or <kbd>3</kbd> opinion.
        </p>
      )}
      <div className="annotation-list" ref={scrollRef}>
        <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const a = annotations[v.index];
            if (!a) return null;
            return (
              <div
                key={v.key}
                data-index={v.index}
                ref={virtualizer.measureElement}
                className="virtual-row"
                style={{ transform: `translateY(${v.start}px)` }}
              >
                <AnnotationItem
                  a={a}
                  selected={a.id === selectedId}
                  props={props}
                  labelById={labelById}
                  byId={byId}
                  group={groupOf.get(a.id)}
                  sources={sourceCount.get(a.id)}
                  entity={a.label === 'source' ? entityOf.get(a.id) : undefined}
                />
              </div>
            );
          })}
        </div>
      </div>
    </aside>
  );
}
