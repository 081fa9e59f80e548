import { useEffect, useRef, useState, type FormEvent } from 'react';
import { teamStatusText, type TeamStatus } from '../../shared/team.js';
import { api, onApiEvent } from '../api/client.js';
import { Modal } from '../components/Modal.js';
import { errorMessage } from '../../shared/errors.js';

const when = (iso: string) => new Date(iso).toLocaleString();

/** The team status as the top bar shows it: in words, updated as it changes. */
export function useTeamStatus(): TeamStatus | null {
  const [status, setStatus] = useState<TeamStatus | null>(null);
  useEffect(() => {
    let live = true;
    const refresh = () =>
      api['team.status']({})
        .then((s) => live && setStatus(s))
        .catch(() => undefined);
    void refresh();
    const off = onApiEvent((e) => e.name === 'team.status' && void refresh());
    // "Synced 14:02" stays true between events; the minute still needs to tick when nothing happens.
    const tick = setInterval(refresh, 30_000);
    return () => {
      live = false;
      off();
      clearInterval(tick);
    };
  }, []);
  return status;
}

/** The top bar's team button: the status in words, opening Team → Connect or the workspace's details. */
export function TeamButton({ status, onOpen }: { status: TeamStatus | null; onOpen: () => void }) {
  const text = status
    ? teamStatusText(status, (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }), { short: true })
    : 'Team';
  const state = status?.state ?? 'off';
  return (
    <button
      className={`topbar-button team-status team-${state}${status && status.refused.length > 0 ? ' team-refused' : ''}`}
      onClick={onOpen}
      data-team-state={state}
      aria-label={`Team workspace: ${text}`}
      title={status ? teamStatusText(status) : text}
    >
      <span className="team-dot" aria-hidden="true" />
      {status?.joined ? text : 'Team…'}
    </button>
  );
}

/** Team → Connect (URL and password) when the library is in no workspace; else where it stands, refused changes, Sync now, Leave. */
export function TeamDialog({ status, onClose }: { status: TeamStatus | null; onClose: () => void }) {
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const fail = (e: unknown) => setError(errorMessage(e));
  const run = (p: Promise<unknown>) => {
    setError(null);
    setBusy(true);
    p.catch(fail).finally(() => setBusy(false));
  };
  const connect = (e: FormEvent) => {
    e.preventDefault();
    run(api['team.join']({ url: url.trim(), ...(password ? { password } : {}) }).then(() => setPassword('')));
  };
  const joined = status?.joined ?? false;
  // Connecting swaps the form for the details while the (now disabled) button had the focus: keep it in the dialog, where Esc closes it.
  const lineRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (joined) lineRef.current?.focus();
  }, [joined]);

  return (
    <Modal
      id="team"
      title={joined ? 'Team workspace' : 'Connect to a team workspace'}
      className="team-dialog"
      onClose={onClose}
      close={busy ? 'disabled' : 'enabled'}
      error={error}
    >
      {!joined ? (
        <form onSubmit={connect} className="team-connect">
          <p>
            Your team lead gives you the workspace’s address and your password. This library stays yours and keeps working offline; your
            tags go to the workspace and your colleagues’ come back.
          </p>
          <label>
            Workspace URL
            <input
              autoFocus
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="postgres://you@server:5432/team?sslmode=verify-full"
              spellCheck={false}
              autoComplete="off"
              required
            />
          </label>
          <label>
            Password
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
          </label>
          <p className="muted small">
            The password is kept for this session only, never in the library file. Leave it empty to use ~/.pgpass.
          </p>
          <div className="actions">
            <button type="button" className="secondary" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy || !url.trim()}>
              {busy ? (status?.progress ? `Joining… ${status.progress.done} of ${status.progress.total}` : 'Connecting…') : 'Connect'}
            </button>
          </div>
        </form>
      ) : (
        status && (
          <div className="team-details">
            <p className={`team-line team-${status.state}`} role="status" tabIndex={-1} ref={lineRef}>
              {teamStatusText(status, when)}
            </p>
            <dl>
              <dt>Workspace</dt>
              <dd>{status.url}</dd>
              <dt>You are</dt>
              <dd>
                {status.member}
                {status.reviewer ? ' (reviewer)' : ''}
              </dd>
              <dt>Last synced</dt>
              <dd>{status.lastSyncedAt ? when(status.lastSyncedAt) : 'never'}</dd>
              <dt>Changes waiting</dt>
              <dd>{status.waiting}</dd>
            </dl>
            {status.refused.length > 0 && (
              <section className="team-refused-list" aria-label="Changes the workspace refused">
                <h3>Refused by the workspace</h3>
                <p className="muted small">These changes were not accepted; the workspace’s version is back in your library.</p>
                <ul>
                  {status.refused.map((r) => (
                    <li key={r.id}>
                      <strong>{r.what}</strong> — {r.reason} <span className="muted small">{when(r.at)}</span>
                    </li>
                  ))}
                </ul>
                <button className="secondary" onClick={() => run(api['team.dismissRefused']({ ids: 'all' }))} disabled={busy}>
                  Dismiss
                </button>
              </section>
            )}
            {confirmLeave ? (
              <div className="confirm-restore" role="alertdialog" aria-labelledby="leave-title">
                <h3 id="leave-title">Leave the workspace?</h3>
                <p>
                  This library keeps everything it holds, including your colleagues’ layers as they are now; nothing more is sent or
                  received. {status.waiting > 0 ? `${status.waiting} changes not yet sent stay only here.` : ''}
                </p>
                <div className="actions">
                  <button className="secondary" onClick={() => setConfirmLeave(false)} disabled={busy}>
                    Stay
                  </button>
                  <button
                    className="danger-solid"
                    autoFocus
                    onClick={() => run(api['team.leave']({}).then(() => setConfirmLeave(false)))}
                    disabled={busy}
                  >
                    Leave
                  </button>
                </div>
              </div>
            ) : (
              <div className="actions">
                <button className="secondary" onClick={() => setConfirmLeave(true)} disabled={busy}>
                  Leave…
                </button>
                <button className="primary" onClick={() => run(api['team.sync']({}))} disabled={busy}>
                  {busy ? 'Syncing…' : 'Sync now'}
                </button>
              </div>
            )}
          </div>
        )
      )}
    </Modal>
  );
}
