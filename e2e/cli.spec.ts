import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';

test('claimdesk import prints a line per file and a summary, and exits non-zero on a failure', async ({ dataDir }) => {
  const folder = join(dataDir, 'in');
  mkdirSync(folder);
  copyFileSync('main/import/fixtures/rubio.docx', join(folder, 'rubio.docx'));
  writeFileSync(join(folder, 'a.txt'), 'Title A\n\nBody A.');
  writeFileSync(join(folder, 'broken.pdf'), 'not a pdf');
  const db = join(dataDir, 'cli.db');
  const run = (...args: string[]) => spawnSync(process.execPath, ['bin/claimdesk.mjs', ...args, '--db', db], { encoding: 'utf8' });

  const first = run('import', folder);
  expect(first.status).toBe(1);
  expect(first.stdout.split('\n').filter((l) => /^[✓=✗]/.test(l))).toEqual([
    '✓ imported  in/a.txt — Title A',
    '✗ failed    in/broken.pdf: not a PDF file (no %PDF- header)',
    '✓ imported  in/rubio.docx — Rubio: peace deal before security guarantees',
  ]);
  expect(first.stdout).toContain('2 imported, 0 duplicate, 1 failed (3 files)');

  const again = run('import', join(folder, 'a.txt'));
  expect(again.status).toBe(0);
  expect(again.stdout).toContain('= duplicate in/a.txt'.replace('in/', ''));
  expect(run('stats').stdout).toContain('2 articles');
});

test('claimdesk bundle export/import and agreement with its coding table', async ({ dataDir }) => {
  const { openService } = await import('../main/service.js');
  const { call } = await import('../main/api.js');
  const { tagPhrase } = await import('../main/test-builders.js');
  const source = join(dataDir, 'source.db');
  const svc = openService(source, { seed: true, inProcessImports: true });
  const article = (await call(svc.dispatch, 'articles.list', {}))[1]?.id ?? 0;
  await call(svc.dispatch, 'settings.setAnnotator', { name: 'Alice' });
  await tagPhrase(svc, article, 'Washington is pushing for Ukraine', 'claim');
  await tagPhrase(svc, article, 'a report by Politico', 'source');
  await call(svc.dispatch, 'settings.setAnnotator', { name: 'Bob' });
  await tagPhrase(svc, article, 'Washington is pushing for Ukraine to sign a peace deal', 'claim');
  await tagPhrase(svc, article, 'a report by Politico', 'source');
  svc.close();

  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/claimdesk.mjs', ...args], { encoding: 'utf8' });
  const bundle = join(dataDir, 'alice.json');
  expect(cli('bundle', 'export', '--annotator', 'Alice', '--out', bundle, '--db', source).stdout).toContain(
    '2 annotations by Alice on 1 articles',
  );
  const target = join(dataDir, 'target.db');
  const imported = cli('bundle', 'import', bundle, '--db', target);
  expect(imported.status).toBe(0);
  expect(imported.stdout).toContain('2 annotations added');
  const broken = join(dataDir, 'broken.json');
  writeFileSync(broken, '{"format": "claimdesk-bundle", "version": 99}');
  const bad = cli('bundle', 'import', broken, '--db', target);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('broken.json: bundle version 99 was written by a newer Claimdesk');

  const report = join(dataDir, 'agreement.json');
  const items = join(dataDir, 'items.csv');
  const run = cli('agreement', '--a', 'Alice', '--b', 'Bob', '--out', report, '--items', items, '--db', source);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/Alice vs Bob: 1 articles/);
  const parsed = JSON.parse(readFileSync(report, 'utf8')) as { overall: { cohen: number; alpha: number } };
  // Anyone can recompute the figures from the coding table: here with NLTK.
  const py = `
import csv, sys, json
from nltk.metrics.agreement import AnnotationTask
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
t = AnnotationTask(data=[(r['annotator'], r['item'], r['label']) for r in rows])
print(json.dumps([t.kappa(), t.alpha()]))
`;
  const [kappa, alpha] = JSON.parse(spawnSync('/usr/bin/python3', ['-c', py, items], { encoding: 'utf8' }).stdout) as [number, number];
  expect(parsed.overall.cohen).toBeCloseTo(kappa, 10);
  expect(parsed.overall.alpha).toBeCloseTo(alpha, 10);
});

test('claimdesk bundle import shows how many of a big bundle’s annotations are placed', async ({ dataDir }) => {
  const { createHash } = await import('node:crypto');
  const sentences = Array.from({ length: 3000 }, (_, i) => `Sentence ${i} reports claim number ${i}.`);
  const text = sentences.join(' ');
  let at = 0;
  const annotations = sentences.map((quote, i) => {
    const a = {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      article: createHash('sha256').update(text).digest('hex'),
      start: at,
      end: at + quote.length,
      quote,
      prefix: '',
      suffix: '',
      label: 'claim',
      annotator: 'Colleague',
      note: '',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
    at += quote.length + 1;
    return a;
  });
  const bundle = join(dataDir, 'big.json');
  writeFileSync(
    bundle,
    JSON.stringify({
      format: 'claimdesk-bundle',
      version: 1,
      exported_at: '2026-01-01T00:00:00.000Z',
      annotator: 'Colleague',
      offset_unit: 'codepoint',
      labels: [],
      articles: [
        { content_hash: annotations[0]?.article, title: 'Big', outlet: null, url: null, published_at: null, file_name: null, text },
      ],
      annotations,
      links: [],
      groups: [],
    }),
  );
  const run = spawnSync(process.execPath, ['bin/claimdesk.mjs', 'bundle', 'import', bundle, '--db', join(dataDir, 'target.db')], {
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('3000 annotations added');
  const lines = run.stderr.split('\n').filter((l) => l.startsWith('claimdesk bundle import:'));
  expect(lines[0]).toBe('claimdesk bundle import: 0 of 3,000 annotations placed');
  expect(lines.at(-1)).toBe('claimdesk bundle import: 3,000 of 3,000 annotations placed');
});
