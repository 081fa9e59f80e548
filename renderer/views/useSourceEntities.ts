import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EntitySuggestion } from '../../shared/entities.js';
import type { Annotation, ArticleClaims } from '../../shared/schemas.js';
import { api } from '../api/client.js';
import type { PickerChoice } from '../components/ChoicePicker.js';
import type { Change, EntityChange } from '../state/history.js';
import type { EntityActions } from './SourceEntityPanel.js';

interface Deps {
  selected: Annotation | undefined;
  claims: ArticleClaims;
  claimsVersion: number;
  record: (c: Change) => void;
  enqueue: (write: () => Promise<void>) => void;
  say: (text: string) => void;
  claimsChanged: () => void;
}

const short = (s: string) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 50 ? `${one.slice(0, 50)}…` : one;
};

/**
 * The selected source's entity in the article view: suggestions, the `g`
 * picker, `y`, and every entity write as one undoable step (the entity state
 * of what it touches is read before and after it, as for grouping).
 */
export function useSourceEntities({ selected, claims, claimsVersion, record, enqueue, say, claimsChanged }: Deps) {
  const [suggestions, setSuggestions] = useState<EntitySuggestion[]>([]);
  const [picking, setPicking] = useState(false);
  const [mergeRequest, setMergeRequest] = useState<string | null>(null);
  const entityOf = useMemo(() => new Map(claims.entities.map((m) => [m.annotationId, m])), [claims.entities]);

  useEffect(() => {
    let live = true;
    if (!selected || selected.label !== 'source') {
      const t = setTimeout(() => live && setSuggestions([]), 0);
      return () => {
        live = false;
        clearTimeout(t);
      };
    }
    api['entities.suggest']({ annotationId: selected.id, limit: 5 })
      .then((s) => live && setSuggestions(s))
      .catch(() => live && setSuggestions([]));
    return () => {
      live = false;
    };
  }, [selected?.id, selected?.label, claimsVersion]); // eslint-disable-line react-hooks/exhaustive-deps

  const write = useCallback(
    (what: string, scope: { entityIds: string[]; annotationIds: string[] }, run: () => Promise<string>) => {
      const c: EntityChange = { kind: 'entities', what, forward: true, states: { before: null, after: null } };
      record(c);
      enqueue(async () => {
        c.states.before = await api['entities.snapshot'](scope);
        const done = await run();
        c.states.after = await api['entities.snapshot'](scope);
        say(`${done} Ctrl+Z undoes it.`);
        claimsChanged();
      });
    },
    [record, enqueue, say, claimsChanged],
  );

  /** `y` or a suggestion's button. An entity suggested while the source has one is merged only after a confirmation. */
  const accept = useCallback(
    (sourceId: string, s: EntitySuggestion) => {
      const own = entityOf.get(sourceId) ?? null;
      const quote = short(selected?.quote ?? '');
      if (s.kind === 'entity' && own) {
        setMergeRequest(s.id);
      } else if (s.kind === 'entity') {
        write(`linking “${quote}” to “${s.text}”`, { entityIds: [s.id], annotationIds: [sourceId] }, async () => {
          const e = await api['entities.link']({ entityId: s.id, annotationIds: [sourceId] });
          return `Linked to “${e.name}”.`;
        });
      } else if (own) {
        write(`adding “${short(s.text)}” to “${own.name}”`, { entityIds: [own.entityId], annotationIds: s.annotationIds }, async () => {
          const e = await api['entities.link']({ entityId: own.entityId, annotationIds: s.annotationIds });
          return `${s.annotationIds.length} source${s.annotationIds.length === 1 ? '' : 's'} worded “${short(s.text)}” added to “${e.name}”.`;
        });
      } else {
        const id = crypto.randomUUID();
        write(
          `linking “${quote}” with “${short(s.text)}”`,
          { entityIds: [id], annotationIds: [sourceId, ...s.annotationIds] },
          async () => {
            const e = await api['entities.create']({ id, annotationIds: [sourceId, ...s.annotationIds] });
            return `Linked as “${e.name}” (${e.memberCount} sources).`;
          },
        );
      }
    },
    [entityOf, selected?.quote, write],
  );

  /** From the `g` picker: an existing entity, or a new one the analyst chose to make. */
  const choose = useCallback(
    (sourceId: string, choice: PickerChoice) => {
      const own = entityOf.get(sourceId)?.entityId;
      const quote = short(selected?.quote ?? '');
      if (choice.kind === 'existing') {
        write(
          `linking “${quote}” to “${choice.text}”`,
          { entityIds: [choice.id, ...(own ? [own] : [])], annotationIds: [sourceId] },
          async () => {
            const e = await api['entities.link']({ entityId: choice.id, annotationIds: [sourceId] });
            return `Linked to “${e.name}”.`;
          },
        );
      } else {
        const id = crypto.randomUUID();
        write(`making the entity “${choice.text}”`, { entityIds: [id, ...(own ? [own] : [])], annotationIds: [sourceId] }, async () => {
          const e = await api['entities.create']({ id, name: choice.text, annotationIds: [sourceId] });
          return `New source entity “${e.name}”.`;
        });
      }
    },
    [entityOf, selected?.quote, write],
  );

  const actions: EntityActions = useMemo(
    () => ({
      onPickEntity: () => setPicking(true),
      onAcceptEntitySuggestion: accept,
      onRenameEntity: (entityId, from, to) =>
        write(`renaming “${from}” to “${to}”`, { entityIds: [entityId], annotationIds: [] }, async () => {
          const e = await api['entities.rename']({ id: entityId, name: to });
          return `Renamed to “${e.name}”.`;
        }),
      onUnlinkEntity: (sourceId) => {
        const own = entityOf.get(sourceId);
        if (!own) return;
        write(
          `taking “${short(selected?.quote ?? '')}” out of “${own.name}”`,
          { entityIds: [own.entityId], annotationIds: [sourceId] },
          async () => {
            await api['entities.unlink']({ annotationId: sourceId });
            return `Taken out of “${own.name}” (the entity is kept).`;
          },
        );
      },
      onMergeEntity: (from, into) =>
        write(`merging “${from.name}” into “${into.name}”`, { entityIds: [from.id, into.id], annotationIds: [] }, async () => {
          const e = await api['entities.merge']({ intoId: into.id, fromId: from.id });
          return `Merged “${from.name}” into “${e.name}” (${e.memberCount} sources).`;
        }),
    }),
    [accept, write, entityOf, selected?.quote],
  );

  return {
    suggestions,
    picking,
    setPicking,
    mergeRequest,
    clearMergeRequest: useCallback(() => setMergeRequest(null), []),
    actions,
    choose,
    entityOf,
  };
}
