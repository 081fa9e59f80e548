/**
 * The service process: opens the library and answers the API on its message
 * channels, so SQL, imports, exports and backups never run on the process
 * that keeps the windows and menus. Started by Electron's main process as a
 * `utilityProcess` (renderers get a MessagePortMain each) and by the HTTP
 * host or a test as a Node child process (its IPC channel).
 *
 *   service.js --db FILE [--seeds DIR] [--worker FILE] [--version V] [--no-seed] [--grant PATH]...
 */
import { parseArgs } from 'node:util';
import { openService, type Service } from '../service.js';
import { serveChannel, type Channel, type Reply } from './protocol.js';
import { hostSealer } from './sealer.js';
import { errorMessage } from '../../shared/errors.js';

/** Electron's `process.parentPort` in a utility process, as much of it as is used (no Electron import here). */
interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: PortMain[] }) => void): void;
  postMessage(message: unknown): void;
}
interface PortMain {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}

const electronParent = (process as unknown as { parentPort?: ParentPort }).parentPort;

function parentChannel(): Channel {
  if (electronParent) {
    const listeners: ((m: unknown) => void)[] = [];
    electronParent.on('message', (e) => {
      if (e.ports.length > 0) return; // ports are renderers connecting, handled in main()
      for (const l of listeners) l(e.data);
    });
    return { post: (m) => electronParent.postMessage(m), onMessage: (l) => listeners.push(l) };
  }
  if (!process.send) throw new Error('the service process needs a parent: run it from the app or with child_process.fork');
  const send = process.send.bind(process);
  return { post: (m) => void send(m), onMessage: (l) => process.on('message', l) };
}

function portChannel(port: PortMain): Channel {
  return { post: (m) => port.postMessage(m), onMessage: (l) => port.on('message', (e) => l(e.data)) };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      seeds: { type: 'string' },
      worker: { type: 'string' },
      version: { type: 'string' },
      'no-seed': { type: 'boolean' },
      grant: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const parent = parentChannel();
  if (!values.db) {
    parent.post({ type: 'failed', message: 'no database given (--db FILE)' } satisfies Reply);
    return;
  }
  parent.post({
    type: 'starting',
    message: 'Opening the library (a backup and an upgrade of the database run first when this Claimdesk is newer)…',
  } satisfies Reply);
  let service: Service;
  try {
    // The team password is sealed by the host (Electron: safeStorage); the library keeps only the sealed blob.
    service = openService(values.db, {
      seed: !values['no-seed'],
      seedsDir: values.seeds,
      workerFile: values.worker,
      version: values.version,
      team: { sealer: hostSealer(parent) },
    });
  } catch (err) {
    parent.post({ type: 'failed', message: errorMessage(err) } satisfies Reply);
    // Let the message reach the parent before the process ends.
    setTimeout(() => process.exit(1), 100);
    return;
  }
  if (values.grant) service.grants.grant(values.grant);
  const exit = () => setTimeout(() => process.exit(0), 0);
  serveChannel(service, parent, { privileged: true, onClose: exit });
  electronParent?.on('message', (e) => {
    for (const port of e.ports) {
      const stop = serveChannel(service, portChannel(port), { privileged: false });
      port.on('close', stop);
      port.start();
    }
  });
  // The IPC channel closing means the host is gone: nothing would read the answers.
  process.on('disconnect', () => void service.closeWhenIdle().finally(() => process.exit(0)));
  parent.post({ type: 'ready' } satisfies Reply);
  // Build the claims table once while the window loads, so the Claims tab opens at once.
  setTimeout(() => void service.dispatch('claims.table', { limit: 1 }), 0);
}

main();
