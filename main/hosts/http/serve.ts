/**
 * `npm run serve -- [--db FILE] [--port N]`: the browser host. Prints exactly
 * one line, the URL with this run's token.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appRoot, defaultDatabasePath } from '../../paths.js';
import { openService } from '../../service.js';
import { serializeResult, startHttpHost } from './server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { db: { type: 'string' }, port: { type: 'string' }, 'no-seed': { type: 'boolean' } },
    strict: true,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  const service = openService(values.db ?? defaultDatabasePath(), { seed: !values['no-seed'] });
  const host = await startHttpHost({ dispatch: service.dispatch, subscribe: service.subscribe, staticDir: join(appRoot(), 'out', 'renderer'), port });
  process.stdout.write(`Claimdesk is serving ${host.url}\n`);
  // Build the claims table (and its JSON) once while the page loads, so the Claims tab opens at once.
  setTimeout(() => void service.dispatch('claims.table', {}).then(serializeResult), 0);
  const stop = () => {
    void host.close().then(() => {
      service.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`claimdesk serve: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
