import { Modal } from './Modal.js';

/** The keys, as in the README (Help › Keyboard Shortcuts, F1). */
const KEYS: [string, string][] = [
  ['select text, then 1 / 2 / 3', 'tag as claim / source / opinion (or your labels’ keys)'],
  ['1 / 2 / 3 with a tag selected', 'change its label'],
  ['Delete / Backspace', 'delete the selected tag'],
  ['j / k', 'next / previous tag'],
  ['Esc', 'deselect, close a dialog'],
  ['Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z (Ctrl+Y)', 'undo / redo tag, untag, relabel and note edits'],
  ['typing a note', 'saved as you type; Ctrl/Cmd+Enter or Esc leaves the field'],
  ['a with a claim or opinion selected', 'attribute it to a source: j / k and Enter, a click, or new text and 2'],
  ['c with a colleague’s tag selected', 'copy it into your layer'],
  ['g with a claim selected', 'put it in a claim group'],
  ['y with a claim selected', 'accept the first suggestion'],
  ['Review: n / p, a / b / o, r, e, /', 'next / previous; accept A / B / both; reject; edit; reason'],
  ['Ctrl/Cmd+O, Ctrl/Cmd+E', 'import…; export claim instances (CSV)…'],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  // Keyboard first: the dialog takes focus and Esc closes it (Modal).
  return (
    <Modal id="shortcuts" title="Keyboard shortcuts" className="shortcuts-dialog" onClose={onClose} error={null}>
      <table className="shortcuts">
        <tbody>
          {KEYS.map(([key, does]) => (
            <tr key={key}>
              <th scope="row">
                <kbd>{key}</kbd>
              </th>
              <td>{does}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
