import { useMemo, useState } from 'react';
import type { ClaimRow } from '../../shared/schemas.js';
import { Modal } from '../components/Modal.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A group's size and where it was carried, to tell groups with the same wording apart. */
export function groupSummary(r: ClaimRow): string {
  const outlets = r.outlets.length > 3 ? `${r.outlets.slice(0, 3).join(', ')} +${r.outlets.length - 3}` : r.outlets.join(', ');
  return `${plural(r.instanceCount, 'claim')} in ${plural(r.articleCount, 'article')}${outlets ? ` · ${outlets}` : ''}`;
}

/**
 * "Merge into another group…": pick the group to merge into (each shown with
 * its wording, size and outlets; ↑↓ and Enter, or the mouse), then confirm
 * with a sentence saying what will happen. Nothing is merged before the
 * confirmation, and the merge is undoable.
 */
export function MergePicker({ from, groups, onCancel, onMerge }: { from: ClaimRow; groups: readonly ClaimRow[]; onCancel: () => void; onMerge: (into: ClaimRow) => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [chosen, setChosen] = useState<ClaimRow | null>(null);
  const options = useMemo(() => {
    const q = query.trim().toLocaleLowerCase();
    return groups.filter((g) => g.groupId !== from.groupId && g.groupId !== null && (!q || [g.canonical, ...g.outlets].some((s) => s.toLocaleLowerCase().includes(q))));
  }, [groups, from.groupId, query]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!chosen && e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(options.length - 1, a + 1));
    } else if (!chosen && e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (!chosen && e.key === 'Enter') {
      e.preventDefault();
      const o = options[active];
      if (o) setChosen(o);
    }
  };

  return (
    // Esc on the confirmation goes back to the list; on the list it closes the picker.
    <Modal id="merge" title="Merge into another group" className="picker merge-picker" onClose={chosen ? () => setChosen(null) : onCancel} error={null}>
      <div onKeyDown={onKeyDown}>
      <p className="picker-quote">
        Merging “{from.canonical}” <span className="muted small">({groupSummary(from)})</span>
      </p>
      {chosen === null ? (
        <>
          <input
            autoFocus
            className="filter wide"
            aria-label="Search groups to merge into"
            placeholder="Search by wording or outlet…"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
          />
          <ul className="picker-list" role="listbox" aria-label="Groups to merge into">
            {options.map((g, i) => (
              <li key={g.groupId} role="option" aria-selected={i === active} className={i === active ? 'active' : ''} onMouseEnter={() => setActive(i)} onClick={() => setChosen(g)}>
                <span className="merge-wording">{g.canonical}</span>
                <span className="muted small"> · {groupSummary(g)}</span>
              </li>
            ))}
            {options.length === 0 && <li className="muted">No other group{query ? ' matches' : ''}.</li>}
          </ul>
          <div className="actions">
            <span className="muted small">↑↓ to choose, Enter to pick, Esc to close</span>
            <button className="secondary" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </>
      ) : (
        <div className="merge-confirm" role="group" aria-label="Confirm the merge">
          <p>
            The {plural(from.instanceCount, 'claim')} of “{from.canonical}” will join “{chosen.canonical}” ({groupSummary(chosen)}), which then holds {plural(from.instanceCount + chosen.instanceCount, 'claim')}. “{from.canonical}” is removed as a group; its
            wording and note stay in the history of “{chosen.canonical}”. Ctrl+Z in the claims table undoes the merge.
          </p>
          <div className="actions">
            <button className="secondary" onClick={() => setChosen(null)}>
              Back
            </button>
            <button autoFocus className="primary" onClick={() => onMerge(chosen)}>
              Merge into “{chosen.canonical.length > 40 ? `${chosen.canonical.slice(0, 40)}…` : chosen.canonical}”
            </button>
          </div>
        </div>
      )}
      </div>
    </Modal>
  );
}
