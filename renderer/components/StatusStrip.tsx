import { useEffect, useState } from 'react';
import type { ServiceStatus } from '../../shared/methods.js';
import { onApiEvent } from '../api/client.js';
import { onNotice } from '../state/notices.js';

/**
 * The window's status line for what happens outside the page: the service
 * opening the library (a migration or its backup may take a while), a crash
 * and restart of the service, a notice (what a save did, a file handed over).
 */
export function StatusStrip() {
  const [status, setStatus] = useState<ServiceStatus | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    const offEvents = onApiEvent((e) => {
      if (e.name === 'service.status' && e.status) setStatus(e.status);
    });
    const offNotices = onNotice(setNotice);
    return () => {
      offEvents();
      offNotices();
    };
  }, []);
  // A plain "Ready" says nothing; a restart stays until dismissed.
  const serviceLine = status && status.message !== 'Ready' ? status : null;
  if (!serviceLine && !notice) return null;
  return (
    <div className="status-strip" aria-live="polite">
      {serviceLine && (
        <p
          className={`service-status ${serviceLine.state}`}
          role={serviceLine.state === 'failed' || serviceLine.state === 'restarting' ? 'alert' : undefined}
        >
          {serviceLine.state === 'starting' && <progress aria-label="Opening the library" />}
          <span>{serviceLine.message}</span>
          {serviceLine.state === 'ready' && (
            <button className="link-button" onClick={() => setStatus(null)}>
              Dismiss
            </button>
          )}
        </p>
      )}
      {notice && (
        <p className="notice">
          <span>{notice}</span>
          <button className="link-button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </p>
      )}
    </div>
  );
}
