import { useState } from 'react';
import type { Label } from '../../shared/schemas.js';
import { api } from '../api/client.js';
import { Modal } from '../components/Modal.js';
import { shortcutProblem } from '../../shared/keys.js';
import { errorMessage } from '../../shared/errors.js';

function LabelRow({ label, labels, onError }: { label: Label; labels: readonly Label[]; onError: (m: string | null) => void }) {
  const [draft, setDraft] = useState(label);
  const [reassign, setReassign] = useState('');
  const dirty =
    draft.name !== label.name ||
    draft.color !== label.color ||
    draft.shortcut !== label.shortcut ||
    draft.description !== label.description;
  const keyProblem = draft.shortcut !== label.shortcut ? shortcutProblem(draft.shortcut) : null;
  const fail = (e: unknown) => onError(errorMessage(e));
  return (
    <li className="label-row" data-label={label.id}>
      <input
        type="color"
        aria-label={`Colour of ${label.name}`}
        value={draft.color}
        onChange={(e) => setDraft({ ...draft, color: e.target.value })}
      />
      <input aria-label={`Name of ${label.name}`} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
      <input
        className="key"
        aria-label={`Shortcut of ${label.name}`}
        aria-invalid={keyProblem !== null}
        aria-describedby={keyProblem ? `key-problem-${label.id}` : undefined}
        maxLength={1}
        value={draft.shortcut}
        onChange={(e) => setDraft({ ...draft, shortcut: e.target.value.toLowerCase() })}
      />
      <input
        className="desc"
        aria-label={`Description of ${label.name}`}
        value={draft.description}
        onChange={(e) => setDraft({ ...draft, description: e.target.value })}
      />
      <button
        className="secondary small-button"
        disabled={!dirty || keyProblem !== null}
        onClick={() => {
          onError(null);
          api['labels.update']({
            id: label.id,
            name: draft.name,
            color: draft.color,
            shortcut: draft.shortcut,
            description: draft.description,
          }).catch(fail);
        }}
      >
        Save
      </button>
      {label.id === 'claim' || label.id === 'source' ? (
        <span className="muted small" title="Attribution and the claims table rely on this label">
          built in
        </span>
      ) : (
        <span className="delete-label">
          <select aria-label={`Reassign ${label.name} tags to`} value={reassign} onChange={(e) => setReassign(e.target.value)}>
            <option value="">move tags to…</option>
            {labels
              .filter((l) => l.id !== label.id)
              .map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
          </select>
          <button
            className="link-button danger-text"
            onClick={() => {
              onError(null);
              api['labels.delete']({ id: label.id, ...(reassign ? { reassignTo: reassign } : {}) }).catch(fail);
            }}
          >
            Delete
          </button>
        </span>
      )}
      {keyProblem && (
        <p className="key-problem error" id={`key-problem-${label.id}`} role="alert">
          {keyProblem[0]?.toUpperCase()}
          {keyProblem.slice(1)}. Choose another key.
        </p>
      )}
    </li>
  );
}

/** The label set: add labels (name, colour, key, description), rename, recolour, delete with reassignment. */
export function LabelsDialog({ labels, onClose }: { labels: readonly Label[]; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState({ name: '', color: '#2f9e44', shortcut: '', description: '' });
  const freshProblem = shortcutProblem(fresh.shortcut);
  return (
    <Modal id="labels" title="Labels" className="labels-dialog" onClose={onClose} error={error}>
      <ul className="label-rows">
        {labels.map((l) => (
          <LabelRow key={`${l.id}-${l.name}-${l.color}-${l.shortcut}`} label={l} labels={labels} onError={setError} />
        ))}
      </ul>
      <form
        className="label-row new"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          api['labels.create']({ name: fresh.name, color: fresh.color, shortcut: fresh.shortcut, description: fresh.description })
            .then(() => setFresh({ name: '', color: '#2f9e44', shortcut: '', description: '' }))
            .catch((err: unknown) => setError(errorMessage(err)));
        }}
      >
        <input
          type="color"
          aria-label="Colour of the new label"
          value={fresh.color}
          onChange={(e) => setFresh({ ...fresh, color: e.target.value })}
        />
        <input
          aria-label="Name of the new label"
          placeholder="New label"
          value={fresh.name}
          onChange={(e) => setFresh({ ...fresh, name: e.target.value })}
          required
        />
        <input
          className="key"
          aria-label="Shortcut of the new label"
          aria-invalid={freshProblem !== null}
          aria-describedby={freshProblem ? 'key-problem-new' : undefined}
          placeholder="key"
          maxLength={1}
          value={fresh.shortcut}
          onChange={(e) => setFresh({ ...fresh, shortcut: e.target.value.toLowerCase() })}
          required
        />
        <input
          className="desc"
          aria-label="Description of the new label"
          placeholder="What it marks"
          value={fresh.description}
          onChange={(e) => setFresh({ ...fresh, description: e.target.value })}
        />
        <button className="primary small-button" type="submit" disabled={freshProblem !== null}>
          Add label
        </button>
        {freshProblem && (
          <p className="key-problem error" id="key-problem-new" role="alert">
            {freshProblem[0]?.toUpperCase()}
            {freshProblem.slice(1)}. Choose another key.
          </p>
        )}
      </form>
    </Modal>
  );
}
