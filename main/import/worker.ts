/** The import worker thread: its own database connection, one job, then exit. */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database.js';
import { runJob, type JobMessage, type JobSpec } from './jobs.js';

const { databasePath, spec } = workerData as { databasePath: string; spec: JobSpec };
let cancelled = false;
parentPort?.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') cancelled = true;
});
const post = (m: JobMessage) => parentPort?.postMessage(m);
const db = openDatabase(databasePath);
runJob(db, spec, post, () => cancelled)
  .catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }))
  .finally(() => {
    db.close();
    parentPort?.close();
  });
