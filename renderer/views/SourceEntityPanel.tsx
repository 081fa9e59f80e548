import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { EntityMembership, EntitySuggestion, SourceEntity } from '../../shared/entities.js';
import type { Annotation } from '../../shared/schemas.js';
import { api } from '../api/client.js';
import { entitySummary } from './EntityPicker.js';
import { MergePicker, type MergeItem, type MergeWords } from './MergePicker.js';

export const ENTITY_WORDS: MergeWords = {
  noun: 'source entity',
  member: 'source',
  undo: 'Ctrl+Z in the article',
  kept: 'name stays',
  placeholder: 'Search by name or wording…',
};

const entityItem = (e: SourceEntity): MergeItem => ({
  id: e.id,
  name: e.name,
  summary: entitySummary(e),
  count: e.memberCount,
  keywords: e.wordings,
});

export interface EntityActions {
  /** `g`: the entity picker. */
  onPickEntity: () => void;
  /** `y` on the first suggestion, or its button. */
  onAcceptEntitySuggestion: (sourceId: string, s: EntitySuggestion) => void;
  onRenameEntity: (entityId: string, from: string, to: string) => void;
  onUnlinkEntity: (sourceId: string) => void;
  onMergeEntity: (from: { id: string; name: string }, into: { id: string; name: string }) => void;
}

/** What the button of a suggestion does, given the source's own entity. */
export function suggestionAction(s: EntitySuggestion, own: EntityMembership | null): string {
  if (s.kind === 'entity') return own ? 'Merge…' : 'Link';
  return own ? `Add to “${own.name}”` : 'Link together';
}

/**
 * A selected source's entity: its name (rename, change, take out, merge
 * into another, confirmed), or the entities and wordings most like it to
 * link with. Every change is undoable in the article.
 */
export function SourceEntityPanel({
  source,
  own,
  suggestions,
  mergeRequest,
  onMergeRequestDone,
  actions,
}: {
  source: Annotation;
  own: EntityMembership | null;
  suggestions: readonly EntitySuggestion[];
  mergeRequest: string | null;
  onMergeRequestDone: () => void;
  actions: EntityActions;
}) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [merging, setMerging] = useState<{ entities: SourceEntity[]; into: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const openMerge = (into: string | null) => {
    api['entities.list']({})
      .then((entities) => setMerging({ entities, into }))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  // `y` on a suggested entity while the source has one: the merge opens on its confirmation.
  useEffect(() => {
    if (mergeRequest === null) return;
    onMergeRequestDone();
    openMerge(mergeRequest);
  }, [mergeRequest, onMergeRequestDone]);

  const from = merging && own ? merging.entities.find((e) => e.id === own.entityId) : undefined;
  const initial = merging?.into ? merging.entities.find((e) => e.id === merging.into) : undefined;

  return (
    <div className="entity-panel">
      <h4>Source entity</h4>
      {own ? (
        renaming !== null ? (
          <input
            autoFocus
            className="filter wide"
            aria-label="Entity name"
            value={renaming}
            onChange={(e) => setRenaming(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                if (renaming.trim() && renaming.trim() !== own.name) actions.onRenameEntity(own.entityId, own.name, renaming.trim());
                setRenaming(null);
              } else if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                setRenaming(null);
              }
            }}
            onBlur={() => setRenaming(null)}
          />
        ) : (
          <p className="group-line entity-line">
            <span className="group-name entity-name">{own.name}</span>
            <span className="entity-actions">
              <button className="link-button" onClick={() => setRenaming(own.name)}>
                Rename…
              </button>
              <button className="link-button" onClick={actions.onPickEntity}>
                Change…
              </button>
              <button className="link-button" onClick={() => actions.onUnlinkEntity(source.id)}>
                Take out
              </button>
              <button className="link-button" onClick={() => openMerge(null)}>
                Merge into…
              </button>
            </span>
          </p>
        )
      ) : (
        <button className="secondary small-button" onClick={actions.onPickEntity}>
          Link to an entity <kbd>g</kbd>
        </button>
      )}
      {error && <p className="error small">{error}</p>}
      {suggestions.length > 0 && (
        <>
          <h4>Same source?</h4>
          <ul className="suggestions" aria-label="Source suggestions">
            {suggestions.map((s, i) => (
              <li key={`${s.kind}:${s.id}`}>
                <span className="suggestion-text">
                  {s.kind === 'entity' ? <strong>Entity: </strong> : null}
                  {s.kind === 'entity' ? s.text : `“${s.text}”`}
                  <span className="muted small">
                    {' '}
                    · {s.annotationIds.length} source{s.annotationIds.length === 1 ? '' : 's'}
                  </span>
                </span>
                <span className="score" title="Similarity of the names (shared name words, titles aside)">
                  {Math.round(s.score * 100)}%
                </span>
                <button className="secondary small-button" onClick={() => actions.onAcceptEntitySuggestion(source.id, s)}>
                  {suggestionAction(s, own)}
                  {i === 0 && <kbd>y</kbd>}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {merging &&
        own &&
        from &&
        // Over the whole window: the sidebar scrolls and clips what it holds.
        createPortal(
          <MergePicker
            from={entityItem(from)}
            items={merging.entities.map(entityItem)}
            words={ENTITY_WORDS}
            initial={initial ? entityItem(initial) : null}
            onCancel={() => setMerging(null)}
            onMerge={(into) => {
              setMerging(null);
              actions.onMergeEntity({ id: own.entityId, name: own.name }, { id: into.id, name: into.name });
            }}
          />,
          document.body,
        )}
    </div>
  );
}
