import { useMemo, useRef, useState } from 'react';
import { useDialog } from './useDialog.js';

/** One existing thing to choose (a claim group, a source entity). */
export interface PickerItem {
  id: string;
  /** What it is called: matched against what is typed. */
  text: string;
  /** Shown after the text, muted (size, wordings). */
  detail: string;
}

/** What the analyst picked: an existing item, or a new one with this text. */
export type PickerChoice = { kind: 'existing'; id: string; text: string } | { kind: 'new'; text: string };

const fold = (s: string) =>
  s
    .toLocaleLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * How well an item's text matches what was typed: the same text first, then
 * texts starting with it, then those holding all its words; null when it
 * does not match.
 */
function matchRank(text: string, query: string): number | null {
  const c = fold(text);
  if (c === query) return 3;
  if (c.startsWith(query)) return 2;
  if (c.includes(query)) return 1.5;
  const words = query.split(' ').filter(Boolean);
  const found = words.filter((w) => c.includes(w)).length;
  return found === words.length ? 1 : null;
}

export interface ChoicePickerProps {
  /** The dialog's title ("Claim group", "Source entity"). */
  title: string;
  /** The quote the choice is for. */
  quote: string;
  /** How the items are called in labels ("claim groups"). */
  noun: string;
  placeholder: string;
  /** Null while loading. */
  items: readonly PickerItem[] | null;
  /** Similarity of each item to the quote (0..1): the order with nothing typed. */
  similarity: ReadonlyMap<string, number>;
  /** The item the quote is in already, left out. */
  currentId: string | null;
  /** "New group", "New entity": the last entry, made only when chosen. */
  newLabel: string;
  /** The text a new item takes when nothing is typed. */
  defaultNewText: string;
  error?: string | null;
  onClose: () => void;
  onChoose: (choice: PickerChoice) => void;
}

/**
 * A keyboard-first picker: existing items first, the best match highlighted
 * (with nothing typed: the items most like the quote); a new item is the
 * last entry, made only when it is the one chosen. ↑↓ choose, Enter accepts,
 * Esc closes.
 */
export function ChoicePicker(p: ChoicePickerProps) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  const options = useMemo(() => {
    const q = fold(query);
    const ranked = (p.items ?? [])
      .filter((g) => g.id !== p.currentId)
      .map((g) => ({ g, rank: q ? matchRank(g.text, q) : 0, sim: p.similarity.get(g.id) ?? 0 }))
      .filter((x): x is { g: PickerItem; rank: number; sim: number } => x.rank !== null)
      .sort((a, b) => b.rank - a.rank || b.sim - a.sim);
    const text = query.replace(/\s+/g, ' ').trim() || p.defaultNewText.replace(/\s+/g, ' ').trim();
    const exact = ranked.some((x) => x.rank === 3);
    return [...ranked.map((x) => ({ kind: 'existing' as const, item: x.g })), ...(exact ? [] : [{ kind: 'new' as const, label: text }])];
  }, [p.items, query, p.currentId, p.defaultNewText, p.similarity]);

  const dialogRef = useRef<HTMLDivElement>(null);
  useDialog(dialogRef, p.onClose);

  const choose = (i: number) => {
    const o = options[i];
    if (!o) return;
    p.onChoose(o.kind === 'new' ? { kind: 'new', text: o.label } : { kind: 'existing', id: o.item.id, text: o.item.text });
  };
  const titleId = `picker-title-${p.noun.replace(/\W+/g, '-')}`;

  return (
    <div className="modal-backdrop" role="presentation">
      <div ref={dialogRef} tabIndex={-1} className="modal picker" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId}>{p.title}</h2>
        <p className="picker-quote">“{p.quote}”</p>
        <input
          data-autofocus
          className="filter wide"
          aria-label={`Search ${p.noun}`}
          placeholder={p.placeholder}
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
              p.onClose();
            }
          }}
        />
        <ul className="picker-list" role="listbox" aria-label={p.noun.charAt(0).toLocaleUpperCase() + p.noun.slice(1)}>
          {options.map((o, i) => (
            <li
              key={o.kind === 'new' ? 'new' : o.item.id}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseEnter={() => setActive(i)}
              onClick={() => choose(i)}
            >
              {o.kind === 'new' ? (
                <>
                  <strong>{p.newLabel}:</strong> “{o.label}”
                </>
              ) : (
                <>
                  {o.item.text}
                  <span className="muted small"> · {o.item.detail}</span>
                </>
              )}
            </li>
          ))}
          {p.items === null && <li className="muted">Loading {p.noun}…</li>}
        </ul>
        {p.error && <p className="error">{p.error}</p>}
        <div className="actions">
          <span className="muted small">↑↓ to choose, Enter to accept, Esc to close</span>
          <button className="secondary" onClick={p.onClose}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
