/** A claim group's (or an ungrouped claim's) instances: article, outlet, quote in context, sources, opinion nearby. */
import { useEffect, useState } from 'react';
import { ATTRIBUTION_LABELS, type ClaimInstance } from '../../shared/schemas.js';
import { api } from '../api/client.js';

export function Instances({
  groupId,
  claimId,
  layer,
  onOpen,
}: {
  groupId: string | null;
  claimId: string | null;
  layer: string;
  onOpen: (articleId: number, annotationId: string) => void;
}) {
  const [items, setItems] = useState<ClaimInstance[] | null>(null);
  useEffect(() => {
    let live = true;
    api['claims.instances']({ groupId, ...(claimId === null ? {} : { claimId }), ...(layer ? { layer } : {}) })
      .then((i) => live && setItems(i))
      .catch(() => live && setItems([]));
    return () => {
      live = false;
    };
  }, [groupId, claimId, layer]);
  if (!items) return <div className="instances muted">Loading…</div>;
  return (
    <ul className="instances" aria-label="Claim instances">
      {items.map((i) => (
        <li key={i.annotationId}>
          <button className="instance" onClick={() => onOpen(i.articleId, i.annotationId)} title="Open the article at this claim">
            <span className="instance-head">
              <strong>{i.outlet ?? 'No outlet'}</strong> · {i.articleTitle}
              {i.publishedAt && <span className="muted"> · {i.publishedAt.slice(0, 10)}</span>}
            </span>
            <span className="context">
              …{i.prefix}
              <mark data-label="claim">{i.quote}</mark>
              {i.suffix}…
            </span>
            <span className="instance-meta">
              {i.sources.length > 0 ? (
                <span>
                  <span className="muted">Attributed to </span>
                  {i.sources
                    .map((s) =>
                      s.entityName
                        ? `${s.entityName} (“${s.quote}”, ${ATTRIBUTION_LABELS[s.kind]})`
                        : `${s.quote} (${ATTRIBUTION_LABELS[s.kind]})`,
                    )
                    .join('; ')}
                </span>
              ) : (
                <span className="muted">No source linked</span>
              )}
              {i.opinions.length > 0 && (
                <span>
                  <span className="muted">Opinion nearby: </span>
                  {i.opinions.map((o) => `“${o.quote}”`).join(' ')}
                </span>
              )}
              <span className="muted">tagged by {i.annotator}</span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
