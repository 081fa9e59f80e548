/**
 * `npm run serve -- [--db FILE] [--port N] [--allow-import PATH]... [--service-process]`:
 * the browser host. Prints exactly one line, the URL with this run's token.
 *
 * The service runs in this process by default: every answer goes straight
 * from the dispatcher to the socket, and a cached claims table is serialised
 * once for all requests, where a child process would copy it once more per
 * request. `--service-process` runs it in a child process instead, as the
 * Electron host does (a crash of the child is then survived and reported).
 * `--allow-import` names files or folders `import.start` may read by path;
 * a browser uploads what the user picks instead.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Dispatcher } from '../../../shared/api.js';
import type { ApiEvent } from '../../../shared/methods.js';
import { appRoot, defaultDatabasePath } from '../../paths.js';
import { openService } from '../../service.js';
import { forkService } from '../../service-process/node-spawn.js';
import { ServiceSupervisor } from '../../service-process/supervisor.js';
import { serializeResult, startHttpHost } from './server.js';
import { errorMessage } from '../../../shared/errors.js';

interface Backend {
  dispatch: Dispatcher;
  subscribe: (listener: (e: ApiEvent) => void) => () => void;
  close: () => Promise<void>;
}

async function inProcess(db: string, seed: boolean, allow: string[]): Promise<Backend> {
  const service = openService(db, { seed });
  service.grants.grant(allow);
  return { dispatch: service.dispatch, subscribe: service.subscribe, close: () => service.closeWhenIdle() };
}

async function childProcess(db: string, seed: boolean, allow: string[]): Promise<Backend> {
  const listeners = new Set<(e: ApiEvent) => void>();
  const args = ['--db', db, ...(seed ? [] : ['--no-seed']), ...allow.flatMap((p) => ['--grant', p])];
  const supervisor = new ServiceSupervisor({
    spawn: forkService(join(appRoot(), 'out', 'main', 'service.js'), args),
    onEvent: (e) => listeners.forEach((l) => l(e)),
  });
  await supervisor.start();
  return {
    dispatch: supervisor.dispatch,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: () => supervisor.close(),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      'no-seed': { type: 'boolean' },
      'allow-import': { type: 'string', multiple: true },
      'service-process': { type: 'boolean' },
    },
    strict: true,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  const open = values['service-process'] ? childProcess : inProcess;
  const backend = await open(values.db ?? defaultDatabasePath(), !values['no-seed'], values['allow-import'] ?? []);
  const host = await startHttpHost({
    dispatch: backend.dispatch,
    subscribe: backend.subscribe,
    staticDir: join(appRoot(), 'out', 'renderer'),
    port,
  });
  process.stdout.write(`Claimdesk is serving ${host.url}\n`);
  // Build the claims table (and its JSON) once while the page loads, so the Claims tab opens at once.
  setTimeout(() => void backend.dispatch('claims.table', {}).then(serializeResult), 0);
  const stop = () => {
    void host
      .close()
      .then(() => backend.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`claimdesk serve: ${errorMessage(err)}\n`);
  process.exit(1);
});
