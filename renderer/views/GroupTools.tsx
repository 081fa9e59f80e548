import { useState } from 'react';
import { type ClaimRow, type GroupHistoryEntry } from '../../shared/schemas.js';
import { api } from '../api/client.js';

import { groupItem, MergePicker } from './MergePicker.js';
import { errorMessage } from '../../shared/errors.js';
import { groupingWrite, type Report } from '../state/claims-grouping.js';

/** Note, merge, deletion and history of one group, under its instances. */
export function GroupTools({
  row,
  groupId,
  rows,
  report,
  changed,
}: {
  row: ClaimRow;
  groupId: string;
  rows: readonly ClaimRow[];
  report: Report;
  changed: () => void;
}) {
  const [note, setNote] = useState(row.note);
  const [history, setHistory] = useState<GroupHistoryEntry[] | null>(null);
  const [merging, setMerging] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(errorMessage(e));
  return (
    <div className="group-tools">
      <label className="field">
        <span>Group note</span>
        <textarea
          rows={2}
          value={note}
          aria-label="Group note"
          onChange={(e) => setNote(e.target.value)}
          onBlur={() =>
            note !== row.note &&
            groupingWrite(
              `the note of “${row.canonical}”`,
              [groupId],
              async () => {
                await api['groups.update']({ id: groupId, note });
                return `Note of “${row.canonical}” saved.`;
              },
              report,
              changed,
            )
          }
        />
      </label>
      <div className="group-actions">
        <button className="secondary small-button" onClick={() => setMerging(true)}>
          Merge into another group…
        </button>
        {confirmDelete ? (
          <span className="confirm-delete" role="group" aria-label="Confirm deleting the group">
            Delete “{row.canonical}”? Its {row.instanceCount} claim{row.instanceCount === 1 ? '' : 's'} become ungrouped (undoable).{' '}
            <button
              className="danger small-button"
              autoFocus
              onClick={() =>
                groupingWrite(
                  `deleting the group “${row.canonical}”`,
                  [groupId],
                  async () => {
                    await api['groups.delete']({ id: groupId });
                    return `Deleted the group “${row.canonical}”.`;
                  },
                  report,
                  changed,
                )
              }
            >
              Delete group
            </button>{' '}
            <button className="secondary small-button" onClick={() => setConfirmDelete(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <button className="link-button" onClick={() => setConfirmDelete(true)}>
            Delete group…
          </button>
        )}
        <button className="link-button" onClick={() => void api['groups.history']({ id: groupId }).then(setHistory).catch(fail)}>
          Show history
        </button>
      </div>
      {merging && (
        <MergePicker
          from={groupItem(row)}
          items={rows.filter((r) => r.groupId !== null).map(groupItem)}
          onCancel={() => setMerging(false)}
          onMerge={(into) => {
            setMerging(false);
            const intoId = into.id;
            groupingWrite(
              `merging “${row.canonical}” into “${into.name}”`,
              [intoId, groupId],
              async () => {
                const g = await api['groups.merge']({ intoId, fromId: groupId });
                return `Merged “${row.canonical}” into “${g.canonical}” (${g.memberCount} claims).`;
              },
              report,
              changed,
            );
          }}
        />
      )}
      {history && (
        <ol className="history" aria-label="Group history">
          {history.map((h) => (
            <li key={h.id}>
              <span className="muted">{new Date(h.at).toLocaleString()}</span> {h.actor}: {h.action}
              {h.detail.undo === true ? ' (undo/redo)' : ''}
              {typeof h.detail.to === 'string' ? ` → “${h.detail.to}”` : ''}
              {typeof h.detail.fromCanonical === 'string' ? ` ← “${h.detail.fromCanonical}”` : ''}
            </li>
          ))}
        </ol>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
