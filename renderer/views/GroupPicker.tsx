import { useEffect, useMemo, useRef, useState } from 'react';
import { useDialog } from '../components/useDialog.js';
import type { Annotation, ClaimGroup } from '../../shared/schemas.js';
import { api } from '../api/client.js';

/** What the analyst picked: an existing group, or a new group with this wording. */
export type GroupChoice = { kind: 'group'; id: string; canonical: string } | { kind: 'new'; canonical: string };

const fold = (s: string) => s.toLocaleLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, ' ').trim();

/**
 * How well a group's wording matches what was typed: the same wording first,
 * then wordings starting with it, then those holding all its words; null
 * when it does not match.
 */
function matchRank(canonical: string, query: string): number | null {
  const c = fold(canonical);
  if (c === query) return 3;
  if (c.startsWith(query)) return 2;
  if (c.includes(query)) return 1.5;
  const words = query.split(' ').filter(Boolean);
  const found = words.filter((w) => c.includes(w)).length;
  return found === words.length ? 1 : null;
}

/**
 * `g`: put the selected claim into a claim group. Existing groups come first,
 * the best match highlighted (with nothing typed: the groups most like the
 * claim); a new group is the last entry, made only when it is the one chosen.
 */
export function GroupPicker({ claim, currentGroupId, onClose, onChoose }: { claim: Pick<Annotation, 'id' | 'quote'>; currentGroupId: string | null; onClose: () => void; onChoose: (choice: GroupChoice) => void }) {
  const [groups, setGroups] = useState<ClaimGroup[] | null>(null);
  const [similarity, setSimilarity] = useState<Map<string, number>>(new Map());
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api['groups.list']({})
      .then(setGroups)
      .catch((e: unknown) => setError(String(e)));
    api['groups.suggest']({ annotationId: claim.id, limit: 50 })
      .then((s) => setSimilarity(new Map(s.filter((x) => x.kind === 'group').map((x) => [x.id, x.score]))))
      .catch(() => undefined);
  }, [claim.id]);

  const options = useMemo(() => {
    const q = fold(query);
    const ranked = (groups ?? [])
      .filter((g) => g.id !== currentGroupId)
      .map((g) => ({ g, rank: q ? matchRank(g.canonical, q) : 0, sim: similarity.get(g.id) ?? 0 }))
      .filter((x): x is { g: ClaimGroup; rank: number; sim: number } => x.rank !== null)
      .sort((a, b) => b.rank - a.rank || b.sim - a.sim);
    const wording = query.replace(/\s+/g, ' ').trim() || claim.quote.replace(/\s+/g, ' ').trim();
    const exact = ranked.some((x) => x.rank === 3);
    return [
      ...ranked.map((x) => ({ kind: 'group' as const, group: x.g })),
      ...(exact ? [] : [{ kind: 'new' as const, label: wording }]),
    ];
  }, [groups, query, currentGroupId, claim.quote, similarity]);

  const dialogRef = useRef<HTMLDivElement>(null);
  useDialog(dialogRef, onClose);

  const choose = (i: number) => {
    const o = options[i];
    if (!o) return;
    onChoose(o.kind === 'new' ? { kind: 'new', canonical: o.label } : { kind: 'group', id: o.group.id, canonical: o.group.canonical });
  };

  return (
    <div className="modal-backdrop" role="presentation">
      <div ref={dialogRef} tabIndex={-1} className="modal picker" role="dialog" aria-modal="true" aria-labelledby="picker-title">
        <h2 id="picker-title">Claim group</h2>
        <p className="picker-quote">“{claim.quote}”</p>
        <input
          data-autofocus
          className="filter wide"
          aria-label="Search claim groups"
          placeholder="Search groups, or type a wording for a new group…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((a) => Math.min(options.length - 1, a + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(0, a - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(active);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              onClose();
            }
          }}
        />
        <ul className="picker-list" role="listbox" aria-label="Claim groups">
          {options.map((o, i) => (
            <li key={o.kind === 'new' ? 'new' : o.group.id} role="option" aria-selected={i === active} className={i === active ? 'active' : ''} onMouseEnter={() => setActive(i)} onClick={() => choose(i)}>
              {o.kind === 'new' ? (
                <>
                  <strong>New group:</strong> “{o.label}”
                </>
              ) : (
                <>
                  {o.group.canonical}
                  <span className="muted small">
                    {' '}
                    · {o.group.memberCount === 0 ? 'empty' : `${o.group.memberCount} claim${o.group.memberCount === 1 ? '' : 's'} in ${o.group.articleCount} article${o.group.articleCount === 1 ? '' : 's'}`}
                  </span>
                </>
              )}
            </li>
          ))}
          {groups === null && <li className="muted">Loading groups…</li>}
        </ul>
        {error && <p className="error">{error}</p>}
        <div className="actions">
          <span className="muted small">↑↓ to choose, Enter to accept, Esc to close</span>
          <button className="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
