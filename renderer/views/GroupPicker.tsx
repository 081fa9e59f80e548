import { useEffect, useMemo, useRef, useState } from 'react';
import { useDialog } from '../components/useDialog.js';
import type { Annotation, ClaimGroup } from '../../shared/schemas.js';
import { api } from '../api/client.js';

/**
 * `g`: put the selected claim into a claim group — search the existing groups
 * by their wording, or start a new group named after the claim.
 */
export function GroupPicker({ claim, currentGroupId, onClose, onDone }: { claim: Annotation; currentGroupId: string | null; onClose: () => void; onDone: (message: string) => void }) {
  const [groups, setGroups] = useState<ClaimGroup[] | null>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api['groups.list']({})
      .then(setGroups)
      .catch((e: unknown) => setError(String(e)));
  }, []);

  const options = useMemo(() => {
    const q = query.trim().toLocaleLowerCase();
    const matching = (groups ?? []).filter((g) => g.id !== currentGroupId && (!q || g.canonical.toLocaleLowerCase().includes(q)));
    return [{ kind: 'new' as const, label: query.trim() || claim.quote }, ...matching.map((g) => ({ kind: 'group' as const, group: g }))];
  }, [groups, query, currentGroupId, claim.quote]);

  const dialogRef = useRef<HTMLDivElement>(null);
  useDialog(dialogRef, onClose);

  const choose = (i: number) => {
    const o = options[i];
    if (!o) return;
    const done = o.kind === 'new' ? api['groups.create']({ canonical: o.label, annotationIds: [claim.id] }) : api['groups.assign']({ annotationId: claim.id, groupId: o.group.id });
    done.then((g) => onDone(`Claim added to “${g.canonical}”.`)).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
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
                  <strong>New group:</strong> {o.label}
                </>
              ) : (
                <>
                  {o.group.canonical}
                  <span className="muted small">
                    {' '}
                    · {o.group.memberCount} claims in {o.group.articleCount} articles
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
