import { useEffect, useMemo, useState } from 'react';
import type { SourceEntity } from '../../shared/entities.js';
import type { Annotation } from '../../shared/schemas.js';
import { entityNameFrom } from '../../shared/source-names.js';
import { api } from '../api/client.js';
import { ChoicePicker, type PickerChoice } from '../components/ChoicePicker.js';

/** How an entity is told apart in lists: its size and the wordings it is quoted by. */
export function entitySummary(e: Pick<SourceEntity, 'memberCount' | 'wordings' | 'name'>): string {
  const wordings = e.wordings.filter((w) => w !== e.name);
  const quoted =
    wordings.length > 2
      ? `${wordings
          .slice(0, 2)
          .map((w) => `“${w}”`)
          .join(', ')} +${wordings.length - 2}`
      : wordings.map((w) => `“${w}”`).join(', ');
  const size = e.memberCount === 0 ? 'no source' : `${e.memberCount} source${e.memberCount === 1 ? '' : 's'}`;
  return quoted ? `${size} · ${quoted}` : size;
}

/**
 * `g` on a source: link it to a source entity. Existing entities first, the
 * best match highlighted (with nothing typed: those whose names are most
 * like the source's wording); a new entity, named after the wording without
 * titles ("Marco Rubio"), is the last entry, made only when chosen.
 */
export function EntityPicker({
  source,
  currentEntityId,
  onClose,
  onChoose,
}: {
  source: Pick<Annotation, 'id' | 'quote'>;
  currentEntityId: string | null;
  onClose: () => void;
  onChoose: (choice: PickerChoice) => void;
}) {
  const [entities, setEntities] = useState<SourceEntity[] | null>(null);
  const [similarity, setSimilarity] = useState<Map<string, number>>(new Map());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api['entities.list']({})
      .then(setEntities)
      .catch((e: unknown) => setError(String(e)));
    api['entities.suggest']({ annotationId: source.id, limit: 50 })
      .then((s) => setSimilarity(new Map(s.filter((x) => x.kind === 'entity').map((x) => [x.id, x.score]))))
      .catch(() => undefined);
  }, [source.id]);

  const items = useMemo(() => entities?.map((e) => ({ id: e.id, text: e.name, detail: entitySummary(e) })) ?? null, [entities]);

  return (
    <ChoicePicker
      title="Source entity"
      quote={source.quote}
      noun="source entities"
      placeholder="Search entities, or type a name for a new one…"
      items={items}
      similarity={similarity}
      currentId={currentEntityId}
      newLabel="New entity"
      defaultNewText={entityNameFrom(source.quote)}
      error={error}
      onClose={onClose}
      onChoose={onChoose}
    />
  );
}
