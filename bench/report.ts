/**
 * The bench's record: `bench/results.json` keeps the newest measurement of
 * every case (a run of some case groups replaces only their rows), and
 * `bench/README.md` is written from it, so the table a reader sees is always
 * the one measured.
 */

export interface Machine {
  cores: number;
  memoryGiB: number;
  node: string;
}

export interface BenchRow {
  case: string;
  median: number;
  p95: number;
  unit: string;
  target: string;
  pass: boolean;
  note?: string;
  /** Every measurement, in the order taken. */
  samples: number[];
  /** When and where this row was measured. */
  at?: string;
  machine?: Machine;
  runs?: number;
  /** Where a row not measured by this bench's own record came from (a run before the record kept samples). */
  source?: string;
}

export interface BenchResults {
  rows: BenchRow[];
}

/** Reads the record, or an empty one when there is none (or it is not a record). */
export function parseResults(json: string | null): BenchResults {
  if (!json) return { rows: [] };
  const data = JSON.parse(json) as Partial<BenchResults> & { at?: string; machine?: Machine; runs?: number };
  if (!Array.isArray(data.rows)) return { rows: [] };
  // Records written before rows carried their own date: the file's date is theirs.
  return { rows: data.rows.map((r) => ({ ...r, at: r.at ?? data.at, machine: r.machine ?? data.machine, runs: r.runs ?? data.runs })) };
}

/** The record after a run: fresh rows replace rows of the same case where they stood; new cases go at the end. */
export function mergeResults(previous: BenchResults, fresh: readonly BenchRow[], at: string, machine: Machine, runs: number): BenchResults {
  const stamped = new Map(fresh.map((r) => [r.case, { ...r, at, machine, runs }]));
  const rows = previous.rows.map((r) => stamped.get(r.case) ?? r);
  const known = new Set(previous.rows.map((r) => r.case));
  for (const r of stamped.values()) if (!known.has(r.case)) rows.push(r);
  return { rows };
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const num = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 }));

/** bench/README.md: how to run the bench, then every case's newest figures with its target, result, note and date. */
export function renderReadme(results: BenchResults): string {
  const dates = [...new Set(results.rows.map((r) => r.at?.slice(0, 10) ?? 'unknown'))].sort();
  const machines = [
    ...new Set(
      results.rows.map((r) => (r.machine ? `${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}` : 'unknown')),
    ),
  ];
  const sources = [...new Set(results.rows.flatMap((r) => (r.source ? [r.source] : [])))];
  const mark = (source: string) => '†'.repeat(sources.indexOf(source) + 1);
  const lines = [
    '# Benchmark',
    '',
    '<!-- Written by `npm run bench` from bench/results.json; edit bench/report.ts, not this file. -->',
    '',
    "`npm run bench` (not part of `npm test`; `--only claims,import`, or `BENCH_CASES=…`, runs some case groups; `BENCH_RUNS=N`, default 5; `npm run bench:readme` writes this page again from the record) builds seeded corpora and drives the real paths: the built HTTP host as a child process, the renderer in Debian's Chromium through Playwright, the store and the CLI. It prints one table and records each case's newest figures in `bench/results.json` (with every sample), from which this page is written. Where a path has a floor (what SQLite, the disk or a plain loop does with the same data), the floor is measured in the same run and the ratio is what passes or fails. `npm run bench:workspace` measures the team workspace against a throwaway PostgreSQL cluster.",
    '',
    `Measured on ${machines.join('; ')}; ${dates.length === 1 ? `on ${dates[0]}` : `between ${dates[0]} and ${dates[dates.length - 1]}`} (each row's date is in its last column). Why the fast paths are fast: [docs/performance.md](../docs/performance.md).`,
    '',
    '| case | median | p95 | target | result | measured |',
    '|---|---|---|---|---|---|',
    ...results.rows.map(
      (r) =>
        `| ${cell(r.case)}${r.source ? ` ${mark(r.source)}` : ''} | ${num(r.median)} ${r.unit} | ${num(r.p95)} ${r.unit} | ${cell(r.target)} | ${r.pass ? 'pass' : '**FAIL**'}${r.note ? ` (${cell(r.note)})` : ''} | ${r.at?.slice(0, 10) ?? ''}${r.runs ? `, ${r.runs} run${r.runs === 1 ? '' : 's'}` : ''} |`,
    ),
    '',
    ...sources.map((s, i) => `${'†'.repeat(i + 1)} ${s}.`),
    ...(sources.length ? [''] : []),
  ];
  return lines.join('\n');
}
