import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, ArticleSummary, Label } from '../../shared/schemas.js';
import { api, onApiEvent } from '../api/client.js';
import { applyLabelStyles } from '../components/labelStyles.js';
import { History } from '../state/history.js';
import { AnnotatorDialog } from './AnnotatorDialog.js';
import { ArticleWorkspace } from './ArticleWorkspace.js';
import { LibraryPane } from './LibraryPane.js';
import { ImportDialog, type PickedFile } from './ImportDialog.js';
import { filesFromDrop } from '../components/dropFiles.js';
import { desktop } from '../api/desktop.js';
import { describeSave } from '../api/desktop.js';
import { StatusStrip } from '../components/StatusStrip.js';
import { BundleProgress } from '../components/BundleProgress.js';
import { ShortcutsDialog } from '../components/ShortcutsDialog.js';
import { runAppCommand } from '../state/commands.js';
import { notify } from '../state/notices.js';
import { ClaimsView } from './ClaimsView.js';
import { LabelsDialog } from './LabelsDialog.js';
import { BackupsDialog } from './BackupsDialog.js';
import { damagedMessage, onDamaged } from '../api/library-health.js';
import { ReviewView } from './ReviewView.js';
import { TeamButton, TeamDialog, useTeamStatus } from './TeamDialog.js';
import { errorMessage } from '../../shared/errors.js';

/** The article open last, reopened after a reload. */
const LAST_ARTICLE_KEY = 'claimdesk.lastArticle';
/** Set just before the reload a restore causes: the message to show once the page is back. */
const RESTORED_KEY = 'claimdesk.restored';

/** The three-pane workbench: library, article, annotations. */
export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [labels, setLabels] = useState<Label[]>([]);
  const [articles, setArticles] = useState<ArticleSummary[]>([]);
  const [openId, setOpenId] = useState<number | null>(null);
  const [askName, setAskName] = useState(false);
  const [fatal, setFatal] = useState<string | null>(null);
  const [importing, setImporting] = useState<{ files: PickedFile[] | null; paths?: string[] } | null>(null);
  const [showingShortcuts, setShowingShortcuts] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [focus, setFocus] = useState<{ start: number; length: number; at: number } | { annotationId: string; at: number } | undefined>(
    undefined,
  );
  const [view, setView] = useState<'articles' | 'claims' | 'review'>('articles');
  const [editingLabels, setEditingLabels] = useState(false);
  const [showingBackups, setShowingBackups] = useState(false);
  const [showingTeam, setShowingTeam] = useState(false);
  /** A bundle the system handed over, being imported (its progress shows meanwhile). */
  const [importingBundle, setImportingBundle] = useState<string | null>(null);
  const team = useTeamStatus();
  // Joining a workspace names the annotator after the member when the library had no name yet.
  const teamMember = team?.member ?? null;
  useEffect(() => {
    if (teamMember)
      void api['app.info']({})
        .then(setInfo)
        .catch(() => undefined);
  }, [teamMember]);
  const [damaged, setDamaged] = useState<string | null>(damagedMessage());
  useEffect(() => onDamaged(setDamaged), []);
  const [progress, setProgress] = useState<Map<number, { annotator: string; count: number }[]>>(new Map());
  // Undo history per article, kept while the app runs.
  const [histories] = useState(() => new Map<number, History>());

  const refreshArticles = useCallback(() => {
    api['annotators.progress']({})
      .then((rows) => {
        const m = new Map<number, { annotator: string; count: number }[]>();
        for (const r of rows) m.set(r.articleId, [...(m.get(r.articleId) ?? []), { annotator: r.annotator, count: r.count }]);
        setProgress(m);
      })
      .catch(() => undefined);
    api['articles.list']({})
      .then((list) => {
        setArticles(list);
        // The open article may have been deleted (here or by another window).
        setOpenId((cur) => (cur !== null && !list.some((a) => a.id === cur) ? (list[0]?.id ?? null) : cur));
      })
      // A refresh that fails (the service restarting, say) leaves the list as it was; the next change refreshes it.
      .catch((e: unknown) => notify(`The library list could not be refreshed: ${errorMessage(e)}`));
  }, []);

  useEffect(() => {
    if (openId !== null) localStorage.setItem(LAST_ARTICLE_KEY, String(openId));
  }, [openId]);
  // Once the workbench shows (the status strip, a child, listens by now): why everything changed after a restore.
  const ready = info !== null;
  useEffect(() => {
    const restored = ready ? sessionStorage.getItem(RESTORED_KEY) : null;
    if (!restored) return;
    sessionStorage.removeItem(RESTORED_KEY);
    notify(restored);
  }, [ready]);

  const open = useCallback((id: number, at?: { start: number; length: number }) => {
    setOpenId(id);
    setFocus(at ? { ...at, at: Date.now() } : undefined);
  }, []);

  useEffect(() => {
    Promise.all([api['app.info']({}), api['labels.list']({}), api['articles.list']({})])
      .then(([i, l, a]) => {
        setInfo(i);
        setLabels(l);
        applyLabelStyles(l);
        setArticles(a);
        // The article read last (kept across reloads), else the first.
        const last = Number(localStorage.getItem(LAST_ARTICLE_KEY));
        setOpenId((cur) => cur ?? (a.some((x) => x.id === last) ? last : (a[0]?.id ?? null)));
        if (!i.annotator) setAskName(true);
      })
      .catch((e: unknown) => setFatal(errorMessage(e)));
  }, []);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onApiEvent((e) => {
      // Everything on screen (and every undo step) belongs to the database before the restore.
      if (e.name === 'database.restored') {
        // Said once the page is back, so the analyst knows why everything changed.
        sessionStorage.setItem(
          RESTORED_KEY,
          'Backup restored: the library is as it was when that backup was made. Backups lists the state before the restore, to go back.',
        );
        window.location.reload();
        return;
      }
      if (e.name === 'labels.changed') {
        void api['labels.list']({}).then((l) => {
          setLabels(l);
          applyLabelStyles(l);
        });
        return;
      }
      if (e.name === 'service.status') {
        // After a restart of the service: read the library again.
        if (e.status?.state === 'ready') refreshArticles();
        return;
      }
      if (e.name === 'import.progress' || e.name === 'claims.changed') return;
      clearTimeout(timer);
      timer = setTimeout(refreshArticles, 150);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [refreshArticles]);

  // The desktop's menu commands and the files the system hands over (Electron only).
  useEffect(
    () =>
      desktop?.onCommand((c) => {
        switch (c.kind) {
          case 'import':
            setImporting((cur) => cur ?? { files: null, paths: c.paths });
            return;
          case 'bundle':
            setImportingBundle(c.fileName);
            void api['bundle.import']({ fileName: c.fileName, content: c.content })
              .then(
                (r) =>
                  notify(
                    `${c.fileName}: ${r.annotationsAdded} annotations by ${r.annotator} added (${r.annotationsAlreadyPresent} already here), ${r.articlesAdded} articles added. The Review view shows them.`,
                  ),
                (e: unknown) => notify(`${c.fileName} was not imported: ${errorMessage(e)}`),
              )
              .finally(() => setImportingBundle(null));
            return;
          case 'saved':
            notify(describeSave(c.result));
            return;
          case 'notice':
            notify(c.text);
            return;
          case 'backups':
            setShowingBackups(true);
            return;
          case 'shortcuts':
            setShowingShortcuts(true);
            return;
          case 'undo':
          case 'redo':
            runAppCommand(c.kind);
            return;
        }
      }),
    [],
  );

  const historyFor = useCallback(
    (id: number) => {
      let h = histories.get(id);
      if (!h) histories.set(id, (h = new History()));
      return h;
    },
    [histories],
  );

  if (fatal) {
    return (
      <div className="fatal" role="alert">
        <h1>Claimdesk could not start</h1>
        <p>{fatal}</p>
      </div>
    );
  }
  if (!info) {
    return (
      <>
        <div className="loading">Opening Claimdesk…</div>
        <StatusStrip />
      </>
    );
  }

  return (
    <div
      className="app"
      onDragOver={(e) => {
        if (![...e.dataTransfer.types].includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.relatedTarget === null) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (importing) return;
        // On the desktop the service reads dropped files where they are (main grants their paths); a browser uploads them.
        if (desktop)
          void desktop.pathsOfDropped([...e.dataTransfer.files]).then((paths) => paths.length && setImporting({ files: null, paths }));
        else void filesFromDrop(e.dataTransfer).then((files) => files.length && setImporting({ files }));
      }}
    >
      {damaged && (
        <div className="message error damaged-library" role="alert">
          <div>
            <strong>The library file is damaged, so nothing more can be saved to it.</strong> The change that found it was not saved.
            Restore a backup to go on working; the damaged file is kept aside.
            <div className="damaged-detail">{damaged}</div>
          </div>
          <button className="secondary" onClick={() => setShowingBackups(true)}>
            Restore a backup…
          </button>
        </div>
      )}
      <header className="topbar">
        <span className="brand">Claimdesk</span>
        <nav className="views" role="tablist" aria-label="Views">
          <button
            role="tab"
            aria-selected={view === 'articles'}
            className={view === 'articles' ? 'on' : ''}
            onClick={() => setView('articles')}
          >
            Articles
          </button>
          <button role="tab" aria-selected={view === 'claims'} className={view === 'claims' ? 'on' : ''} onClick={() => setView('claims')}>
            Claims table
          </button>
          <button role="tab" aria-selected={view === 'review'} className={view === 'review' ? 'on' : ''} onClick={() => setView('review')}>
            Review
          </button>
        </nav>
        <span className="muted db-path" title={info.databasePath}>
          {info.databasePath}
        </span>
        <TeamButton status={team} onOpen={() => setShowingTeam(true)} />
        <button className="topbar-button" onClick={() => setEditingLabels(true)}>
          Labels
        </button>
        <button className="topbar-button" onClick={() => setShowingBackups(true)}>
          Backups
        </button>
        <button className="annotator-badge" onClick={() => setAskName(true)} title="Change the annotator name">
          <span className="muted">Annotator</span> {info.annotator ?? '—'}
        </button>
      </header>
      {view === 'review' ? (
        <ReviewView
          labels={labels}
          annotator={info.annotator}
          onOpen={(articleId, annotationId) => {
            setView('articles');
            setOpenId(articleId);
            setFocus({ annotationId, at: Date.now() });
          }}
        />
      ) : view === 'claims' ? (
        <ClaimsView
          annotator={info.annotator ?? ''}
          onOpen={(articleId, annotationId) => {
            setView('articles');
            setOpenId(articleId);
            setFocus({ annotationId, at: Date.now() });
          }}
        />
      ) : (
        <div className="panes">
          <LibraryPane
            articles={articles}
            labels={labels}
            selectedId={openId}
            onOpen={open}
            onImport={() => setImporting({ files: null })}
            progress={progress}
          />
          {openId !== null ? (
            <ArticleWorkspace
              key={openId}
              articleId={openId}
              labels={labels}
              annotator={info.annotator}
              history={historyFor(openId)}
              blocked={askName || importing !== null || editingLabels || showingBackups || showingShortcuts || showingTeam}
              focus={focus}
            />
          ) : (
            <main className="pane empty-state">
              <h1 className="visually-hidden">Articles</h1>
              <div>
                <p>No article open.</p>
                <button className="primary" onClick={() => setImporting({ files: null })}>
                  Import articles…
                </button>
              </div>
            </main>
          )}
        </div>
      )}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div>Drop files or folders to import them</div>
        </div>
      )}
      {importing && (
        <ImportDialog
          initialFiles={importing.files}
          initialPaths={importing.paths ?? null}
          onClose={() => setImporting(null)}
          onOpenArticle={(id) => {
            setImporting(null);
            open(id);
          }}
        />
      )}
      {editingLabels && <LabelsDialog labels={labels} onClose={() => setEditingLabels(false)} />}
      {showingBackups && <BackupsDialog onClose={() => setShowingBackups(false)} />}
      {showingTeam && <TeamDialog status={team} onClose={() => setShowingTeam(false)} />}
      {showingShortcuts && <ShortcutsDialog onClose={() => setShowingShortcuts(false)} />}
      {importingBundle && <BundleProgress fileName={importingBundle} />}
      <StatusStrip />
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
