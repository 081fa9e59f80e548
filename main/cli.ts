/**
 * `claimdesk stats [--db FILE]`: headless access over the same API as the
 * app. (import/export arrive with their issues.)
 */
import { parseArgs } from 'node:util';
import { call } from './api.js';
import { defaultDatabasePath } from './paths.js';
import { openService } from './service.js';

const USAGE = `usage: claimdesk stats [--db FILE]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { db: { type: 'string' } }, strict: true });
  const db = values.db ?? defaultDatabasePath();
  switch (command) {
    case 'stats': {
      const service = openService(db, { seed: false });
      try {
        const [articles, labels] = await Promise.all([call(service.dispatch, 'articles.list', {}), call(service.dispatch, 'labels.list', {})]);
        process.stdout.write(`${db}\n${articles.length} articles\n`);
        for (const l of labels) {
          const n = articles.reduce((sum, a) => sum + (a.counts[l.id] ?? 0), 0);
          process.stdout.write(`${l.name.padEnd(10)} ${n}\n`);
        }
        return 0;
      } finally {
        service.close();
      }
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`claimdesk: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
