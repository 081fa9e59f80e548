/**
 * Import jobs: uploads staged in a private temporary folder, then read and
 * stored off the main thread (a worker thread with its own connection), with
 * progress events and cancel between files. Where the built worker is not
 * available (unit tests run from source) the same pipeline runs in-process.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ApiEvent } from '../../shared/methods.js';
import type { ImportItem, ImportJob } from '../../shared/schemas.js';
import type { Db } from '../store/database.js';
import { collectInputs, importInputs, type ImportInput, type ImportProgress } from './pipeline.js';

export type JobSpec = { kind: 'paths'; paths: string[] } | { kind: 'upload'; dir: string };

/** Messages from a job runner (worker or in-process) to the job. */
export type JobMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'item'; item: ImportItem }
  | { type: 'done'; cancelled: boolean }
  | { type: 'error'; message: string };

interface UploadEntry {
  name: string;
  file: string;
  size: number;
}

/** Inputs of a job, wherever it runs. */
export async function inputsFor(spec: JobSpec): Promise<{ inputs: ImportInput[]; missing: ImportItem[] }> {
  if (spec.kind === 'paths') return collectInputs(spec.paths);
  const manifest = JSON.parse(await readFile(join(spec.dir, 'manifest.json'), 'utf8')) as UploadEntry[];
  return {
    inputs: manifest.map((e) => ({
      display: e.name,
      size: e.size,
      read: async () => new Uint8Array(await readFile(join(spec.dir, e.file))),
    })),
    missing: [],
  };
}

/** Runs a job's pipeline, reporting through `post`; used by the worker and in-process. */
export async function runJob(db: Db, spec: JobSpec, post: (m: JobMessage) => void, signal: AbortSignal): Promise<void> {
  const { inputs, missing } = await inputsFor(spec);
  for (const item of missing) post({ type: 'item', item });
  const { cancelled } = await importInputs(db, inputs, {
    onProgress: (progress) => post({ type: 'progress', progress }),
    onItem: (item) => post({ type: 'item', item }),
    signal,
  });
  post({ type: 'done', cancelled });
}

/** Failures listed in a job's status (the counts include every one). */
export const STATUS_FAILURES = 1000;
/** Latest imported or duplicate items listed in a job's status. */
export const STATUS_RECENT = 50;
/** How long a cancelled job's worker may take to stop by itself before it is terminated. */
const CANCEL_GRACE_MS = 3000;

/**
 * A job's outcomes as its status shows them: the failures (up to
 * STATUS_FAILURES) and the latest other items, not every record, so a
 * million-record import keeps a small status; `omitted` counts the rest.
 */
export class StatusItems {
  private readonly failures: ImportItem[] = [];
  private readonly recent: ImportItem[] = [];
  omitted = 0;

  add(item: ImportItem): void {
    if (item.status === 'failed') {
      if (this.failures.length < STATUS_FAILURES) this.failures.push(item);
      else this.omitted++;
      return;
    }
    this.recent.push(item);
    if (this.recent.length > STATUS_RECENT) {
      this.recent.shift();
      this.omitted++;
    }
  }

  get list(): ImportItem[] {
    return [...this.failures, ...this.recent];
  }
}

interface RunningJob {
  status: ImportJob;
  items: StatusItems;
  cancel: () => void;
  finished: Promise<void>;
}

export interface ImportJobsOptions {
  db: Db;
  databasePath: string;
  emit: (e: ApiEvent) => void;
  /** The built worker script; null runs jobs in-process. */
  workerFile: string | null;
}

export class ImportJobs {
  private readonly jobs = new Map<string, RunningJob>();
  private readonly uploadsRoot = join(tmpdir(), `claimdesk-uploads-${process.pid}-${randomUUID().slice(0, 8)}`);

  constructor(private readonly opts: ImportJobsOptions) {}

  /** Stages files sent by the renderer; file names never become paths. */
  async upload(
    uploadId: string | undefined,
    files: readonly { name: string; data: string }[],
  ): Promise<{ uploadId: string; files: number }> {
    const id = uploadId ?? randomUUID();
    const dir = join(this.uploadsRoot, id);
    const manifestFile = join(dir, 'manifest.json');
    let manifest: UploadEntry[] = [];
    if (uploadId) {
      if (!existsSync(manifestFile)) throw new Error(`no upload with id ${uploadId}`);
      manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as UploadEntry[];
    } else await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const f of files) {
      const file = `${manifest.length}.bin`;
      const bytes = Buffer.from(f.data, 'base64');
      await writeFile(join(dir, file), bytes, { mode: 0o600 });
      manifest.push({ name: f.name.replace(/\\/g, '/').replace(/^\/+/, ''), file, size: bytes.length });
    }
    await writeFile(manifestFile, JSON.stringify(manifest));
    return { uploadId: id, files: manifest.length };
  }

  async start(spec: { uploadId: string } | { paths: string[] }): Promise<ImportJob> {
    let jobSpec: JobSpec;
    if ('uploadId' in spec) {
      const dir = join(this.uploadsRoot, spec.uploadId);
      if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`no upload with id ${spec.uploadId}`);
      jobSpec = { kind: 'upload', dir };
    } else jobSpec = { kind: 'paths', paths: spec.paths };

    const id = randomUUID();
    const total =
      jobSpec.kind === 'upload' ? (JSON.parse(await readFile(join(jobSpec.dir, 'manifest.json'), 'utf8')) as unknown[]).length : 0;
    const status: ImportJob = {
      id,
      state: 'running',
      total,
      done: 0,
      current: null,
      results: [],
      counts: { imported: 0, duplicate: 0, failed: 0 },
    };
    const items = new StatusItems();
    let lastEmit = 0;
    const emitProgress = (force = false) => {
      const now = Date.now();
      if (!force && now - lastEmit < 100) return;
      lastEmit = now;
      this.opts.emit({
        name: 'import.progress',
        job: { id, done: status.done, total: status.total, current: status.current, state: status.state },
      });
    };
    let resolveFinished: () => void = () => undefined;
    const finished = new Promise<void>((ok) => (resolveFinished = ok));
    const onMessage = (m: JobMessage) => {
      if (m.type === 'progress') {
        status.done = m.progress.done;
        status.total = m.progress.total;
        status.current = m.progress.current;
        emitProgress();
      } else if (m.type === 'item') {
        status.counts[m.item.status]++;
        items.add(m.item);
        if (m.item.status === 'imported') this.opts.emit({ name: 'articles.changed', articleId: m.item.articleId });
      } else {
        status.state = m.type === 'error' ? 'failed' : m.cancelled ? 'cancelled' : 'done';
        if (m.type === 'error') status.error = m.message;
        status.current = null;
        emitProgress(true);
        this.opts.emit({ name: 'articles.changed' });
        if (jobSpec.kind === 'upload') {
          // The upload is consumed: gone at once for start(), its files a moment later.
          rmSync(join(jobSpec.dir, 'manifest.json'), { force: true });
          void rm(jobSpec.dir, { recursive: true, force: true }).finally(resolveFinished);
        } else resolveFinished();
      }
    };

    let cancel: () => void;
    const workerFile = this.opts.workerFile;
    if (workerFile && existsSync(workerFile) && (await stat(workerFile)).isFile()) {
      const worker = new Worker(workerFile, { workerData: { databasePath: this.opts.databasePath, spec: jobSpec } });
      let ended = false;
      worker.on('message', (m: JobMessage) => {
        if (m.type === 'done' || m.type === 'error') ended = true;
        onMessage(m);
      });
      worker.on('error', (err) => {
        if (!ended) onMessage({ type: 'error', message: err.message });
        ended = true;
      });
      worker.on('exit', (code) => {
        if (!ended) onMessage({ type: 'error', message: `the import stopped unexpectedly (exit code ${code})` });
        ended = true;
      });
      cancel = () => {
        worker.postMessage({ type: 'cancel' });
        // A worker that does not answer (stuck in native code) is ended; what it committed stays, its open transaction rolls back.
        setTimeout(() => {
          if (ended) return;
          ended = true;
          void worker.terminate();
          onMessage({ type: 'done', cancelled: true });
        }, CANCEL_GRACE_MS).unref();
      };
    } else {
      const abort = new AbortController();
      cancel = () => abort.abort();
      // Yield first so start() answers before the work begins, as with a worker.
      setImmediate(() => {
        runJob(this.opts.db, jobSpec, onMessage, abort.signal).catch((err: unknown) => onMessage({ type: 'error', message: String(err) }));
      });
    }
    this.jobs.set(id, { status, items, cancel, finished });
    for (const [oldId, job] of this.jobs) {
      if (this.jobs.size <= 20) break;
      if (job.status.state !== 'running') this.jobs.delete(oldId);
    }
    emitProgress(true);
    return this.snapshot({ status, items, cancel, finished });
  }

  private get(jobId: string): RunningJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no import job with id ${jobId}`);
    return job;
  }

  private snapshot(job: RunningJob): ImportJob {
    return structuredClone({ ...job.status, results: job.items.list, ...(job.items.omitted > 0 ? { omitted: job.items.omitted } : {}) });
  }

  status(jobId: string): ImportJob {
    return this.snapshot(this.get(jobId));
  }

  cancel(jobId: string): ImportJob {
    const job = this.get(jobId);
    if (job.status.state === 'running') job.cancel();
    return this.snapshot(job);
  }

  /** Resolves when the job has finished (for the CLI and tests). */
  async wait(jobId: string): Promise<ImportJob> {
    await this.get(jobId).finished;
    return this.status(jobId);
  }

  /** Whether a job is still writing to the database (a restore waits for none). */
  get running(): boolean {
    return [...this.jobs.values()].some((j) => j.status.state === 'running');
  }

  async dispose(): Promise<void> {
    for (const job of this.jobs.values()) if (job.status.state === 'running') job.cancel();
    await Promise.all([...this.jobs.values()].map((j) => j.finished));
    await rm(this.uploadsRoot, { recursive: true, force: true });
  }
}
