import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
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
