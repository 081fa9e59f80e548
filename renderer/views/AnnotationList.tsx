import { useEffect, useRef, useState } from 'react';
import type { Annotation, Label } from '../../shared/schemas.js';
import { LabelChip } from '../components/LabelChip.js';

interface Props {
  annotations: readonly Annotation[];
  labels: readonly Label[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onRelabel: (id: string, label: string) => void;
  onNote: (id: string, note: string) => void;
  onDelete: (id: string) => void;
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A note field that saves when it loses focus or on Ctrl/Cmd+Enter: one undo step per edit. */
function NoteEditor({ value, onSave }: { value: string; onSave: (note: string) => void }) {
  const [draft, setDraft] = useState(value);
  const commit = () => {
    if (draft !== value) onSave(draft);
  };
  return (
    <textarea
      className="note-editor"
      aria-label="Note"
      placeholder="Add a note…"
      title="Saved when you leave the field or press Ctrl+Enter"
      value={draft}
      rows={3}
      maxLength={10000}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          commit();
          (e.target as HTMLTextAreaElement).blur();
        }
        if (e.key === 'Escape') {
          setDraft(value);
          (e.target as HTMLTextAreaElement).blur();
        }
      }}
    />
  );
}

/** The right pane: the article's annotations in text order; the selected one can be edited. */
export function AnnotationList({ annotations, labels, selectedId, onSelect, onRelabel, onNote, onDelete }: Props) {
  const labelById = new Map(labels.map((l) => [l.id, l]));
  const selectedRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);
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
      <ul className="annotation-list">
        {annotations.map((a) => {
          const selected = a.id === selectedId;
          return (
            <li key={a.id} ref={selected ? selectedRef : undefined} className={`annotation-item${selected ? ' selected' : ''}`} data-label={a.label} data-annotation-item={a.id}>
              <button className="annotation-summary" onClick={() => onSelect(a.id)} aria-expanded={selected}>
                <span className="row">
                  <LabelChip label={labelById.get(a.label)} />
                  <span className="muted small">
                    {a.annotator} · {formatTime(a.updatedAt)}
                  </span>
                </span>
                <q className="quote">{a.quote}</q>
                {a.note && !selected && <span className="note">{a.note}</span>}
              </button>
              {selected && (
                <div className="annotation-editor">
                  <div className="relabel" role="group" aria-label="Label">
                    {labels.map((l) => (
                      <button key={l.id} className={`relabel-button${l.id === a.label ? ' active' : ''}`} data-label={l.id} aria-pressed={l.id === a.label} onClick={() => onRelabel(a.id, l.id)}>
                        <span className="dot" aria-hidden="true" />
                        {l.name}
                      </button>
                    ))}
                  </div>
                  <NoteEditor key={`${a.id}:${a.updatedAt}`} value={a.note} onSave={(note) => onNote(a.id, note)} />
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
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
