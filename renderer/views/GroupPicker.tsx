import { useEffect, useMemo, useState } from 'react';
import type { Annotation, ClaimGroup } from '../../shared/schemas.js';
import { api } from '../api/client.js';
import { ChoicePicker } from '../components/ChoicePicker.js';

/** What the analyst picked: an existing group, or a new group with this wording. */
export type GroupChoice = { kind: 'group'; id: string; canonical: string } | { kind: 'new'; canonical: string };

/**
 * `g`: put the selected claim into a claim group. Existing groups come first,
 * the best match highlighted (with nothing typed: the groups most like the
 * claim); a new group is the last entry, made only when it is the one chosen.
 */
export function GroupPicker({
  claim,
  currentGroupId,
  onClose,
  onChoose,
}: {
  claim: Pick<Annotation, 'id' | 'quote'>;
  currentGroupId: string | null;
  onClose: () => void;
  onChoose: (choice: GroupChoice) => void;
}) {
  const [groups, setGroups] = useState<ClaimGroup[] | null>(null);
  const [similarity, setSimilarity] = useState<Map<string, number>>(new Map());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api['groups.list']({})
      .then(setGroups)
      .catch((e: unknown) => setError(String(e)));
    api['groups.suggest']({ annotationId: claim.id, limit: 50 })
      .then((s) => setSimilarity(new Map(s.filter((x) => x.kind === 'group').map((x) => [x.id, x.score]))))
      .catch(() => undefined);
  }, [claim.id]);

  const items = useMemo(
    () =>
      groups?.map((g) => ({
        id: g.id,
        text: g.canonical,
        detail:
          g.memberCount === 0
            ? 'empty'
            : `${g.memberCount} claim${g.memberCount === 1 ? '' : 's'} in ${g.articleCount} article${g.articleCount === 1 ? '' : 's'}`,
      })) ?? null,
    [groups],
  );

  return (
    <ChoicePicker
      title="Claim group"
      quote={claim.quote}
      noun="claim groups"
      placeholder="Search groups, or type a wording for a new group…"
      items={items}
      similarity={similarity}
      currentId={currentGroupId}
      newLabel="New group"
      defaultNewText={claim.quote}
      error={error}
      onClose={onClose}
      onChoose={(c) => onChoose(c.kind === 'new' ? { kind: 'new', canonical: c.text } : { kind: 'group', id: c.id, canonical: c.text })}
    />
  );
}
