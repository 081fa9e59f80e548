import { useCallback, useEffect, useRef, useState } from 'react';
import { MAX_FILE_BYTES, precheck, SUPPORTED_EXTENSIONS, formatBytes } from '../../shared/import-limits.js';
import type { ImportItem, ImportJob } from '../../shared/schemas.js';
import { api, onApiEvent } from '../api/client.js';
import { desktop } from '../api/desktop.js';
import { Modal } from '../components/Modal.js';
import { errorMessage } from '../../shared/errors.js';

/** A file chosen in the renderer, with the path to show for it (folder-relative when from a folder). */
export interface PickedFile {
  file: File;
  path: string;
}

type Phase =
  | { kind: 'choose' }
  | { kind: 'uploading'; sent: number; total: number }
  | { kind: 'running'; job: ImportJob }
  | { kind: 'finished'; job: ImportJob; local: ImportItem[]; cancelled: boolean };

/** How much base64 one upload call carries at most. */
const BATCH_BYTES = 8 * 1024 * 1024;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const ICON: Record<ImportItem['status'], string> = { imported: '✓', duplicate: '=', failed: '✗' };

/**
 * Import files, a folder or pasted text. Files are sent to the host in
 * batches, then read and stored there off the UI thread; progress and Cancel
 * follow the job, and every file gets a line in the results.
 */
export function ImportDialog({
  initialFiles,
  initialPaths = null,
  onClose,
  onOpenArticle,
}: {
  initialFiles: PickedFile[] | null;
  /** Files and folders the desktop host granted (its open dialog, a drop, the command line): read by path by the service. */
  initialPaths?: string[] | null;
  onClose: () => void;
  onOpenArticle: (id: number) => void;
}) {
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [paste, setPaste] = useState({ title: '', text: '' });
  const [pasteResult, setPasteResult] = useState<ImportItem | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cancelUpload = useRef(false);
  const jobId = useRef<string | null>(null);
  const started = useRef(false);

  const follow = useCallback(async (job: ImportJob, local: ImportItem[]) => {
    jobId.current = job.id;
    setPhase({ kind: 'running', job });
    // Progress arrives as events; the final results are read once the job ends.
    await new Promise<void>((resolve) => {
      const off = onApiEvent((e) => {
        const update = e.job;
        if (e.name !== 'import.progress' || !update || update.id !== job.id) return;
        setPhase((p) =>
          p.kind === 'running'
            ? { kind: 'running', job: { ...p.job, done: update.done, total: update.total, current: update.current } }
            : p,
        );
        if (update.state !== 'running') {
          off();
          resolve();
        }
      });
      // In case the job ended before the subscription: check once.
      void api['import.status']({ jobId: job.id }).then((s) => {
        if (s.state !== 'running') {
          off();
          resolve();
        }
      });
    });
    const final = await api['import.status']({ jobId: job.id });
    setPhase({ kind: 'finished', job: final, local, cancelled: final.state === 'cancelled' });
  }, []);

  const importFiles = useCallback(
    async (picked: PickedFile[]) => {
      setError(null);
      cancelUpload.current = false;
      const local: ImportItem[] = [];
      const sendable: PickedFile[] = [];
      for (const p of picked) {
        const problem = precheck(p.path, p.file.size);
        if (problem) local.push({ source: p.path, status: 'failed', message: problem });
        else sendable.push(p);
      }
      const empty: ImportJob = {
        id: '',
        state: 'done',
        total: 0,
        done: 0,
        current: null,
        results: [],
        counts: { imported: 0, duplicate: 0, failed: 0 },
      };
      if (sendable.length === 0) {
        setPhase({ kind: 'finished', job: empty, local, cancelled: false });
        return;
      }
      try {
        let uploadId: string | undefined;
        let batch: { name: string; data: string }[] = [];
        let batchBytes = 0;
        setPhase({ kind: 'uploading', sent: 0, total: sendable.length });
        for (let i = 0; i < sendable.length; i++) {
          if (cancelUpload.current) {
            setPhase({ kind: 'finished', job: empty, local, cancelled: true });
            return;
          }
          const p = sendable[i] as PickedFile;
          let data: string;
          try {
            data = toBase64(new Uint8Array(await p.file.arrayBuffer()));
          } catch (err) {
            local.push({ source: p.path, status: 'failed', message: `could not be read (${errorMessage(err)})` });
            continue;
          }
          batch.push({ name: p.path, data });
          batchBytes += data.length;
          if (batchBytes >= BATCH_BYTES || i === sendable.length - 1) {
            ({ uploadId } = await api['import.upload']({ uploadId, files: batch }));
            batch = [];
            batchBytes = 0;
          }
          setPhase({ kind: 'uploading', sent: i + 1, total: sendable.length });
        }
        if (!uploadId) {
          setPhase({ kind: 'finished', job: empty, local, cancelled: false });
          return;
        }
        await follow(await api['import.start']({ uploadId }), local);
      } catch (err) {
        setError(errorMessage(err));
        setPhase({ kind: 'choose' });
      }
    },
    [follow],
  );

  const importPaths = useCallback(
    async (paths: string[]) => {
      try {
        await follow(await api['import.start']({ paths }), []);
      } catch (err) {
        setError(errorMessage(err));
        setPhase({ kind: 'choose' });
      }
    },
    [follow],
  );

  useEffect(() => {
    if (started.current) return;
    if (initialPaths?.length) {
      started.current = true;
      // eslint-disable-next-line react-hooks/set-state-in-effect -- starts the import handed in, once; its state changes come after the host answers
      void importPaths(initialPaths);
    } else if (initialFiles) {
      started.current = true;
      void importFiles(initialFiles);
    }
  }, [initialFiles, initialPaths, importFiles, importPaths]);

  /** The desktop's own open dialog: the chosen paths are granted by main and read where they are. */
  const chooseNative = (kind: 'files' | 'folder') => {
    void desktop?.chooseImport(kind).then((paths) => {
      setError(null);
      if (paths.length) void importPaths(paths);
    });
  };

  const busy = phase.kind === 'uploading' || phase.kind === 'running';

  const accept = SUPPORTED_EXTENSIONS.join(',');
  const pick = (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
    input.value = '';
    if (files.length) void importFiles(files);
  };

  return (
    <Modal
      id="import"
      title="Import articles"
      className="import-dialog"
      onClose={onClose}
      close={busy ? 'hidden' : 'enabled'}
      error={error}
    >
      {phase.kind === 'choose' && (
        <>
          <p>
            Text ({'.txt'}, {'.md'}), saved web pages ({'.html'}), Word ({'.docx'}), PDF with a text layer, and datasets ({'.json'},{' '}
            {'.jsonl'} with a <code>text</code> field). Up to {formatBytes(MAX_FILE_BYTES)} a file. You can also drop files or folders
            anywhere on the window.
          </p>
          {desktop ? (
            <div className="import-choices">
              <button className="primary" onClick={() => chooseNative('files')}>
                Choose files…
              </button>
              <button className="secondary" onClick={() => chooseNative('folder')}>
                Choose a folder…
              </button>
            </div>
          ) : (
            <div className="import-choices">
              <label className="primary file-button">
                Choose files…
                <input type="file" multiple accept={accept} onChange={(e) => pick(e.target)} aria-label="Choose files to import" />
              </label>
              <label className="secondary file-button">
                Choose a folder…
                <input
                  type="file"
                  multiple
                  {...{ webkitdirectory: '' }}
                  onChange={(e) => pick(e.target)}
                  aria-label="Choose a folder to import"
                />
              </label>
            </div>
          )}
          <details className="paste">
            <summary>Paste text as a new article</summary>
            <label className="field">
              <span>Title (optional: otherwise the first line)</span>
              <input value={paste.title} onChange={(e) => setPaste({ ...paste, title: e.target.value })} />
            </label>
            <label className="field">
              <span>Article text</span>
              <textarea
                rows={8}
                value={paste.text}
                onChange={(e) => setPaste({ ...paste, text: e.target.value })}
                aria-label="Article text to paste"
              />
            </label>
            <div className="actions">
              {pasteResult && (
                <span className={`paste-result ${pasteResult.status}`} role="status">
                  {pasteResult.status === 'imported' ? `Added “${pasteResult.title}”.` : pasteResult.message}
                  {pasteResult.articleId !== undefined && (
                    <button className="link" onClick={() => onOpenArticle(pasteResult.articleId ?? 0)}>
                      Open
                    </button>
                  )}
                </span>
              )}
              <button
                className="primary"
                disabled={paste.text.trim() === ''}
                onClick={() => {
                  setError(null);
                  api['articles.createFromText']({ text: paste.text, ...(paste.title.trim() ? { title: paste.title } : {}) })
                    .then((r) => {
                      setPasteResult(r);
                      if (r.status === 'imported') setPaste({ title: '', text: '' });
                    })
                    .catch((err: unknown) => setError(errorMessage(err)));
                }}
              >
                Add article
              </button>
            </div>
          </details>
        </>
      )}

      {phase.kind === 'uploading' && (
        <Progress
          label={`Reading files: ${phase.sent} of ${phase.total}`}
          done={phase.sent}
          total={phase.total}
          onCancel={() => (cancelUpload.current = true)}
        />
      )}
      {phase.kind === 'running' && (
        <Progress
          label={`Importing ${Math.min(phase.job.done + 1, phase.job.total || 1)} of ${phase.job.total || '…'}${phase.job.current ? `: ${phase.job.current}` : ''}`}
          done={phase.job.done}
          total={phase.job.total}
          onCancel={() => {
            if (jobId.current) void api['import.cancel']({ jobId: jobId.current });
          }}
        />
      )}

      {phase.kind === 'finished' && (
        <Results
          job={phase.job}
          local={phase.local}
          cancelled={phase.cancelled}
          onlyProblems={onlyProblems}
          setOnlyProblems={setOnlyProblems}
          onOpenArticle={onOpenArticle}
          onMore={() => setPhase({ kind: 'choose' })}
        />
      )}
    </Modal>
  );
}

function Progress({ label, done, total, onCancel }: { label: string; done: number; total: number; onCancel: () => void }) {
  return (
    <div className="import-progress">
      <p className="progress-label" role="status">
        {label}
      </p>
      <progress max={Math.max(total, 1)} value={done} aria-label="Import progress" />
      <div className="actions">
        <button className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function Results(props: {
  job: ImportJob;
  local: ImportItem[];
  cancelled: boolean;
  onlyProblems: boolean;
  setOnlyProblems: (v: boolean) => void;
  onOpenArticle: (id: number) => void;
  onMore: () => void;
}) {
  const items = [...props.local, ...props.job.results];
  // The job's counts cover every record; its list holds the failures and the latest items only.
  const counts = { ...props.job.counts };
  for (const i of props.local) counts[i.status]++;
  const shown = props.onlyProblems ? items.filter((i) => i.status === 'failed') : items;
  return (
    <div className="import-results">
      <p className="summary" role="status" aria-label="Import summary">
        {props.cancelled && <strong>Cancelled. </strong>}
        <span className="ok">{counts.imported} imported</span> · <span>{counts.duplicate} duplicate</span> ·{' '}
        <span className={counts.failed ? 'bad' : ''}>{counts.failed} failed</span>
        {props.cancelled && ' — files after the cancel were not imported; nothing was half-stored.'}
      </p>
      <label className="check">
        <input type="checkbox" checked={props.onlyProblems} onChange={(e) => props.setOnlyProblems(e.target.checked)} /> Show only failures
      </label>
      <ul className="result-list" aria-label="Import results">
        {shown.map((item, i) => (
          <li key={`${item.source}-${i}`} className={`result ${item.status}`} data-status={item.status}>
            <span className="icon" aria-hidden="true">
              {ICON[item.status]}
            </span>
            <span className="source">{item.source}</span>
            <span className="detail">
              {item.status === 'imported' ? (item.message ? `${item.title ?? ''} — ${item.message}` : item.title) : item.message}
            </span>
            {item.articleId !== undefined && (
              <button className="link" onClick={() => props.onOpenArticle(item.articleId ?? 0)}>
                Open
              </button>
            )}
          </li>
        ))}
      </ul>
      {(props.job.omitted ?? 0) > 0 && <p className="hint">{props.job.omitted} more items are counted above but not listed.</p>}
      <div className="actions">
        <button className="primary" onClick={props.onMore}>
          Import more…
        </button>
      </div>
    </div>
  );
}
