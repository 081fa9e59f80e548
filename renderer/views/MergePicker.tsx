import { useMemo, useState } from 'react';
import type { ClaimRow } from '../../shared/schemas.js';
import { Modal } from '../components/Modal.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A group's size and where it was carried, to tell groups with the same wording apart. */
export function groupSummary(r: ClaimRow): string {
  const outlets = r.outlets.length > 3 ? `${r.outlets.slice(0, 3).join(', ')} +${r.outlets.length - 3}` : r.outlets.join(', ');
  return `${plural(r.instanceCount, 'claim')} in ${plural(r.articleCount, 'article')}${outlets ? ` · ${outlets}` : ''}`;
}

/** Something that can be merged into another of its kind (a claim group, a source entity). */
export interface MergeItem {
  id: string;
  name: string;
  /** Size and whatever tells items with the same name apart. */
  summary: string;
  /** How many members it holds. */
  count: number;
  /** Further text the search matches (outlets, wordings). */
  keywords: readonly string[];
}

/** A claims table row as a merge item. */
export const groupItem = (r: ClaimRow): MergeItem => ({
  id: r.groupId ?? r.key,
  name: r.canonical,
  summary: groupSummary(r),
  count: r.instanceCount,
  keywords: r.outlets,
});

export interface MergeWords {
  /** "group", "source entity". */
  noun: string;
  /** "claim", "source". */
  member: string;
  /** Where the merge is undone ("Ctrl+Z in the claims table"). */
  undo: string;
  /** What of the merged item its history keeps ("wording and note stay"). */
  kept: string;
  placeholder: string;
}

const GROUP_WORDS: MergeWords = {
  noun: 'group',
  member: 'claim',
  undo: 'Ctrl+Z in the claims table',
  kept: 'wording and note stay',
  placeholder: 'Search by wording or outlet…',
};

/**
 * "Merge into another …": pick what to merge into (each shown with its name,
 * size and what tells it apart; ↑↓ and Enter, or the mouse), then confirm
 * with a sentence saying what will happen. Nothing is merged before the
 * confirmation, and the merge is undoable.
 */
export function MergePicker({
  from,
  items,
  words = GROUP_WORDS,
  initial = null,
  onCancel,
  onMerge,
}: {
  from: MergeItem;
  items: readonly MergeItem[];
  words?: MergeWords;
  /** Already chosen (a suggestion accepted): the picker opens on the confirmation. */
  initial?: MergeItem | null;
  onCancel: () => void;
  onMerge: (into: MergeItem) => void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [chosen, setChosen] = useState<MergeItem | null>(initial);
  const options = useMemo(() => {
    const q = query.trim().toLocaleLowerCase();
    return items.filter((g) => g.id !== from.id && (!q || [g.name, ...g.keywords].some((s) => s.toLocaleLowerCase().includes(q))));
  }, [items, from.id, query]);
  const title = `Merge into another ${words.noun}`;

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
    <Modal id="merge" title={title} className="picker merge-picker" onClose={chosen ? () => setChosen(null) : onCancel} error={null}>
      <div onKeyDown={onKeyDown}>
        <p className="picker-quote">
          Merging “{from.name}” <span className="muted small">({from.summary})</span>
        </p>
        {chosen === null ? (
          <>
            <input
              autoFocus
              className="filter wide"
              aria-label={`Search ${words.noun}s to merge into`}
              placeholder={words.placeholder}
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setActive(0);
              }}
            />
            <ul
              className="picker-list"
              role="listbox"
              aria-label={`${words.noun.charAt(0).toLocaleUpperCase()}${words.noun.slice(1)}s to merge into`}
            >
              {options.map((g, i) => (
                <li
                  key={g.id}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'active' : ''}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => setChosen(g)}
                >
                  <span className="merge-wording">{g.name}</span>
                  <span className="muted small"> · {g.summary}</span>
                </li>
              ))}
              {options.length === 0 && (
                <li className="muted">
                  No other {words.noun}
                  {query ? ' matches' : ''}.
                </li>
              )}
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
              The {plural(from.count, words.member)} of “{from.name}” will join “{chosen.name}” ({chosen.summary}), which then holds{' '}
              {plural(from.count + chosen.count, words.member)}. “{from.name}” is removed as a {words.noun}; its {words.kept} in the history
              of “{chosen.name}”. {words.undo} undoes the merge.
            </p>
            <div className="actions">
              <button className="secondary" onClick={() => setChosen(null)}>
                Back
              </button>
              <button autoFocus className="primary" onClick={() => onMerge(chosen)}>
                Merge into “{chosen.name.length > 40 ? `${chosen.name.slice(0, 40)}…` : chosen.name}”
              </button>
            </div>
          </div>
        )}
      </div>
    </Modal>
  );
}
