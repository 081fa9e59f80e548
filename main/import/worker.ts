/** The import worker thread: its own database connection, one job, then exit. */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database.js';
import { runJob, type JobMessage, type JobSpec } from './jobs.js';
import { closeSharedReader } from './reader-pool.js';
import { errorMessage } from '../../shared/errors.js';

const { databasePath, spec } = workerData as { databasePath: string; spec: JobSpec };
// Cancel aborts at once: the file being read is stopped mid-read (its reader thread terminated).
const cancel = new AbortController();
parentPort?.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') cancel.abort();
});
const post = (m: JobMessage) => parentPort?.postMessage(m);
const db = openDatabase(databasePath);
runJob(db, spec, post, cancel.signal)
  .catch((err: unknown) => post({ type: 'error', message: errorMessage(err) }))
  // The reader thread is ended before this thread ends, not torn down with it.
  .finally(() => closeSharedReader())
  .finally(() => {
    db.close();
    parentPort?.close();
  });
