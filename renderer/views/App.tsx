import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, ArticleSummary, Label } from '../../shared/schemas.js';
import { api, onApiEvent } from '../api/client.js';
import { applyLabelStyles } from '../components/labelStyles.js';
import { History } from '../state/history.js';
import { AnnotatorDialog } from './AnnotatorDialog.js';
import { ArticleWorkspace } from './ArticleWorkspace.js';
import { LibraryPane } from './LibraryPane.js';

/** The three-pane workbench: library, article, annotations. */
export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [labels, setLabels] = useState<Label[]>([]);
  const [articles, setArticles] = useState<ArticleSummary[]>([]);
  const [openId, setOpenId] = useState<number | null>(null);
  const [askName, setAskName] = useState(false);
  const [fatal, setFatal] = useState<string | null>(null);
  // Undo history per article, kept while the app runs.
  const [histories] = useState(() => new Map<number, History>());

  const refreshArticles = useCallback(() => {
    api['articles.list']({})
      .then(setArticles)
      .catch((e: unknown) => setFatal(String(e)));
  }, []);

  useEffect(() => {
    Promise.all([api['app.info']({}), api['labels.list']({}), api['articles.list']({})])
      .then(([i, l, a]) => {
        setInfo(i);
        setLabels(l);
        applyLabelStyles(l);
        setArticles(a);
        setOpenId((cur) => cur ?? a[0]?.id ?? null);
        if (!i.annotator) setAskName(true);
      })
      .catch((e: unknown) => setFatal(e instanceof Error ? e.message : String(e)));
  }, []);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onApiEvent(() => {
      clearTimeout(timer);
      timer = setTimeout(refreshArticles, 150);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [refreshArticles]);

  const historyFor = useCallback((id: number) => {
    let h = histories.get(id);
    if (!h) histories.set(id, (h = new History()));
    return h;
  }, [histories]);

  if (fatal) {
    return (
      <div className="fatal" role="alert">
        <h1>Claimdesk could not start</h1>
        <p>{fatal}</p>
      </div>
    );
  }
  if (!info) return <div className="loading">Opening Claimdesk…</div>;

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Claimdesk</span>
        <span className="muted db-path" title={info.databasePath}>
          {info.databasePath}
        </span>
        <button className="annotator-badge" onClick={() => setAskName(true)} title="Change the annotator name">
          <span className="muted">Annotator</span> {info.annotator ?? '—'}
        </button>
      </header>
      <div className="panes">
        <LibraryPane articles={articles} labels={labels} selectedId={openId} onOpen={setOpenId} />
        {openId !== null ? (
          <ArticleWorkspace key={openId} articleId={openId} labels={labels} annotator={info.annotator} history={historyFor(openId)} blocked={askName} />
        ) : (
          <main className="pane empty-state">Import an article to start.</main>
        )}
      </div>
      {askName && (
        <AnnotatorDialog
          current={info.annotator}
          onCancel={info.annotator ? () => setAskName(false) : undefined}
          onSave={async (name) => {
            setInfo(await api['settings.setAnnotator']({ name }));
            setAskName(false);
          }}
        />
      )}
    </div>
  );
}
