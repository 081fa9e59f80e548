import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { BundleReport } from '../../shared/bundle.js';
import { BundleProgress } from '../components/BundleProgress.js';
import { ITEM_KIND_LABELS, type AgreementReport, type Decision, type ReviewItem } from '../../shared/review.js';
import { AgreementPanel } from './AgreementPanel.js';
import type { Label } from '../../shared/schemas.js';
import { api, onApiEvent } from '../api/client.js';
import { saveExport } from '../components/saveExport.js';
import { notify } from '../state/notices.js';
import { reviewContext } from '../state/review-context.js';
import { inOrder } from '../state/in-order.js';
import { errorMessage } from '../../shared/errors.js';

/** Where the chosen pair is kept, so a reload (or a restore) comes back to it. */
const PAIR_KEY = 'claimdesk.review.pair';
/** Items asked for per page of the review queue. */
const QUEUE_PAGE = 200;
/** Review decisions, written in the order the reviewer made them. */
const decide = inOrder();
function savedPair(): { a: string; b: string } | null {
  try {
    const p = JSON.parse(localStorage.getItem(PAIR_KEY) ?? 'null') as { a?: unknown; b?: unknown } | null;
    return p && typeof p.a === 'string' && typeof p.b === 'string' ? { a: p.a, b: p.b } : null;
  } catch {
    return null;
  }
}

function quoteOf(item: ReviewItem, side: 'a' | 'b'): string {
  const x = side === 'a' ? item.a : item.b;
  return x ? `${x.label}: “${x.quote}”` : '—';
}

/** Review colleagues' tags: exchange bundles, compare two annotators, walk the disagreements, measure agreement. */
export function ReviewView({
  labels,
  annotator,
  onOpen,
}: {
  labels: readonly Label[];
  annotator: string | null;
  onOpen: (articleId: number, annotationId: string) => void;
}) {
  const [annotators, setAnnotators] = useState<string[]>([]);
  const [{ a, b }, setPair] = useState({ a: '', b: '' });
  const setA = (x: string) => setPair((p) => ({ ...p, a: x }));
  const setB = (x: string) => setPair((p) => ({ ...p, b: x }));
  /** The colleague whose bundle was just imported: B once the annotator list has them. */
  const imported = useRef<string | null>(null);
  const [items, setItems] = useState<ReviewItem[]>([]);
  /** Where the queue's next page starts (null: all loaded), and the page being read. */
  const [nextPage, setNextPage] = useState<number | null>(null);
  const loadingPage = useRef<number | null>(null);
  /** The figures of every article both tagged (read once per pair and change), and of the one article chosen. */
  const [wholeReport, setWholeReport] = useState<AgreementReport | null>(null);
  const [scopedReport, setScopedReport] = useState<AgreementReport | null>(null);
  /** Agreed items without a decision in the whole scope, counted by the server (the loaded pages hold only some). */
  const [openAgreed, setOpenAgreed] = useState<number | null>(null);
  const [current, setCurrent] = useState(0);
  const [reason, setReason] = useState('');
  const [editLabel, setEditLabel] = useState<string | null>(null);
  const [bundleReport, setBundleReport] = useState<{ file: string; report: BundleReport } | null>(null);
  /** The bundle being imported now, whose progress shows until it is done. */
  const [importingBundle, setImportingBundle] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  /** Review all articles both annotators tagged, or one. */
  const [scope, setScope] = useState<number | null>(null);
  const [scopeArticles, setScopeArticles] = useState<{ id: number; title: string }[]>([]);
  const reasonRef = useRef<HTMLInputElement>(null);
  const goldLabelRef = useRef<HTMLSelectElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  /** Article texts by id, for the sentence around each item. */
  const [texts, setTexts] = useState<ReadonlyMap<number, string>>(new Map());

  useEffect(() => {
    let live = true;
    api['annotators.progress']({})
      .then((rows) => {
        if (!live) return;
        const names = [...new Set(rows.map((r) => r.annotator))].filter((n) => n !== 'gold').sort();
        setAnnotators(names);
        const colleague = imported.current && names.includes(imported.current) ? imported.current : null;
        if (colleague) imported.current = null;
        const saved = savedPair();
        const me = annotator && names.includes(annotator) ? annotator : null;
        setPair((p) => {
          const has = (n: string | null | undefined): n is string => !!n && names.includes(n);
          // After an import: that colleague as B, against A as it was (or me) when that is someone else.
          if (colleague) {
            const other = [p.a, me, ...names].find((n) => has(n) && n !== colleague) ?? '';
            return { a: other, b: colleague };
          }
          if (has(p.a) && has(p.b)) return p;
          // The pair chosen last (kept across reloads), else me against the first colleague.
          if (saved && has(saved.a) && has(saved.b) && saved.a !== saved.b) return saved;
          const first = [p.a, me, ...names].find(has) ?? '';
          return { a: first, b: [p.b, ...names].find((n) => has(n) && n !== first) ?? '' };
        });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [version, annotator]);
  useEffect(() => {
    if (a && b) localStorage.setItem(PAIR_KEY, JSON.stringify({ a, b }));
  }, [a, b]);
  useEffect(() => onApiEvent((e) => (e.name === 'annotations.changed' || e.name === 'articles.changed') && setVersion((v) => v + 1)), []);

  useEffect(() => {
    let live = true;
    if (!a || !b || a === b) {
      const t = setTimeout(() => {
        if (!live) return;
        setItems([]);
        setNextPage(null);
        setWholeReport(null);
        setScopedReport(null);
        setOpenAgreed(null);
      }, 0);
      return () => {
        live = false;
        clearTimeout(t);
      };
    }
    const articleIds = scope === null ? undefined : [scope];
    // The queue's first page shows without waiting for the rest of the queue or for the agreement figures.
    api['review.queuePage']({ a, b, ...(articleIds ? { articleIds } : {}), limit: QUEUE_PAGE })
      .then((page) => {
        if (!live) return;
        loadingPage.current = null;
        setItems(page.items);
        setNextPage(page.next);
      })
      .catch((e: unknown) => live && setMessage(errorMessage(e)));
    if (articleIds) {
      api['review.agreement']({ a, b, articleIds })
        .then((r) => live && setScopedReport(r))
        .catch((e: unknown) => live && setMessage(errorMessage(e)));
    }
    api['review.openAgreed']({ a, b, ...(articleIds ? { articleIds } : {}) })
      .then((r) => live && setOpenAgreed(r.open))
      .catch((e: unknown) => live && setMessage(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [a, b, version, scope]);
  // The whole corpus's figures, once per pair and change: the report when no article is chosen, and the articles to choose from.
  useEffect(() => {
    if (!a || !b || a === b) return;
    let live = true;
    api['review.agreement']({ a, b })
      .then((all) => {
        if (!live) return;
        setWholeReport(all);
        setScopeArticles(all.articles.map((x) => ({ id: x.id, title: x.title })));
      })
      .catch((e: unknown) => live && setMessage(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [a, b, version]);
  const report = scope === null ? wholeReport : scopedReport;

  const queue = useMemo(() => items.filter((i) => i.kind !== 'agreed'), [items]);
  // The next page is read as the reviewer nears the end of what is loaded.
  const nearEnd = queue.length - current < QUEUE_PAGE / 4;
  useEffect(() => {
    if (!nearEnd || nextPage === null || loadingPage.current === nextPage) return;
    const after = nextPage;
    loadingPage.current = after;
    api['review.queuePage']({ a, b, ...(scope === null ? {} : { articleIds: [scope] }), after, limit: QUEUE_PAGE })
      .then((page) => {
        if (loadingPage.current !== after) return;
        setItems((list) => [...list, ...page.items]);
        setNextPage(page.next);
      })
      .catch((e: unknown) => setMessage(errorMessage(e)));
  }, [nearEnd, nextPage, a, b, scope]);
  const item = queue[Math.min(current, Math.max(0, queue.length - 1))];

  // The queue list follows the current item.
  useEffect(() => {
    listRef.current?.querySelector('li.current')?.scrollIntoView({ block: 'nearest' });
  }, [current, queue.length]);

  const itemArticle = item?.articleId;
  useEffect(() => {
    if (itemArticle === undefined || texts.has(itemArticle)) return;
    let live = true;
    api['articles.get']({ id: itemArticle })
      .then((x) => live && setTexts((m) => new Map(m).set(x.id, x.text)))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [itemArticle, texts]);
  const itemText = item ? texts.get(item.articleId) : undefined;
  const context = useMemo(() => (item && itemText !== undefined ? reviewContext(itemText, item.a, item.b) : []), [item, itemText]);

  // `e` (or Edit) opens the gold label picker with the keyboard in it.
  const editing = editLabel !== null;
  useEffect(() => {
    if (editing) goldLabelRef.current?.focus();
  }, [editing]);

  const decideItem = useCallback(
    (decision: Decision, edit?: { start: number; end: number; label: string }) => {
      if (!item) return;
      const input = { a, b, itemKey: item.key, decision, ...(reason.trim() ? { reason: reason.trim() } : {}), ...(edit ? { edit } : {}) };
      // Sent in the order decided: the next key is often pressed before the host has answered this one.
      decide(() => api['review.decide'](input))
        .then((updated) => setItems((list) => list.map((x) => (x.key === updated.key ? updated : x))))
        .catch((e: unknown) => setMessage(errorMessage(e)));
      // On to the next item at once, not when the host answers: a key pressed meanwhile is for the next item.
      setReason('');
      setEditLabel(null);
      setCurrent((c) => Math.min(c + 1, queue.length - 1));
    },
    [a, b, item, reason, queue.length],
  );

  // The reviewer's keys: n/p move, a/b/o/r decide, e edits, / writes a reason. Bound in the commit that shows an
  // item (a layout effect), so a key pressed as soon as it shows never goes to the item before it.
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
      if (e.ctrlKey || e.metaKey || e.altKey || !item) return;
      // A dialog (labels, backups) open over the queue has the keyboard.
      if (document.querySelector('.modal-backdrop')) return;
      const keys: Record<string, () => void> = {
        n: () => setCurrent((c) => Math.min(c + 1, queue.length - 1)),
        p: () => setCurrent((c) => Math.max(c - 1, 0)),
        a: () => item.a && decideItem('accept_a'),
        b: () => item.b && decideItem('accept_b'),
        o: () => decideItem('accept_both'),
        r: () => decideItem('reject'),
        e: () => setEditLabel(item.a?.label ?? item.b?.label ?? labels[0]?.id ?? null),
        '/': () => reasonRef.current?.focus(),
      };
      const run = keys[e.key];
      if (run) {
        e.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [item, queue.length, decideItem, labels]);

  const importBundle = (file: File) => {
    setMessage(null);
    setBundleReport(null);
    setImportingBundle(file.name);
    file
      .text()
      .then((content) => api['bundle.import']({ fileName: file.name, content }))
      .then((report) => {
        setBundleReport({ file: file.name, report });
        // Review the colleague just imported: against me, or against A if A is someone else.
        imported.current = report.annotator;
        setVersion((v) => v + 1);
      })
      .catch((e: unknown) => setMessage(errorMessage(e)))
      .finally(() => setImportingBundle(null));
  };

  const edited =
    item && editLabel
      ? { start: Math.min(item.a?.start ?? Infinity, item.b?.start ?? Infinity), end: Math.max(item.a?.end ?? 0, item.b?.end ?? 0) }
      : null;

  return (
    <main className="review-view" aria-label="Review">
      {/* The screen's heading for screen readers: the top bar's selected tab already says it on screen. */}
      <h1 className="visually-hidden">Review</h1>
      <header className="claims-toolbar">
        <button
          className="secondary"
          disabled={!annotator}
          onClick={() =>
            annotator &&
            void saveExport({ method: 'bundle.export', input: { annotator } }).then(
              (lines) => notify(lines.join(' ')),
              (e: unknown) => notify(`Export failed: ${String(e)}`),
            )
          }
        >
          Export my annotations
        </button>
        <label className="secondary file-button">
          Import a colleague’s annotations…
          <input
            type="file"
            accept=".json,application/json"
            aria-label="Import a colleague’s annotations"
            onChange={(e) => {
              const file = e.target.files?.[0];
              // Clear the input so choosing the same file again reads it again.
              e.target.value = '';
              if (file) importBundle(file);
            }}
          />
        </label>
        {/* The articles and the pair stay together at the right, on a row of their own when the window is narrow. */}
        <div className="review-pair">
          <label className="inline-field">
            Articles
            <select
              aria-label="Articles to review"
              value={scope ?? ''}
              onChange={(e) => setScope(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">All {scopeArticles.length} both tagged</option>
              {scopeArticles.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.title.length > 50 ? `${x.title.slice(0, 50)}…` : x.title}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            A
            <select aria-label="Annotator A" value={a} onChange={(e) => setA(e.target.value)}>
              {annotators.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            B
            <select aria-label="Annotator B" value={b} onChange={(e) => setB(e.target.value)}>
              {annotators.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
        </div>
      </header>
      {message && (
        <div className="message error" role="alert">
          {message}
          <button className="link" onClick={() => setMessage(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {importingBundle && <BundleProgress fileName={importingBundle} />}
      {bundleReport && (
        <div className="message info bundle-report" role="status" aria-label="Bundle import report">
          <div>
            <strong>{bundleReport.file}</strong> ({bundleReport.report.annotator}): {bundleReport.report.annotationsAdded} annotations
            added, {bundleReport.report.annotationsAlreadyPresent} already present; {bundleReport.report.articlesAdded} articles added,{' '}
            {bundleReport.report.articlesMatched} matched; {bundleReport.report.linksAdded} links and {bundleReport.report.groupsAdded}{' '}
            groups added.
            {bundleReport.report.reanchored.length > 0 && ` ${bundleReport.report.reanchored.length} re-anchored.`}
            {bundleReport.report.reattributed?.map(
              (r) => ` “${r.from}” is a name reserved here: ${r.annotations} annotations stored as “${r.to}”.`,
            )}
            {(bundleReport.report.conflicts?.length ?? 0) > 0 &&
              ` ${bundleReport.report.conflicts?.length} not imported because their ids clash (${bundleReport.report.conflicts?.[0]?.reason}).`}
            {bundleReport.report.unanchored.length > 0 && (
              <ul>
                {bundleReport.report.unanchored.map((u) => (
                  <li key={u.id}>
                    Not placed: “{u.quote}” in “{u.article}” — {u.reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <button className="link" onClick={() => setBundleReport(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <div className="review-body">
        {annotators.length < 2 ? (
          <p className="empty">Review needs two annotators. Import a colleague’s annotations to compare them with yours.</p>
        ) : a === b ? (
          <p className="empty">Choose two different annotators.</p>
        ) : (
          <>
            <section className="queue" aria-label="Review queue">
              <header className="queue-header">
                <h3>
                  Disagreements{' '}
                  <span className="muted small">
                    {queue.filter((i) => i.decision).length} of {queue.length} decided
                  </span>
                </h3>
                <button
                  className="secondary small-button"
                  disabled={!openAgreed}
                  onClick={() =>
                    void api['review.acceptAgreed']({ a, b, ...(scope === null ? {} : { articleIds: [scope] }) }).then(() =>
                      setVersion((v) => v + 1),
                    )
                  }
                >
                  Accept {openAgreed ?? '…'} agreed
                </button>
              </header>
              {item ? (
                <div className="queue-item" data-kind={item.kind}>
                  <p className="kind">
                    {current + 1} / {queue.length} · <strong>{ITEM_KIND_LABELS[item.kind]}</strong>
                    {item.decision && (
                      <span className="decided">
                        {' '}
                        · decided: {item.decision.decision.replace('_', ' ')} by {item.decision.reviewer}
                        {item.decision.reason && ` (${item.decision.reason})`}
                      </span>
                    )}
                  </p>
                  <div className="versions">
                    <button
                      className="version"
                      data-label={item.a?.label}
                      disabled={!item.a}
                      onClick={() => item.a && onOpen(item.articleId, item.a.id)}
                    >
                      <span className="who">A · {a}</span>
                      <span>{quoteOf(item, 'a')}</span>
                    </button>
                    <button
                      className="version"
                      data-label={item.b?.label}
                      disabled={!item.b}
                      onClick={() => item.b && onOpen(item.articleId, item.b.id)}
                    >
                      <span className="who">B · {b}</span>
                      <span>{quoteOf(item, 'b')}</span>
                    </button>
                  </div>
                  {context.length > 0 && (
                    <p className="review-context" aria-label="Article context">
                      {context.map((piece, i) => (
                        <span key={i} className={`${piece.inA ? 'in-a' : ''}${piece.inB ? ' in-b' : ''}`.trim() || undefined}>
                          {piece.text}
                        </span>
                      ))}
                    </p>
                  )}
                  <input
                    ref={reasonRef}
                    className="filter wide"
                    aria-label="Reason"
                    placeholder="Reason (optional) — press / to type, Enter to keep"
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                    onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
                  />
                  {editLabel && edited && (
                    <div className="edit-decision">
                      Gold span: the union of both tags, labelled
                      <select
                        ref={goldLabelRef}
                        aria-label="Gold label"
                        value={editLabel}
                        onChange={(e) => setEditLabel(e.target.value)}
                        onKeyDown={(e) => {
                          // Enter writes the gold span, Esc leaves the edit; the arrows choose the label.
                          if (e.key === 'Enter') {
                            e.preventDefault();
                            decideItem('edit', { ...edited, label: editLabel });
                          } else if (e.key === 'Escape') {
                            e.preventDefault();
                            e.stopPropagation();
                            setEditLabel(null);
                          }
                        }}
                      >
                        {labels.map((l) => (
                          <option key={l.id} value={l.id}>
                            {l.name}
                          </option>
                        ))}
                      </select>
                      <button className="primary small-button" onClick={() => decideItem('edit', { ...edited, label: editLabel })}>
                        Write gold
                      </button>
                    </div>
                  )}
                  <div className="decision-buttons">
                    <button className="secondary" disabled={!item.a} onClick={() => decideItem('accept_a')}>
                      Accept A <kbd>a</kbd>
                    </button>
                    <button className="secondary" disabled={!item.b} onClick={() => decideItem('accept_b')}>
                      Accept B <kbd>b</kbd>
                    </button>
                    <button className="secondary" onClick={() => decideItem('accept_both')}>
                      Both <kbd>o</kbd>
                    </button>
                    <button className="secondary" onClick={() => decideItem('reject')}>
                      Reject <kbd>r</kbd>
                    </button>
                    <button className="secondary" onClick={() => setEditLabel(item.a?.label ?? item.b?.label ?? null)}>
                      Edit <kbd>e</kbd>
                    </button>
                    <span className="muted small">
                      <kbd>n</kbd>/<kbd>p</kbd> next / previous
                    </span>
                  </div>
                </div>
              ) : (
                <p className="empty">
                  No disagreements between {a} and {b}.
                </p>
              )}
              <ol className="queue-list" ref={listRef}>
                {queue.map((q, i) => (
                  <li key={q.key} className={`${i === current ? 'current' : ''}${q.decision ? ' done' : ''}`}>
                    <button onClick={() => setCurrent(i)}>
                      <span className="kind-chip">{ITEM_KIND_LABELS[q.kind]}</span> {q.a?.quote ?? q.b?.quote}
                      {q.decision && <span className="muted small"> · {q.decision.decision.replace('_', ' ')}</span>}
                    </button>
                  </li>
                ))}
              </ol>
              <div className="exports">
                <span className="muted small">Adjudication log:</span>
                <button
                  className="link-button"
                  onClick={() =>
                    void saveExport({ method: 'review.exportLog', input: { format: 'csv' } }).then(
                      (lines) => notify(lines.join(' ')),
                      (e: unknown) => notify(`Export failed: ${String(e)}`),
                    )
                  }
                >
                  CSV
                </button>
                <button
                  className="link-button"
                  onClick={() =>
                    void saveExport({ method: 'review.exportLog', input: { format: 'json' } }).then(
                      (lines) => notify(lines.join(' ')),
                      (e: unknown) => notify(`Export failed: ${String(e)}`),
                    )
                  }
                >
                  JSON
                </button>
                <span className="muted small">Agreement report:</span>
                <button
                  className="link-button"
                  onClick={() =>
                    void saveExport({
                      method: 'review.exportAgreement',
                      input: { a, b, format: 'csv', ...(scope === null ? {} : { articleIds: [scope] }) },
                    }).then(
                      (lines) => notify(lines.join(' ')),
                      (e: unknown) => notify(`Export failed: ${String(e)}`),
                    )
                  }
                >
                  CSV
                </button>
                <button
                  className="link-button"
                  onClick={() =>
                    void saveExport({
                      method: 'review.exportAgreement',
                      input: { a, b, format: 'json', ...(scope === null ? {} : { articleIds: [scope] }) },
                    }).then(
                      (lines) => notify(lines.join(' ')),
                      (e: unknown) => notify(`Export failed: ${String(e)}`),
                    )
                  }
                >
                  JSON
                </button>
              </div>
            </section>
            {report && <AgreementPanel report={report} labels={labels} />}
          </>
        )}
      </div>
    </main>
  );
}
