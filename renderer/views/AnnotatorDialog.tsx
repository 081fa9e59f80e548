import { useRef, useState } from 'react';
import { useDialog } from '../components/useDialog.js';
import { errorMessage } from '../../shared/errors.js';

/** Asks who is annotating; the name is stored in the database and put on every tag. */
export function AnnotatorDialog({
  current,
  onSave,
  onCancel,
}: {
  current: string | null;
  onSave: (name: string) => Promise<void>;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(current ?? '');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useDialog(ref, onCancel);
  return (
    <div className="modal-backdrop" role="presentation">
      {/* The dialog holds the form: a form element may not take the dialog role. */}
      <div ref={ref} tabIndex={-1} className="modal" role="dialog" aria-modal="true" aria-labelledby="annotator-title">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return setError('Please enter a name.');
            onSave(name.trim()).catch((err: unknown) => setError(errorMessage(err)));
          }}
        >
          <h2 id="annotator-title">{current ? 'Change annotator' : 'Welcome to Claimdesk'}</h2>
          <p>Your name is recorded on every annotation you make, so colleagues can review your tags. It is stored in this database.</p>
          <label className="field">
            <span>Annotator name</span>
            <input
              data-autofocus
              name="annotator"
              value={name}
              maxLength={80}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. Dana Reyes"
            />
          </label>
          {error && <p className="error">{error}</p>}
          <div className="actions">
            {onCancel && (
              <button type="button" className="secondary" onClick={onCancel}>
                Cancel
              </button>
            )}
            <button type="submit" className="primary">
              {current ? 'Save' : 'Start annotating'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
