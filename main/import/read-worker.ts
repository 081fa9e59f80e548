/**
 * The reader thread: reads the files it is sent, one at a time, and hands the
 * outcomes back in chunks, waiting for "more" between chunks so a dataset of a
 * million records is never held twice. It runs under the memory limit its
 * parent gives it and may be terminated at any moment (time budget, cancel);
 * it touches no database.
 */
import { parentPort } from 'node:worker_threads';
import { READ_CHUNK } from './limits.js';
import { readOutcomes } from './readers.js';
import type { ReadOutcome } from './types.js';

/** Parent to reader. */
export type ReaderRequest = { type: 'read'; fileName: string; bytes: Uint8Array } | { type: 'more' } | { type: 'warm' };
/** Reader to parent: a chunk of outcomes; `last` ends the file. */
export type ReaderReply = { type: 'ready' } | { type: 'warm' } | { type: 'outcomes'; outcomes: ReadOutcome[]; last: boolean };

const port = parentPort;
if (!port) throw new Error('the reader runs only as a worker thread');

let waitingForMore: (() => void) | null = null;
const more = () => new Promise<void>((ok) => (waitingForMore = ok));

async function read(fileName: string, bytes: Uint8Array): Promise<void> {
  let chunk: ReadOutcome[] = [];
  for await (const outcome of readOutcomes(fileName, bytes)) {
    chunk.push(outcome);
    if (chunk.length >= READ_CHUNK) {
      const next = more();
      port?.postMessage({ type: 'outcomes', outcomes: chunk, last: false } satisfies ReaderReply);
      chunk = [];
      await next;
    }
  }
  port?.postMessage({ type: 'outcomes', outcomes: chunk, last: true } satisfies ReaderReply);
}

// Loaded: a file's time budget starts now, not while the thread starts up.
port.postMessage({ type: 'ready' } satisfies ReaderReply);

port.on('message', (m: ReaderRequest) => {
  if (m.type === 'warm') {
    // The readers that load big libraries (jsdom, the Markdown parser), loaded before the first file needs them.
    void Promise.all([import('./html.js'), import('./markdown.js')]).then(() => port.postMessage({ type: 'warm' } satisfies ReaderReply));
  } else if (m.type === 'more') {
    const resume = waitingForMore;
    waitingForMore = null;
    resume?.();
  } else void read(m.fileName, m.bytes);
});
