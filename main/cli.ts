/**
 * The headless command line over the same API and pipeline as the app:
 *   claimdesk import PATH... [--db FILE]
 *   claimdesk stats [--db FILE]
 */
import { parseArgs } from 'node:util';
import { call } from './api.js';
import { collectInputs, importInputs } from './import/pipeline.js';
import { MAX_FILE_BYTES } from './import/types.js';
import { defaultDatabasePath } from './paths.js';
import { openService } from './service.js';

const USAGE = `usage:
  claimdesk import PATH... [--db FILE]   import files and folders (recursive)
  claimdesk stats [--db FILE]            articles and tags in the database

Formats: .txt .md .html .htm .docx .pdf .json .jsonl, up to ${MAX_FILE_BYTES / 1024 / 1024} MB each.`;

const SYMBOL = { imported: '✓ imported ', duplicate: '= duplicate', failed: '✗ failed   ' } as const;

async function runImport(db: string, paths: string[]): Promise<number> {
  if (paths.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const service = openService(db, { seed: false });
  try {
    const { inputs, missing } = await collectInputs(paths);
    const counts = { imported: 0, duplicate: 0, failed: 0 };
    const print = (item: { status: keyof typeof counts; source: string; message?: string; title?: string }) => {
      counts[item.status]++;
      const detail = item.status === 'imported' ? (item.title ? ` — ${item.title}` : '') : item.message ? `: ${item.message}` : '';
      process.stdout.write(`${SYMBOL[item.status]} ${item.source}${detail}\n`);
    };
    missing.forEach(print);
    await importInputs(service.db, inputs, { onItem: print });
    process.stdout.write(`\n${counts.imported} imported, ${counts.duplicate} duplicate, ${counts.failed} failed (${inputs.length + missing.length} files) into ${db}\n`);
    return counts.failed > 0 ? 1 : 0;
  } finally {
    service.close();
  }
}

async function runStats(db: string): Promise<number> {
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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const { values, positionals } = parseArgs({ args: rest, options: { db: { type: 'string' } }, allowPositionals: true, strict: true });
  const db = values.db ?? defaultDatabasePath();
  switch (command) {
    case 'import':
      return runImport(db, positionals);
    case 'stats':
      return runStats(db);
    default:
      process.stderr.write(`claimdesk: unknown command "${command}"\n${USAGE}\n`);
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
