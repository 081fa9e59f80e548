import { Modal } from '../components/Modal.js';

/**
 * Asks before a suggestion merges two groups (from the Similar claims list or
 * `y`), as the claims table's merge picker does: a merge moves every claim of
 * one group into the other. Enter merges, Esc keeps both.
 */
export function ConfirmMerge({
  from,
  into,
  onConfirm,
  onClose,
}: {
  from: string;
  into: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal id="confirm-merge" title="Merge these groups?" className="confirm-merge" onClose={onClose} error={null}>
      <p>
        Every claim of “{from}” will join “{into}”, and “{from}” goes (its history stays). Ctrl+Z undoes the merge.
      </p>
      <div className="actions">
        <button className="secondary" onClick={onClose}>
          Keep both
        </button>
        <button className="primary" autoFocus onClick={onConfirm}>
          Merge into “{into}”
        </button>
      </div>
    </Modal>
  );
}
