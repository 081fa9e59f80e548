import { useMemo, useState } from 'react';
import type { ArticleSummary, Label } from '../../shared/schemas.js';

/** The left pane: every article with its outlet and tag counts per label, and a filter. */
export function LibraryPane({
  articles,
  labels,
  selectedId,
  onOpen,
}: {
  articles: readonly ArticleSummary[];
  labels: readonly Label[];
  selectedId: number | null;
  onOpen: (id: number) => void;
}) {
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const q = filter.trim().toLocaleLowerCase();
    if (!q) return articles;
    return articles.filter((a) => [a.title, a.outlet ?? '', a.fileName ?? ''].some((s) => s.toLocaleLowerCase().includes(q)));
  }, [articles, filter]);
  return (
    <nav className="pane library" aria-label="Library">
      <header className="pane-header">
        <h2>Library</h2>
        <span className="muted">{articles.length} articles</span>
      </header>
      <input className="filter" type="search" placeholder="Filter by title or outlet…" aria-label="Filter articles" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <ul className="article-list">
        {shown.map((a) => (
          <li key={a.id}>
            <button className={`article-item${a.id === selectedId ? ' selected' : ''}`} onClick={() => onOpen(a.id)} aria-current={a.id === selectedId ? 'true' : undefined} data-article-id={a.id}>
              <span className="title">{a.title}</span>
              <span className="meta">{a.outlet ?? a.fileName ?? 'Unknown outlet'}</span>
              <span className="counts">
                {labels.map((l) => (
                  <span key={l.id} className="count-chip" data-label={l.id} title={`${a.counts[l.id] ?? 0} ${l.name.toLowerCase()} tags`}>
                    <span className="dot" aria-hidden="true" />
                    {a.counts[l.id] ?? 0}
                  </span>
                ))}
              </span>
            </button>
          </li>
        ))}
        {shown.length === 0 && <li className="empty">No article matches “{filter}”.</li>}
      </ul>
    </nav>
  );
}
