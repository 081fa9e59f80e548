// Runs Doyensec's Electronegativity over the Electron host's source and the
// renderer's index.html (its CSP), prints every finding, and exits 1 on any
// finding of MEDIUM severity or above that is not suppressed, on any file the
// scanner could not parse, and on any suppression without a reason or one
// that no longer suppresses anything.
//
// A suppression is a comment on the flagged line (or on the file's first line,
// for the whole file), written as
//   // eng-disable CHECK_ID [CHECK_ID…] -- why this finding does not apply
// which is Electronegativity's own syntax plus the required reason after `--`.
import { createRequire } from 'node:module';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');

/** What is scanned: the Electron main process and preload, and the page whose <meta> CSP governs file:// loads. */
const SCANNED = [
  ...readdirSync('main/hosts/electron')
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `main/hosts/electron/${f}`),
  'renderer/index.html',
];

/**
 * Checks not run, each with its reason.
 * AvailableSecurityFixesGlobalCheck downloads Electron's release list from
 * GitHub on every run, which fails offline (and in Electronegativity 1.10.3
 * then crashes the process from a retry timer). Keeping Electron current is
 * Renovate's and the reviewer's job, not this offline gate's.
 */
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

const SEVERITY_GATE = 2; // Electronegativity's scale: 0 informational, 1 low, 2 medium, 3 high
const SUPPRESSION = /(?:\/\/|\/\*|<!--)[ \t]*eng-disable[ \t]+([\w \t]*?)(?:[ \t]+--[ \t]*(.*?))?[ \t]*(?:\*\/|-->|$)/i;

function electronVersion() {
  try {
    return require('electron/package.json').version;
  } catch {
    const range = JSON.parse(readFileSync('package.json', 'utf8')).devDependencies?.electron ?? '';
    return range.replace(/^[^\d]*/, '') || undefined;
  }
}

/** Every eng-disable comment in the scanned files: where, which checks, and why. */
function suppressions() {
  const found = [];
  for (const file of SCANNED) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const m = SUPPRESSION.exec(text);
        if (m)
          found.push({
            file,
            line: i + 1,
            checks: (m[1] ?? '')
              .trim()
              .split(/\s+/)
              .filter(Boolean)
              .map((c) => c.toUpperCase()),
            reason: (m[2] ?? '').trim(),
            used: new Set(),
          });
      });
  }
  return found;
}

/**
 * Copies the scanned files into a scratch folder with every eng-disable
 * comment defused, so Electronegativity reports everything and the
 * suppressions are applied here, where their reasons are checked too.
 */
function scratchCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'claimdesk-electronegativity-'));
  for (const file of SCANNED) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    cpSync(file, join(dir, file));
    writeFileSync(join(dir, file), readFileSync(file, 'utf8').replace(/eng-disable/gi, 'eng-suppressed'));
  }
  return dir;
}

async function scan(dir, version) {
  // The scanner prints a note when it cannot fetch translations from the internet; keep the output to findings.
  const log = console.log;
  console.log = (...args) => {
    if (!/Could not retrieve updated translations/.test(String(args[0]))) log(...args);
  };
  try {
    return await run({ input: dir, electronVersionOverride: version, excludeFromScan: EXCLUDED, isRelative: false });
  } finally {
    console.log = log;
  }
}

const version = electronVersion();
const dir = scratchCopy();
let result;
try {
  result = await scan(dir, version);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const marks = suppressions();
const problems = [];
const rows = [];
for (const issue of result.issues) {
  const file = issue.file === 'N/A' ? 'N/A' : relative(dir, issue.file);
  const line = issue.location?.line ?? 0;
  const mark = marks.find((s) => s.file === file && (s.line === line || s.line === 1) && s.checks.includes(issue.id));
  mark?.used.add(issue.id);
  const blocking = !mark && issue.severity.value >= SEVERITY_GATE;
  if (blocking) problems.push(`${issue.id} at ${file}:${line}`);
  const status = mark ? `suppressed: ${mark.reason || '(no reason)'}` : blocking ? 'BLOCKING' : 'below MEDIUM';
  rows.push(
    `${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id} ${file}:${line}${issue.manualReview ? ' (manual review)' : ''}\n    ${issue.description}\n    -> ${status}`,
  );
}
for (const s of marks) {
  if (s.checks.length === 0) problems.push(`eng-disable without a check name at ${s.file}:${s.line}`);
  if (s.reason.length < 10) problems.push(`eng-disable ${s.checks.join(' ')} at ${s.file}:${s.line} needs a reason after "--"`);
  for (const c of s.checks) if (!s.used.has(c)) problems.push(`eng-disable ${c} at ${s.file}:${s.line} suppresses nothing; remove it`);
}
for (const e of result.errors) {
  const where = relative(dir, e.file);
  if (e.tolerable) rows.push(`parse warning in ${where}: ${e.message}`);
  else problems.push(`${where} could not be parsed, so it was not checked: ${e.message}`);
}

const out = [
  `Electronegativity: ${result.atomicChecks} atomic and ${result.globalChecks} global checks (not run: ${EXCLUDED.join(', ')}), Electron ${version ?? 'unknown'}, over ${SCANNED.join(', ')}`,
  ...rows,
  problems.length === 0
    ? `OK: no unsuppressed finding of MEDIUM or above (${result.issues.length} findings, ${marks.length} suppression comments)`
    : `FAILED:\n  ${problems.join('\n  ')}`,
];
process.stdout.write(`${out.join('\n')}\n`);
process.exit(problems.length === 0 ? 0 : 1);
