/**
 * The headless command line over the same API and pipeline as the app:
 *   claimdesk import PATH... [--db FILE]
 *   claimdesk stats [--db FILE]
 */
import { parseArgs } from 'node:util';
import { call } from './api.js';
import { collectInputs, importInputs } from './import/pipeline.js';
import { MAX_FILE_BYTES } from './import/types.js';
import { buildExport, EXPORT_KINDS, FORMATS, type ExportFormat, type ExportKind } from './export/exporters.js';
import { writeAtomically } from './export/write.js';
import { defaultDatabasePath } from './paths.js';
import { openService } from './service.js';

const USAGE = `usage:
  claimdesk import PATH... [--db FILE]   import files and folders (recursive)
  claimdesk export KIND --format FORMAT --out FILE [--bom] [--db FILE]
                                         KIND: claims (csv, json), instances (csv, json),
                                         annotations (jsonl), w3c (jsonld)
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

function runExport(db: string, positionals: string[], values: { format?: string; out?: string; bom?: boolean }): number {
  const [kind] = positionals;
  if (!kind || !(EXPORT_KINDS as readonly string[]).includes(kind)) {
    process.stderr.write(`claimdesk export: KIND must be one of ${EXPORT_KINDS.join(', ')}\n`);
    return 2;
  }
  const formats = FORMATS[kind as ExportKind];
  const format = values.format ?? formats[0];
  if (!format || !(formats as readonly string[]).includes(format)) {
    process.stderr.write(`claimdesk export: ${kind} comes as ${formats.join(' or ')}, not ${format}\n`);
    return 2;
  }
  if (!values.out) {
    process.stderr.write('claimdesk export: --out FILE is required\n');
    return 2;
  }
  const service = openService(db, { seed: false });
  try {
    const out = buildExport(service.db, kind as ExportKind, format as ExportFormat, { bom: values.bom ?? false });
    const bytes = writeAtomically(values.out, out.chunks);
    process.stdout.write(`wrote ${values.out} (${bytes} bytes)\n${out.summary.map((l) => `  ${l}`).join('\n')}\n`);
    return 0;
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
  const { values, positionals } = parseArgs({
    args: rest,
    options: { db: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, bom: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const db = values.db ?? defaultDatabasePath();
  switch (command) {
    case 'import':
      return runImport(db, positionals);
    case 'export':
      return runExport(db, positionals, values);
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
