import { useVirtualizer } from '@tanstack/react-virtual';
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { compareClaimRows, DEFAULT_CLAIM_SORT, type ClaimSort, type ClaimSortKey } from '../../shared/claims-sort.js';
import { ATTRIBUTION_KINDS, ATTRIBUTION_LABELS, type ClaimRow } from '../../shared/schemas.js';
import { api, onApiEvent } from '../api/client.js';
import { coalesce } from '../state/coalesce.js';

import { saveExport } from '../components/saveExport.js';
import { GroupPicker } from './GroupPicker.js';
import { errorMessage } from '../../shared/errors.js';
import { claimsHistory, groupingWrite, undoRedo } from '../state/claims-grouping.js';
import { Instances } from './ClaimInstances.js';
import { AttributedTo } from './AttributedTo.js';
import { GroupTools } from './GroupTools.js';
import { Matrix } from './ClaimsMatrix.js';

/** Changes within this long of the first are read with one refetch of the table. */
const CHANGE_COALESCE_MS = 250;

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

/** The layer choice's wording: which claims the table, the matrix and the exports count. */
export function layerLabel(layer: string, me: string): string {
  if (!layer) return 'All layers (each claim counted once)';
  if (layer === me) return `My layer (${me})`;
  if (layer === 'gold') return 'Gold (reviewed)';
  return `${layer}’s layer`;
}

/** The cross-article claims table: one row per claim group, sortable, filterable, expandable, exportable. */
export function ClaimsView({ annotator, onOpen }: { annotator: string; onOpen: (articleId: number, annotationId: string) => void }) {
  /** '' for all layers, else one annotator's name (or gold). */
  const [layer, setLayer] = useState('');
  const [layers, setLayers] = useState<string[]>([]);
  const [grouping, setGrouping] = useState<ClaimRow | null>(null);
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
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [, setHistoryVersion] = useState(0);
  const report = useCallback((text: string, error = false) => setNotice({ text, error }), []);
  const historyChanged = useCallback(() => setHistoryVersion((v) => v + 1), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const t = e.target;
      if (!mod || e.altKey || (t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))))
        return;
      const k = e.key.toLowerCase();
      if (k === 'z' || (k === 'y' && !e.shiftKey)) {
        e.preventDefault();
        undoRedo(k === 'y' || e.shiftKey, report, historyChanged);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [report, historyChanged]);
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const exportMenu = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    let live = true;
    // The first screen of rows comes first (small and quick), then the whole table for sorting and filtering.
    // Asked one after the other: the host answers the small request first, and the page paints it
    // before parsing the whole table.
    const scope = layer ? { layer } : {};
    api['claims.table']({ limit: FIRST_PAGE, ...scope })
      .then((r) => live && setRows((prev) => prev ?? r))
      .catch(() => undefined)
      .then(() => (live ? api['claims.table'](scope) : null))
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
  }, [version, layer]);
  useEffect(() => {
    let live = true;
    api['annotators.progress']({})
      .then((p) => live && setLayers([...new Set(p.map((x) => x.annotator))].sort((a, b) => a.localeCompare(b))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [version]);
  const layerChoices = useMemo(() => {
    const others = layers.filter((l) => l !== annotator && l !== 'gold');
    return ['', annotator, ...(layers.includes('gold') || layer === 'gold' ? ['gold'] : []), ...others];
  }, [layers, annotator, layer]);
  useEffect(() => {
    // A burst of changes (an import stores an article at a time) is one refetch, not one per change.
    const refetch = coalesce(() => setVersion((v) => v + 1), CHANGE_COALESCE_MS);
    const off = onApiEvent((e) => {
      if (e.name === 'claims.changed' || e.name === 'articles.changed' || e.name === 'annotations.changed') refetch.trigger();
    });
    return () => {
      off();
      refetch.dispose();
    };
  }, []);

  const outlets = useMemo(() => [...new Set((rows ?? []).flatMap((r) => r.outlets))].sort(), [rows]);
  const sources = useMemo(() => [...new Set((rows ?? []).flatMap((r) => r.sources))].sort((a, b) => a.localeCompare(b)), [rows]);
  const shown = useMemo(() => {
    const q = filter.trim().toLocaleLowerCase();
    const out = (rows ?? []).filter(
      (r) =>
        (!q ||
          [r.canonical, r.note, ...r.outlets, ...r.sources, ...r.sourceEntities.flatMap((e) => e.wordings)].some((s) =>
            s.toLocaleLowerCase().includes(q),
          )) &&
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
    saveExport({ method: 'export.build', input: { kind, format, ...(layer ? { layer } : {}) } })
      .then(setExportNote)
      .catch((e: unknown) => setExportNote([`Export failed: ${errorMessage(e)}`]));
  };

  return (
    <main className="claims-view" aria-label="Claims table">
      {/* The screen's heading for screen readers: the top bar's selected tab already says it on screen. */}
      <h1 className="visually-hidden">Claims table</h1>
      <header className="claims-toolbar">
        <div className="segmented" role="tablist">
          <button role="tab" aria-selected={mode === 'table'} className={mode === 'table' ? 'on' : ''} onClick={() => setMode('table')}>
            Table
          </button>
          <button role="tab" aria-selected={mode === 'matrix'} className={mode === 'matrix' ? 'on' : ''} onClick={() => setMode('matrix')}>
            Outlets × claims
          </button>
        </div>
        <label className="layer-choice">
          <span className="muted small">Layers</span>
          <select
            aria-label="Layers shown"
            value={layer}
            onChange={(e) => {
              setRows(null);
              setComplete(false);
              setExpanded(new Set());
              setLayer(e.target.value);
            }}
          >
            {layerChoices.map((l) => (
              <option key={l || 'all'} value={l}>
                {layerLabel(l, annotator)}
              </option>
            ))}
          </select>
        </label>
        <input
          className="filter"
          type="search"
          placeholder="Filter claims, outlets, sources…"
          aria-label="Filter claims"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
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
        {/* Undo, Redo and Export stay together at the right end, on a row of their own when the window is narrow. */}
        <div className="claims-actions">
          <button
            className="icon-button"
            onClick={() => undoRedo(false, report, historyChanged)}
            disabled={!claimsHistory.canUndo}
            title="Undo the last grouping change (Ctrl+Z)"
            aria-label="Undo"
          >
            ↶ Undo
          </button>
          <button
            className="icon-button"
            onClick={() => undoRedo(true, report, historyChanged)}
            disabled={!claimsHistory.canRedo}
            title="Redo (Ctrl+Shift+Z)"
            aria-label="Redo"
          >
            ↷ Redo
          </button>
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
        </div>
      </header>
      {notice && (
        <div className={`message ${notice.error ? 'error' : 'info'}`} role="status" aria-label="Claims table notice">
          <span>{notice.text}</span>
          <button className="link" onClick={() => setNotice(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
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
        <div
          className="claims-table"
          role="table"
          aria-label={`Claims: ${layerLabel(layer, annotator)}`}
          aria-rowcount={shown.length}
          aria-busy={!complete}
        >
          <div className="claims-row header" role="row">
            {COLUMNS.map((c) => (
              // A button may not be a column header itself: the header holds the button that sorts by it.
              <div
                key={c.key}
                role="columnheader"
                className={c.className}
                aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              >
                <button onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.key !== 'canonical' }))}>
                  {c.label}
                  {sort.key === c.key ? (sort.desc ? ' ↓' : ' ↑') : ''}
                </button>
              </div>
            ))}
          </div>
          <div className="claims-body" ref={scrollRef}>
            {shown.length === 0 && (
              <p className="empty" role="row">
                <span role="cell">
                  {rows.length === 0
                    ? layer
                      ? `No claims in ${layerLabel(layer, annotator)} yet.`
                      : 'No claims yet: tag a claim in an article with 1.'
                    : 'No claim matches these filters.'}
                </span>
              </p>
            )}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((v) => {
                const r = shown[v.index];
                if (!r) return null;
                const open = expanded.has(r.key);
                const ungrouped = r.groupId === null;
                return (
                  <div
                    key={r.key}
                    data-index={v.index}
                    ref={virtualizer.measureElement}
                    className={`claims-item${ungrouped ? ' ungrouped' : ''}`}
                    style={{ transform: `translateY(${v.start}px)` }}
                    data-group-id={r.groupId ?? undefined}
                    data-claim-id={r.claimId ?? undefined}
                    onKeyDown={(e) => {
                      // One key from grouping: g on an ungrouped row (its expander or its button focused).
                      if (
                        ungrouped &&
                        e.key === 'g' &&
                        !e.ctrlKey &&
                        !e.metaKey &&
                        !e.altKey &&
                        !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)
                      ) {
                        e.preventDefault();
                        setGrouping(r);
                      }
                    }}
                  >
                    <div className={`claims-row${open ? ' open' : ''}`} role="row">
                      <div className="c-claim" role="cell">
                        <button
                          className="expander"
                          aria-expanded={open}
                          aria-label={open ? 'Hide instances' : 'Show instances'}
                          onClick={() => toggle(r.key)}
                        >
                          {open ? '▾' : '▸'}
                        </button>
                        {ungrouped ? (
                          <>
                            <span className="badge ungrouped-badge" title="This claim is in no group yet">
                              ungrouped
                            </span>{' '}
                            <span className="canonical">{r.canonical}</span>{' '}
                            <button
                              className="link-button group-now"
                              aria-keyshortcuts="g"
                              onClick={() => setGrouping(r)}
                              title="Put this claim in a group (g)"
                            >
                              Group… <kbd>g</kbd>
                            </button>
                          </>
                        ) : editing?.id === r.groupId ? (
                          <input
                            autoFocus
                            className="canonical-edit"
                            aria-label="Canonical wording"
                            value={editing.text}
                            onChange={(e) => setEditing({ id: r.key, text: e.target.value })}
                            onBlur={() => setEditing(null)}
                            onKeyDown={(e) => {
                              if (e.key === 'Escape') setEditing(null);
                              const wording = editing.text.trim();
                              const id = r.groupId;
                              if (e.key === 'Enter' && wording && id) {
                                setEditing(null);
                                if (wording !== r.canonical)
                                  groupingWrite(
                                    `renaming “${r.canonical}” to “${wording}”`,
                                    [id],
                                    async () => {
                                      await api['groups.update']({ id, canonical: wording });
                                      return `Renamed to “${wording}”.`;
                                    },
                                    report,
                                    historyChanged,
                                  );
                              }
                            }}
                          />
                        ) : (
                          <span
                            className="canonical"
                            onDoubleClick={() => setEditing({ id: r.key, text: r.canonical })}
                            title="Double-click to edit the wording"
                          >
                            {r.canonical}
                          </span>
                        )}
                        <span className="muted small">
                          {' '}
                          {r.instanceCount} instance{r.instanceCount === 1 ? '' : 's'}
                          {r.kinds.length > 0 && ` · ${r.kinds.map((k) => ATTRIBUTION_LABELS[k]).join(', ')}`}
                          {r.annotators.length > 0
                            ? ` · by ${r.annotators.join(', ')}`
                            : r.instanceCount === 0
                              ? ' · empty group: kept until you delete it'
                              : ''}
                        </span>
                      </div>
                      <div className="c-num" role="cell">
                        {r.articleCount}
                      </div>
                      <div className="c-list" role="cell">
                        {r.outlets.join(', ')}
                      </div>
                      <div className="c-list" role="cell">
                        {r.sources.length === 0 ? <span className="muted">—</span> : <AttributedTo row={r} />}
                      </div>
                      <div className="c-date" role="cell">
                        {r.firstPublished?.slice(0, 10) ?? '—'}
                      </div>
                      <div className="c-date" role="cell">
                        {r.lastPublished?.slice(0, 10) ?? '—'}
                      </div>
                    </div>
                    {open && (
                      // A table holds only rows: the instances and the group's tools are one cell across the row.
                      <div role="row" className="claims-detail">
                        <div role="cell" aria-colspan={COLUMNS.length}>
                          <Instances groupId={r.groupId} claimId={r.claimId} layer={layer} onOpen={onOpen} />
                          {r.groupId !== null && (
                            <GroupTools
                              key={`${r.groupId}-${r.note}`}
                              row={r}
                              groupId={r.groupId}
                              rows={rows}
                              report={report}
                              changed={historyChanged}
                            />
                          )}
                        </div>
                      </div>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
      {grouping?.claimId && (
        <GroupPicker
          claim={{ id: grouping.claimId, quote: grouping.canonical }}
          currentGroupId={null}
          onClose={() => setGrouping(null)}
          onChoose={(choice) => {
            const claimId = grouping.claimId;
            setGrouping(null);
            if (!claimId) return;
            const groupId = choice.kind === 'group' ? choice.id : crypto.randomUUID();
            groupingWrite(
              choice.kind === 'group'
                ? `grouping “${grouping.canonical}” under “${choice.canonical}”`
                : `making the group “${choice.canonical}”`,
              [groupId],
              async () => {
                const g =
                  choice.kind === 'group'
                    ? await api['groups.assign']({ annotationId: claimId, groupId })
                    : await api['groups.create']({ id: groupId, canonical: choice.canonical, annotationIds: [claimId] });
                return `Claim added to “${g.canonical}”.`;
              },
              report,
              historyChanged,
              [claimId],
            );
          }}
        />
      )}
    </main>
  );
}
