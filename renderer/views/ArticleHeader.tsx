import { useRef, useState, type ReactNode } from 'react';
import { useDialog } from '../components/useDialog.js';
import type { Article, Label } from '../../shared/schemas.js';
import { api } from '../api/client.js';
import { LabelChip } from '../components/LabelChip.js';
import { errorMessage } from '../../shared/errors.js';

/** Title, metadata and tag legend of the open article, with editing of the metadata and deletion. */
/** `countsOf` says which layers the counts hold ("your layer", "2 layers, each tag once"). */
export function ArticleHeader({
  article,
  labels,
  counts,
  countsOf,
  onChanged,
}: {
  article: Article;
  labels: readonly Label[];
  counts: Map<string, number>;
  countsOf: string;
  onChanged: (a: Article) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [form, setForm] = useState({ title: '', outlet: '', url: '', publishedAt: '' });
  const [error, setError] = useState<string | null>(null);
  const total = [...counts.values()].reduce((s, n) => s + n, 0);

  const startEditing = () => {
    setForm({
      title: article.title,
      outlet: article.outlet ?? '',
      url: article.url ?? '',
      publishedAt: article.publishedAt?.slice(0, 10) ?? '',
    });
    setError(null);
    setEditing(true);
  };

  if (editing) {
    return (
      <form
        className="article-edit"
        aria-label="Article details"
        onSubmit={(e) => {
          e.preventDefault();
          api['articles.update']({ id: article.id, title: form.title, outlet: form.outlet, url: form.url, publishedAt: form.publishedAt })
            .then((a) => {
              onChanged(a);
              setEditing(false);
            })
            .catch((err: unknown) => setError(errorMessage(err)));
        }}
      >
        <label className="field">
          <span>Title</span>
          <input value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} required />
        </label>
        <div className="field-row">
          <label className="field">
            <span>Outlet</span>
            <input value={form.outlet} onChange={(e) => setForm({ ...form, outlet: e.target.value })} placeholder="e.g. Politico" />
          </label>
          <label className="field">
            <span>Published</span>
            <input type="date" value={form.publishedAt} onChange={(e) => setForm({ ...form, publishedAt: e.target.value })} />
          </label>
        </div>
        <label className="field">
          <span>URL</span>
          <input type="url" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} placeholder="https://…" />
        </label>
        {error && <p className="error">{error}</p>}
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setEditing(false)}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Save details
          </button>
        </div>
      </form>
    );
  }

  return (
    <>
      <h1 className="article-title">{article.title}</h1>
      <div className="article-meta">
        <span>
          {[article.outlet, article.byline, article.publishedAt?.slice(0, 10), article.fileName].filter(Boolean).join(' · ')}
          {article.url && (
            <>
              {' · '}
              <a href={article.url} target="_blank" rel="noreferrer noopener" title={article.url}>
                original article ↗
              </a>
            </>
          )}
        </span>
        <span className="legend" aria-label={`Tag counts: ${countsOf}`}>
          {labels.map((l) => (
            <LabelChip key={l.id} label={l} count={counts.get(l.id) ?? 0} />
          ))}
          <span className="muted small counts-of">({countsOf})</span>
        </span>
        <span className="article-actions">
          <button className="link-button" onClick={startEditing}>
            Edit details
          </button>
          <button className="link-button danger-text" onClick={() => setConfirmDelete(true)}>
            Delete…
          </button>
        </span>
      </div>
      {confirmDelete && (
        <ConfirmDelete onCancel={() => setConfirmDelete(false)}>
          <h2 id="delete-title">Delete this article?</h2>
          <p>
            “{article.title}” and its {total} annotation{total === 1 ? '' : 's'} will be removed from the library. This cannot be undone.
          </p>
          {error && <p className="error">{error}</p>}
          <div className="actions">
            <button className="secondary" data-autofocus onClick={() => setConfirmDelete(false)}>
              Keep it
            </button>
            <button
              className="danger-solid"
              onClick={() => {
                api['articles.delete']({ id: article.id })
                  .then(() => setConfirmDelete(false))
                  .catch((err: unknown) => setError(errorMessage(err)));
              }}
            >
              Delete article
            </button>
          </div>
        </ConfirmDelete>
      )}
    </>
  );
}

/** The confirmation before deleting an article: a modal that takes the keyboard; Esc keeps the article. */
function ConfirmDelete({ onCancel, children }: { onCancel: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useDialog(ref, onCancel);
  return (
    <div className="modal-backdrop" role="presentation">
      <div ref={ref} tabIndex={-1} className="modal" role="alertdialog" aria-modal="true" aria-labelledby="delete-title">
        {children}
      </div>
    </div>
  );
}
