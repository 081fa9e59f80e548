import { useMemo, useState } from 'react';
import { type ClaimRow } from '../../shared/schemas.js';

/** The outlets × claim groups matrix: which outlet carries which claim, and through which sources. */
export function Matrix({ rows }: { rows: readonly ClaimRow[] }) {
  // Every claim has a row: a group, or a claim in no group yet (marked).
  const outlets = useMemo(() => [...new Set(rows.flatMap((r) => r.outlets))].sort(), [rows]);
  const [hover, setHover] = useState<{ x: number; y: number; text: string } | null>(null);
  if (rows.length === 0) return <p className="empty">No claims match.</p>;
  return (
    <div className="matrix-wrap">
      <table className="matrix" aria-label="Outlets by claim">
        <thead>
          <tr>
            <th className="m-claim">Claim</th>
            {outlets.map((o) => (
              <th key={o} className="m-outlet">
                <span>{o}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className={r.groupId === null ? 'ungrouped' : ''}>
              <th className="m-claim" scope="row">
                {r.groupId === null && <span className="badge ungrouped-badge">ungrouped</span>} {r.canonical}
              </th>
              {outlets.map((o) => {
                const sources = r.outletSources[o];
                return (
                  <td
                    key={o}
                    className={sources ? 'carried' : ''}
                    data-outlet={o}
                    aria-label={
                      sources ? `${o} carries this claim${sources.length ? ` through ${sources.join(', ')}` : ''}` : `${o}: not carried`
                    }
                    onMouseEnter={(e) =>
                      sources &&
                      setHover({
                        x: e.clientX,
                        y: e.clientY,
                        text: sources.length ? `${o}: ${sources.join('; ')}` : `${o}: no source linked`,
                      })
                    }
                    onMouseLeave={() => setHover(null)}
                  >
                    {sources ? <span className="cell-dot" data-label="claim" /> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {hover && (
        <div className="hover-card" role="tooltip" style={{ left: hover.x + 12, top: hover.y + 14 }}>
          {hover.text}
        </div>
      )}
    </div>
  );
}
