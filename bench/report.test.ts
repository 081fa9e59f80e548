import { describe, expect, it } from 'vitest';
import { mergeResults, parseResults, renderReadme, type BenchRow } from './report.js';

const row = (name: string, median: number, pass = true): BenchRow => ({
  case: name,
  median,
  p95: median * 2,
  unit: 'ms',
  target: '≤ 100 ms',
  pass,
  samples: [median],
});
const machine = { cores: 2, memoryGiB: 24, node: 'v24.21.0' };

describe('the bench record', () => {
  it('replaces only the cases a run measured, in place, and appends new ones', () => {
    const before = mergeResults({ rows: [] }, [row('a', 1), row('b', 2)], '2026-11-23T10:00:00Z', machine, 5);
    const after = mergeResults(before, [row('b', 3), row('c', 4)], '2026-12-02T10:00:00Z', machine, 3);
    expect(after.rows.map((r) => [r.case, r.median, r.at?.slice(0, 10), r.runs])).toEqual([
      ['a', 1, '2026-11-23', 5],
      ['b', 3, '2026-12-02', 3],
      ['c', 4, '2026-12-02', 3],
    ]);
  });

  it('reads a record written before rows carried their own date', () => {
    const old = JSON.stringify({ at: '2026-11-20T00:00:00Z', machine, runs: 5, rows: [row('a', 1)] });
    expect(parseResults(old).rows[0]).toMatchObject({ case: 'a', at: '2026-11-20T00:00:00Z', runs: 5 });
    expect(parseResults(null).rows).toEqual([]);
  });

  it('writes a table row per case with its figures, target, result, note and date', () => {
    const results = mergeResults(
      { rows: [] },
      [row('open | 1 MB', 12.5), { ...row('import', 4400, false), unit: 's', note: '1.4 × floor' }],
      '2026-12-02T10:00:00Z',
      machine,
      5,
    );
    const md = renderReadme(results);
    expect(md).toContain('| open \\| 1 MB | 12.5 ms | 25 ms | ≤ 100 ms | pass | 2026-12-02, 5 runs |');
    expect(md).toContain('| import | 4,400 s | 8,800 s | ≤ 100 ms | **FAIL** (1.4 × floor) | 2026-12-02, 5 runs |');
    expect(md).toContain('on 2026-12-02');
    expect(renderReadme(mergeResults({ rows: [] }, [row('once', 1)], '2026-12-02T10:00:00Z', machine, 1))).toContain(
      '| 2026-12-02, 1 run |',
    );
  });

  it('marks rows that came from elsewhere, with a footnote saying where', () => {
    const md = renderReadme({ rows: [{ ...row('old', 5), source: 'from an earlier table', at: '2026-11-23' }] });
    expect(md).toContain('| old † | 5 ms |');
    expect(md).toContain('† from an earlier table.');
  });
});
