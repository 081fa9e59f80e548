import { useVirtualizer } from '@tanstack/react-virtual';
import { Fragment, startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { compareClaimRows, DEFAULT_CLAIM_SORT, type ClaimSort, type ClaimSortKey } from '../../shared/claims-sort.js';
import { ATTRIBUTION_KINDS, ATTRIBUTION_LABELS, type ClaimInstance, type ClaimRow, type GroupHistoryEntry } from '../../shared/schemas.js';
import { api, onApiEvent } from '../api/client.js';
import { saveExport } from '../components/saveExport.js';

type SortKey = ClaimSortKey;
const COLUMNS: { key: SortKey; label: string; className: string }[] = [
  { key: 'canonical', label: 'Claim', className: 'c-claim' },
  { key: 'articles', label: 'Articles', className: 'c-num' },
  { key: 'outlets', label: 'Outlets', className: 'c-list' },
  { key: 'sources', label: 'Attributed to', className: 'c-list' },
  { key: 'first', label: 'First seen', className: 'c-date' },
  { key: 'last', label: 'Last seen', className: 'c-date' },
];

/** Rows asked for before the whole table: more than any screen shows. */
const FIRST_PAGE = 60;

const EXPORTS = [
  { kind: 'claims', format: 'csv', label: 'Claims table (CSV)' },
  { kind: 'claims', format: 'json', label: 'Claims table (JSON)' },
  { kind: 'instances', format: 'csv', label: 'Claim instances (CSV)' },
  { kind: 'instances', format: 'json', label: 'Claim instances (JSON)' },
  { kind: 'annotations', format: 'jsonl', label: 'All annotations (JSONL)' },
  { kind: 'w3c', format: 'jsonld', label: 'W3C Web Annotation (JSON-LD)' },
] as const;

function Instances({ groupId, onOpen }: { groupId: string; onOpen: (articleId: number, annotationId: string) => void }) {
  const [items, setItems] = useState<ClaimInstance[] | null>(null);
  useEffect(() => {
    let live = true;
    api['claims.instances']({ groupId })
      .then((i) => live && setItems(i))
      .catch(() => live && setItems([]));
    return () => {
      live = false;
    };
  }, [groupId]);
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
                  {i.sources.map((s) => `${s.quote} (${ATTRIBUTION_LABELS[s.kind]})`).join('; ')}
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

/** Note, merge and history of one group, under its instances. */
function GroupTools({ row, rows }: { row: ClaimRow; rows: readonly ClaimRow[] }) {
  const [note, setNote] = useState(row.note);
  const [history, setHistory] = useState<GroupHistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));
  return (
    <div className="group-tools">
      <label className="field">
        <span>Group note</span>
        <textarea rows={2} value={note} aria-label="Group note" onChange={(e) => setNote(e.target.value)} onBlur={() => note !== row.note && void api['groups.update']({ id: row.groupId, note }).catch(fail)} />
      </label>
      <div className="group-actions">
        <select
          aria-label="Merge this group into"
          value=""
          onChange={(e) => {
            const into = e.target.value;
            if (into) void api['groups.merge']({ intoId: into, fromId: row.groupId }).catch(fail);
          }}
        >
          <option value="">Merge into another group…</option>
          {rows
            .filter((r) => r.groupId !== row.groupId)
            .map((r) => (
              <option key={r.groupId} value={r.groupId}>
                {r.canonical}
              </option>
            ))}
        </select>
        <button className="link-button" onClick={() => void api['groups.history']({ id: row.groupId }).then(setHistory).catch(fail)}>
          Show history
        </button>
      </div>
      {history && (
        <ol className="history" aria-label="Group history">
          {history.map((h) => (
            <li key={h.id}>
              <span className="muted">{new Date(h.at).toLocaleString()}</span> {h.actor}: {h.action}
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

/** The outlets × claim groups matrix: which outlet carries which claim, and through which sources. */
function Matrix({ rows }: { rows: readonly ClaimRow[] }) {
  const outlets = useMemo(() => [...new Set(rows.flatMap((r) => r.outlets))].sort(), [rows]);
  const [hover, setHover] = useState<{ x: number; y: number; text: string } | null>(null);
  if (rows.length === 0) return <p className="empty">No claim groups yet.</p>;
  return (
    <div className="matrix-wrap">
      <table className="matrix" aria-label="Outlets by claim group">
        <thead>
          <tr>
            <th className="m-claim">Claim group</th>
            {outlets.map((o) => (
              <th key={o} className="m-outlet">
                <span>{o}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.groupId}>
              <th className="m-claim" scope="row">
                {r.canonical}
              </th>
              {outlets.map((o) => {
                const sources = r.outletSources[o];
                return (
                  <td
                    key={o}
                    className={sources ? 'carried' : ''}
                    data-outlet={o}
                    aria-label={sources ? `${o} carries this claim${sources.length ? ` through ${sources.join(', ')}` : ''}` : `${o}: not carried`}
                    onMouseEnter={(e) => sources && setHover({ x: e.clientX, y: e.clientY, text: sources.length ? `${o}: ${sources.join('; ')}` : `${o}: no source linked` })}
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

/** The cross-article claims table: one row per claim group, sortable, filterable, expandable, exportable. */
export function ClaimsView({ onOpen }: { onOpen: (articleId: number, annotationId: string) => void }) {
  const [rows, setRows] = useState<ClaimRow[] | null>(null);
  /** False while only the first page is here. */
  const [complete, setComplete] = useState(false);
  const [version, setVersion] = useState(0);
  const [sort, setSort] = useState<ClaimSort>(DEFAULT_CLAIM_SORT);
  const [filter, setFilter] = useState('');
  const [outlet, setOutlet] = useState('');
  const [source, setSource] = useState('');
  const [kind, setKind] = useState('');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [mode, setMode] = useState<'table' | 'matrix'>('table');
  const [exportNote, setExportNote] = useState<string[] | null>(null);
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const exportMenu = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    let live = true;
    // The first screen of rows comes first (small and quick), then the whole table for sorting and filtering.
    // Asked one after the other: the host answers the small request first, and the page paints it
    // before parsing the whole table.
    api['claims.table']({ limit: FIRST_PAGE })
      .then((r) => live && setRows((prev) => prev ?? r))
      .catch(() => undefined)
      .then(() => (live ? api['claims.table']({}) : null))
      .then((r) => {
        if (!live || !r) return;
        startTransition(() => {
          setRows(r);
          setComplete(true);
        });
      })
      .catch(() => live && setRows([]));
    return () => {
      live = false;
    };
  }, [version]);
  useEffect(
    () =>
      onApiEvent((e) => {
        if (e.name === 'claims.changed' || e.name === 'articles.changed' || e.name === 'annotations.changed') setVersion((v) => v + 1);
      }),
    [],
  );

  const outlets = useMemo(() => [...new Set((rows ?? []).flatMap((r) => r.outlets))].sort(), [rows]);
  const sources = useMemo(() => [...new Set((rows ?? []).flatMap((r) => r.sources))].sort((a, b) => a.localeCompare(b)), [rows]);
  const shown = useMemo(() => {
    const q = filter.trim().toLocaleLowerCase();
    const out = (rows ?? []).filter(
      (r) =>
        (!q || [r.canonical, r.note, ...r.outlets, ...r.sources].some((s) => s.toLocaleLowerCase().includes(q))) &&
        (!outlet || r.outlets.includes(outlet)) &&
        (!source || r.sources.includes(source)) &&
        (!kind || r.kinds.includes(kind as (typeof r.kinds)[number])),
    );
    return out.sort(compareClaimRows(sort));
  }, [rows, filter, outlet, source, kind, sort]);

  // Only 10,000s of rows in view matter: render those on screen. (The React
  // Compiler cannot memoise this hook; this app does not use the compiler.)
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    overscan: 8,
  });

  const toggle = useCallback((id: string) => {
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const runExport = (kind: (typeof EXPORTS)[number]['kind'], format: (typeof EXPORTS)[number]['format']) => {
    saveExport({ method: 'export.build', input: { kind, format } })
      .then(setExportNote)
      .catch((e: unknown) => setExportNote([`Export failed: ${e instanceof Error ? e.message : String(e)}`]));
  };

  return (
    <main className="claims-view" aria-label="Claims table">
      <header className="claims-toolbar">
        <div className="segmented" role="tablist">
          <button role="tab" aria-selected={mode === 'table'} className={mode === 'table' ? 'on' : ''} onClick={() => setMode('table')}>
            Table
          </button>
          <button role="tab" aria-selected={mode === 'matrix'} className={mode === 'matrix' ? 'on' : ''} onClick={() => setMode('matrix')}>
            Outlets × claims
          </button>
        </div>
        <input className="filter" type="search" placeholder="Filter claims, outlets, sources…" aria-label="Filter claims" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <select aria-label="Filter by outlet" value={outlet} onChange={(e) => setOutlet(e.target.value)}>
          <option value="">All outlets</option>
          {outlets.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
        <select aria-label="Filter by source" value={source} onChange={(e) => setSource(e.target.value)}>
          <option value="">All sources</option>
          {sources.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
        <select aria-label="Filter by attribution kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">Any attribution</option>
          {ATTRIBUTION_KINDS.map((k) => (
            <option key={k} value={k}>
              {ATTRIBUTION_LABELS[k]}
            </option>
          ))}
        </select>
        <span className="spacer" />
        <details className="export-menu" ref={exportMenu}>
          <summary className="primary">Export</summary>
          <ul>
            {EXPORTS.map((x) => (
              <li key={`${x.kind}-${x.format}`}>
                <button
                  onClick={() => {
                    if (exportMenu.current) exportMenu.current.open = false;
                    runExport(x.kind, x.format);
                  }}
                >
                  {x.label}
                </button>
              </li>
            ))}
          </ul>
        </details>
      </header>
      {exportNote && (
        <div className="message info" role="status" aria-label="Export summary">
          <span>{exportNote.join(' ')}</span>
          <button className="link" onClick={() => setExportNote(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {rows === null ? (
        <p className="empty">Loading claims…</p>
      ) : mode === 'matrix' ? (
        <Matrix rows={shown} />
      ) : (
        <div className="claims-table" role="table" aria-label="Claim groups" aria-rowcount={shown.length} aria-busy={!complete}>
          <div className="claims-row header" role="row">
            {COLUMNS.map((c) => (
              <button
                key={c.key}
                role="columnheader"
                className={c.className}
                aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.key !== 'canonical' }))}
              >
                {c.label}
                {sort.key === c.key ? (sort.desc ? ' ↓' : ' ↑') : ''}
              </button>
            ))}
          </div>
          <div className="claims-body" ref={scrollRef}>
            {shown.length === 0 && <p className="empty">{rows.length === 0 ? 'No claim groups yet: select a claim in an article and press g.' : 'No claim group matches these filters.'}</p>}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((v) => {
                const r = shown[v.index];
                if (!r) return null;
                const open = expanded.has(r.groupId);
                return (
                  <div key={r.groupId} data-index={v.index} ref={virtualizer.measureElement} className="claims-item" style={{ transform: `translateY(${v.start}px)` }} data-group-id={r.groupId}>
                    <div className={`claims-row${open ? ' open' : ''}`} role="row">
                      <div className="c-claim" role="cell">
                        <button className="expander" aria-expanded={open} aria-label={open ? 'Hide instances' : 'Show instances'} onClick={() => toggle(r.groupId)}>
                          {open ? '▾' : '▸'}
                        </button>
                        {editing?.id === r.groupId ? (
                          <input
                            autoFocus
                            className="canonical-edit"
                            aria-label="Canonical wording"
                            value={editing.text}
                            onChange={(e) => setEditing({ id: r.groupId, text: e.target.value })}
                            onBlur={() => setEditing(null)}
                            onKeyDown={(e) => {
                              if (e.key === 'Escape') setEditing(null);
                              if (e.key === 'Enter' && editing.text.trim()) {
                                void api['groups.update']({ id: r.groupId, canonical: editing.text.trim() }).then(() => setEditing(null));
                              }
                            }}
                          />
                        ) : (
                          <span className="canonical" onDoubleClick={() => setEditing({ id: r.groupId, text: r.canonical })} title="Double-click to edit the wording">
                            {r.canonical}
                          </span>
                        )}
                        <span className="muted small">
                          {' '}
                          {r.instanceCount} instance{r.instanceCount === 1 ? '' : 's'}
                          {r.kinds.length > 0 && ` · ${r.kinds.map((k) => ATTRIBUTION_LABELS[k]).join(', ')}`}
                          {` · by ${r.annotators.join(', ')}`}
                        </span>
                      </div>
                      <div className="c-num" role="cell">
                        {r.articleCount}
                      </div>
                      <div className="c-list" role="cell">
                        {r.outlets.join(', ')}
                      </div>
                      <div className="c-list" role="cell">
                        {r.sources.join(', ') || <span className="muted">—</span>}
                      </div>
                      <div className="c-date" role="cell">
                        {r.firstPublished?.slice(0, 10) ?? '—'}
                      </div>
                      <div className="c-date" role="cell">
                        {r.lastPublished?.slice(0, 10) ?? '—'}
                      </div>
                    </div>
                    {open && (
                      <Fragment>
                        <Instances groupId={r.groupId} onOpen={onOpen} />
                        <GroupTools key={`${r.groupId}-${r.note}`} row={r} rows={rows} />
                      </Fragment>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
    </main>
  );
}
