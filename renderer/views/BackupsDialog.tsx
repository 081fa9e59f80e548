import { useCallback, useEffect, useState } from 'react';
import type { ApiOutput } from '../../shared/api.js';
import type { BackupInfo } from '../../shared/backups.js';
import { api } from '../api/client.js';
import { Modal } from '../components/Modal.js';
import { errorMessage } from '../../shared/errors.js';

type BackupList = ApiOutput<'backups.list'>;

const when = (b: BackupInfo) => new Date(b.createdAt).toLocaleString();
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const holds = (b: BackupInfo) =>
  b.problem ? `cannot be read: ${b.problem}` : `${plural(b.articles ?? 0, 'article')}, ${plural(b.annotations ?? 0, 'tag')}`;
const REASON: Record<BackupInfo['reason'], string> = {
  regular: '',
  'pre-migration': 'before an upgrade',
  'pre-restore': 'before a restore',
};
const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Says what a restore will do, and asks. */
function ConfirmRestore({
  backup,
  busy,
  onCancel,
  onConfirm,
}: {
  backup: BackupInfo;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <div className="confirm-restore" role="alertdialog" aria-labelledby="restore-title" aria-describedby="restore-what">
      <h3 id="restore-title">Restore the backup of {when(backup)}?</h3>
      <p id="restore-what">
        The library will be replaced by this backup: {holds(backup)}, as they were then. Work done since is taken out of the library — but
        first Claimdesk backs up the current state, so you can restore it from this list if you change your mind. Every open window reloads.
      </p>
      <div className="actions">
        <button className="secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button className="danger-solid" onClick={onConfirm} disabled={busy} autoFocus>
          {busy ? 'Restoring…' : 'Restore backup'}
        </button>
      </div>
    </div>
  );
}

/** The database's backups: back up now, or restore one after backing up the current state. */
export function BackupsDialog({ onClose }: { onClose: () => void }) {
  const [list, setList] = useState<BackupList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const fail = (e: unknown) => setError(errorMessage(e));

  const refresh = useCallback(
    () =>
      api['backups.list']({})
        .then(setList)
        .catch((e: unknown) => setError(errorMessage(e))),
    [],
  );
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const backUpNow = () => {
    setError(null);
    setBusy(true);
    api['backups.create']({})
      .then(() => refresh())
      .catch(fail)
      .finally(() => setBusy(false));
  };

  const restore = (b: BackupInfo) => {
    setError(null);
    setBusy(true);
    api['backups.restore']({ file: b.file })
      // The host announces the restore to every window, and each reloads (App); this is the fallback should the event not come.
      .then(() => setTimeout(() => window.location.reload(), 2000))
      .catch((e: unknown) => {
        fail(e);
        setBusy(false);
        setConfirming(null);
      });
  };

  return (
    <Modal id="backups" title="Backups" className="backups-dialog" onClose={onClose} close={busy ? 'disabled' : 'enabled'} error={error}>
      <p>
        Claimdesk backs up this database when it starts{list?.intervalHours ? `, every ${list.intervalHours} hours while you work` : ''} and
        before every upgrade of its format, and keeps the newest {list?.keep ?? 10}.
        {list && <span className="backups-folder"> They are in {list.folder}.</span>}
      </p>
      <div className="backups-toolbar">
        <button className="primary" onClick={backUpNow} disabled={busy || confirming !== null}>
          Back up now
        </button>
      </div>
      {confirming && (
        <ConfirmRestore backup={confirming} busy={busy} onCancel={() => setConfirming(null)} onConfirm={() => restore(confirming)} />
      )}
      {list && list.backups.length === 0 && <p className="muted">No backups yet.</p>}
      {list && list.backups.length > 0 && (
        <table className="backups-table">
          <thead>
            <tr>
              <th>Made</th>
              <th>Holds</th>
              <th>Size</th>
              {/* Each button names the backup it restores; a header cell with no text would be announced empty. */}
              <td />
            </tr>
          </thead>
          <tbody>
            {list.backups.map((b) => (
              <tr key={b.file} data-backup={b.file}>
                <td title={b.file}>
                  {when(b)}
                  {REASON[b.reason] && <span className="muted small"> {REASON[b.reason]}</span>}
                </td>
                <td className={b.problem ? 'error' : ''}>
                  {holds(b)}
                  {!b.problem && <span className="muted small"> · format v{b.schemaVersion}</span>}
                </td>
                <td className="muted">{size(b.size)}</td>
                <td>
                  <button
                    className="secondary small-button"
                    disabled={busy || b.problem !== null}
                    onClick={() => setConfirming(b)}
                    aria-label={`Restore the backup of ${when(b)}`}
                  >
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Modal>
  );
}
