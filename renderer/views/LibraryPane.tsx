import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ArticleSummary, Label, SearchHit } from '../../shared/schemas.js';
import { api } from '../api/client.js';
import { useRovingList } from '../components/useRovingList.js';

type SortKey = 'imported' | 'published' | 'title' | 'outlet' | 'most-tagged' | 'least-tagged';
type Progress = 'all' | 'untagged' | 'tagged';

const SORTS: Record<SortKey, { label: string; compare: (a: ArticleSummary, b: ArticleSummary) => number }> = {
  imported: { label: 'Newest import', compare: (a, b) => b.importedAt.localeCompare(a.importedAt) || b.id - a.id },
  published: { label: 'Newest publication', compare: (a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || b.id - a.id },
  title: { label: 'Title', compare: (a, b) => a.title.localeCompare(b.title) },
  outlet: {
    label: 'Outlet',
    compare: (a, b) => (a.outlet ?? '\uffff').localeCompare(b.outlet ?? '\uffff') || a.title.localeCompare(b.title),
  },
  'most-tagged': { label: 'Most tagged', compare: (a, b) => total(b) - total(a) || a.id - b.id },
  'least-tagged': { label: 'Least tagged', compare: (a, b) => total(a) - total(b) || a.id - b.id },
};

function total(a: ArticleSummary): number {
  return Object.values(a.counts).reduce((s, n) => s + n, 0);
}

/** A snippet with its matched words marked (U+0002 … U+0003), rendered as text and <mark>, never as HTML. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/(\u0002[^\u0003]*\u0003)/);
  return (
    <span className="snippet">
      {parts.map((p, i) => (p.startsWith('\u0002') ? <mark key={i}>{p.slice(1, -1)}</mark> : <span key={i}>{p}</span>))}
    </span>
  );
}

/** The left pane: articles with outlet, date and tag counts; sort, filters and full-text search. */
export function LibraryPane({
  articles,
  labels,
  selectedId,
  onOpen,
  onImport,
  progress: annotatorCounts,
}: {
  articles: readonly ArticleSummary[];
  labels: readonly Label[];
  selectedId: number | null;
  onOpen: (id: number, focus?: { start: number; length: number }) => void;
  onImport: () => void;
  /** Tags per annotator per article, shown when more than one person tagged it. */
  progress?: ReadonlyMap<number, { annotator: string; count: number }[]>;
}) {
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('imported');
  const [outlet, setOutlet] = useState('');
  const [progress, setProgress] = useState<Progress>('all');
  const [hits, setHits] = useState<SearchHit[]>([]);

  const outlets = useMemo(() => [...new Set(articles.map((a) => a.outlet).filter((o): o is string => !!o))].sort(), [articles]);
  const passesFilters = useMemo(
    () => (a: ArticleSummary) =>
      (!outlet || a.outlet === outlet) && (progress === 'all' || (progress === 'tagged' ? total(a) > 0 : total(a) === 0)),
    [outlet, progress],
  );
  const shown = useMemo(() => {
    const q = query.trim().toLocaleLowerCase();
    return articles
      .filter(passesFilters)
      .filter((a) => !q || [a.title, a.outlet ?? '', a.fileName ?? ''].some((s) => s.toLocaleLowerCase().includes(q)))
      .sort(SORTS[sort].compare);
  }, [articles, query, passesFilters, sort]);
  // Two or more characters search the full text (titles included) on the host.
  const searching = query.trim().length >= 2;
  const shownHits = useMemo(() => {
    const byId = new Map(articles.map((a) => [a.id, a]));
    return hits.filter((h) => {
      const a = byId.get(h.articleId);
      return a !== undefined && passesFilters(a);
    });
  }, [hits, articles, passesFilters]);

  const listRef = useRef<HTMLUListElement>(null);
  // Stable between renders: the virtualizer recomputes every row's position whenever this function changes.
  const getItemKey = useCallback((i: number) => shown[i]?.id ?? i, [shown]);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is not memoisable by the React Compiler, which this app does not use
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => 74,
    overscan: 6,
    getItemKey,
  });
  // An article opened from elsewhere (the claims table, review) is brought into view in the list.
  const selectedIndex = useMemo(() => shown.findIndex((a) => a.id === selectedId), [shown, selectedId]);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  // Each list is one Tab stop; ↑ ↓ Home End move within it, Enter opens.
  const shownIds = useMemo(() => shown.map((a) => a.id), [shown]);
  const reveal = useCallback((i: number) => virtualizer.scrollToIndex(i, { align: 'auto' }), [virtualizer]);
  const rows = useRovingList(listRef, shownIds, selectedId, reveal);
  const virtualRows = virtualizer.getVirtualItems();
  // The Tab stop scrolled out of the page (a virtual list) leaves it to the first row there, so Tab still reaches the list.
  const stopRendered = virtualRows.some((v) => shown[v.index]?.id === rows.current);
  const hitsRef = useRef<HTMLUListElement>(null);
  const hitIds = useMemo(() => shownHits.map((h) => h.articleId), [shownHits]);
  const hitRows = useRovingList(hitsRef, hitIds, selectedId);

  // Full-text search runs on the host (FTS5), a moment after typing stops.
  useEffect(() => {
    const q = query.trim();
    let live = true;
    const timer = setTimeout(
      () => {
        if (q.length < 2) {
          if (live) setHits([]);
          return;
        }
        api['articles.search']({ query: q, limit: 50 })
          .then((h) => live && setHits(h))
          .catch(() => live && setHits([]));
      },
      q.length < 2 ? 0 : 200,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, articles]);

  return (
    <nav className="pane library" aria-label="Library">
      <header className="pane-header">
        <h2>Library</h2>
        <span className="muted">{articles.length} articles</span>
        <button className="secondary small-button" onClick={onImport} title="Import files, folders or pasted text">
          Import…
        </button>
      </header>
      <input
        className="filter"
        type="search"
        placeholder="Search titles and full text…"
        aria-label="Search articles"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="library-controls">
        <select aria-label="Sort articles" value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
          {Object.entries(SORTS).map(([k, v]) => (
            <option key={k} value={k}>
              {v.label}
            </option>
          ))}
        </select>
        <select aria-label="Filter by outlet" value={outlet} onChange={(e) => setOutlet(e.target.value)}>
          <option value="">All outlets</option>
          {outlets.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <select aria-label="Filter by progress" value={progress} onChange={(e) => setProgress(e.target.value as Progress)}>
          <option value="all">Any progress</option>
          <option value="untagged">Not started</option>
          <option value="tagged">Tagged</option>
        </select>
      </div>
      {searching ? (
        <ul className="article-list" aria-label="Full-text matches" ref={hitsRef} onKeyDown={hitRows.onKeyDown}>
          <li className="list-caption">
            {shownHits.length} match{shownHits.length === 1 ? '' : 'es'} in titles and text
          </li>
          {shownHits.map((h) => (
            <li key={h.articleId}>
              <button
                className={`hit${h.articleId === selectedId ? ' selected' : ''}`}
                data-article-id={h.articleId}
                data-roving-id={h.articleId}
                tabIndex={hitRows.tabIndexOf(h.articleId)}
                onFocus={() => hitRows.onFocusItem(h.articleId)}
                onClick={() => onOpen(h.articleId, h.matchStart === null ? undefined : { start: h.matchStart, length: h.matchLength })}
              >
                <span className="title">{h.title}</span>
                {h.outlet && <span className="meta">{h.outlet}</span>}
                <Snippet text={h.snippet} />
              </button>
            </li>
          ))}
          {shownHits.length === 0 && <li className="empty">Nothing matches “{query.trim()}”.</li>}
        </ul>
      ) : (
        <ul className="article-list" aria-label="Articles" ref={listRef} onKeyDown={rows.onKeyDown}>
          {/* Only the rows on screen are in the page: 10,000 articles would be 100,000 elements to build, restyle and tear down. */}
          {shown.length > 0 && <li className="virtual-spacer" style={{ height: virtualizer.getTotalSize() }} aria-hidden="true" />}
          {virtualRows.map((v, i) => {
            const a = shown[v.index] as ArticleSummary;
            return (
              <li
                key={a.id}
                data-index={v.index}
                ref={virtualizer.measureElement}
                className="library-row"
                style={{ transform: `translateY(${v.start}px)` }}
              >
                <button
                  className={`article-item${a.id === selectedId ? ' selected' : ''}`}
                  onClick={() => onOpen(a.id)}
                  aria-current={a.id === selectedId ? 'true' : undefined}
                  data-article-id={a.id}
                  data-roving-id={a.id}
                  tabIndex={rows.tabIndexOf(a.id) === 0 || (!stopRendered && i === 0) ? 0 : -1}
                  onFocus={() => rows.onFocusItem(a.id)}
                >
                  <span className="title">{a.title}</span>
                  <span className="meta">
                    {[a.outlet ?? a.fileName ?? 'Unknown outlet', a.publishedAt?.slice(0, 10)].filter(Boolean).join(' · ')}
                  </span>
                  <span className="counts">
                    {labels.map((l) => (
                      <span
                        key={l.id}
                        className="count-chip"
                        data-label={l.id}
                        title={`${a.counts[l.id] ?? 0} ${l.name.toLowerCase()} tags`}
                      >
                        <span className="dot" aria-hidden="true" />
                        {a.counts[l.id] ?? 0}
                      </span>
                    ))}
                  </span>
                  {(annotatorCounts?.get(a.id)?.length ?? 0) > 1 && (
                    <span className="per-annotator" aria-label="Tags per annotator">
                      {annotatorCounts
                        ?.get(a.id)
                        ?.map((p) => `${p.annotator} ${p.count}`)
                        .join(' · ')}
                    </span>
                  )}
                </button>
              </li>
            );
          })}
          {shown.length === 0 && (
            <li className="empty">
              {articles.length === 0 ? 'No articles yet. Import some to start.' : 'No article matches these filters.'}
            </li>
          )}
        </ul>
      )}
    </nav>
  );
}
