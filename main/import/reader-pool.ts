/**
 * Reads files in a separate thread, so a file can be given a time budget and
 * a memory limit: when a reader runs out of either, or the import is
 * cancelled, the thread is terminated and that file alone is reported failed;
 * the next file gets a fresh thread. The thread is kept between files (a web
 * page reader loads jsdom once, not per page).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { appRoot } from '../paths.js';
import { FILE_MEMORY_MB, FILE_TIME_BUDGET_MS } from './limits.js';
import type { ReaderReply, ReaderRequest } from './read-worker.js';
import type { ReadOutcome } from './types.js';

export interface ReaderLimits {
  /** Time the reader may work on one file (waiting for the parent to store a chunk does not count). */
  timeMs: number;
  /** Heap the reader thread may use. */
  memoryMb: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = { timeMs: FILE_TIME_BUDGET_MS, memoryMb: FILE_MEMORY_MB };

/** The reader thread's script: the built one, or, when running from source (tests, tsx), the TypeScript file through tsx. */
function readerScript(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { file: join(here, '..', 'read-worker.ts'), execArgv: ['--import', 'tsx'] };
  const built = join(appRoot(), 'out', 'main', 'read-worker.js');
  if (!existsSync(built)) throw new Error(`the file reader is missing (${built}); rebuild Claimdesk`);
  return { file: built, execArgv: [] };
}

const formatMb = (mb: number) => (mb >= 1024 ? `${(mb / 1024).toLocaleString('en')} GB` : `${mb} MB`);

export class ReaderPool {
  private worker: Worker | null = null;
  private ready: Promise<void> = Promise.resolve();

  constructor(private readonly limits: ReaderLimits = DEFAULT_READER_LIMITS) {}

  private spawn(): Worker {
    const { file, execArgv } = readerScript();
    const worker = new Worker(file, {
      execArgv,
      resourceLimits: {
        maxOldGenerationSizeMb: this.limits.memoryMb,
        maxYoungGenerationSizeMb: Math.min(64, Math.max(8, this.limits.memoryMb / 8)),
      },
    });
    this.ready = new Promise<void>((ok) => {
      const onReady = (m: ReaderReply) => {
        if (m.type !== 'ready') return;
        worker.off('message', onReady);
        ok();
      };
      worker.on('message', onReady);
      // A reader that dies while starting is reported by read() through its exit.
      worker.once('exit', () => ok());
    });
    worker.once('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    // An idle reader must not keep a CLI process alive.
    worker.unref();
    return worker;
  }

  /**
   * Reads one file; yields its outcomes in chunks. Stops with a failure
   * outcome for the file when the reader runs out of time or memory, stops
   * unexpectedly, or `signal` is aborted (then the reader is terminated at once).
   */
  async *read(fileName: string, bytes: Uint8Array, signal?: AbortSignal): AsyncGenerator<ReadOutcome[]> {
    const worker = (this.worker ??= this.spawn());
    type Next = { reply: Extract<ReaderReply, { type: 'outcomes' }> } | { failure: string };
    let settle: ((n: Next) => void) | null = null;
    const queue: Next[] = [];
    const push = (n: Next) => {
      if (settle) {
        const s = settle;
        settle = null;
        s(n);
      } else queue.push(n);
    };
    const next = () => (queue.length > 0 ? Promise.resolve(queue.shift() as Next) : new Promise<Next>((ok) => (settle = ok)));
    const onMessage = (reply: ReaderReply) => {
      if (reply.type === 'outcomes') push({ reply });
    };
    const onError = (err: Error & { code?: string }) =>
      push({
        failure:
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `needed more than ${formatMb(this.limits.memoryMb)} of memory to read (the limit per file)`
            : `could not be read (${err.message.split('\n')[0]})`,
      });
    const onExit = (code: number) => push({ failure: `could not be read (the reader stopped, exit code ${code})` });
    let abortQueued = false;
    let abortWait: () => void = () => undefined;
    const aborted = new Promise<void>((ok) => (abortWait = ok));
    const onAbort = () => {
      if (abortQueued) return;
      abortQueued = true;
      abortWait();
      push({ failure: 'cancelled while it was being read' });
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    signal?.addEventListener('abort', onAbort);
    worker.ref();
    let timer: NodeJS.Timeout | null = null;
    const startClock = () => {
      timer = setTimeout(
        () => push({ failure: `took longer than ${this.limits.timeMs / 1000} s to read (the limit per file)` }),
        this.limits.timeMs,
      );
    };
    const stopClock = () => {
      if (timer) clearTimeout(timer);
      timer = null;
    };
    let healthy = false;
    try {
      await Promise.race([this.ready, aborted]);
      if (signal?.aborted) onAbort();
      else {
        // Copied, not transferred: the caller's bytes stay usable.
        worker.postMessage({ type: 'read', fileName, bytes } satisfies ReaderRequest);
        startClock();
      }
      for (;;) {
        const n = await next();
        stopClock();
        if ('failure' in n) {
          yield [{ source: fileName, error: n.failure }];
          return;
        }
        if (n.reply.outcomes.length > 0) yield n.reply.outcomes;
        if (n.reply.last) {
          healthy = true;
          return;
        }
        if (signal?.aborted) continue; // the abort is queued; it ends the file next turn
        worker.postMessage({ type: 'more' } satisfies ReaderRequest);
        startClock();
      }
    } finally {
      stopClock();
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (healthy) worker.unref();
      else {
        // Out of time or memory, cancelled, or left part-way: this reader is done for.
        this.worker = null;
        void worker.terminate();
      }
    }
  }

  /** Starts the reader thread and loads its readers now, so the first file does not wait for them. */
  async warm(): Promise<void> {
    const worker = (this.worker ??= this.spawn());
    worker.ref();
    try {
      await this.ready;
      await new Promise<void>((ok) => {
        const onWarm = (m: ReaderReply) => {
          if (m.type !== 'warm') return;
          worker.off('message', onWarm);
          ok();
        };
        worker.on('message', onWarm);
        worker.once('exit', () => ok());
        worker.postMessage({ type: 'warm' } satisfies ReaderRequest);
      });
    } finally {
      worker.unref();
    }
  }

  /** Ends the reader thread. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

let shared: ReaderPool | null = null;
/**
 * The process's reader with the default limits, kept between imports (an
 * idle reader does not keep the process alive); other limits get their own,
 * which the caller closes.
 */
export function readerFor(limits: ReaderLimits = DEFAULT_READER_LIMITS): { reader: ReaderPool; owned: boolean } {
  if (limits.timeMs === DEFAULT_READER_LIMITS.timeMs && limits.memoryMb === DEFAULT_READER_LIMITS.memoryMb)
    return { reader: (shared ??= new ReaderPool()), owned: false };
  return { reader: new ReaderPool(limits), owned: true };
}

/** Ends the process's shared reader (a worker thread ends it before it exits itself). */
export async function closeSharedReader(): Promise<void> {
  const r = shared;
  shared = null;
  await r?.close();
}

/** Starts the process's shared reader ahead of an import (a host or child that imports soon after it starts). */
export async function warmSharedReader(): Promise<void> {
  await readerFor().reader.warm();
}
