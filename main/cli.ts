/**
 * The headless command line over the same API and pipeline as the app:
 *   claimdesk import PATH... [--db FILE]
 *   claimdesk stats [--db FILE]
 *   claimdesk backup | backups | restore BACKUP_FILE [--db FILE]
 */
import { parseArgs } from 'node:util';
import { call } from './api.js';
import { collectInputs, importInputs } from './import/pipeline.js';
import { MAX_FILE_BYTES } from './import/types.js';
import { buildExport, EXPORT_KINDS, FORMATS, type ExportFormat, type ExportKind } from './export/exporters.js';
import { AtomicWriter, writeAtomically } from './export/write.js';
import { csvRecord } from './export/exporters.js';
import { agreementCsv } from './handlers/review.js';
import { agreementReport } from './review/agreement.js';
import { CodingTableEncoder } from './review/coding-table.js';
import { BundleError, bundleChunks, importBundle, parseBundle } from './review/bundle.js';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defaultDatabasePath } from './paths.js';
import { openService, type Service } from './service.js';
import { BackupError, backupFolder, listBackups } from './store/backup.js';
import { restoreBackup } from './store/restore.js';
import { LibraryLockedError } from './store/locks.js';
import { runTeam, TEAM_USAGE } from './cli-team.js';
import { errorMessage } from '../shared/errors.js';

const USAGE = `usage:
  claimdesk import PATH... [--db FILE]   import files and folders (recursive)
  claimdesk export KIND --format FORMAT --out FILE [--bom] [--layer NAME] [--db FILE]
                                         KIND: claims (csv, json), instances (csv, json),
                                         annotations (jsonl), w3c (jsonld)
  claimdesk bundle export --annotator NAME --out FILE [--no-text] [--db FILE]
  claimdesk bundle import FILE [--db FILE]
  claimdesk agreement --a NAME --b NAME --out FILE [--items FILE] [--db FILE]
                                         report (.json or .csv by extension); --items writes the
                                         token coding table (item, annotator, label) as CSV
  claimdesk stats [--db FILE]            articles and tags in the database
  claimdesk backup [--db FILE]           back the database up now (into backups/NAME/ beside it)
  claimdesk backups [--db FILE]          list the backups, newest first
  claimdesk restore BACKUP_FILE [--db FILE]
                                         replace the database with a backup (a name from the
                                         list, or a file); the current state is backed up first
${TEAM_USAGE}

Formats: .txt .md .html .htm .docx .pdf .json .jsonl, up to ${MAX_FILE_BYTES / 1024 / 1024} MB each.`;

/** The CLI runs one command and exits: no automatic backups (a backup before a migration still happens). */
function open(db: string): Service {
  return openService(db, { seed: false, backups: false, team: { live: false } });
}

const SYMBOL = { imported: '✓ imported ', duplicate: '= duplicate', failed: '✗ failed   ' } as const;

async function runImport(db: string, paths: string[]): Promise<number> {
  if (paths.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const service = open(db);
  try {
    const { inputs, missing } = await collectInputs(paths);
    const counts = { imported: 0, duplicate: 0, failed: 0 };
    const print = (item: { status: keyof typeof counts; source: string; message?: string; title?: string }) => {
      counts[item.status]++;
      const detail = item.status === 'imported' ? (item.title ? ` — ${item.title}` : '') : item.message ? `: ${item.message}` : '';
      process.stdout.write(`${SYMBOL[item.status]} ${item.source}${detail}\n`);
    };
    missing.forEach(print);
    try {
      await importInputs(service.db, inputs, { onItem: print });
    } catch (err) {
      if (!(err instanceof LibraryLockedError)) throw err;
      process.stderr.write(`claimdesk import: ${err.message}\nNothing was imported.\n`);
      return 1;
    }
    process.stdout.write(
      `\n${counts.imported} imported, ${counts.duplicate} duplicate, ${counts.failed} failed (${inputs.length + missing.length} files) into ${db}\n`,
    );
    return counts.failed > 0 ? 1 : 0;
  } finally {
    service.close();
  }
}

function runExport(db: string, positionals: string[], values: { format?: string; out?: string; bom?: boolean; layer?: string }): number {
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
  const service = open(db);
  try {
    const out = buildExport(service.db, kind as ExportKind, format as ExportFormat, {
      bom: values.bom ?? false,
      layer: values.layer ?? null,
    });
    const bytes = writeAtomically(values.out, out.chunks);
    process.stdout.write(`wrote ${values.out} (${bytes} bytes)\n${out.summary.map((l) => `  ${l}`).join('\n')}\n`);
    return 0;
  } finally {
    service.close();
  }
}

async function runBundle(
  db: string,
  positionals: string[],
  values: { annotator?: string; out?: string; 'no-text'?: boolean },
): Promise<number> {
  const [sub, file] = positionals;
  const service = open(db);
  try {
    if (sub === 'export') {
      if (!values.annotator || !values.out) {
        process.stderr.write('claimdesk bundle export: --annotator NAME and --out FILE are required\n');
        return 2;
      }
      // Streamed into the file a piece at a time (one article, annotation, link or group), counted on the way.
      const counts: Record<string, number> = {};
      writeAtomically(values.out, bundleChunks(service.db, values.annotator, { includeText: !values['no-text'], counts }));
      process.stdout.write(
        `wrote ${values.out}: ${counts.annotations ?? 0} annotations by ${values.annotator} on ${counts.articles ?? 0} articles, ${counts.links ?? 0} links, ${counts.groups ?? 0} groups\n`,
      );
      return 0;
    }
    if (sub === 'import' && file) {
      let report;
      try {
        report = await importBundle(service.db, parseBundle(readFileSync(file, 'utf8'), basename(file)), basename(file), {
          onProgress: progress('bundle import', 'annotations placed', { fromStart: true }),
        });
      } catch (err) {
        if (err instanceof BundleError || (err as NodeJS.ErrnoException).code) {
          process.stderr.write(`claimdesk bundle import: ${(err as Error).message}\nNothing was written.\n`);
          return 1;
        }
        throw err;
      }
      process.stdout.write(
        `${basename(file)} (${report.annotator}): ${report.articlesMatched} articles matched, ${report.articlesAdded} added; ${report.annotationsAdded} annotations added, ${report.annotationsAlreadyPresent} already present; ${report.linksAdded} links, ${report.groupsAdded} groups, ${report.membersAdded} group members added\n`,
      );
      for (const r of report.reanchored) process.stdout.write(`  re-anchored (${r.method}, score ${r.score}): “${r.quote}”\n`);
      for (const u of report.unanchored) process.stdout.write(`  ✗ not placed: “${u.quote}” in “${u.article}”: ${u.reason}\n`);
      for (const r of report.reattributed ?? [])
        process.stdout.write(`  ! “${r.from}” is a name reserved here: ${r.annotations} annotations stored as “${r.to}”\n`);
      for (const c of report.conflicts ?? []) process.stdout.write(`  ✗ not imported: annotation ${c.id}: ${c.reason}\n`);
      return report.unanchored.length > 0 ? 1 : 0;
    }
    process.stderr.write(`${USAGE}\n`);
    return 2;
  } finally {
    service.close();
  }
}

/**
 * Progress of a long step on stderr, at most once a second: "claimdesk agreement: 1,200 of 10,000 articles".
 * Ctrl+C stops it; the steps it reports write their files atomically or in one transaction, so nothing partial stays.
 */
function progress(command: string, unit: string, options: { fromStart?: boolean } = {}): (done: number, total: number) => undefined {
  let last = Date.now();
  let shown = false;
  return (done, total) => {
    const now = Date.now();
    // `fromStart`: the first call shows the total at once, so a long step is announced before its first second passes.
    if (now - last < 1000 && !(shown && done === total) && !(options.fromStart && !shown)) return undefined;
    last = now;
    shown = true;
    process.stderr.write(`claimdesk ${command}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} ${unit}\n`);
    return undefined;
  };
}

function runAgreement(db: string, values: { a?: string; b?: string; out?: string; items?: string }): number {
  if (!values.a || !values.b || !values.out) {
    process.stderr.write('claimdesk agreement: --a NAME, --b NAME and --out FILE are required\n');
    return 2;
  }
  const { a, b, out, items } = values;
  const service = open(db);
  try {
    // The coding table is written in the same pass as the report (one article's codings in memory at a time), to a
    // temporary file renamed when complete.
    const table = items ? new AtomicWriter(items) : null;
    const encoder = table
      ? new CodingTableEncoder((bytes) => table.writeBytes(bytes), csvRecord([a]).trimEnd(), csvRecord([b]).trimEnd())
      : null;
    let report;
    try {
      table?.write(csvRecord(['item', 'annotator', 'label']));
      report = agreementReport(service.db, a, b, undefined, {
        onProgress: progress('agreement', 'articles'),
        onCodes: encoder ? (id, ca, cb, n, names) => encoder.addCodes(id, ca, cb, n, names) : undefined,
      });
      encoder?.flush();
    } catch (err) {
      table?.abort();
      throw err;
    }
    if (report.articles.length === 0) {
      table?.abort();
      process.stderr.write(`claimdesk agreement: no article was tagged by both ${a} and ${b}\n`);
      return 1;
    }
    writeAtomically(out, [out.endsWith('.csv') ? agreementCsv(report) : `${JSON.stringify(report, null, 1)}\n`]);
    const f = (n: number | null) => (n === null ? 'n/a' : n.toFixed(3));
    process.stdout.write(
      `${a} vs ${b}: ${report.articles.length} articles, ${report.tokens} tokens; Cohen's κ ${f(report.overall.cohen)}, Krippendorff's α ${f(report.overall.alpha)}, span F1 exact ${f(report.overall.spanExact.f1)} / overlap ${f(report.overall.spanOverlap.f1)}, grouping B³ F1 ${f(report.grouping.f1)}\nwrote ${out}\n`,
    );
    if (table) {
      table.commit();
      process.stdout.write(`wrote ${items} (${encoder?.rows ?? 0} codings)\n`);
    }
    return 0;
  } finally {
    service.close();
  }
}

async function runStats(db: string): Promise<number> {
  const service = open(db);
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

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

async function runBackup(db: string): Promise<number> {
  const service = open(db);
  try {
    const b = await call(service.dispatch, 'backups.create', {});
    process.stdout.write(
      `backed up ${db}\n  to ${join(backupFolder(db), b.file)} (${b.articles ?? 0} articles, ${b.annotations ?? 0} annotations, ${kb(b.size)})\n`,
    );
    return 0;
  } finally {
    service.close();
  }
}

function runBackups(db: string): number {
  const list = listBackups(db);
  process.stdout.write(`${backupFolder(db)}: ${list.length} backups\n`);
  for (const b of list) {
    const holds = b.problem
      ? `unreadable: ${b.problem}`
      : `schema v${b.schemaVersion}, ${b.articles} articles, ${b.annotations} annotations`;
    process.stdout.write(`${b.file}  ${kb(b.size).padStart(8)}  ${holds}\n`);
  }
  return 0;
}

async function runRestore(db: string, positionals: string[]): Promise<number> {
  const [given] = positionals;
  if (!given || positionals.length > 1) {
    process.stderr.write('claimdesk restore: give one BACKUP_FILE (a name from `claimdesk backups`, or a path)\n');
    return 2;
  }
  // A bare name is looked up among the database's backups; anything else is a path.
  const inFolder = join(backupFolder(db), given);
  const file = basename(given) === given && existsSync(inFolder) ? inFolder : given;
  try {
    const r = await restoreBackup(db, file);
    const migrated = r.fromVersion === r.schemaVersion ? '' : ` (migrated from schema v${r.fromVersion} to v${r.schemaVersion})`;
    process.stdout.write(`restored ${r.restored} into ${db}${migrated}: ${r.articles} articles, ${r.annotations} annotations\n`);
    if (r.safetyBackup) process.stdout.write(`the state before the restore is in ${join(backupFolder(db), r.safetyBackup)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      process.stderr.write(`claimdesk restore: ${err.message}\nNothing was changed.\n`);
      return 1;
    }
    throw err;
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
    options: {
      db: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      bom: { type: 'boolean' },
      layer: { type: 'string' },
      annotator: { type: 'string' },
      'no-text': { type: 'boolean' },
      a: { type: 'string' },
      b: { type: 'string' },
      items: { type: 'string' },
      reviewer: { type: 'boolean' },
      'password-file': { type: 'string' },
      url: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const db = values.db ?? defaultDatabasePath();
  switch (command) {
    case 'import':
      return runImport(db, positionals);
    case 'export':
      return runExport(db, positionals, values);
    case 'bundle':
      return runBundle(db, positionals, values);
    case 'agreement':
      return runAgreement(db, values);
    case 'stats':
      return runStats(db);
    case 'backup':
      return runBackup(db);
    case 'backups':
      return runBackups(db);
    case 'restore':
      return runRestore(db, positionals);
    case 'team':
      return runTeam(positionals, values, () => open(db));
    default:
      process.stderr.write(`claimdesk: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

function peakRssKb(): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? process.resourceUsage().maxRSS);
  } catch {
    return process.resourceUsage().maxRSS;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // For the benchmark: how much memory the command needed at its peak. VmHWM, not
    // resourceUsage().maxRSS: Linux carries the parent's peak across fork and exec into the latter.
    if (process.env.CLAIMDESK_REPORT_RSS) process.stderr.write(`max-rss-mb ${Math.round(peakRssKb() / 1024)}\n`);
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`claimdesk: ${errorMessage(err)}\n`);
    process.exit(1);
  },
);
